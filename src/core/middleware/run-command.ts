import { isCadreContext, requiresCadre } from '../command.js';
import type { Middleware } from './compose.js';
import type { CommandTurn } from './turn.js';

/**
 * The end of the chain: parse the command's arguments and run its handler with this context. A command for
 * cadres only is handed a `CadreContext`; the role middleware has refused anyone without a cadre record, and
 * this check keeps the handler's type true even if the chain were built without it.
 */
export const runCommand: Middleware<CommandTurn> = async (ctx, next) => {
  const { spec, rest } = ctx.command;
  if (requiresCadre(spec) && !isCadreContext(ctx))
    throw new Error(`command "${spec.id}" reached without a cadre record`);
  const args: unknown = spec.parse ? await spec.parse(rest, ctx) : rest;
  ctx.reply = await spec.handle(ctx, args);
  ctx.log.debug({ writes: ctx.tx.size, outbound: ctx.outbound.length }, 'command handled');
  await next();
};
