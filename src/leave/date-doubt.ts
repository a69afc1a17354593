/**
 * Date-like words a leave parse left unread: once the dates, length, type and command are taken out, any such
 * word still in the date window means the parse did not understand the dates whole, and the writer is asked
 * rather than given a guess. Numbers that are not dates (`走访3户`, `住院三天`, `2号楼`, `第2次`, `发烧39度`,
 * phone numbers, `10点开会`) are not such words. Every pattern is a fixed-length or bounded alternation, tried
 * once per position of a window of a few hundred characters, so the scan stays linear.
 */

const NUM = '(?:\\d{1,4}|[〇零一二两三四五六七八九十廿]{1,4})';
/**
 * A month with its day (`12月5日`, `2月30日`), a month (`12月`, not `10月份`) or a day (`25号`, `二十五日`), not a
 * building, line, bed … (`2号楼`) nor a length (`三日内`).
 */
const DAY_OR_MONTH =
  `${NUM}\\s*月(?!份)(?:\\s*${NUM}\\s*[日号]?)?|` +
  `${NUM}\\s*[日号](?![楼线门床房院车库馆位机文窗柜厅室口桌台箱码内后前以来之])`;
/** A weekday (`周四`, `星期日`, `礼拜天`, `周末`), not in `每周一` or `一周一次`. */
const WEEKDAY = '(?<![每一两三四几])(?:星期|礼拜|周)[一二三四五六日天1-7末]';
const RELATIVE = '大?后天|今天|明天|昨天|前天|今日|明日|昨日|今儿|明儿|后儿|今明|明后|次日|翌日';
const PERIOD =
  '(?:下下?|上上?|本|这)?个?周末|下下?个?(?:周|星期|礼拜|月)|上上?个?(?:周|星期|礼拜)|本周|这周|这个?星期|本月|月底|月初|月中|月末|年底|年前|年后|节前|节后|春节|除夕|大年';
const LUNAR = '初[一二三四五六七八九十](?![中学级年班生])|腊月|正月|冬月|农历|阴历|闰[一二三四五六七八九十]';
/** `12.14`, `12/16`, not `37.5度`, `1.5公里`, `160/100`. */
const NUMERIC =
  '(?<![\\d.:/])(?:1[0-2]|0?[1-9])[./](?:3[01]|[12]\\d|0?[1-9])(?![\\d.]|\\s*(?:天|个|小时|%|元|万|度|斤|公里|米|岁|分))';

const DATE_LIKE = new RegExp([DAY_OR_MONTH, WEEKDAY, RELATIVE, PERIOD, LUNAR, NUMERIC].join('|'), 'g');

/** A character glued to a date that makes it another date (`下`+`下周一`, `12月14日`+`16日`). */
const GLUED_BEFORE = /[下上本这每大农阴闰前后今明昨第\d〇零一二两三四五六七八九十廿]/;
const GLUED_AFTER = /[\d〇零一二两三四五六七八九十廿号日月初]/;

export interface Span {
  start: number;
  end: number;
}

/** Date-like words in `masked` (the text with what was read blanked out), within its first `window` characters. */
export function leftoverDates(masked: string, window: number): Span[] {
  const head = masked.slice(0, window);
  return [...head.matchAll(DATE_LIKE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/**
 * The date span grown over characters glued to it that the parse did not read (`下` before `下周一`, a numeral
 * after it), or undefined when nothing is glued. `masked` has everything read blanked out, the span included.
 */
export function gluedToDate(masked: string, span: Span, window: number): Span | undefined {
  let start = span.start;
  let end = span.end;
  while (start > 0 && GLUED_BEFORE.test(masked[start - 1]!)) start--;
  while (end < Math.min(masked.length, window) && GLUED_AFTER.test(masked[end]!)) end++;
  return start === span.start && end === span.end ? undefined : { start, end };
}
