/**
 * The public check-in page under misuse, over HTTP against the fake WeCom (which records every upstream
 * call): the OAuth `state` must be one this browser was issued, a session token takes one submission, a code
 * is exchanged with WeCom once however often and however concurrently it is presented, a refusal is kept for
 * 30 s, and a client is limited to 60 requests a minute.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { loadEnv } from '../../src/config/env.js';
import { fixedClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log.js';
import { freePort } from '../global-setup.js';
import { sampleRosterData } from '../helpers/deps.js';

let app: RunningApp;
const roster = sampleRosterData();
const cadre = roster.cadres.find((c) => c.userid === 'LiXiaoYan')!;
const village = roster.villages.find((v) => v.id === cadre.village)!;

beforeAll(async () => {
  const port = await freePort();
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: `abuse${randomBytes(3).toString('hex')}`,
    PORT: String(port),
  });
  app = await startApp(env, silentLogger, { clock: fixedClock('2026-11-18T08:40:00+08:00') });
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const upstream = () => app.fake!.requests.filter((r) => r.path === '/cgi-bin/auth/getuserinfo').length;

/** Open the chat link as a browser would: the state WeCom will carry back and the cookie it was bound to. */
async function start(): Promise<{ state: string; cookie: string; authorize: URL }> {
  const res = await fetch(app.deps.checkinLink, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const authorize = new URL(res.headers.get('location')!);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('zhucun_checkin_state='))!
    .split(';')[0]!;
  return { state: authorize.searchParams.get('state')!, cookie, authorize };
}

const open = (code: string, state: string, cookie?: string) =>
  fetch(`${app.url}/checkin?code=${code}&state=${state}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });

const submit = (body: unknown) =>
  fetch(`${app.url}/checkin/submit`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

const tokenOf = (html: string) => /"token":"([0-9a-f]{32})"/.exec(html)![1]!;

describe('OAuth state', () => {
  it('is a fresh nonce of letters and digits per opening, sent to WeCom as `state`', async () => {
    const a = await start();
    const b = await start();
    expect(a.state).toMatch(/^[a-zA-Z0-9]{1,128}$/);
    expect(a.state).not.toBe(b.state);
    expect(a.authorize.searchParams.get('redirect_uri')).toBe(`${app.url}/checkin`);
    expect(a.cookie).toBe(`zhucun_checkin_state=${a.state}`);
  });

  it('refuses a missing, forged, foreign-browser or replayed state before asking WeCom', async () => {
    const before = upstream();
    const { state, cookie } = await start();
    const other = await start();
    expect((await open(app.fake!.issueOAuthCode(cadre.userid), 'checkin', cookie)).status).toBe(401);
    expect((await open(app.fake!.issueOAuthCode(cadre.userid), state)).status).toBe(401);
    expect((await open(app.fake!.issueOAuthCode(cadre.userid), state, other.cookie)).status).toBe(401);
    expect(upstream()).toBe(before);
    const code = app.fake!.issueOAuthCode(cadre.userid);
    const ok = await open(code, state, cookie);
    expect(ok.status).toBe(200);
    expect((await open(code, state, cookie)).status).toBe(401);
    expect(upstream()).toBe(before + 1);
  });
});

describe('session token', () => {
  it('takes one submission; a second one with the same token is refused in Chinese and changes nothing', async () => {
    const { state, cookie } = await start();
    const token = tokenOf(await (await open(app.fake!.issueOAuthCode('SunLiJuan'), state, cookie)).text());
    const point = { token, lat: village.lat, lng: village.lng, accuracy: 20 };
    const first = await submit(point);
    expect(first.status).toBe(200);
    const again = await submit({ ...point, lat: village.lat + 0.0001 });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { text: string }).text).toContain('已经提交过');
    const sun = roster.cadres.find((c) => c.userid === 'SunLiJuan')!;
    expect(sun).toBeDefined();
    expect(await new CheckinRepo(app.deps.redis, app.deps.keys).day('SunLiJuan', '2026-11-18')).toHaveLength(1);
    const ttl = await app.deps.redis.ttl(app.deps.keys.checkinSession(token));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it('requires the accuracy of the position', async () => {
    const { state, cookie } = await start();
    const token = tokenOf(await (await open(app.fake!.issueOAuthCode('LiXiaoYan'), state, cookie)).text());
    const res = await submit({ token, lat: village.lat, lng: village.lng });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { text: string }).text).toContain('精度');
    expect((await submit({ token, lat: village.lat, lng: village.lng, accuracy: 15 })).status).toBe(200);
  });
});

describe('submission', () => {
  it('accepts only JSON from the page’s own origin, before the token is looked at', async () => {
    const { state, cookie } = await start();
    const token = tokenOf(await (await open(app.fake!.issueOAuthCode('ZhaoWenBo'), state, cookie)).text());
    const body = JSON.stringify({ token, lat: village.lat, lng: village.lng, accuracy: 10 });
    const post = (headers: Record<string, string>) =>
      fetch(`${app.url}/checkin/submit`, { method: 'POST', body, headers });
    expect((await post({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post({ 'content-type': 'application/json', origin: 'https://evil.example' })).status).toBe(403);
    expect(await app.deps.redis.exists(app.deps.keys.checkinSession(token))).toBe(1);
    expect((await post({ 'content-type': 'application/json', origin: new URL(app.url).origin })).status).toBe(200);
  });
});

describe('code exchange', () => {
  it('asks WeCom once for a code presented by many concurrent openings', async () => {
    const starts = await Promise.all(Array.from({ length: 12 }, () => start()));
    const code = app.fake!.issueOAuthCode(cadre.userid);
    const before = upstream();
    const pages = await Promise.all(starts.map((s) => open(code, s.state, s.cookie)));
    expect(pages.map((p) => p.status)).toEqual(starts.map(() => 200));
    expect(upstream()).toBe(before + 1);
  });

  it('keeps a refused code for 30 s instead of asking again', async () => {
    const starts = await Promise.all(Array.from({ length: 5 }, () => start()));
    const before = upstream();
    for (const s of starts) expect((await open('forgedCode1', s.state, s.cookie)).status).toBe(401);
    expect(upstream()).toBe(before + 1);
    const ttl = await app.deps.redis.ttl(app.deps.keys.oauthCode('forgedCode1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });
});

describe('request limit per client', () => {
  it('answers 429 beyond 60 requests a minute and asks WeCom nothing more', async () => {
    const before = upstream();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => fetch(`${app.url}/checkin?code=flood${i}&state=${'0'.repeat(32)}`)),
    );
    const statuses = answers.map((a) => a.status);
    const served = statuses.filter((s) => s !== 429).length;
    expect(served).toBeLessThanOrEqual(60);
    expect(statuses.filter((s) => s === 429).length).toBe(100 - served);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('过于频繁');
    expect(upstream()).toBe(before);
  });
});
