/**
 * Reads what the 领队's view of a township needs (`TeamInput`, see team.ts): the month figures of the
 * township's cadres in post in one batched read, their leave, their reports and the open problems of the
 * township's villages. Shared by the weekly job and
 * `本组情况`, so both show the same.
 */
import { loadFigures, type CadreFigures, type FiguresSource } from '../attendance/figures.js';
import { addDays, localDate } from '../kit/dates.js';
import { leaveDays, type LeaveRequest } from '../leave/workflow.js';
import type { LeaveRepo } from '../leave/repo.js';
import type { Problem } from '../problems/problem.js';
import type { ProblemRepo } from '../problems/repo.js';
import type { ReportRepo } from '../reports/repo.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { monthLine } from './daily.js';
import type { TeamCadre, TeamInput, TeamLeave } from './team.js';

export interface TeamSource extends FiguresSource {
  repos: {
    leave: Pick<LeaveRepo, 'ofUsers'>;
    reports: Pick<ReportRepo, 'ofUsers'>;
    problems: Pick<ProblemRepo, 'open'>;
  };
}

/** The first approved leave covering a day from `from` to `to`. */
function leaveWithin(requests: readonly LeaveRequest[], from: string, to: string): TeamLeave | undefined {
  let first: TeamLeave | undefined;
  for (const r of requests) {
    const span = leaveDays(r);
    if (!span || span.end < from || span.start > to) continue;
    if (!first || span.start < first.start) first = { no: r.no, type: r.type, start: span.start, end: span.end };
  }
  return first;
}

/** A cadre's line of the 领队's view, with the figures it was made from (the year, for a sending unit's view). */
export interface TeamCadreRead {
  line: TeamCadre;
  figures: CadreFigures;
}

/**
 * The lines of `cadres` as the 领队's view shows them (month so far, leave now or within the week, the last seven
 * days' reports, their village's open problems), in the order given, from one batched read. `open`: the
 * county's open problems when the caller has read them already.
 */
export async function loadTeamCadres(
  src: TeamSource,
  roster: Roster,
  cadres: readonly Cadre[],
  now: Date,
  open?: readonly Problem[],
): Promise<{ cadres: TeamCadreRead[]; open: readonly Problem[] }> {
  const date = localDate(now);
  const ids = cadres.map((c) => c.userid);
  const [figures, leaves, reports, problems] = await Promise.all([
    loadFigures(src, cadres, { now }),
    src.repos.leave.ofUsers(ids),
    src.repos.reports.ofUsers(ids),
    open ?? src.repos.problems.open(),
  ]);
  // Open problems are the village's (raised while it was in its township): every cadre of a village shows its count.
  const openByVillage = new Map<string, number>();
  for (const p of problems)
    if (roster.villages.get(p.village)?.township === p.township)
      openByVillage.set(p.village, (openByVillage.get(p.village) ?? 0) + 1);
  const weekAgo = addDays(date, -6);
  const weekAhead = addDays(date, 7);
  const out = cadres.map((c): TeamCadreRead => {
    const leave = leaveWithin(leaves.get(c.userid) ?? [], date, weekAhead);
    const group = roster.workGroupOf(c);
    const f = figures.get(c.userid)!;
    const line: TeamCadre = {
      userid: c.userid,
      name: c.name,
      village: roster.villageOf(c).name,
      ...(group ? { workGroup: group.id } : {}),
      month: monthLine(f.month),
      ...(leave ? { leave } : {}),
      reportsWeek: (reports.get(c.userid) ?? []).filter((r) => {
        const at = new Date(r.createdAt);
        const day = localDate(at);
        return at <= now && weekAgo <= day && day <= date;
      }).length,
      openProblems: openByVillage.get(c.village) ?? 0,
    };
    return { line, figures: f };
  });
  return { cadres: out, open: problems };
}

/** The cadres of a township in post on `date`, in roster order. */
export function inPost(roster: Roster, townshipId: string, date: string): Cadre[] {
  return roster.cadresOfTownship(townshipId).filter((c) => c.termStart <= date && date <= c.termEnd);
}

/**
 * `open`: the county's open problems when the caller has read them already (the weekly job reads them once for
 * every township); read here otherwise.
 */
export async function loadTeam(
  src: TeamSource,
  roster: Roster,
  townshipId: string,
  now: Date,
  open?: readonly Problem[],
): Promise<TeamInput> {
  const date = localDate(now);
  const township = roster.townships.get(townshipId)!;
  const read = await loadTeamCadres(src, roster, inPost(roster, townshipId, date), now, open);
  // The township's total counts each of its open problems once, however many cadres a village has.
  const openProblems = read.open.filter((p) => p.township === townshipId).length;
  return {
    township: { id: township.id, name: township.name },
    workGroups: roster.workGroupsOfTownship(townshipId).map((g) => ({ id: g.id, name: g.name })),
    cadres: read.cadres.map((c) => c.line),
    openProblems,
    date,
  };
}
