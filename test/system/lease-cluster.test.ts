/**
 * The lease on a real 3-master Redis Cluster: its key and fencing counter share one slot, so acquiring,
 * renewing past the TTL, losing to a replaced token and releasing all run as single-node scripts.
 */
import calculateSlot from 'cluster-key-slot';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Lease, type LeaseOptions } from '../../src/redis/lease.js';
import { Keys } from '../../src/redis/keys.js';
import { useClusterConnection } from '../helpers/cluster.js';
import { until } from '../helpers/wait.js';

const shared = useClusterConnection();
const keys = new Keys('lease');
const FAST = { ttlMs: 2_000, renewEveryMs: 400, retryEveryMs: 100, callTimeoutMs: 400, safetyMs: 400 };

describe('Lease on Redis Cluster', () => {
  it('hands over between two instances, renewing past its TTL, with growing fencing numbers', async () => {
    expect(calculateSlot(keys.lease('longconn'))).toBe(calculateSlot(keys.leaseFence('longconn')));
    const events: string[] = [];
    const make = (name: string, more: Partial<LeaseOptions> = {}) =>
      new Lease({
        redis: shared.conn.redis,
        key: keys.lease('longconn'),
        fenceKey: keys.leaseFence('longconn'),
        owner: name,
        ...FAST,
        ...more,
        onAcquired: (fence) => events.push(`${name} acquired ${fence}`),
        onLost: (reason) => events.push(`${name} lost ${reason}`),
      });
    const a = make('A');
    const b = make('B');
    a.start();
    await until(() => a.held, 'A to acquire');
    b.start();
    await delay(FAST.ttlMs + 500);
    expect(a.held).toBe(true);
    await shared.conn.redis.set(keys.lease('longconn'), 'other:1:0', 'PX', 1_000);
    await until(() => events.includes('A lost taken'), 'A to notice the replaced token');
    await until(() => events.length === 3, 'someone to acquire after the other token lapses');
    expect(events.slice(0, 2)).toEqual(['A acquired 1', 'A lost taken']);
    expect(events[2]).toMatch(/^[AB] acquired 2$/);
    const holder = a.held ? a : b;
    const waiting = holder === a ? b : a;
    await holder.stop();
    await until(() => waiting.held, 'the other to take over after the release');
    expect(waiting.fence).toBe(3);
    await waiting.stop();
    expect(await shared.conn.redis.get(keys.lease('longconn'))).toBeNull();
  });
});
