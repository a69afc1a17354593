import * as T from '../../../templates/common.js';
import { requiresCadre } from '../command.js';
import { allowed } from '../registry.js';
import type { Middleware } from './compose.js';
import type { CommandTurn } from './turn.js';

/**
 * Lets through only the roles the command's spec names. A command for cadre roles only also needs the writer's
 * cadre record, which its handler is typed to rely on (`CadreContext`): without one it is refused the same way.
 */
export const role: Middleware<CommandTurn> = async (ctx, next) => {
  const { spec } = ctx.command;
  const { person } = ctx;
  if (!allowed(spec, person.roles) || (requiresCadre(spec) && !person.cadre)) {
    ctx.log.info({ roles: person.roles }, 'command refused for role');
    const pointer = spec.pointer?.(person, ctx.roster);
    ctx.reply = { text: pointer ?? T.notAllowed(spec.aliases[0]!, spec.roles === 'any' ? [] : [...spec.roles]) };
    return;
  }
  await next();
};
