import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { rollupScope } from '../src/rollup/service.js';
import { loadTownshipView } from '../src/rollup/views.js';
import * as T from '../templates/rollup-views.js';

/**
 * `本乡情况` [乡镇]: a township's supervisors see their township by village and cadre: this month's presence
 * against target, the at-risk and below-target counts as `全县考勤` gives them, leave waiting for approval, open
 * notices and open problems. The organisation department names a township. A 领队 is pointed to `本组情况`.
 * One person's figures: one-to-one chat only.
 */
export default defineCommand<string | undefined>({
  id: 'township-status',
  aliases: ['本乡情况', '本镇情况', '本街道情况'],
  roles: ['township', 'org', 'team-leader'],
  privateOnly: true,
  help: T.townshipStatusHelp,
  parse(rest) {
    const words = rest.split(/\s+/).filter(Boolean);
    if (words.length > 1) refuse('township_status_usage', T.townshipUsage);
    return words[0];
  },
  async handle(ctx, name) {
    const { person, roster } = ctx;
    const scope = rollupScope(person, roster);
    const mine = scope.townships;
    if (!mine.length) refuse('township_status_not_supervisor', T.townshipNotSupervisor);
    const names = mine.map((id) => roster.townships.get(id)!.name);
    let township: string;
    if (name !== undefined) {
      const found = [...roster.townships.values()].find((t) => t.name === name || t.id === name)?.id;
      if (!found) refuse('township_status_unknown', T.unknownTownship(name, names), { name });
      if (!mine.includes(found)) refuse('township_status_not_in_scope', T.townshipNotInScope(name, names), { name });
      township = found;
    } else if (mine.length === 1) township = mine[0]!;
    else refuse('township_status_which', T.whichTownship(names));
    const view = await loadTownshipView(ctx.deps, roster, township, ctx.now, person.userid);
    return { text: T.townshipReport(view) };
  },
});
