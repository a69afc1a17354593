/**
 * The roll-ups below the county, for the chat: `本乡情况` (a township's supervisors: their township by village
 * and cadre) and `本单位情况` (a sending unit's leaders: their own cadres wherever they serve), and the monthly
 * summary a sending unit gets of a closed month. The totals are the county roll-up's (`countyRollup`, the same
 * code as `全县考勤`), each cadre's line the 领队's view's (`loadTeamCadres`, the same as `本组情况` and the
 * digests): the same people give the same figures everywhere. Cadres are listed by township, village and name,
 * never by their figures: no ranking.
 */
import type { SheetFigures } from '../attendance/month-figures.js';
import type { FiguresSource } from '../attendance/figures.js';
import { monthLine, type MonthLine } from '../digest/daily.js';
import type { TeamCadre } from '../digest/team.js';
import { inPost, loadTeamCadres, type TeamSource } from '../digest/team-load.js';
import { localDate, monthDates } from '../kit/dates.js';
import { currentStep, type LeaveRequest } from '../leave/workflow.js';
import { isPending, type Notice } from '../notices/notice.js';
import type { NoticeRepo } from '../notices/repo.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { placeOf } from '../sheet/rows.js';
import type { Rollup } from './rollup.js';
import { loadRollup, readRollup, unitScope } from './service.js';

export interface ViewSource extends TeamSource {
  repos: TeamSource['repos'] & { notices: Pick<NoticeRepo, 'open' | 'issuedBetween'> };
}

/** A cadre's line: the 领队's view's, with their open notices (and, in a unit's view, the year and township). */
export interface ViewCadre extends TeamCadre {
  township: string;
  openNotices: number;
  year?: { present: number; target: number };
}

export interface TownshipView {
  township: string;
  date: string;
  /** The county roll-up of this township alone. */
  rollup: Rollup;
  /** Villages by name, each with its cadres in post by name. */
  villages: { name: string; cadres: ViewCadre[] }[];
  /** Leave requests of the township's cadres waiting for a decision, and of those how many wait on the viewer. */
  pendingLeave: number;
  waitingOnViewer: number;
  /** Notices about the township's cadres waiting for an answer or a decision. */
  openNotices: number;
  /** Open problems of the township's villages. */
  openProblems: number;
}

export interface UnitView {
  unit: string;
  date: string;
  /** The county roll-up of this unit's cadres alone. */
  rollup: Rollup;
  /** The unit's cadres in post, by township (roster order), village and name. */
  cadres: ViewCadre[];
  pendingLeave: number;
  openNotices: number;
}

const zh = (a: string, b: string) => a.localeCompare(b, 'zh');

const pending = (requests: readonly LeaveRequest[]) => requests.filter((r) => r.status === 'pending');

/** Leave requests, notices and the lines of `cadres`, read once. */
async function readLines(src: ViewSource, roster: Roster, cadres: readonly Cadre[], now: Date) {
  const ids = cadres.map((c) => c.userid);
  const [team, leaves, notices] = await Promise.all([
    loadTeamCadres(src, roster, cadres, now),
    src.repos.leave.ofUsers(ids),
    src.repos.notices.open(),
  ]);
  const openNotices = notices.filter(isPending);
  const noticesOf = (userid: string) => openNotices.filter((n) => n.userId === userid).length;
  const lines = team.cadres.map(({ line, figures }, i): ViewCadre & { year: { present: number; target: number } } => ({
    ...line,
    township: roster.townshipOf(cadres[i]!).name,
    openNotices: noticesOf(line.userid),
    year: { present: figures.year.present, target: figures.year.target.target },
  }));
  const waiting = [...leaves.values()].flatMap(pending);
  return { lines, waiting, openNotices, open: team.open };
}

/** `本乡情况`: one township as of `now`, for `viewer` (whose approvals waiting are counted apart). */
export async function loadTownshipView(
  src: ViewSource,
  roster: Roster,
  townshipId: string,
  now: Date,
  viewer: string,
): Promise<TownshipView> {
  const date = localDate(now);
  const cadres = inPost(roster, townshipId, date);
  const [rollup, read] = await Promise.all([
    loadRollup(src, roster, { county: false, townships: [townshipId] }, date.slice(0, 7), now),
    readLines(src, roster, cadres, now),
  ]);
  const villages = new Map<string, ViewCadre[]>();
  for (const { year: _year, ...c } of read.lines) villages.set(c.village, [...(villages.get(c.village) ?? []), c]);
  return {
    township: roster.townships.get(townshipId)!.name,
    date,
    rollup,
    villages: [...villages.entries()]
      .sort(([a], [b]) => zh(a, b))
      .map(([name, list]) => ({ name, cadres: list.sort((a, b) => zh(a.name, b.name)) })),
    pendingLeave: read.waiting.length,
    waitingOnViewer: read.waiting.filter((r) => currentStep(r)?.approvers.includes(viewer)).length,
    openNotices: read.openNotices.filter((n) => n.township.id === townshipId).length,
    openProblems: read.open.filter((p) => p.township === townshipId).length,
  };
}

/** The cadres of a sending unit (by the roster), in roster order. */
export function cadresOfUnit(roster: Roster, unit: string): Cadre[] {
  return roster.data.cadres.filter((c) => c.sendingUnit === unit);
}

/** By township (roster order), village and name. */
function unitOrder(roster: Roster) {
  const order = new Map([...roster.townships.values()].map((t, i) => [t.name, i]));
  return (a: { township: string; village: string; name: string }, b: typeof a) =>
    (order.get(a.township) ?? 0) - (order.get(b.township) ?? 0) || zh(a.village, b.village) || zh(a.name, b.name);
}

/** `本单位情况`: one sending unit's cadres in post as of `now`. */
export async function loadUnitView(src: ViewSource, roster: Roster, unit: string, now: Date): Promise<UnitView> {
  const date = localDate(now);
  const cadres = cadresOfUnit(roster, unit).filter((c) => c.termStart <= date && date <= c.termEnd);
  const [rollup, read] = await Promise.all([
    loadRollup(src, roster, unitScope(unit), date.slice(0, 7), now),
    readLines(src, roster, cadres, now),
  ]);
  return {
    unit,
    date,
    rollup,
    cadres: read.lines.sort(unitOrder(roster)),
    pendingLeave: read.waiting.length,
    openNotices: read.openNotices.filter((n) => n.sendingUnit === unit).length,
  };
}

/** One cadre in a sending unit's monthly summary: the closed month, leave taken in it, notices of the month. */
export interface SummaryCadre {
  userid: string;
  name: string;
  township: string;
  village: string;
  month: MonthLine;
  /** Days of the month on approved leave, by leave type. */
  leave: { type: string; days: number }[];
  /** The year's presence and target as they stand when the summary is made. */
  year: { present: number; target: number };
}

export interface UnitSummary {
  unit: string;
  month: string;
  rollup: Rollup;
  cadres: SummaryCadre[];
  /** Notices about the unit's cadres issued in the month, and those still open. */
  noticesIssued: number;
  openNotices: number;
}

/** A sending unit's summary of `month` (a closed month reads as closed), as of `now`. */
export async function loadUnitSummary(
  src: FiguresSource & { repos: { notices: Pick<NoticeRepo, 'open' | 'issuedBetween'> } },
  roster: Roster,
  unit: string,
  month: string,
  now: Date,
  notices?: { issued: readonly Notice[]; open: readonly Notice[] },
): Promise<UnitSummary> {
  const dates = monthDates(month);
  const [{ rollup, figures }, issued, open] = await Promise.all([
    readRollup(src, roster, unitScope(unit), month, now),
    notices?.issued ?? src.repos.notices.issuedBetween(dates[0]!, dates.at(-1)!),
    notices?.open ?? src.repos.notices.open(),
  ]);
  const cadres: SummaryCadre[] = [];
  for (const [userid, f] of figures) {
    const line = summaryLine(roster, userid, f, month, unit);
    if (line) cadres.push(line);
  }
  return {
    unit,
    month,
    rollup,
    cadres: cadres.sort(unitOrder(roster)),
    noticesIssued: issued.filter((n) => n.sendingUnit === unit).length,
    openNotices: open.filter((n) => isPending(n) && n.sendingUnit === unit).length,
  };
}

/** The cadre's line when they served `unit` in `month` (as the roll-up places them), else undefined. */
function summaryLine(
  roster: Roster,
  userid: string,
  f: SheetFigures,
  month: string,
  unit: string,
): SummaryCadre | undefined {
  const place = placeOf(roster, userid, f.periods ?? [], month);
  const m = f.months.find((x) => x.month === month);
  if (!place || place.cadre.sendingUnit !== unit || !m || !m.days.some((d) => d.mark !== 'outside')) return undefined;
  const byType = new Map<string, number>();
  for (const [date, l] of f.leave) if (date.startsWith(month)) byType.set(l.type, (byType.get(l.type) ?? 0) + 1);
  return {
    userid,
    name: place.cadre.name,
    township: place.township.name,
    village: place.village.name,
    month: monthLine(m),
    leave: [...byType].map(([type, days]) => ({ type, days })),
    year: { present: f.year.present, target: f.year.target.target },
  };
}
