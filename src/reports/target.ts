/**
 * What `汇报 …` asks for: a new report, or reading a cadre's reports. The same word serves both because a
 * supervisor "hears the cadre's reports" (`汇报 王建国`) while a cadre files them (`汇报 今天走访了…`).
 */
import type { Person, Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { parseDateFilter } from './date-filter.js';

export type ReportTarget =
  /** A new report by the asker, who is this cadre. */
  | { kind: 'write'; cadre: Cadre }
  | { kind: 'read'; cadre: Cadre; date?: string }
  | { kind: 'need-name' }
  | { kind: 'not-found'; name: string }
  | { kind: 'not-visible'; name: string }
  | { kind: 'ambiguous'; name: string; candidates: Cadre[] }
  | { kind: 'bad-date'; word: string };

/**
 * Decide between writing and reading. Someone who is not a cadre can only read: the first word names a cadre
 * (name or userid) and an optional second part is a date. For a cadre, `汇报 姓名 [日期]` reads only when the
 * first word is exactly a cadre's name on the roster and nothing but a date follows; anything else is a new
 * report, so `汇报 王建国带队走访3户` stays a report. A name outside the asker's scope is refused either way.
 */
export function reportTarget(roster: Roster, person: Person, rest: string, now: Date): ReportTarget {
  const [first = '', ...others] = rest.split(' ').filter(Boolean);
  const tail = others.join(' ');
  const date = tail ? parseDateFilter(tail, now) : undefined;

  if (!person.cadre) {
    if (!first) return { kind: 'need-name' };
    if (tail && !date) return { kind: 'bad-date', word: tail };
    const onRoster = roster.data.cadres.filter((c) => c.userid === first || c.name === first);
    return pick(roster, person, first, onRoster, date);
  }
  const named = roster.data.cadres.filter((c) => c.name === first);
  if (!first || named.length === 0 || (tail && !date)) return { kind: 'write', cadre: person.cadre };
  return pick(roster, person, first, named, date);
}

function pick(roster: Roster, person: Person, name: string, onRoster: Cadre[], date?: string): ReportTarget {
  if (onRoster.length === 0) return { kind: 'not-found', name };
  const visible = new Set(roster.visibleCadres(person).map((c) => c.userid));
  const allowed = onRoster.filter((c) => visible.has(c.userid));
  if (allowed.length === 0) return { kind: 'not-visible', name };
  if (allowed.length > 1) return { kind: 'ambiguous', name, candidates: allowed };
  return { kind: 'read', cadre: allowed[0]!, ...(date ? { date } : {}) };
}
