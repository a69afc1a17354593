/**
 * What the sentences about a problem need, with the roster's names put in (templates/problems.ts reads views,
 * never the roster).
 */
import { localDate } from '../kit/dates.js';
import type { Roster } from '../roster/roster.js';
import { daysOpen, type Problem } from './problem.js';

export interface ProblemStepView {
  kind: Problem['steps'][number]['kind'];
  name: string;
  at: string;
  text?: string;
  /** For a hand-on: the target's name. */
  to?: string;
}

export interface ProblemView {
  no: string;
  village: string;
  /** Township and village, `新田乡北堡村`. */
  place: string;
  cadreName: string;
  text: string;
  createdAt: string;
  /** The day it was raised (local). */
  createdOn: string;
  /** Days open as of the view's day. */
  days: number;
  status: Problem['status'];
  closedAt?: string;
  steps: ProblemStepView[];
}

/** The name of a userid on the roster, or the userid itself for someone no longer on it. */
export function nameOf(roster: Roster, userid: string): string {
  return roster.person(userid)?.name ?? userid;
}

export function problemView(roster: Roster, p: Problem, now: Date): ProblemView {
  const village = roster.villages.get(p.village)?.name ?? p.village;
  const township = roster.townships.get(p.township)?.name ?? p.township;
  return {
    no: p.no,
    village,
    place: `${township}${village}`,
    cadreName: nameOf(roster, p.userId),
    text: p.text,
    createdAt: p.createdAt,
    createdOn: localDate(new Date(p.createdAt)),
    days: daysOpen(p, localDate(now)),
    status: p.status,
    ...(p.closedAt ? { closedAt: p.closedAt } : {}),
    steps: p.steps.map((s) => ({
      kind: s.kind,
      name: nameOf(roster, s.by),
      at: s.at,
      ...(s.text !== undefined ? { text: s.text } : {}),
      ...(s.to ? { to: s.to.name } : {}),
    })),
  };
}

/** Names of userids, each once. */
export function namesOf(roster: Roster, ids: readonly string[]): string[] {
  return [...new Set(ids)].map((u) => nameOf(roster, u));
}
