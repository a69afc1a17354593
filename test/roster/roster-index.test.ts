/**
 * The roster's indexes answer exactly as a scan of the whole document does (the way it answered before it was
 * indexed): every person against every cadre and name, on the sample county and on a generated one.
 */
import { describe, expect, it } from 'vitest';
import { Roster, type Person } from '../../src/roster/roster.js';
import type { Cadre, RosterData } from '../../src/roster/schema.js';
import { syntheticRoster } from '../../bench/roster-gen.js';
import { sampleRosterData } from '../helpers/deps.js';

/** The straightforward answers, by scanning. */
function scan(data: RosterData, roster: Roster) {
  const township = (c: Cadre) => roster.villages.get(c.village)?.township;
  const ofTownship = (id: string) => data.cadres.filter((c) => township(c) === id);
  const visible = (p: Person): Cadre[] => {
    const out = new Map<string, Cadre>();
    if (p.cadre) out.set(p.userid, p.cadre);
    if (p.roles.includes('team-leader') && p.cadre)
      for (const c of ofTownship(township(p.cadre)!)) out.set(c.userid, c);
    for (const s of p.supervisor ?? []) {
      const list =
        s.kind === 'org-department'
          ? data.cadres
          : s.kind === 'township'
            ? ofTownship(s.scope)
            : data.cadres.filter((c) => c.sendingUnit === s.scope);
      for (const c of list) out.set(c.userid, c);
    }
    return [...out.values()];
  };
  return { ofTownship, visible };
}

function withDuplicateName(data: RosterData): RosterData {
  const copy = structuredClone(data);
  const other = copy.cadres.at(-1)!;
  copy.cadres[0] = { ...copy.cadres[0]!, name: other.name };
  return copy;
}

describe.each([
  ['the sample county', withDuplicateName(sampleRosterData())],
  ['a generated county', withDuplicateName(syntheticRoster(120))],
])('Roster indexes on %s', (_, data) => {
  const roster = new Roster(data);
  const naive = scan(data, roster);
  const people = [...new Set([...data.cadres.map((c) => c.userid), ...data.supervisors.map((s) => s.userid)])].map(
    (u) => roster.person(u)!,
  );

  it('lists cadres, supervisors and groups per scope as a scan does', () => {
    for (const t of data.townships) {
      expect(roster.cadresOfTownship(t.id)).toEqual(naive.ofTownship(t.id));
      expect(roster.townshipSupervisors(t.id)).toEqual(
        data.supervisors.filter((s) => s.kind === 'township' && s.scope === t.id),
      );
      expect(roster.groupOfTownship(t.id)).toEqual(data.groups.find((g) => g.township === t.id));
    }
    for (const w of data.workGroups)
      expect(roster.cadresOfWorkGroup(w.id)).toEqual(data.cadres.filter((c) => w.villages.includes(c.village)));
    for (const c of data.cadres) {
      expect(roster.workGroupOf(c)).toEqual(data.workGroups.find((w) => w.villages.includes(c.village)));
      expect(roster.sendingUnitLeaders(c.sendingUnit)).toEqual(
        data.supervisors.filter((s) => s.kind === 'sending-unit' && s.scope === c.sendingUnit),
      );
    }
    for (const g of data.groups) expect(roster.groupByChat(g.chatid)).toEqual(g);
  });

  it('answers canSee and findVisibleCadre for every person as the visible list does', () => {
    for (const p of people) {
      const visible = naive.visible(p);
      expect(roster.visibleCadres(p)).toEqual(visible);
      for (const c of data.cadres) {
        expect(roster.canSee(p, c.userid)).toBe(visible.some((v) => v.userid === c.userid));
        for (const q of [c.userid, c.name, ` ${c.name} `])
          expect(roster.findVisibleCadre(p, q)).toEqual(
            visible.filter((v) => v.userid === q.trim() || v.name === q.trim()),
          );
      }
      expect(roster.canSee(p, 'nobody')).toBe(false);
    }
  });

  it('hands out lists the caller may sort without changing the roster', () => {
    const t = data.townships[0]!.id;
    const list = roster.cadresOfTownship(t);
    list.reverse();
    expect(roster.cadresOfTownship(t)).toEqual(naive.ofTownship(t));
  });
});
