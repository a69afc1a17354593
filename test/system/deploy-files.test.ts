/**
 * The files in deploy/ kept honest: the nginx example proxies only routes the production app serves, with its
 * body limit and deadlines; the systemd unit's health script really waits for /readyz and watches /healthz of a
 * running instance; the environment file example is accepted by the bot's own checks; the redis.conf fragment
 * starts a redis-server with the same durability and memory policy as the embedded Redis.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Router from '@koa/router';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { startFakeWecom, type FakeWecom } from '../../src/fakewecom/server.js';
import { CALLBACK_BODY_LIMIT } from '../../src/http/body.js';
import { HTTP_TIMEOUTS } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { parseClusterNodes } from '../../src/redis/connect.js';
import { openEmbeddedRedis } from '../../src/redis/embedded.js';
import { wipeNamespace } from '../../src/redis/wipe.js';
import { startRedisServer } from '../helpers/cluster.js';
import { freePort } from '../global-setup.js';

const run = promisify(execFile);
const NS = 'deployfiles';
const WECOM = { corpId: 'wwdeploy00000001', agentId: '1000002', secret: 'deploy-secret' };
const AES = 'a'.repeat(43);
let fake: FakeWecom;
let app: RunningApp;
let port: number;

beforeAll(async () => {
  fake = await startFakeWecom(WECOM);
  port = await freePort();
  app = await startApp(
    loadEnv({
      REDIS_URL: inject('redisUrl'),
      ZHUCUN_NAMESPACE: NS,
      PORT: String(port),
      ZHUCUN_ROSTER: 'config/roster.sample.yaml',
      ADMIN_TOKEN: 'deploy-admin-token-0123456789abcdef',
      WECOM_API_BASE: fake.url,
      WECOM_CORP_ID: WECOM.corpId,
      WECOM_AGENT_ID: WECOM.agentId,
      WECOM_APP_SECRET: WECOM.secret,
      WECOM_APP_TOKEN: 'deployToken',
      WECOM_APP_AES_KEY: AES,
      WECOM_BOT_TOKEN: 'deployBotToken',
      WECOM_BOT_AES_KEY: AES,
    }),
    silentLogger,
  );
}, 90_000);

afterAll(async () => {
  await app?.close();
  await fake?.stop();
  const redis = new Redis(inject('redisUrl'));
  await wipeNamespace(redis, NS);
  redis.disconnect();
});

/** Every route path of the routers the Koa app dispatches to. */
function routes(): string[] {
  return app.koa.middleware.flatMap((mw) => (mw as { router?: Router }).router?.stack.map((l) => String(l.path)) ?? []);
}

describe('deploy/nginx.conf', () => {
  it('proxies only paths the app serves, with its body limit and deadlines', async () => {
    const conf = await readFile('deploy/nginx.conf', 'utf8');
    const locations = [...conf.matchAll(/^\s*location\s+(=\s+)?(\S+)\s*\{/gm)].map((m) => ({
      exact: Boolean(m[1]),
      path: m[2]!,
    }));
    expect(locations.length).toBeGreaterThan(8);
    const served = routes();
    for (const { exact, path } of locations) {
      if (path === '/') continue; // the catch-all that answers 404
      if (exact) {
        // An exact location: the app answers it (the callbacks are served before Koa, so asked over HTTP).
        const res = await fetch(`${app.url}${path}`, { redirect: 'manual' });
        expect(res.status, path).not.toBe(404);
      } else {
        expect(
          served.some((r) => r.startsWith(path)),
          path,
        ).toBe(true);
      }
    }
    // Every page a person opens is proxied: the check-in page, the dashboard and its API, the 评议 page.
    for (const route of ['/checkin/start', '/checkin/submit', '/dash/login', '/dash/callback', '/pingyi/:village'])
      expect(
        locations.some((l) => !l.exact && route.startsWith(l.path)),
        route,
      ).toBe(true);
    const size = /client_max_body_size\s+(\d+)k;/.exec(conf);
    expect(Number(size?.[1]) * 1024).toBe(CALLBACK_BODY_LIMIT);
    expect(conf).toContain(`proxy_read_timeout ${HTTP_TIMEOUTS.requestMs / 1000}s;`);
    expect(conf).toContain(`client_header_timeout ${HTTP_TIMEOUTS.headersMs / 1000}s;`);
    // The upstream's instances are host:port entries as the environment would name them.
    const servers = [...conf.matchAll(/^\s*server\s+(\S+:\d+)\s/gm)].map((m) => m[1]!);
    expect(parseClusterNodes(servers.join(','))).toHaveLength(3);
  });
});

describe('deploy/zhucun@.service and its health check', () => {
  it('waits for /readyz of a running instance and watches it, as the unit and the timer run it', async () => {
    const unit = await readFile('deploy/zhucun@.service', 'utf8');
    expect(unit).toContain('Restart=on-failure');
    expect(unit).toContain('EnvironmentFile=/etc/zhucun/zhucun.env');
    const post = /^ExecStartPost=\/bin\/sh \/opt\/zhucun\/(\S+) %i (ready \d+)$/m.exec(unit);
    expect(post).not.toBeNull();
    const script = post![1]!;
    const timer = await readFile('deploy/zhucun-health@.service', 'utf8');
    expect(timer).toContain(`/opt/zhucun/${script} %i watch`);
    // Against the running app: ready at once, and the watch finds nothing to do.
    const ready = await run('sh', [script, String(port), ...post![2]!.split(' ')]);
    expect(ready.stderr).toBe('');
    const watch = await run('sh', [script, String(port), 'watch']);
    expect(watch.stderr).toBe('');
    // Nothing listening: the start-up wait fails, so systemd fails the start and restarts it.
    const closed = await freePort();
    const failed = await run('sh', [script, String(closed), 'ready', '2']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain('/readyz did not answer 200');
  }, 30_000);

  it('has an environment file example that the bot accepts', async () => {
    const text = await readFile('deploy/zhucun.env.example', 'utf8');
    const vars = Object.fromEntries(
      text
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const env = loadEnv({ ...vars, PORT: '3000' });
    expect(env.REDIS_CLUSTER_NODES).toBeTruthy();
    expect(env.TRUST_PROXY).toBeTruthy();
  });
});

describe('deploy/redis.conf', () => {
  it('starts a redis-server with the embedded Redis’s durability and memory policy', async () => {
    const settings = ['appendonly', 'appendfsync', 'maxmemory-policy'];
    const read = async (redis: Redis) => {
      const out: Record<string, string> = {};
      for (const name of settings) out[name] = ((await redis.config('GET', name)) as string[])[1]!;
      return out;
    };
    const dir = await mkdtemp(join(tmpdir(), 'zhucun-deploy-redis-'));
    const p = await freePort();
    const server = await startRedisServer([
      join(process.cwd(), 'deploy/redis.conf'),
      '--port',
      String(p),
      '--dir',
      dir,
    ]);
    const embedded = await openEmbeddedRedis({ dataDir: join(dir, 'embedded'), log: silentLogger });
    const fromFile = new Redis({ port: p, host: '127.0.0.1' });
    const fromEmbedded = new Redis(embedded.url);
    try {
      const file = await read(fromFile);
      expect(file).toEqual({ appendonly: 'yes', appendfsync: 'always', 'maxmemory-policy': 'noeviction' });
      expect(await read(fromEmbedded)).toEqual(file);
    } finally {
      fromFile.disconnect();
      fromEmbedded.disconnect();
      await embedded.stop();
      server.kill('SIGTERM');
      await once(server, 'exit');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
