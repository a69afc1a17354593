import { BotError } from '../errors.js';
import type { Middleware } from './compose.js';
import type { Turn } from './turn.js';

/**
 * A failure downstream discards the writes and messages buffered so far: a refused request changes no data.
 * A refusal (`BotError`) becomes its Chinese sentence as the reply; anything else is logged and thrown on, so
 * nothing is committed and WeCom's retry runs the update again.
 */
export const refusal: Middleware<Turn> = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.tx.clear();
    ctx.outbound.length = 0;
    if (!(err instanceof BotError)) {
      ctx.log.error({ err }, 'command failed');
      throw err;
    }
    ctx.log.info({ code: err.code, ...err.context }, 'request refused');
    ctx.refused = err;
    ctx.reply = { text: err.userMessage };
  }
};
