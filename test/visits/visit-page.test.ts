/**
 * The check-in page opened for a visit (到村调研), over HTTP: the link `到村 村名` gives goes through WeCom OAuth
 * (the sandbox's authorize step issues the code from the fake WeCom, the bot redeems it with
 * auth/getuserinfo), the page is titled for the visit, and the position it posts is recorded as the leader's
 * visit inside the geofence or refused outside it with the distance. Someone who is no visiting leader, or a
 * link naming no village, gets no page.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { fixedClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log.js';
import { SANDBOX_USER_COOKIE } from '../../src/sandbox/wecom-side.js';
import { VisitRepo } from '../../src/visits/repo.js';
import { freePort } from '../global-setup.js';
import { sampleRosterData } from '../helpers/deps.js';

let app: RunningApp;
const roster = sampleRosterData();
const beibao = roster.villages.find((v) => v.id === 'beibao')!;

beforeAll(async () => {
  const port = await freePort();
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: `visitpage${randomBytes(3).toString('hex')}`,
    PORT: String(port),
  });
  app = await startApp(env, silentLogger, { clock: fixedClock('2026-12-07T10:00:00+08:00') });
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const cookieOf = (res: Response) =>
  (res.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');

/** Open `link` as `userId` the way a browser inside WeCom would: start, authorize, the page. */
async function open(link: string, userId: string): Promise<{ status: number; html: string }> {
  const start = await fetch(link, { redirect: 'manual' });
  if (start.status !== 302) return { status: start.status, html: await start.text() };
  const state = cookieOf(start);
  const authorize = start.headers.get('location')!.replace('https://open.weixin.qq.com', `${app.url}/sandbox`);
  const back = await fetch(authorize, {
    redirect: 'manual',
    headers: { cookie: `${SANDBOX_USER_COOKIE}=${userId}` },
  });
  expect(back.status).toBe(302);
  const page = await fetch(back.headers.get('location')!, { headers: { cookie: state } });
  return { status: page.status, html: await page.text() };
}

function tokenOf(html: string): string {
  const data = /<script id="checkin-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!;
  return (JSON.parse(data) as { token: string }).token;
}

async function submit(token: string, metresNorth: number) {
  const res = await fetch(`${app.url}/checkin/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, lat: beibao.lat + metresNorth / 111_195, lng: beibao.lng, accuracy: 30 }),
  });
  return (await res.json()) as { ok: boolean; text: string; counts: boolean };
}

describe('the check-in page opened for a visit', () => {
  it('signs a visiting leader in through OAuth and records the visit inside the fence', async () => {
    const repo = new VisitRepo(app.deps.redis, app.deps.keys);
    const link = `${app.deps.checkinLink}?visit=beibao`;
    const page = await open(link, 'LiuYaQin');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>到村调研</h1>');
    expect(page.html).toContain('刘雅琴 · 北堡村');
    expect(page.html).toContain('"retry":"checkin/start?visit=beibao"');

    const out = await submit(tokenOf(page.html), 250);
    expect(out).toMatchObject({ ok: true, counts: true });
    expect(out.text).toMatch(/^已记录您到北堡村调研（V\d+，12月7日 10:00，距村部 250 米）/);
    // The newest of her visits (the sandbox's history has her earlier ones).
    const [latest] = await repo.ofUser('LiuYaQin');
    expect(latest).toMatchObject({
      at: '2026-12-07T02:00:00.000Z',
      village: 'beibao',
      source: 'page',
      distanceM: 250,
      units: [{ unit: '县财政局', as: 'deputy' }],
    });
    expect(app.fake!.requests.filter((r) => r.path === '/cgi-bin/auth/getuserinfo').length).toBeGreaterThan(0);
  });

  it('refuses a visit outside the fence with the distance, recording nothing', async () => {
    const repo = new VisitRepo(app.deps.redis, app.deps.keys);
    const page = await open(`${app.deps.checkinLink}?visit=beibao`, 'ZhaoGuoLiang');
    const out = await submit(tokenOf(page.html), 3000);
    expect(out).toMatchObject({ ok: true, counts: false });
    expect(out.text).toContain('您现在距北堡村村部约 3.0 公里，不在村范围内');
    expect((await repo.ofUser('ZhaoGuoLiang')).filter((v) => v.at.startsWith('2026-12-07'))).toEqual([]);
  });

  it('gives no visit page to a cadre or for a village not on the roster, and a cadre still checks in', async () => {
    expect((await open(`${app.deps.checkinLink}?visit=beibao`, 'LiXiaoYan')).status).toBe(403);
    expect((await open(`${app.deps.checkinLink}?visit=nowhere`, 'LiuYaQin')).status).toBe(404);
    expect((await open(`${app.deps.checkinLink}?visit=${encodeURIComponent('<x>')}`, 'LiuYaQin')).status).toBe(400);
    const cadre = await open(app.deps.checkinLink, 'LiXiaoYan');
    expect(cadre.html).toContain('<h1>驻村签到</h1>');
    expect((await submit(tokenOf(cadre.html), 250)).text).toMatch(/^签到成功/);
  });
});
