/**
 * Choosing and checking the Redis connection from the environment: the parsing of REDIS_CLUSTER_NODES and
 * REDIS_URL, errors that name the variable to fix, and external mode against the test run's redis-server.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../src/config/env.js';
import { silentLogger as log } from '../../src/log.js';
import { checkRedisUrl, connectRedis, parseClusterNodes, redactUrl } from '../../src/redis/connect.js';
import { useTestRedis } from '../helpers/redis.js';
import { freePort } from '../global-setup.js';

const { url, keys } = useTestRedis();

describe('parseClusterNodes', () => {
  it('reads host:port entries, spaces and an IPv6 host in brackets', () => {
    expect(parseClusterNodes('10.0.0.5:6379, redis-b:7001,[::1]:7002')).toEqual([
      { host: '10.0.0.5', port: 6379 },
      { host: 'redis-b', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it.each([
    ['', /at least one node/],
    [' , ', /at least one node/],
    ['10.0.0.5', /"10.0.0.5" is not host:port/],
    ['10.0.0.5:6379,10.0.0.6:', /"10.0.0.6:" is not host:port/],
    ['redis://10.0.0.5:6379', /is not host:port/],
    ['10.0.0.5:70000', /"10.0.0.5:70000" is not host:port/],
    ['10.0.0.5:0', /is not host:port/],
  ])('refuses %j naming REDIS_CLUSTER_NODES', (value, message) => {
    const call = () => parseClusterNodes(value);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/^REDIS_CLUSTER_NODES: /);
    expect(call).toThrow(message);
  });
});

describe('checkRedisUrl', () => {
  it('accepts redis:// and rediss://', () => {
    expect(checkRedisUrl('redis://:pw@10.0.0.5:6379/2').port).toBe('6379');
    expect(checkRedisUrl('rediss://cache.example.com:6380').protocol).toBe('rediss:');
  });

  it.each([
    ['localhost:6379', /scheme "localhost:" is not supported/],
    ['http://10.0.0.5:6379', /scheme "http:" is not supported/],
    ['not a url', /not a URL/],
  ])('refuses %j naming REDIS_URL', (value, message) => {
    expect(() => checkRedisUrl(value)).toThrow(/^REDIS_URL: /);
    expect(() => checkRedisUrl(value)).toThrow(message);
  });

  it('hides the password when shown', () => {
    expect(redactUrl(new URL('redis://user:s3cret@10.0.0.5:6379/1'))).toBe('redis://user:***@10.0.0.5:6379/1');
    expect(redactUrl(new URL('redis://10.0.0.5:6379'))).toBe('redis://10.0.0.5:6379');
  });
});

describe('connectRedis', () => {
  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together', async () => {
    const env = loadEnv({ REDIS_URL: url, REDIS_CLUSTER_NODES: '127.0.0.1:7000' });
    await expect(connectRedis(env, log)).rejects.toThrow(/^REDIS_URL and REDIS_CLUSTER_NODES are both set/);
  });

  it('connects to REDIS_URL in external mode', async () => {
    const conn = await connectRedis(loadEnv({ REDIS_URL: url }), log);
    try {
      expect(conn.mode).toBe('external');
      await conn.redis.set(keys.sandboxSeeded(), '1');
      expect(await conn.redis.get(keys.sandboxSeeded())).toBe('1');
    } finally {
      await conn.close();
    }
  });

  it('names REDIS_URL, without its password, when the server cannot be reached', async () => {
    const port = await freePort();
    const env = loadEnv({ REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` });
    const err = (await connectRedis(env, log).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain(`cannot connect to REDIS_URL (redis://:***@127.0.0.1:${port})`);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).not.toContain('hunter2');
  });

  it('names REDIS_SENTINELS, without a password, when no sentinel can be reached', async () => {
    const port = await freePort();
    const env = loadEnv({
      REDIS_SENTINELS: `127.0.0.1:${port}`,
      REDIS_SENTINEL_NAME: 'county',
      REDIS_PASSWORD: 'hunter3',
      REDIS_SENTINEL_PASSWORD: 'hunter4',
    });
    const err = (await connectRedis(env, log).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain(
      `cannot connect to REDIS_SENTINELS (sentinel master county via 127.0.0.1:${port} with REDIS_PASSWORD)`,
    );
    expect(err.message).toMatch(/All sentinels are unreachable/);
    expect(err.message).not.toMatch(/hunter3|hunter4/);
  });

  it('names REDIS_CLUSTER_NODES when no node can be reached', async () => {
    const port = await freePort();
    const env = loadEnv({ REDIS_CLUSTER_NODES: `127.0.0.1:${port}` });
    await expect(connectRedis(env, log)).rejects.toThrow(`cannot connect to REDIS_CLUSTER_NODES (127.0.0.1:${port})`);
  });
});

describe('checkRedisSettings', () => {
  it.each([
    [{ REDIS_URL: 'redis://h:6379', REDIS_SENTINELS: 'h:26379' }, 'REDIS_URL and REDIS_SENTINELS are both set'],
    [
      { REDIS_URL: 'redis://h:6379', REDIS_CLUSTER_NODES: 'h:7000', REDIS_SENTINELS: 'h:26379' },
      'REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS are all set',
    ],
    [{ REDIS_SENTINELS: 'h:26379' }, 'REDIS_SENTINELS is set without REDIS_SENTINEL_NAME'],
    [{ REDIS_SENTINELS: 'h', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINELS: "h" is not host:port'],
    [{ REDIS_URL: 'redis://h:6379', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINEL_NAME only apply with REDIS_SENTINELS'],
    [
      { REDIS_CLUSTER_NODES: 'h:7000', REDIS_SENTINEL_PASSWORD: 'x', REDIS_WAIT_REPLICAS: '1' },
      'REDIS_SENTINEL_PASSWORD, REDIS_WAIT_REPLICAS only apply with REDIS_SENTINELS',
    ],
    [{ REDIS_PASSWORD: 'x', REDIS_TLS: '1' }, 'REDIS_PASSWORD, REDIS_TLS set without an external Redis'],
    [{ REDIS_URL: 'redis://h:6379', REDIS_TLS: '1' }, "REDIS_TLS=1 contradicts REDIS_URL's redis:// scheme"],
    [{ REDIS_URL: 'redis://h:6379', REDIS_TLS_CA: '/ca.pem' }, 'REDIS_TLS_CA set but TLS is off: write rediss://'],
    [
      { REDIS_CLUSTER_NODES: 'h:7000', REDIS_TLS_CA: '/ca.pem', REDIS_TLS_SERVERNAME: 'redis' },
      'REDIS_TLS_CA and REDIS_TLS_SERVERNAME set but TLS is off: set REDIS_TLS=1',
    ],
  ])('refuses %j naming the variables, before connecting', async (vars, message) => {
    const err = (await connectRedis(loadEnv(vars), log).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(message);
    expect(err.message).not.toMatch(/\bx\b/);
  });

  it('refuses a REDIS_WAIT_REPLICAS that is no small number', () => {
    expect(() => loadEnv({ REDIS_WAIT_REPLICAS: 'all' })).toThrow(/REDIS_WAIT_REPLICAS: must be a number of replicas/);
  });
});
