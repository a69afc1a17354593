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

/*
 * Fixed-offset arithmetic instead of the time-zone database. Asia/Shanghai has been UTC+8 without daylight
 * saving since 1991, so from 1992 on a local date or time is the UTC field of the instant plus 8 hours: no
 * dayjs objects, no Intl. The product never works with earlier instants, but the helpers stay right for them
 * anyway: anything before 1992-01-01 (or unreadable) goes the dayjs way. Month/day arithmetic on date strings
 * is plain day numbers (Howard Hinnant's civil-day algorithms), because accounting runs it for every check-in
 * and every cadre of a county.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** UTC+8, the Shanghai offset since 1991. */
const OFFSET_MS = 8 * HOUR_MS;
/** 1992-01-01 00:00 Shanghai: from here on the fixed offset is the time-zone database's answer. */
const FIXED_FROM_MS = Date.UTC(1992, 0, 1) - OFFSET_MS;
/** 10000-01-01 00:00 Shanghai: the end of four-digit years, where dayjs formats on its own. */
const FIXED_UNTIL_MS = Date.UTC(9999, 11, 31) + DAY_MS - OFFSET_MS;
/** Day numbers (days since 1970-01-01) of 1000-01-01 and 9999-12-31: the four-digit years of date strings. */
const FIRST_DAY = -354_285;
const LAST_DAY = 2_932_896;

/** `00` … `59`: two-digit fields without padStart. */
const TWO = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

const MONTH_LENGTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function monthLength(y: number, m: number): number {
  return m === 2 && daysInYear(y) === 366 ? 29 : MONTH_LENGTH[m - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** `YYYY-MM-DD` of a day number (years 1000–9999). */
function dateOfDayNumber(n: number): string {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${TWO[m]}-${TWO[d]}`;
}

/**
 * The day number of a real calendar date written `YYYY-MM-DD` with a year from 1000, else NaN: the caller then
 * takes the dayjs way, which reads every other shape (and rolls 31 February over) as before.
 */
function parseDay(date: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return NaN;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = date.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    y = y * 10 + c;
  }
  const m1 = date.charCodeAt(5) - 48;
  const m2 = date.charCodeAt(6) - 48;
  const d1 = date.charCodeAt(8) - 48;
  const d2 = date.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return NaN;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (y < 1000 || m < 1 || m > 12 || d < 1 || (d > 28 && d > monthLength(y, m))) return NaN;
  return dayNumber(y, m, d);
}

/** Epoch milliseconds moved to Shanghai wall-clock time (UTC+8), or undefined outside the fixed-offset range. */
function shanghai(at: Date): number | undefined {
  const ms = at.getTime();
  return ms >= FIXED_FROM_MS && ms < FIXED_UNTIL_MS ? ms + OFFSET_MS : undefined;
}

// The date of the last instant asked: the updates of a day all ask for the same one.
let lastDay = NaN;
let lastDate = '';

function localDateOfShifted(shifted: number): string {
  const day = Math.floor(shifted / DAY_MS);
  if (day !== lastDay) {
    lastDate = dateOfDayNumber(day);
    lastDay = day;
  }
  return lastDate;
}

function localTimeOfShifted(shifted: number): string {
  const msOfDay = shifted - Math.floor(shifted / DAY_MS) * DAY_MS;
  const minutes = Math.floor(msOfDay / 60_000);
  return `${TWO[Math.floor(minutes / 60)]}:${TWO[minutes % 60]}`;
}

/** The Shanghai date of an instant. */
export function localDate(at: Date): string {
  const s = shanghai(at);
  return s === undefined ? dayjs(at).tz(TZ).format('YYYY-MM-DD') : localDateOfShifted(s);
}

/** The Shanghai month of an instant, `YYYY-MM`. */
export function localMonth(at: Date): string {
  const s = shanghai(at);
  return s === undefined ? dayjs(at).tz(TZ).format('YYYY-MM') : localDateOfShifted(s).slice(0, 7);
}

/** Shanghai wall-clock time `HH:mm`. */
export function localTime(at: Date): string {
  const s = shanghai(at);
  return s === undefined ? dayjs(at).tz(TZ).format('HH:mm') : localTimeOfShifted(s);
}

/** Shanghai date and time `YYYY-MM-DD HH:mm`. */
export function localDateTime(at: Date): string {
  const s = shanghai(at);
  return s === undefined
    ? dayjs(at).tz(TZ).format('YYYY-MM-DD HH:mm')
    : `${localDateOfShifted(s)} ${localTimeOfShifted(s)}`;
}

/** True when an instant is read with the fixed UTC+8 offset here (1992 to year 9999), not through dayjs. */
export function onFixedOffset(at: Date): boolean {
  return shanghai(at) !== undefined;
}

/** 0-based day of the year of a `YYYY-MM-DD` date (1 January = 0): the bit index in presence bitmaps. */
export function dayOfYear(date: string): number {
  const n = parseDay(date);
  if (n !== n) {
    const d = dayjs.utc(date);
    return d.diff(dayjs.utc(`${d.year()}-01-01`), 'day');
  }
  return n - dayNumber(Number(date.slice(0, 4)), 1, 1);
}

/** The `YYYY-MM-DD` date of a 0-based day of the year. */
export function dateOfDay(year: number, index: number): string {
  if (Number.isInteger(year) && year >= 1000 && year <= 9999 && Number.isInteger(index)) {
    const n = dayNumber(year, 1, 1) + index;
    if (n >= FIRST_DAY && n <= LAST_DAY) return dateOfDayNumber(n);
  }
  return dayjs.utc(`${year}-01-01`).add(index, 'day').format('YYYY-MM-DD');
}

/** Every date from `start` to `end` inclusive (`YYYY-MM-DD`). */
export function eachDate(start: string, end: string): string[] {
  const out: string[] = [];
  const a = parseDay(start);
  const b = parseDay(end);
  if (a === a && b === b) {
    for (let n = a; n <= b; n++) out.push(dateOfDayNumber(n));
    return out;
  }
  for (let d = dayjs.utc(start); !d.isAfter(dayjs.utc(end)); d = d.add(1, 'day')) out.push(d.format('YYYY-MM-DD'));
  return out;
}

/** Days in a `YYYY-MM` month. */
export function daysInMonth(month: string): number {
  const n = parseDay(`${month}-01`);
  return n !== n
    ? dayjs.utc(`${month}-01`).daysInMonth()
    : monthLength(Number(month.slice(0, 4)), Number(month.slice(5)));
}

/** Whole days from `a` to `b` (`YYYY-MM-DD`), positive when b is later. */
export function daysBetween(a: string, b: string): number {
  const x = parseDay(a);
  const y = parseDay(b);
  return x === x && y === y ? y - x : dayjs.utc(b).diff(dayjs.utc(a), 'day');
}

/** `YYYY-MM-DD` plus n days. */
export function addDays(date: string, n: number): string {
  const d = parseDay(date);
  if (d === d && Number.isInteger(n)) {
    const r = d + n;
    if (r >= FIRST_DAY && r <= LAST_DAY) return dateOfDayNumber(r);
  }
  return dayjs.utc(date).add(n, 'day').format('YYYY-MM-DD');
}

/** The instant of Shanghai midnight starting a date. */
export function startOfLocalDay(date: string): Date {
  const n = parseDay(date);
  const ms = n * DAY_MS - OFFSET_MS;
  return ms >= FIXED_FROM_MS && ms < FIXED_UNTIL_MS ? new Date(ms) : dayjs.tz(date, TZ).toDate();
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

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
