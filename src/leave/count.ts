/**
 * How many days a leave counts for the approval level and the per-type maximum (`policy.leave.countDays`, see
 * docs/rules.md): `calendar` every day, `net-of-days-off` every day but the official holiday days off, or
 * `working-days` the official working days only (make-up working days included). Half days count 0.5. Pure:
 * the holiday calendar comes in; a year it does not cover falls back to weekends alone, never to a guess of
 * holidays.
 */
import { addDays, eachDate, isWeekend } from '../kit/dates.js';
import type { LeaveDayCount } from '../policy/policy.js';

/** What the counting needs from the holiday calendar (`HolidayCalendar` is one). */
export interface DayCalendar {
  isDayOff(date: string): boolean | undefined;
  officialWorkdays(month: string): string[] | undefined;
}

/** A stretch of leave: dates `YYYY-MM-DD` inclusive, and whether it begins at noon or ends at noon. */
export interface LeaveSpan {
  start: string;
  end: string;
  halfStart?: boolean;
  halfEnd?: boolean;
}

/** Tells official working days apart, month by month (cached per call site). */
export function workdays(cal: DayCalendar): (date: string) => boolean {
  const months = new Map<string, Set<string> | undefined>();
  return (date) => {
    const month = date.slice(0, 7);
    if (!months.has(month)) {
      const list = cal.officialWorkdays(month);
      months.set(month, list && new Set(list));
    }
    const set = months.get(month);
    return set ? set.has(date) : !isWeekend(date);
  };
}

/** Whether a date counts as a leave day under `rule`. */
export function countsUnder(rule: LeaveDayCount, cal: DayCalendar): (date: string) => boolean {
  if (rule === 'calendar') return () => true;
  if (rule === 'net-of-days-off') return (date) => cal.isDayOff(date) !== true;
  return workdays(cal);
}

/** The share of `date` a span takes: 1, or 0.5 on a half day (0 when a one-day span is both halves). */
function share(s: LeaveSpan, date: string): number {
  const w = 1 - (s.halfStart && date === s.start ? 0.5 : 0) - (s.halfEnd && date === s.end ? 0.5 : 0);
  return Math.max(0, w);
}

export interface CountOptions {
  rule: LeaveDayCount;
  calendar: DayCalendar;
  /**
   * Also count the weekend and holiday days that alone lie between two spans (no working day between), as a
   * single leave over them would: so splitting a leave around a weekend never counts less than asking for it
   * at once. A gap with a working day in it was a day back at work, and its days off are not counted.
   */
  bridge?: boolean;
  /** Count only dates from `from` to `to` inclusive (a month). */
  from?: string;
  to?: string;
}

/** The dates of `spans` with the share each takes (a date under two spans takes the larger share). */
export function spanShares(spans: readonly LeaveSpan[], opts: Pick<CountOptions, 'bridge' | 'calendar'>) {
  const shares = new Map<string, number>();
  const sorted = [...spans].filter((s) => s.start <= s.end).sort((a, b) => a.start.localeCompare(b.start));
  for (const s of sorted) {
    for (const d of eachDate(s.start, s.end)) shares.set(d, Math.max(shares.get(d) ?? 0, share(s, d)));
  }
  if (opts.bridge) {
    const isWorkday = workdays(opts.calendar);
    let reach: string | undefined;
    for (const s of sorted) {
      if (reach !== undefined && addDays(reach, 1) < s.start) {
        const gap = eachDate(addDays(reach, 1), addDays(s.start, -1));
        if (!gap.some(isWorkday)) for (const d of gap) shares.set(d, 1);
      }
      if (reach === undefined || s.end > reach) reach = s.end;
    }
  }
  return shares;
}

/** The days `spans` count under the rule (0.5 steps). */
export function countDays(spans: readonly LeaveSpan[], opts: CountOptions): number {
  const counts = countsUnder(opts.rule, opts.calendar);
  let total = 0;
  for (const [date, w] of spanShares(spans, opts)) {
    if (opts.from !== undefined && date < opts.from) continue;
    if (opts.to !== undefined && date > opts.to) continue;
    if (counts(date)) total += w;
  }
  return total;
}

/** The official working days strictly between `a` and `b` (`a` before `b`). */
export function workdaysBetween(a: string, b: string, cal: DayCalendar): number {
  if (addDays(a, 1) > addDays(b, -1)) return 0;
  const isWorkday = workdays(cal);
  return eachDate(addDays(a, 1), addDays(b, -1)).filter(isWorkday).length;
}
