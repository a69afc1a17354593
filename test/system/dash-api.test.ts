/**
 * The dashboard end to end on the real app in sandbox mode: signing in through the sandbox's WeCom (OAuth and
 * the web login, codes issued by the fake WeCom and redeemed with auth/getuserinfo), the session cookie, the
 * idle timeout on the app's clock, signing out, the OAuth state check on the callback, and the JSON API's scope
 * for each role. Every /api route the app registers must be in docs/openapi.yaml, and every answer the tests
 * get is validated against the file's schema for its status (ajv).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Router from '@koa/router';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/log.js';
import { SANDBOX_APP } from '../../src/sandbox/config.js';
import { SANDBOX_USER_COOKIE } from '../../src/sandbox/wecom-side.js';
import { freePort } from '../global-setup.js';
import { MINUTE, TestClock } from '../helpers/clock.js';

const NS = `dash${randomBytes(3).toString('hex')}`;
const ADMIN_TOKEN = 'dash-api-admin-token';
const clock = new TestClock('2026-11-18T09:00:00+08:00');
let app: RunningApp;

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: unknown }> }>>;
}
const doc = parse(readFileSync('docs/openapi.yaml', 'utf8')) as OpenApi;
// OpenAPI 3.1's schemas are JSON Schema 2020-12; the file's other keywords (paths, info) are not schema words.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(doc as object, 'api');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The OpenAPI path of a Koa pattern: `/api/cadres/:userid/month` → `/api/cadres/{userid}/month`. */
const openApiPath = (pattern: string) => pattern.replace(/:([A-Za-z]+)/g, '{$1}');

/** Validate a JSON answer against the file's schema for the operation and status; throws with ajv's errors. */
function check(pattern: string, status: number, body: unknown): void {
  const op = doc.paths[openApiPath(pattern)]?.get;
  expect(op, `${pattern} is not in docs/openapi.yaml`).toBeDefined();
  const response = op!.responses[String(status)];
  expect(response, `${pattern} answered ${status}, which docs/openapi.yaml does not describe`).toBeDefined();
  const base = response!.$ref
    ? response!.$ref.slice(1)
    : `/${pointer('paths', openApiPath(pattern), 'get', 'responses', String(status))}`;
  const validate = ajv.compile({ $ref: `api#${base}/${pointer('content', 'application/json', 'schema')}` });
  if (!validate(body)) throw new Error(`${pattern} ${status}: ${ajv.errorsText(validate.errors)}`);
}

type Jar = Map<string, string>;
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

function keep(jar: Jar, res: Response): string[] {
  const set = res.headers.getSetCookie();
  for (const line of set) {
    const [pair = ''] = line.split(';');
    const eq = pair.indexOf('=');
    const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
    if (/Max-Age=0/i.test(line) || value === '') jar.delete(name);
    else jar.set(name, value);
  }
  return set;
}

/** Follow redirects by hand with a cookie jar; the last answer, and every Set-Cookie line seen. */
async function browse(jar: Jar, path: string): Promise<{ res: Response; url: string; cookies: string[] }> {
  let url = new URL(path, app.url).toString();
  const cookies: string[] = [];
  for (let hop = 0; hop < 6; hop++) {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    cookies.push(...keep(jar, res));
    if (res.status !== 302) return { res, url, cookies };
    url = new URL(res.headers.get('location')!, url).toString();
  }
  throw new Error('too many redirects');
}

/** Sign in as `userid` (the person chosen in the sandbox) through `/dash/login` or `/dash/login/web`. */
async function signIn(userid: string, start = '/dash/login'): Promise<Jar> {
  const jar: Jar = new Map([[SANDBOX_USER_COOKIE, userid]]);
  const { res, url } = await browse(jar, start);
  expect(res.status).toBe(200);
  expect(new URL(url).pathname).toBe('/dash');
  expect(jar.has('zhucun_dash')).toBe(true);
  return jar;
}

/** GET an /api path (by its route pattern and the path asked) and validate the answer against the file. */
async function api(
  pattern: string,
  path: string,
  auth: Jar | { bearer: string } | undefined,
  // The answers are checked against the OpenAPI schemas; the tests then read their fields freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (auth instanceof Map) headers.cookie = cookieHeader(auth);
  else if (auth) headers.authorization = `Bearer ${auth.bearer}`;
  const res = await fetch(new URL(path, app.url), { headers });
  const body: unknown = await res.json();
  check(pattern, res.status, body);
  return { status: res.status, body };
}

const ME = '/api/me';
const CADRES = '/api/cadres';
const MONTH = '/api/cadres/:userid/month';
const TOWNSHIP = '/api/townships/:id';

beforeAll(async () => {
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: NS,
    PORT: String(await freePort()),
    ADMIN_TOKEN,
  });
  app = await startApp(env, silentLogger, { clock });
}, 60_000);

afterAll(async () => {
  await app?.close();
  const redis = new Redis(inject('redisUrl'));
  for await (const batch of redis.scanStream({ match: `${NS}:*`, count: 1000 }))
    if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
  redis.disconnect();
});

describe('signing in to the dashboard', () => {
  it('signs in through OAuth inside WeCom: a session cookie, the first page, and /api/me', async () => {
    const jar: Jar = new Map([[SANDBOX_USER_COOKIE, 'WuJianZhong']]);
    const first = await fetch(new URL('/dash/login', app.url), { redirect: 'manual' });
    const authorize = new URL(first.headers.get('location')!);
    expect(authorize.pathname).toBe('/sandbox/connect/oauth2/authorize');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${app.url}/dash/callback`);
    expect(authorize.searchParams.get('appid')).toBe(SANDBOX_APP.corpId);

    const { res, cookies } = await browse(jar, '/dash/login');
    expect(res.status).toBe(200);
    const session = cookies.find((c) => c.startsWith('zhucun_dash='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).not.toMatch(/Secure/); // PUBLIC_URL is http here
    const html = await res.text();
    expect(html).toContain('武建中');
    expect(html).toContain('href="/api/townships/xintian"');

    // Redis keeps the session under a hash of the id: a copy of the store does not sign anyone in.
    const id = jar.get('zhucun_dash')!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sessionKeys = await app.deps.redis.keys(`${NS}:{dash:*`);
    expect(sessionKeys.length).toBeGreaterThan(0);
    for (const k of sessionKeys) {
      expect(k).not.toContain(id);
      expect(await app.deps.redis.get(k)).not.toContain(id);
    }
    const me = await api(ME, ME, jar);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'person', userid: 'WuJianZhong', roles: ['org'], scope: { county: true } });
  });

  it('signs in through the web login (扫码登录) at a PC, to the same callback', async () => {
    const first = await fetch(new URL('/dash/login/web', app.url), { redirect: 'manual' });
    const login = new URL(first.headers.get('location')!);
    expect(login.pathname).toBe('/sandbox/wwlogin/sso/login');
    expect(Object.fromEntries(login.searchParams)).toMatchObject({
      login_type: 'CorpApp',
      appid: SANDBOX_APP.corpId,
      agentid: SANDBOX_APP.agentId,
      redirect_uri: `${app.url}/dash/callback`,
    });
    const jar = await signIn('LiZhenHua', '/dash/login/web');
    expect((await api(ME, ME, jar)).body).toMatchObject({ userid: 'LiZhenHua', roles: ['township'] });
  });

  it('offers both ways to sign in without a session, and goes straight to OAuth inside WeCom', async () => {
    const page = await fetch(new URL('/dash', app.url));
    const html = await page.text();
    expect(html).toContain('href="/dash/login"');
    expect(html).toContain('href="/dash/login/web"');
    const inWecom = await fetch(new URL('/dash', app.url), {
      redirect: 'manual',
      headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 13) wxwork/4.1.22 MicroMessenger/7.0.1' },
    });
    expect(inWecom.status).toBe(302);
    expect(inWecom.headers.get('location')).toBe('/dash/login');
    // The sandbox page offers both, as whoever is chosen there.
    const sandbox = await (await fetch(new URL('/sandbox', app.url))).text();
    expect(sandbox).toContain('href="/dash/login"');
    expect(sandbox).toContain('href="/dash/login/web"');
  });

  it('refuses a callback whose state is missing, forged, replayed, or issued for the check-in page', async () => {
    const code = () => app.fake!.issueOAuthCode('WuJianZhong');
    const callback = async (jar: Jar, query: string) =>
      fetch(new URL(`/dash/callback?${query}`, app.url), {
        redirect: 'manual',
        headers: { cookie: cookieHeader(jar) },
      });
    // No state, and a state this browser was never issued.
    expect((await callback(new Map(), `code=${code()}`)).status).toBe(401);
    const forged = randomBytes(16).toString('hex');
    expect((await callback(new Map([['zhucun_dash_state', forged]]), `code=${code()}&state=${forged}`)).status).toBe(
      401,
    );
    // A real state, used once: the replay is refused.
    const jar: Jar = new Map();
    const start = await fetch(new URL('/dash/login', app.url), { redirect: 'manual' });
    keep(jar, start);
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    expect(jar.has('zhucun_dash_state')).toBe(true);
    expect(jar.has('zhucun_checkin_state')).toBe(false); // a check-in opened meanwhile keeps its own state
    const ok = await callback(jar, `code=${code()}&state=${state}`);
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/dash');
    jar.set('zhucun_dash_state', state); // the browser sends the state cookie again
    expect((await callback(jar, `code=${code()}&state=${state}`)).status).toBe(401);
    // A state issued by the check-in page does not sign in to the dashboard, nor the other way round.
    const checkinJar: Jar = new Map();
    const checkin = await fetch(new URL('/checkin/start', app.url), { redirect: 'manual' });
    keep(checkinJar, checkin);
    const checkinState = new URL(checkin.headers.get('location')!).searchParams.get('state')!;
    // Even sent under the dashboard's cookie name, as a forger would.
    checkinJar.set('zhucun_dash_state', checkinState);
    const refused = await callback(checkinJar, `code=${code()}&state=${checkinState}`);
    expect(refused.status).toBe(401);
    expect(refused.headers.getSetCookie().some((c) => c.startsWith('zhucun_dash='))).toBe(false);
    const dashJar: Jar = new Map();
    const dash = await fetch(new URL('/dash/login', app.url), { redirect: 'manual' });
    keep(dashJar, dash);
    const dashState = new URL(dash.headers.get('location')!).searchParams.get('state')!;
    dashJar.set('zhucun_checkin_state', dashState);
    const atCheckin = await fetch(
      new URL(`/checkin?code=${app.fake!.issueOAuthCode('LiXiaoYan')}&state=${dashState}`, app.url),
      { headers: { cookie: cookieHeader(dashJar) } },
    );
    expect(atCheckin.status).toBe(401);
  });

  it('refuses someone on no roster role with 403 and no session', async () => {
    const jar: Jar = new Map([[SANDBOX_USER_COOKIE, 'ZhaoGuoLiang']]); // a county leader among `people`
    const { res } = await browse(jar, '/dash/login');
    expect(res.status).toBe(403);
    expect(jar.has('zhucun_dash')).toBe(false);
  });

  it('keeps a session in use alive and refuses one idle longer than dashboard.sessionIdleMinutes', async () => {
    const idle = app.deps.policy.dashboard.sessionIdleMinutes;
    const jar = await signIn('LiXiaoYan');
    clock.advance((idle - 1) * MINUTE);
    expect((await api(ME, ME, jar)).status).toBe(200);
    clock.advance((idle - 1) * MINUTE);
    expect((await api(ME, ME, jar)).status).toBe(200);
    clock.advance((idle + 1) * MINUTE);
    expect((await api(ME, ME, jar)).status).toBe(401);
    // Refused for good: the session is gone from Redis, not merely late.
    clock.set(clock.time - (idle + 1) * MINUTE);
    expect((await api(ME, ME, jar)).status).toBe(401);
    const page = await fetch(new URL('/dash', app.url), { headers: { cookie: cookieHeader(jar) } });
    expect(await page.text()).toContain('href="/dash/login/web"');
  });

  it('gives each sign-in a new session id and ends the one the browser held before', async () => {
    const jar = await signIn('LiXiaoYan');
    const before = new Map(jar);
    const { res } = await browse(jar, '/dash/login');
    expect(res.status).toBe(200);
    expect(jar.get('zhucun_dash')).not.toBe(before.get('zhucun_dash'));
    expect((await api(ME, ME, jar)).status).toBe(200);
    expect((await api(ME, ME, before)).status).toBe(401);
  });

  it('signs out: the session ends on the server and the cookie is cleared', async () => {
    const jar = await signIn('LiXiaoYan');
    const stolen = new Map(jar);
    const res = await fetch(new URL('/dash/logout', app.url), {
      method: 'POST',
      headers: { cookie: cookieHeader(jar), origin: app.url },
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('zhucun_dash='))).toMatch(/Max-Age=0/);
    expect((await api(ME, ME, stolen)).status).toBe(401);
    // Another site's form cannot sign anyone out.
    const other = await signIn('LiXiaoYan');
    const cross = await fetch(new URL('/dash/logout', app.url), {
      method: 'POST',
      headers: { cookie: cookieHeader(other), origin: 'https://evil.example' },
    });
    expect(cross.status).toBe(403);
    expect((await api(ME, ME, other)).status).toBe(200);
  });
});

describe('the JSON API by scope', () => {
  const monthOf = (id: string, month = '2026-11') => `/api/cadres/${encodeURIComponent(id)}/month?month=${month}`;
  const cadresOf = async (jar: Jar) =>
    ((await api(CADRES, CADRES, jar)).body as { cadres: { userid: string }[] }).cadres;
  const roster = () => app.deps.roster.get();

  it('is 401 without a session, with a made-up session or with a wrong bearer token', async () => {
    for (const [pattern, path] of [
      [ME, ME],
      [CADRES, CADRES],
      [MONTH, monthOf('LiXiaoYan')],
      [TOWNSHIP, '/api/townships/xintian'],
    ] as const) {
      expect((await api(pattern, path, undefined)).status).toBe(401);
      expect((await api(pattern, path, new Map([['zhucun_dash', 'A'.repeat(43)]]))).status).toBe(401);
      expect((await api(pattern, path, { bearer: 'not-the-token' })).status).toBe(401);
    }
  });

  it('lets a township supervisor read their township and none other', async () => {
    const jar = await signIn('LiZhenHua');
    const r = await roster();
    expect((await cadresOf(jar)).map((c) => c.userid)).toEqual(r.cadresOfTownship('xintian').map((c) => c.userid));
    const own = await api(TOWNSHIP, '/api/townships/xintian?month=2026-11', jar);
    expect(own.status).toBe(200);
    expect(own.body.township).toMatchObject({ id: 'xintian', cadres: r.cadresOfTownship('xintian').length });
    expect((await api(TOWNSHIP, '/api/townships/fengcheng', jar)).status).toBe(403);
    expect((await api(TOWNSHIP, '/api/townships/nowhere', jar)).status).toBe(403);
    expect((await api(MONTH, monthOf('MaJunJie'), jar)).status).toBe(200); // 新田乡, the other work group
    expect((await api(MONTH, monthOf('ZhouMingHui'), jar)).status).toBe(403); // 凤城乡
  });

  it("lets a sending unit read its own cadres wherever they serve, and not another unit's", async () => {
    const jar = await signIn('DuHongWei'); // 县财政局
    const r = await roster();
    const unit = r.data.cadres.filter((c) => c.sendingUnit === '县财政局').map((c) => c.userid);
    expect((await cadresOf(jar)).map((c) => c.userid)).toEqual(unit);
    const month = await api(MONTH, monthOf('LiXiaoYan'), jar);
    expect(month.status).toBe(200);
    expect(month.body.cadre).toMatchObject({ userid: 'LiXiaoYan', unit: '县财政局', village: { id: 'beibao' } });
    expect((await api(MONTH, monthOf('ZhaoWenBo'), jar)).status).toBe(403); // 县人社局, same village
    expect((await api(TOWNSHIP, '/api/townships/xintian', jar)).status).toBe(403);
  });

  it('lets a 领队 read their work group, not the other work group of the township', async () => {
    const jar = await signIn('WangJianGuo');
    const r = await roster();
    expect((await cadresOf(jar)).map((c) => c.userid)).toEqual(
      r.cadresOfWorkGroup('xintian-team').map((c) => c.userid),
    );
    expect((await api(MONTH, monthOf('ZhangZhiQiang'), jar)).status).toBe(200); // 牛村, same work group
    expect((await api(MONTH, monthOf('MaJunJie'), jar)).status).toBe(403); // 柳河村, the other work group
    expect((await api(TOWNSHIP, '/api/townships/xintian', jar)).status).toBe(403);
  });

  it('lets a cadre read only themself, and gives the same figures the month reader gives', async () => {
    const jar = await signIn('LiXiaoYan');
    expect((await cadresOf(jar)).map((c) => c.userid)).toEqual(['LiXiaoYan']);
    const own = await api(MONTH, monthOf('LiXiaoYan'), jar);
    expect(own.status).toBe(200);
    expect((await api(MONTH, monthOf('WangJianGuo'), jar)).status).toBe(403);
    expect((await api(MONTH, monthOf('nobody'), jar)).status).toBe(403); // existence is not told outside the scope
    expect((await api(TOWNSHIP, '/api/townships/xintian', jar)).status).toBe(403);
    // The month as the attendance accounting counts it (the sandbox seeded check-ins for November).
    const { monthFiguresFor } = await import('../../src/close/read.js');
    const r = await roster();
    const read = await monthFiguresFor(app.deps, [r.cadres.get('LiXiaoYan')!], {
      now: clock.now(),
      months: ['2026-11'],
      onlyListed: true,
    });
    const f = read.figures.get('LiXiaoYan')!;
    expect(own.body.month).toMatchObject({ month: '2026-11', present: f.month.present, status: f.month.status });
    expect(own.body.year).toMatchObject({ present: f.year.present, target: f.year.target.target });
    expect(own.body.month.days).toHaveLength(30);
  });

  it('gives the admin token the county, read-only, and 404 for what does not exist', async () => {
    const admin = { bearer: ADMIN_TOKEN };
    const me = await api(ME, ME, admin);
    expect(me.body).toMatchObject({ kind: 'machine', readOnly: true, scope: { county: true } });
    const r = await roster();
    expect(((await api(CADRES, CADRES, admin)).body as { cadres: unknown[] }).cadres).toHaveLength(
      r.data.cadres.length,
    );
    for (const t of r.townships.keys()) expect((await api(TOWNSHIP, `/api/townships/${t}`, admin)).status).toBe(200);
    expect((await api(TOWNSHIP, '/api/townships/nowhere', admin)).status).toBe(404);
    expect((await api(MONTH, monthOf('nobody'), admin)).status).toBe(404);
    const post = await fetch(new URL(ME, app.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(post.status).not.toBe(200);
  });

  it('answers 400 for a malformed month', async () => {
    const jar = await signIn('LiXiaoYan');
    for (const m of ['2026-13', '2026-1', 'november', ''])
      expect((await api(MONTH, monthOf('LiXiaoYan', m), jar)).status, m).toBe(400);
    expect((await api(TOWNSHIP, '/api/townships/xintian?month=2026-00', { bearer: ADMIN_TOKEN })).status).toBe(400);
  });

  it('answers a month outside the term, past or future, with the figures as they stand', async () => {
    const admin = { bearer: ADMIN_TOKEN };
    for (const m of ['2020-01', '2026-04', '2027-05', '2030-12']) {
      const res = await api(MONTH, monthOf('LiXiaoYan', m), admin);
      expect(res.status, m).toBe(200);
      expect(res.body.month.month).toBe(m);
      expect((await api(TOWNSHIP, `/api/townships/xintian?month=${m}`, admin)).status, m).toBe(200);
    }
  });

  it('has every /api route the app registers in docs/openapi.yaml, and nothing more', () => {
    const routes = app.koa.middleware
      .flatMap((mw) => {
        const router = (mw as { router?: Router }).router;
        return router ? router.stack : [];
      })
      .filter((l) => typeof l.path === 'string' && l.path.startsWith('/api') && l.methods.length > 0)
      .flatMap((l) =>
        l.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${openApiPath(String(l.path))}`),
      );
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(routes.length).toBeGreaterThanOrEqual(4);
    expect(routes.sort()).toEqual(described.sort());
  });

  it('validates for real: an answer off the schema, or a status the file does not describe, fails the check', async () => {
    const me = await api(ME, ME, { bearer: ADMIN_TOKEN });
    expect(() => check(ME, 200, { ...me.body, extra: 1 })).toThrow(/additional properties/);
    expect(() => check(ME, 200, { ...me.body, scope: { ...me.body.scope, county: 'yes' } })).toThrow(/boolean/);
    expect(() => check(CADRES, 200, { cadres: [{ userid: 'x' }] })).toThrow(/required/);
    expect(() => check(ME, 404, { error: 'x' })).toThrow(/does not describe/);
  });
});
