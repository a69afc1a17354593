/**
 * A work report (汇报 / 工作日志 / 民情日记) and how its text is read: the tags that feed the 六个一 checklist and
 * the difficulty forwarding, and the number of households a visit report covers. Pure functions, no Redis.
 */
import { REPORT_TAGS, TAG_ALT, type ReportTag } from '../kit/report-tags.js';
import { normaliseText } from '../kit/text.js';

export { REPORT_TAGS, withoutTags, type ReportTag } from '../kit/report-tags.js';

export interface ReportImage {
  mediaId?: string;
  url?: string;
  /** ISO time the image arrived. */
  at: string;
}

export interface Report {
  /** Short number such as `H1001`. */
  no: string;
  userId: string;
  text: string;
  tags: ReportTag[];
  /** Households covered by a `#走访` report (1 unless the text gives a count); 0 for other reports. */
  households: number;
  /** Photos sent in the app chat right after the report (kept apart from the JSON, see ReportRepo). */
  images: ReportImage[];
  createdAt: string;
  editedAt?: string;
}

export interface ParsedReport {
  text: string;
  tags: ReportTag[];
  households: number;
}

const HASH_TAG = new RegExp(`#(${TAG_ALT})`, 'g');
/** `走访：…` / `走访:…` at the very start counts as the tag (NFKC has already turned `：` into `:`). */
const LEADING_TAG = new RegExp(`^(${TAG_ALT})\\s*:`);
const LEADING_HASH_TAG = new RegExp(`^#(${TAG_ALT})`);
const COUNT = '(\\d{1,4}|[一二两三四五六七八九十]{1,3})\\s*户';
const COUNT_AFTER_TAG = new RegExp(`(?:#走访|^走访\\s*:)\\s*${COUNT}`);
const COUNT_IN_TEXT = new RegExp(`走访了?\\s*${COUNT}`);
/** `N户` as a word of its own (`… 看望独居老人 2户`), set off by spaces or punctuation. */
const COUNT_AS_WORD = new RegExp(`(?:^|[\\s,.;:!?，。；！？、])${COUNT}(?=$|[\\s,.;:!?，。；！？、])`);

/** Longest report text kept; WeCom's own chat already stops at 2048 bytes, the robot channel does not. */
export const MAX_REPORT_CHARS = 1000;

/** Largest household count one report may claim; a larger figure is a typo, not a visit. */
export const MAX_HOUSEHOLDS_PER_REPORT = 2000;

/**
 * Read a report's text (`raw`: as the cadre wrote it, full-width punctuation and line breaks kept): tags
 * written `#走访` anywhere or `走访：` as the leading word, and for a visit report the household count: right
 * after the tag (`#走访 3户`, `走访：三户`), as `走访了5户`, or as a word of its own (`… 看望独居老人 2户`);
 * 1 when none is given. Tags are read from the normalised text (`＃`, `：` become `#`, `:`); the text kept is
 * the original, tags included, so what a supervisor reads is what the cadre sent.
 */
export function parseReport(raw: string): ParsedReport {
  const text = normaliseText(raw);
  const found = new Set<ReportTag>();
  const leading = LEADING_TAG.exec(text);
  if (leading) found.add(leading[1] as ReportTag);
  for (const m of text.matchAll(HASH_TAG)) found.add(m[1] as ReportTag);
  const tags = REPORT_TAGS.filter((t) => found.has(t));
  let households = 0;
  if (found.has('走访')) {
    const m = COUNT_AFTER_TAG.exec(text) ?? COUNT_IN_TEXT.exec(text) ?? COUNT_AS_WORD.exec(text);
    const n = m ? countOf(m[1]!) : 1;
    households = Math.min(Math.max(n, 1), MAX_HOUSEHOLDS_PER_REPORT);
  }
  return { text: raw.trim(), tags, households };
}

/** Does this sentence start like a tagged report (`#走访 …`, `走访：…`), so it may be filed without `汇报`? */
export function looksLikeTaggedReport(text: string): boolean {
  const t = normaliseText(text);
  return LEADING_TAG.test(t) || LEADING_HASH_TAG.test(t);
}

const DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** `12` or a small Chinese numeral (`三`, `十二`, `二十五`) as a number. */
function countOf(word: string): number {
  if (/^\d+$/.test(word)) return Number(word);
  const [tens, ones] = word.includes('十') ? word.split('十') : ['', word];
  const t = word.includes('十') ? (tens ? (DIGITS[tens] ?? 0) : 1) : 0;
  const o = ones ? (DIGITS[ones] ?? 0) : 0;
  return t * 10 + o;
}
