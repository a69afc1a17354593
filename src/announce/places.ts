/**
 * The places of the roster an announcement can go to (township, work group, village, sending unit) and every
 * name people use for them: full names, short names (新田 for 新田乡, 北堡 for 北堡村, 财政局 and 财政 for 县财政局,
 * 凤城工作队 for 凤城乡驻村工作队) and ids. Pure.
 */
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';

/** An audience a scope word names. `name` is what people read (the roster's full name). */
export type Place =
  | { kind: 'township'; id: string; name: string }
  | { kind: 'work-group'; id: string; name: string }
  | { kind: 'village'; id: string; name: string }
  | { kind: 'unit'; id: string; name: string };

function shortForms(full: string, kind: Place['kind']): string[] {
  const out = new Set<string>([full]);
  const strip = (s: string, re: RegExp) => {
    const r = s.replace(re, '');
    if ([...r].length >= 2) out.add(r);
    return r;
  };
  if (kind === 'township') strip(full, /(乡|镇|街道|街道办事处)$/);
  if (kind === 'village') strip(full, /村$/);
  if (kind === 'work-group') {
    const base = full.replace(/驻村工作队$/, '');
    const place = base.replace(/(乡|镇|街道)$/, '');
    for (const b of new Set([base, place])) if ([...b].length >= 2) out.add(`${b}工作队`).add(`${b}驻村工作队`);
  }
  if (kind === 'unit') {
    const noCounty = strip(full, /^县/);
    strip(noCounty, /(局|委|办)$/);
  }
  return [...out];
}

/** Every name (full and short) the roster gives an audience, each with the audiences it names. */
export function scopeIndex(roster: Roster): Map<string, Place[]> {
  const index = new Map<string, Place[]>();
  const add = (place: Place, names: string[]) => {
    for (const n of names) {
      const list = index.get(n) ?? [];
      if (!list.some((p) => p.kind === place.kind && p.id === place.id)) list.push(place);
      index.set(n, list);
    }
  };
  for (const t of roster.data.townships)
    add({ kind: 'township', id: t.id, name: t.name }, [t.id, ...shortForms(t.name, 'township')]);
  for (const w of roster.data.workGroups)
    add({ kind: 'work-group', id: w.id, name: w.name }, [w.id, ...shortForms(w.name, 'work-group')]);
  for (const v of roster.data.villages)
    add({ kind: 'village', id: v.id, name: v.name }, [v.id, ...shortForms(v.name, 'village')]);
  const units = new Set(roster.data.cadres.map((c) => c.sendingUnit));
  for (const s of roster.data.supervisors) if (s.kind === 'sending-unit') units.add(s.scope);
  for (const u of units) add({ kind: 'unit', id: u, name: u }, shortForms(u, 'unit'));
  return index;
}

/** The cadres of a place, in roster order. */
export function cadresOfPlace(roster: Roster, place: Place): Cadre[] {
  switch (place.kind) {
    case 'township':
      return roster.cadresOfTownship(place.id);
    case 'work-group':
      return roster.cadresOfWorkGroup(place.id);
    case 'village':
      return roster.data.cadres.filter((c) => c.village === place.id);
    case 'unit':
      return roster.data.cadres.filter((c) => c.sendingUnit === place.id);
  }
}
