/**
 * Who can be played in the sandbox and which conversations each person has: the chat with the app, and the
 * group chat of each township they work in or oversee. Pure: from the roster.
 */
import type { Role } from '../kit/roles.js';
import type { Person, Roster } from '../roster/roster.js';
import type { Group } from '../roster/schema.js';
import * as T from '../../templates/sandbox.js';
import { appChat, groupChat } from './chatlog.js';

export interface PersonEntry {
  userid: string;
  name: string;
  /** Village or township or unit, and title: one line under the name. */
  line: string;
  roles: Role[];
}

export interface PeopleGroup {
  label: string;
  people: PersonEntry[];
}

/** The role a person is listed under: the widest one they hold. */
const PRIMARY: Role[] = ['org', 'sending-unit', 'township', 'team-leader', 'cadre'];

function entry(roster: Roster, person: Person): PersonEntry {
  const c = person.cadre;
  const s = person.supervisor?.[0];
  let place: string | undefined;
  let title: string | undefined;
  if (c) {
    place = roster.villageOf(c).name;
    title = c.teamLeader ? `${c.role} · 领队` : c.role;
  } else if (person.other) {
    title = person.other.title;
  } else if (s) {
    place =
      s.kind === 'township'
        ? roster.townships.get(s.scope)?.name
        : s.kind === 'sending-unit'
          ? s.scope
          : T.ROLE_GROUPS.org;
    title = s.title;
  }
  return {
    userid: person.userid,
    name: person.name,
    line: T.personLine({ name: person.name, place, title }),
    roles: person.roles,
  };
}

/** Everyone on the roster, grouped by their widest role; cadres by township, as a county office would list them. */
export function directory(roster: Roster): PeopleGroup[] {
  const ids = [
    ...new Set([...roster.data.cadres.map((c) => c.userid), ...roster.data.supervisors.map((s) => s.userid)]),
  ];
  const people = ids.map((id) => roster.person(id)!);
  const groups: PeopleGroup[] = [];
  for (const role of PRIMARY) {
    const here = people.filter((p) => PRIMARY.find((r) => p.roles.includes(r)) === role);
    if (role !== 'cadre') {
      if (here.length) groups.push({ label: T.ROLE_GROUPS[role], people: here.map((p) => entry(roster, p)) });
      continue;
    }
    for (const t of roster.data.townships) {
      const inTownship = here.filter((p) => roster.townshipOf(p.cadre!).id === t.id);
      if (inTownship.length)
        groups.push({ label: `${T.ROLE_GROUPS.cadre} · ${t.name}`, people: inTownship.map((p) => entry(roster, p)) });
    }
  }
  // County leaders and the sending units' leaders who hold no role of the bot's: they visit villages (到村)
  // and handle problems, so they can be played too.
  const others = (roster.data.people ?? []).map((p) => roster.person(p.userid)!).filter((p) => !p.roles.length);
  if (others.length) groups.push({ label: T.OTHER_PEOPLE, people: others.map((p) => entry(roster, p)) });
  return groups;
}

export interface Conversation {
  /** `app` or `group:<chatid>`: what the page names when it sends. */
  id: string;
  /** The chat log's name of the conversation. */
  chat: string;
  title: string;
  chatId?: string;
}

function townshipOfGroup(roster: Roster, g: Group): string | undefined {
  return g.township ?? (g.workGroup ? roster.workGroups.get(g.workGroup)?.township : undefined);
}

/** The townships a person works in or oversees. */
export function townshipsOf(roster: Roster, person: Person): Set<string> {
  const out = new Set<string>();
  if (person.cadre) out.add(roster.townshipOf(person.cadre).id);
  for (const s of person.supervisor ?? []) {
    if (s.kind === 'township') out.add(s.scope);
    if (s.kind === 'org-department') for (const t of roster.data.townships) out.add(t.id);
    if (s.kind === 'sending-unit')
      for (const c of roster.data.cadres.filter((x) => x.sendingUnit === s.scope)) out.add(roster.townshipOf(c).id);
  }
  return out;
}

/** The person's chat with the app first, then the group chat of each of their townships. */
export function conversationsOf(roster: Roster, person: Person): Conversation[] {
  const townships = townshipsOf(roster, person);
  const groups = roster.data.groups.filter((g) => townships.has(townshipOfGroup(roster, g) ?? ''));
  return [
    { id: 'app', chat: appChat(person.userid), title: T.appChatTitle },
    ...groups.map((g) => {
      const name = roster.townships.get(townshipOfGroup(roster, g) ?? '')?.name ?? g.chatid;
      return { id: groupChat(g.chatid), chat: groupChat(g.chatid), title: T.groupChatTitle(name), chatId: g.chatid };
    }),
  ];
}
