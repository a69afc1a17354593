/**
 * Passwords, ACL users and TLS for an external Redis, against a real redis-server started by this file that
 * speaks only TLS (certificates from a throw-away CA) and lets in only one ACL user: the bot's `connectRedis`
 * and a `zhucun` subcommand reach it with rediss://, REDIS_TLS_CA, REDIS_USERNAME and REDIS_PASSWORD; a wrong
 * password, a missing CA, an unreadable CA file and a plain redis:// URL each stop with a clear error that
 * names the variable and never shows the password.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../src/config/env.js';
import { silentLogger as log } from '../../src/log.js';
import { connectRedis } from '../../src/redis/connect.js';
import { startTlsRedis, type TlsRedis } from '../helpers/redis-tls.js';

let server: TlsRedis;
beforeAll(async () => {
  server = await startTlsRedis();
}, 30_000);
afterAll(() => server?.stop());

const tlsUrl = () => `rediss://127.0.0.1:${server.port}`;
const failure = async (env: Record<string, string>): Promise<Error> =>
  (await connectRedis(loadEnv(env), log).then(
    async (c) => {
      await c.close();
      throw new Error('connected, but should have been refused');
    },
    (e: unknown) => e,
  )) as Error;

describe('an external Redis with TLS and an ACL user', () => {
  it('connects with rediss://, REDIS_TLS_CA, REDIS_USERNAME and REDIS_PASSWORD, showing no password', async () => {
    const conn = await connectRedis(
      loadEnv({
        REDIS_URL: tlsUrl(),
        REDIS_TLS_CA: server.certs.ca,
        REDIS_USERNAME: server.user,
        REDIS_PASSWORD: server.password,
      }),
      log,
    );
    try {
      expect(conn.mode).toBe('external');
      expect(await conn.redis.acl('WHOAMI')).toBe(server.user);
      await conn.redis.set('secure:probe', 'ok');
      expect(await conn.redis.get('secure:probe')).toBe('ok');
      expect(conn.target).toBe(`${tlsUrl()} with user ${server.user}, REDIS_PASSWORD`);
    } finally {
      await conn.close();
    }
  });

  it("takes the user and password from the URL, and REDIS_PASSWORD over the URL's", async () => {
    const inUrl = `rediss://${server.user}:${server.password}@127.0.0.1:${server.port}`;
    const a = await connectRedis(loadEnv({ REDIS_URL: inUrl, REDIS_TLS_CA: server.certs.ca }), log);
    expect(a.target).toBe(`rediss://${server.user}:***@127.0.0.1:${server.port}`);
    expect(await a.redis.acl('WHOAMI')).toBe(server.user);
    await a.close();
    const stale = `rediss://${server.user}:old-password@127.0.0.1:${server.port}`;
    const env = { REDIS_URL: stale, REDIS_TLS_CA: server.certs.ca, REDIS_PASSWORD: server.password };
    const b = await connectRedis(loadEnv(env), log);
    expect(await b.redis.acl('WHOAMI')).toBe(server.user);
    await b.close();
  });

  it('runs a zhucun subcommand against it', async () => {
    const r = await promisify(execFile)(process.execPath, ['bin/zhucun.js', 'store', '--json'], {
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        ZHUCUN_NAMESPACE: 'securecli',
        REDIS_URL: tlsUrl(),
        REDIS_TLS_CA: server.certs.ca,
        REDIS_USERNAME: server.user,
        REDIS_PASSWORD: server.password,
      },
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ namespace: 'securecli' });
  }, 30_000);

  it('stops on a wrong password naming REDIS_URL, without the password', async () => {
    const err = await failure({
      REDIS_URL: tlsUrl(),
      REDIS_TLS_CA: server.certs.ca,
      REDIS_USERNAME: server.user,
      REDIS_PASSWORD: 'wrong-secret-77',
    });
    expect(err.message).toContain(`cannot connect to REDIS_URL (${tlsUrl()} with user ${server.user}`);
    expect(err.message).toMatch(/WRONGPASS/);
    expect(err.message).not.toContain('wrong-secret-77');
  });

  it('stops on a plain redis:// URL to the TLS-only server, saying it may need rediss://', async () => {
    const url = `redis://:${server.password}@127.0.0.1:${server.port}`;
    const err = await failure({ REDIS_URL: url, REDIS_USERNAME: server.user });
    expect(err.message).toContain(`cannot connect to REDIS_URL (redis://:***@127.0.0.1:${server.port}`);
    expect(err.message).toContain('rediss://');
    expect(err.message).not.toContain(server.password);
  });

  it('stops when the server certificate is not signed by a CA it trusts (no REDIS_TLS_CA)', async () => {
    const err = await failure({ REDIS_URL: tlsUrl(), REDIS_USERNAME: server.user, REDIS_PASSWORD: server.password });
    expect(err.message).toContain('cannot connect to REDIS_URL');
    expect(err.message).toMatch(/certificate/);
    expect(err.message).toContain('REDIS_TLS_CA');
  });

  it('refuses an unreadable REDIS_TLS_CA before connecting, naming it', async () => {
    const missing = join(server.certs.dir, 'no-such-ca.crt');
    const err = await failure({ REDIS_URL: tlsUrl(), REDIS_TLS_CA: missing });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      `REDIS_TLS_CA: cannot read ${missing} (ENOENT); give the PEM file of the CA that signed the Redis server certificates`,
    );
  });
});
