/**
 * `zhucun roster verify` against the fake WeCom: every userid of the roster must be a member (`user/list_id`)
 * inside the app's visibility range (`agent/get`: users, departments with those below them, tags with their
 * members and departments), the four contacts included. Exit 0 when all is well, 1 with one line per person.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { readCliDirectory } from '../../src/cli/open.js';
import { run } from '../../src/cli/roster.js';
import { startFakeWecom, type FakeDirectory } from '../../src/fakewecom/server.js';
import { silentLogger } from '../../src/log.js';
import { Keys } from '../../src/redis/keys.js';
import { Roster } from '../../src/roster/roster.js';
import { RosterStore } from '../../src/roster/store.js';
import { WecomApi } from '../../src/wecom/api/client.js';
import { readDirectory } from '../../src/wecom/directory.js';
import { TestClock } from '../helpers/clock.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys, url } = useTestRedis();
const clock = new TestClock();
const fake = await startFakeWecom({ clock });
afterAll(() => fake.stop());
const sample = sampleRosterData();
const everyone = new Roster(sample).userids();
const store = new RosterStore(redis, keys);

let out = '';
let err = '';
const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), log: silentLogger, env: {} };
let n = 0;
const api = () =>
  new WecomApi({
    base: fake.url,
    corpId: fake.corpId,
    agentId: fake.agentId,
    secret: fake.secret,
    redis,
    keys: new Keys(`${keys.ns}w${++n}`),
    log: silentLogger,
    clock,
  });
const cli = (...argv: string[]) =>
  run(
    argv,
    io,
    async () => ({ store, close: async () => {} }),
    () => readDirectory(api(), fake.agentId),
  );

/**
 * Department 1 (the root) holds 2 and 3; the app sees department 2 (so 3 is outside), the users PengXiaoJun
 * and CaiZhenYu by name, and tag 5 (YuHaiBo by name, department 7 whole). Everyone sits in department 2 but the
 * people placed elsewhere.
 */
function directory(place: Record<string, number | null>, extra: Partial<FakeDirectory> = {}): FakeDirectory {
  return {
    members: everyone.filter((u) => place[u] !== null).map((userid) => ({ userid, department: [place[userid] ?? 2] })),
    departments: [
      { id: 1, parentid: 0 },
      { id: 2, parentid: 1 },
      { id: 4, parentid: 2 },
      { id: 3, parentid: 1 },
      { id: 7, parentid: 1 },
    ],
    tags: [{ tagid: 5, users: ['YuHaiBo'], parties: [7] }],
    visible: { users: ['PengXiaoJun', 'CaiZhenYu'], parties: [2], tags: [5] },
    ...extra,
  };
}

beforeEach(async () => {
  out = '';
  err = '';
  fake.setDirectory(undefined);
  await redis.del(keys.roster(), keys.rosterVersion());
});

describe('zhucun roster verify', () => {
  it('passes when everyone is a member inside the range, whichever way the range reaches them', async () => {
    // Reached by a sub-department, by name, by a tag's user and by a tag's department.
    fake.setDirectory(directory({ LiXiaoYan: 4, PengXiaoJun: 3, CaiZhenYu: 3, YuHaiBo: 3, ZhuLiHong: 7 }));
    await store.replace(sample);
    expect(await cli('verify')).toBe(0);
    expect(out).toBe(
      `the imported roster: all ${everyone.length} userids are WeCom members inside the app's visibility range\n`,
    );
    expect(err).toBe('');
  });

  it('names a contact missing from WeCom and a member outside the range, and fails; --json too', async () => {
    // SunJianMin (a county leader, contact of three villages) is no member; DongShuWen (a unit's main leader and
    // the contact of 城小村) sits in department 3, outside the range.
    fake.setDirectory(directory({ SunJianMin: null, DongShuWen: 3 }));
    await store.replace(sample);
    expect(await cli('verify')).toBe(1);
    expect(err.split('\n')).toEqual([
      "ERROR the imported roster: SunJianMin (孙建民, person, countyLeader of nanzhuang, countyLeader of xitaishen, countyLeader of aikou) is not in WeCom's member list",
      "ERROR the imported roster: DongShuWen (董书文, person, sendingUnit of chengxiao, mainLeader of 县卫健局) is outside the app's visibility range: the app cannot message them",
      `the imported roster: 2 of ${everyone.length} userids have a problem`,
      '',
    ]);
    expect(out).toBe('');
    err = '';
    expect(await cli('verify', '--json')).toBe(1);
    const doc = JSON.parse(out) as { verified: boolean; checked: number; membersRead: boolean; problems: unknown[] };
    expect(doc).toMatchObject({ verified: false, checked: everyone.length, membersRead: true });
    expect(doc.problems).toEqual([
      expect.objectContaining({ userid: 'SunJianMin', problem: 'not-a-member' }),
      expect.objectContaining({ userid: 'DongShuWen', problem: 'not-visible' }),
    ]);
  });

  it('checks a file before it is imported, and says when there is no roster to check', async () => {
    expect(await cli('verify')).toBe(1);
    expect(err).toContain('no roster has been imported yet');
    err = '';
    fake.setDirectory(directory({ WangJianGuo: null }));
    expect(await cli('verify', 'config/roster.sample.yaml')).toBe(1);
    expect(err).toContain(
      "ERROR config/roster.sample.yaml: WangJianGuo (王建国, cadre of beibao) is not in WeCom's member list",
    );
    expect(await redis.get(keys.roster())).toBeNull();
  });

  it('judges the range alone, department by department, when WeCom refuses the member list', async () => {
    fake.setDirectory({ ...directory({ SunJianMin: null, DongShuWen: 3 }), listIdRefused: true });
    await store.replace(sample);
    expect(await cli('verify', '--json')).toBe(1);
    const doc = JSON.parse(out) as { membersRead: boolean; problems: { userid: string; problem: string }[] };
    expect(doc.membersRead).toBe(false);
    // Without the member list the missing one is only out of reach, like the one outside the range.
    expect(doc.problems.map((p) => [p.userid, p.problem])).toEqual([
      ['SunJianMin', 'not-visible'],
      ['DongShuWen', 'not-visible'],
    ]);
    expect(err).toContain('NOTE WeCom refused the member list');
  });

  it('reads WeCom with the deployment settings (WECOM_* and the Redis of the namespace)', async () => {
    fake.setDirectory(directory({ SunJianMin: null }));
    const env = {
      REDIS_URL: url,
      ZHUCUN_NAMESPACE: `${keys.ns}cli`,
      WECOM_CORP_ID: fake.corpId,
      WECOM_AGENT_ID: fake.agentId,
      WECOM_APP_SECRET: fake.secret,
      WECOM_API_BASE: fake.url,
    };
    const dir = await readCliDirectory({ ...io, env });
    expect(dir.members?.has('SunJianMin')).toBe(false);
    expect(dir.members?.get('LiXiaoYan')).toEqual([2]);
    expect([...dir.visible.departments].sort()).toEqual([2, 4, 7]);
    await expect(readCliDirectory({ ...io, env: { ...env, WECOM_APP_SECRET: '' } })).rejects.toThrow(
      /roster verify needs WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_APP_SECRET/,
    );
  });
});
