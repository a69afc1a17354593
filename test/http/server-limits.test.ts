/**
 * The HTTP server's limits against slow or stalled clients (header, request and idle keep-alive deadlines, the
 * callback body reader's own deadline), and whose address `ctx.ip` is: X-Forwarded-For counts only with
 * TRUST_PROXY, and then only its last entry.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { ConfigError, loadEnv } from '../../src/config/env.js';
import { createAdminRouter } from '../../src/http/admin-routes.js';
import { readRawBody } from '../../src/http/body.js';
import { createRouter } from '../../src/http/router.js';
import { createHttpApp, createHttpServer, type HttpTimeouts } from '../../src/http/server.js';
import { wecomEdge } from '../../src/http/wecom-edge.js';
import { createWecomRouter, WecomCallbacks } from '../../src/http/wecom-routes.js';
import { silentLogger } from '../../src/log.js';
import { SANDBOX_APP, SANDBOX_ROBOT } from '../../src/sandbox/config.js';
import { CallbackError } from '../../src/wecom/crypto.js';

const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) {
    const closed = once(s, 'close');
    s.close();
    s.closeAllConnections();
    await closed;
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

/** The real callback routes behind the app's server, with these (small) deadlines. */
async function startWith(timeouts: HttpTimeouts): Promise<number> {
  const bot = { handle: async () => ({ reply: null, duplicate: false }) };
  const callbacks = new WecomCallbacks({
    bot,
    app: SANDBOX_APP,
    robot: SANDBOX_ROBOT,
    toleranceS: 300,
    clock: systemClock,
    log: silentLogger,
  });
  const app = createHttpApp({
    log: silentLogger,
    readiness: { ping: async () => undefined, warnings: () => [] },
    routers: [createWecomRouter(callbacks)],
  });
  // Composed as the bot composes it: the callback POSTs through the edge, the rest through Koa.
  return listen(createHttpServer(app, timeouts, wecomEdge(callbacks, silentLogger)));
}

/**
 * Open a raw connection, write `first`, then `trickle` every `everyMs` until the server closes; resolves with
 * what the server sent and how long after connecting it closed.
 */
function slowClient(
  port: number,
  first: string,
  trickle = '',
  everyMs = 100,
): Promise<{ received: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(first));
    let received = '';
    const timer = trickle ? setInterval(() => socket.writable && socket.write(trickle), everyMs) : undefined;
    socket.on('data', (d: Buffer) => (received += d.toString()));
    socket.on('error', () => undefined); // a reset after the 408 is a close too
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server kept the connection open for 10 s; it sent: ${JSON.stringify(received)}`));
    }, 10_000).unref();
  });
}

const SMALL: HttpTimeouts = { headersMs: 500, requestMs: 1000, keepAliveMs: 300 };
const POST_HEAD =
  'POST /wecom/app?msg_signature=x&timestamp=1&nonce=1 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n';

describe('slow and stalled clients', () => {
  it('headers that never finish: 408 and the connection closed within the header deadline', async () => {
    const port = await startWith(SMALL);
    const r = await slowClient(port, 'POST /wecom/app HTTP/1.1\r\nHost: x\r\n');
    expect(r.received).toMatch(/^HTTP\/1\.1 408/);
    expect(r.closedAfterMs).toBeLessThan(SMALL.headersMs + 2000);
  });

  it('a body trickled a byte at a time: 408 and closed within the request deadline', async () => {
    const port = await startWith(SMALL);
    const r = await slowClient(port, POST_HEAD, '<', 100);
    expect(r.received).toMatch(/^HTTP\/1\.1 408/);
    expect(r.closedAfterMs).toBeLessThan(SMALL.requestMs + 2000);
  });

  it('a body that stops arriving: closed within the request deadline', async () => {
    const port = await startWith(SMALL);
    const r = await slowClient(port, `${POST_HEAD}<xml>`);
    expect(r.received).toMatch(/^HTTP\/1\.1 408/);
    expect(r.closedAfterMs).toBeLessThan(SMALL.requestMs + 2000);
  });

  it('an idle keep-alive connection is closed after the keep-alive deadline', async () => {
    const port = await startWith(SMALL);
    const r = await slowClient(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(r.received).toMatch(/^HTTP\/1\.1 200/);
    expect(r.closedAfterMs).toBeLessThan(SMALL.keepAliveMs + 2000);
  });

  it('the callback body reader answers 408 and closes when the body is not complete in time', async () => {
    const errors: unknown[] = [];
    const port = await listen(
      createServer((req, res) => {
        readRawBody(req, 1024, 300).then(
          () => res.end('read'),
          (err: unknown) => errors.push(err),
        );
      }),
    );
    const r = await slowClient(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nabc');
    expect(r.received).toMatch(/^HTTP\/1\.1 408/);
    expect(r.closedAfterMs).toBeLessThan(2000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CallbackError);
    expect(errors[0]).toMatchObject({ code: 'body_timeout', status: 408 });
  });
});

describe('the body deadlines, checked by one timer', () => {
  it('a body read in time drops its deadline, and slow ones beside it still get their 408', async () => {
    const errors: unknown[] = [];
    const port = await listen(
      createServer((req, res) => {
        readRawBody(req, 1024, 300).then(
          (body) => res.end(`read ${body}`),
          (err: unknown) => errors.push(err),
        );
      }),
    );
    // One keep-alive connection: a body read at once, then a wait past its deadline, then a second request on
    // the same connection. A deadline left behind would have ended the connection with a 408 meanwhile.
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (d: Buffer) => (received += d.toString()));
    const post = (body: string) =>
      socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    post('one');
    const slow = [
      slowClient(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nabc'),
      slowClient(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nab'),
    ];
    await new Promise((r) => setTimeout(r, 900));
    // Every deadline met, so the timer has stopped: a new slow body starts it again.
    const late = slowClient(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nab');
    post('two');
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    expect(received).toMatch(/read one[\s\S]*read two/);
    expect(received).not.toMatch(/408/);
    for (const r of await Promise.all([...slow, late])) expect(r.received).toMatch(/^HTTP\/1\.1 408/);
    expect(errors).toHaveLength(3);
  });
});

describe('the client address (TRUST_PROXY)', () => {
  async function ipOf(trustProxy: boolean | undefined, xff?: string): Promise<string> {
    const echo = createRouter();
    echo.get('/ip', (ctx) => {
      ctx.body = ctx.ip;
    });
    const app = createHttpApp({
      log: silentLogger,
      readiness: { ping: async () => undefined, warnings: () => [] },
      routers: [echo],
      ...(trustProxy === undefined ? {} : { trustProxy }),
    });
    const port = await listen(createHttpServer(app));
    return (await fetch(`http://127.0.0.1:${port}/ip`, { headers: xff ? { 'x-forwarded-for': xff } : {} })).text();
  }

  it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
    expect(await ipOf(undefined, '203.0.113.9')).toMatch(/127\.0\.0\.1$/);
    expect(await ipOf(false, '203.0.113.9')).toMatch(/127\.0\.0\.1$/);
  });

  it('with TRUST_PROXY takes the entry the proxy appended (the last), never one the client wrote', async () => {
    expect(await ipOf(true, '203.0.113.9')).toBe('203.0.113.9');
    expect(await ipOf(true, '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(await ipOf(true)).toMatch(/127\.0\.0\.1$/);
  });

  it('an admin refusal logs the socket address, not a forged X-Forwarded-For', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = pino(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const l of chunk.toString().split('\n').filter(Boolean))
            lines.push(JSON.parse(l) as Record<string, unknown>);
          done();
        },
      }),
    );
    const deps = {} as Parameters<typeof createAdminRouter>[0]['deps'];
    const app = createHttpApp({
      log,
      readiness: { ping: async () => undefined, warnings: () => [] },
      routers: [createAdminRouter({ adminToken: 't0ken', deps, log })],
    });
    const port = await listen(createHttpServer(app));
    expect(
      (await fetch(`http://127.0.0.1:${port}/admin/sheet`, { headers: { 'x-forwarded-for': '10.9.8.7' } })).status,
    ).toBe(401);
    const refusal = lines.find((l) => l.msg === 'admin request refused');
    expect(refusal?.ip).toMatch(/127\.0\.0\.1$/);
  });

  it('TRUST_PROXY takes 1 or 0; anything else stops start-up with its name', () => {
    expect(loadEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe('1');
    expect(loadEnv({}).TRUST_PROXY).toBeUndefined();
    expect(() => loadEnv({ TRUST_PROXY: 'yes' })).toThrow(ConfigError);
    expect(() => loadEnv({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });
});
