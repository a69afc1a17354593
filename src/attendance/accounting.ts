/**
 * Month accounting and forecast, pure: a cadre's loaded data, the month, `now`, the calendar and the policy in;
 * presence so far, the target with its reasons, the days still open and a status out. Nothing reads Redis or
 * the clock.
 *
 * Today without a check-in is "no data yet": it is one of the open days, never an absence.
 */
import { localDate } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import { FiguresCache } from './cache.js';
import {
  ABSENT_LEAVE,
  EXCUSED_LEAVE,
  PRESENT_LEAVE,
  datesBefore,
  dayFlags,
  type CadreAttendance,
  type CompiledSpan,
  type DayFlags,
  type DayMark,
} from './days.js';
import type { MonthlyTarget, TargetCalendar } from './targets.js';
import { MARK_CODE, dayCodes, eachCode, expandDays, type DayEntry } from './day-line.js';

/**
 * on track; at risk (needs more than the policy's share of the open days); cannot reach (needs more days than
 * are open, or a closed month fell short); pending (no holiday data for the year, so no target).
 */
export type ForecastStatus = 'on-track' | 'at-risk' | 'cannot-reach' | 'pending';

/** What the figures need besides the cadre's data. */
export interface AccountingEnv {
  now: Date;
  policy: Policy;
  calendar: TargetCalendar;
  /** `localDate(now)` when the caller already has it: for a county of cadres it is worth computing once. */
  today?: string;
  /** Spans and targets shared between cadres; built from the same calendar and policy as above. */
  cache?: FiguresCache;
}

/** Today's local date and the cache of an environment, made when the caller gave none. */
export function resolveEnv(env: AccountingEnv): { today: string; cache: FiguresCache } {
  return { today: env.today ?? localDate(env.now), cache: env.cache ?? new FiguresCache(env.calendar, env.policy) };
}

/** Presence counts of a run of days (up to today). */
export interface PresenceCount {
  /** Presence days: check-ins (back-fills included) and leave that counts as present. */
  present: number;
  /** Presence days whose only check-in was a self-reported location. */
  selfReported: number;
  /** Presence days that count only through leave of the present class (公差, 培训, 会议). */
  presentLeave: number;
  /** Days not counted yet: a self-reported location waits for confirmation (up to today). */
  pending?: number;
}

export interface MonthFigures extends PresenceCount {
  month: string;
  /** The local date the figures are as of. */
  today: string;
  /** `past`: the month is over; `future`: it has not begun. */
  phase: 'past' | 'current' | 'future';
  target: MonthlyTarget;
  /** Days still open: from today (if not yet present) to month end, in the term, not off, not on leave away. */
  remaining: number;
  /** Presence days still needed; null while the target is pending. */
  needed: number | null;
  status: ForecastStatus;
  /** The month day by day, for the day line. */
  days: { date: string; mark: DayMark }[];
}

/**
 * The status of a forecast: nothing needed is on track; needing more than is open cannot be reached (this is
 * also how a closed month that fell short reads, with nothing open); needing more than `share` of the open
 * days is at risk.
 */
export function forecastStatus(needed: number, remaining: number, share: number): Exclude<ForecastStatus, 'pending'> {
  if (needed <= 0) return 'on-track';
  if (needed > remaining) return 'cannot-reach';
  if (needed > share * remaining) return 'at-risk';
  return 'on-track';
}

/**
 * Presence (and its kinds) and the open days over a cadre's day flags (`dayFlags`): `lt` days of the span are before today, `le` up to it. When
 * `open` is given, the indexes of the open days are written into it, in order.
 */
export function tallyFlags(
  span: CompiledSpan,
  f: DayFlags,
  lt: number,
  le: number,
  skipDaysOff: boolean,
  open?: Int32Array,
): PresenceCount & { remaining: number } {
  let present = 0;
  let selfReported = 0;
  let presentLeave = 0;
  let remaining = 0;
  let pending = 0;
  const { inTerm, checked, leave, half } = f;
  for (let i = 0; i < f.n; i++) {
    if (!inTerm[i]) continue;
    if (i < le && (checked[i] || leave[i] === PRESENT_LEAVE)) {
      present += 1;
      if (!checked[i]) presentLeave += 1;
      else if (f.self[i]) selfReported += 1;
    } else if (i < lt) {
      if (f.pending[i]) pending += 1;
    } else {
      if (i < le && f.pending[i]) pending += 1;
      const away = (leave[i] === EXCUSED_LEAVE || leave[i] === ABSENT_LEAVE) && !half[i];
      if (!away && !(skipDaysOff && span.off[i])) {
        if (open) open[remaining] = i;
        remaining += 1;
      }
    }
  }
  return { present, selfReported, presentLeave, pending, remaining };
}

/**
 * A cadre's figures for month `YYYY-MM` as of `env.now`. The target comes from `monthlyTarget` with the
 * month's excused leave days (planned ones included, as they are approved); the status compares the days
 * still needed with the open days and the policy's `warnings.remind.neededShare`.
 */
export function accountMonth(data: CadreAttendance, month: string, env: AccountingEnv): MonthFigures {
  const { today, cache } = resolveEnv(env);
  const span = cache.compiledMonth(month);
  const f = dayFlags(span, data, env.policy, cache.termMask(span, data.term));
  const excusedDates: string[] = [];
  const halfDates: string[] = [];
  if (f.anyLeave) {
    for (let i = 0; i < f.n; i++)
      if (f.leave[i] === EXCUSED_LEAVE) (f.half[i] ? halfDates : excusedDates).push(span.dates[i]!);
  }
  const target = cache.monthlyTarget(month, data.term, excusedDates, halfDates);
  const lt = datesBefore(span.dates, today, true);
  const le = datesBefore(span.dates, today, false);
  const counts = tallyFlags(span, f, lt, le, true);
  return countedMonth(month, today, counts, target, env.policy, dayCodes(span, f, lt, le));
}

/**
 * A month's figures from what was counted: the presence counts and open days, the target, and the day line as
 * codes (one character per day, `MARK_CODE`); the phase, the days needed and the status follow from them.
 */
export function countedMonth(
  month: string,
  today: string,
  counts: PresenceCount & { remaining: number },
  target: MonthlyTarget,
  policy: Policy,
  codes: string,
): MonthFigures {
  const phase = month < today.slice(0, 7) ? 'past' : month > today.slice(0, 7) ? 'future' : 'current';
  const needed = target.status === 'set' ? Math.max(0, target.target - counts.present) : null;
  const status =
    needed === null ? 'pending' : forecastStatus(needed, counts.remaining, policy.warnings.remind.neededShare);
  return new CountedMonth(month, today, phase, counts, target, needed, status, codes);
}

/**
 * Month figures as `accountMonth` counts them, with the day line kept compact until it is read. A county's
 * figures count every cadre's month day by day, but only the sheet and `我的考勤` show the days: an entry per
 * day per cadre for a whole county cost more in garbage collection than the counting. So the day line is kept
 * as one character per day (`dayCodes`) and `days` is made from it on first read. `days` is an own,
 * enumerable property like the others (spread, JSON, equality and assignment see an ordinary array), replaced
 * by that array once made. The roll-up reads the marks without making the entries (`eachMark`, `anyMarkBut`).
 */
class CountedMonth implements MonthFigures {
  // Declared in the order of the figures' fields (as JSON and a spread list them), assigned in the constructor.
  month: string;
  today: string;
  phase: MonthFigures['phase'];
  present: number;
  selfReported: number;
  presentLeave: number;
  pending: number | undefined;
  remaining: number;
  target: MonthlyTarget;
  needed: number | null;
  status: ForecastStatus;
  declare days: DayEntry[];
  /** The day line's codes until `days` is made. */
  #codes: string | undefined;

  constructor(
    month: string,
    today: string,
    phase: MonthFigures['phase'],
    counts: PresenceCount & { remaining: number },
    target: MonthlyTarget,
    needed: number | null,
    status: ForecastStatus,
    codes: string,
  ) {
    this.month = month;
    this.today = today;
    this.phase = phase;
    this.present = counts.present;
    this.selfReported = counts.selfReported;
    this.presentLeave = counts.presentLeave;
    this.pending = counts.pending;
    this.remaining = counts.remaining;
    this.target = target;
    this.needed = needed;
    this.status = status;
    this.#codes = codes;
    Object.defineProperty(this, 'days', CountedMonth.DAYS);
  }

  private static settle(m: CountedMonth, days: DayEntry[]): void {
    m.#codes = undefined;
    Object.defineProperty(m, 'days', { value: days, writable: true, enumerable: true, configurable: true });
  }

  private static readonly DAYS: PropertyDescriptor = {
    get(this: CountedMonth): DayEntry[] {
      const days = expandDays(this.month, this.#codes!);
      CountedMonth.settle(this, days);
      return days;
    },
    set(this: CountedMonth, days: DayEntry[]) {
      CountedMonth.settle(this, days);
    },
    enumerable: true,
    configurable: true,
  };

  /** The codes of figures whose day line is not made yet (undefined for any other figures). */
  static codesOf(m: MonthFigures): string | undefined {
    return m instanceof CountedMonth ? m.#codes : undefined;
  }
}

/** Each day of the figures' day line, in order, without making its entries when they are not made yet. */
export function eachMark(m: MonthFigures, fn: (date: string, mark: DayMark) => void): void {
  const codes = CountedMonth.codesOf(m);
  if (codes === undefined) for (const d of m.days) fn(d.date, d.mark);
  else eachCode(m.month, codes, fn);
}

/** Whether a day of the figures' day line has a mark other than `mark`. */
export function anyMarkBut(m: MonthFigures, mark: DayMark): boolean {
  const codes = CountedMonth.codesOf(m);
  if (codes === undefined) return m.days.some((d) => d.mark !== mark);
  const code = MARK_CODE[mark];
  for (let i = 0; i < codes.length; i++) if (codes.charCodeAt(i) !== code) return true;
  return false;
}
