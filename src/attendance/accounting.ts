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
  dayLine,
  type CadreAttendance,
  type CompiledSpan,
  type DayFlags,
  type DayMark,
} from './days.js';
import type { MonthlyTarget, TargetCalendar } from './targets.js';

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
  const phase = month < today.slice(0, 7) ? 'past' : month > today.slice(0, 7) ? 'future' : 'current';
  const needed = target.status === 'set' ? Math.max(0, target.target - counts.present) : null;
  const status =
    needed === null ? 'pending' : forecastStatus(needed, counts.remaining, env.policy.warnings.remind.neededShare);
  return {
    month,
    today,
    phase,
    ...counts,
    target,
    needed,
    status,
    days: dayLine(span, f, lt, le),
  };
}
