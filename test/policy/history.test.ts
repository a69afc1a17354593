/**
 * The dated policy history on the real Redis: a file's `effectiveFrom`, registering once however many instances
 * start, the version in force on a date, `deps.policy` following the clock, and the refusal of a date in a
 * closed month.
 */
import type { Job } from '../../src/schedule/job.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ClosedMonthStore } from '../../src/close/store.js';
import { bindPolicy, PolicyHistory, PolicyHistoryError, versionAt, withOverrides } from '../../src/policy/history.js';
import { defaultPolicy, PolicyError, readPolicy } from '../../src/policy/policy.js';
import { policyDiff, registerAtStart, registerPolicy } from '../../src/policy/register.js';
import { Keys } from '../../src/redis/keys.js';
import { TestClock } from '../helpers/clock.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';

const shared = useTestRedis();
let n = 0;
/** A namespace of its own per test, on the file's Redis connection. */
function fresh(): TestRedis {
  return { ...shared, keys: new Keys(`${shared.keys.ns}x${++n}`) };
}
afterAll(async () => {
  for await (const batch of shared.redis.scanStream({ match: `${shared.keys.ns}x*`, count: 500 })) {
    if ((batch as string[]).length) await shared.redis.del(...(batch as string[]));
  }
});

const NOV = new Date('2026-11-10T08:00:00+08:00');
const withMinimum = (minimum: number) => {
  const p = defaultPolicy();
  p.monthly.minimum = minimum;
  return p;
};

async function auditEntries(t: TestRedis) {
  const rows = await t.redis.xrange(t.keys.audit(), '-', '+');
  return rows.map(([, f]) => JSON.parse(f[1]!) as { kind: string; actor: string; ref: string; summary: string });
}

describe('effectiveFrom in the policy file', () => {
  it('is read as the first day the file applies, and is no setting', () => {
    const read = readPolicy('effectiveFrom: 2026-12-01\nmonthly:\n  minimum: 20\n');
    expect(read.effectiveFrom).toBe('2026-12-01');
    expect(read.policy.monthly.minimum).toBe(20);
    expect(readPolicy('monthly:\n  minimum: 20\n').effectiveFrom).toBeUndefined();
  });

  it('must be a real date written YYYY-MM-DD', () => {
    for (const bad of ['2026-12', '2026-02-30', '12/01/2026', '20261201']) {
      expect(() => readPolicy(`effectiveFrom: "${bad}"\n`)).toThrow(PolicyError);
      expect(() => readPolicy(`effectiveFrom: "${bad}"\n`)).toThrow(
        'policy.yaml: effectiveFrom: must be a date written YYYY-MM-DD, e.g. "2026-12-01"',
      );
    }
  });
});

describe('registering versions', () => {
  it('registers a file once across two starts, even at the same moment, with one audit entry', async () => {
    const t = fresh();
    const read = { policy: withMinimum(22) };
    const [a, b] = await Promise.all([
      registerAtStart(t.redis, t.keys, read, NOV),
      registerAtStart(t.redis, t.keys, read, NOV),
    ]);
    expect([a.registration.status, b.registration.status].sort()).toEqual(['known', 'registered']);
    // A later start, another day: still the same version.
    const c = await registerAtStart(t.redis, t.keys, read, new Date('2026-11-20T08:00:00+08:00'));
    expect(c.registration.status).toBe('known');
    const versions = await new PolicyHistory(t.redis, t.keys).versions();
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ effectiveFrom: '2026-11-10', dated: false, actor: 'serve' });
    const audit = await auditEntries(t);
    expect(audit).toEqual([
      expect.objectContaining({ kind: 'policy.change', actor: 'serve', ref: versions[0]!.id, channel: 'cli' }),
    ]);
    expect(audit[0]!.summary).toBe('effective from 2026-11-10: first version');
  });

  it('gives the version in force on each date, and a dated change takes over on its day', async () => {
    const t = fresh();
    await registerPolicy(t.redis, t.keys, { policy: withMinimum(22) }, { now: NOV, actor: 'serve' });
    const r = await registerPolicy(
      t.redis,
      t.keys,
      { policy: withMinimum(20), effectiveFrom: '2026-12-01' },
      { now: NOV, actor: 'cli:ops@host' },
    );
    expect(r.changes).toEqual(['monthly.minimum: 22 → 20']);
    const versions = await new PolicyHistory(t.redis, t.keys).versions();
    const at = (d: string) => versionAt(versions, d)!.policy.monthly.minimum;
    expect([at('2026-01-01'), at('2026-11-10'), at('2026-11-30'), at('2026-12-01'), at('2027-03-01')]).toEqual([
      22, 22, 22, 20, 20,
    ]);
    const audit = await auditEntries(t);
    expect(audit[1]).toMatchObject({
      actor: 'cli:ops@host',
      summary: 'effective from 2026-12-01: monthly.minimum: 22 → 20',
    });
  });

  it('puts an undated file back in force when it had been superseded', async () => {
    const t = fresh();
    const history = new PolicyHistory(t.redis, t.keys);
    await history.register(withMinimum(22), undefined, { now: NOV, actor: 'serve' });
    await history.register(withMinimum(20), '2026-12-01', { now: NOV, actor: 'serve' });
    const dec = new Date('2026-12-10T08:00:00+08:00');
    const again = await history.register(withMinimum(22), undefined, { now: dec, actor: 'serve' });
    expect(again.status).toBe('registered');
    expect(versionAt(await history.versions(), '2026-12-10')!.policy.monthly.minimum).toBe(22);
    expect((await history.register(withMinimum(22), undefined, { now: dec, actor: 'serve' })).status).toBe('known');
  });

  it('refuses a date inside or before a closed month, and stores nothing', async () => {
    const t = fresh();
    const history = new PolicyHistory(t.redis, t.keys);
    await history.register(withMinimum(22), '2026-09-01', { now: NOV, actor: 'serve' });
    await new ClosedMonthStore(t.redis, t.keys).write(
      { month: '2026-10', closedAt: NOV.getTime(), actor: 'job:month-close', cadres: 0 },
      new Map(),
    );
    for (const date of ['2026-10-15', '2026-10-31', '2026-09-20']) {
      const attempt = history.register(withMinimum(20), date, { now: NOV, actor: 'serve' });
      await expect(attempt).rejects.toThrow(PolicyHistoryError);
      await expect(history.register(withMinimum(20), date, { now: NOV, actor: 'serve' })).rejects.toThrow(
        `effectiveFrom ${date} is not after 2026-10, which is closed (a closed month keeps the figures it was closed with); choose a date after 2026-10-31`,
      );
    }
    expect(await history.versions()).toHaveLength(1);
    expect((await history.preview(withMinimum(20), '2026-10-15', NOV)).refused).toMatch(/2026-10, which is closed/);
    expect((await history.register(withMinimum(20), '2026-11-01', { now: NOV, actor: 'serve' })).status).toBe(
      'registered',
    );
  });
});

describe('deps.policy', () => {
  it('follows the clock: the version in force today, a future one only from its day', async () => {
    const t = fresh();
    await registerPolicy(t.redis, t.keys, { policy: withMinimum(22) }, { now: NOV, actor: 'serve' });
    const file = { policy: withMinimum(20), effectiveFrom: '2026-12-01' };
    const clock = new TestClock('2026-11-30T23:59:00+08:00');
    const { book } = await registerAtStart(t.redis, t.keys, file, clock.now());
    const deps = bindPolicy(testDeps(t, { clock }), book);
    expect(deps.policy.monthly.minimum).toBe(22);
    // A copy made for the jobs keeps following its own clock.
    const jobs = withOverrides(deps, { checkinLink: 'x' });
    clock.set('2026-12-01T00:00:00+08:00');
    expect(deps.policy.monthly.minimum).toBe(20);
    expect(jobs.policy.monthly.minimum).toBe(20);
    const past = withOverrides(deps, { clock: new TestClock('2026-11-18T09:00:00+08:00') });
    expect(past.policy.monthly.minimum).toBe(22);
    // A version registered elsewhere reaches the running bot when its book re-reads the history.
    await registerPolicy(
      t.redis,
      t.keys,
      { policy: withMinimum(18), effectiveFrom: '2026-12-01' },
      { now: NOV, actor: 'x' },
    );
    expect(deps.policy.monthly.minimum).toBe(20);
    book.load(await new PolicyHistory(t.redis, t.keys).versions());
    expect(deps.policy.monthly.minimum).toBe(18);
  });

  it("reaches the scheduler's runs: a job run after the date reads the new version", async () => {
    const t = fresh();
    await registerPolicy(t.redis, t.keys, { policy: withMinimum(22) }, { now: NOV, actor: 'serve' });
    const clock = new TestClock('2026-11-30T10:00:00+08:00');
    const file = { policy: withMinimum(20), effectiveFrom: '2026-12-01' };
    const { book } = await registerAtStart(t.redis, t.keys, file, clock.now());
    const deps = bindPolicy(testDeps(t, { clock }), book);
    const seen: number[] = [];
    const probe: Job<null> = {
      id: 'policy-probe',
      policyJob: 'dailyDigest',
      summary: 'reads the policy',
      catchUpUntil: () => null,
      load: async (ctx) => {
        seen.push(ctx.policy.monthly.minimum);
        return null;
      },
      plan: () => [],
    };
    const scheduler = new Scheduler(deps, [probe]);
    await scheduler.runner.runManual(probe);
    clock.set('2026-12-01T10:00:00+08:00');
    await scheduler.runner.runManual(probe);
    await scheduler.stop();
    expect(seen).toEqual([22, 20]);
  });

  it('is the file itself when the file names a future date and nothing earlier is registered', async () => {
    const t = fresh();
    const file = { policy: withMinimum(20), effectiveFrom: '2027-01-01' };
    const { book } = await registerAtStart(t.redis, t.keys, file, NOV);
    expect(book.inForce(NOV).monthly.minimum).toBe(20);
  });
});

describe('policyDiff', () => {
  it('names each changed setting with its old and new value', () => {
    const after = withMinimum(20);
    after.leave.types['事假']!.maxDays = 5;
    expect(policyDiff(defaultPolicy(), after)).toEqual([
      'leave.types.事假.maxDays: 10 → 5',
      'monthly.minimum: 22 → 20',
    ]);
    expect(policyDiff(defaultPolicy(), defaultPolicy())).toEqual([]);
  });
});
