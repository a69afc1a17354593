/**
 * Who may announce to whom: the organisation department to anyone, a township supervisor to the cadres of
 * their township (or part of it), a sending-unit leader to the cadres their unit sent. Pure.
 */
import type { Person, Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { AnnounceScope, OwnRange, Place } from './scope.js';
import { cadresOfPlace } from './scope.js';
import { COUNTY_LABEL } from '../../templates/announce-scope.js';

export interface SenderRange {
  county: boolean;
  townships: Place[];
  units: Place[];
}

/** The places a person may announce to, from their supervisor entries. */
export function senderRange(roster: Roster, person: Person): SenderRange {
  const range: SenderRange = { county: false, townships: [], units: [] };
  for (const s of person.supervisor ?? []) {
    if (s.kind === 'org-department') range.county = true;
    else if (s.kind === 'township') {
      const t = roster.townships.get(s.scope);
      if (t) range.townships.push({ kind: 'township', id: t.id, name: t.name });
    } else range.units.push({ kind: 'unit', id: s.scope, name: s.scope });
  }
  return range;
}

/** Whether every cadre is within the range. */
export function withinRange(roster: Roster, range: SenderRange, cadres: readonly Cadre[]): boolean {
  if (range.county) return true;
  const allowed = new Set([...range.townships, ...range.units].flatMap((p) => cadresOfPlace(roster, p)));
  const ids = new Set([...allowed].map((c) => c.userid));
  return cadres.every((c) => ids.has(c.userid));
}

/** The audience of a text with no scope word: the sender's whole range when it is one place, else none. */
export function wholeRange(range: SenderRange): AnnounceScope | undefined {
  if (range.county) return { kind: 'all' };
  const places = [...range.townships, ...range.units];
  return places.length === 1 ? places[0] : undefined;
}

/** What `本单位` and `本乡镇` mean for this sender. */
export function ownRange(range: SenderRange): OwnRange {
  return {
    ...(range.units.length === 1 ? { unit: range.units[0] } : {}),
    ...(range.townships.length === 1 ? { township: range.townships[0] } : {}),
  };
}

/** Who an announcement is from, as the card's title says it. */
export function senderLabel(range: SenderRange): string | undefined {
  if (range.county) return undefined;
  return [...range.townships, ...range.units][0]?.name;
}

/** The names of the range, for the refusal that says where the sender may announce. */
export function rangeNames(range: SenderRange): string[] {
  return range.county ? [COUNTY_LABEL] : [...range.townships, ...range.units].map((p) => p.name);
}
