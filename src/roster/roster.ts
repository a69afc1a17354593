/**
 * An indexed, read-only view of the roster: who someone is, what they may see, and who supervises whom.
 * Built once per import and cached; the source of truth is the JSON document in Redis. Every lookup an update
 * makes is a map lookup, so its cost does not grow with the county's size; lists come in roster order, as
 * copies the caller may sort.
 */
import type { Role } from '../kit/roles.js';
import type {
  Cadre,
  ContactField,
  Group,
  OtherPerson,
  RosterData,
  SendingUnit,
  Supervisor,
  Township,
  Village,
  VillageContacts,
  WorkGroup,
} from './schema.js';
import { CONTACT_FIELDS } from './schema.js';

export interface Person {
  userid: string;
  name: string;
  /** Empty for someone only among `people` (a county leader, say): known, but holding no role of the bot's. */
  roles: Role[];
  cadre?: Cadre;
  supervisor?: Supervisor[];
  /** Their entry among `people`, when they are neither cadre nor supervisor. */
  other?: OtherPerson;
}

/** A village this person is one of the four contacts of, and as which. */
export interface ContactRole {
  village: string;
  as: ContactField;
}

/** A sending unit this person leads, as main leader or deputy in charge. */
export interface UnitRole {
  unit: string;
  as: 'mainLeader' | 'deputy';
}

export class Roster {
  readonly townships = new Map<string, Township>();
  readonly villages = new Map<string, Village>();
  readonly workGroups = new Map<string, WorkGroup>();
  readonly cadres = new Map<string, Cadre>();
  private readonly supervisorsById = new Map<string, Supervisor[]>();
  private readonly workGroupByVillage = new Map<string, WorkGroup>();
  private readonly byTownship = new Map<string, Cadre[]>();
  private readonly byWorkGroup = new Map<string, Cadre[]>();
  private readonly byUnit = new Map<string, Cadre[]>();
  private readonly byName = new Map<string, Cadre[]>();
  /** Supervisors by `<kind>:<scope>`. */
  private readonly byScope = new Map<string, Supervisor[]>();
  private readonly groupsByTownship = new Map<string, Group>();
  private readonly groupsByChat = new Map<string, Group>();
  private readonly peopleById = new Map<string, OtherPerson>();
  private readonly contactsByVillage = new Map<string, VillageContacts>();
  private readonly contactRoles = new Map<string, ContactRole[]>();
  private readonly units = new Map<string, SendingUnit>();
  private readonly unitRoles = new Map<string, UnitRole[]>();
  private readonly menteesBy = new Map<string, Cadre[]>();
  private readonly mentorsBy = new Map<string, string[]>();
  private readonly workGroupsByTownship = new Map<string, WorkGroup[]>();
  private readonly teamLeadersByTownship = new Map<string, Cadre[]>();

  constructor(readonly data: RosterData) {
    const add = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    for (const t of data.townships) this.townships.set(t.id, t);
    for (const v of data.villages) this.villages.set(v.id, v);
    const groupsOfVillage = new Map<string, WorkGroup[]>();
    for (const w of data.workGroups) {
      this.workGroups.set(w.id, w);
      add(this.workGroupsByTownship, w.township, w);
      for (const v of w.villages) {
        if (!this.workGroupByVillage.has(v)) this.workGroupByVillage.set(v, w);
        if (!groupsOfVillage.get(v)?.includes(w)) add(groupsOfVillage, v, w);
      }
    }
    for (const c of data.cadres) {
      this.cadres.set(c.userid, c);
      const township = this.villages.get(c.village)?.township;
      if (township !== undefined) add(this.byTownship, township, c);
      if (township !== undefined && c.teamLeader) add(this.teamLeadersByTownship, township, c);
      for (const w of groupsOfVillage.get(c.village) ?? []) add(this.byWorkGroup, w.id, c);
      add(this.byUnit, c.sendingUnit, c);
      add(this.byName, c.name, c);
    }
    for (const s of data.supervisors) {
      add(this.supervisorsById, s.userid, s);
      add(this.byScope, `${s.kind}:${s.scope}`, s);
    }
    // Sections a roster stored before them lacks (see schema.ts).
    for (const p of data.people ?? []) if (!this.peopleById.has(p.userid)) this.peopleById.set(p.userid, p);
    for (const k of data.contacts ?? []) {
      if (this.contactsByVillage.has(k.village)) continue;
      this.contactsByVillage.set(k.village, k);
      for (const as of CONTACT_FIELDS) add(this.contactRoles, k[as], { village: k.village, as });
    }
    for (const u of data.sendingUnits ?? []) {
      if (this.units.has(u.name)) continue;
      this.units.set(u.name, u);
      add(this.unitRoles, u.mainLeader, { unit: u.name, as: 'mainLeader' });
      add(this.unitRoles, u.deputy, { unit: u.name, as: 'deputy' });
    }
    for (const m of data.mentors ?? []) {
      for (const id of m.cadres) {
        const cadre = this.cadres.get(id);
        if (!cadre || this.menteesBy.get(m.userid)?.includes(cadre)) continue;
        add(this.menteesBy, m.userid, cadre);
        add(this.mentorsBy, id, m.userid);
      }
    }
    for (const g of data.groups) {
      if (g.township !== undefined && !this.groupsByTownship.has(g.township)) this.groupsByTownship.set(g.township, g);
      if (!this.groupsByChat.has(g.chatid)) this.groupsByChat.set(g.chatid, g);
    }
  }

  get isEmpty(): boolean {
    return this.data.cadres.length === 0 && this.data.supervisors.length === 0;
  }

  /** Everything known about one WeCom user, or undefined for someone not on the roster. */
  person(userid: string): Person | undefined {
    const cadre = this.cadres.get(userid);
    const sups = this.supervisorsById.get(userid);
    if (!cadre && !sups) {
      const other = this.peopleById.get(userid);
      return other && { userid, name: other.name, roles: [], other };
    }
    const roles = new Set<Role>();
    if (cadre) roles.add('cadre');
    if (cadre?.teamLeader) roles.add('team-leader');
    for (const s of sups ?? []) roles.add(s.kind === 'org-department' ? 'org' : s.kind);
    return { userid, name: cadre?.name ?? sups![0]!.name, roles: [...roles], cadre, supervisor: sups };
  }

  /** Whether `userid` is anyone on the roster: a cadre, a supervisor or one of `people`. */
  knows(userid: string): boolean {
    return this.cadres.has(userid) || this.supervisorsById.has(userid) || this.peopleById.has(userid);
  }

  /** Every userid on the roster once: cadres, then supervisors, then `people`, in roster order. */
  userids(): string[] {
    return [...new Set([...this.cadres.keys(), ...this.supervisorsById.keys(), ...this.peopleById.keys()])];
  }

  /** The four contacts (四包一) of a village; undefined when the roster names none. */
  contactsOf(villageId: string): VillageContacts | undefined {
    return this.contactsByVillage.get(villageId);
  }

  /** The villages this person is a contact of, and as which of the four. */
  contactRolesOf(userid: string): ContactRole[] {
    return [...(this.contactRoles.get(userid) ?? [])];
  }

  /** A sending unit's main leader and deputy in charge, by the unit's name; undefined when the roster has none. */
  sendingUnit(name: string): SendingUnit | undefined {
    return this.units.get(name);
  }

  /** The sending units this person leads, as main leader or deputy in charge. */
  unitRolesOf(userid: string): UnitRole[] {
    return [...(this.unitRoles.get(userid) ?? [])];
  }

  /** The cadres a township leader mentors (传帮带), in the order the roster gives them. */
  menteesOf(userid: string): Cadre[] {
    return [...(this.menteesBy.get(userid) ?? [])];
  }

  /** The userids of the township leaders who mentor this cadre. */
  mentorsOf(cadreId: string): string[] {
    return [...(this.mentorsBy.get(cadreId) ?? [])];
  }

  /** The work groups of a township, in roster order. */
  workGroupsOfTownship(townshipId: string): WorkGroup[] {
    return [...(this.workGroupsByTownship.get(townshipId) ?? [])];
  }

  /** The 领队 of a township: its team leader (one, when the roster is as it should be; see load.ts). */
  teamLeadersOfTownship(townshipId: string): Cadre[] {
    return [...(this.teamLeadersByTownship.get(townshipId) ?? [])];
  }

  villageOf(cadre: Cadre): Village {
    return this.villages.get(cadre.village)!;
  }

  townshipOf(cadre: Cadre): Township {
    return this.townships.get(this.villageOf(cadre).township)!;
  }

  /** The work group whose villages include this cadre's village. */
  workGroupOf(cadre: Cadre): WorkGroup | undefined {
    return this.workGroupByVillage.get(cadre.village);
  }

  cadresOfTownship(townshipId: string): Cadre[] {
    return [...(this.byTownship.get(townshipId) ?? [])];
  }

  cadresOfWorkGroup(workGroupId: string): Cadre[] {
    return [...(this.byWorkGroup.get(workGroupId) ?? [])];
  }

  /** Team leaders of a cadre's township work group (the cadre excluded). */
  teamLeadersOf(cadre: Cadre): Cadre[] {
    const township = this.townshipOf(cadre).id;
    return this.cadresOfTownship(township).filter((c) => c.teamLeader && c.userid !== cadre.userid);
  }

  townshipSupervisors(townshipId: string): Supervisor[] {
    return [...(this.byScope.get(`township:${townshipId}`) ?? [])];
  }

  sendingUnitLeaders(unit: string): Supervisor[] {
    return [...(this.byScope.get(`sending-unit:${unit}`) ?? [])];
  }

  orgDepartment(): Supervisor[] {
    return this.data.supervisors.filter((s) => s.kind === 'org-department');
  }

  groupOfTownship(townshipId: string): Group | undefined {
    return this.groupsByTownship.get(townshipId);
  }

  groupByChat(chatid: string): Group | undefined {
    return this.groupsByChat.get(chatid);
  }

  /** Cadres whose figures this person may read: their own, and those within each supervising scope. */
  visibleCadres(person: Person): Cadre[] {
    const out = new Map<string, Cadre>();
    if (person.cadre) out.set(person.userid, person.cadre);
    if (person.roles.includes('team-leader') && person.cadre) {
      for (const c of this.cadresOfTownship(this.townshipOf(person.cadre).id)) out.set(c.userid, c);
    }
    for (const s of person.supervisor ?? []) {
      const list =
        s.kind === 'org-department'
          ? this.data.cadres
          : s.kind === 'township'
            ? this.cadresOfTownship(s.scope)
            : (this.byUnit.get(s.scope) ?? []);
      for (const c of list) out.set(c.userid, c);
    }
    return [...out.values()];
  }

  /** Whether `cadreId` is among `visibleCadres(person)`, without building that list. */
  canSee(person: Person, cadreId: string): boolean {
    const cadre = this.cadres.get(cadreId);
    if (!cadre) return false;
    if (cadreId === person.userid && person.cadre) return true;
    const township = this.villages.get(cadre.village)?.township;
    if (person.roles.includes('team-leader') && person.cadre && township === this.townshipOf(person.cadre).id)
      return true;
    return (person.supervisor ?? []).some((s) =>
      s.kind === 'org-department' ? true : s.kind === 'township' ? s.scope === township : s.scope === cadre.sendingUnit,
    );
  }

  /** Find a cadre by userid or exact name within what the person may see (in `visibleCadres` order). */
  findVisibleCadre(person: Person, query: string): Cadre[] {
    const q = query.trim();
    const byId = this.cadres.get(q);
    const found = [...(byId ? [byId] : []), ...(this.byName.get(q) ?? []).filter((c) => c !== byId)];
    if (found.length < 2) return found.filter((c) => this.canSee(person, c.userid));
    const visible = new Set(found.filter((c) => this.canSee(person, c.userid)));
    return this.visibleCadres(person).filter((c) => visible.has(c));
  }
}
