/**
 * When a month or a year is "at risk" for the reminders and the warning ladder, and when approved excused leave
 * (病假, 婚假, 产假 …) explains a shortfall (docs/rules.md).
 *
 * The target already lowers for excused leave, but under the default `prorate` rule only by the minimum's share
 * of each day (22 of 30), while a day of leave is a whole day the cadre cannot be present. So a cadre on two
 * weeks of sick leave can read "cannot reach" although the leave is the reason. A shortfall is explained by the
 * leave when, counting each excused day as a day present against the target the month would have without any
 * leave, the cadre is on track (a closed month: reached). Under `subtract` this is exactly the figures' own
 * status (each excused day already lowers the target by one), so nothing is excused twice.
 */
import { forecastStatus, type MonthFigures } from '../attendance/accounting.js';
import type { YearFigures } from '../attendance/annual.js';
import { annualTarget, monthlyTarget, type TargetCalendar, type Term } from '../attendance/targets.js';
import type { Policy } from '../policy/policy.js';

/** The targets without excused leave, for the months (and the annual period) that have excused leave. */
export interface UnexcusedTargets {
  /** Month `YYYY-MM` → its target as if no excused leave had been taken. */
  months: Record<string, number>;
  /** The annual target as if no excused leave had been taken. */
  year?: number;
}

/** The targets without the excused leave of the figures that have some; computed with the figures' own rule. */
export function unexcusedTargets(
  months: readonly MonthFigures[],
  year: YearFigures | undefined,
  term: Term,
  calendar: TargetCalendar,
  policy: Policy,
): UnexcusedTargets {
  const out: UnexcusedTargets = { months: {} };
  for (const m of months) {
    if (m.target.status !== 'set' || m.target.excusedDays <= 0) continue;
    const plain = monthlyTarget({ month: m.month, term, calendar, policy });
    if (plain.status === 'set') out.months[m.month] = plain.target;
  }
  if (year && year.target.excusedDays > 0) {
    const { period } = year.target;
    out.year = annualTarget({ term, at: period.start, period: period.kind, calendar, policy }).target;
  }
  return out;
}

/** Whether approved excused leave explains the month's shortfall (see the module comment). Pure. */
export function monthExplainedByLeave(m: MonthFigures, unexcused: number | undefined, share: number): boolean {
  if (m.target.status !== 'set' || m.target.excusedDays <= 0 || unexcused === undefined) return false;
  const needed = Math.max(0, unexcused - m.present - m.target.excusedDays);
  return forecastStatus(needed, m.remaining, share) === 'on-track';
}

/** Whether approved excused leave explains why the annual target reads out of reach. Pure. */
export function yearExplainedByLeave(y: YearFigures, unexcused: number | undefined, share: number): boolean {
  if (y.target.excusedDays <= 0 || unexcused === undefined) return false;
  const needed = Math.max(0, unexcused - y.present - y.target.excusedDays);
  return forecastStatus(needed, y.remaining, share) !== 'cannot-reach';
}

/**
 * A month at risk: the forecast is at risk or cannot be reached (more days needed than the policy's share of
 * the days still open, `warnings.remind.neededShare`), and approved excused leave does not explain it. The
 * warning ladder's 提醒 condition, and why the morning reminder still goes out on a weekend or a day off. Pure.
 */
export function monthAtRisk(m: MonthFigures, unexcused: number | undefined, share: number): boolean {
  return (m.status === 'at-risk' || m.status === 'cannot-reach') && !monthExplainedByLeave(m, unexcused, share);
}

/**
 * The warning ladder's 提醒 condition on `today` (`YYYY-MM-DD`): from the policy's `warnings.remind.fromDay` of
 * the month (earlier the forecast says little), the month at risk (`monthAtRisk`). Pure.
 */
export function remindDue(
  today: string,
  m: MonthFigures,
  unexcused: number | undefined,
  remind: Policy['warnings']['remind'],
): boolean {
  return Number(today.slice(8, 10)) >= remind.fromDay && monthAtRisk(m, unexcused, remind.neededShare);
}
