/**
 * The problem ledger in the digests. Daily, to each township's supervisors: the township's problems open longer
 * than the policy's `problems.overdueDays`. Weekly, to the organisation department: the county's overdue
 * problems by township; and to each of the four contacts (四包一) the open problems of their villages that were
 * not sent to them at once. A problem's text is shown only to readers in its chain, and to the organisation
 * department; anyone else sees its number, village and age.
 *
 * `*Digest` reads the roster and builds plain data (in a job's `load`); `*Messages` turns it into messages,
 * pure, with keys per township or person and day or ISO week, so a repeated run sends nothing twice.
 */
import type { Outbound } from '../core/outbound.js';
import { localDate } from '../kit/dates.js';
import type { Roster } from '../roster/roster.js';
import * as T from '../../templates/problems.js';
import { chainOf, daysOpen, isOverdue, type Problem } from './problem.js';
import { nameOf } from './view.js';

export interface TownshipOverdue {
  township: { id: string; name: string };
  supervisors: string[];
  list: T.DigestProblem[];
}

export interface DailyProblems {
  date: string;
  overdueDays: number;
  townships: TownshipOverdue[];
}

export interface WeeklyProblems {
  overdueDays: number;
  org: string[];
  overdue: { name: string; list: T.DigestProblem[] }[];
  contacts: { userid: string; list: T.DigestProblem[] }[];
}

function line(roster: Roster, p: Problem, today: string, withText: boolean): T.DigestProblem {
  return {
    no: p.no,
    village: roster.villages.get(p.village)?.name ?? p.village,
    cadreName: nameOf(roster, p.userId),
    days: daysOpen(p, today),
    ...(withText ? { text: p.text } : {}),
  };
}

/** The daily part: per township with overdue problems, its supervisors and the list. */
export function dailyProblems(roster: Roster, open: readonly Problem[], now: Date, overdueDays: number): DailyProblems {
  const today = localDate(now);
  const overdue = open.filter((p) => isOverdue(p, now, overdueDays));
  const townships: TownshipOverdue[] = [];
  for (const t of roster.data.townships) {
    const mine = overdue.filter((p) => p.township === t.id);
    const supervisors = roster.townshipSupervisors(t.id).map((s) => s.userid);
    if (!mine.length || !supervisors.length) continue;
    // One message to all of them: the text only when every one of them is in the problem's chain.
    const list = mine.map((p) => {
      const chain = chainOf(p);
      return line(
        roster,
        p,
        today,
        supervisors.every((u) => chain.has(u)),
      );
    });
    townships.push({ township: { id: t.id, name: t.name }, supervisors, list });
  }
  return { date: today, overdueDays, townships };
}

export function dailyProblemMessages(d: DailyProblems): Outbound[] {
  return d.townships.map((t) => ({
    key: `digest:daily:${t.township.id}:${d.date}:problems`,
    to: { kind: 'user', userIds: t.supervisors },
    body: { type: 'text', content: T.dailyOverdue(t.township.name, d.date, t.list, d.overdueDays) },
    purpose: 'digest',
  }));
}

/** The weekly part: the county's overdue problems for the organisation department, the contacts' lists. */
export function weeklyProblems(
  roster: Roster,
  open: readonly Problem[],
  now: Date,
  overdueDays: number,
): WeeklyProblems {
  const today = localDate(now);
  const overdue = open.filter((p) => isOverdue(p, now, overdueDays));
  const byTownship = roster.data.townships
    .map((t) => ({
      name: t.name,
      list: overdue.filter((p) => p.township === t.id).map((p) => line(roster, p, today, true)),
    }))
    .filter((t) => t.list.length);
  const contacts = new Map<string, T.DigestProblem[]>();
  for (const p of open) {
    for (const u of p.listed) {
      const list = contacts.get(u) ?? [];
      list.push(line(roster, p, today, true));
      contacts.set(u, list);
    }
  }
  return {
    overdueDays,
    org: roster.orgDepartment().map((s) => s.userid),
    overdue: byTownship,
    contacts: [...contacts].map(([userid, list]) => ({ userid, list })),
  };
}

export function weeklyProblemMessages(w: WeeklyProblems, week: string): Outbound[] {
  const out: Outbound[] = [];
  const org = [...new Set(w.org)];
  if (org.length && w.overdue.length)
    out.push({
      key: `digest:weekly:${week}:problems:org`,
      to: { kind: 'user', userIds: org },
      body: { type: 'text', content: T.weeklyOverdue(w.overdue, w.overdueDays) },
      purpose: 'digest',
    });
  for (const c of w.contacts)
    out.push({
      key: `digest:weekly:${week}:problems:${c.userid}`,
      to: { kind: 'user', userIds: [c.userid] },
      body: { type: 'text', content: T.weeklyList(c.list) },
      purpose: 'digest',
    });
  return out;
}
