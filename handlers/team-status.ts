import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { teamModel } from '../src/digest/team.js';
import { loadTeam } from '../src/digest/team-load.js';
import { rollupScope } from '../src/rollup/service.js';
import * as T from '../templates/team.js';

/**
 * `本组情况` [乡镇]: the 领队's view of their township on demand, the same as their weekly digest: every cadre in
 * post by work group, with the month so far, leave, the week's reports and open problems. A township supervisor
 * sees their own township, the organisation department any township it names. One person's figures: one-to-one
 * chat only.
 */
export default defineCommand<string | undefined>({
  id: 'team-status',
  aliases: ['本组情况'],
  roles: ['team-leader', 'township', 'org'],
  privateOnly: true,
  help: T.teamStatusHelp,
  parse(rest) {
    const words = rest.split(/\s+/).filter(Boolean);
    if (words.length > 1) refuse('team_usage', T.usage);
    return words[0];
  },
  async handle(ctx, name) {
    const { person, roster } = ctx;
    const mine = new Set(rollupScope(person, roster).townships);
    if (person.cadre?.teamLeader) mine.add(roster.townshipOf(person.cadre).id);
    if (!mine.size) refuse('team_not_leader', T.notTeamLeader);
    let township: string | undefined;
    if (name !== undefined) {
      township = [...roster.townships.values()].find((t) => t.name === name || t.id === name)?.id;
      if (!township) refuse('team_unknown_township', T.unknownTownship(name, names(mine)), { name });
      if (!mine.has(township)) refuse('team_not_in_scope', T.notInScope(name, names(mine)), { name });
    } else if (mine.size === 1) township = [...mine][0]!;
    else refuse('team_which_township', T.whichTownship(names(mine)));
    const input = await loadTeam(ctx.deps, roster, township, ctx.now);
    if (!input.cadres.length) return { text: T.noCadres };
    return { text: T.teamReport(teamModel(input)) };

    function names(ids: Set<string>): string[] {
      return [...ids].map((id) => roster.townships.get(id)!.name);
    }
  },
});
