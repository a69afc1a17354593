/**
 * The dashboard when Redis does not answer: the API says so with 503 and a JSON error (as docs/openapi.yaml
 * describes it), the sign-in steps and the page with 503 and a Chinese sentence, never a bare 500; WeCom is
 * not asked anything.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { createApiRouter } from '../../src/dash/api.js';
import { createDashRouter } from '../../src/dash/routes.js';
import { DashSessions } from '../../src/dash/session.js';
import { createHttpApp } from '../../src/http/server.js';
import { createRepos } from '../../src/repos.js';
import { silentLogger } from '../../src/log.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { Keys } from '../../src/redis/keys.js';
import { RosterStore } from '../../src/roster/store.js';
import * as T from '../../templates/dash.js';
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
  const clock = fixedClock('2026-11-18T09:00:00+08:00');
  const roster = new RosterStore(redis, keys);
  const sessions = new DashSessions({ redis, keys, clock, idleMinutes: () => 30, secure: false });
  const common = { log: silentLogger, roster, sessions, publicUrl: 'http://127.0.0.1' };
  const routers = [
    createDashRouter({
      ...common,
      redis,
      keys,
      clock,
      wecom: {
        authorizeUrl: (s) => `http://127.0.0.1/authorize?state=${s}`,
        webLoginUrl: (s) => `http://127.0.0.1/sso?state=${s}`,
        userIdFromCode: () => {
          asked.push('getuserinfo');
          return Promise.reject(new Error('not expected'));
        },
      },
    }),
    createApiRouter({
      ...common,
      adminToken: 'token',
      clock,
      src: {
        redis,
        keys,
        policy: defaultPolicy(),
        calendar: new HolidayCalendar(),
        repos: createRepos(redis, keys),
        outbox: { enqueue: () => Promise.reject(new Error('not expected')) },
      },
    }),
  ];
  server = createHttpApp({
    log: silentLogger,
    routers,
    readiness: { ping: async () => undefined, warnings: () => [] },
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  redis.disconnect();
});

describe('the dashboard without storage', () => {
  it('answers every API route 503 with a JSON error, with a session cookie or the admin token', async () => {
    const cookie = `zhucun_dash=${'A'.repeat(43)}`;
    for (const path of ['/api/me', '/api/cadres', '/api/cadres/LiXiaoYan/month', '/api/townships/xintian'])
      for (const headers of [{ cookie }, { authorization: 'Bearer token' }] as Record<string, string>[]) {
        const res = await fetch(`${url}${path}`, { headers });
        expect(res.status, path).toBe(503);
        expect(await res.json()).toEqual({ error: expect.any(String) });
      }
  });

  it('answers the sign-in steps and the page 503 with a sentence, asking WeCom nothing', async () => {
    for (const path of ['/dash/login', '/dash/login/web', '/dash/callback?code=abc&state=' + 'a'.repeat(32), '/dash']) {
      const res = await fetch(`${url}${path}`, {
        redirect: 'manual',
        headers: { cookie: `zhucun_dash_state=${'a'.repeat(32)}; zhucun_dash=${'A'.repeat(43)}` },
      });
      expect(res.status, path).toBe(503);
      expect(await res.text()).toMatch(new RegExp(`${T.unavailable}|${T.tooManyRequests}`));
    }
    expect(asked).toEqual([]);
  });
});
