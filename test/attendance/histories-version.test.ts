/**
 * Every history read whole, kept per process under the histories' version token: read again only when a writer
 * (a roster import, the seeding of a store written before histories) replaced the token, or when none is stored.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readAllHistories } from '../../src/attendance/bulk-read.js';
import { fixedClock } from '../../src/core/clock.js';
import { Keys } from '../../src/redis/keys.js';
import { seedAssignments } from '../../src/roster/history.js';
import { RosterStore } from '../../src/roster/store.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const sample = sampleRosterData();
let n = 0;
const fresh = () => new Keys(`${t.keys.ns}:${++n}`);
const clock = fixedClock('2026-12-06T09:00:00+08:00');

afterEach(() => vi.restoreAllMocks());

/** How many pages of the histories' hash the client asked for while `fn` ran. */
async function pagesDuring<T>(fn: () => Promise<T>): Promise<{ value: T; pages: number }> {
  const spy = vi.spyOn(t.redis, 'hscanBuffer');
  try {
    const value = await fn();
    return { value, pages: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

describe('histories read whole', () => {
  it('are read once per version token, and again after an import replaced it', async () => {
    const keys = fresh();
    const store = new RosterStore(t.redis, keys, clock);
    await store.replace(sample);
    const first = await pagesDuring(() => readAllHistories(t.redis, keys));
    expect(first.pages).toBeGreaterThan(0);
    expect(first.value.size).toBe(sample.cadres.length);

    // The same (read-only) map again, after one GET.
    const again = await pagesDuring(() => readAllHistories(t.redis, keys));
    expect(again.pages).toBe(0);
    expect(again.value).toBe(first.value);

    // An import that ends someone's assignment writes their history and a new token.
    const gone = sample.cadres[0]!.userid;
    await store.replace({ ...sample, cadres: sample.cadres.filter((c) => c.userid !== gone) });
    const after = await pagesDuring(() => readAllHistories(t.redis, keys));
    expect(after.pages).toBeGreaterThan(0);
    expect(after.value.get(gone)).toEqual([expect.objectContaining({ to: '2026-12-05', end: 'removed' })]);
  });

  it('are read again after the seeding of missing histories', async () => {
    const keys = fresh();
    const store = new RosterStore(t.redis, keys, clock);
    await store.replace(sample);
    await readAllHistories(t.redis, keys);
    const missing = sample.cadres[1]!.userid;
    await t.redis.hdel(keys.assignments(), missing);
    expect(await seedAssignments(t.redis, keys, '2026-12-06')).toBe(1);
    const after = await pagesDuring(() => readAllHistories(t.redis, keys));
    expect(after.pages).toBeGreaterThan(0);
    expect(after.value.get(missing)).toHaveLength(1);
  });

  it('are read every time when no token is stored', async () => {
    const keys = fresh();
    await new RosterStore(t.redis, keys, clock).replace(sample);
    await t.redis.del(keys.assignmentsVersion());
    await readAllHistories(t.redis, keys);
    await t.redis.hdel(keys.assignments(), sample.cadres[2]!.userid);
    const after = await pagesDuring(() => readAllHistories(t.redis, keys));
    expect(after.pages).toBeGreaterThan(0);
    expect(after.value.has(sample.cadres[2]!.userid)).toBe(false);
  });

  it('are read again once kept for 30 s, whatever the token says', async () => {
    const keys = fresh();
    await new RosterStore(t.redis, keys, clock).replace(sample);
    await readAllHistories(t.redis, keys);
    // A writer that did not replace the token: trusted for a while, then read again.
    await t.redis.hdel(keys.assignments(), sample.cadres[3]!.userid);
    expect((await readAllHistories(t.redis, keys)).has(sample.cadres[3]!.userid)).toBe(true);
    const now = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(now + 30_001);
    const after = await pagesDuring(() => readAllHistories(t.redis, keys));
    expect(after.pages).toBeGreaterThan(0);
    expect(after.value.has(sample.cadres[3]!.userid)).toBe(false);
  });
});
