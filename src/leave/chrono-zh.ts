/**
 * Dates in leave requests, read by chrono-node's simplified-Chinese parser plus a few custom parsers and
 * refiners for the ways cadres write them that chrono misses: a bare day (`25号`, `…至27日`), dotted and slashed
 * dates (`12.1-12.3`, `11/25-11/27`), weeks that start on Monday (`下周一`), ranges with any dash, and years
 * chosen the way a person means them.
 *
 * chrono's Chinese parsers compute with the JavaScript `Date` in the process's own time zone, so the reference
 * handed to chrono is a local `Date` whose wall clock reads noon of the Shanghai day, and results are read back
 * as year/month/day components. That keeps the answer right whatever TZ the process runs in; noon also avoids
 * chrono's rule that `明天` just after midnight still means the same day (a leave date is a calendar date).
 */
import * as chrono from 'chrono-node';
import type { ParsedComponents, ParsedResult, Parser, ParsingComponents, ParsingContext, Refiner } from 'chrono-node';
import { comingLunar, lunarDayFrom, type LunarDay } from './lunar.js';

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

export interface FoundDates {
  start: string;
  end?: string;
  /** Where the date expression sits in the text that was parsed (a 上午/下午 right after it included). */
  index: number;
  length: number;
  /**
   * The expression names days but not one span that can be read whole (`12月14日、16日`, `初三` without a
   * lunar month, a lunar day the calendar table does not hold): the caller asks instead of using the dates.
   */
  doubt?: true;
  /** 上午/下午 written with the first date, and with the last one of a range (for a single day: `start`). */
  halves?: { start?: HalfWord; end?: HalfWord };
}

export type HalfWord = '上午' | '下午';

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
const RANGE_SEPARATOR = '(?:起?[至致]|到|-|~|〜|—{1,2}|–|―|ー)';
/** Between two days of a list (`23、24日`, `周四周五`, `12月14日 12月15日`): read whole only when consecutive. */
const LIST_SEPARATOR = '(?:[、，,和及与跟]|\\s)*';
// Only numbers that can be a month or a day match, so `38.5` (a temperature) is never read as 8 May.
const MONTH = '1[0-2]|0?[1-9]';
const DAY = '3[01]|[12]\\d|0?[1-9]';
const TAG_BARE_WEEKDAY = 'zhucun/bareWeekday';
const TAG_DOUBT = 'zhucun/doubt';
const TAG_BARE_LUNAR = 'zhucun/bareLunar';
/** The lunar day of a bare `初六`, read once the start it follows is known. */
const bareLunarDay = new WeakMap<ParsedComponents, number>();
/** The days of a list joined by `rangeRefiner`, checked for being consecutive by `resolveRefiner`. */
const listItems = new WeakMap<ParsedResult, ParsedComponents[]>();
/** The weekday written after a date as its label (`12月14日（周一）`), chrono's numbering (Sunday = 0). */
const weekdayLabel = new WeakMap<ParsedComponents, number>();

const utcOf = (d: Ymd) => Date.UTC(d.year, d.month - 1, d.day);
const DAY_MS = 86_400_000;

function ymdFromUtc(ms: number): Ymd {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function addDays(d: Ymd, n: number): Ymd {
  return ymdFromUtc(utcOf(d) + n * DAY_MS);
}

function isRealDate(year: number, month: number, day: number): boolean {
  const d = ymdFromUtc(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && d.month === month && d.day === day;
}

/** The Shanghai day chrono is working from (see the module comment for why a local Date carries it). */
function refYmd(context: ParsingContext): Ymd {
  const r = context.refDate;
  return { year: r.getFullYear(), month: r.getMonth() + 1, day: r.getDate() };
}

function ymdOf(c: ParsedComponents): Ymd {
  return { year: c.get('year') ?? 0, month: c.get('month') ?? 0, day: c.get('day') ?? 0 };
}

function setDate(c: ParsingComponents, d: Ymd, certain: boolean): void {
  for (const key of ['year', 'month', 'day'] as const) {
    if (certain) c.assign(key, d[key]);
    else if (!c.isCertain(key)) c.imply(key, d[key]);
  }
}

/**
 * A date the writer left open (no year, or no month) is the earliest candidate no more than a week in the past:
 * `20号` said on 22 November is 20 November, `3号` is 3 December, `1月5日` said in December is next January.
 */
const RECENT_DAYS = 7;
function nearest(candidates: Ymd[], today: Ymd): Ymd | undefined {
  const earliest = utcOf(today) - RECENT_DAYS * DAY_MS;
  return candidates.find((c) => isRealDate(c.year, c.month, c.day) && utcOf(c) >= earliest);
}

/**
 * A month and day without a year is the year that puts it closest to today (a tie goes forward): `11月10日` said
 * on 20 November is ten days ago, not next year, so a request too far in the past is refused as such rather than
 * quietly becoming a leave a year ahead; `1月5日` said in December is still next January.
 */
function closestYear(month: number, day: number, today: Ymd): number | undefined {
  const t = utcOf(today);
  const real = [0, 1, -1]
    .map((n) => ({ year: today.year + n, month, day }))
    .filter((c) => isRealDate(c.year, c.month, c.day));
  real.sort((a, b) => Math.abs(utcOf(a) - t) - Math.abs(utcOf(b) - t) || utcOf(b) - utcOf(a));
  return real[0]?.year;
}

/**
 * Weekdays counted in weeks that start on Monday, as Chinese calendars do. chrono counts from Sunday, which on a
 * Sunday makes `下周一` eight days away; here, on Sunday 22 November, `本周五`/`这周五` is 20 November (the week
 * ending today), `下周一` is 23 November, `下下周一` 30 November, and a bare `周五` is the next Friday from today
 * (today included). A second weekday numeral continues it: `下周二三` and `周二到四` are ranges, while a list
 * that is not two days in a row (`周二四`, `周二、四`) is a doubt.
 */
const WD = '[一二三四五六日天1-7]';
const weekdayParser: Parser = {
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
const dayOfMonthParser: Parser = {
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
const numericParser: Parser = {
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
const bareDaysParser: Parser = {
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
const lunarParser: Parser = {
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
const spokenDayParser: Parser = {
  pattern: () => /(?<![然以之最])(大后|今|明|后)儿(?:个)?(?![子童女媳科])/,
  extract(context, match) {
    const shift = { 今: 0, 明: 1, 后: 2, 大后: 3 }[match[1] as '今' | '明' | '后' | '大后'];
    const result = context.createParsingResult(match.index ?? 0, match[0]);
    setDate(result.start, addDays(refYmd(context), shift), true);
    return result;
  },
};

/** Two days named at once: `今明两天` (today and tomorrow), `明后天` (tomorrow and the day after). */
const twoDaysParser: Parser = {
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

/**
 * Some of chrono's Chinese patterns take the spaces around a date (`明天 `, ` 12月14日`), so that two dates
 * written with a space between overlap and the shorter is dropped; trimmed, both stay and can be joined.
 */
const trimRefiner: Refiner = {
  refine(_context, results) {
    for (const r of results) {
      const lead = r.text.length - r.text.trimStart().length;
      r.index += lead;
      r.text = r.text.trim();
    }
    return results.filter((r) => r.text.length > 0);
  },
};

/** A result as refiners see it. */
type RefinedResult = Parameters<Refiner['refine']>[1][number];

/** A result that names a day (or a weekday, or a bare lunar day), not only a month or a time. */
const namesDay = (r: ParsedResult) =>
  r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.tags().has(TAG_BARE_LUNAR);

/**
 * Joins `A 至 B` into one range without chrono's own fix-ups, which silently swap a reversed range or push its end
 * a year ahead; a reversed range must reach the writer as a question instead. Days written one after another
 * (`周四周五`, `12月14日 12月15日`, `11月23、24日`) are joined as a list, which `resolveRefiner` reads as one span
 * only when the days are consecutive.
 */
const rangeRefiner: Refiner = {
  refine(context, results) {
    const between = new RegExp(`^[\\s）)]*${RANGE_SEPARATOR}\\s*$`);
    const listed = new RegExp(`^${LIST_SEPARATOR}$`);
    const out: typeof results = [];
    for (const result of results) {
      const prev = out[out.length - 1];
      const after = prev ? prev.index + prev.text.length : 0;
      const gap = prev ? context.text.slice(after, result.index) : '';
      const items = prev ? listItems.get(prev) : undefined;
      if (prev && !prev.end && !result.end && result.index >= after && between.test(gap)) {
        prev.end = result.start;
        prev.text = prev.text + gap + result.text;
      } else if (
        prev &&
        result.index >= after &&
        listed.test(gap) &&
        namesDay(prev) &&
        namesDay(result) &&
        (!prev.end || items)
      ) {
        listItems.set(prev, [...(items ?? [prev.start]), result.start, ...(result.end ? [result.end] : [])]);
        if (result.end) result.addTag(TAG_DOUBT);
        for (const tag of result.tags()) if (tag === TAG_DOUBT) prev.addTag(TAG_DOUBT);
        prev.end = result.end ?? result.start;
        prev.text = prev.text + gap + result.text;
      } else {
        out.push(result);
      }
    }
    return out;
  },
};

/**
 * A weekday written right after a date (`12月14日 周一`, `16日（周三）`) is the date's label, not another day:
 * it joins the date and is checked against it once the year is known (`resolveRefiner`).
 */
const labelRefiner: Refiner = {
  refine(context, results) {
    const out: typeof results = [];
    for (const result of results) {
      const prev = out[out.length - 1];
      const after = prev ? prev.index + prev.text.length : 0;
      const gap = prev ? context.text.slice(after, result.index) : '';
      const isWeekday = result.start.isCertain('weekday') && !result.end;
      if (prev && isWeekday && !prev.start.isCertain('weekday') && namesDay(prev) && /^\s*[（(]?\s*$/.test(gap)) {
        weekdayLabel.set(prev.end ?? prev.start, result.start.get('weekday') ?? 0);
        const close = /^\s*[）)]/.exec(context.text.slice(result.index + result.text.length));
        prev.text = prev.text + gap + result.text + (close?.[0] ?? '');
        continue;
      }
      out.push(result);
    }
    return out;
  },
};

/** Whether a date contradicts the weekday written as its label. */
function labelWrong(c: ParsedComponents): boolean {
  const label = weekdayLabel.get(c);
  return label !== undefined && new Date(utcOf(ymdOf(c))).getUTCDay() !== label;
}

/** `end` read from `from`: a bare weekday is the first such day on or after it, a bare lunar day likewise. */
function resolveFrom(end: ParsingComponents, from: Ymd): void {
  if (end.tags().has(TAG_BARE_WEEKDAY)) {
    const fromWd = (new Date(utcOf(from)).getUTCDay() + 6) % 7;
    const wd = ((end.get('weekday') ?? 0) + 6) % 7;
    setDate(end, addDays(from, (wd - fromWd + 7) % 7), true);
  } else if (end.tags().has(TAG_BARE_LUNAR)) {
    const date = lunarDayFrom(iso(from), bareLunarDay.get(end) ?? 0);
    if (date) setDate(end, { year: +date.slice(0, 4), month: +date.slice(5, 7), day: +date.slice(8, 10) }, true);
    else end.addTag(TAG_DOUBT);
  } else if (!end.isCertain('month')) {
    end.imply('month', from.month);
    end.imply('year', from.year);
  } else if (!end.isCertain('year')) {
    end.imply('year', (end.get('month') ?? 0) < from.month ? from.year + 1 : from.year);
  }
}

/**
 * A list read day by day: one span only when each day follows the one before. A weekday right after a date is
 * its label (`12月14日 周一`) and must name the same day; a weekday after a weekday is the next day of the list.
 */
function readList(result: RefinedResult, items: ParsedComponents[]): void {
  const days: ParsedComponents[] = [items[0]!];
  for (const item of items.slice(1)) {
    const before = days[days.length - 1]!;
    resolveFrom(item as ParsingComponents, ymdOf(before));
    const gap = (utcOf(ymdOf(item)) - utcOf(ymdOf(before))) / DAY_MS;
    const label = item.isCertain('weekday') && !before.isCertain('weekday');
    if (label && gap === 0) continue;
    if (label || gap !== 1) result.addTag(TAG_DOUBT);
    days.push(item);
  }
  result.end = days.length > 1 ? (days[days.length - 1] as ParsingComponents) : undefined;
}

/**
 * Fills in what the writer left out, once ranges are joined: the start's year (see `closestYear`), then the
 * end from the start: a bare weekday is the first such day from the start on, a bare day takes the start's month,
 * and a month without a year takes the start's year, or the next one when the month comes earlier (`12月30日到
 * 1月2日`). A bare day earlier than the start stays earlier, so `11月27日至25日` can be questioned. A list is
 * read day by day and is one span only when each day follows the one before; a bare lunar day (`初六`) cannot
 * start anything.
 */
const resolveRefiner: Refiner = {
  refine(context, results) {
    const today = refYmd(context);
    for (const result of results) {
      const start = result.start;
      if (start.tags().has(TAG_BARE_LUNAR)) result.addTag(TAG_DOUBT);
      if (start.isCertain('month') && !start.isCertain('year')) {
        const { month, day } = ymdOf(start);
        const year = closestYear(month, day, today);
        if (year) start.imply('year', year);
      }
      const items = listItems.get(result);
      if (items) {
        readList(result, items);
        if (items.some(labelWrong)) result.addTag(TAG_DOUBT);
        continue;
      }
      if (result.end) resolveFrom(result.end, ymdOf(start));
      if (result.end?.tags().has(TAG_DOUBT)) result.addTag(TAG_DOUBT);
      if (labelWrong(start) || (result.end && labelWrong(result.end))) result.addTag(TAG_DOUBT);
    }
    return results;
  },
};

const yearIsOpen = (r: ParsedResult) => r.start.isCertain('month') && !r.start.isCertain('year');

/** Words for a time of day only; they count as a date (today) only when nothing better is written. */
const TIME_OF_DAY = /^(上午|早上|下午|晚上|夜晚?|中午|凌晨)$/;

function buildParser(): chrono.Chrono {
  const parser = chrono.zh.hans.casual.clone();
  // Custom parsers go first: on a tie in length chrono keeps the earlier parser's result (e.g. `下周一`).
  parser.parsers.unshift(
    lunarParser,
    weekdayParser,
    bareDaysParser,
    dayOfMonthParser,
    numericParser,
    twoDaysParser,
    spokenDayParser,
  );
  // chrono's own range refiner is the one whose separator pattern accepts `至`; ours takes its place.
  const at = parser.refiners.findIndex((r) => {
    const between = (r as { patternBetween?: () => RegExp }).patternBetween?.();
    return between?.test('至') ?? false;
  });
  if (at < 0) throw new Error('chrono-node: the Chinese range refiner was not found; check the chrono-node version');
  parser.refiners.splice(at, 1, labelRefiner, rangeRefiner);
  parser.refiners.unshift(trimRefiner);
  // A leave date is a calendar day: a time after it (`明天 10点开会`) stays in the reason, not in the date.
  const time = parser.parsers.findIndex((r) => r.constructor.name === 'ZHHansTimeExpressionParser');
  if (time < 0) throw new Error('chrono-node: the Chinese time parser was not found; check the chrono-node version');
  parser.parsers.splice(time, 1);
  // chrono's UnlikelyFormatFilter drops a result whose text looks like a decimal number (`12.1`, 1 December) or
  // whose date does not exist in the year assumed so far (`2月29日` said in 2027). A date whose year is still
  // open is judged only once `resolveRefiner` has chosen the year, by `choose`.
  parser.refiners = parser.refiners.map((r): Refiner =>
    'isValid' in r
      ? { refine: (ctx, results) => results.filter((x) => yearIsOpen(x) || r.refine(ctx, [x]).length > 0) }
      : r,
  );
  parser.refiners.push(resolveRefiner);
  return parser;
}

const leaveParser = buildParser();

/**
 * How much of a message is read for its dates, in UTF-16 code units. chrono's Chinese parsers take time that
 * grows with the square of the text (a run of numerals such as `三三三…` is tried from every position), so a
 * long message must never reach them whole; a leave's dates come in its first sentence, well inside this.
 */
export const DATE_WINDOW = 200;

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Ymd) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

/**
 * The first result that names a real day. A month alone (`12月`) is not one: chrono would fill in today's day of
 * the month; nor is `2.29` when no year near enough has one. A time of day alone (`下午`) means today only when
 * nothing else is written.
 */
function choose(results: ParsedResult[]): ParsedResult | undefined {
  const real = (c: ParsedComponents) => {
    const d = ymdOf(c);
    return isRealDate(d.year, d.month, d.day);
  };
  const days = results.filter(
    (r) => (r.start.isCertain('day') || r.start.isCertain('weekday')) && real(r.start) && (!r.end || real(r.end)),
  );
  return days.find((r) => !TIME_OF_DAY.test(r.text.trim())) ?? days[0];
}

const HALF = /上午|下午/g;

/**
 * The leave dates written in `text`, read on the Shanghai day `today` (`YYYY-MM-DD`): the first date expression,
 * as `start` and, for a range, `end` (`YYYY-MM-DD`, possibly before `start` when the writer reversed it), with its
 * place in the text so the caller can take it out of the reason. `undefined` when the text holds no date. Only
 * the first `DATE_WINDOW` characters are read, so what follows them never changes the answer.
 *
 * 上午/下午 are blanked before chrono sees the text (chrono reads `周五下午` as this afternoon) and given back as
 * `halves`: the one inside a range belongs to its first day, the one right after the expression to its last
 * (or only) day. A lone 上午/下午 with no date means today, as it always has.
 */
export function findLeaveDates(text: string, today: string): FoundDates | undefined {
  const [y, m, d] = today.split('-').map(Number);
  const reference = new Date(y, m - 1, d, 12, 0, 0);
  const window = text.slice(0, DATE_WINDOW);
  const result = choose(leaveParser.parse(window.replace(HALF, '  '), reference));
  if (!result) {
    const lone = /上午|下午/.exec(window);
    if (!lone) return undefined;
    return { start: today, index: lone.index, length: 2, halves: { start: lone[0] as HalfWord } };
  }
  const start = iso(ymdOf(result.start));
  const end = result.end ? iso(ymdOf(result.end)) : undefined;
  // The blanks of a 上午/下午 at the end are not part of the expression: they are read below as its last day's.
  const found: FoundDates = { start, end, index: result.index, length: result.text.trimEnd().length };
  if (result.tags().has(TAG_DOUBT)) found.doubt = true;
  const inside = /上午|下午/.exec(window.slice(found.index, found.index + found.length));
  const after = /^\s*(上午|下午)/.exec(window.slice(found.index + found.length));
  if (after) found.length += after[0].length;
  if (inside || after) {
    found.halves = {};
    if (inside) found.halves.start = inside[0] as HalfWord;
    if (after) found.halves[end ? 'end' : 'start'] = after[1] as HalfWord;
  }
  return found;
}
