/**
 * The shared error handler of every route: a storage failure (Redis gone) is answered 503 so that the caller
 * retries, never 500 and never 200; a bug stays 500.
 */
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createRouter } from '../../src/http/router.js';
import { createHttpApp } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';

// A real ioredis client whose server is gone, set up as the bot's: it fails at once.
const gone = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
gone.on('error', () => {}); // the refused connection is the point; the command reports it
const router = createRouter();
router.get('/reads', async (ctx) => {
  ctx.body = (await gone.get('k')) ?? '';
});
router.get('/bug', () => {
  throw new Error('a bug');
});
const app = createHttpApp({
  log: silentLogger,
  routers: [router],
  readiness: { ping: async () => {}, warnings: () => [], notServing: () => null },
});
const server: Server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
afterAll(() => {
  gone.disconnect();
  server.close();
});

it('answers a storage failure 503 and a bug 500', async () => {
  expect((await fetch(`${base}/reads`)).status).toBe(503);
  expect((await fetch(`${base}/bug`)).status).toBe(500);
});
