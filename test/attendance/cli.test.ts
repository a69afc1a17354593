import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/attendance.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { silentLogger } from '../../src/log.js';
import { RosterStore } from '../../src/roster/store.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { checkIn, days } from './seed.js';

const t = useTestRedis();
const POLICY = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));
const FIXTURE_2027 = fileURLToPath(new URL('../fixtures/holidays/2027.json', import.meta.url));
const NOW = '2026-11-18T09:00:00+08:00';

let closed = 0;
const open = async () => ({
  redis: t.redis,
  keys: t.keys,
  roster: new RosterStore(t.redis, t.keys),
  close: async () => void (closed += 1),
});

function capture(env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (s) => (out += s),
    err: (s) => (err += s),
    log: silentLogger,
    env: { ZHUCUN_POLICY: POLICY, ...env },
  };
  return { io, out: () => out, err: () => err };
}

beforeAll(async () => {
  await new RosterStore(t.redis, t.keys).replace(sampleRosterData());
  await checkIn(t, 'LiXiaoYan', days('2026-11-02', '2026-11-13'));
  await checkIn(t, 'LiXiaoYan', ['2026-11-16'], 'message');
});

describe('zhucun attendance', () => {
  it('--json prints one document of the agreed shape', async () => {
    const c = capture();
    expect(await run(['LiXiaoYan', '--now', NOW, '--json'], c.io, open)).toBe(0);
    const doc = JSON.parse(c.out());
    expect(Object.keys(doc)).toEqual([
      'userid',
      'month',
      'present',
      'selfReported',
      'target',
      'remaining',
      'needed',
      'status',
      'year',
    ]);
    expect(Object.keys(doc.year)).toEqual(['present', 'target', 'pace', 'status']);
    expect(doc).toEqual({
      userid: 'LiXiaoYan',
      month: '2026-11',
      present: 13,
      selfReported: 1,
      target: 22,
      remaining: 13,
      needed: 9,
      status: 'on-track',
      year: { present: 13, target: 250, pace: 140, status: 'cannot-reach' },
    });
  });

  it('a month without holiday data has a null target and status pending, until the override adds the year', async () => {
    const pending = capture();
    await run(['LiXiaoYan', '--month', '2027-02', '--now', NOW, '--json'], pending.io, open);
    expect(JSON.parse(pending.out())).toMatchObject({
      month: '2027-02',
      target: null,
      needed: null,
      status: 'pending',
    });

    const known = capture({ ZHUCUN_HOLIDAYS: FIXTURE_2027 });
    await run(['LiXiaoYan', '--month', '2027-02', '--now', NOW, '--json'], known.io, open);
    expect(JSON.parse(known.out())).toMatchObject({ month: '2027-02', target: 15, status: 'on-track' });
  });

  it('prints the chat summary in text mode', async () => {
    const c = capture();
    expect(await run(['LiXiaoYan', '--now', NOW], c.io, open)).toBe(0);
    expect(c.out()).toContain('李晓燕（北堡村，县财政局） · 2026年11月（截至11月18日）');
    expect(c.out()).toContain('✓在村');
  });

  it('exits 1 for a userid that is not a cadre, and closes the connection', async () => {
    const before = closed;
    const c = capture();
    expect(await run(['Nobody', '--now', NOW], c.io, open)).toBe(1);
    expect(c.err()).toContain('Nobody');
    expect(c.out()).toBe('');
    expect(closed).toBe(before + 1);
  });

  it('refuses a wrong command line', async () => {
    await expect(run([], capture().io, open)).rejects.toThrow(UsageError);
    await expect(run(['LiXiaoYan', '--month', '2026-13'], capture().io, open)).rejects.toThrow(UsageError);
    await expect(run(['LiXiaoYan', '--now', 'yesterday'], capture().io, open)).rejects.toThrow(UsageError);
    await expect(run(['LiXiaoYan', 'extra'], capture().io, open)).rejects.toThrow(UsageError);
  });
});
