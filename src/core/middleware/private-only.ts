import * as T from '../../../templates/common.js';
import type { Middleware } from './compose.js';
import type { CommandTurn } from './turn.js';

/**
 * Refuses in a group chat a command marked `privateOnly`: it answers with one person's names or figures, and a
 * group sees totals only.
 */
export const privateOnly: Middleware<CommandTurn> = async (ctx, next) => {
  const { spec } = ctx.command;
  if (spec.privateOnly && ctx.update.chatType === 'group') {
    ctx.log.info('private command refused in a group chat');
    ctx.reply = { text: T.privateOnly(spec.aliases[0]!) };
    return;
  }
  await next();
};
