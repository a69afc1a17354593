/**
 * The half years of 积分 (docs/rules.md, 积分). They are divided as the visiting obligations divide them
 * (`visits.halfYear`): by default six months at a time from the cadre's term start (`term`), or 1 January–30 June
 * and 1 July–31 December (`calendar`), cut to the term either way. A half year is named by the calendar half it
 * starts in (`2026H2`): six-month periods start exactly once in every calendar half, so the name is never
 * ambiguous. Pure.
 */
import { addDays, isDateString } from '../kit/dates.js';
import { halfYears, type HalfYearAlignment, type Period } from '../visits/obligations.js';

export type { HalfYearAlignment, Period } from '../visits/obligations.js';

/** A half year's name: the year and the calendar half (1: January–June, 2: July–December) it starts in. */
export interface HalfName {
  year: number;
  half: 1 | 2;
}

const NAME = /^(\d{4})\s*[Hh]([12])$/;

/** `2026H2` → { year: 2026, half: 2 }, or undefined. */
export function parseHalfName(text: string): HalfName | undefined {
  const m = NAME.exec(text.normalize('NFKC').trim());
  if (!m) return undefined;
  return { year: Number(m[1]), half: Number(m[2]) as 1 | 2 };
}

export function halfNameLabel(h: HalfName): string {
  return `${h.year}H${h.half}`;
}

/** The calendar half of a date. */
export function calendarHalfOf(date: string): HalfName {
  return { year: Number(date.slice(0, 4)), half: Number(date.slice(5, 7)) <= 6 ? 1 : 2 };
}

function calendarSpan(h: HalfName): Period {
  return h.half === 1
    ? { start: `${h.year}-01-01`, end: `${h.year}-06-30` }
    : { start: `${h.year}-07-01`, end: `${h.year}-12-31` };
}

/** A cadre's half year: its name and its days (cut to the term). */
export interface CadreHalf {
  name: HalfName;
  period: Period;
}

/** The cadre's half year named `h` under the alignment, or undefined when none of the term falls in it. */
export function cadreHalf(term: Period, h: HalfName, alignment: HalfYearAlignment): CadreHalf | undefined {
  const span = calendarSpan(h);
  const found = halfYears(term, alignment).find((p) => span.start <= p.start && p.start <= span.end);
  return found ? { name: h, period: found } : undefined;
}

/** The cadre's half year that contains `date` (the first one before the term, the last one after it). */
export function cadreHalfOn(term: Period, date: string, alignment: HalfYearAlignment): CadreHalf {
  if (!isDateString(date)) throw new RangeError(`not a date: ${date}`);
  const all = halfYears(term, alignment);
  const p = all.find((x) => x.start <= date && date <= x.end) ?? (date < term.start ? all[0] : all.at(-1));
  const period = p ?? { start: term.start, end: term.end < term.start ? term.start : term.end };
  return { name: calendarHalfOf(period.start), period };
}

/** The days of a half year up to `today` (the whole half when it is over); undefined before it starts. */
export function soFar(p: Period, today: string): Period | undefined {
  if (today < p.start) return undefined;
  return { start: p.start, end: p.end < today ? p.end : today };
}

/** The day before `date`. */
export const dayBefore = (date: string): string => addDays(date, -1);
