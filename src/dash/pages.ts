/**
 * What the dashboard's pages read, as JSON bodies (docs/openapi.yaml describes them). The figures come from the
 * code the chat roll-ups use, never counted again here: the county's and a township's counts from the county
 * roll-up (`loadRollup`, as 全县考勤 and 本乡情况), each cadre's month line from the 领队's view
 * (`loadTeamCadres`, as 本乡情况, 本单位情况 and 本组情况), a cadre's month and year from `monthFiguresFor` (as
 * 我的考勤), 六个一 and points from their own modules. Lists are in roster order or by time, never by figures.
 */
import { inPost, loadTeamCadres } from '../digest/team-load.js';
import type { Deps } from '../core/deps.js';
import { localDate, monthDates } from '../kit/dates.js';
import { currentStep, leaveDays, type LeaveRequest } from '../leave/workflow.js';
import { namesOf } from '../leave/chain.js';
import { isPending, type Notice } from '../notices/notice.js';
import type { Problem } from '../problems/problem.js';
import type { Report } from '../reports/report.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { CONTACT_FIELDS } from '../roster/schema.js';
import type { Visit } from '../visits/visit.js';

/** What the pages read: the repositories and the figures' sources (`Deps` fits). */
export type PageSource = Pick<Deps, 'redis' | 'keys' | 'policy' | 'calendar' | 'repos' | 'notices'>;

/** Visits listed on a page at most (newest first). */
const VISITS_SHOWN = 50;

export function cadreBody(c: Cadre, roster: Roster) {
  const village = roster.villageOf(c);
  const township = roster.townshipOf(c);
  const group = roster.workGroupOf(c);
  return {
    userid: c.userid,
    name: c.name,
    role: c.role,
    teamLeader: c.teamLeader,
    village: { id: village.id, name: village.name },
    township: { id: township.id, name: township.name },
    ...(group ? { workGroup: { id: group.id, name: group.name } } : {}),
    unit: c.sendingUnit,
  };
}

export function leaveBrief(r: LeaveRequest, roster: Roster) {
  const step = currentStep(r);
  return {
    no: r.no,
    type: r.type,
    start: r.start,
    end: r.end,
    days: r.days,
    status: r.status,
    ...(step ? { waitingOn: namesOf(roster, step.approvers) } : {}),
  };
}

export const reportBrief = (r: Report) => ({ no: r.no, at: r.createdAt, text: r.text, tags: [...r.tags] });

export const noticeBrief = (n: Notice) => ({
  no: n.no,
  kind: n.kind,
  userid: n.userId,
  name: n.name,
  issuedOn: n.issuedOn,
  ...(n.deadline ? { deadline: n.deadline } : {}),
  state: n.state,
  reason: n.reason,
});

export const problemBrief = (p: Problem, roster: Roster) => ({
  no: p.no,
  village: { id: p.village, name: roster.villages.get(p.village)?.name ?? p.village },
  text: p.text,
  createdAt: p.createdAt,
  status: p.status,
  ...(p.closedAt ? { closedAt: p.closedAt } : {}),
});

export const visitBrief = (v: Visit, roster: Roster) => ({
  no: v.no,
  userid: v.userId,
  name: roster.person(v.userId)?.name ?? v.userId,
  village: { id: v.village, name: roster.villages.get(v.village)?.name ?? v.village },
  at: v.at,
  ...(v.note ? { note: v.note } : {}),
  units: [...new Set(v.units.map((u) => u.unit))],
});

/** The leave that covers `date` (approved), if any. */
function leaveOn(requests: readonly LeaveRequest[], date: string): LeaveRequest | undefined {
  return requests.find((r) => {
    const span = r.status === 'approved' ? leaveDays(r) : undefined;
    return span !== undefined && span.start <= date && date <= span.end;
  });
}

/**
 * The lines of `cadres` (each cadre's month and year, today's check-ins, leave, reports, notices, problems) and
 * what the page lists beside them: open notices about them, open problems and visits of their villages.
 */
export async function loadDetail(src: PageSource, roster: Roster, cadres: readonly Cadre[], now: Date) {
  const today = localDate(now);
  const month = today.slice(0, 7);
  const ids = cadres.map((c) => c.userid);
  const villages = [...new Set(cadres.map((c) => c.village))];
  const [team, leaves, reports, notices, checkins, visits] = await Promise.all([
    loadTeamCadres(src, roster, cadres, now),
    src.repos.leave.ofUsers(ids),
    src.repos.reports.ofUsers(ids),
    src.repos.notices.open(),
    Promise.all(ids.map((id) => src.repos.checkins.day(id, today))),
    Promise.all(villages.map((v) => src.repos.visits.ofVillage(v))),
  ]);
  const idSet = new Set(ids);
  const open = notices.filter((n) => isPending(n) && idSet.has(n.userId));
  const lines = team.cadres.map(({ line, figures }, i) => {
    const c = cadres[i]!;
    const mine = leaves.get(c.userid) ?? [];
    const current = leaveOn(mine, today);
    const filed = (reports.get(c.userid) ?? [])
      .filter((r) => new Date(r.createdAt) <= now)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const latest = filed[0];
    return {
      cadre: cadreBody(c, roster),
      month: line.month,
      year: { present: figures.year.present, target: figures.year.target.target },
      today: checkins[i]!.map((r) => ({
        at: r.at,
        source: r.source,
        trust: r.trust,
        direction: r.direction,
        counts: r.counts,
        ...(r.distanceM !== undefined ? { distanceM: r.distanceM } : {}),
        ...(r.flagged ? { flagged: true } : {}),
      })),
      leave: {
        ...(current ? { current: leaveBrief(current, roster) } : {}),
        pending: mine.filter((r) => r.status === 'pending').map((r) => leaveBrief(r, roster)),
      },
      reports: {
        month: filed.filter((r) => localDate(new Date(r.createdAt)).startsWith(month)).length,
        latest: latest ? reportBrief(latest) : null,
      },
      openNotices: open.filter((n) => n.userId === c.userid).length,
      openProblems: line.openProblems,
    };
  });
  const villageSet = new Set(villages);
  const waiting = [...leaves.values()].flat().filter((r) => r.status === 'pending');
  return {
    today,
    cadres: lines,
    pendingLeave: waiting.length,
    waiting,
    notices: open.map(noticeBrief),
    problems: team.open
      .filter((p) => villageSet.has(p.village) && roster.villages.get(p.village)?.township === p.township)
      .map((p) => problemBrief(p, roster)),
    visits: visits
      .flat()
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, VISITS_SHOWN)
      .map((v) => visitBrief(v, roster)),
  };
}

/** The cadres of a work group in post today, in roster order. */
export function groupCadres(roster: Roster, groupId: string, date: string): Cadre[] {
  return roster.cadresOfWorkGroup(groupId).filter((c) => c.termStart <= date && date <= c.termEnd);
}

/** A sending unit's cadres in post today, in roster order (as 本单位情况 lists them). */
export function unitCadres(roster: Roster, unit: string, date: string): Cadre[] {
  return roster.data.cadres.filter((c) => c.sendingUnit === unit && c.termStart <= date && date <= c.termEnd);
}

/** The cadres of a township in post today (as 本乡情况 lists them). */
export const townshipCadres = inPost;

/** A village: its cadres, its four contacts, its visits and its problems. */
export async function loadVillage(src: PageSource, roster: Roster, villageId: string) {
  const village = roster.villages.get(villageId)!;
  const township = roster.townships.get(village.township)!;
  const group = roster.workGroupsOfTownship(village.township).find((g) => g.villages.includes(villageId));
  const [visits, problems] = await Promise.all([
    src.repos.visits.ofVillage(villageId),
    src.repos.problems.ofVillage(villageId),
  ]);
  const contacts = roster.contactsOf(villageId);
  const byTime = (a: Problem, b: Problem) => b.createdAt.localeCompare(a.createdAt);
  return {
    village: { id: village.id, name: village.name },
    township: { id: township.id, name: township.name },
    ...(group ? { workGroup: { id: group.id, name: group.name } } : {}),
    cadres: roster.data.cadres.filter((c) => c.village === villageId).map((c) => cadreBody(c, roster)),
    contacts: contacts
      ? CONTACT_FIELDS.map((role) => {
          const userid = contacts[role];
          const person = roster.person(userid);
          return { role, name: person?.name ?? userid, ...(person ? { userid } : {}) };
        })
      : [],
    visits: visits
      .sort((a, b) => b.at.localeCompare(a.at))
      .slice(0, VISITS_SHOWN)
      .map((v) => visitBrief(v, roster)),
    openProblems: problems
      .filter((p) => p.status === 'open')
      .sort(byTime)
      .map((p) => problemBrief(p, roster)),
    closedProblems: problems
      .filter((p) => p.status === 'closed')
      .sort(byTime)
      .map((p) => problemBrief(p, roster)),
  };
}

/**
 * Every day of `year` for one cadre: present or not (a check-in that counts) with the sources of the counting
 * check-ins, the approved leave covering it, and whether the calendar makes it a day off (a weekend while the
 * year has no holiday data).
 */
export async function yearDays(src: PageSource, userid: string, year: number, leave: readonly LeaveRequest[]) {
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
  const records = await Promise.all(months.map((m) => src.repos.checkins.month(userid, m)));
  return months.flatMap((m, i) =>
    monthDates(m).map((date) => {
      const counting = (records[i]!.get(date) ?? []).filter((r) => r.counts);
      const onLeave = leaveOn(leave, date);
      const weekend = [0, 6].includes(new Date(`${date}T12:00:00+08:00`).getUTCDay());
      const holiday = src.calendar.holidayName(date);
      return {
        date,
        present: counting.length > 0,
        sources: [...new Set(counting.map((r) => r.source))],
        ...(onLeave ? { leave: onLeave.type } : {}),
        off: src.calendar.isDayOff(date) ?? weekend,
        ...(holiday ? { holiday } : {}),
      };
    }),
  );
}
