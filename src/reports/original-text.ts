/**
 * The registry hands commands the normalised text (NFKC, whitespace collapsed), which is right for reading
 * commands but not for what people wrote: a report or an announcement should keep its full-width punctuation
 * (，：) and its line breaks. This finds the part of the original message that `rest` was made from.
 */
import { normaliseText } from '../kit/text.js';

/**
 * The shortest-prefix-removed suffix of `original` whose normalised form is `rest`, trimmed; `rest` itself when
 * the original is not available or does not end with it. The loop stops after the alias and the words before
 * the content, so it runs a handful of times.
 */
export function originalText(original: string | undefined, rest: string): string {
  if (!original || !rest) return rest;
  for (let i = 0; i < original.length; i++) {
    if (normaliseText(original.slice(i)) === rest) return original.slice(i).trim();
  }
  return rest;
}
