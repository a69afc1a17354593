/**
 * The audit trail is kept for the policy's `retention.auditYears` (3 by default): the nightly retention job
 * removes older entries and keeps newer ones; a dry run says what it would remove and removes nothing.
 */
import { describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/audit/trail.js';
import { auditCutoff } from '../../src/audit/trim.js';
import { fixedClock } from '../../src/core/clock.js';
import { retention } from '../../src/jobs/retention.js';
import { defaultPolicy, parsePolicy } from '../../src/policy/policy.js';
import { Keys } from '../../src/redis/keys.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';
import { entryAt, trail } from './helpers.js';

const base = useTestRedis();
const NOW = new Date('2026-12-06T03:30:00+08:00');
const TIMES = {
  old: '2023-01-10T10:00:00+08:00',
  lastOld: '2023-12-05T23:59:59+08:00',
  firstKept: '2023-12-06T00:00:00+08:00',
  yearOld: '2025-06-01T10:00:00+08:00',
  recent: '2026-12-01T10:00:00+08:00',
};

/** A trail of its own (inside the file's namespace, so it is cleaned up with it) holding the entries of TIMES. */
async function trailOf(name: string): Promise<TestRedis> {
  const t = { ...base, keys: new Keys(`${base.keys.ns}:${name}`) };
  for (const [id, at] of Object.entries(TIMES)) await appendAudit(t.redis, t.keys, entryAt(at, id));
  return t;
}

describe('keeping the audit trail for retention.auditYears', () => {
  it('cuts at the start of the same day that many years back (Asia/Shanghai)', () => {
    expect(defaultPolicy().retention.auditYears).toBe(3);
    expect(auditCutoff(NOW, 3)).toEqual(new Date('2023-12-06T00:00:00+08:00'));
    expect(auditCutoff(new Date('2028-02-29T12:00:00+08:00'), 1)).toEqual(new Date('2027-02-28T00:00:00+08:00'));
    expect(() => parsePolicy('retention:\n  auditYears: 0\n')).toThrow(/retention\.auditYears/);
  });

  it('the retention job drops entries older than the period and keeps the newer ones', async () => {
    const t = await trailOf('three');
    const ctx = testDeps(t, { clock: fixedClock(NOW) });

    const state = await retention.load(ctx, NOW);
    expect(retention.writes!.describe(NOW, state).at(-1)).toBe(
      'trim the audit trail: remove entries recorded before 2023-12-06 (kept 3 years), the oldest from 2023-01-10',
    );
    expect((await trail(t)).map((e) => e.id)).toEqual(['old', 'lastOld', 'firstKept', 'yearOld', 'recent']); // a dry run

    await retention.writes!.apply(ctx, NOW, state);
    expect((await trail(t)).map((e) => e.id)).toEqual(['firstKept', 'yearOld', 'recent']);

    const again = await retention.load(ctx, NOW);
    expect(retention.writes!.describe(NOW, again).at(-1)).toBe(
      'audit trail: nothing recorded before 2023-12-06 (kept 3 years)',
    );
  });

  it('follows the policy: one year kept drops what three would keep', async () => {
    const t = await trailOf('one');
    const policy = parsePolicy('retention:\n  auditYears: 1\n');
    const ctx = testDeps(t, { clock: fixedClock(NOW), policy });
    await retention.writes!.apply(ctx, NOW, await retention.load(ctx, NOW));
    expect((await trail(t)).map((e) => e.id)).toEqual(['recent']);
  });
});
