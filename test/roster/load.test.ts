import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { exportRoster, loadRosterFile, parseRoster, RosterError } from '../../src/roster/load.js';

const samplePath = fileURLToPath(new URL('../../config/roster.sample.yaml', import.meta.url));
const sampleText = await readFile(samplePath, 'utf8');
const loadSample = () => loadRosterFile(samplePath);
/** A roster as plain YAML data, edited freely by the tests below (yaml's `parse` is untyped). */
type YamlDoc = ReturnType<typeof parse>;

/** The sample with one edit applied, run through parseRoster; returns the error message it must produce. */
function problemsAfter(edit: (doc: YamlDoc) => void): string {
  const doc = parse(sampleText);
  edit(doc);
  try {
    parseRoster(stringify(doc), 'roster.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RosterError);
    return (err as RosterError).message;
  }
  throw new Error('the edited roster was accepted');
}

describe('the sample roster', () => {
  it('validates and has three townships, at least eight villages and thirty cadres', async () => {
    const data = await loadSample();
    expect(data.sample).toBe(true);
    expect(data.county).toBe('侯马市（示例）');
    expect(data.townships.map((t) => t.id)).toEqual(['xintian', 'fengcheng', 'gaocun']);
    expect(data.villages.length).toBeGreaterThanOrEqual(8);
    expect(data.cadres.length).toBeGreaterThanOrEqual(30);
    expect(data.townships.filter((t) => t.usesWecomCheckin).map((t) => t.id)).toEqual(['gaocun']);
  });

  it('has one secretary per village and one team leader per township', async () => {
    const data = await loadSample();
    // 南庄村 awaits its cadres (a village newly selected; its four contacts are named already).
    expect(data.cadres.filter((c) => c.village === 'nanzhuang')).toEqual([]);
    for (const v of data.villages.filter((x) => x.id !== 'nanzhuang')) {
      const team = data.cadres.filter((c) => c.village === v.id);
      expect(
        team.filter((c) => c.role === '书记'),
        v.id,
      ).toHaveLength(1);
      expect(team.length, v.id).toBeGreaterThanOrEqual(3);
    }
    const leaders = data.cadres
      .filter((c) => c.teamLeader)
      .map((c) => data.villages.find((v) => v.id === c.village)!.township);
    expect(leaders.sort()).toEqual(['fengcheng', 'gaocun', 'xintian']);
  });
});

describe('parseRoster problems name the file, the entry and the field', () => {
  it('a missing field', () => {
    const msg = problemsAfter((d) => delete d.cadres[3].village);
    expect(msg).toMatch(/^roster\.yaml: cadres\[3\] \(userid "SunLiJuan"\): village: missing \(line \d+\)$/);
  });

  it('a value of the wrong type', () => {
    const msg = problemsAfter((d) => (d.villages[2].lat = 'north'));
    expect(msg).toMatch(
      /^roster\.yaml: villages\[2\] \(id "liuhe"\): lat: expected number, received string \(line \d+\)$/,
    );
  });

  it('an unknown field', () => {
    const msg = problemsAfter((d) => (d.townships[1].mayor = 'x'));
    expect(msg).toContain('roster.yaml: townships[1] (id "fengcheng"): unknown field "mayor"');
  });

  it('a cadre in a village that is not on the roster', () => {
    const msg = problemsAfter((d) => (d.cadres[3].village = 'xxx'));
    expect(msg).toMatch(
      /^roster\.yaml: cadres\[3\] \(userid "SunLiJuan"\): village: "xxx" is not in villages \(line \d+\)$/,
    );
  });

  it('two cadres with one userid', () => {
    const msg = problemsAfter((d) => (d.cadres[5] = { ...d.cadres[5], userid: 'WangJianGuo', name: '王建国' }));
    expect(msg).toContain(
      'roster.yaml: cadres[5] (userid "WangJianGuo"): userid: "WangJianGuo" is already used by cadres[0]',
    );
  });

  it('a date that is not a date, one in the wrong format, and a term ending before it starts', () => {
    expect(problemsAfter((d) => (d.cadres[0].termStart = '2026-02-30'))).toContain(
      'roster.yaml: cadres[0] (userid "WangJianGuo"): termStart: "2026-02-30" is not a calendar date',
    );
    expect(problemsAfter((d) => (d.cadres[1].termEnd = '2027/04/27'))).toContain(
      'roster.yaml: cadres[1] (userid "LiXiaoYan"): termEnd: must be a date written YYYY-MM-DD',
    );
    expect(problemsAfter((d) => (d.cadres[2].termEnd = '2026-01-01'))).toContain(
      'roster.yaml: cadres[2] (userid "ZhaoWenBo"): termEnd: 2026-01-01 is before termStart 2026-04-28',
    );
  });

  it('a group with neither a township nor a work group', () => {
    const msg = problemsAfter((d) => delete d.groups[1].township);
    expect(msg).toMatch(
      /^roster\.yaml: groups\[1\] \(chatid "wrkSFfCgAA\w+"\): give exactly one of township or workGroup/,
    );
  });

  it('references between townships, villages, work groups, supervisors and groups', () => {
    expect(problemsAfter((d) => (d.villages[0].township = 'nowhere'))).toContain(
      'villages[0] (id "beibao"): township: "nowhere" is not in townships',
    );
    expect(problemsAfter((d) => d.workGroups[0].villages.push('xiangyi'))).toContain(
      'workGroups[0] (id "xintian-team"): villages[2]: "xiangyi" is in township "fengcheng", not "xintian"',
    );
    expect(problemsAfter((d) => d.workGroups[2].villages.push('ghost'))).toContain(
      'villages[3]: "ghost" is not in villages',
    );
    expect(problemsAfter((d) => (d.supervisors[0].scope = 'nowhere'))).toContain(
      'supervisors[0] (userid "LiZhenHua"): scope: "nowhere" is not in townships',
    );
    expect(problemsAfter((d) => (d.supervisors[5].scope = '县文旅局'))).toContain(
      'supervisors[5] (userid "DuHongWei"): scope: "县文旅局" is no cadre\'s sendingUnit',
    );
    expect(problemsAfter((d) => (d.supervisors[9].scope = 'xintian'))).toContain(
      'scope: must be "county" for kind org-department',
    );
    expect(problemsAfter((d) => (d.groups[2].township = 'fengcheng'))).toContain(
      'groups[2] (chatid "wrkSFfCgAAgK6rEt1UdX5cMa"): township: "fengcheng" already has a group (groups[1])',
    );
    expect(problemsAfter((d) => (d.groups[2] = { chatid: 'wrkX', workGroup: 'nope' }))).toContain(
      'workGroup: "nope" is not in workGroups',
    );
  });

  it('lets one person supervise two scopes but not the same scope twice, under one name', () => {
    const doc = parse(sampleText);
    doc.supervisors.push({ userid: 'LiZhenHua', name: '李振华', kind: 'sending-unit', scope: '县财政局', title: '兼' });
    expect(parseRoster(stringify(doc), 'roster.yaml').supervisors).toHaveLength(12);

    const msg = problemsAfter((d) =>
      d.supervisors.push({ ...d.supervisors[0] }, { ...d.supervisors[1], name: '王海' }),
    );
    expect(msg).toContain(
      'supervisors[11] (userid "LiZhenHua"): scope: repeats supervisors[0] (same userid, kind and scope)',
    );
    expect(msg).toContain(
      'supervisors[12] (userid "WangHaiYan"): name: "王海" differs from "王海燕" given for the same userid in supervisors[1]',
    );
  });

  it('collects every problem into one message, showing at most twenty', () => {
    const two = problemsAfter((d) => {
      d.cadres[0].village = 'a';
      d.cadres[1].village = 'b';
    });
    expect(two.split('\n')).toHaveLength(2);
    const many = problemsAfter((d) => d.cadres.forEach((c: YamlDoc) => (c.village = 'gone')));
    expect(many.split('\n')).toHaveLength(21);
    expect(many).toMatch(/roster\.yaml: … and 11 more problems$/);
  });

  it('reports YAML syntax errors, an empty file and an unreadable file', async () => {
    expect(() => parseRoster('townships: [a,\nvillages: 1\n', 'r.yaml')).toThrow(
      /^r\.yaml: YAML syntax: .* at line \d+, column \d+/,
    );
    expect(() => parseRoster('# only a comment\n', 'r.yaml')).toThrow('r.yaml: the file is empty');
    await expect(loadRosterFile('/nonexistent/roster.yaml')).rejects.toThrow(
      '/nonexistent/roster.yaml: cannot read the file (ENOENT)',
    );
  });
});

describe('exportRoster', () => {
  it('round-trips: parsing the export gives the same roster', async () => {
    const data = await loadSample();
    const text = exportRoster(data);
    expect(parseRoster(text, 'export.yaml')).toEqual(data);
    // The roster comes back from Redis as JSON; that form must round-trip too.
    expect(parseRoster(exportRoster(JSON.parse(JSON.stringify(data))), 'export.yaml')).toEqual(data);
  });

  it('writes one entry per line and leaves default values out', async () => {
    const text = exportRoster(await loadSample());
    expect(text).toContain('  - { id: gaocun, name: 高村乡, usesWecomCheckin: true }');
    expect(text).toContain('villages: [ beibao, niucun ]');
    expect(text).not.toContain('teamLeader: false');
    expect(text).toMatch(/^# .*\n# 示例数据/);
  });
});
