/**
 * Who visits villages (到村调研) and what they see of the visits, read from the roster: the four contacts of a
 * village (四包一), the sending units' main leaders and deputies in charge (and the unit's supervisors), and the
 * people listed in `people` (county leaders). Pure.
 */
import type { Person, Roster, UnitRole } from '../roster/roster.js';
import type { Village } from '../roster/schema.js';

/** Whether this person may record a visit: a contact, a unit leader, or someone known only from `people`. */
export function isVisitor(roster: Roster, person: Person): boolean {
  if (person.cadre) return false;
  return (
    person.other !== undefined ||
    roster.contactRolesOf(person.userid).length > 0 ||
    leadsUnits(roster, person).length > 0
  );
}

/** The sending units this person leads: as main leader or deputy (`sendingUnits`), or as its supervisor. */
export function leadsUnits(roster: Roster, person: Pick<Person, 'userid' | 'supervisor'>): string[] {
  const units = new Set(roster.unitRolesOf(person.userid).map((r) => r.unit));
  for (const s of person.supervisor ?? []) if (s.kind === 'sending-unit') units.add(s.scope);
  return [...units];
}

/** The sending units whose cadres serve in a village, in roster order. */
export function unitsOfVillage(roster: Roster, villageId: string): string[] {
  const units = new Set<string>();
  for (const c of roster.data.cadres) if (c.village === villageId) units.add(c.sendingUnit);
  return [...units];
}

/** The villages where a sending unit's cadres serve, in roster order. */
export function villagesOfUnit(roster: Roster, unit: string): string[] {
  const villages = new Set<string>();
  for (const c of roster.data.cadres) if (c.sendingUnit === unit) villages.add(c.village);
  return [...villages];
}

/**
 * The unit roles a visit of `userid` to `villageId` counts for: the units they lead as main leader or deputy
 * (`sendingUnits`) whose cadres serve in the village.
 */
export function unitsAt(roster: Roster, userid: string, villageId: string): UnitRole[] {
  const here = new Set(unitsOfVillage(roster, villageId));
  return roster.unitRolesOf(userid).filter((r) => here.has(r.unit));
}

/** A village by its name (北堡村), short name without 村 (北堡) or id; undefined when none matches. */
export function findVillage(roster: Roster, word: string): Village | undefined {
  const w = word.trim();
  if (!w) return undefined;
  const all = roster.data.villages;
  return (
    all.find((v) => v.name === w || v.id === w) ?? all.find((v) => v.name.replace(/村$/, '') === w.replace(/村$/, ''))
  );
}

/** What `走访记录` may show this person: villages (their visits) and sending units (their obligations). */
export interface VisitScope {
  villages: string[];
  units: string[];
}

/**
 * The scope of `走访记录` (docs/rules.md, 到村调研): the organisation department everything; a township
 * supervisor the township's villages and the units serving there; a sending-unit leader their units and the
 * villages they serve; a contact their villages and the units serving there; a cadre their own village.
 */
export function visitScope(roster: Roster, person: Person): VisitScope {
  const villages = new Set<string>();
  const units = new Set<string>();
  const addVillage = (id: string, withUnits: boolean) => {
    villages.add(id);
    if (withUnits) for (const u of unitsOfVillage(roster, id)) units.add(u);
  };
  if (person.roles.includes('org')) {
    for (const v of roster.data.villages) villages.add(v.id);
    for (const c of roster.data.cadres) units.add(c.sendingUnit);
    for (const u of roster.data.sendingUnits ?? []) units.add(u.name);
  }
  for (const s of person.supervisor ?? [])
    if (s.kind === 'township') for (const v of roster.data.villages) if (v.township === s.scope) addVillage(v.id, true);
  for (const unit of leadsUnits(roster, person)) {
    units.add(unit);
    for (const v of villagesOfUnit(roster, unit)) villages.add(v);
  }
  for (const r of roster.contactRolesOf(person.userid)) addVillage(r.village, true);
  if (person.cadre) villages.add(person.cadre.village);
  const order = roster.data.villages.map((v) => v.id);
  return {
    villages: order.filter((id) => villages.has(id)),
    units: [...units],
  };
}

/** Whether `走访记录` has anything to show this person: any role, a contact, a unit leader, or a visitor. */
export function seesVisits(roster: Roster, person: Person): boolean {
  return person.roles.length > 0 || isVisitor(roster, person);
}
