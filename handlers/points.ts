import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { localDate } from '../src/kit/dates.js';
import { loadPoints } from '../src/points/load.js';
import { byVillageThenName, pointsView, readHalf } from '../src/points/view.js';
import type { Roster } from '../src/roster/roster.js';
import type { Person } from '../src/roster/roster.js';
import type { Cadre } from '../src/roster/schema.js';
import * as T from '../templates/points.js';

/** Most cadres listed in one reply; a larger scope is asked to name a township. */
export const MAX_LIST = 40;

/**
 * `积分` [姓名|乡镇（街道）] [半年]: supervisors' view of 积分 in their scope — a township's supervisors their
 * township's cadres, a sending unit's leaders the unit's cadres, the organisation department everyone. With a
 * name, that cadre's events; otherwise a list by village and name, never by score. One-to-one chat only.
 */
export default defineCommand({
  id: 'points',
  aliases: ['积分'],
  roles: ['township', 'sending-unit', 'org'],
  privateOnly: true,
  help: T.help.scope,
  async handle(ctx, rest) {
    const today = localDate(ctx.now);
    const words = rest.split(/\s+/).filter(Boolean);
    if (words.length > 2) refuse('points_usage', T.usage);
    // The half year is the last word when it reads as one.
    let half = words.length ? readHalf(words.at(-1)!, today) : undefined;
    if (half === null) half = undefined;
    else if (words.length) words.pop();
    if (words.length > 1) refuse('points_usage', T.usage);
    const { roster, person } = ctx;
    const scope = scopeOf(roster, person);
    if (!scope.length) refuse('points_no_scope', T.noScope);
    const src = { ...ctx.deps, repos: ctx.repos };
    const name = words[0];
    const township = name ? [...roster.townships.values()].find((t) => t.name === name || t.id === name) : undefined;
    if (name && !township) {
      const found = scope.filter((c) => c.userid === name || c.name === name);
      if (found.length > 1)
        refuse(
          'points_ambiguous',
          T.ambiguous(
            name,
            found.map((c) => roster.villageOf(c).name),
          ),
          { name },
        );
      if (!found.length) {
        const exists = roster.data.cadres.some((c) => c.userid === name || c.name === name);
        return exists
          ? refuse('points_not_in_scope', T.notInScope(name), { name })
          : refuse('points_not_found', T.notFound(name), { name });
      }
      const [p] = await loadPoints(src, roster, found, half, ctx.now);
      if (!p) refuse('points_no_half', T.noHalf(rest.trim()));
      return { text: T.pointsDetail(pointsView(p, roster, today), false) };
    }
    const listed = township ? scope.filter((c) => roster.townshipOf(c).id === township.id) : scope;
    if (township && !listed.length) refuse('points_not_in_scope', T.notInScope(name!), { name });
    const ordered = byVillageThenName(
      roster,
      listed.map((cadre) => ({ cadre })),
    );
    const shown = ordered.slice(0, MAX_LIST).map((o) => o.cadre);
    const points = byVillageThenName(roster, await loadPoints(src, roster, shown, half, ctx.now));
    const rows = points.map((p) => ({
      village: roster.villageOf(p.cadre).name,
      name: p.cadre.name,
      total: p.points.total,
      period: p.half.period,
    }));
    return { text: T.pointsList(rows, today, ordered.length - shown.length) };
  },
});

/** The cadres whose points a supervisor may read: each supervising scope (a 领队's peers are not among them). */
export function scopeOf(roster: Roster, person: Person): Cadre[] {
  const out = new Map<string, Cadre>();
  for (const s of person.supervisor ?? []) {
    const list =
      s.kind === 'org-department'
        ? roster.data.cadres
        : s.kind === 'township'
          ? roster.cadresOfTownship(s.scope)
          : roster.data.cadres.filter((c) => c.sendingUnit === s.scope);
    for (const c of list) out.set(c.userid, c);
  }
  return [...out.values()];
}
