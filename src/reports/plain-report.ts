/**
 * Whether a sentence a cadre sent without `汇报` reads like a work report (`今天走访了3户，了解到…`), so the bot
 * offers to file it instead of answering "没有看懂". Deliberately narrow: the cost of a wrong guess is a
 * question, but a question after every chat line would be noise. Leave sentences are told apart by the caller
 * (it knows the county's leave types).
 */
import { normaliseText } from '../kit/text.js';

/** Shorter than this (characters, spaces not counted) is a remark, not a report. */
const MIN_CHARS = 15;

/**
 * Words of the work itself: visits, meetings, help, mediation, checks. Common words that also fill chat
 * (组织, 计划, 困难, 工作) are left out on purpose.
 */
const WORK_WORDS = [
  '走访',
  '入户',
  '召开',
  '开展',
  '调研',
  '帮扶',
  '化解',
  '慰问',
  '看望',
  '宣讲',
  '排查',
  '摸排',
  '座谈',
  '巡查',
  '调解',
  '党课',
  '村民说事',
  '主题党日',
  '办实事',
];

/** A question: a question mark, a closing 吗/呢, or an opening that asks. */
const QUESTION = /[?？]|[吗呢么嘛][。.!！~～]*$|^(?:请问|怎么|如何|为什么|为啥|能否|能不能|可不可以|是否|有没有)/;

/** True when `text` reads like a work report written without `汇报`: long enough, about the work, not a question. */
export function looksLikePlainReport(text: string): boolean {
  const t = normaliseText(text);
  if ([...t.replace(/\s/g, '')].length < MIN_CHARS) return false;
  if (QUESTION.test(t)) return false;
  return WORK_WORDS.some((w) => t.includes(w));
}
