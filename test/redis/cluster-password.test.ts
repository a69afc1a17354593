/**
 * A password-protected Redis Cluster (requirepass and masterauth on its 3 masters) reached with
 * REDIS_CLUSTER_NODES and REDIS_PASSWORD: the password applies to every node, including those the client only
 * learns of from the slot map; without it, or with a wrong one, the start stops naming the variable and never
 * showing the password.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger as log } from '../../src/log.js';
import { connectRedis } from '../../src/redis/connect.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';

const password = 'cluster-secret-9';
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster({ password });
}, 30_000);
afterAll(() => cluster?.stop());

it('connects with REDIS_CLUSTER_NODES and REDIS_PASSWORD and writes to every master', async () => {
  // Only one node listed: the others come from the slot map and need the password too.
  const conn = await connectRedis(loadEnv({ REDIS_CLUSTER_NODES: cluster.nodes[0]!, REDIS_PASSWORD: password }), log);
  try {
    expect(conn.mode).toBe('cluster');
    expect(conn.target).toBe(`${cluster.nodes[0]} with REDIS_PASSWORD`);
    const keys = Array.from({ length: 30 }, (_, i) => `pw:{k${i}}`);
    await Promise.all(keys.map((k) => conn.redis.set(k, k)));
    expect(await Promise.all(keys.map((k) => conn.redis.get(k)))).toEqual(keys);
    const masters = await (conn.redis as import('ioredis').Cluster).nodes('master');
    const sizes = await Promise.all(masters.map((n) => n.dbsize()));
    expect(sizes.every((n) => n > 0)).toBe(true);
  } finally {
    await conn.close();
  }
});

it.each([
  ['without REDIS_PASSWORD', {}, /NOAUTH/],
  ['with a wrong REDIS_PASSWORD', { REDIS_PASSWORD: 'not-the-one-3' }, /WRONGPASS/],
])('stops %s, naming REDIS_CLUSTER_NODES', async (_, vars, cause) => {
  const env = loadEnv({ REDIS_CLUSTER_NODES: cluster.nodes.join(','), ...vars });
  const err = (await connectRedis(env, log).catch((e: unknown) => e)) as Error;
  expect(err.message).toContain(`cannot connect to REDIS_CLUSTER_NODES (${cluster.nodes.join(',')}`);
  expect(err.message).toMatch(cause);
  expect(err.message).not.toContain('not-the-one-3');
});
