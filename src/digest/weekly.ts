/**
 * The weekly digest for the organisation department, pure: per township and for the county, the attendance
 * rate of the week, the month's at-risk and below-target counts, leave, reports, the 六个一 of new cadres and
 * the open warnings; and the rows of the chart.
 *
 * **The week** is the last full Monday–Sunday week before the day of the run (the digest goes out on Monday
 * mornings, so it is the week just ended); every day of it is over, so nothing is "no data yet".
 * **Attendance rate** = presence days ÷ due cadre-days of that week. A day is due when it is inside the cadre's
 * term and neither an official day off nor a day of excused leave (病假 …): the same days the monthly target
 * is spread over, so the rate and the target agree. A presence day is a check-in (any source, back-fills
 * included) or leave of the present class (公差, 培训, 会议); 事假 stays due and counts as absent. Presence
 * on a day off is not in the rate (it still counts towards the cadre's target). While a year has no holiday
 * data, its days off are unknown and every day is due. The township roll-up of the month uses the same rule
 * over the month so far.
 * **At risk / below target** are the month's forecast (month of the week's Sunday, as of the run): at risk
 * needs more than the policy's share of the open days; below target can no longer reach the target (or, for a
 * month already over, fell short of it).
 */
import { addDays, weekday } from '../kit/dates.js';
import type { LeaveClass } from '../leave/workflow.js';
import type { SixOnesProgress } from '../reports/six-ones.js';
import type { ChartRow } from '../charts/chart-row.js';
import type { MonthLine } from './daily.js';
import type { OverdueVisitsView } from '../../templates/visits.js';

/** One day of a cadre's week (a `DayFact` fits). */
export interface WeekDay {
  date: string;
  inTerm: boolean;
  /** Official day off; undefined when the year has no holiday data. */
  off: boolean | undefined;
  checkedIn: boolean;
  leave: LeaveClass | undefined;
}

export interface WeeklyCadre {
  userid: string;
  name: string;
  village: string;
  /** Township id. */
  township: string;
  /** The seven days of the week. */
  days: WeekDay[];
  month: MonthLine;
  /** Work reports filed during the week. */
  reports: number;
  /** The 六个一 of a cadre whose first month is running or ended during the week. */
  sixOnes?: SixOnesProgress;
}

/** The stages a digest lists: a 提醒 is private to the cadre and never reaches a digest. */
export type WarningStage = 'rectify' | 'warn';

/** An open notice of the warning ladder (`openWarnings` fits). */
export interface DigestWarning {
  userId: string;
  name: string;
  village: string;
  township: { id: string };
  stage: WarningStage;
  month: string;
  /** For 整改: the cadre has answered. */
  answer?: unknown;
}

export interface WeeklyInput {
  week: { start: string; end: string };
  /** The month whose forecast the counts show (`YYYY-MM`). */
  month: string;
  townships: { id: string; name: string }[];
  cadres: WeeklyCadre[];
  warnings?: DigestWarning[];
  /** The month's year has no holiday data: targets are pending. */
  uncoveredYear?: number;
  /** Sending units' visiting obligations overdue on the day of the run (到村调研), with names. */
  visitsOverdue?: OverdueVisitsView;
}

export interface WeekCounts {
  cadres: number;
  presentDays: number;
  dueDays: number;
  /** presentDays ÷ dueDays, null when no day was due. */
  rate: number | null;
  atRisk: number;
  belowTarget: number;
  /** Cadres whose month target is pending (no holiday data). */
  pendingTarget: number;
  /** Cadres with leave in the week, and their leave days in it. */
  onLeave: number;
  leaveDays: number;
  reports: number;
}

export interface NewCadre {
  name: string;
  village: string;
  sixOnes: SixOnesProgress;
}

export interface TownshipWeek extends WeekCounts {
  id: string;
  name: string;
  newCadres: NewCadre[];
  warnings: { name: string; village: string; stage: WarningStage; month: string; answered: boolean }[];
}

export interface WeeklyModel {
  week: { start: string; end: string };
  month: string;
  uncoveredYear?: number;
  townships: TownshipWeek[];
  total: WeekCounts;
  visitsOverdue?: OverdueVisitsView;
}

/** The last full Monday–Sunday week before `date`. */
export function weekBefore(date: string): { start: string; end: string } {
  const back = weekday(date) === 0 ? 7 : weekday(date);
  const end = addDays(date, -back);
  return { start: addDays(end, -6), end };
}

/** Presence and due days of a cadre's week (see the module comment). */
export function weekPresence(days: readonly WeekDay[]): { present: number; due: number; leaveDays: number } {
  let present = 0;
  let due = 0;
  let leaveDays = 0;
  for (const d of days) {
    if (!d.inTerm) continue;
    if (d.leave) leaveDays += 1;
    if (d.off === true || d.leave === 'excused') continue;
    due += 1;
    if (d.checkedIn || d.leave === 'present') present += 1;
  }
  return { present, due, leaveDays };
}

/** A cadre whose first month runs now or ended within the week. */
export function isNewCadre(p: SixOnesProgress, week: { start: string }): boolean {
  return p.phase === 'during' || (p.phase === 'after' && p.end >= week.start);
}

const empty = (): WeekCounts => ({
  cadres: 0,
  presentDays: 0,
  dueDays: 0,
  rate: null,
  atRisk: 0,
  belowTarget: 0,
  pendingTarget: 0,
  onLeave: 0,
  leaveDays: 0,
  reports: 0,
});

function addCadre(into: WeekCounts, c: WeeklyCadre): void {
  const w = weekPresence(c.days);
  into.cadres += 1;
  into.presentDays += w.present;
  into.dueDays += w.due;
  into.leaveDays += w.leaveDays;
  if (w.leaveDays) into.onLeave += 1;
  into.reports += c.reports;
  if (c.month.status === 'at-risk') into.atRisk += 1;
  if (c.month.status === 'cannot-reach') into.belowTarget += 1;
  if (c.month.status === 'pending') into.pendingTarget += 1;
}

function sum(into: WeekCounts, from: WeekCounts): void {
  for (const k of [
    'cadres',
    'presentDays',
    'dueDays',
    'atRisk',
    'belowTarget',
    'pendingTarget',
    'onLeave',
    'leaveDays',
    'reports',
  ] as const)
    into[k] += from[k];
}

const withRate = <C extends WeekCounts>(c: C): C => ({ ...c, rate: c.dueDays ? c.presentDays / c.dueDays : null });

/**
 * Build the weekly model: the townships in the order given, each with the cadres in post during the week
 * (at least one day of the week in their term), and the county total. Pure.
 */
export function weeklyModel(input: WeeklyInput): WeeklyModel {
  const total = empty();
  const warnings = input.warnings ?? [];
  const townships = input.townships.map((t) => {
    const row: TownshipWeek = { id: t.id, name: t.name, ...empty(), newCadres: [], warnings: [] };
    for (const c of input.cadres) {
      if (c.township !== t.id || !c.days.some((d) => d.inTerm)) continue;
      addCadre(row, c);
      if (c.sixOnes && isNewCadre(c.sixOnes, input.week))
        row.newCadres.push({ name: c.name, village: c.village, sixOnes: c.sixOnes });
    }
    row.warnings = warnings
      .filter((w) => w.township.id === t.id)
      .map((w) => ({
        name: w.name,
        village: w.village,
        stage: w.stage,
        month: w.month,
        answered: w.answer !== undefined,
      }));
    sum(total, row);
    return withRate(row);
  });
  return {
    week: input.week,
    month: input.month,
    ...(input.uncoveredYear !== undefined ? { uncoveredYear: input.uncoveredYear } : {}),
    townships,
    total: withRate(total),
    ...(input.visitsOverdue ? { visitsOverdue: input.visitsOverdue } : {}),
  };
}

/** The chart's rows: one per township with cadres in post, in the model's order. */
export function chartRows(m: WeeklyModel): ChartRow[] {
  return m.townships
    .filter((t) => t.cadres > 0)
    .map((t) => ({ name: t.name, rate: t.rate, atRisk: t.atRisk, belowTarget: t.belowTarget }));
}
