/**
 * Walks every route of the real app (read from the routers the Koa app dispatches to, so a new route is walked
 * without touching this file) in many spellings of its path, and checks two things: a route that needs a
 * credential never answers 2xx/3xx without it, whatever the spelling; and routing is exact — any other spelling
 * of a route's path (case, trailing slash, `//`, percent-escapes, dot segments) is 404, even with the credential.
 * Which routes need which credential is data below; a route the table does not classify fails the walk.
 */
import { randomBytes } from 'node:crypto';
import type Router from '@koa/router';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/log.js';
import { freePort } from '../global-setup.js';
import { rawRequest } from '../helpers/raw-http.js';

const NS = `walk${randomBytes(3).toString('hex')}`;
const ADMIN_TOKEN = 'route-walk-admin-token';

type Access =
  /** Needs a credential: never 2xx/3xx without it. */
  | { kind: 'credential'; credential: string; headers?: Record<string, string> }
  /** Open to anyone who reaches it. */
  | { kind: 'public' }
  /** The sandbox's own controls: loopback-only, checked by the sandbox's tests; here only exact routing. */
  | { kind: 'sandbox' };

/** How each route is protected, by its path pattern; `*` at the end covers everything below a prefix. */
const ACCESS: Record<string, Access> = {
  '/healthz': { kind: 'public' },
  '/readyz': { kind: 'public' },
  '/admin/sheet': {
    kind: 'credential',
    credential: 'ADMIN_TOKEN bearer',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  },
  '/wecom/app': { kind: 'credential', credential: 'WeCom msg_signature' },
  '/wecom/bot': { kind: 'credential', credential: 'WeCom msg_signature' },
  '/checkin': { kind: 'credential', credential: 'WeCom OAuth code' },
  '/checkin/submit': { kind: 'credential', credential: 'check-in session token' },
  '/checkin/page.js': { kind: 'public' },
  '/checkin/start': { kind: 'public' },
  // The villagers' 评议 page: open to anyone; an answer needs a one-time code (checked by test/assess/).
  '/pingyi/:village': { kind: 'public' },
  '/pingyi/:village/qr.svg': { kind: 'public' },
  // The dashboard: its sign-in steps and first page are open (the page shows nothing without a session);
  // the callback needs WeCom's code and this browser's state; the API a session or the admin token.
  '/dash': { kind: 'public' },
  '/dash/login': { kind: 'public' },
  '/dash/login/web': { kind: 'public' },
  '/dash/logout': { kind: 'public' },
  '/dash/callback': { kind: 'credential', credential: 'WeCom OAuth code and state' },
  // The dashboard's pages: without a session each goes to /dash (signing in) and shows nothing; their browser
  // files are public (the same for everyone, content-hashed).
  '/dash/county': { kind: 'public' },
  '/dash/announcements': { kind: 'public' },
  '/dash/approvals': { kind: 'public' },
  '/dash/outbox': { kind: 'public' },
  '/dash/audit': { kind: 'public' },
  '/dash/downloads': { kind: 'public' },
  '/dash/townships/:id': { kind: 'public' },
  '/dash/groups/:id': { kind: 'public' },
  '/dash/units/:id': { kind: 'public' },
  '/dash/villages/:id': { kind: 'public' },
  '/dash/cadres/:id': { kind: 'public' },
  '/dash/announcements/:id': { kind: 'public' },
  '/dash/assets/:file': { kind: 'public' },
  '/api/*': {
    kind: 'credential',
    credential: 'dashboard session or ADMIN_TOKEN bearer',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  },
  '/sandbox': { kind: 'public' },
  '/sandbox/:file': { kind: 'public' },
  '/sandbox/jssdk-standin.js': { kind: 'public' },
  '/sandbox/connect/oauth2/authorize': { kind: 'sandbox' },
  '/sandbox/wwlogin/sso/login': { kind: 'sandbox' },
  '/sandbox/api/*': { kind: 'sandbox' },
};

/** A value for each path parameter, and the query a route is asked with. */
const PARAM_SAMPLES: Record<string, string> = { file: 'sandbox.css', village: 'beibao' };
const QUERY: Record<string, string> = { '/admin/sheet': '?month=2026-11' };

interface Route {
  method: string;
  pattern: string;
  access: Access;
}

function accessOf(pattern: string): Access | undefined {
  if (ACCESS[pattern]) return ACCESS[pattern];
  const prefix = Object.keys(ACCESS).find((k) => k.endsWith('/*') && pattern.startsWith(k.slice(0, -1)));
  return prefix ? ACCESS[prefix] : undefined;
}

/** Every router the Koa app dispatches to (`router.routes()` carries its router). */
function routersOf(app: RunningApp): Router[] {
  return app.koa.middleware.flatMap((mw) => {
    const router = (mw as { router?: Router }).router;
    return router ? [router] : [];
  });
}

interface Segment {
  text: string;
  literal: boolean;
}

function segmentsOf(pattern: string): Segment[] {
  return pattern
    .split('/')
    .slice(1)
    .map((s) =>
      s.startsWith(':') ? { text: PARAM_SAMPLES[s.slice(1)] ?? 'x', literal: false } : { text: s, literal: true },
    );
}

const join = (segs: string[]) => `/${segs.join('/')}`;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const escapeFirst = (s: string) => `%${s.charCodeAt(0).toString(16)}${s.slice(1)}`;

/** Other spellings of the route's path that a lenient router or a proxy might take for it. */
function spellings(segments: Segment[]): { name: string; path: string }[] {
  const plain = segments.map((s) => s.text);
  const onLiterals = (f: (s: string) => string, onlyFirst = false) =>
    join(segments.map((s, i) => (s.literal && (!onlyFirst || i === 0) ? f(s.text) : s.text)));
  const head = plain.slice(0, -1);
  const last = plain.at(-1)!;
  const list = [
    { name: 'upper case', path: onLiterals((s) => s.toUpperCase()) },
    { name: 'capitalised', path: onLiterals(capitalise) },
    { name: 'first segment capitalised', path: onLiterals(capitalise, true) },
    { name: 'trailing slash', path: `${join(plain)}/` },
    { name: 'leading //', path: `/${join(plain)}` },
    { name: 'inner //', path: plain.length > 1 ? `${join(head)}//${last}` : `/${last}//` },
    { name: 'percent-escaped letter', path: onLiterals(escapeFirst, true) },
    { name: 'percent-escaped upper-case letter', path: onLiterals((s) => escapeFirst(s.toUpperCase()), true) },
    { name: 'escaped slash', path: `/${plain.join('%2F')}` },
    { name: 'dot segment', path: join([...head, '.', last]) },
    { name: 'dot-dot segment', path: join([...head, 'x', '..', last]) },
    { name: 'escaped dot segment', path: join([...head, '%2e', last]) },
    { name: 'trailing /.', path: `${join(plain)}/.` },
    { name: 'matrix parameter', path: `${join(plain)};x=1` },
    { name: 'trailing escaped space', path: `${join(plain)}%20` },
    { name: 'trailing NUL', path: `${join(plain)}%00` },
  ];
  const canonical = join(plain);
  return list.filter((v) => v.path !== canonical);
}

let app: RunningApp;
let routes: Route[];

beforeAll(async () => {
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: NS,
    PORT: String(await freePort()),
    ADMIN_TOKEN,
  });
  app = await startApp(env, silentLogger);
  routes = routersOf(app).flatMap((router) =>
    router.stack
      .filter((layer) => layer.methods.length > 0 && typeof layer.path === 'string')
      .flatMap((layer) =>
        layer.methods.map((method) => ({
          method,
          pattern: layer.path as string,
          access: accessOf(layer.path as string)!,
        })),
      ),
  );
}, 60_000);

afterAll(async () => {
  await app?.close();
  const redis = new Redis(inject('redisUrl'));
  for await (const batch of redis.scanStream({ match: `${NS}:*`, count: 1000 }))
    if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  redis.disconnect();
});

const ask = (method: string, path: string, headers: Record<string, string> = {}) =>
  rawRequest(app.url, {
    method,
    path,
    headers: method === 'POST' ? { 'content-type': 'application/json', ...headers } : headers,
    ...(method === 'POST' ? { body: '{}' } : {}),
  });

describe('the route walk', () => {
  it('finds every route of the app, each classified, on routers that match case and trailing slash exactly', () => {
    const patterns = new Set(routes.map((r) => r.pattern));
    for (const known of [
      '/healthz',
      '/admin/sheet',
      '/wecom/app',
      '/wecom/bot',
      '/checkin',
      '/checkin/submit',
      '/sandbox',
    ])
      expect(patterns).toContain(known);
    expect(routes.filter((r) => !r.access).map((r) => `${r.method} ${r.pattern}`)).toEqual([]);
    for (const router of routersOf(app)) expect(router.opts).toMatchObject({ sensitive: true, strict: true });
  });

  it('answers no route that needs a credential with 2xx/3xx without it, in any spelling', async () => {
    const leaks: string[] = [];
    for (const r of routes.filter((x) => x.access.kind === 'credential')) {
      const segs = segmentsOf(r.pattern);
      const query = QUERY[r.pattern] ?? '';
      for (const { name, path } of [{ name: 'canonical', path: join(segs.map((s) => s.text)) }, ...spellings(segs)]) {
        const res = await ask(r.method, `${path}${query}`);
        if (res.status >= 200 && res.status < 400)
          leaks.push(`${r.method} ${path}${query} (${name}) answered ${res.status}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it(
    'serves each route at its own spelling only: every other spelling is 404, with the credential too',
    { timeout: 120_000 },
    async () => {
      const wrong: string[] = [];
      for (const r of routes) {
        const segs = segmentsOf(r.pattern);
        const headers = r.access.kind === 'credential' ? (r.access.headers ?? {}) : {};
        for (const { name, path } of spellings(segs)) {
          const res = await ask(r.method, `${path}${QUERY[r.pattern] ?? ''}`, headers);
          if (res.status !== 404) wrong.push(`${r.method} ${path} (${name}) answered ${res.status}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it('the admin credential used above does open its route at the exact spelling', async () => {
    const access = ACCESS['/admin/sheet'] as { headers: Record<string, string> };
    expect((await ask('GET', '/admin/sheet?month=2026-11', access.headers)).status).toBe(200);
    expect((await ask('GET', '/admin/sheet?month=2026-11')).status).toBe(401);
  });
});
