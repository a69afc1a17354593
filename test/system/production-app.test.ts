/**
 * The production platform as the composition root wires it: the WeCom app and channels come from the
 * environment, the check-in link goes to WeCom's own OAuth and the page loads WeCom's JS-SDK, the server has no
 * sandbox route and no fake, and an empty roster stops start-up. WeCom's API is a fake WeCom here only because
 * the real one cannot be reached; the bot is given its address as WECOM_API_BASE, as a deployment would be.
 */
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readAudit } from '../../src/audit/read.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { JSSDK_SCRIPTS } from '../../src/checkin-page/links.js';
import { loadEnv } from '../../src/config/env.js';
import { startFakeWecom, type FakeWecom } from '../../src/fakewecom/server.js';
import { silentLogger } from '../../src/log.js';
import { productionPlatform } from '../../src/platform/production.js';
import { Keys } from '../../src/redis/keys.js';
import { RosterStore } from '../../src/roster/store.js';
import { freePort } from '../global-setup.js';

const NS = `prodapp${randomBytes(3).toString('hex')}`;
const AES = 'a'.repeat(43);
const WECOM = { corpId: 'wwprod0000000001', agentId: '1000009', secret: 'prod-app-secret' };
let wecomApi: FakeWecom;
let app: RunningApp;
let redis: Redis;

const productionEnv = async (ns: string, extra: Record<string, string> = {}) =>
  loadEnv({
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: ns,
    PORT: String(await freePort()),
    WECOM_API_BASE: wecomApi.url,
    WECOM_CORP_ID: WECOM.corpId,
    WECOM_AGENT_ID: WECOM.agentId,
    WECOM_APP_SECRET: WECOM.secret,
    WECOM_APP_TOKEN: 'prodAppToken',
    WECOM_APP_AES_KEY: AES,
    ...extra,
  });

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  wecomApi = await startFakeWecom(WECOM);
  app = await startApp(await productionEnv(NS, { ZHUCUN_ROSTER: 'config/roster.sample.yaml' }), silentLogger);
}, 90_000);

afterAll(async () => {
  await app?.close();
  await wecomApi?.stop();
  for (const ns of [NS, `${NS}empty`]) {
    for await (const batch of redis.scanStream({ match: `${ns}:*`, count: 1000 }))
      if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  }
  redis?.disconnect();
});

/** Every route path of the routers the Koa app dispatches to. */
function paths(running: RunningApp): string[] {
  return running.koa.middleware.flatMap(
    (mw) => (mw as { router?: Router }).router?.stack.map((l) => String(l.path)) ?? [],
  );
}

describe('the production platform', () => {
  it('serves no sandbox route, runs no fake and marks the store as production', async () => {
    expect(app.mode).toEqual({ sandbox: false });
    expect(app.fake).toBeUndefined();
    expect(paths(app)).toContain('/checkin/start');
    expect(paths(app).filter((p) => p.startsWith('/sandbox'))).toEqual([]);
    expect(await redis.get(new Keys(NS).storeKind())).toBe('production');
  });

  it('records the roster file imported at start in the audit trail, once while it stays the same', async () => {
    const keys = new Keys(NS);
    const imports = async () =>
      (await readAudit(redis, keys, { kinds: ['roster.import'] })).entries.map((e) => [e.actor, e.ref]);
    expect(await imports()).toEqual([['serve', 'config/roster.sample.yaml']]);
    const again = await startApp(await productionEnv(NS, { ZHUCUN_ROSTER: 'config/roster.sample.yaml' }), silentLogger);
    await again.close();
    expect(await imports()).toHaveLength(1);
  }, 90_000);

  it('sends the check-in link on to WeCom’s own OAuth for the configured app', async () => {
    const res = await fetch(`${app.url}/checkin/start`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(to.searchParams.get('appid')).toBe(WECOM.corpId);
    expect(to.searchParams.get('agentid')).toBe(WECOM.agentId);
    expect(to.searchParams.get('redirect_uri')).toBe(`${app.deps.publicUrl}/checkin`);
  });

  it('takes the WeCom app and channels from the environment and loads WeCom’s JS-SDK', async () => {
    const env = await productionEnv(NS, { WECOM_BOT_TOKEN: 'prodBotToken', WECOM_BOT_AES_KEY: AES });
    const platform = productionPlatform(env);
    expect(await platform.startWecom()).toEqual({ base: wecomApi.url, ...WECOM });
    expect(platform.channels).toEqual({
      app: { token: 'prodAppToken', aesKey: AES, corpId: WECOM.corpId },
      robot: { token: 'prodBotToken', aesKey: AES },
    });
    expect(platform.jsSdkScripts).toEqual(JSSDK_SCRIPTS);
    expect(platform.jsSdkScripts.every((s) => s.startsWith('https://'))).toBe(true);
  });

  it('refuses to start on an empty roster, saying how to import one, and leaves it empty', async () => {
    await expect(startApp(await productionEnv(`${NS}empty`), silentLogger)).rejects.toThrow(
      /the roster is empty: set ZHUCUN_ROSTER=/,
    );
    expect((await new RosterStore(redis, new Keys(`${NS}empty`)).get()).isEmpty).toBe(true);
  });
});
