/**
 * Lunar (农历) dates for leave requests — `腊月二十八`, `正月初六`, `除夕` — turned into calendar dates with the
 * `chinese-days` package. The package answers for any year without complaint, even beyond the years its
 * table covers and for a day a month does not have (`二月三十`), so every answer is converted back and kept
 * only when it names the same lunar day: anything else is left unread and becomes a question.
 */
import chineseDays from 'chinese-days';

/** A lunar month and day; `day: 'last'` is the month's last day (除夕 is the last day of 腊月). */
export interface LunarDay {
  month: number;
  day: number | 'last';
}

/** The calendar date (`YYYY-MM-DD`) of a lunar day in lunar year `year`, or undefined when there is none. */
export function solarOfLunar(year: number, want: LunarDay): string | undefined {
  if (want.month < 1 || want.month > 12) return undefined;
  const day = want.day === 'last' ? chineseDays.monthDays(year, want.month) : want.day;
  if (!Number.isInteger(day) || day < 1 || day > 30) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  const { date } = chineseDays.getSolarDateFromLunar(`${year}-${pad(want.month)}-${pad(day)}`);
  const back = chineseDays.getLunarDate(date);
  const same = back.lunarYear === year && back.lunarMon === want.month && back.lunarDay === day && !back.isLeap;
  return same ? date : undefined;
}

/** The lunar year, month and day of a calendar date (`YYYY-MM-DD`). */
export function lunarOf(date: string): { year: number; month: number; day: number } {
  const l = chineseDays.getLunarDate(date);
  return { year: l.lunarYear, month: l.lunarMon, day: l.lunarDay };
}

/**
 * The coming occurrence of a lunar day seen from `today`: the earliest, in the lunar years around today's, that
 * is not before `earliest` (`YYYY-MM-DD`). Undefined when no year of the package's table has it.
 */
export function comingLunar(want: LunarDay, today: string, earliest: string): string | undefined {
  const year = lunarOf(today).year;
  for (const y of [year - 1, year, year + 1]) {
    const date = solarOfLunar(y, want);
    if (date && date >= earliest) return date;
  }
  return undefined;
}

/**
 * The first date on or after `from` that is lunar day `day` (`腊月二十八到初六`: 初六 is the 正月初六 after the
 * start), looked for in the start's lunar month and the next one.
 */
export function lunarDayFrom(from: string, day: number): string | undefined {
  const l = lunarOf(from);
  const next = l.month === 12 ? { y: l.year + 1, m: 1 } : { y: l.year, m: l.month + 1 };
  for (const [y, m] of [[l.year, l.month] as const, [next.y, next.m] as const]) {
    const date = solarOfLunar(y, { month: m, day });
    if (date && date >= from) return date;
  }
  return undefined;
}
