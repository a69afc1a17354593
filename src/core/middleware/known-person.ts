import * as T from '../../../templates/common.js';
import type { Middleware } from './compose.js';
import type { Turn } from './turn.js';

/**
 * Finds the writer on the roster and puts them and the roster on the context. Someone not on the roster is told
 * whom to ask, except for what arrives without them doing anything (events other than a card click, automatic
 * location reports): that gets no answer at all.
 */
export const knownPerson: Middleware<Turn> = async (ctx, next) => {
  const { update } = ctx;
  // The core reads the roster with the update's de-duplication record; a run again after a conflict reads afresh.
  const roster = ctx.roster ?? (await ctx.deps.roster.get());
  const person = roster.person(update.userId);
  if (!person) {
    ctx.log.info('update from a user not on the roster');
    const unasked =
      (update.kind === 'event' && update.event?.type !== 'template_card_event') || update.location?.source === 'auto';
    ctx.reply = unasked ? null : { text: T.unknownUser(roster.orgDepartment().map((s) => s.name)) };
    return;
  }
  ctx.roster = roster;
  ctx.person = person;
  await next();
};
