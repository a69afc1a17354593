/**
 * What a 领队 sees of their township (the weekly private digest and `本组情况`), pure: the township's cadres in
 * post, grouped by work group in the roster's order (cadres of villages in no work group last), each with the
 * month so far, their leave (now or within the coming week), the reports of the last seven days and their open
 * problems. Cadres are listed by village and name, never by their figures: no ranking (docs/rules.md, 减轻负担).
 */
import type { MonthLine } from './daily.js';

export interface TeamLeave {
  no: string;
  type: string;
  start: string;
  end: string;
}

export interface TeamCadre {
  userid: string;
  name: string;
  village: string;
  /** The work group of the cadre's village, if it is in one. */
  workGroup?: string;
  month: MonthLine;
  /** Approved leave covering a day from today to a week ahead (the first such one). */
  leave?: TeamLeave;
  /** Work reports filed in the last seven days, today included. */
  reportsWeek: number;
  /** Open problems of the cadre's village (民情台账). */
  openProblems: number;
}

export interface TeamInput {
  township: { id: string; name: string };
  /** The township's work groups in roster order. */
  workGroups: { id: string; name: string }[];
  cadres: TeamCadre[];
  /** Open problems of the township's villages (each counted once, however many cadres a village has). */
  openProblems: number;
  /** Today, `YYYY-MM-DD`. */
  date: string;
}

export interface TeamGroup {
  /** The work group's name; undefined for the cadres of villages in no work group. */
  name?: string;
  cadres: TeamCadre[];
}

export interface TeamModel {
  township: string;
  date: string;
  groups: TeamGroup[];
  totals: { cadres: number; atRisk: number; onLeave: number; reportsWeek: number; openProblems: number };
}

const byVillageThenName = (a: TeamCadre, b: TeamCadre) =>
  a.village.localeCompare(b.village, 'zh') || a.name.localeCompare(b.name, 'zh');

export function teamModel(input: TeamInput): TeamModel {
  const groups: TeamGroup[] = [];
  for (const g of input.workGroups) {
    const cadres = input.cadres.filter((c) => c.workGroup === g.id).sort(byVillageThenName);
    if (cadres.length) groups.push({ name: g.name, cadres });
  }
  const known = new Set(input.workGroups.map((g) => g.id));
  const rest = input.cadres.filter((c) => c.workGroup === undefined || !known.has(c.workGroup)).sort(byVillageThenName);
  if (rest.length) groups.push({ cadres: rest });
  const cs = input.cadres;
  return {
    township: input.township.name,
    date: input.date,
    groups,
    totals: {
      cadres: cs.length,
      atRisk: cs.filter((c) => c.month.status === 'at-risk' || c.month.status === 'cannot-reach').length,
      onLeave: cs.filter((c) => c.leave && c.leave.start <= input.date).length,
      reportsWeek: cs.reduce((n, c) => n + c.reportsWeek, 0),
      openProblems: input.openProblems,
    },
  };
}
