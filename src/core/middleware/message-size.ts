/**
 * The one size limit on what a person sends: a text above the policy's `messages.maxTextBytes` (UTF-8 bytes) is
 * answered with one sentence before the roster, the registry or any handler reads it. The parsers bound what
 * they read of a message themselves; this bounds the rest (normalising, matching, storing) and refuses floods.
 */
import * as T from '../../../templates/common.js';
import type { Middleware } from './compose.js';
import type { Turn } from './turn.js';

export const messageSize: Middleware<Turn> = async (ctx, next) => {
  const text = ctx.update.text;
  const limit = ctx.deps.policy.messages.maxTextBytes;
  // Every UTF-16 unit is one to three UTF-8 bytes, so most texts are settled without counting.
  if (text !== undefined && text.length * 3 > limit) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > limit) {
      ctx.log.info({ bytes, limit }, 'message above the size limit; refused unread');
      ctx.reply = { text: T.messageTooLong(limit) };
      return;
    }
  }
  await next();
};
