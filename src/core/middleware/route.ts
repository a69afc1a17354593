import * as T from '../../../templates/common.js';
import type { Reply } from '../reply.js';
import type { Update } from '../update.js';
import type { Middleware } from './compose.js';
import type { PersonTurn } from './turn.js';

/**
 * Finds the command the update asks for (free sentences read by the county's policy), unless the follow-up
 * middleware already has (an answer), and names it in the log.
 * Nothing matched: an unknown text gets a hint, entering the app a welcome, anything else a short answer or none.
 */
export const route: Middleware<PersonTurn> = async (ctx, next) => {
  // An answer to a follow-up question comes already routed to the command that asked.
  const match = ctx.command ?? ctx.registry.match(ctx.update, ctx);
  if (!match) {
    ctx.reply = unmatched(ctx.update, ctx.person.name);
    return;
  }
  ctx.command = match;
  ctx.log = ctx.log.child({ command: match.spec.id });
  await next();
};

function unmatched(update: Update, name: string): Reply | null {
  if (update.kind === 'text') return { text: T.unknownCommand(update.text ?? '') };
  if (update.kind !== 'event') return { text: T.unsupportedMessage };
  const type = update.event?.type;
  if (type === 'enter_agent' || type === 'enter_chat' || type === 'subscribe') return { text: T.welcome(name) };
  return null;
}
