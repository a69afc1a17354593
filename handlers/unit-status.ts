import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { unitsOf } from '../src/rollup/service.js';
import { loadUnitView } from '../src/rollup/views.js';
import * as T from '../templates/rollup-views.js';

/**
 * `本单位情况` [单位]: a sending unit's leaders (main leader and deputy in the roster's `sendingUnits`, and the
 * unit's supervisors) see the cadres their unit sent, wherever they serve: each one's month and year, leave and
 * open notices, with the totals as `全县考勤` counts them. Anyone else is refused. One-to-one chat only.
 */
export default defineCommand<string | undefined>({
  id: 'unit-status',
  aliases: ['本单位情况', '单位情况'],
  // A unit's leader may be among `people` only (no role): who may use it is what the roster says of them.
  roles: 'any',
  usableBy: (person, roster) => unitsOf(person, roster).length > 0,
  privateOnly: true,
  help: T.unitStatusHelp,
  parse(rest) {
    const words = rest.split(/\s+/).filter(Boolean);
    if (words.length > 1) refuse('unit_status_usage', T.unitUsage);
    return words[0];
  },
  async handle(ctx, name) {
    const mine = unitsOf(ctx.person, ctx.roster);
    if (!mine.length) refuse('unit_status_not_leader', T.notUnitLeader);
    let unit: string;
    if (name !== undefined) {
      if (!mine.includes(name)) refuse('unit_status_not_in_scope', T.unitNotInScope(name, mine), { name });
      unit = name;
    } else if (mine.length === 1) unit = mine[0]!;
    else refuse('unit_status_which', T.whichUnit(mine));
    const view = await loadUnitView(ctx.deps, ctx.roster, unit, ctx.now);
    return { text: T.unitReport(view) };
  },
});
