/**
 * Reading the records 积分 is computed from, for a list of cadres and a half year: attendance figures (closed
 * months as they were closed), 六个一 from the reports, problems the cadre raised that were closed, leaders'
 * visits to the cadre's village, leave over its end (超假), the notices (from the notices' store, when the
 * caller has one) and, only when the policy scores them, the counts of reports and check-ins. Then
 * `computePoints` for each cadre.
 */
import type { FiguresSource } from '../attendance/figures.js';
import type { SheetFigures } from '../attendance/month-figures.js';
import type { CheckinRepo } from '../attendance/ledger.js';
import { monthFiguresFor } from '../close/read.js';
import { addDays, eachDate, localDate } from '../kit/dates.js';
import type { DayCalendar } from '../leave/count.js';
import { overstayDates } from '../leave/overstay.js';
import type { LeaveRepo } from '../leave/repo.js';
import type { LeaveRequest } from '../leave/workflow.js';
import type { ProblemRepo } from '../problems/repo.js';
import type { ReportRepo } from '../reports/repo.js';
import type { Report } from '../reports/report.js';
import { sixOnesOf, type SixOnesProgress } from '../reports/six-ones.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { VisitRepo } from '../visits/repo.js';
import { cadreHalf, cadreHalfOn, soFar, type CadreHalf, type HalfName, type Period } from './half.js';
import type { NoticeSource } from './notices.js';
import { computePoints, type PersonPoints, type PointsRecords } from './scheme.js';

/** What the points are read from (`Deps` with its repositories fits). */
export interface PointsSource extends FiguresSource {
  calendar: FiguresSource['calendar'] & DayCalendar;
  repos: { reports: ReportRepo; problems: ProblemRepo; visits: VisitRepo; leave: LeaveRepo; checkins: CheckinRepo };
  /** The numbered notices; absent until a store answers for them (then no notice item counts). */
  notices?: NoticeSource;
}

/** One cadre's points with the half year they are for. */
export interface CadrePoints {
  cadre: Cadre;
  half: CadreHalf;
  points: PersonPoints;
}

/** The presence days of each month of a cadre's figures: check-ins and leave that counts as present. */
export function presenceOf(f: SheetFigures | undefined, months: readonly string[]): PointsRecords['presence'] {
  if (!f) return [];
  return f.months
    .filter((m) => months.includes(m.month))
    .map((m) => ({
      month: m.month,
      target: m.target.status === 'set' ? m.target.target : null,
      dates: m.days
        .filter(
          (d) =>
            d.mark === 'present' ||
            d.mark === 'self-reported' ||
            (d.mark === 'leave' && f.leave.get(d.date)?.class === 'present'),
        )
        .map((d) => d.date),
    }));
}

/**
 * The 六个一 items done and the report that completed each: the first report with its tag, or, for the visit
 * item of a village with a household count, the report with which the visited households reached it.
 */
export function sixOnesDone(p: SixOnesProgress, reports: readonly Pick<Report, 'no' | 'createdAt' | 'households'>[]) {
  const byNo = new Map(reports.map((r) => [r.no, r]));
  const out: PointsRecords['sixOnes'] = [];
  for (const i of p.items) {
    if (!i.done || !i.reports.length) continue;
    let no = i.reports[0]!;
    if (i.item === 'visit' && p.households.target) {
      let sum = 0;
      for (const n of i.reports) {
        sum += byNo.get(n)?.households ?? 0;
        no = n;
        if (sum >= p.households.target) break;
      }
    }
    const r = byNo.get(no);
    if (r) out.push({ item: i.item, report: no, doneOn: localDate(new Date(r.createdAt)) });
  }
  return out;
}

/**
 * The days over of each approved leave: after 销假 as `overstayDates` counts them; a leave not reported back
 * whose end has passed counts its working days over up to yesterday.
 */
export function overstaysOf(
  leaves: readonly LeaveRequest[],
  calendar: DayCalendar,
  now: Date,
): PointsRecords['overstays'] {
  const yesterday = addDays(localDate(now), -1);
  const out: PointsRecords['overstays'] = [];
  for (const r of leaves) {
    if (r.status !== 'approved') continue;
    const asOf = r.returnedAt
      ? r
      : r.end < yesterday
        ? { ...r, returnedOn: yesterday, returnedAt: now.toISOString() }
        : r;
    const dates = overstayDates(asOf, calendar, leaves);
    if (dates.length) out.push({ leave: r.no, dates });
  }
  return out;
}

/** The months `YYYY-MM` of a period. */
function monthsOf(p: Period): string[] {
  return [...new Set(eachDate(p.start, p.end).map((d) => d.slice(0, 7)))];
}

/**
 * The points of `cadres` for the half year named `half` (each cadre's current half year when undefined), as of
 * `now`: the days so far of a half year not over yet. Cadres none of whose term falls in the half are left out.
 */
export async function loadPoints(
  src: PointsSource,
  roster: Roster,
  cadres: readonly Cadre[],
  half: HalfName | undefined,
  now: Date,
): Promise<CadrePoints[]> {
  const today = localDate(now);
  const alignment = src.policy.visits.halfYear;
  const scheme = src.policy.points;
  const halves: { cadre: Cadre; half: CadreHalf; period: Period | undefined }[] = [];
  for (const cadre of cadres) {
    const term = { start: cadre.termStart, end: cadre.termEnd };
    const h = half ? cadreHalf(term, half, alignment) : cadreHalfOn(term, today, alignment);
    if (h) halves.push({ cadre, half: h, period: soFar(h.period, today) });
  }
  const started = halves.filter((t) => t.period);
  const ids = started.map((t) => t.cadre.userid);
  const months = [...new Set(started.flatMap((t) => monthsOf(t.period!)))].sort();
  const whole = started.length
    ? {
        start: started.reduce((s, t) => (t.period!.start < s ? t.period!.start : s), started[0]!.period!.start),
        end: started.reduce((e, t) => (t.period!.end > e ? t.period!.end : e), started[0]!.period!.end),
      }
    : undefined;
  const [figures, reports, leaves, notices] = await Promise.all([
    ids.length
      ? monthFiguresFor(
          src,
          started.map((t) => t.cadre),
          { now, months, onlyListed: true },
        )
      : undefined,
    src.repos.reports.ofUsers(ids),
    src.repos.leave.ofUsers(ids),
    src.notices && whole ? src.notices.ofUsers(ids, whole) : undefined,
  ]);
  const villages = [...new Set(started.map((t) => t.cadre.village))];
  const [problems, visits] = await Promise.all([
    Promise.all(villages.map((v) => src.repos.problems.ofVillage(v))).then(
      (l) => new Map(villages.map((v, i) => [v, l[i]!])),
    ),
    Promise.all(villages.map((v) => src.repos.visits.ofVillage(v))).then(
      (l) => new Map(villages.map((v, i) => [v, l[i]!])),
    ),
  ]);

  const out: CadrePoints[] = [];
  for (const t of halves) {
    const { cadre } = t;
    const empty = { start: t.half.period.start, end: addDays(t.half.period.start, -1) };
    if (!t.period) {
      const none: PointsRecords = {
        userid: cadre.userid,
        presence: [],
        sixOnes: [],
        problems: [],
        visits: [],
        overstays: [],
        reports: [],
        checkins: [],
      };
      if (src.notices) none.notices = [];
      out.push({ cadre, half: t.half, points: computePoints(scheme, none, empty) });
      continue;
    }
    const mine = reports.get(cadre.userid) ?? [];
    const records: PointsRecords = {
      userid: cadre.userid,
      presence: presenceOf(figures?.figures.get(cadre.userid), monthsOf(t.period)),
      sixOnes: sixOnesDone(sixOnesOf(roster, cadre, mine, now, src.policy.reports.firstMonthDays), mine),
      problems: (problems.get(cadre.village) ?? [])
        .filter((p) => p.userId === cadre.userid && p.status === 'closed' && p.closedAt)
        .map((p) => ({ no: p.no, closedOn: localDate(new Date(p.closedAt!)) })),
      visits: (visits.get(cadre.village) ?? [])
        .filter((v) => v.userId !== cadre.userid)
        .map((v) => ({ no: v.no, on: localDate(new Date(v.at)), by: v.userId })),
      overstays: overstaysOf(leaves.get(cadre.userid) ?? [], src.calendar, now),
      reports: scheme.items.reports.enabled
        ? mine.map((r) => ({ no: r.no, on: localDate(new Date(r.createdAt)) }))
        : [],
      checkins: scheme.items.checkins.enabled ? await checkinsOf(src.repos.checkins, cadre.userid, t.period) : [],
    };
    if (notices) records.notices = [...(notices.get(cadre.userid) ?? [])];
    out.push({ cadre, half: t.half, points: computePoints(scheme, records, t.period) });
  }
  return out;
}

/** Each check-in message (签到, not 签退) of the period, read only when the policy scores them. */
async function checkinsOf(repo: CheckinRepo, userid: string, p: Period): Promise<PointsRecords['checkins']> {
  const out: PointsRecords['checkins'] = [];
  for (const m of monthsOf(p)) {
    for (const [date, list] of await repo.month(userid, m))
      for (const c of list) if (c.direction === 'in') out.push({ at: c.at, on: date });
  }
  return out;
}
