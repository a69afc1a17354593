import { defineCommand, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { sixOnesOf } from '../src/reports/six-ones.js';
import type { Cadre } from '../src/roster/schema.js';
import * as T from '../templates/reports.js';

/**
 * `六个一`: a cadre's own first-month checklist; `六个一 姓名` lets a supervisor (or a team leader) see a
 * cadre's within their scope.
 */
export default defineCommand({
  id: 'six-ones',
  aliases: ['六个一', '6个一'],
  roles: 'any',
  help: T.help.sixOnes,
  async handle(ctx, rest) {
    const cadre = whose(ctx, rest.trim());
    // Names and figures of individuals go only to their supervisors, never into a group chat.
    if (ctx.update.chatType === 'group' && cadre.userid !== ctx.person.userid)
      refuse('six_ones_in_group', T.readInGroup);
    const reports = await ctx.repos.reports.ofUser(cadre.userid);
    return {
      text: T.sixOnes(
        cadre.name,
        sixOnesOf(ctx.roster, cadre, reports, ctx.now, ctx.deps.policy.reports.firstMonthDays),
      ),
    };
  },
});

function whose(ctx: Context, name: string): Cadre {
  if (!name) return ctx.person.cadre ?? refuse('six_ones_need_name', T.sixOnesNeedName);
  const found = ctx.roster.findVisibleCadre(ctx.person, name);
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    refuse(
      'six_ones_ambiguous',
      T.ambiguous(
        name,
        found.map((c) => ctx.roster.villageOf(c).name),
      ),
    );
  const exists = ctx.roster.data.cadres.some((c) => c.userid === name || c.name === name);
  return exists
    ? refuse('six_ones_not_in_scope', T.notVisible(name), { name })
    : refuse('six_ones_not_found', T.notFound(name));
}
