/**
 * The custom chrono parsers for the ways cadres write leave dates that chrono's Chinese parsers miss or misread:
 * weeks from Monday (`下周一`, `下下周一`, `下周二三`), a bare day (`25号`), two bare days (`14-15号`, `23、24号`),
 * dotted and slashed dates (`12.1-12.3`), lunar dates (`腊月二十八`, `除夕`), spoken days (`后儿个`) and two days
 * at once (`今明两天`).
 */
import type { Parser } from 'chrono-node';
import {
  addDays,
  DAY,
  MONTH,
  RANGE_SEPARATOR,
  RECENT_DAYS,
  TAG_BARE_LUNAR,
  TAG_BARE_WEEKDAY,
  TAG_DOUBT,
  bareLunarDay,
  iso,
  nearest,
  refYmd,
  setDate,
  ymdFromUtc,
  zhNumber,
} from './chrono-base.js';
import { comingLunar, type LunarDay } from './lunar.js';

/**
 * Weekdays counted in weeks that start on Monday, as Chinese calendars do. chrono counts from Sunday, which on a
 * Sunday makes `下周一` eight days away; here, on Sunday 22 November, `本周五`/`这周五` is 20 November (the week
 * ending today), `下周一` is 23 November, `下下周一` 30 November, and a bare `周五` is the next Friday from today
 * (today included). A second weekday numeral continues it: `下周二三` and `周二到四` are ranges, while a list
 * that is not two days in a row (`周二四`, `周二、四`) is a doubt.
 */
const WD = '[一二三四五六日天1-7]';
export const weekdayParser: Parser = {
  pattern: () =>
    new RegExp(
      `(下下|上上|本|这|下|上)?(?:个)?(?:星期|礼拜|周)(${WD})(?:(到|至|致|-|~|、|和)?([一二三四五六日天])(?![天个日号月点]))?`,
    ),
  extract(context, match) {
    const wdOf = (c: string) => ('日天'.includes(c) || c === '7' ? 6 : zhNumber(c) - 1); // Monday = 0
    const wd = wdOf(match[2]);
    const today = refYmd(context);
    const todayWd = (context.refDate.getDay() + 6) % 7;
    const result = context.createParsingResult(match.index ?? 0, match[0]);
    result.start.assign('weekday', (wd + 1) % 7);
    const prefix = match[1];
    const shifts: Record<string, number> = { 下下: 14, 上上: -14, 下: 7, 上: -7 };
    const first = prefix
      ? addDays(today, wd - todayWd + (shifts[prefix] ?? 0))
      : addDays(today, (wd - todayWd + 7) % 7);
    setDate(result.start, first, prefix !== undefined);
    if (!prefix) result.addTag(TAG_BARE_WEEKDAY);
    if (match[4]) {
      const gap = (wdOf(match[4]) - wd + 7) % 7;
      result.end = context.createParsingComponents();
      setDate(result.end, addDays(first, gap), true);
      const isRange = match[3] !== undefined && !'、和'.includes(match[3]);
      if (!isRange && gap !== 1) result.addTag(TAG_DOUBT);
    }
    return result;
  },
};

/**
 * A day of the month alone: `25号`, `27日`, `二十七日`. Not after 请/休/共/假 and not before 假 (`请三日假` is a
 * length), nor before a word that makes it a number plate (`3号楼`).
 */
export const dayOfMonthParser: Parser = {
  pattern: () =>
    new RegExp(`(?<![请休共计连假\\d])(${DAY}|[一二三四五六七八九十廿]{1,3})\\s*[日号](?![假楼线门床房院车库馆位])`),
  extract(context, match) {
    const day = zhNumber(match[1]);
    const today = refYmd(context);
    const candidates = [-1, 0, 1, 2].map((n) => {
      const first = ymdFromUtc(Date.UTC(today.year, today.month - 1 + n, 1));
      return { ...first, day };
    });
    // `三十五号` matches but is no day: kept as an impossible date, which chrono's filter then drops.
    const date = nearest(candidates, today) ?? today;
    const result = context.createParsingResult(match.index ?? 0, match[0]);
    result.start.assign('day', day);
    result.start.imply('month', date.month);
    result.start.imply('year', date.year);
    return result;
  },
};

/**
 * Dotted and slashed dates, alone or as a range: `12.1`, `2026/12/1`, `12.1-12.3`, `11/25-11/27`, `11/25-27`.
 * A number followed by 天/个/小时 is a quantity (`1.5天`), not a date.
 */
export const numericParser: Parser = {
  pattern: () =>
    new RegExp(
      `(?<![\\d./])(?:(\\d{4})[./])?(${MONTH})[./](${DAY})` +
        `(?:\\s*${RANGE_SEPARATOR}\\s*(?:(${MONTH})[./])?(${DAY}))?` +
        '(?![\\d./]|\\s*(?:天|个|小时|%|元|万|公里|千米|米|斤|公斤|克|度|岁|分|倍))\\s*[日号]?',
    ),
  extract(context, match) {
    const [, year, month, day, endMonth, endDay] = match;
    const result = context.createParsingResult(match.index ?? 0, match[0].trimEnd());
    result.start.assign('month', Number(month));
    result.start.assign('day', Number(day));
    if (year) result.start.assign('year', Number(year));
    if (endDay) {
      result.end = context.createParsingComponents({ day: Number(endDay) });
      if (endMonth) result.end.assign('month', Number(endMonth));
    }
    // An impossible date (`11.31`) is still returned and dropped later by `choose`: returning nothing would make
    // chrono retry one character on and read `1.31` as 31 January.
    return result;
  },
};

/**
 * Two bare days of the month: a range `14-15号`, `14到15号`, `十四至十五日`, or a list `23、24号` (one span only
 * when consecutive, see `resolveRefiner`). Not after a month or a digit, which other parsers read.
 */
const ZH_DAY = '[一二三四五六七八九十廿]{1,3}';
export const bareDaysParser: Parser = {
  pattern: () =>
    new RegExp(
      `(?<![\\d.月/\\-〇零一二两三四五六七八九十廿])(${DAY}|${ZH_DAY})\\s*[日号]?\\s*(${RANGE_SEPARATOR}|[、，,和])\\s*(${DAY}|${ZH_DAY})\\s*[日号](?![假楼线门床房院车库馆位])`,
    ),
  extract(context, match) {
    const first = zhNumber(match[1]);
    const last = zhNumber(match[3]);
    const today = refYmd(context);
    const months = [-1, 0, 1, 2].map((n) => ({
      ...ymdFromUtc(Date.UTC(today.year, today.month - 1 + n, 1)),
      day: first,
    }));
    const date = nearest(months, today) ?? today;
    const result = context.createParsingResult(match.index ?? 0, match[0]);
    result.start.assign('day', first);
    result.start.imply('month', date.month);
    result.start.imply('year', date.year);
    result.end = context.createParsingComponents({ day: last });
    if (/^[、，,和]$/.test(match[2]) && last !== first + 1) result.addTag(TAG_DOUBT);
    return result;
  },
};

const LUNAR_MONTHS: Record<string, number> = { 正: 1, 冬: 11, 腊: 12 };
const LUNAR_DAY =
  '初[一二三四五六七八九十]|廿[一二三四五六七八九]|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|三十';

/** `初六` → 6, `廿八` → 28, `二十` → 20, `三十` → 30. */
function lunarDayNumber(text: string): number {
  return text.startsWith('初')
    ? zhNumber(text.slice(1))
    : text.startsWith('廿')
      ? 20 + zhNumber(text.slice(1))
      : zhNumber(text);
}

/**
 * Lunar dates: `腊月二十八`, `正月初六`, `农历十二月初八`, `冬月十五`, `除夕`/`大年三十` (the last day of 腊月),
 * `大年初三`, and a bare `初六` that can only end a range begun with a lunar date. A month in numerals is lunar
 * only with 农历/阴历 or a day written `初X` (`十二月二十八` stays the calendar's). The year is the coming
 * occurrence (see `comingLunar`); a day the calendar table cannot give is a doubt, never a guess.
 */
export const lunarParser: Parser = {
  pattern: () =>
    new RegExp(
      `(农历|阴历)?(?:(闰)?(正|冬|腊|十一|十二|[一二三四五六七八九十])月(${LUNAR_DAY})[日号]?|(除夕|大年三十|大年初[一二三四五六七八九十])|初([一二三四五六七八九十])(?![中学级年班生]))`,
    ),
  extract(context, match) {
    const [, calendarWord, leap, monthWord, dayWord, festival, bare] = match;
    const result = context.createParsingResult(match.index ?? 0, match[0]);
    const today = refYmd(context);
    let want: LunarDay;
    if (bare) {
      result.start.assign('day', today.day);
      result.start.assign('month', today.month);
      result.start.assign('year', today.year);
      result.addTag(TAG_BARE_LUNAR);
      bareLunarDay.set(result.start, zhNumber(bare));
      return result;
    }
    if (festival)
      want = festival.startsWith('大年初')
        ? { month: 1, day: zhNumber(festival.slice(3)) }
        : { month: 12, day: 'last' };
    else {
      const lunar = calendarWord || LUNAR_MONTHS[monthWord!] || dayWord!.startsWith('初');
      if (!lunar) return null;
      want = { month: LUNAR_MONTHS[monthWord!] ?? zhNumber(monthWord!), day: lunarDayNumber(dayWord!) };
    }
    const date = leap ? undefined : comingLunar(want, iso(today), iso(addDays(today, -RECENT_DAYS)));
    const ymd = date
      ? { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) }
      : today;
    setDate(result.start, ymd, true);
    if (!date) result.addTag(TAG_DOUBT);
    return result;
  },
};

/** Spoken days: `今儿`, `明儿个`, `后儿个`, `大后儿` (not the 儿 of 儿子, 儿童 …). */
export const spokenDayParser: Parser = {
  pattern: () => /(?<![然以之最])(大后|今|明|后)儿(?:个)?(?![子童女媳科])/,
  extract(context, match) {
    const shift = { 今: 0, 明: 1, 后: 2, 大后: 3 }[match[1] as '今' | '明' | '后' | '大后'];
    const result = context.createParsingResult(match.index ?? 0, match[0]);
    setDate(result.start, addDays(refYmd(context), shift), true);
    return result;
  },
};

/** Two days named at once: `今明两天` (today and tomorrow), `明后天` (tomorrow and the day after). */
export const twoDaysParser: Parser = {
  pattern: () => /(今明|明后)两?天/,
  extract(context, match) {
    const first = addDays(refYmd(context), match[1] === '今明' ? 0 : 1);
    const result = context.createParsingResult(match.index ?? 0, match[0]);
    setDate(result.start, first, true);
    result.end = context.createParsingComponents();
    setDate(result.end, addDays(first, 1), true);
    return result;
  },
};
