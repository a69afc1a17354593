/**
 * The retention job and `zhucun person export` on a real 3-master cluster: the key scan visits every master,
 * so check-ins of cadres on different nodes are all reduced, and one person's export finds their records.
 */
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personData } from '../../src/cli/person-data.js';
import { fixedClock } from '../../src/core/clock.js';
import { loadEnv } from '../../src/config/env.js';
import { retention } from '../../src/jobs/retention.js';
import { silentLogger } from '../../src/log.js';
import { connectRedis, type RedisConnection } from '../../src/redis/connect.js';
import { Keys } from '../../src/redis/keys.js';
import { createRepos } from '../../src/repos.js';
import { Roster } from '../../src/roster/roster.js';
import { RosterStore } from '../../src/roster/store.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import type { JobContext } from '../../src/schedule/job.js';
import { RecordingOutbox } from '../helpers/deps.js';
import { startCluster, usersOnDifferentNodes, type TestCluster } from '../helpers/cluster.js';

let cluster: TestCluster;
let conn: RedisConnection;
const keys = new Keys('ret');
const NOW = new Date('2026-12-06T03:30:00+08:00');

beforeAll(async () => {
  cluster = await startCluster();
  conn = await connectRedis(loadEnv({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') }), silentLogger);
});

afterAll(async () => {
  await conn?.close();
  await cluster?.stop();
});

const record = (id: string, date: string) =>
  JSON.stringify([
    {
      id,
      at: `${date}T01:00:00.000Z`,
      source: 'page',
      trust: 'verified',
      direction: 'in',
      lat: 35.1,
      lng: 111.2,
      accuracyM: 20,
      distanceM: 80,
      inside: true,
      counts: true,
    },
  ]);

describe('retention and export on a cluster', () => {
  it('reduces old check-ins on every master and exports one person from theirs', async () => {
    const [a, b] = await usersOnDifferentNodes(conn.redis as Cluster, keys);
    await conn.redis.hset(keys.checkins(a, '2026-10'), '2026-10-08', record('a1', '2026-10-08'));
    await conn.redis.hset(keys.checkins(b, '2026-10'), '2026-10-09', record('b1', '2026-10-09'));
    await conn.redis.hset(keys.checkins(b, '2026-12'), '2026-12-01', record('b2', '2026-12-01'));
    const ctx: JobContext = {
      redis: conn.redis,
      keys,
      repos: createRepos(conn.redis, keys),
      clock: fixedClock(NOW),
      log: silentLogger,
      roster: new RosterStore(conn.redis, keys),
      outbox: new RecordingOutbox(),
      policy: defaultPolicy(),
      calendar: new HolidayCalendar(),
    };
    const state = await retention.load(ctx, NOW);
    expect(retention.writes!.describe(NOW, state)[0]).toMatch(
      /^reduced 2 check-ins on 2 days from 2026-10-08 to 2026-10-09/,
    );
    await retention.writes!.apply(ctx, NOW, state);
    // Packed into each cadre's archive of the year (on the cadre's master), read through the ledger.
    const day = async (u: string, date: string) => JSON.stringify(await ctx.repos.checkins.day(u, date));
    expect(await conn.redis.hget(keys.checkins(a, '2026-10'), '2026-10-08')).toBeNull();
    expect(await day(a, '2026-10-08')).toContain('"distanceM":80');
    expect(await day(a, '2026-10-08')).not.toContain('"lat"');
    expect(await day(b, '2026-10-09')).not.toContain('"lat"');
    expect(await day(b, '2026-12-01')).toContain('"lat"');

    const empty = new Roster({
      townships: [],
      villages: [],
      workGroups: [],
      cadres: [],
      supervisors: [],
      groups: [],
    } as never);
    const doc = await personData(conn.redis, keys, empty, b, NOW);
    expect(Object.keys(doc.checkins)).toEqual(['2026-10-09', '2026-12-01']);
  });
});
