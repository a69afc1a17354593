/**
 * The request guards on a real server: callers on other machines are refused by their socket address (a
 * forged X-Forwarded-For does not help), and a JSON API refuses other content types and other sites' origins.
 */
import { once } from 'node:events';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback, jsonApi, localOnly } from '../../src/http/guard.js';
import { silentLogger } from '../../src/log.js';

/** An address of this machine that is not loopback, to be a caller "from elsewhere". */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

let server: Server;
let port = 0;

beforeAll(async () => {
  const app = new Koa();
  app.proxy = true;
  app.use(localOnly({ log: silentLogger, publicUrl: 'https://bot.example.gov.cn' }));
  app.use(jsonApi({ log: silentLogger, publicUrl: 'https://bot.example.gov.cn' }));
  app.use((ctx) => {
    ctx.body = { ok: true };
  });
  server = app.listen(0, '0.0.0.0');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.close();
  server.closeAllConnections();
});

const post = (host: string, headers: Record<string, string>, body = '{}') =>
  fetch(`http://${host}:${port}/api`, { method: 'POST', headers, body });
const JSON_TYPE = { 'content-type': 'application/json' };

/** fetch cannot set Host: a raw request to 127.0.0.1 naming another host; resolves with the status. */
function postAs(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api', method: 'POST', headers: { ...JSON_TYPE, host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('localOnly', () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['192.0.2.2', '::ffff:192.0.2.2', 'fd00::2', '', undefined, '1270.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('answers a caller on this machine', async () => {
    expect((await post('127.0.0.1', JSON_TYPE)).status).toBe(200);
    expect((await post('localhost', JSON_TYPE)).status).toBe(200);
  });

  it.skipIf(!outside)('refuses a caller from another address, whatever X-Forwarded-For says', async () => {
    expect((await post(outside!, JSON_TYPE)).status).toBe(403);
    expect((await post(outside!, { ...JSON_TYPE, 'x-forwarded-for': '127.0.0.1' })).status).toBe(403);
    expect((await fetch(`http://${outside}:${port}/page`)).status).toBe(403);
  });

  it('refuses a request naming another host (a re-pointed domain)', async () => {
    expect(await postAs(`evil.example:${port}`)).toBe(403);
    expect(await postAs('bot.example.gov.cn')).toBe(200);
    expect(await postAs(`localhost:${port}`)).toBe(200);
  });
});

describe('jsonApi', () => {
  it('refuses a body that is not application/json with 415', async () => {
    expect((await post('127.0.0.1', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('127.0.0.1', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1')).status).toBe(415);
    expect((await post('127.0.0.1', { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it("refuses another site's Origin with 403 and accepts the bot's own and none", async () => {
    expect((await post('127.0.0.1', { ...JSON_TYPE, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('127.0.0.1', { ...JSON_TYPE, origin: 'null' })).status).toBe(403);
    expect((await post('127.0.0.1', { ...JSON_TYPE, origin: `http://evil.example:${port}` })).status).toBe(403);
    expect((await post('127.0.0.1', { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post('127.0.0.1', { ...JSON_TYPE, origin: 'https://bot.example.gov.cn' })).status).toBe(200);
    expect((await post('127.0.0.1', { ...JSON_TYPE, origin: `http://localhost:${port}` })).status).toBe(200);
    expect((await post('127.0.0.1', JSON_TYPE)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/x`)).status).toBe(200);
  });
});
