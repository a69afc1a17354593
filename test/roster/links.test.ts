/**
 * The roster's links between people and places: `people`, each village's four contacts (四包一), the sending
 * units' leaders and the mentors (传帮带). A dangling reference is an error naming the entry, the field and the
 * line; what the roster lacks is a warning; the shape of the work groups is a warning `strictGroups` makes an
 * error. The `Roster` lookups give what a walk over the file gives.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readRoster, RosterError, type RosterOptions } from '../../src/roster/load.js';
import { Roster } from '../../src/roster/roster.js';
import { CONTACT_FIELDS, type RosterData } from '../../src/roster/schema.js';

const sampleText = await readFile(fileURLToPath(new URL('../../config/roster.sample.yaml', import.meta.url)), 'utf8');
type YamlDoc = ReturnType<typeof parse>;

function read(edit: (doc: YamlDoc) => void, opts: RosterOptions = {}) {
  const doc = parse(sampleText);
  edit(doc);
  return readRoster(stringify(doc), 'roster.yaml', opts);
}

function problems(edit: (doc: YamlDoc) => void, opts: RosterOptions = {}): string[] {
  try {
    read(edit, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(RosterError);
    return (err as RosterError).problems;
  }
  throw new Error('the edited roster was accepted');
}

describe('the sample', () => {
  it('names the four contacts of every village, the leaders of every unit and a mentor for every cadre', () => {
    const { data, warnings } = read(() => {});
    expect(warnings).toEqual([]);
    expect(data.contacts!.map((k) => k.village).sort()).toEqual(data.villages.map((v) => v.id).sort());
    expect(data.sendingUnits!.map((u) => u.name).sort()).toEqual(
      [...new Set(data.cadres.map((c) => c.sendingUnit))].sort(),
    );
    expect(data.mentors!.flatMap((m) => m.cadres).sort()).toEqual(data.cadres.map((c) => c.userid).sort());
    // One township with two work groups.
    expect(data.workGroups.filter((w) => w.township === 'xintian').map((w) => w.id)).toEqual([
      'xintian-team',
      'xintian-south',
    ]);
  });
});

describe('dangling references are errors', () => {
  it('a contact, a leader or a mentee not on the roster, each with its place in the file', () => {
    const found = problems((d) => {
      d.contacts[0].countyLeader = 'Nobody';
      d.sendingUnits[1].deputy = 'Ghost';
      d.mentors[0].cadres.push('Stranger');
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^roster\.yaml: contacts\[0\] \(village "beibao"\): countyLeader: "Nobody" is not on the roster \(cadres, supervisors or people\) \(line \d+\)$/,
      ),
      expect.stringMatching(
        /^roster\.yaml: sendingUnits\[1\] \(name "县人社局"\): deputy: "Ghost" is not on the roster \(cadres, supervisors or people\) \(line \d+\)$/,
      ),
      expect.stringMatching(
        /^roster\.yaml: mentors\[0\] \(userid "LiZhenHua"\): cadres\[5\]: "Stranger" is not on the roster \(cadres, supervisors or people\) \(line \d+\)$/,
      ),
    ]);
  });

  it('a mentee who is no cadre, a mentee of another township, a mentor who leads no township', () => {
    const found = problems((d) => {
      d.mentors[0].cadres.push('DuHongWei'); // a sending-unit leader
      d.mentors[0].cadres.push('ZhouMingHui'); // a cadre of 凤城乡
      d.mentors.push({ userid: 'WuJianZhong', cadres: ['LiXiaoYan'] }); // the organisation department
    });
    expect(found).toEqual([
      expect.stringContaining('mentors[0] (userid "LiZhenHua"): cadres[5]: "DuHongWei" is not a cadre'),
      expect.stringContaining(
        'mentors[0] (userid "LiZhenHua"): cadres[6]: "ZhouMingHui" works in township "fengcheng", which "LiZhenHua" does not lead',
      ),
      expect.stringContaining(
        'mentors[5] (userid "WuJianZhong"): userid: "WuJianZhong" is no township leader (a supervisor of kind township)',
      ),
    ]);
  });

  it('a village or unit unknown or given twice, a person listed twice, a deputy who is the main leader', () => {
    const found = problems((d) => {
      d.contacts[1].village = 'beibao';
      d.contacts.push({ ...d.contacts[2], village: 'ghost' });
      d.sendingUnits[0].deputy = d.sendingUnits[0].mainLeader;
      d.sendingUnits.push({ name: '县文旅局', mainLeader: 'DuHongWei', deputy: 'LiuYaQin' });
      d.people.push({ userid: 'WangJianGuo', name: '王建国' });
      d.people.push({ ...d.people[0] });
    });
    expect(found).toEqual([
      expect.stringContaining(
        'people[16] (userid "ZhaoGuoLiang"): userid: "ZhaoGuoLiang" is already used by people[0]',
      ),
      expect.stringContaining('people[15] (userid "WangJianGuo"): userid: "WangJianGuo" is already among the cadres'),
      expect.stringContaining(
        'contacts[1] (village "beibao"): village: "beibao" already has its contacts in contacts[0]',
      ),
      expect.stringContaining('contacts[9] (village "ghost"): village: "ghost" is not in villages'),
      expect.stringContaining(
        'sendingUnits[0] (name "县财政局"): deputy: "DuHongWei" is the main leader too: the deputy in charge is another person',
      ),
      expect.stringContaining('sendingUnits[8] (name "县文旅局"): name: "县文旅局" is no cadre\'s sendingUnit'),
    ]);
  });

  it('a contacts entry without one of the four is a schema error', () => {
    expect(problems((d) => delete d.contacts[3].orgDepartment)).toEqual([
      expect.stringMatching(
        /^roster\.yaml: contacts\[3\] \(village "nanzhuang"\): orgDepartment: missing \(line \d+\)$/,
      ),
    ]);
  });
});

describe('what the roster lacks is a warning', () => {
  it('a village without its four contacts, a unit without its leaders, cadres without a mentor', () => {
    const { warnings } = read((d) => {
      d.contacts = d.contacts.filter((k: { village: string }) => k.village !== 'liuhe');
      d.sendingUnits = d.sendingUnits.filter((u: { name: string }) => u.name !== '县水利局');
      d.mentors = d.mentors.filter((m: { userid: string }) => m.userid !== 'MengQingLi');
    });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^roster\.yaml: villages\[2\] \(id "liuhe"\): has no four contacts \(四包一\): add an entry to contacts \(line \d+\)$/,
      ),
      expect.stringMatching(
        /^roster\.yaml: cadres\[7\] \(userid "YangHaiTao"\): sendingUnit: sending unit "县水利局" has no main leader and deputy in charge: add it to sendingUnits \(line \d+\)$/,
      ),
      expect.stringContaining(
        'townships[2] (id "gaocun"): 4 cadres have no mentor (传帮带) in mentors: RenBaoPing, TianXiaoLi, BaiJianJun, WeiSiYuan',
      ),
    ]);
  });

  it('a roster written before these sections imports, with one warning per missing part', () => {
    const { data, warnings } = read((d) => {
      delete d.people;
      delete d.contacts;
      delete d.sendingUnits;
      delete d.mentors;
    });
    expect(data.contacts).toBeUndefined();
    // 9 villages, 8 units, 3 townships with unmentored cadres.
    expect(warnings).toHaveLength(9 + 8 + 3);
  });
});

describe('one 领队 per township, 2–3 villages per work group', () => {
  it('are warnings by default', () => {
    const { warnings } = read((d) => {
      d.cadres.find((c: { userid: string }) => c.userid === 'GaoLiXin').teamLeader = true; // a second in 凤城乡
      delete d.cadres.find((c: { userid: string }) => c.userid === 'FanWeiDong').teamLeader; // none in 高村乡
      d.workGroups[0].villages = ['beibao', 'niucun', 'liuhe', 'nanzhuang'];
      d.workGroups.splice(1, 1);
      d.workGroups[2].villages = ['xitaishen'];
      d.workGroups.push({ id: 'solo', name: '单村组', township: 'gaocun', villages: ['aikou'] });
    });
    expect(warnings).toEqual([
      expect.stringContaining(
        'townships[1] (id "fengcheng"): has 2 领队 (teamLeader: true): ZhouMingHui, GaoLiXin; a township has one',
      ),
      expect.stringContaining(
        'townships[2] (id "gaocun"): has no 领队 (a cadre of the township with teamLeader: true)',
      ),
      expect.stringMatching(
        /workGroups\[0\] \(id "xintian-team"\): villages: has 4 villages; a work group has 2 or 3 neighbouring villages \(line \d+\)$/,
      ),
      expect.stringContaining('workGroups[2] (id "gaocun-team"): villages: has 1 village; a work group has 2 or 3'),
      expect.stringContaining('workGroups[3] (id "solo"): villages: has 1 village;'),
    ]);
  });

  it('are errors under strictGroups, and the file is refused', () => {
    const found = problems(
      (d) => {
        d.workGroups[1].villages = ['nanzhuang'];
        d.workGroups[0].villages = ['beibao', 'niucun', 'liuhe'];
        d.cadres.find((c: { userid: string }) => c.userid === 'GaoLiXin').teamLeader = true;
      },
      { strictGroups: true },
    );
    expect(found).toEqual([
      expect.stringContaining('townships[1] (id "fengcheng"): has 2 领队'),
      expect.stringContaining('workGroups[1] (id "xintian-south"): villages: has 1 village'),
    ]);
    // The sample itself passes the strict check.
    expect(read(() => {}, { strictGroups: true }).warnings).toEqual([]);
  });
});

describe('Roster lookups', () => {
  const data = read(() => {}).data;
  const roster = new Roster(data);

  it('answer what a walk over the file answers, for everyone and every place', () => {
    for (const v of data.villages)
      expect(roster.contactsOf(v.id)).toEqual(data.contacts!.find((k) => k.village === v.id));
    for (const u of roster.userids()) {
      const contact = data.contacts!.flatMap((k) =>
        CONTACT_FIELDS.filter((f) => k[f] === u).map((as) => ({ village: k.village, as })),
      );
      expect(roster.contactRolesOf(u), u).toEqual(contact);
      const units = data.sendingUnits!.flatMap((x) => [
        ...(x.mainLeader === u ? [{ unit: x.name, as: 'mainLeader' }] : []),
        ...(x.deputy === u ? [{ unit: x.name, as: 'deputy' }] : []),
      ]);
      expect(roster.unitRolesOf(u), u).toEqual(units);
      const mentees = (data.mentors ?? []).filter((m) => m.userid === u).flatMap((m) => m.cadres);
      expect(
        roster.menteesOf(u).map((c) => c.userid),
        u,
      ).toEqual(mentees);
    }
    for (const c of data.cadres)
      expect(roster.mentorsOf(c.userid)).toEqual(
        data.mentors!.filter((m) => m.cadres.includes(c.userid)).map((m) => m.userid),
      );
    for (const x of data.sendingUnits!) expect(roster.sendingUnit(x.name)).toEqual(x);
    for (const t of data.townships) {
      expect(roster.workGroupsOfTownship(t.id)).toEqual(data.workGroups.filter((w) => w.township === t.id));
      expect(roster.teamLeadersOfTownship(t.id)).toEqual(
        data.cadres.filter((c) => c.teamLeader && data.villages.find((v) => v.id === c.village)!.township === t.id),
      );
    }
  });

  it('knows a county leader, who holds no role of the bot, and everyone once', () => {
    expect(roster.person('ZhaoGuoLiang')).toEqual({
      userid: 'ZhaoGuoLiang',
      name: '赵国良',
      roles: [],
      other: { userid: 'ZhaoGuoLiang', name: '赵国良', title: '县委副书记' },
    });
    expect(roster.knows('ZhaoGuoLiang')).toBe(true);
    expect(roster.knows('Nobody')).toBe(false);
    expect(roster.person('Nobody')).toBeUndefined();
    const all = roster.userids();
    expect(all).toHaveLength(31 + 11 + 15);
    expect(new Set(all).size).toBe(all.length);
  });

  it('reads a roster stored before these sections: no contacts, units or mentees', () => {
    const old: RosterData = { ...data };
    delete old.people;
    delete old.contacts;
    delete old.sendingUnits;
    delete old.mentors;
    const r = new Roster(old);
    expect(r.contactsOf('beibao')).toBeUndefined();
    expect(r.sendingUnit('县财政局')).toBeUndefined();
    expect(r.menteesOf('LiZhenHua')).toEqual([]);
    expect(r.person('ZhaoGuoLiang')).toBeUndefined();
    expect(r.person('LiZhenHua')!.roles).toEqual(['township']);
  });
});
