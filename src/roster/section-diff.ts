/** What an import adds to and removes from the roster's places and people other than cadres. */
import { CONTACT_FIELDS, type RosterData } from './schema.js';

export interface SectionChange {
  added: string[];
  removed: string[];
}

export interface SectionChanges {
  townships: SectionChange;
  villages: SectionChange;
  workGroups: SectionChange;
  supervisors: SectionChange;
  groups: SectionChange;
  people: SectionChange;
  /** A village's four contacts: a changed contact removes the old entry and adds the new one. */
  contacts: SectionChange;
  sendingUnits: SectionChange;
  /** One line per mentor and mentee. */
  mentors: SectionChange;
}

function change<T>(before: readonly T[], after: readonly T[], key: (x: T) => string): SectionChange {
  const a = new Set(before.map(key));
  const b = new Set(after.map(key));
  return { added: [...b].filter((k) => !a.has(k)), removed: [...a].filter((k) => !b.has(k)) };
}

/** Entries added and removed per section, each named by its id (and name), a supervisor by userid, kind and scope. */
export function sectionChanges(before: RosterData, after: RosterData): SectionChanges {
  const named = (x: { id: string; name: string }) => `${x.id} (${x.name})`;
  return {
    townships: change(before.townships, after.townships, named),
    villages: change(before.villages, after.villages, named),
    workGroups: change(before.workGroups, after.workGroups, named),
    supervisors: change(before.supervisors, after.supervisors, (s) => `${s.userid} (${s.name}, ${s.kind} ${s.scope})`),
    groups: change(before.groups, after.groups, (g) => g.chatid),
    // A roster stored before these sections has none of them.
    people: change(before.people ?? [], after.people ?? [], (p) => `${p.userid} (${p.name})`),
    contacts: change(before.contacts ?? [], after.contacts ?? [], (k) =>
      [k.village, ...CONTACT_FIELDS.map((f) => `${f} ${k[f]}`)].join(' '),
    ),
    sendingUnits: change(
      before.sendingUnits ?? [],
      after.sendingUnits ?? [],
      (u) => `${u.name}: mainLeader ${u.mainLeader}, deputy ${u.deputy}`,
    ),
    mentors: change(mentorPairs(before), mentorPairs(after), (x) => x),
  };
}

function mentorPairs(d: RosterData): string[] {
  return (d.mentors ?? []).flatMap((m) => m.cadres.map((c) => `${m.userid} -> ${c}`));
}
