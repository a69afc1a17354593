/**
 * /healthz and /readyz on the real Koa app over HTTP: answered within a second even when Redis never answers,
 * 503 while the process cannot serve, and details only for loopback callers or the admin token.
 */
import { once } from 'node:events';
import { request, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/server.js';
import type { Readiness } from '../../src/http/health.js';
import { silentLogger as log } from '../../src/log.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis } = useTestRedis();
const cleanup: (() => Promise<unknown> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** Serve the app on loopback TCP and on a unix socket (whose peer has no address: a remote caller). */
async function serve(readiness: Readiness, adminToken?: string) {
  const app = createHttpApp({ log, readiness, routers: [], adminToken });
  const tcp: Server = app.listen(0, '127.0.0.1');
  await once(tcp, 'listening');
  const dir = await mkdtemp(join(tmpdir(), 'zhucun-health-'));
  const unix: Server = app.listen(join(dir, 'http.sock'));
  await once(unix, 'listening');
  cleanup.push(async () => {
    for (const s of [tcp, unix]) {
      s.close();
      s.closeAllConnections();
    }
    await rm(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${(tcp.address() as { port: number }).port}`;
  const local = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const remote = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ socketPath: join(dir, 'http.sock'), path, headers }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end();
    });
  return { local, remote };
}

describe('health endpoints', () => {
  it('/readyz answers 503 within a second when Redis accepts the connection but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => void sockets.push(s)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    // No command timeout on this client: the endpoint alone must bound the wait.
    const stuck = new Redis({ port: (silent.address() as { port: number }).port, enableReadyCheck: false });
    cleanup.push(() => {
      stuck.disconnect();
      for (const s of sockets) s.destroy();
      silent.close();
    });
    const { local } = await serve({ ping: async () => void (await stuck.ping()), warnings: () => [] });
    const started = Date.now();
    const res = await local('/readyz');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ ok: false, redis: 'unreachable' });
  });

  it('/healthz is 503 while the process cannot serve, and says why only to loopback', async () => {
    let reason: string | null = null;
    const { local, remote } = await serve({
      ping: async () => void (await redis.ping()),
      warnings: () => [],
      notServing: () => reason,
    });
    expect(await local('/healthz')).toEqual({ status: 200, body: { ok: true } });
    reason = 'shutting down';
    expect(await local('/healthz')).toEqual({ status: 503, body: { ok: false, reason: 'shutting down' } });
    expect(await remote('/healthz')).toEqual({ status: 503, body: { ok: false } });
    expect((await local('/readyz')).status).toBe(503);
  });

  it('/readyz shows warnings only to loopback or with the admin token, whatever X-Forwarded-For says', async () => {
    const warnings = ['WECOM_APP_SECRET: gettoken failed'];
    const { local, remote } = await serve(
      { ping: async () => void (await redis.ping()), warnings: () => warnings },
      'admin-secret-token',
    );
    expect(await local('/readyz')).toEqual({ status: 200, body: { ok: true, redis: 'ok', warnings } });
    expect(await remote('/readyz')).toEqual({ status: 200, body: { ok: true } });
    expect(await remote('/readyz', { 'x-forwarded-for': '127.0.0.1' })).toEqual({ status: 200, body: { ok: true } });
    expect(await remote('/readyz', { authorization: 'Bearer wrong-token-of-same-len' })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(await remote('/readyz', { authorization: 'Bearer admin-secret-token' })).toEqual({
      status: 200,
      body: { ok: true, redis: 'ok', warnings },
    });
  });

  it('/readyz tells loopback and the admin whether this instance holds the long connection', async () => {
    let state: 'held' | 'standby' = 'standby';
    const { local, remote } = await serve({
      ping: async () => void (await redis.ping()),
      warnings: () => [],
      longConnection: () => state,
    });
    expect(await local('/readyz')).toEqual({ status: 200, body: { ok: true, redis: 'ok', longConnection: 'standby' } });
    state = 'held';
    expect(await local('/readyz')).toEqual({ status: 200, body: { ok: true, redis: 'ok', longConnection: 'held' } });
    expect(await remote('/readyz')).toEqual({ status: 200, body: { ok: true } });
  });
});
