/**
 * An indexed, read-only view of the roster: who someone is, what they may see, and who supervises whom.
 * Built once per import and cached; the source of truth is the JSON document in Redis.
 */
import type { Role } from '../kit/roles.js';
import type { Cadre, Group, RosterData, Supervisor, Township, Village, WorkGroup } from './schema.js';

export interface Person {
  userid: string;
  name: string;
  roles: Role[];
  cadre?: Cadre;
  supervisor?: Supervisor[];
}

export class Roster {
  readonly townships = new Map<string, Township>();
  readonly villages = new Map<string, Village>();
  readonly workGroups = new Map<string, WorkGroup>();
  readonly cadres = new Map<string, Cadre>();
  private readonly supervisorsById = new Map<string, Supervisor[]>();

  constructor(readonly data: RosterData) {
    for (const t of data.townships) this.townships.set(t.id, t);
    for (const v of data.villages) this.villages.set(v.id, v);
    for (const w of data.workGroups) this.workGroups.set(w.id, w);
    for (const c of data.cadres) this.cadres.set(c.userid, c);
    for (const s of data.supervisors) {
      const list = this.supervisorsById.get(s.userid) ?? [];
      list.push(s);
      this.supervisorsById.set(s.userid, list);
    }
  }

  get isEmpty(): boolean {
    return this.data.cadres.length === 0 && this.data.supervisors.length === 0;
  }

  /** Everything known about one WeCom user, or undefined for someone not on the roster. */
  person(userid: string): Person | undefined {
    const cadre = this.cadres.get(userid);
    const sups = this.supervisorsById.get(userid);
    if (!cadre && !sups) return undefined;
    const roles = new Set<Role>();
    if (cadre) roles.add('cadre');
    if (cadre?.teamLeader) roles.add('team-leader');
    for (const s of sups ?? []) roles.add(s.kind === 'org-department' ? 'org' : s.kind);
    return { userid, name: cadre?.name ?? sups![0]!.name, roles: [...roles], cadre, supervisor: sups };
  }

  villageOf(cadre: Cadre): Village {
    return this.villages.get(cadre.village)!;
  }

  townshipOf(cadre: Cadre): Township {
    return this.townships.get(this.villageOf(cadre).township)!;
  }

  /** The work group whose villages include this cadre's village. */
  workGroupOf(cadre: Cadre): WorkGroup | undefined {
    return this.data.workGroups.find((w) => w.villages.includes(cadre.village));
  }

  cadresOfTownship(townshipId: string): Cadre[] {
    return this.data.cadres.filter((c) => this.villages.get(c.village)?.township === townshipId);
  }

  cadresOfWorkGroup(workGroupId: string): Cadre[] {
    const w = this.workGroups.get(workGroupId);
    return w ? this.data.cadres.filter((c) => w.villages.includes(c.village)) : [];
  }

  /** Team leaders of a cadre's township work group (the cadre excluded). */
  teamLeadersOf(cadre: Cadre): Cadre[] {
    const township = this.townshipOf(cadre).id;
    return this.cadresOfTownship(township).filter((c) => c.teamLeader && c.userid !== cadre.userid);
  }

  townshipSupervisors(townshipId: string): Supervisor[] {
    return this.data.supervisors.filter((s) => s.kind === 'township' && s.scope === townshipId);
  }

  sendingUnitLeaders(unit: string): Supervisor[] {
    return this.data.supervisors.filter((s) => s.kind === 'sending-unit' && s.scope === unit);
  }

  orgDepartment(): Supervisor[] {
    return this.data.supervisors.filter((s) => s.kind === 'org-department');
  }

  groupOfTownship(townshipId: string): Group | undefined {
    return this.data.groups.find((g) => g.township === townshipId);
  }

  groupByChat(chatid: string): Group | undefined {
    return this.data.groups.find((g) => g.chatid === chatid);
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
            : this.data.cadres.filter((c) => c.sendingUnit === s.scope);
      for (const c of list) out.set(c.userid, c);
    }
    return [...out.values()];
  }

  canSee(person: Person, cadreId: string): boolean {
    return this.visibleCadres(person).some((c) => c.userid === cadreId);
  }

  /** Find a cadre by userid or exact name within what the person may see. */
  findVisibleCadre(person: Person, query: string): Cadre[] {
    const q = query.trim();
    return this.visibleCadres(person).filter((c) => c.userid === q || c.name === q);
  }
}
