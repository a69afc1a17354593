/**
 * What an import changes, pure: the roster before, the assignment histories and the new file in; the new
 * histories and a summary out (`zhucun roster diff` prints it, `import` prints it and applies the histories).
 *
 * An import on day D takes effect from D. A cadre missing from the file was last in post on D − 1 (removed),
 * unless the file names the day (`departures`, or `replaces` on their successor); a cadre whose village or
 * sending unit changed ends the old period on D − 1 and holds the new one from D (or `since`); a later
 * `termStart` opens a new term from that day. Nothing is ever deleted: a period only gets an end.
 */
import { addDays } from '../kit/dates.js';
import { assignmentOf, defaultHistory, ended, openPeriod, type Assignment, type EndReason } from './assignments.js';
import { sectionChanges, type SectionChanges } from './section-diff.js';
import type { Cadre, RosterData } from './schema.js';

export interface AddedCadre {
  userid: string;
  name: string;
  village: string;
  from: string;
}
export interface EndedCadre {
  userid: string;
  name: string;
  village: string;
  lastDay: string;
  reason: EndReason;
  by?: { userid: string; name: string };
}
export interface MovedCadre {
  userid: string;
  name: string;
  fromVillage: string;
  toVillage: string;
  /** First day in the new village. */
  on: string;
  sendingUnit?: { before: string; after: string };
}
export interface TermChange {
  userid: string;
  name: string;
  before: { start: string; end: string };
  after: { start: string; end: string };
  /** `new-term`: a later term start, a new term (new targets); `corrected`: the current term's dates changed. */
  kind: 'new-term' | 'corrected';
}
export interface FieldChange {
  userid: string;
  name: string;
  field: 'name' | 'role' | 'teamLeader';
  before: string;
  after: string;
}

export interface RosterDiff extends SectionChanges {
  /** The import date: the first day of the new roster. */
  date: string;
  added: AddedCadre[];
  ended: EndedCadre[];
  moved: MovedCadre[];
  terms: TermChange[];
  changed: FieldChange[];
}

export interface ImportPlan {
  diff: RosterDiff;
  /** The histories that change (complete, per userid). */
  histories: Map<string, Assignment[]>;
  /** What the file asks that cannot be done (`replaces` or `departures` naming someone never on the roster). */
  problems: string[];
}

/**
 * Plan importing `next` on `today` over `previous` (the stored roster) and `stored` (the stored histories;
 * a cadre of `previous` without one gets the history of a roster written before histories were kept).
 */
export function planImport(
  previous: RosterData,
  stored: ReadonlyMap<string, readonly Assignment[]>,
  next: RosterData,
  today: string,
): ImportPlan {
  const dayBefore = addDays(today, -1);
  const hist = new Map<string, Assignment[]>();
  for (const [u, h] of stored) hist.set(u, [...h]);
  // Only what is stored counts as unchanged: a history made up for an older roster is written with the import.
  const before = new Map([...stored].map(([u, h]) => [u, JSON.stringify(h)]));
  for (const c of previous.cadres) if (!hist.has(c.userid)) hist.set(c.userid, defaultHistory(c, previous, today));
  const diff: RosterDiff = {
    date: today,
    added: [],
    ended: [],
    moved: [],
    terms: [],
    changed: [],
    ...sectionChanges(previous, next),
  };
  const problems: string[] = [];
  const names = new Map(next.cadres.map((c) => [c.userid, c.name]));

  const end = (u: string, last: string, reason: EndReason, by?: string) => {
    const h = hist.get(u)!;
    const open = openPeriod(h)!;
    const done = ended(open, last, reason, by);
    h[h.length - 1] = done;
    diff.ended.push({
      userid: u,
      name: open.name,
      village: open.villageName,
      lastDay: done.to!,
      reason,
      ...(by ? { by: { userid: by, name: names.get(by) ?? by } } : {}),
    });
  };
  // A term already over ends there, whatever else the file says.
  for (const [u, h] of hist) {
    const open = openPeriod(h);
    if (open && open.termEnd < today) end(u, open.termEnd, 'term-end');
  }

  const firstDay = new Map<string, string>();
  for (const c of next.cadres) {
    const h = hist.get(c.userid) ?? [];
    hist.set(c.userid, h);
    const start = placeCadre(c, h, next, today, diff);
    if (start) firstDay.set(c.userid, start);
    const open = openPeriod(h);
    if (open && open.termEnd < today) end(c.userid, open.termEnd, 'term-end');
  }

  next.cadres.forEach((c, i) => {
    if (c.replaces === undefined) return;
    const h = hist.get(c.replaces);
    if (!h?.length)
      problems.push(`cadres[${i}] (userid "${c.userid}"): replaces: "${c.replaces}" was never on the roster`);
    else if (openPeriod(h)) end(c.replaces, addDays(firstDay.get(c.userid) ?? today, -1), 'replaced', c.userid);
  });
  (next.departures ?? []).forEach((x, i) => {
    const h = hist.get(x.userid);
    if (!h?.length)
      problems.push(`departures[${i}] (userid "${x.userid}"): userid: "${x.userid}" was never on the roster`);
    else if (openPeriod(h)) end(x.userid, x.on, x.reason);
  });
  for (const [u, h] of hist) if (!names.has(u) && openPeriod(h)) end(u, dayBefore, 'removed');

  const histories = new Map<string, Assignment[]>();
  for (const [u, h] of hist) if (h.length && before.get(u) !== JSON.stringify(h)) histories.set(u, h);
  return { diff, histories, problems };
}

/**
 * Bring one cadre's history in line with the file: open a period (new cadre, move, new term) or update the
 * open one in place (name, role, team leader, corrected term dates). Returns the first day of a period it
 * opened.
 */
function placeCadre(c: Cadre, h: Assignment[], next: RosterData, today: string, diff: RosterDiff): string | undefined {
  const open = openPeriod(h);
  const fresh = (from: string) => assignmentOf(c, next, from);
  if (!open) {
    const prev = h.at(-1);
    // Still listed after the term ended: nothing to open (the file has not caught up yet).
    if (prev?.end === 'term-end' && prev.termStart === c.termStart && c.termEnd <= prev.termEnd) return undefined;
    const last = prev?.to;
    const after = last ? addDays(last, 1) : c.termStart;
    const from = c.since ?? (after > c.termStart ? after : c.termStart);
    h.push(fresh(from));
    diff.added.push({ userid: c.userid, name: c.name, village: h.at(-1)!.villageName, from });
    return from;
  }
  const newTerm = c.termStart > open.termStart;
  const moved = c.village !== open.village || c.sendingUnit !== open.sendingUnit;
  if (newTerm || moved) {
    const from = c.since ?? (newTerm ? c.termStart : today);
    const reason: EndReason = newTerm ? (c.village !== open.village ? 'rotation' : 'term-end') : 'moved';
    h[h.length - 1] = ended(open, addDays(from, -1), reason);
    h.push(fresh(from));
    if (newTerm) diff.terms.push({ ...termChange(c, open), kind: 'new-term' });
    if (moved)
      diff.moved.push({
        userid: c.userid,
        name: c.name,
        fromVillage: open.villageName,
        toVillage: h.at(-1)!.villageName,
        on: from,
        ...(c.sendingUnit !== open.sendingUnit
          ? { sendingUnit: { before: open.sendingUnit, after: c.sendingUnit } }
          : {}),
      });
    return from;
  }
  if (c.termStart !== open.termStart || c.termEnd !== open.termEnd)
    diff.terms.push({ ...termChange(c, open), kind: 'corrected' });
  for (const field of ['name', 'role', 'teamLeader'] as const) {
    if (c[field] !== open[field])
      diff.changed.push({
        userid: c.userid,
        name: c.name,
        field,
        before: String(open[field]),
        after: String(c[field]),
      });
  }
  // Names of places follow the file too (a renamed village), without a new period.
  h[h.length - 1] = { ...fresh(open.from), to: null };
  return undefined;
}

function termChange(c: Cadre, open: Assignment): Pick<TermChange, 'userid' | 'name' | 'before' | 'after'> {
  return {
    userid: c.userid,
    name: c.name,
    before: { start: open.termStart, end: open.termEnd },
    after: { start: c.termStart, end: c.termEnd },
  };
}
