/**
 * The sandbox's server side through HTTP: the page and its API, the identity cookie, conversations kept in
 * Redis across a restart together with the simulated clock, a clock a month ahead that still passes the
 * callback timestamp check, and the reset that seeds the history afresh.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv, type Env } from '../../src/config/env.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { silentLogger } from '../../src/log.js';
import type { ChatItem } from '../../src/sandbox/items.js';
import type { CliIO } from '../../src/cli/io.js';
import { run as runRoster } from '../../src/cli/roster.js';
import { WecomApi } from '../../src/wecom/api/client.js';
import { readDirectory } from '../../src/wecom/directory.js';
import { freePort } from '../global-setup.js';

const NS = `sbxapi${randomBytes(3).toString('hex')}`;
let app: RunningApp;

async function envOn(): Promise<Env> {
  return loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: NS,
    PORT: String(await freePort()),
  });
}

beforeAll(async () => {
  app = await startApp(await envOn(), silentLogger);
}, 60_000);

afterAll(async () => {
  await app?.close();
  const redis = new Redis(inject('redisUrl'));
  for await (const batch of redis.scanStream({ match: `${NS}:*`, count: 1000 }))
    if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  redis.disconnect();
});

/** A browser's worth of cookies: the identity cookie once chosen. */
let cookie = '';

async function call(path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${app.url}/sandbox/api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const set = res.headers.get('set-cookie');
  if (set) cookie = set.split(';')[0]!;
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Choose LiXiaoYan (a cadre of 新田乡) and put the simulated clock at `at`: what each test starts from. */
async function asLiXiaoYanAt(at: string): Promise<void> {
  expect((await call('as', { userid: 'LiXiaoYan' })).status).toBe(200);
  expect((await call('clock', { at })).status).toBe(200);
}

type Conversations = { id: string; title: string; items: (ChatItem & { state?: unknown })[] }[];

async function chats(): Promise<Conversations> {
  return (await call('chats?since=')).json.conversations as Conversations;
}

const texts = (c: Conversations, id: string) =>
  c
    .find((x) => x.id === id)!
    .items.map((i) => (i.body.kind === 'text' || i.body.kind === 'markdown' ? i.body.text : `[${i.body.kind}]`));

describe('the sandbox API', () => {
  it('serves the page and its scripts', async () => {
    const page = await fetch(`${app.url}/sandbox`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('示例名册中的人员、单位和群聊均为虚构数据');
    for (const asset of ['render.js', 'map.js', 'sandbox.js', 'sandbox.css'])
      expect((await fetch(`${app.url}/sandbox/${asset}`)).status).toBe(200);
    expect((await fetch(`${app.url}/sandbox/nothing.js`)).status).toBe(404);
  });

  it('refuses to send before a person is chosen; choosing sets the cookie the OAuth step reads', async () => {
    cookie = '';
    expect((await call('send', { chat: 'app', text: '帮助' })).status).toBe(403);
    expect((await call('as', { userid: 'NoSuchPerson' })).status).toBe(400);
    expect((await call('as', { userid: 'LiXiaoYan' })).status).toBe(200);
    expect(cookie).toBe('zhucun_sandbox_user=LiXiaoYan');
    const me = (await call('me')).json as { person: { name: string }; conversations: { id: string }[] };
    expect(me.person.name).toBe('李晓燕');
    expect(me.conversations.map((c) => c.id)).toEqual(['app', 'group:wrkSFfCgAAxTn4Qb7LmRzK2d']);
    const start = await fetch(app.deps.checkinLink, { headers: { cookie }, redirect: 'manual' });
    expect(start.status).toBe(302);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    expect(state).toMatch(/^[0-9a-f]{32}$/);
    const authorize = await fetch(start.headers.get('location')!, { headers: { cookie }, redirect: 'manual' });
    expect(authorize.status).toBe(302);
    expect(authorize.headers.get('location')).toMatch(new RegExp(`/checkin\\?code=[\\w-]+&state=${state}$`));
  });

  it('a month ahead on the simulated clock, callbacks still pass the timestamp check and carry the simulated time', async () => {
    const target = '2026-12-28T09:00:00+08:00';
    await call('as', { userid: 'LiXiaoYan' });
    const clock = (await call('clock', { at: target })).json;
    expect(Date.parse(String(clock.now)) - Date.parse(target)).toBeLessThan(5000);
    expect((await call('send', { chat: 'app', text: '我的考勤' })).status).toBe(200);
    // The last two items of the chat (scheduled jobs may have sent something before).
    const items = (await chats()).find((c) => c.id === 'app')!.items.slice(-2);
    expect(items.map((i) => i.via)).toEqual(['callback → /wecom/app', 'passive reply']);
    expect(items[1]!.body).toMatchObject({ kind: 'text', text: expect.stringContaining('您的考勤 · 2026年12月') });
    expect(Math.abs(items[0]!.at - Date.parse(target))).toBeLessThan(5000);
  });

  it('sends a location message and the automatic report of entering the app, each as its own source', async () => {
    await asLiXiaoYanAt('2026-12-28T09:00:00+08:00');
    expect((await call('location', { lat: 35.615, lng: 111.36, label: '侯马市城区' })).status).toBe(200);
    expect((await call('enter', { lat: 35.6654, lng: 111.30475 })).status).toBe(200);
    const last = (await chats()).find((c) => c.id === 'app')!.items.slice(-4);
    expect(last.map((i) => i.body.kind)).toEqual(['location', 'text', 'note', 'text']);
    expect(last[1]!.body).toMatchObject({ text: expect.stringContaining('不在村范围内') });
    expect(last[0]!.body).toEqual({ kind: 'location', lat: 35.615, lng: 111.36, label: '侯马市城区' });
    expect(last[3]!.body).toMatchObject({ text: expect.stringContaining('已根据自动上报的位置为您签到') });
    const day = await new CheckinRepo(app.deps.redis, app.deps.keys).day('LiXiaoYan', '2026-12-28');
    expect(day.map((r) => [r.source, r.counts])).toEqual([
      ['message', false],
      ['auto', true],
    ]);
  });

  it('keeps the conversations and the simulated clock across a restart, and does not seed twice', async () => {
    await asLiXiaoYanAt('2026-11-24T08:40:00+08:00');
    await call('send', { chat: 'group:wrkSFfCgAAxTn4Qb7LmRzK2d', text: '我的请假' });
    const before = await chats();
    const seeded = await app.deps.redis.get(app.deps.keys.sandboxSeeded());
    await app.close();
    app = await startApp(await envOn(), silentLogger);
    expect(await app.deps.redis.get(app.deps.keys.sandboxSeeded())).toBe(seeded);
    const after = await chats();
    expect(after).toEqual(before);
    // The group may also hold a digest the scheduler caught up on start (it runs on real time).
    expect(texts(after, 'group:wrkSFfCgAAxTn4Qb7LmRzK2d')).toContain('@驻村助手 我的请假');
    const now = Date.parse(String((await call('clock')).json.now));
    expect(now - Date.parse('2026-11-24T08:40:00+08:00')).toBeLessThan(60_000);
    expect(now).toBeGreaterThanOrEqual(Date.parse('2026-11-24T08:40:00+08:00'));
  }, 60_000);

  it('resets: the domain data and conversations go, the history is seeded again, the clock and roster stay', async () => {
    await asLiXiaoYanAt('2026-11-24T08:40:00+08:00');
    expect((await call('send', { chat: 'app', text: '请假 事假 明天 家中有事' })).status).toBe(200);
    const repo = new LeaveRepo(app.deps.redis, app.deps.keys);
    const mine = async () => (await repo.ofUser('LiXiaoYan')).filter((r) => r.start === '2026-11-25');
    expect(await mine()).toHaveLength(1);

    const reset = await call('reset', {});
    expect(reset.json).toEqual({ ok: true, problems: [] });
    expect(await mine()).toEqual([]);
    expect(texts(await chats(), 'app')).toEqual([]);
    expect((await app.deps.roster.get()).data.cadres).toHaveLength(31);
    expect(await app.deps.redis.exists(app.deps.keys.sandboxSeeded())).toBe(1);
    // Seeded again up to the day before the simulated today: the leave of the history is back, numbers from Q1001.
    const cadres = (await app.deps.roster.get()).data.cadres.map((c) => c.userid);
    const history = [...(await repo.ofUsers(cadres)).values()].flat();
    expect(history).toHaveLength(6);
    expect(history.map((r) => r.no).sort()[0]).toBe('Q1001');
    expect(Date.parse(String((await call('clock')).json.now))).toBeGreaterThanOrEqual(
      Date.parse('2026-11-24T08:40:00+08:00'),
    );
  }, 60_000);

  it('lets zhucun roster verify pass: its fake WeCom knows everyone on the roster, county leaders included', async () => {
    const fake = app.fake!;
    const api = new WecomApi({
      base: fake.url,
      corpId: fake.corpId,
      agentId: fake.agentId,
      secret: fake.secret,
      redis: app.deps.redis,
      keys: app.deps.keys,
      log: silentLogger,
    });
    let out = '';
    const io: CliIO = { out: (s) => (out += s), err: () => {}, log: silentLogger, env: {} };
    const store = async () => ({ store: app.deps.roster, close: async () => {} });
    expect(await runRoster(['verify'], io, store, () => readDirectory(api, fake.agentId))).toBe(0);
    const everyone = (await app.deps.roster.get()).userids();
    expect(everyone).toContain('ZhaoGuoLiang');
    expect(out).toContain(`all ${everyone.length} userids are WeCom members inside the app's visibility range`);
  });
});
