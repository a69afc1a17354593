/**
 * The Redis lease against a real Redis: one holder at a time, waiting, hand-over on release and on expiry, a
 * holder that can no longer reach Redis gives the lease up before anyone else can take it, and a holder whose
 * token was replaced finds out at its next renewal.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkTimings,
  DEFAULT_LEASE_TIMINGS,
  Lease,
  type LeaseLoss,
  type LeaseOptions,
} from '../../src/redis/lease.js';
import { useTestRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

const t = useTestRedis();
/** Short timings so hand-overs take a second or two; generous against a loaded machine's stalls. */
const FAST = { ttlMs: 3_000, renewEveryMs: 500, retryEveryMs: 100, callTimeoutMs: 500, safetyMs: 500 };

interface Probe {
  lease: Lease;
  /** In the order they happened, across all leases of the test: `A acquired 1`, `A lost taken`, … */
  events: string[];
}
const log: string[] = [];
const leases: Lease[] = [];
afterEach(async () => {
  await Promise.all(leases.splice(0).map((l) => l.stop()));
  log.length = 0;
});

let n = 0;
function lease(name: string, opts: Partial<LeaseOptions> = {}): Probe {
  const events: string[] = [];
  const note = (e: string) => {
    events.push(e);
    log.push(`${name} ${e}`);
  };
  const l = new Lease({
    redis: t.redis,
    key: t.keys.lease(`test${n}`),
    fenceKey: t.keys.leaseFence(`test${n}`),
    owner: name,
    ...FAST,
    ...opts,
    onAcquired: (fence) => note(`acquired ${fence}`),
    onLost: (reason: LeaseLoss) => note(`lost ${reason}`),
  });
  leases.push(l);
  return { lease: l, events };
}
const key = () => t.keys.lease(`test${n}`);

describe('Lease', () => {
  it('is acquired by one instance, with its token in Redis and a fencing number', async () => {
    n++;
    const a = lease('A');
    a.lease.start();
    await until(() => a.lease.held, 'A to acquire');
    expect(a.events).toEqual(['acquired 1']);
    expect(a.lease.fence).toBe(1);
    expect(await a.lease.holder()).toMatch(/^A:[0-9a-f-]{36}$/);
    expect(await t.redis.pttl(key())).toBeGreaterThan(0);
  });

  it('makes a second instance wait while the first holds and renews it', async () => {
    n++;
    const a = lease('A');
    const b = lease('B');
    a.lease.start();
    await until(() => a.lease.held, 'A to acquire');
    const token = await a.lease.holder();
    b.lease.start();
    // Longer than the TTL: only renewals keep A's lease alive, and B tried about twenty times meanwhile.
    await delay(FAST.ttlMs + 1_000);
    expect(a.lease.held).toBe(true);
    expect(b.lease.held).toBe(false);
    expect(b.events).toEqual([]);
    expect(await a.lease.holder()).toBe(token);
  });

  it('hands over at once on release, with a larger fencing number', async () => {
    n++;
    const a = lease('A', { retryEveryMs: 60_000, ttlMs: 60_000 });
    const b = lease('B', { ttlMs: 60_000 });
    a.lease.start();
    await until(() => a.lease.held, 'A to acquire');
    b.lease.start();
    await a.lease.stop();
    // Released by compare-and-delete, not left to expire (the TTL is a minute).
    await until(() => b.lease.held, 'B to take over after the release', 10_000);
    expect(b.lease.fence).toBe(2);
    expect(log).toEqual(['A acquired 1', 'B acquired 2']);
  });

  it('is taken over when a dead holder’s key expires', async () => {
    n++;
    // A holder that died: its token is there, and nobody renews it.
    await t.redis.set(key(), 'dead-host:1:0', 'PX', 1_000);
    const b = lease('B');
    b.lease.start();
    await until(() => b.lease.held, 'B to take over after the expiry');
    expect(await t.redis.get(key())).not.toBe('dead-host:1:0');
  });

  it('tells a holder whose token was replaced that it lost the lease', async () => {
    n++;
    const a = lease('A');
    a.lease.start();
    await until(() => a.lease.held, 'A to acquire');
    await t.redis.set(key(), 'thief:1:0', 'PX', 60_000);
    await until(() => a.events.length === 2, 'A to notice');
    expect(a.events).toEqual(['acquired 1', 'lost taken']);
    expect(a.lease.held).toBe(false);
    // It keeps trying, and gets it once the other holder is gone.
    await t.redis.del(key());
    await until(() => a.lease.held, 'A to acquire again');
    expect(a.events).toEqual(['acquired 1', 'lost taken', 'acquired 2']);
  });

  it('tells a holder whose key vanished that it lost the lease', async () => {
    n++;
    const a = lease('A', { retryEveryMs: 60_000 });
    a.lease.start();
    await until(() => a.lease.held, 'A to acquire');
    await t.redis.del(key());
    await until(() => a.events.length === 2, 'A to notice');
    expect(a.events).toEqual(['acquired 1', 'lost expired']);
  });

  it('gives the lease up when Redis cannot be reached, before another instance can take it', async () => {
    n++;
    // A has a connection of its own, which the test cuts (no reconnection): every renewal fails.
    const own = new Redis(t.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const a = lease('A', { redis: own });
    const b = lease('B');
    a.lease.start();
    await until(() => a.lease.held, 'A to acquire');
    b.lease.start();
    own.disconnect();
    await until(() => b.lease.held, 'B to take over');
    // A stopped believing it held the lease before B could acquire it: never two holders.
    expect(log).toEqual(['A acquired 1', 'A lost unreachable', 'B acquired 2']);
    expect(a.lease.held).toBe(false);
  });

  it('re-takes its own key at once when Redis comes back while the key is still there', async () => {
    n++;
    // A's connection fails for longer than its safety margin but shorter than the TTL.
    const own = new Redis(t.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    await own.connect();
    const a = lease('A', { redis: own, ttlMs: 60_000, safetyMs: 59_000, renewEveryMs: 200, callTimeoutMs: 300 });
    a.lease.start();
    await until(() => a.lease.held, 'A to acquire');
    const token = await a.lease.holder();
    // Pretend the renewals stopped getting through: the key is A's, with 60 s left, and A's deadline is 1 s.
    own.disconnect(false);
    await until(() => a.events.includes('lost unreachable'), 'A to give up');
    expect(await t.redis.get(key())).toBe(token);
    await own.connect();
    await until(() => a.lease.held, 'A to re-take its own key');
    expect(a.events).toEqual(['acquired 1', 'lost unreachable', 'acquired 2']);
    await a.lease.stop();
    own.disconnect();
  });

  it('stop() releases only its own token and is idempotent', async () => {
    n++;
    const a = lease('A');
    a.lease.start();
    await until(() => a.lease.held, 'A to acquire');
    await t.redis.set(key(), 'other:1:0', 'PX', 60_000);
    await a.lease.stop();
    await a.lease.stop();
    expect(await t.redis.get(key())).toBe('other:1:0');
  });
});

describe('lease timings', () => {
  it('let a waiting instance take over within 20 s of the holder’s death by default', () => {
    const d = DEFAULT_LEASE_TIMINGS;
    expect(() => checkTimings(d)).not.toThrow();
    // Worst case: the key lives one TTL after the last renewal, and the next attempt comes a retry later.
    expect(d.ttlMs + d.retryEveryMs + d.callTimeoutMs).toBeLessThanOrEqual(20_000);
  });

  it('refuse a renewal period that leaves no margin inside the TTL', () => {
    expect(() => checkTimings({ ...DEFAULT_LEASE_TIMINGS, renewEveryMs: 12_000 })).toThrow(/must not exceed ttlMs/);
    expect(() => checkTimings({ ...DEFAULT_LEASE_TIMINGS, safetyMs: 0 })).toThrow(/safetyMs/);
    expect(() => new Lease({ redis: t.redis, key: 'k', fenceKey: 'f', ttlMs: -1 })).toThrow(/ttlMs/);
  });
});
