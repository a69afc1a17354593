/**
 * Dates in leave requests, read by chrono-node's simplified-Chinese parser plus custom parsers
 * (`chrono-parsers.ts`) and refiners (`chrono-refiners.ts`) for the ways cadres write them that chrono misses: a
 * bare day (`25号`, `…至27日`), dotted and slashed dates (`12.1-12.3`), weeks that start on Monday (`下周一`,
 * `下下周一`), ranges with any dash or none (`14-15号`, `周四周五`), lists read as one span only when consecutive,
 * lunar dates (`腊月二十八`), 上午/下午 as half days, and years chosen the way a person means them. What cannot be
 * read whole is marked `doubt`, for the caller to ask about.
 *
 * chrono's Chinese parsers compute with the JavaScript `Date` in the process's own time zone, so the reference
 * handed to chrono is a local `Date` whose wall clock reads noon of the Shanghai day, and results are read back
 * as year/month/day components. That keeps the answer right whatever TZ the process runs in; noon also avoids
 * chrono's rule that `明天` just after midnight still means the same day (a leave date is a calendar date).
 */
import * as chrono from 'chrono-node';
import type { ParsedComponents, ParsedResult, Refiner } from 'chrono-node';
import { isRealDate, iso, TAG_DOUBT, ymdOf } from './chrono-base.js';
import {
  bareDaysParser,
  dayOfMonthParser,
  lunarParser,
  numericParser,
  spokenDayParser,
  twoDaysParser,
  weekdayParser,
} from './chrono-parsers.js';
import { labelRefiner, rangeRefiner, resolveRefiner, trimRefiner } from './chrono-refiners.js';

export { zhNumber, type Ymd } from './chrono-base.js';

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
