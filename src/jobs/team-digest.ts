/**
 * `team-digest`: on the policy's day and time (default Monday 08:00), each township's 领队 gets, privately,
 * the township's cadres by work group (`src/digest/team.ts`): the month so far, leave now or within the week,
 * the last seven days' reports and open problems. The same as `本组情况` shows on demand. One message a
 * township and week (split at WeCom's size limit), keyed so that a repeated run sends nothing twice.
 */
import type { Outbound } from '../core/outbound.js';
import { localDate } from '../kit/dates.js';
import { partKey } from '../digest/messages.js';
import { APP_MARKDOWN_MAX_BYTES, splitMarkdown } from '../digest/split.js';
import { teamModel, type TeamInput } from '../digest/team.js';
import { loadTeam } from '../digest/team-load.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff, isoWeek } from '../schedule/windows.js';
import { teamReport, teamTitle, teamWeeklyWhy } from '../../templates/team.js';

export interface TeamDigestState {
  week: string;
  townships: { input: TeamInput; leaders: string[] }[];
}

export const teamDigest: Job<TeamDigestState> = {
  id: 'team-digest',
  policyJob: 'teamDigest',
  summary: "the 领队's weekly private digest of their township's cadres, by work group",
  catchUpUntil: policyCutOff('teamDigest'),

  async load(ctx, now) {
    const roster = await ctx.roster.get();
    const townships: TeamDigestState['townships'] = [];
    // The county's open problems once, for every township.
    const open = await ctx.repos.problems.open();
    for (const t of roster.data.townships) {
      const leaders = roster.teamLeadersOfTownship(t.id).map((c) => c.userid);
      if (!leaders.length) continue;
      const input = await loadTeam(ctx, roster, t.id, now, open);
      if (input.cadres.length) townships.push({ input, leaders });
    }
    return { week: isoWeek(localDate(now)), townships };
  },

  plan(_now, state): Outbound[] {
    return state.townships.flatMap(({ input, leaders }) => {
      const model = teamModel(input);
      const parts = splitMarkdown(teamReport(model, teamWeeklyWhy), {
        maxBytes: APP_MARKDOWN_MAX_BYTES,
        continued: (part) => teamTitle(model, part),
      });
      return parts.map((content, i) => ({
        key: partKey(`digest:team:${input.township.id}:${state.week}`, i),
        to: { kind: 'user' as const, userIds: leaders },
        body: { type: 'markdown' as const, content },
        purpose: 'digest' as const,
      }));
    });
  },
};
