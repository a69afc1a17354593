/**
 * Attendance targets: how many presence days a cadre owes in a month and in a year. Pure: the term, the
 * excused leave dates, the holiday calendar and the policy come in as data; nothing reads Redis or the clock.
 *
 * Every result carries its reasons (days off, excused days, days outside the term) so that a person can be
 * told why their target is what it is. A month of a year without an announced holiday notice has no target:
 * the result is `pending` (待定), under every rule, so the screens and the warning ladder treat a year without
 * data the same way whatever the county chose.
 */
import { addDays, addYears, daysBetween, monthDates, parseMonth } from '../kit/dates.js';
import type { AnnualPeriod, MonthlyRule, Policy } from '../policy/policy.js';

/**
 * A cadre's term, both dates included (`YYYY-MM-DD`). `spans`, when given, are the runs of days the cadre was
 * in post (their assignments, src/roster/assignments.ts): a day of the term outside every span counts as
 * outside the term, so a cadre replaced, recalled or moved away mid-month owes only their days in post.
 */
export interface Term {
  start: string;
  end: string;
  spans?: readonly { start: string; end: string }[];
}

/** Whether `date` counts for the term: inside it, and inside one of its spans when it has any. */
export function inTerm(term: Term, date: string): boolean {
  if (date < term.start || date > term.end) return false;
  return !term.spans || term.spans.some((s) => date >= s.start && date <= s.end);
}

/** Days from `from` to `to` (both included) that count for the term. */
function termDaysBetween(term: Term, from: string, to: string): number {
  const spans = term.spans ?? [{ start: term.start, end: term.end }];
  let n = 0;
  for (const s of spans) {
    const a = s.start > from ? s.start : from;
    const b = s.end < to ? s.end : to;
    if (a <= b) n += daysBetween(a, b) + 1;
  }
  return n;
}

/** What targets need from the holiday calendar (`HolidayCalendar` fits). */
export interface TargetCalendar {
  isYearCovered(year: number): boolean;
  isDayOff(date: string): boolean | undefined;
}

/** A monthly target, with the counts behind it: outside + off + excused + eligible = days in month. */
export interface MonthlyTargetSet {
  status: 'set';
  month: string;
  rule: MonthlyRule;
  minimum: number;
  target: number;
  daysInMonth: number;
  /** Days of the month before the term starts or after it ends. */
  daysOutsideTerm: number;
  /** Days off inside the term (a day off that is also a leave day counts here only). */
  daysOff: number;
  /** Excused leave days inside the term that are not days off. */
  excusedDays: number;
  /**
   * Days of the term, neither off nor excused whole, with an excused half-day leave: each lowers the target by
   * half a day before rounding up. They are counted among the eligible days too (half of each day is). Left
   * out when there are none.
   */
  excusedHalfDays?: number;
  /** Days in the term that are neither days off nor excused. */
  eligibleDays: number;
}

/** No target yet: the month's year has no holiday data (待定). */
export interface MonthlyTargetPending {
  status: 'pending';
  month: string;
  reason: 'no-holiday-data';
  year: number;
}

export type MonthlyTarget = MonthlyTargetSet | MonthlyTargetPending;

/**
 * Input of `monthlyTarget`. `excusedDates` are the dates of approved leave whose type is excused;
 * `excusedHalfDates` the dates such a leave covers only half of (a 上午 or 下午, under `leave.halfDays`).
 */
export interface MonthlyTargetInput {
  month: string;
  term: Term;
  excusedDates?: Iterable<string>;
  excusedHalfDates?: Iterable<string>;
  calendar: TargetCalendar;
  policy: Pick<Policy, 'monthly'>;
}

/** ceil(a × b / c) in whole numbers. */
function ceilShare(a: number, b: number, c: number): number {
  return Math.floor((a * b + c - 1) / c);
}

function checkTerm(term: Term): void {
  if (daysBetween(term.start, term.end) < 0)
    throw new RangeError(`term ends (${term.end}) before it starts (${term.start})`);
}

/**
 * The target of one month for one cadre. Each day of the month is counted once, in the first class that
 * fits: outside the term, day off, excused leave, eligible. Then, with m the policy minimum and D the days
 * of the month:
 * - `prorate`: ceil(m × (eligible − ½ × excused half days) / D);
 * - `subtract`: ceil(ceil(m × days in term / D) − days off − excused days − ½ × excused half days), at least 0
 *   (the term share is prorated
 *   first, so a cadre arriving on the 28th is not asked for 22 days; a full month gives m − off − excused);
 * - `fixed`: ceil(m × days in term / D), ignoring holidays and leave (prorated only for a partial term).
 */
export function monthlyTarget(input: MonthlyTargetInput): MonthlyTarget {
  const { month, term, calendar, policy } = input;
  checkTerm(term);
  const { year } = parseMonth(month);
  if (!calendar.isYearCovered(year)) return { status: 'pending', month, reason: 'no-holiday-data', year };

  const excused = new Set(input.excusedDates ?? []);
  const halves = new Set(input.excusedHalfDates ?? []);
  const dates = monthDates(month);
  let daysOutsideTerm = 0;
  let daysOff = 0;
  let excusedDays = 0;
  let excusedHalfDays = 0;
  for (const date of dates) {
    if (!inTerm(term, date)) daysOutsideTerm += 1;
    else if (calendar.isDayOff(date)) daysOff += 1;
    else if (excused.has(date)) excusedDays += 1;
    else if (halves.has(date)) excusedHalfDays += 1;
  }
  const daysInMonth = dates.length;
  const daysInTerm = daysInMonth - daysOutsideTerm;
  const eligibleDays = daysInTerm - daysOff - excusedDays;
  const { minimum, rule } = policy.monthly;
  let target: number;
  // Counted in half days so that a half stays exact until the one rounding up.
  if (rule === 'prorate') target = ceilShare(minimum, 2 * eligibleDays - excusedHalfDays, 2 * daysInMonth);
  else if (rule === 'subtract') {
    const halfDaysLeft = 2 * (ceilShare(minimum, daysInTerm, daysInMonth) - daysOff - excusedDays) - excusedHalfDays;
    target = Math.max(0, Math.ceil(halfDaysLeft / 2));
  } else target = ceilShare(minimum, daysInTerm, daysInMonth);
  return {
    status: 'set',
    month,
    rule,
    minimum,
    target,
    daysInMonth,
    daysOutsideTerm,
    daysOff,
    excusedDays,
    ...(excusedHalfDays ? { excusedHalfDays } : {}),
    eligibleDays,
  };
}

/** An annual target and the period it covers. */
export interface AnnualTarget {
  status: 'set';
  period: { kind: AnnualPeriod; start: string; end: string };
  minimum: number;
  target: number;
  periodDays: number;
  /** Days of the period inside the term. */
  termDays: number;
  /** Days of approved excused leave (病假, 产假 …) in the period and inside the term: they lower the target. */
  excusedDays: number;
  /**
   * Years of the period without holiday data. The annual formula does not use holidays, so the target
   * stands; callers that forecast month by month (the annual pace) pause for these years.
   */
  uncoveredYears: number[];
}

/**
 * Input of `annualTarget`: `at` is any date inside the wanted period; `period` overrides the policy's.
 * `excusedDates` are the dates of approved leave whose type is excused; those outside the period or the
 * term are ignored.
 */
export interface AnnualTargetInput {
  term: Term;
  at: string;
  period?: AnnualPeriod;
  excusedDates?: Iterable<string>;
  calendar?: Pick<TargetCalendar, 'isYearCovered'>;
  policy: Pick<Policy, 'annual'>;
}

/**
 * The period containing `at`: a term year runs from the term start (or its anniversary) for one year; a
 * calendar year from 1 January. A date before the term start belongs to the first term year.
 */
export function annualPeriod(term: Term, at: string, kind: AnnualPeriod): { start: string; end: string } {
  if (kind === 'calendar') return { start: `${at.slice(0, 4)}-01-01`, end: `${at.slice(0, 4)}-12-31` };
  let k = 0;
  while (at >= addYears(term.start, k + 1)) k += 1;
  return { start: addYears(term.start, k), end: addDays(addYears(term.start, k + 1), -1) };
}

/**
 * The annual target = ceil(minimum × (term days in the period − excused days) / days in the period). With the
 * default term year a full one-year term without excused leave gives the minimum (250); a calendar year the
 * term only partly covers gives its share. Excused leave lowers it like days outside the term, as it lowers
 * the monthly target (docs/rules.md): a cadre on 158 days of 产假 is not asked for days they may not be present.
 * Holidays do not: 250 of 365 days already leaves room for them.
 */
export function annualTarget(input: AnnualTargetInput): AnnualTarget {
  const { term, at, policy } = input;
  checkTerm(term);
  const kind = input.period ?? policy.annual.period;
  const { start, end } = annualPeriod(term, at, kind);
  const periodDays = daysBetween(start, end) + 1;
  const from = term.start > start ? term.start : start;
  const to = term.end < end ? term.end : end;
  const termDays = termDaysBetween(term, from, to);
  let excusedDays = 0;
  for (const date of new Set(input.excusedDates ?? []))
    if (date >= from && date <= to && inTerm(term, date)) excusedDays += 1;
  const years: number[] = [];
  for (let y = Number(start.slice(0, 4)); y <= Number(end.slice(0, 4)); y++) years.push(y);
  const uncoveredYears = input.calendar ? years.filter((y) => !input.calendar!.isYearCovered(y)) : [];
  const minimum = policy.annual.minimum;
  const target = ceilShare(minimum, termDays - excusedDays, periodDays);
  return {
    status: 'set',
    period: { kind, start, end },
    minimum,
    target,
    periodDays,
    termDays,
    excusedDays,
    uncoveredYears,
  };
}
