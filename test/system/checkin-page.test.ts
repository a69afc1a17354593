/**
 * The check-in page end to end in a real browser: WeCom OAuth (the sandbox's authorize step issues a code from
 * the fake WeCom, the bot redeems it with auth/getuserinfo), the JS-SDK signatures (checked here against the
 * tickets the fake WeCom issued, with an independent SHA-1), the location from a stand-in `wx`, and the result.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { silentLogger } from '../../src/log.js';
import { fixedClock } from '../../src/core/clock.js';
import { WecomApi } from '../../src/wecom/api/client.js';
import { SANDBOX_APP } from '../../src/sandbox/config.js';
import { SANDBOX_USER_COOKIE } from '../../src/sandbox/wecom-side.js';
import { freePort } from '../global-setup.js';
import { launchBrowser } from '../helpers/browser.js';
import { sampleRosterData } from '../helpers/deps.js';

let app: RunningApp;
let browser: Browser;
const roster = sampleRosterData();
const cadre = roster.cadres.find((c) => c.userid === 'LiXiaoYan')!;
const village = roster.villages.find((v) => v.id === cadre.village)!;
mkdirSync('test-results/screenshots', { recursive: true });

beforeAll(async () => {
  const port = await freePort();
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: `page${randomBytes(3).toString('hex')}`,
    PORT: String(port),
  });
  app = await startApp(env, silentLogger, { clock: fixedClock('2026-11-18T08:40:00+08:00') });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function openAs(userId: string, location?: { latitude: number; longitude: number }): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 700 } });
  const { hostname } = new URL(app.url);
  await ctx.addCookies([{ name: SANDBOX_USER_COOKIE, value: userId, domain: hostname, path: '/' }]);
  if (location)
    await ctx.addInitScript((l) => localStorage.setItem('zhucun.sandbox.location', JSON.stringify(l)), location);
  return ctx;
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('check-in page', () => {
  it('signs in through OAuth, signs the JS-SDK config, and records a verified check-in inside the village', async () => {
    const ctx = await openAs('LiXiaoYan', { latitude: village.lat + 0.001, longitude: village.lng });
    const page = await ctx.newPage();
    await page.goto(app.deps.checkinLink);
    await page.locator('#status.ok').waitFor();
    expect(await page.locator('#status').textContent()).toContain('签到成功');
    await page.screenshot({ path: 'test-results/screenshots/checkin-page.png' });

    // The signatures the page gave wx.config / wx.agentConfig match the fake WeCom's tickets for this URL.
    const calls = (await page.evaluate('window.__wxCalls')) as {
      config: { appId: string; timestamp: number; nonceStr: string; signature: string };
      agentConfig: { corpid: string; agentid: string; timestamp: number; nonceStr: string; signature: string };
    };
    const api = new WecomApi({
      base: app.fake!.url,
      ...SANDBOX_APP,
      redis: app.deps.redis,
      keys: app.deps.keys,
      log: silentLogger,
    });
    const url = page.url().split('#')[0];
    const sign = (ticket: string, c: { nonceStr: string; timestamp: number }) =>
      sha1(`jsapi_ticket=${ticket}&noncestr=${c.nonceStr}&timestamp=${c.timestamp}&url=${url}`);
    expect(calls.config.appId).toBe(SANDBOX_APP.corpId);
    expect(calls.config.signature).toBe(sign(await api.jsTicket('corp'), calls.config));
    expect(calls.agentConfig.agentid).toBe(SANDBOX_APP.agentId);
    expect(calls.agentConfig.signature).toBe(sign(await api.jsTicket('agent'), calls.agentConfig));

    const day = await new CheckinRepo(app.deps.redis, app.deps.keys).day('LiXiaoYan', '2026-11-18');
    expect(day.map((r) => [r.source, r.trust, r.counts])).toEqual([['page', 'verified', true]]);
    const getuserinfo = app.fake!.requests.filter((r) => r.path === '/cgi-bin/auth/getuserinfo');
    expect(getuserinfo).toHaveLength(1);
    await ctx.close();
  });

  it('says how far away a check-in outside the geofence is, and counts nothing', async () => {
    const ctx = await openAs('SunLiJuan', { latitude: village.lat + 0.05, longitude: village.lng });
    const page = await ctx.newPage();
    await page.goto(app.deps.checkinLink);
    await page.locator('#status.warn').waitFor();
    expect(await page.locator('#status').textContent()).toMatch(/约 \d+\.\d 公里.*不在村范围内/);
    expect(await page.locator('#retry').isVisible()).toBe(true);
    // The session token took its one submission: 重新定位 signs in afresh and submits with a new token.
    const first = page.url();
    await page.locator('#retry').click();
    await page.waitForURL((u) => u.toString() !== first);
    await page.locator('#status.warn').waitFor();
    const day = await new CheckinRepo(app.deps.redis, app.deps.keys).day('SunLiJuan', '2026-11-18');
    expect(day.map((r) => [r.source, r.counts])).toEqual([
      ['page', false],
      ['page', false],
    ]);
    await ctx.close();
  });

  it('refuses a page opened without a valid OAuth code', async () => {
    const res = await fetch(`${app.url}/checkin?code=forged`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('已过期');
  });

  it('refuses a submission with an unknown token or bad coordinates', async () => {
    const post = (body: unknown) =>
      fetch(`${app.url}/checkin/submit`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect((await post({ token: 'a'.repeat(32), lat: 35.6, lng: 111.3, accuracy: 20 })).status).toBe(401);
    expect((await post({ token: 'a'.repeat(32), lat: 'north', lng: 111.3 })).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
  });
});
