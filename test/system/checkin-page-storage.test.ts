/**
 * The check-in page when Redis does not answer: every route says so with 503 and a Chinese sentence (the
 * person tries again), never a bare 500, and WeCom is not asked anything.
 */
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckinRouter } from '../../src/checkin-page/routes.js';
import { fixedClock } from '../../src/core/clock.js';
import { createHttpApp } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { Keys } from '../../src/redis/keys.js';
import { RosterStore } from '../../src/roster/store.js';
import { freePort } from '../global-setup.js';

let server: Server;
let url: string;
let redis: Redis;
const asked: string[] = [];

beforeAll(async () => {
  // Nothing listens on this port: every command fails at once.
  redis = new Redis({
    port: await freePort(),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  const keys = new Keys('down');
  const refuse = (what: string) => () => {
    asked.push(what);
    return Promise.reject(new Error('not expected'));
  };
  const router = createCheckinRouter({
    bot: { handle: refuse('bot') },
    wecom: {
      corpId: 'ww1',
      agentId: '1',
      authorizeUrl: (s) => `http://127.0.0.1/authorize?state=${s}`,
      userIdFromCode: refuse('getuserinfo'),
      jsapiTicket: refuse('ticket'),
      agentTicket: refuse('ticket'),
    },
    redis,
    keys,
    clock: fixedClock('2026-11-18T08:40:00+08:00'),
    log: silentLogger,
    roster: new RosterStore(redis, keys),
    publicUrl: 'http://127.0.0.1',
    scripts: [],
  });
  server = createHttpApp({
    log: silentLogger,
    routers: [router],
    readiness: { ping: async () => undefined, warnings: () => [] },
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  redis?.disconnect();
});

describe('check-in page without Redis', () => {
  it('answers 503 with a sentence on every route and asks WeCom nothing', async () => {
    const start = await fetch(`${url}/checkin/start`, { redirect: 'manual' });
    expect(start.status).toBe(503);
    const page = await fetch(`${url}/checkin?code=abc&state=${'a'.repeat(32)}`, {
      headers: { cookie: `zhucun_checkin_state=${'a'.repeat(32)}` },
    });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('暂时无法使用');
    const submit = await fetch(`${url}/checkin/submit`, {
      method: 'POST',
      body: JSON.stringify({ token: 'a'.repeat(32), lat: 35.6, lng: 111.3, accuracy: 20 }),
      headers: { 'content-type': 'application/json' },
    });
    expect(submit.status).toBe(503);
    expect(((await submit.json()) as { text: string }).text).toContain('暂时无法使用');
    expect(asked).toEqual([]);
  });
});
