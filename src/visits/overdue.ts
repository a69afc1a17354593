/**
 * The sending units' visiting obligations overdue on a day, for the organisation department's weekly digest:
 * counts by the leader's place and, for that digest only, the names.
 */
import type { Repos } from '../repos.js';
import type { Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import type { OverdueVisitsView } from '../../templates/visits.js';
import { obligations, overdue } from './obligations.js';

export async function overdueVisits(
  ctx: { repos: Pick<Repos, 'visits'>; policy: Policy },
  roster: Roster,
  today: string,
): Promise<OverdueVisitsView> {
  const units = (roster.data.sendingUnits ?? []).map((u) => u.name);
  const visits = await ctx.repos.visits.ofUnits(units);
  const late = overdue(obligations(roster, today, ctx.policy.visits.halfYear, visits), today);
  return {
    mainLeader: late.filter((o) => o.as === 'mainLeader').length,
    deputy: late.filter((o) => o.as === 'deputy').length,
    items: late.map((o) => ({
      unit: o.unit,
      as: o.as,
      name: roster.person(o.userid)?.name ?? o.userid,
      period: o.period,
    })),
  };
}
