/**
 * The one date style of every card, reply and digest: `12月6日`, `12月6日 周日`, `12月6日 09:30`, and spans
 * `12月6日至8日` / `12月30日至1月2日`. The year is written only when it is not the year of `today`.
 */
import { dayjs, localDateTime, onFixedOffset, TZ, weekday } from './dates.js';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

function parts(date: string): { y: number; m: number; d: number } {
  return { y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), d: Number(date.slice(8, 10)) };
}

/** `12月6日` (`2027年1月2日` when `today` is given and in another year). */
export function dayLabel(date: string, today?: string): string {
  const { y, m, d } = parts(date);
  const year = today !== undefined && today.slice(0, 4) !== date.slice(0, 4) ? `${y}年` : '';
  return `${year}${m}月${d}日`;
}

/** `周一` for a weekday index (0 = Sunday, as `Date.getDay` and cron count). */
export function weekdayName(index: number): string {
  return WEEKDAYS[index]!;
}

/** `周日` for a `YYYY-MM-DD` date. */
export function weekdayLabel(date: string): string {
  return WEEKDAYS[weekday(date)]!;
}

/** `12月6日 周日`. */
export function dayWeekLabel(date: string, today?: string): string {
  return `${dayLabel(date, today)} ${weekdayLabel(date)}`;
}

/** `12月6日至8日`, `12月30日至1月2日`, or one day when `start` is `end`. */
export function spanLabel(start: string, end: string, today?: string): string {
  if (start === end) return dayLabel(start, today);
  const a = parts(start);
  const b = parts(end);
  // A span across years whose start carries its year carries the end's too (2026年4月28日至2027年4月27日).
  const startYearShown = today !== undefined && today.slice(0, 4) !== start.slice(0, 4);
  const tail =
    a.y === b.y && a.m === b.m
      ? `${b.d}日`
      : a.y === b.y
        ? `${b.m}月${b.d}日`
        : startYearShown
          ? `${b.y}年${b.m}月${b.d}日`
          : dayLabel(end, today ?? start);
  return `${dayLabel(start, today)}至${tail}`;
}

/** An ISO instant with its offset, as stored (`2026-12-06T01:30:00.000Z`, `…+08:00`). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * `12月6日 09:30` for an instant (Asia/Shanghai). A `Date` or an ISO instant goes through the fixed-offset
 * `localDateTime`; any other string (no offset, a bare date) is read by dayjs as before.
 */
export function momentLabel(at: Date | string): string {
  const instant = typeof at === 'string' ? (ISO_INSTANT.test(at) ? new Date(at) : undefined) : at;
  if (instant === undefined || !onFixedOffset(instant)) return dayjs(at).tz(TZ).format('M月D日 HH:mm');
  const dt = localDateTime(instant);
  return `${Number(dt.slice(5, 7))}月${Number(dt.slice(8, 10))}日 ${dt.slice(11)}`;
}

/** `2026年12月` for a `YYYY-MM` month. */
export function monthLabel(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/** `2026年4月28日`: a date whose year matters (a term, a year's period, the day a sheet was made). */
export function fullDayLabel(date: string): string {
  const { y, m, d } = parts(date);
  return `${y}年${m}月${d}日`;
}

/** `11月` for a `YYYY-MM` month of the current year. */
export function shortMonthLabel(month: string): string {
  return `${Number(month.slice(5, 7))}月`;
}
