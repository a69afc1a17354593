/**
 * The registry hands commands the normalised text (NFKC, whitespace collapsed), which is right for reading
 * commands but not for what people wrote: a report or an announcement should keep its full-width punctuation
 * (，：) and its line breaks. This finds the part of the original message that `rest` was made from.
 */
import { normaliseText } from '../kit/text.js';

/**
 * How many places after the leading white space may start the content: room for the command word, a mention
 * and a scope. Each try normalises the whole suffix, so trying every place of a long message whose content
 * cannot be found would take time growing with the square of its length.
 */
export const MAX_PREFIX = 64;

/**
 * The shortest-prefix-removed suffix of `original` whose normalised form is `rest`, trimmed; `rest` itself when
 * the original is not available or no suffix starting within `MAX_PREFIX` characters of its first non-space one
 * gives `rest`.
 */
export function originalText(original: string | undefined, rest: string): string {
  if (!original || !rest) return rest;
  const first = original.length - original.trimStart().length;
  const last = Math.min(original.length, first + MAX_PREFIX);
  for (let i = first; i < last; i++) {
    if (normaliseText(original.slice(i)) === rest) return original.slice(i).trim();
  }
  return rest;
}
