/**
 * The warning ladder's rules (提醒单 → 整改单 → 警示单), pure: one cadre's month and year figures, the time, the
 * policy and what was already sent in; the notices now due out. Nothing reads Redis or the clock.
 *
 * - 提醒 (remind, to the cadre alone): from `remind.fromDay` of a month, when the month's target needs more than
 *   `neededShare` of the days still open (at risk) or more than are open (cannot reach).
 * - 整改 (rectify, cadre and township): a month closed below its target. A month is judged once it is settled:
 *   when no back-fill of its last day can still be asked (`checkin.backfillHours` after the month's end), so a
 *   cadre with poor signal on the 31st is not told off for a day they may still back-fill.
 * - 警示 (warn, organisation department and sending unit): the last `warn.consecutiveMonths` settled months all
 *   below target, or (with `warn.annualPaceUnreachable`) the annual target can no longer be reached.
 *
 * Each stage goes once per cadre, month and stage. The month of a notice is the month it is about: the month at
 * risk, the closed month, and for 警示 the month it is issued in (it names the months and the annual pace behind
 * it), so a cadre gets at most one 警示 a month whichever reasons hold. Months without holiday data have no
 * target (待定): nothing about them is judged, and the annual check waits too while the current month is 待定.
 *
 * No rung is sent whose shortfall approved excused leave explains (`risk.ts`): a cadre on two weeks of sick
 * leave is not told the month cannot be reached, nor asked to explain it afterwards.
 */
import type { MonthFigures } from '../attendance/accounting.js';
import type { YearFigures } from '../attendance/annual.js';
import { addDays, localDate, monthDates, startOfLocalDay } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import { monthExplainedByLeave, remindDue, yearExplainedByLeave, type UnexcusedTargets } from './risk.js';

export type Stage = 'remind' | 'rectify' | 'warn';
export const STAGES: readonly Stage[] = ['remind', 'rectify', 'warn'];

/** The field of the once-only store (`keys.warnings()`): `<userId>:<month>:<stage>`. */
export function warningField(userId: string, month: string, stage: Stage): string {
  return `${userId}:${month}:${stage}`;
}

/** Read a store field back; undefined for anything else. Parsed from the right, so the userid is kept whole. */
export function parseWarningField(field: string): { userId: string; month: string; stage: Stage } | undefined {
  const m = /^(.+):(\d{4}-\d{2}):(remind|rectify|warn)$/.exec(field);
  return m ? { userId: m[1]!, month: m[2]!, stage: m[3] as Stage } : undefined;
}

/** What the rules need of one cadre. */
export interface LadderFigures {
  userId: string;
  term: { start: string; end: string };
  /** The current month first, then the months before it, newest first (at least `consecutiveMonths` of them). */
  months: MonthFigures[];
  year: YearFigures;
  /** The targets without excused leave, where there was some (`unexcusedTargets`); none: nothing to explain. */
  unexcused?: UnexcusedTargets;
}

export type Notice =
  | { stage: 'remind'; month: string; figures: MonthFigures }
  | { stage: 'rectify'; month: string; figures: MonthFigures }
  /** `consecutive`: the run of closed months below target, oldest first; `annual`: the year out of reach. */
  | { stage: 'warn'; month: string; consecutive?: MonthFigures[]; annual?: YearFigures };

export interface LadderRules {
  warnings: Policy['warnings'];
  backfillHours: number;
}

/** Whether a month overlaps the term at all (a month wholly before or after it is never judged). */
export function inTerm(month: string, term: { start: string; end: string }): boolean {
  const dates = monthDates(month);
  return dates[0]! <= term.end && dates.at(-1)! >= term.start;
}

/** A closed month is settled at `now` once no back-fill of its last day can still be asked. */
export function isSettled(month: string, now: Date, backfillHours: number): boolean {
  const nextMonth = startOfLocalDay(addDays(monthDates(month).at(-1)!, 1)).getTime();
  return now.getTime() >= nextMonth + backfillHours * 3_600_000;
}

/** A closed month of the term, with a target, that ended below it for reasons excused leave does not explain. */
function closedShort(m: MonthFigures | undefined, f: LadderFigures, share: number): m is MonthFigures {
  return (
    m !== undefined &&
    m.phase === 'past' &&
    m.target.status === 'set' &&
    m.status === 'cannot-reach' &&
    inTerm(m.month, f.term) &&
    !monthExplainedByLeave(m, f.unexcused?.months[m.month], share)
  );
}

/**
 * The notices due for one cadre at `now`, given `sent(month, stage)` (already in the store). Pure.
 */
export function dueNotices(
  f: LadderFigures,
  now: Date,
  rules: LadderRules,
  sent: (month: string, stage: Stage) => boolean,
): Notice[] {
  const { remind, rectify, warn } = rules.warnings;
  const today = localDate(now);
  const [current, previous] = f.months;
  if (!current) return [];
  const out: Notice[] = [];
  const currentSet = current.target.status === 'set' && inTerm(current.month, f.term);
  const share = remind.neededShare;

  if (remind.enabled && currentSet) {
    if (remindDue(today, current, f.unexcused?.months[current.month], remind) && !sent(current.month, 'remind')) {
      out.push({ stage: 'remind', month: current.month, figures: current });
    }
  }

  const settled = previous !== undefined && isSettled(previous.month, now, rules.backfillHours);
  if (rectify.enabled && settled && closedShort(previous, f, share) && !sent(previous.month, 'rectify')) {
    out.push({ stage: 'rectify', month: previous.month, figures: previous });
  }

  if (warn.enabled && !sent(current.month, 'warn')) {
    const run = f.months.slice(1, 1 + warn.consecutiveMonths);
    const consecutive =
      settled && run.length === warn.consecutiveMonths && run.every((m) => closedShort(m, f, share))
        ? [...run].reverse()
        : undefined;
    const inTermToday = f.term.start <= today && today <= f.term.end;
    const annual =
      warn.annualPaceUnreachable &&
      currentSet &&
      inTermToday &&
      f.year.status === 'cannot-reach' &&
      !yearExplainedByLeave(f.year, f.unexcused?.year, share)
        ? f.year
        : undefined;
    if (consecutive || annual)
      out.push({
        stage: 'warn',
        month: current.month,
        ...(consecutive ? { consecutive } : {}),
        ...(annual ? { annual } : {}),
      });
  }
  return out;
}
