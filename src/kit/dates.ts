/**
 * Asia/Shanghai calendar dates. Everything in the domain is keyed by the local date string `YYYY-MM-DD`;
 * these helpers are the one place that turns instants into such strings, whatever the process's TZ is.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TZ = 'Asia/Shanghai';

export { dayjs };

/** The Shanghai date of an instant. */
export function localDate(at: Date): string {
  return dayjs(at).tz(TZ).format('YYYY-MM-DD');
}

/** The Shanghai month of an instant, `YYYY-MM`. */
export function localMonth(at: Date): string {
  return dayjs(at).tz(TZ).format('YYYY-MM');
}

/** Shanghai wall-clock time `HH:mm`. */
export function localTime(at: Date): string {
  return dayjs(at).tz(TZ).format('HH:mm');
}

/** 0-based day of the year of a `YYYY-MM-DD` date (1 January = 0): the bit index in presence bitmaps. */
export function dayOfYear(date: string): number {
  const d = dayjs.utc(date);
  return d.diff(dayjs.utc(`${d.year()}-01-01`), 'day');
}

/** The `YYYY-MM-DD` date of a 0-based day of the year. */
export function dateOfDay(year: number, index: number): string {
  return dayjs.utc(`${year}-01-01`).add(index, 'day').format('YYYY-MM-DD');
}

/** Every date from `start` to `end` inclusive (`YYYY-MM-DD`). */
export function eachDate(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = dayjs.utc(start); !d.isAfter(dayjs.utc(end)); d = d.add(1, 'day')) out.push(d.format('YYYY-MM-DD'));
  return out;
}

/** Days in a `YYYY-MM` month. */
export function daysInMonth(month: string): number {
  return dayjs.utc(`${month}-01`).daysInMonth();
}

/** Whole days from `a` to `b` (`YYYY-MM-DD`), positive when b is later. */
export function daysBetween(a: string, b: string): number {
  return dayjs.utc(b).diff(dayjs.utc(a), 'day');
}

/** `YYYY-MM-DD` plus n days. */
export function addDays(date: string, n: number): string {
  return dayjs.utc(date).add(n, 'day').format('YYYY-MM-DD');
}

/** The instant of Shanghai midnight starting a date. */
export function startOfLocalDay(date: string): Date {
  return dayjs.tz(date, TZ).toDate();
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2025-02-30 and 2025-2-1). */
export function isDateString(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Split `YYYY-MM` into year and month (1–12); throws RangeError on anything else. */
export function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH_RE.exec(month);
  const mm = m ? Number(m[2]) : 0;
  if (!m || mm < 1 || mm > 12) throw new RangeError(`not a month (YYYY-MM): ${JSON.stringify(month)}`);
  return { year: Number(m[1]), month: mm };
}

/** `YYYY-MM` of a year and a month number (1–12). */
export function monthKey(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/**
 * The same day `years` years later; 29 February becomes 28 February in a common year, so a term that starts
 * on a leap day still has term years of 365 or 366 days.
 */
export function addYears(date: string, years: number): string {
  const y = String(Number(date.slice(0, 4)) + years).padStart(4, '0');
  const candidate = `${y}${date.slice(4)}`;
  return isDateString(candidate) ? candidate : `${y}-02-28`;
}

/**
 * Every date of a month `YYYY-MM`, in order; throws RangeError for a malformed month. Plain UTC arithmetic
 * rather than dayjs, because targets and forecasts call it for every cadre of a county.
 */
export function monthDates(month: string): string[] {
  const { year, month: m } = parseMonth(month);
  const n = new Date(Date.UTC(year, m, 0)).getUTCDate();
  const first = Date.UTC(year, m - 1, 1);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(new Date(first + i * DAY_MS).toISOString().slice(0, 10));
  return out;
}

/** Day of the week of a `YYYY-MM-DD` date: 0 Sunday … 6 Saturday, whatever the process time zone. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** True on Saturday and Sunday. */
export function isWeekend(date: string): boolean {
  const d = weekday(date);
  return d === 0 || d === 6;
}

/** Number of days in a calendar year. */
export function daysInYear(year: number): number {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 366 : 365;
}
