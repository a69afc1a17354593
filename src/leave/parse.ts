/**
 * Reads a leave request written the way people write it — `请假 事假 11月25日至27日 家中有事`,
 * `明天请一天病假 感冒发烧`, `下周一到周三 公差 去市里开会` — into type, dates and reason. Dates come from chrono-node
 * (see `chrono-zh.ts`); this module finds the command word, the length (`三天`, `半天`, `一周`) and the type, and
 * keeps what is left as the reason. A date-like word left unread (`date-doubt.ts`) makes a question, never a
 * guess; every question carries `keep`, the text an answer completes. Pure: `now` and the policy's types and
 * half-day rule are passed in.
 */
import { addDays, daysBetween, localDate } from '../kit/dates.js';
import * as t from '../../templates/leave-parse.js';
import { DATE_WINDOW, findLeaveDates, zhNumber, type FoundDates } from './chrono-zh.js';
import { gluedToDate, leftoverDates } from './date-doubt.js';

export interface LeaveTypeOption {
  /** Canonical name, e.g. `公差`. */
  name: string;
  /** Other words for it, e.g. `因公外出`, `出差`; they count only as a word of their own. */
  aliases?: string[];
}

export type LeaveProblemCode = 'no_type' | 'unknown_type' | 'no_dates' | 'date_doubt' | 'half_day' | 'end_before_start';

/**
 * What to ask the writer. `keep` is the part of the message an answer completes (`keep` + ` ` + answer is read
 * again): the text as written, or without the doubtful date words for `date_doubt` and `end_before_start`.
 */
export interface LeaveProblem {
  code: LeaveProblemCode;
  message: string;
  keep: string;
}

export interface LeaveParse {
  /** Canonical type name. */
  type?: string;
  /** `YYYY-MM-DD`, Asia/Shanghai. */
  start?: string;
  end?: string;
  /** Calendar days, both ends included; half a day counts as a whole calendar day. */
  days?: number;
  /** Half days, only under `halfDays`: the leave begins at noon of `start` (下午) / ends at noon of `end` (上午). */
  halfStart?: true;
  halfEnd?: true;
  reason?: string;
  /** What to ask the writer; the fields above are kept even then. */
  problem?: LeaveProblem;
}

export interface LeaveParseOptions {
  now: Date;
  types: LeaveTypeOption[];
  /**
   * The policy's `leave.halfDays`: 上午/下午 and 半天 make half days (`halfStart`/`halfEnd`), and 半天 without
   * saying which half is asked about. Off, they are read as whole days without a question.
   */
  halfDays?: boolean;
}

interface Span {
  start: number;
  end: number;
}

const BOUNDARY = /[\s,，.。;；:：、!！?？/()（）【】[\]]/;
const COMMAND = /(?:我?(?:想|要|需要))?(?:申请)?请个?假/;
/** `三天`, `半天`, `一天半`, `1.5天`, `一周`, `一个星期`; `日` only as in `三日假`, since `30日` is a date. */
const LENGTH = /(半|\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*个?\s*(天|日(?=假)|周|星期|礼拜)(半)?/;
/** Words of a leave that are not a type: the command itself, reporting back, a holiday. */
const NOT_A_TYPE = new Set(['请假', '销假', '放假', '假期']);

/**
 * Full-width ASCII (`１１月２５日`, `～`, `：`) and the ideographic space become half-width one character for one,
 * so a position in the folded text is the same position in the original and the reason keeps the writer's text.
 */
function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Grows a span over the connecting words around it (`从`明天`开始`, `请`两天`假`) so they leave the reason too. */
function widen(text: string, span: Span, before?: RegExp, after?: RegExp): Span {
  const b = before?.exec(text.slice(0, span.start));
  const a = after?.exec(text.slice(span.end));
  return { start: span.start - (b?.[0].length ?? 0), end: span.end + (a?.[0].length ?? 0) };
}

/**
 * Blanks out spans (UTF-16 positions, as regex indices are) so later searches and the reason skip them. Built
 * from slices rather than an array of single characters, which costs a long message far more.
 */
function mask(text: string, spans: Span[], fill = ' '): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const start = Math.max(s.start, at);
    const end = Math.min(s.end, text.length);
    if (end <= start) continue;
    out += text.slice(at, start) + fill.repeat(end - start);
    at = end;
  }
  return out + text.slice(at);
}

const standsAlone = (masked: string, s: Span) =>
  (s.start === 0 || BOUNDARY.test(masked[s.start - 1])) && (s.end === masked.length || BOUNDARY.test(masked[s.end]));

/**
 * The length written, in days (`三天` 3, `一周` 7, `一天半` 1.5, `半天` 0.5), and where it is. Looked for only
 * where the dates are (the first `DATE_WINDOW` characters): tried from every position, `LENGTH` would take time
 * growing with the square of a long run of numerals.
 */
function findLength(masked: string): { value: number; span: Span } | undefined {
  const m = LENGTH.exec(masked.slice(0, DATE_WINDOW));
  if (!m) return undefined;
  const n = m[1] === '半' ? 0.5 : /\d/.test(m[1]) ? Number(m[1]) : zhNumber(m[1]);
  const value = (n + (m[3] ? 0.5 : 0)) * (m[2] === '天' || m[2] === '日' ? 1 : 7);
  return value > 0 ? { value, span: { start: m.index, end: m.index + m[0].length } } : undefined;
}

/**
 * The leave type: the earliest canonical name anywhere, or an alias (or name) standing as a word of its own, so
 * that in `公差 去市里开会` the type is 公差 and 开会 stays in the reason. `span` is set only when the word stands
 * alone (or after 请) and should leave the reason; a name inside a sentence (`参加县里培训`) stays in it.
 */
function findType(masked: string, types: LeaveTypeOption[]): { name: string; span?: Span } | undefined {
  let best: { name: string; at: Span } | undefined;
  const consider = (name: string, at: Span) => {
    const better = !best || at.start < best.at.start || (at.start === best.at.start && at.end > best.at.end);
    if (better) best = { name, at };
  };
  for (const type of types) {
    const i = masked.indexOf(type.name);
    if (i >= 0) consider(type.name, { start: i, end: i + type.name.length });
    for (const word of [type.name, ...(type.aliases ?? [])]) {
      for (let j = masked.indexOf(word); j >= 0; j = masked.indexOf(word, j + 1)) {
        const at = { start: j, end: j + word.length };
        if (standsAlone(masked, at)) consider(type.name, at);
      }
    }
  }
  if (!best) return undefined;
  const withAsk = widen(masked, best.at, /(?:我?(?:想|要|需要))?(?:申请|请)个?$/);
  const alone = standsAlone(masked, withAsk);
  return { name: best.name, span: alone ? withAsk : undefined };
}

/** A word that reads like a leave type but is not the policy's: `年假`, `请探亲假`, or the word in the type's place. */
function findUnknownType(masked: string, typeSlot: Span | undefined): { word: string; span: Span } | undefined {
  const tokens = [...masked.matchAll(/[^\s,，.。;；:：、!！?？/]+/g)];
  for (const m of tokens) {
    const word = m[0].replace(/^(?:申请|请)/, '');
    if (/^[\u4e00-\u9fff]{1,3}假$/.test(word) && !NOT_A_TYPE.has(word)) {
      return { word, span: { start: m.index, end: m.index + m[0].length } };
    }
  }
  if (!typeSlot) return undefined;
  const slot = /^\s*([\u4e00-\u9fff]{1,4})\s*$/.exec(masked.slice(typeSlot.start, typeSlot.end));
  if (!slot) return undefined;
  const start = typeSlot.start + slot[0].indexOf(slot[1]);
  return { word: slot[1], span: { start, end: start + slot[1].length } };
}

const EDGE = /[\s,，.。;；:：、!！?？/]/;

/**
 * `text` without separators at either end. A loop rather than `/[…]+$/`, which is tried from every position of a
 * long run of separators inside the text and so takes time growing with the square of its length.
 */
function trimSeparators(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && EDGE.test(text[start]!)) start++;
  while (end > start && EDGE.test(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** What is left once the command, type, dates and length are out: the reason, without labels like `事由：`. */
function remainder(original: string, removed: Span[]): string | undefined {
  const pieces = mask(original, removed, '\0')
    .split(/\0+/)
    .map((p) =>
      trimSeparators(p)
        .replace(/^(?:事由|原因|理由)\s*[:：]?\s*/, '')
        .replace(/\s+/g, ' '),
    )
    .filter(Boolean);
  return pieces.length ? pieces.join(' ') : undefined;
}

/** `text` without `spans`, what is left joined by single spaces: the part of a message an answer completes. */
function without(text: string, spans: Span[]): string {
  return mask(text, spans, '\0')
    .split(/\0+/)
    .map((p) => p.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .join(' ');
}

/**
 * The date words to ask about, or undefined when the dates were read whole: an expression that names days but no
 * one span, characters glued to it (`下` before `下周一`), or a date-like word left anywhere in the date window.
 */
function dateDoubts(read: string, found: FoundDates | undefined): Span[] | undefined {
  const doubts: Span[] = [];
  if (found) {
    const span = { start: found.index, end: found.index + found.length };
    const glued = gluedToDate(read, span, DATE_WINDOW);
    if (glued) doubts.push(glued);
    else if (found.doubt) doubts.push(span);
  }
  doubts.push(...leftoverDates(read, DATE_WINDOW));
  return doubts.length ? doubts : undefined;
}

/** The span a reading makes, with its half days and whether 半天 left the half unsaid. */
interface Reading {
  end: string;
  halfStart: boolean;
  halfEnd: boolean;
  whichHalf: boolean;
}

/**
 * The end and half days of the found dates with the length written (`half` is the 上午/下午 of a single day).
 * A range keeps its end: 下午 on its first day and 上午 on its last are halves. A single day runs the length;
 * under `halfDays` it is counted from the start day's morning, so 下午 begins half a day in and an end at x.5 is
 * a noon (`明天下午起一天半` ends the day after, whole). Without `halfDays` every half is a whole day.
 */
function readSpan(found: FoundDates, length: number | undefined, half: string | undefined, halfDays: boolean): Reading {
  const none = { halfStart: false, halfEnd: false, whichHalf: false };
  if (found.end) {
    const h = found.halves;
    return {
      ...none,
      end: found.end,
      halfStart: halfDays && h?.start === '下午',
      halfEnd: halfDays && h?.end === '上午',
    };
  }
  if (!halfDays) return { ...none, end: addDays(found.start, Math.max(1, Math.ceil(length ?? 1)) - 1) };
  if (length === 0.5 && !half) return { ...none, end: found.start, whichHalf: true };
  const noon = half === '下午';
  const until = (noon ? 0.5 : 0) + (length ?? (half ? 0.5 : 1));
  return {
    ...none,
    end: addDays(found.start, Math.max(1, Math.ceil(until)) - 1),
    halfStart: noon,
    halfEnd: until % 1 !== 0,
  };
}

/**
 * Parses a leave request, with or without `请假` (at the start, in the middle, or not at all), on the Shanghai day
 * of `opts.now`. Returns the canonical type, the dates (`YYYY-MM-DD`), the calendar days, the half days (under
 * `opts.halfDays`) and the reason, and at most one `problem` to put to the writer (type questions first, then
 * dates); the fields that were read are kept even then. A single date with no length is one day; a date followed
 * or preceded by a length (`明天起三天`) runs that many days. Date words that cannot be read whole are asked
 * about (`date_doubt`), never guessed.
 */
export function parseLeaveRequest(text: string, opts: LeaveParseOptions): LeaveParse {
  const folded = foldWidth(text);
  const removed: Span[] = [];
  const halfDays = opts.halfDays === true;

  const command = COMMAND.exec(folded);
  if (command) removed.push({ start: command.index, end: command.index + command[0].length });

  const found = findLeaveDates(folded, localDate(opts.now));
  const dateSpan = found
    ? widen(folded, { start: found.index, end: found.index + found.length }, /(?:从|自|由|于)\s*$/, /^\s*(?:起|开始)/)
    : undefined;
  if (dateSpan) removed.push(dateSpan);

  const length = findLength(mask(folded, removed));
  if (length)
    removed.push(
      widen(folded, length.span, /(?:一共|总共|为期|连续|(?:我?(?:想|要|需要))?请|休|共|计)\s*$/, /^\s*的?假/),
    );

  // 半天 with the half written apart from the date (`请半天假 明天 看病 上午`, an answer to the question).
  let half: string | undefined = found?.end ? undefined : found?.halves?.start;
  if (found && !half && halfDays && length?.value === 0.5) {
    const loose = /上午|下午/.exec(mask(folded, removed).slice(0, DATE_WINDOW));
    if (loose) {
      half = loose[0];
      removed.push({ start: loose.index, end: loose.index + 2 });
    }
  }

  const masked = mask(folded, removed);
  const type = findType(masked, opts.types);
  if (type?.span) removed.push(type.span);
  // Between 请假 and the dates is where the type is written (`请假 探亲 11月25日…`).
  const typeSlot =
    command && found && command.index < found.index ? { start: command.index, end: found.index } : undefined;
  const unknown = type ? undefined : findUnknownType(masked, typeSlot);
  if (unknown) removed.push(unknown.span);

  const doubts = dateDoubts(mask(folded, removed), found);
  const out: LeaveParse = { type: type?.name };
  let whichHalf = false;
  if (found && !found.doubt) {
    const r = readSpan(found, length?.value, half, halfDays);
    out.start = found.start;
    out.end = r.end;
    if (out.end >= out.start) out.days = daysBetween(out.start, out.end) + 1;
    if (r.halfStart) out.halfStart = true;
    if (r.halfEnd) out.halfEnd = true;
    whichHalf = r.whichHalf;
  } else if (length && !found) {
    out.days = Math.ceil(length.value);
  }
  out.reason = remainder(text, removed);

  const names = opts.types.map((x) => x.name);
  const asWritten = text.trim();
  const today = localDate(opts.now);
  if (unknown)
    out.problem = { code: 'unknown_type', message: t.unknownType(unknown.word, names, !found), keep: asWritten };
  else if (!type) out.problem = { code: 'no_type', message: t.noType(names, !found), keep: asWritten };
  else if (doubts) {
    const first = doubts[0]!;
    const words = text.slice(first.start, first.end).trim();
    const keep = without(text, [...doubts, ...(dateSpan ? [dateSpan] : [])]);
    out.problem = { code: 'date_doubt', message: t.dateDoubt(words, [addDays(today, 1), addDays(today, 2)]), keep };
  } else if (!found) out.problem = { code: 'no_dates', message: t.noDates, keep: asWritten };
  else if (whichHalf) out.problem = { code: 'half_day', message: t.halfDayWhich, keep: asWritten };
  else if (out.end && out.start && out.end < out.start) {
    const keep = without(text, dateSpan ? [dateSpan] : []);
    out.problem = { code: 'end_before_start', message: t.endBeforeStart(out.start, out.end), keep };
  }
  return dropUndefined(out);
}

function dropUndefined(p: LeaveParse): LeaveParse {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as LeaveParse;
}

/** `请假`, or 请 with a few words and 假 (`请两天假`, `请一天病假`): a leave request even without a date. */
const LEAVE_WORD = /请假|请[^\s,，。]{0,6}假/;

/**
 * Whether a message should be routed to the leave parser: it says 请假 (or 请…假, `请两天假`), or names a leave
 * type ending in 假, or has another type standing as a word of its own (`公差`, `出差`, not `公差补贴`) together with a
 * date. A message that starts with 销假 is a report back, not a request.
 */
export function looksLikeLeave(text: string, types: LeaveTypeOption[]): boolean {
  const folded = foldWidth(text).trim().replace(/^\//, '');
  if (folded.startsWith('销假')) return false;
  if (LEAVE_WORD.test(folded)) return true;
  if (types.some((x) => x.name.endsWith('假') && folded.includes(x.name))) return true;
  // The day only matters for which date is meant; here only whether there is one, so any fixed day will do.
  const dates = findLeaveDates(folded, '2000-01-03');
  if (!dates) return false;
  const masked = mask(folded, [{ start: dates.index, end: dates.index + dates.length }]);
  return findType(masked, types)?.span !== undefined;
}
