/**
 * What a person may read on the dashboard and through `/api`, from their roles on the roster (pure): the
 * organisation department the county; a township supervisor their townships; a sending unit's main leader,
 * deputy in charge and sending-unit supervisors their unit's cadres, wherever they serve; a 领队 their work
 * group (their township when the roster gives their village no work group); a cadre themself. Roles add up: a
 * 领队 who also supervises a township reads both. Machine access with `ADMIN_TOKEN` reads the county.
 * Every `/api` handler asks these functions before it reads anything.
 */
import type { Person, Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { unitsOf } from '../rollup/service.js';

export interface DashScope {
  /** The whole county (the organisation department, or machine access). */
  county: boolean;
  /** Townships read whole, roll-up included (township supervisors), in roster order. */
  townships: string[];
  /** Work groups whose cadres are read (a 领队's), in roster order. */
  workGroups: string[];
  /** Townships whose cadres are read as a 领队's team, without the township's roll-up (no work groups there). */
  teamTownships: string[];
  /** Sending units (by name) whose cadres are read, wherever they serve. */
  units: string[];
  /** The person's own userid when they are a cadre: they read their own figures. */
  self?: string;
}

/** The county, for machine access (`ADMIN_TOKEN`) and the organisation department. */
export function countyScope(roster: Roster): DashScope {
  return { county: true, townships: [...roster.townships.keys()], workGroups: [], teamTownships: [], units: [] };
}

/** The scope of a person on the roster; nothing at all (`isEmpty`) for someone holding no role. */
export function dashScope(person: Person, roster: Roster): DashScope {
  if (person.roles.includes('org')) return { ...countyScope(roster), ...selfOf(person) };
  const own = new Set((person.supervisor ?? []).filter((s) => s.kind === 'township').map((s) => s.scope));
  const townships = [...roster.townships.keys()].filter((id) => own.has(id));
  const workGroups: string[] = [];
  const teamTownships: string[] = [];
  if (person.cadre?.teamLeader) {
    const group = roster.workGroupOf(person.cadre);
    if (group) workGroups.push(group.id);
    else teamTownships.push(roster.townshipOf(person.cadre).id);
  }
  return { county: false, townships, workGroups, teamTownships, units: unitsOf(person, roster), ...selfOf(person) };
}

function selfOf(person: Person): { self?: string } {
  return person.cadre ? { self: person.userid } : {};
}

/** True when the scope reads nothing: someone on the roster without a role of the dashboard's. */
export function isEmpty(s: DashScope): boolean {
  return (
    !s.county && !s.self && s.townships.length + s.workGroups.length + s.teamTownships.length + s.units.length === 0
  );
}

/** Whether the scope may read cadre `userid`'s figures (false for someone not on the roster's cadres). */
export function canReadCadre(s: DashScope, roster: Roster, userid: string): boolean {
  const cadre = roster.cadres.get(userid);
  if (!cadre) return false;
  if (s.county || s.self === userid) return true;
  const township = roster.villages.get(cadre.village)?.township;
  if (township !== undefined && (s.townships.includes(township) || s.teamTownships.includes(township))) return true;
  const group = roster.workGroupOf(cadre);
  if (group && s.workGroups.includes(group.id)) return true;
  return s.units.includes(cadre.sendingUnit);
}

/** Whether the scope may read township `id`'s roll-up: the county, or a township it supervises. */
export function canReadTownship(s: DashScope, id: string): boolean {
  return s.county || s.townships.includes(id);
}

/** The cadres the scope reads, in roster order. */
export function cadresInScope(s: DashScope, roster: Roster): Cadre[] {
  return roster.data.cadres.filter((c) => canReadCadre(s, roster, c.userid));
}

/** Whether the scope reads work group `id`'s page: the county, its township's supervisors, or its 领队. */
export function canReadGroup(s: DashScope, roster: Roster, id: string): boolean {
  const group = roster.workGroups.get(id);
  if (s.county) return true;
  return group !== undefined && (s.workGroups.includes(id) || s.townships.includes(group.township));
}

/** Whether the scope reads sending unit `unit`'s page: the county, or the unit's own leaders. */
export function canReadUnit(s: DashScope, unit: string): boolean {
  return s.county || s.units.includes(unit);
}

/**
 * Whether the scope covers village `id`: the county; the township's supervisors; a 领队 whose work group (or
 * township, without work groups) holds it; a sending unit or a cadre with a cadre serving there.
 */
export function canReadVillage(s: DashScope, roster: Roster, id: string): boolean {
  const village = roster.villages.get(id);
  if (!village) return false;
  if (s.county || s.townships.includes(village.township) || s.teamTownships.includes(village.township)) return true;
  if (s.workGroups.some((g) => roster.workGroups.get(g)?.villages.includes(id))) return true;
  return roster.data.cadres.some((c) => c.village === id && (s.units.includes(c.sendingUnit) || s.self === c.userid));
}
