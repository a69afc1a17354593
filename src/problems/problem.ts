/**
 * The problem ledger (民情台账), pure: a problem a cadre brings from the village (P1001), who it is sent to, who
 * may act on it and read it, where it may be handed on, and when it is overdue. No Redis, no clock: `now`, the
 * policy and the roster come in.
 *
 * **The chain** of a problem is everyone it reached: the people it was sent to at once (`routed`, by the
 * policy's `problems.routeTo`), the village's four contacts who get it in the weekly list (`listed`), and
 * whoever it was handed on to (`handedTo`). Anyone in the chain may answer (回复), hand it on (转办) and close it
 * (办结); the cadre who raised it adds to it (补充). Nobody outside the chain reads its text, except the
 * village's cadres, the township's supervisors and the organisation department, who may list the village's
 * problems (docs/rules.md, 民情台账).
 */
import { daysBetween, localDate } from '../kit/dates.js';
import type { Policy, ProblemRoute } from '../policy/schema.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';

/** What one step did: raised, answered, handed on, closed, or added to by the cadre. */
export type ProblemStepKind = 'create' | 'reply' | 'handover' | 'close' | 'add';

/** Where a problem was handed on: a sending unit, a township, or one person on the roster. */
export interface ProblemTarget {
  kind: 'unit' | 'township' | 'person';
  /** The unit's, township's or person's name as the messages show it. */
  name: string;
  /** Who receives it there. */
  userIds: string[];
}

export interface ProblemStep {
  kind: ProblemStepKind;
  /** userid of who did it. */
  by: string;
  /** When (ISO time). */
  at: string;
  /** The answer, the addition, the result; absent for a hand-on without a word. */
  text?: string;
  /** For a hand-on: where to. */
  to?: ProblemTarget;
}

export interface Problem {
  /** P1001, … */
  no: string;
  /** The cadre who raised it. */
  userId: string;
  /** Village and township ids (as when it was raised: a cadre who moves later leaves the problem with the village). */
  village: string;
  township: string;
  text: string;
  createdAt: string;
  /** The work report it came from (`#困难`), if any. */
  report?: string;
  /** Sent at once to these userids. */
  routed: string[];
  /** The village's contacts who get it in the weekly list. */
  listed: string[];
  /** Everyone it was handed on to, in order. */
  handedTo: string[];
  status: 'open' | 'closed';
  closedAt?: string;
  steps: ProblemStep[];
}

/** `P1001`, `p1001` or `1001`, then the words (`回复 P1001 已联系水利站`). */
const NUMBER = /^[Pp]?(\d{1,9})(?:\s+|$)([\s\S]*)$/;

/** The number and the words after it, or undefined when the text does not start with a number. */
export function readNumbered(rest: string): { no: string; words: string } | undefined {
  const m = NUMBER.exec(rest.normalize('NFKC').trim());
  return m ? { no: `P${m[1]}`, words: m[2]!.trim() } : undefined;
}

/** Each userid once, in order, without `except`. */
function unique(ids: Iterable<string>, except: string): string[] {
  return [...new Set(ids)].filter((u) => u !== except);
}

/**
 * Who hears of a new problem of `cadre`'s village: at once the policy's `problems.routeTo` (the township's
 * 领队, its supervisors, any of the four contacts by field), in the weekly list the other contacts. The cadre
 * is never among them.
 */
export function problemRecipients(
  policy: Pick<Policy, 'problems'>,
  roster: Roster,
  cadre: Cadre,
): { routed: string[]; listed: string[] } {
  const township = roster.townshipOf(cadre).id;
  const contacts = roster.contactsOf(cadre.village);
  const of = (route: ProblemRoute): string[] => {
    if (route === 'teamLeader') return roster.teamLeadersOfTownship(township).map((c) => c.userid);
    if (route === 'township') return roster.townshipSupervisors(township).map((s) => s.userid);
    return contacts ? [contacts[route]] : [];
  };
  const routed = unique(policy.problems.routeTo.flatMap(of), cadre.userid);
  const contactIds = contacts
    ? [contacts.countyLeader, contacts.townshipHead, contacts.orgDepartment, contacts.sendingUnit]
    : [];
  const listed = unique(contactIds, cadre.userid).filter((u) => !routed.includes(u));
  return { routed, listed };
}

/** A new problem raised by `cadre`. */
export function newProblem(
  no: string,
  roster: Roster,
  cadre: Cadre,
  text: string,
  to: { routed: string[]; listed: string[] },
  now: Date,
  report?: string,
): Problem {
  const at = now.toISOString();
  return {
    no,
    userId: cadre.userid,
    village: cadre.village,
    township: roster.townshipOf(cadre).id,
    text,
    createdAt: at,
    ...(report ? { report } : {}),
    routed: to.routed,
    listed: to.listed,
    handedTo: [],
    status: 'open',
    steps: [{ kind: 'create', by: cadre.userid, at, text }],
  };
}

/** Everyone in the problem's chain (see the module comment). */
export function chainOf(p: Problem): Set<string> {
  return new Set([...p.routed, ...p.listed, ...p.handedTo]);
}

/** Whether `userid` may answer, hand on or close the problem. */
export function mayAct(p: Problem, userid: string): boolean {
  return userid !== p.userId && chainOf(p).has(userid);
}

/**
 * Whether `userid` may read the problem's text: its cadre, its chain, the village's cadres, the township's
 * supervisors and the organisation department.
 */
export function mayRead(p: Problem, roster: Roster, userid: string): boolean {
  if (userid === p.userId || chainOf(p).has(userid)) return true;
  if (roster.cadres.get(userid)?.village === p.village) return true;
  if (roster.townshipSupervisors(p.township).some((s) => s.userid === userid)) return true;
  return roster.orgDepartment().some((s) => s.userid === userid);
}

/** Whether the person asking is one who may list a village's problems whatever their chain. */
export function mayListVillage(roster: Roster, userid: string, village: { id: string; township: string }): boolean {
  if (roster.cadres.get(userid)?.village === village.id) return true;
  if (roster.townshipSupervisors(village.township).some((s) => s.userid === userid)) return true;
  return roster.orgDepartment().some((s) => s.userid === userid);
}

/** Days a problem has been open on `today` (0 on the day it was raised). */
export function daysOpen(p: Problem, today: string): number {
  return Math.max(0, daysBetween(localDate(new Date(p.createdAt)), today));
}

/** Open longer than the policy's `problems.overdueDays`. */
export function isOverdue(p: Problem, now: Date, overdueDays: number): boolean {
  return p.status === 'open' && daysOpen(p, localDate(now)) > overdueDays;
}

/** Where a problem may be handed on: the county's sending units and townships by name (and anyone by name). */
export function handoverTargets(roster: Roster): { units: string[]; townships: string[] } {
  const units = new Set<string>();
  for (const u of roster.data.sendingUnits ?? []) units.add(u.name);
  for (const s of roster.data.supervisors) if (s.kind === 'sending-unit') units.add(s.scope);
  return { units: [...units], townships: roster.data.townships.map((t) => t.name) };
}

export type TargetRefusal = 'unknown' | 'ambiguous' | 'nobody';

/**
 * The target of `转办 P1001 <word>`: a sending unit by name (its main leader, deputy in charge and sending-unit
 * supervisors), a township by name or id (its supervisors), or one person on the roster by userid or exact name.
 */
export function resolveTarget(roster: Roster, word: string): { target: ProblemTarget } | { refusal: TargetRefusal } {
  const w = word.trim();
  const { units } = handoverTargets(roster);
  if (units.includes(w)) {
    const u = roster.sendingUnit(w);
    const ids = [
      ...new Set([...(u ? [u.mainLeader, u.deputy] : []), ...roster.sendingUnitLeaders(w).map((s) => s.userid)]),
    ];
    return ids.length ? { target: { kind: 'unit', name: w, userIds: ids } } : { refusal: 'nobody' };
  }
  const township = roster.data.townships.find((t) => t.name === w || t.id === w);
  if (township) {
    const ids = roster.townshipSupervisors(township.id).map((s) => s.userid);
    return ids.length ? { target: { kind: 'township', name: township.name, userIds: ids } } : { refusal: 'nobody' };
  }
  const byId = roster.person(w);
  if (byId) return { target: { kind: 'person', name: byId.name, userIds: [byId.userid] } };
  const named = roster.userids().filter((u) => roster.person(u)?.name === w);
  if (named.length > 1) return { refusal: 'ambiguous' };
  if (named.length === 1) return { target: { kind: 'person', name: w, userIds: named } };
  return { refusal: 'unknown' };
}

/** The problem after one more step by `by`; a close sets its status. Pure: the input is left as it is. */
export function withStep(p: Problem, step: ProblemStep): Problem {
  const handedTo = step.to ? [...p.handedTo, ...step.to.userIds.filter((u) => !p.handedTo.includes(u))] : p.handedTo;
  return {
    ...p,
    handedTo,
    steps: [...p.steps, step],
    ...(step.kind === 'close' ? { status: 'closed' as const, closedAt: step.at } : {}),
  };
}
