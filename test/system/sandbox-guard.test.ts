/**
 * The sandbox fails closed: its page and API answer only to this machine and only to its own pages, its OAuth
 * stand-in sends browsers nowhere else, and it never starts on, seeds or wipes a store that is not marked as a
 * sandbox store; production never starts on a sandbox store.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { claimStore, storeState } from '../../src/config/store-kind.js';
import { silentLogger } from '../../src/log.js';
import { Keys } from '../../src/redis/keys.js';
import { loadRosterFile } from '../../src/roster/load.js';
import { RosterStore } from '../../src/roster/store.js';
import { freePort } from '../global-setup.js';

const NS = `sbxguard${randomBytes(3).toString('hex')}`;
const AES = 'a'.repeat(43);
let app: RunningApp;
let redis: Redis;
const keys = new Keys(NS);
const others: string[] = [];

/** A namespace of its own for one test, cleaned up afterwards. */
function otherKeys(): Keys {
  const ns = `${NS}x${others.length}`;
  others.push(ns);
  return new Keys(ns);
}

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  app = await startApp(
    loadEnv({
      ZHUCUN_SANDBOX: '1',
      REDIS_URL: inject('redisUrl'),
      ZHUCUN_NAMESPACE: NS,
      PORT: String(await freePort()),
    }),
    silentLogger,
  );
}, 90_000);

afterAll(async () => {
  await app?.close();
  for (const ns of [NS, ...others]) {
    for await (const batch of redis.scanStream({ match: `${ns}:*`, count: 1000 }))
      if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  }
  redis?.disconnect();
});

const JSON_TYPE = { 'content-type': 'application/json' };
/**
 * A key of the sandbox's namespace that a reset would wipe with everything else. (The sandbox's version moves
 * on its own while the seeded round's rating cards are delivered after the start, so it cannot tell a wipe.)
 */
const canary = `${NS}:test-canary`;

/** A raw request (fetch cannot set Host); resolves with status and Location. */
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; location?: string }> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}) });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the sandbox API guards', () => {
  it('refuses a text/plain reset (what any web page can post) with 415 and wipes nothing', async () => {
    await redis.set(canary, '1');
    const res = await fetch(`${app.url}/sandbox/api/reset`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(await redis.exists(canary)).toBe(1);
    expect(await redis.exists(keys.sandboxSeeded())).toBe(1);
  });

  it("refuses another site's Origin with 403 and accepts the page's own", async () => {
    const as = (origin: string) =>
      fetch(`${app.url}/sandbox/api/as`, {
        method: 'POST',
        headers: { ...JSON_TYPE, origin },
        body: JSON.stringify({ userid: 'LiXiaoYan' }),
      });
    expect((await as('https://evil.example')).status).toBe(403);
    expect((await as(new URL(app.url).origin)).status).toBe(200);
  });

  it('answers the page, the API and the OAuth step only under its own host name (no DNS rebinding)', async () => {
    for (const path of ['/sandbox', '/sandbox/api/people', '/sandbox/connect/oauth2/authorize']) {
      expect((await raw(path, { host: 'evil.example' })).status).toBe(403);
    }
    expect((await raw('/sandbox/api/people', { host: new URL(app.url).host })).status).toBe(200);
  });
});

describe('the OAuth stand-in', () => {
  const authorize = (redirect: string) =>
    `/sandbox/connect/oauth2/authorize?${new URLSearchParams({ appid: app.fake!.corpId, redirect_uri: redirect, response_type: 'code', scope: 'snsapi_base', state: 's' })}`;
  const cookie = 'zhucun_sandbox_user=LiXiaoYan';

  it('refuses to redirect outside its own origin', async () => {
    for (const evil of [
      'https://evil.example/',
      `https://evil.example${new URL(app.url).pathname}`,
      'javascript:alert(1)',
      '//evil.example/checkin',
      'not a url',
    ]) {
      const res = await raw(authorize(evil), { cookie });
      expect(res.status, evil).toBe(400);
      expect(res.location).toBeUndefined();
    }
  });

  it('redirects to the check-in page with a code', async () => {
    const res = await raw(authorize(`${app.deps.publicUrl}/checkin`), { cookie });
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/\/checkin\?code=[\w-]+&state=s$/);
  });
});

describe('the store marker', () => {
  it('marks the sandbox store at first start and keeps the marker through a reset', async () => {
    expect(await redis.get(keys.storeKind())).toBe('sandbox');
  });

  it('refuses a reset when the store is not marked as a sandbox store, wiping nothing', async () => {
    await redis.set(keys.storeKind(), 'production');
    try {
      await redis.set(canary, '1');
      const res = await fetch(`${app.url}/sandbox/api/reset`, { method: 'POST', headers: JSON_TYPE, body: '{}' });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: string }).error).toContain('not marked as a sandbox store');
      expect(await redis.exists(canary)).toBe(1);
      expect(await redis.exists(keys.sandboxSeeded())).toBe(1);
    } finally {
      await redis.set(keys.storeKind(), 'sandbox');
    }
  });

  const sandboxEnv = async (k: Keys, extra: Record<string, string> = {}) =>
    loadEnv({
      ZHUCUN_SANDBOX: '1',
      REDIS_URL: inject('redisUrl'),
      ZHUCUN_NAMESPACE: k.ns,
      PORT: String(await freePort()),
      ...extra,
    });
  const productionEnv = async (k: Keys) =>
    loadEnv({
      REDIS_URL: inject('redisUrl'),
      ZHUCUN_NAMESPACE: k.ns,
      PORT: String(await freePort()),
      WECOM_CORP_ID: 'ww1',
      WECOM_APP_TOKEN: 't',
      WECOM_APP_AES_KEY: AES,
    });

  it('the sandbox refuses a production store, and production a sandbox store, saying what to do', async () => {
    const prod = otherKeys();
    await redis.set(prod.storeKind(), 'production');
    await redis.set(prod.roster(), '{}');
    await expect(startApp(await sandboxEnv(prod), silentLogger)).rejects.toThrow(
      /namespace "\S+" is marked as a production store: use another ZHUCUN_NAMESPACE/,
    );
    expect(await redis.get(prod.roster())).toBe('{}');
    expect(await redis.exists(prod.sandboxSeeded())).toBe(0);
    await expect(startApp(await productionEnv(keys), silentLogger)).rejects.toThrow(/is marked as a sandbox store/);
  });

  it('takes an unmarked store with data for production, unless it is an earlier sandbox (sample roster, seeded)', async () => {
    const real = otherKeys();
    await new RosterStore(redis, real).replace({
      ...(await loadRosterFile('config/roster.sample.yaml')),
      sample: false,
    });
    expect(await storeState(redis, real)).toEqual({ unmarked: 'production' });
    await expect(startApp(await sandboxEnv(real), silentLogger)).rejects.toThrow(
      /looks like a production store[\s\S]*zhucun store mark sandbox/,
    );
    expect(await redis.exists(real.sandboxSeeded())).toBe(0);
    await claimStore(redis, real, 'production');
    expect(await redis.get(real.storeKind())).toBe('production');

    const old = otherKeys();
    await new RosterStore(redis, old).replace(await loadRosterFile('config/roster.sample.yaml'));
    await redis.set(old.sandboxSeeded(), '1');
    expect(await storeState(redis, old)).toEqual({ unmarked: 'sandbox' });
    await expect(startApp(await productionEnv(old), silentLogger)).rejects.toThrow(/looks like a sandbox store/);
    expect(await storeState(redis, otherKeys())).toEqual({ empty: true });
  });

  it('refuses to listen beyond this machine unless opened', async () => {
    await expect(startApp(await sandboxEnv(otherKeys(), { HOST: '0.0.0.0' }), silentLogger)).rejects.toThrow(
      /HOST=0\.0\.0\.0: set HOST=127\.0\.0\.1, or ZHUCUN_SANDBOX_OPEN=1/,
    );
  });
});
