/**
 * `zhucun roster check | import | diff` with the new sections: warnings printed as WARN lines (the import goes
 * on), `roster.strictGroups` in the policy file refusing a misshapen file with nothing written, and the
 * people, contacts, sending units and mentors in the import diff and its audit summary like the other sections.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/roster.js';
import { fixedClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log.js';
import { exportRoster } from '../../src/roster/load.js';
import type { RosterData } from '../../src/roster/schema.js';
import { RosterStore } from '../../src/roster/store.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys } = useTestRedis();
const store = new RosterStore(redis, keys, fixedClock('2026-12-06T09:00:00+08:00'));
const dir = await mkdtemp(join(tmpdir(), 'zhucun-links-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const sample = sampleRosterData();

let out = '';
let err = '';
const env: NodeJS.ProcessEnv = {};
const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), log: silentLogger, env };
const cli = (...argv: string[]) => run(argv, io, async () => ({ store, close: async () => {} }));
beforeEach(async () => {
  out = '';
  err = '';
  delete env.ZHUCUN_POLICY;
  await redis.del(keys.roster(), keys.rosterVersion(), keys.assignments());
});

async function file(name: string, data: RosterData): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, exportRoster(data));
  return path;
}

/** The sample with 高村乡's work group down to one village and a second 领队 in 凤城乡. */
function misshapen(): RosterData {
  return {
    ...sample,
    workGroups: sample.workGroups.map((w) => (w.id === 'gaocun-team' ? { ...w, villages: ['aikou'] } : w)),
    cadres: sample.cadres.map((c) => (c.userid === 'GaoLiXin' ? { ...c, teamLeader: true } : c)),
  };
}

describe('warnings', () => {
  it('check and import print them as WARN lines and go on; --json lists them', async () => {
    const path = await file('misshapen.yaml', misshapen());
    await cli('check', path, '--json');
    const warns = err.split('\n').filter((l) => l.startsWith('WARN '));
    expect(warns).toEqual([
      expect.stringMatching(/^WARN .*misshapen\.yaml: townships\[1\] \(id "fengcheng"\): has 2 领队 .*\(line \d+\)$/),
      expect.stringMatching(/^WARN .*misshapen\.yaml: workGroups\[3\] \(id "gaocun-team"\): villages: has 1 village;/),
    ]);
    expect(JSON.parse(out).warnings).toEqual(warns.map((w) => w.slice('WARN '.length)));
    out = '';
    err = '';
    expect(await cli('import', path)).toBe(0);
    expect(err).toContain('WARN ');
    expect((await store.get()).teamLeadersOfTownship('fengcheng').map((c) => c.userid)).toEqual([
      'ZhouMingHui',
      'GaoLiXin',
    ]);
  });

  it('roster.strictGroups: true in the policy file refuses the file; nothing is written', async () => {
    const policy = join(dir, 'strict.yaml');
    await writeFile(policy, 'roster:\n  strictGroups: true\n');
    env.ZHUCUN_POLICY = policy;
    const path = await file('misshapen.yaml', misshapen());
    expect(await cli('import', path, '--json')).toBe(1);
    const doc = JSON.parse(out) as { imported: boolean; problems: string[] };
    expect(doc.imported).toBe(false);
    expect(doc.problems).toEqual([
      expect.stringContaining('townships[1] (id "fengcheng"): has 2 领队'),
      expect.stringContaining('workGroups[3] (id "gaocun-team"): villages: has 1 village'),
    ]);
    expect(err).not.toContain('WARN ');
    expect(await redis.get(keys.roster())).toBeNull();
    // The sample itself passes.
    out = '';
    expect(await cli('import', await file('sample.yaml', sample))).toBe(0);
  });
});

describe('the import diff', () => {
  it('lists people, contacts, sending units and mentors added and removed, and counts them', async () => {
    const old: RosterData = { ...sample };
    delete old.people;
    delete old.contacts;
    delete old.sendingUnits;
    delete old.mentors;
    // A roster imported before the sections existed.
    expect(await cli('import', await file('old.yaml', old))).toBe(0);
    out = '';
    expect(await cli('diff', await file('sample.yaml', sample), '--json')).toBe(0);
    const { changes } = JSON.parse(out) as { changes: Record<string, { added: string[]; removed: string[] }> };
    expect(changes.people!.added).toHaveLength(15);
    expect(changes.contacts!.added).toContain(
      'beibao countyLeader ZhaoGuoLiang townshipHead LiZhenHua orgDepartment WuJianZhong sendingUnit DuHongWei',
    );
    expect(changes.sendingUnits!.added).toContain('县财政局: mainLeader DuHongWei, deputy LiuYaQin');
    expect(changes.mentors!.added).toHaveLength(31);

    await cli('import', await file('sample.yaml', sample));
    const next: RosterData = {
      ...sample,
      people: [...sample.people!, { userid: 'HaoYun', name: '郝云', title: '县委常委' }],
      contacts: sample.contacts!.map((k) => (k.village === 'beibao' ? { ...k, countyLeader: 'HaoYun' } : k)),
      sendingUnits: sample.sendingUnits!.map((u) => (u.name === '县财政局' ? { ...u, deputy: 'ZhuLiHong' } : u)),
      mentors: sample.mentors!.map((m) =>
        m.userid === 'LiZhenHua' ? { ...m, cadres: m.cadres.filter((c) => c !== 'GuoYongHong') } : m,
      ),
    };
    next.mentors![1] = { ...next.mentors![1]!, cadres: [...next.mentors![1]!.cadres, 'GuoYongHong'] };
    out = '';
    err = '';
    expect(await cli('import', await file('next.yaml', next))).toBe(0);
    expect(out).toContain('  + person HaoYun (郝云)\n');
    expect(out).toContain(
      '  - contacts beibao countyLeader ZhaoGuoLiang townshipHead LiZhenHua orgDepartment WuJianZhong sendingUnit DuHongWei\n',
    );
    expect(out).toContain(
      '  + contacts beibao countyLeader HaoYun townshipHead LiZhenHua orgDepartment WuJianZhong sendingUnit DuHongWei\n',
    );
    expect(out).toContain('  - sending unit 县财政局: mainLeader DuHongWei, deputy LiuYaQin\n');
    expect(out).toContain('  + sending unit 县财政局: mainLeader DuHongWei, deputy ZhuLiHong\n');
    expect(out).toContain('  - mentor LiZhenHua -> GuoYongHong\n');
    expect(out).toContain('  + mentor WangHaiYan -> GuoYongHong\n');
    // 1 person + 2 contact lines + 2 unit lines + 2 mentor lines.
    expect(out).toContain(', 7 other entries added or removed');
    const audit = (await redis.xrange(keys.audit(), '-', '+')).map(([, f]) => JSON.parse(f[1]!) as { summary: string });
    expect(audit.at(-1)?.summary).toContain('7 other entries added or removed');
    expect(await readFile(join(dir, 'next.yaml'), 'utf8')).toContain('HaoYun');
  });
});
