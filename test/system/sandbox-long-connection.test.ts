/**
 * The sandbox story's robot part once in long-connection mode (ZHUCUN_SANDBOX_CHANNEL=long-connection): the app
 * started as the sandbox, its robot subscribed to the fake WeCom's WebSocket instead of serving `/wecom/bot`.
 * LiXiaoYan checks in from the township group (the check-in card comes back over the long connection), asks
 * for help there, and a reply cut off by a dropped connection reaches the group as a push after reconnecting.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { FAKE_ROBOT } from '../../src/fakewecom/server.js';
import { silentLogger } from '../../src/log.js';
import type { ChatItem } from '../../src/sandbox/items.js';
import { freePort } from '../global-setup.js';
import { until } from '../helpers/wait.js';

const NS = `lcsbx${randomBytes(3).toString('hex')}`;
const GROUP = 'group:wrkSFfCgAAxTn4Qb7LmRzK2d';
let app: RunningApp;
let cookie = '';

beforeAll(async () => {
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    ZHUCUN_SANDBOX_CHANNEL: 'long-connection',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: NS,
    PORT: String(await freePort()),
  });
  app = await startApp(env, silentLogger);
  await until(() => app.longConnection?.state === 'connected', 'the long connection', 20_000);
}, 60_000);

afterAll(async () => {
  await app?.close();
  const redis = new Redis(inject('redisUrl'));
  for await (const batch of redis.scanStream({ match: `${NS}:*`, count: 1000 }))
    if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  redis.disconnect();
});

async function call(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${app.url}/sandbox/api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const set = res.headers.get('set-cookie');
  if (set) cookie = set.split(';')[0]!;
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function groupItems(): Promise<ChatItem[]> {
  const conversations = (await call('chats?since=')).conversations as { id: string; items: ChatItem[] }[];
  return conversations.find((c) => c.id === GROUP)!.items;
}

describe('the sandbox over the long connection', () => {
  it('runs the robot over the fake WebSocket, not callbacks', async () => {
    expect(app.fake!.longConnection.isConnected(FAKE_ROBOT.botId)).toBe(true);
    const res = await fetch(`${app.url}/wecom/bot?msg_signature=a&timestamp=1&nonce=n`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });

  it('LiXiaoYan checks in from the township group: the card comes back as the reply to her message', async () => {
    await call('as', { userid: 'LiXiaoYan' });
    await call('clock', { at: '2026-11-24T08:40:00+08:00' });
    await call('send', { chat: GROUP, text: '签到' });
    const all = await groupItems();
    const mine = all.map((i) => i.via).lastIndexOf('long connection → aibot_msg_callback');
    expect(mine).toBeGreaterThanOrEqual(0);
    const replies = all.slice(mine + 1);
    expect(replies.map((i) => i.via)).toEqual(replies.map(() => 'passive reply'));
    expect(JSON.stringify(replies)).toContain('驻村签到');
    expect(app.fake!.sent('robot_reply').at(-1)).toMatchObject({
      to: ['wrkSFfCgAAxTn4Qb7LmRzK2d'],
      payload: { cmd: 'aibot_respond_msg' },
    });
  });

  it('a reply cut off by a dropped connection reaches the group as a push after reconnecting', async () => {
    const subscribed = app.fake!.longConnection.events.filter((e) => e.kind === 'subscribed').length;
    app.fake!.longConnection.cutAfterNextCallback();
    await call('send', { chat: GROUP, text: '帮助' });
    await app.fake!.longConnection.subscribed(FAKE_ROBOT.botId, subscribed + 1);
    await until(
      async () => (await groupItems()).some((i) => i.via === 'aibot_send_msg'),
      'the kept reply in the group',
      10_000,
    );
    const pushed = (await groupItems()).filter((i) => i.via === 'aibot_send_msg');
    expect(pushed).toHaveLength(1);
    expect(app.fake!.sent('robot_push')).toMatchObject([{ to: ['wrkSFfCgAAxTn4Qb7LmRzK2d'], msgtype: 'markdown' }]);
  });
});
