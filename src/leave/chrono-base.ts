/**
 * The building blocks the leave date parsers and refiners share: calendar days as year/month/day (`Ymd`), Chinese
 * numerals, the separators of ranges and lists, the tags and side tables that carry what chrono's components
 * cannot (a doubt, a bare lunar day, a list, a weekday label), and the rules for a date written without its year
 * or month. Pure; no clock.
 */
import type { ParsedComponents, ParsedResult, ParsingComponents, ParsingContext } from 'chrono-node';

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

const ZH_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** `25` → 25, `二十七` → 27, `十二` → 12, `两` → 2. */
export function zhNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let unit = 0;
  for (const ch of text) {
    if (ch === '十') {
      total += (unit || 1) * 10;
      unit = 0;
    } else if (ch === '廿') {
      total += 20;
      unit = 0;
    } else {
      unit = ZH_DIGIT[ch] ?? 0;
    }
  }
  return total + unit;
}

/** Range separators: `至`, `到`, `起至`, and every dash and tilde people type. */
// `致` is a common slip for `至`.
export const RANGE_SEPARATOR = '(?:起?[至致]|到|-|~|〜|—{1,2}|–|―|ー)';
/** Between two days of a list (`23、24日`, `周四周五`, `12月14日 12月15日`): read whole only when consecutive. */
export const LIST_SEPARATOR = '(?:[、，,和及与跟]|\\s)*';
// Only numbers that can be a month or a day match, so `38.5` (a temperature) is never read as 8 May.
export const MONTH = '1[0-2]|0?[1-9]';
export const DAY = '3[01]|[12]\\d|0?[1-9]';
export const TAG_BARE_WEEKDAY = 'zhucun/bareWeekday';
export const TAG_DOUBT = 'zhucun/doubt';
export const TAG_BARE_LUNAR = 'zhucun/bareLunar';
/** The lunar day of a bare `初六`, read once the start it follows is known. */
export const bareLunarDay = new WeakMap<ParsedComponents, number>();
/** The days of a list joined by `rangeRefiner`, checked for being consecutive by `resolveRefiner`. */
export const listItems = new WeakMap<ParsedResult, ParsedComponents[]>();
/** The weekday written after a date as its label (`12月14日（周一）`), chrono's numbering (Sunday = 0). */
export const weekdayLabel = new WeakMap<ParsedComponents, number>();

export const utcOf = (d: Ymd) => Date.UTC(d.year, d.month - 1, d.day);
export const DAY_MS = 86_400_000;

export function ymdFromUtc(ms: number): Ymd {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addDays(d: Ymd, n: number): Ymd {
  return ymdFromUtc(utcOf(d) + n * DAY_MS);
}

export function isRealDate(year: number, month: number, day: number): boolean {
  const d = ymdFromUtc(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && d.month === month && d.day === day;
}

/** The Shanghai day chrono is working from (see the module comment for why a local Date carries it). */
export function refYmd(context: ParsingContext): Ymd {
  const r = context.refDate;
  return { year: r.getFullYear(), month: r.getMonth() + 1, day: r.getDate() };
}

export function ymdOf(c: ParsedComponents): Ymd {
  return { year: c.get('year') ?? 0, month: c.get('month') ?? 0, day: c.get('day') ?? 0 };
}

export function setDate(c: ParsingComponents, d: Ymd, certain: boolean): void {
  for (const key of ['year', 'month', 'day'] as const) {
    if (certain) c.assign(key, d[key]);
    else if (!c.isCertain(key)) c.imply(key, d[key]);
  }
}

/**
 * A date the writer left open (no year, or no month) is the earliest candidate no more than a week in the past:
 * `20号` said on 22 November is 20 November, `3号` is 3 December, `1月5日` said in December is next January.
 */
export const RECENT_DAYS = 7;
export function nearest(candidates: Ymd[], today: Ymd): Ymd | undefined {
  const earliest = utcOf(today) - RECENT_DAYS * DAY_MS;
  return candidates.find((c) => isRealDate(c.year, c.month, c.day) && utcOf(c) >= earliest);
}

/**
 * A month and day without a year is the year that puts it closest to today (a tie goes forward): `11月10日` said
 * on 20 November is ten days ago, not next year, so a request too far in the past is refused as such rather than
 * quietly becoming a leave a year ahead; `1月5日` said in December is still next January.
 */
export function closestYear(month: number, day: number, today: Ymd): number | undefined {
  const t = utcOf(today);
  const real = [0, 1, -1]
    .map((n) => ({ year: today.year + n, month, day }))
    .filter((c) => isRealDate(c.year, c.month, c.day));
  real.sort((a, b) => Math.abs(utcOf(a) - t) - Math.abs(utcOf(b) - t) || utcOf(b) - utcOf(a));
  return real[0]?.year;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const iso = (d: Ymd) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;
