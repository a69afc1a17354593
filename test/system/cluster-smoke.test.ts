/**
 * The bot's Redis use on a real 3-master cluster: `connectRedis` with REDIS_CLUSTER_NODES, a `Tx` that writes
 * for two cadres on different nodes plus the de-duplication record, and per-slot multi-key reads.
 */
import calculateSlot from 'cluster-key-slot';
import type { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { Keys } from '../../src/redis/keys.js';
import { Tx } from '../../src/redis/tx.js';
import { useClusterConnection, usersOnDifferentNodes } from '../helpers/cluster.js';

const shared = useClusterConnection();
const keys = new Keys('smoke');

describe('Redis Cluster', () => {
  it('connects in cluster mode', async () => {
    expect(shared.conn.mode).toBe('cluster');
    expect(await shared.conn.redis.ping()).toBe('PONG');
  });

  it('commits a Tx for two cadres on different nodes, the de-duplication record and relayed messages last', async () => {
    const [a, b] = await usersOnDifferentNodes(shared.conn.redis as Cluster, keys);
    expect(calculateSlot(keys.userTag(a))).not.toBe(calculateSlot(keys.userTag(b)));
    const tx = new Tx()
      .hset(keys.checkins(a, '2025-11'), '2025-11-24', '[{"at":"08:55"}]')
      .setbit(keys.presence(a, 2025), 327, 1)
      .hset(keys.leaves(b), 'Q1024', '{"status":"approved"}')
      .sadd(keys.inbox(b), 'Q1024');
    const finale = {
      seenKey: keys.seen(a, 'msg-1'),
      outcome: '{"reply":"ok"}',
      ttlSeconds: 600,
      relay: { key: keys.relay(a), messages: '[{"key":"m1"}]' },
    };
    expect(await tx.commit(shared.conn.redis, finale)).toEqual({ relayId: expect.any(String) });

    expect(await shared.conn.redis.hget(keys.checkins(a, '2025-11'), '2025-11-24')).toBe('[{"at":"08:55"}]');
    expect(await shared.conn.redis.getbit(keys.presence(a, 2025), 327)).toBe(1);
    expect(await shared.conn.redis.hget(keys.leaves(b), 'Q1024')).toBe('{"status":"approved"}');
    expect(await shared.conn.redis.sismember(keys.inbox(b), 'Q1024')).toBe(1);
    expect(await shared.conn.redis.get(keys.seen(a, 'msg-1'))).toBe('{"reply":"ok"}');
    expect(await shared.conn.redis.ttl(keys.seen(a, 'msg-1'))).toBeGreaterThan(0);
    expect((await shared.conn.redis.xrange(keys.relay(a), '-', '+')).map(([, f]) => f)).toEqual([
      ['m', '[{"key":"m1"}]'],
    ]);
    // A second delivery of the same update applies nothing and gets the stored outcome.
    const again = new Tx().hset(keys.leaves(b), 'Q1024', '{"status":"changed"}');
    expect(await again.commit(shared.conn.redis, { ...finale, outcome: 'other' })).toEqual({ prior: '{"reply":"ok"}' });
    expect(await shared.conn.redis.xlen(keys.relay(a))).toBe(1);
    expect(await shared.conn.redis.hget(keys.leaves(b), 'Q1024')).toBe('{"status":"approved"}');
  });

  it('reads the presence bitmaps of cadres on different nodes with one MGET each', async () => {
    const [a, b] = await usersOnDifferentNodes(shared.conn.redis as Cluster, keys);
    await new Tx()
      .setbit(keys.presence(a, 2026), 10, 1)
      .setbit(keys.selfReportPending(b, 2026), 11, 1)
      .commit(shared.conn.redis);
    const bits = await new CheckinRepo(shared.conn.redis, keys).yearBits([a, b], 2026);
    expect(bits.get(a)!.present.readUInt8(1)).toBe(0b0010_0000);
    expect(bits.get(b)!.pending!.readUInt8(1)).toBe(0b0001_0000);
    expect(bits.get(b)!.present.length).toBe(0);
  });

  it('puts every key of one cadre in one slot', async () => {
    const user = 'cadre-7';
    const own = [
      keys.seen(user, 'm'),
      keys.relay(user),
      keys.presence(user, 2025),
      keys.selfReported(user, 2025),
      keys.selfReportPending(user, 2025),
      keys.checkins(user, '2025-11'),
      keys.backfills(user),
      keys.leaves(user),
      keys.inbox(user),
      keys.reports(user),
      keys.lastReport(user),
    ];
    const slots = await Promise.all(own.map((k) => shared.conn.redis.cluster('KEYSLOT', k) as Promise<number>));
    expect(new Set(slots).size).toBe(1);
    expect(slots[0]).toBe(calculateSlot(keys.userTag(user)));
  });

  it('reads several keys of one slot in one command and one MULTI, and refuses keys of two slots', async () => {
    const [a, b] = await usersOnDifferentNodes(shared.conn.redis as Cluster, keys);
    await shared.conn.redis.set(keys.seen(a, 'r1'), 'one');
    await shared.conn.redis.set(keys.seen(a, 'r2'), 'two');
    await shared.conn.redis.set(keys.seen(b, 'r1'), 'other');
    await shared.conn.redis.hset(keys.checkins(a, '2025-12'), '2025-12-01', '[]');
    expect(await shared.conn.redis.mget(keys.seen(a, 'r1'), keys.seen(a, 'r2'))).toEqual(['one', 'two']);

    const results = await shared.conn.redis
      .multi()
      .get(keys.seen(a, 'r1'))
      .hget(keys.checkins(a, '2025-12'), '2025-12-01')
      .exec();
    expect(results).toEqual([
      [null, 'one'],
      [null, '[]'],
    ]);

    await expect(shared.conn.redis.mget(keys.seen(a, 'r1'), keys.seen(b, 'r1'))).rejects.toThrow(
      /CROSSSLOT|same slot/i,
    );
  });
});
