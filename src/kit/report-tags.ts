/**
 * The tags of a work report (`#走访`, `走访：…`) as words: the list, and a report's text with them taken out.
 * Shared by the report reader (src/reports/report.ts) and the lists in templates/reports.ts.
 */

/** Tags a cadre may put in a report; the first six are the 六个一 items, `困难` is forwarded to supervisors. */
export const REPORT_TAGS = ['走访', '党课', '实事', '村民说事', '计划', '承诺', '困难'] as const;
export type ReportTag = (typeof REPORT_TAGS)[number];

/** The tags as a regular-expression alternation, longest first (`村民说事` before shorter ones). */
export const TAG_ALT = [...REPORT_TAGS].sort((a, b) => b.length - a.length).join('|');

const NUM = '(?:\\d{1,4}|[０-９]{1,4}|[一二两三四五六七八九十]{1,3})';
const STRIP_HASH = new RegExp(`[#＃](?:走访(?:\\s*${NUM}\\s*户)?|${TAG_ALT})`, 'g');
const STRIP_LEADING = new RegExp(`^\\s*(?:走访\\s*[:：](?:\\s*${NUM}\\s*户)?|(?:${TAG_ALT})\\s*[:：])`);

/**
 * The report's words without its tags (and a visit's count right after the tag), for one-line lists that show
 * the tags separately; the text itself when nothing else is left.
 */
export function withoutTags(text: string): string {
  const rest = text
    .replace(STRIP_LEADING, '')
    .replace(STRIP_HASH, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[,，;；。、]+/, '')
    .trim();
  return rest || text;
}
