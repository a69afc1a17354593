/**
 * The one size limit on what a person sends: a text above the policy's `messages.maxTextBytes` (UTF-8 bytes) is
 * answered with one sentence before the registry or any handler reads it. The parsers bound what they read of
 * a message themselves; this bounds the rest (normalising, matching, storing) and refuses plain floods.
 */
import * as T from '../../templates/common.js';
import type { Reply } from './reply.js';
import type { Update } from './update.js';

export interface Oversize {
  reply: Reply;
  /** The text's size in UTF-8 bytes, for the log. */
  bytes: number;
}

/** The refusal for an update whose text is longer than `maxBytes` UTF-8 bytes; undefined when it may be read. */
export function oversize(update: Update, maxBytes: number): Oversize | undefined {
  const text = update.text;
  // Every UTF-16 unit is one to three UTF-8 bytes, so most texts are settled without counting.
  if (text === undefined || text.length * 3 <= maxBytes) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > maxBytes ? { reply: { text: T.messageTooLong(maxBytes) }, bytes } : undefined;
}
