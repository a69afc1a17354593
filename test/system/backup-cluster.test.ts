/**
 * Backup and restore on a real 3-master Redis Cluster: the key scan visits every master, each hash tag's keys
 * are read together on the master holding them, and the restore writes every key to the master of its slot.
 */
import { formatStamp, SCHEMA_VERSION } from '../../src/migrate/version.js';
import type { Cluster } from 'ioredis';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNamespace } from '../../src/backup/read.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { takeBackup } from '../../src/backup/take.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { fixedClock } from '../../src/core/clock.js';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/log.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { connectRedis, type RedisConnection } from '../../src/redis/connect.js';
import { Keys } from '../../src/redis/keys.js';
import { createRepos } from '../../src/repos.js';
import { RosterStore } from '../../src/roster/store.js';
import type { JobContext } from '../../src/schedule/job.js';
import { startCluster, usersOnDifferentNodes, type TestCluster } from '../helpers/cluster.js';
import { RecordingOutbox } from '../helpers/deps.js';

let cluster: TestCluster;
let conn: RedisConnection;
const source = new Keys('bka');
const target = new Keys('bkb');
const NOW = new Date('2026-12-06T02:00:00+08:00');

beforeAll(async () => {
  cluster = await startCluster();
  conn = await connectRedis(loadEnv({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') }), silentLogger);
}, 60_000);

afterAll(async () => {
  await conn?.close();
  await cluster?.stop();
});

function context(keys: Keys): JobContext {
  const redis = conn.redis;
  return {
    redis,
    keys,
    repos: createRepos(redis, keys),
    clock: fixedClock(NOW),
    log: silentLogger,
    roster: new RosterStore(redis, keys),
    outbox: new RecordingOutbox(),
    policy: defaultPolicy(),
    calendar: new HolidayCalendar(),
  };
}

describe('backup and restore on a cluster', () => {
  it('takes every master’s keys and restores them to their slots', async () => {
    const redis = conn.redis as Cluster;
    const [a, b] = await usersOnDifferentNodes(redis, source);
    await redis.set(source.storeKind(), 'production');
    await redis.set(source.schemaVersion(), formatStamp({ version: SCHEMA_VERSION, minReader: 0, by: 'test' }));
    for (const u of [a, b]) {
      await redis.setbit(source.presence(u, 2026), 300, 1);
      await redis.hset(source.leaves(u), 'Q1', JSON.stringify({ no: 'Q1', userId: u }));
      await redis.set(source.seen(u, 'u1'), '{"reply":null,"outbound":[]}', 'EX', 3600);
      await redis.sadd(source.inbox(u), 'Q1');
    }
    await redis.xadd(source.audit(), '1700000000000-0', 'e', '{}');
    await redis.zadd(`${source.queuePrefix()}:outbox:delayed`, 5, 'j1');

    const file = join(await mkdtemp(join(tmpdir(), 'zc-cluster-backup-')), 'c.jsonl.gz');
    const taken = await takeBackup(redis, source, { file, now: NOW, actor: 'cli:test@host', channel: 'cli' });
    expect(taken.header.keys).toBe(12);
    await restoreBackup(await readFile(file), context(target), {
      replace: false,
      target: 'production',
      name: 'c.jsonl.gz',
      actor: 'cli:test@host',
      channel: 'cli',
    });
    const all = async (keys: Keys) =>
      (await readNamespace(redis, keys)).filter((r) => r.k !== '{audit}:stream').map(({ ttl: _t, ...r }) => r);
    expect(await all(target)).toEqual(await all(source));
    expect((await all(target)).length).toBe(11);
    expect(await redis.getbit(target.presence(b, 2026), 300)).toBe(1);
  }, 60_000);
});
