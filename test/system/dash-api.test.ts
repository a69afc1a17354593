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
import ExcelJS from 'exceljs';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/log.js';
import { SANDBOX_APP } from '../../src/sandbox/config.js';
import { SANDBOX_USER_COOKIE } from '../../src/sandbox/wecom-side.js';
import { freePort } from '../global-setup.js';
import { MINUTE, SECOND, TestClock } from '../helpers/clock.js';
import { wecomPoster } from '../helpers/http-bot.js';
import { readAudit } from '../../src/audit/read.js';
import { loadRollup } from '../../src/rollup/service.js';
import type { Delivered } from '../../src/fakewecom/server.js';

const NS = `dash${randomBytes(3).toString('hex')}`;
const ADMIN_TOKEN = 'dash-api-admin-token';
const clock = new TestClock('2026-11-18T09:00:00+08:00');
let app: RunningApp;

interface OpenApi {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, unknown> }> }>
  >;
}
const doc = parse(readFileSync('docs/openapi.yaml', 'utf8')) as OpenApi;
// OpenAPI 3.1's schemas are JSON Schema 2020-12; the file's other keywords (paths, info) are not schema words.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(doc as object, 'api');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The OpenAPI path of a Koa pattern: `/api/cadres/:userid/month` → `/api/cadres/{userid}/month`. */
const openApiPath = (pattern: string) => pattern.replace(/:([A-Za-z]+)/g, '{$1}');

/** Validate a JSON answer against the file's schema for the operation and status; throws with ajv's errors. */
function check(pattern: string, status: number, body: unknown, method = 'get'): void {
  const op = doc.paths[openApiPath(pattern)]?.[method];
  expect(op, `${method} ${pattern} is not in docs/openapi.yaml`).toBeDefined();
  const response = op!.responses[String(status)];
  expect(response, `${pattern} answered ${status}, which docs/openapi.yaml does not describe`).toBeDefined();
  const base = response!.$ref
    ? response!.$ref.slice(1)
    : `/${pointer('paths', openApiPath(pattern), method, 'responses', String(status))}`;
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
  post?: { body?: unknown; headers?: Record<string, string> },
  // The answers are checked against the OpenAPI schemas; the tests then read their fields freely.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { ...post?.headers };
  if (auth instanceof Map) headers.cookie = cookieHeader(auth);
  else if (auth) headers.authorization = `Bearer ${auth.bearer}`;
  const init: RequestInit = { headers };
  if (post) {
    init.method = 'POST';
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(post.body ?? {});
  }
  const res = await fetch(new URL(path, app.url), init);
  const body: unknown = await res.json();
  check(pattern, res.status, body, post ? 'post' : 'get');
  return { status: res.status, body };
}

/** A POST from the dashboard's own page: JSON, with the CSRF header. */
const fromPage = (body?: unknown) => ({ body, headers: { 'x-requested-with': 'zhucun-dash' } });

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

describe("the pages' API by scope", () => {
  const COUNTY = '/api/county';
  const GROUP = '/api/groups/:id';
  const UNIT = '/api/units/:id';
  const VILLAGE = '/api/villages/:id';
  const YEAR = '/api/cadres/:userid/year';
  const roster = () => app.deps.roster.get();
  const unit = (name: string) => `/api/units/${encodeURIComponent(name)}`;
  const yearOf = (id: string) => `/api/cadres/${encodeURIComponent(id)}/year?year=2026`;

  it('refuses every new page without a session, or with one idle too long', async () => {
    const paths: [string, string][] = [
      [COUNTY, COUNTY],
      [GROUP, '/api/groups/xintian-team'],
      [UNIT, unit('县财政局')],
      [VILLAGE, '/api/villages/beibao'],
      [YEAR, yearOf('LiXiaoYan')],
      ['/api/announcements', '/api/announcements'],
      ['/api/approvals', '/api/approvals'],
      ['/api/outbox/failed', '/api/outbox/failed'],
      ['/api/audit', '/api/audit'],
      ['/api/downloads', '/api/downloads'],
    ];
    const jar = await signIn('WuJianZhong');
    clock.advance((app.deps.policy.dashboard.sessionIdleMinutes + 1) * MINUTE);
    for (const [pattern, path] of paths) {
      expect((await api(pattern, path, undefined)).status, path).toBe(401);
      expect((await api(pattern, path, jar)).status, path).toBe(401);
    }
  });

  it('gives the organisation department the county with the figures of 全县考勤, townships in roster order', async () => {
    const jar = await signIn('WuJianZhong');
    const r = await roster();
    const county = await api(COUNTY, `${COUNTY}?month=2026-11`, jar);
    expect(county.status).toBe(200);
    const all = [...r.townships.keys()];
    expect(county.body.townships.map((t: { counts: { id: string } }) => t.counts.id)).toEqual(all);
    const rollup = await loadRollup(app.deps, r, { county: true, townships: all }, '2026-11', clock.now());
    expect(county.body.total).toEqual(rollup.total);
    expect(county.body.townships.map((t: { counts: unknown }) => t.counts)).toEqual(rollup.townships);
    // Machine access reads it too; nobody below the county does.
    expect((await api(COUNTY, COUNTY, { bearer: ADMIN_TOKEN })).status).toBe(200);
    for (const who of ['LiZhenHua', 'DuHongWei', 'WangJianGuo', 'LiXiaoYan'])
      expect((await api(COUNTY, COUNTY, await signIn(who))).status, who).toBe(403);
  });

  it("shows a township supervisor their township's cadres, villages and work groups, and none of another's", async () => {
    const jar = await signIn('LiZhenHua');
    const r = await roster();
    const own = await api(TOWNSHIP, '/api/townships/xintian', jar);
    expect(own.status).toBe(200);
    const today = '2026-11-18';
    const inPost = r.cadresOfTownship('xintian').filter((c) => c.termStart <= today && today <= c.termEnd);
    expect(own.body.cadres.map((c: { cadre: { userid: string } }) => c.cadre.userid)).toEqual(
      inPost.map((c) => c.userid),
    );
    const elsewhere = [...r.villages.values()].find((v) => v.township === 'fengcheng')!;
    expect((await api(VILLAGE, '/api/villages/beibao', jar)).status).toBe(200);
    expect((await api(VILLAGE, `/api/villages/${elsewhere.id}`, jar)).status).toBe(403);
    expect((await api(VILLAGE, '/api/villages/nowhere', jar)).status).toBe(403);
    for (const g of r.workGroupsOfTownship('xintian'))
      expect((await api(GROUP, `/api/groups/${g.id}`, jar)).status).toBe(200);
    for (const g of r.workGroupsOfTownship('fengcheng'))
      expect((await api(GROUP, `/api/groups/${g.id}`, jar)).status).toBe(403);
    expect((await api(YEAR, yearOf('ZhouMingHui'), jar)).status).toBe(403);
    expect((await api(UNIT, unit('县财政局'), jar)).status).toBe(403);
    expect((await api('/api/outbox/failed', '/api/outbox/failed', jar)).status).toBe(403);
    expect((await api('/api/audit', '/api/audit', jar)).status).toBe(403);
  });

  it("shows a sending unit its own cadres wherever they serve, and not another unit's", async () => {
    const jar = await signIn('DuHongWei');
    const r = await roster();
    const page = await api(UNIT, unit('县财政局'), jar);
    expect(page.status).toBe(200);
    const ids = page.body.cadres.map((c: { cadre: { userid: string; unit: string } }) => c.cadre.userid);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(r.cadres.get(id)!.sendingUnit).toBe('县财政局');
    expect(page.body.rollup.cadres).toBeGreaterThan(0);
    expect((await api(UNIT, unit('县人社局'), jar)).status).toBe(403);
    expect((await api(YEAR, yearOf('LiXiaoYan'), jar)).status).toBe(200);
    expect((await api(YEAR, yearOf('ZhaoWenBo'), jar)).status).toBe(403); // 县人社局, same village
    expect((await api(UNIT, unit('没有这个单位'), { bearer: ADMIN_TOKEN })).status).toBe(404);
  });

  it('shows a 领队 their work group only', async () => {
    const jar = await signIn('WangJianGuo');
    const r = await roster();
    const page = await api(GROUP, '/api/groups/xintian-team', jar);
    expect(page.status).toBe(200);
    expect(page.body.cadres.map((c: { cadre: { userid: string } }) => c.cadre.userid)).toEqual(
      r.cadresOfWorkGroup('xintian-team').map((c) => c.userid),
    );
    const other = r.workGroupsOfTownship('xintian').find((g) => g.id !== 'xintian-team')!;
    expect((await api(GROUP, `/api/groups/${other.id}`, jar)).status).toBe(403);
    expect((await api(VILLAGE, `/api/villages/${other.villages[0]}`, jar)).status).toBe(403);
    expect((await api(YEAR, yearOf('MaJunJie'), jar)).status).toBe(403);
  });

  it('shows a cadre their own year, their village, and nothing else', async () => {
    const jar = await signIn('LiXiaoYan');
    const year = await api(YEAR, yearOf('LiXiaoYan'), jar);
    expect(year.status).toBe(200);
    expect(year.body.days).toHaveLength(365);
    // The heat-map agrees with the month's accounting: the month's present check-in days are present there.
    const month = await api(MONTH, '/api/cadres/LiXiaoYan/month?month=2026-11', jar);
    for (const d of month.body.month.days as { date: string; mark: string }[])
      if (d.mark === 'present')
        expect(
          year.body.days.find((x: { date: string }) => x.date === d.date).present ||
            year.body.days.find((x: { date: string }) => x.date === d.date).leave,
          d.date,
        ).toBeTruthy();
    expect(year.body.month.month).toEqual(month.body.month);
    expect((await api(VILLAGE, '/api/villages/beibao', jar)).status).toBe(200);
    expect((await api(YEAR, yearOf('WangJianGuo'), jar)).status).toBe(403);
    expect((await api(GROUP, '/api/groups/xintian-team', jar)).status).toBe(403);
    expect((await api(YEAR, '/api/cadres/LiXiaoYan/year?year=26', jar)).status).toBe(400);
  });

  it('gives a village its four contacts and its problems', async () => {
    const r = await roster();
    const village = await api(VILLAGE, '/api/villages/beibao', { bearer: ADMIN_TOKEN });
    expect(village.status).toBe(200);
    const contacts = r.contactsOf('beibao');
    expect(village.body.contacts).toHaveLength(contacts ? 4 : 0);
    expect(village.body.cadres.map((c: { userid: string }) => c.userid)).toEqual(
      r.data.cadres.filter((c) => c.village === 'beibao').map((c) => c.userid),
    );
  });

  it('lists announcements with read counts within the scope', async () => {
    const org = await api('/api/announcements', '/api/announcements', await signIn('WuJianZhong'));
    expect(org.status).toBe(200);
    const mine = await api('/api/announcements', '/api/announcements', await signIn('LiZhenHua'));
    const r = await roster();
    const xintian = new Set(r.cadresOfTownship('xintian').map((c) => c.userid));
    for (const a of org.body.announcements as { no: string; recipients: number; read: number }[]) {
      const detail = await api('/api/announcements/:id', `/api/announcements/${a.no}`, { bearer: ADMIN_TOKEN });
      expect(detail.body.readBy.length + detail.body.unread.length).toBe(a.recipients);
      expect(detail.body.readBy.length).toBe(a.read);
      const theirs = (mine.body.announcements as { no: string }[]).find((m) => m.no === a.no);
      if (!theirs) continue;
      const scoped = await api('/api/announcements/:id', `/api/announcements/${a.no}`, await signIn('LiZhenHua'));
      for (const u of [
        ...scoped.body.readBy.map((x: { userid: string }) => x.userid),
        ...scoped.body.unread.map((x: { id: string }) => x.id),
      ])
        expect(xintian.has(u), u).toBe(true);
    }
    expect((await api('/api/announcements/:id', '/api/announcements/N999999', { bearer: ADMIN_TOKEN })).status).toBe(
      404,
    );
  });
});

describe('approvals from the dashboard', () => {
  const APPROVALS = '/api/approvals';
  const APPROVE = '/api/approvals/:id/approve';
  const REJECT = '/api/approvals/:id/reject';
  let msgId = 9_100_000_000;

  /** A text message in the app's chat, as WeCom posts it; the passive reply's text. */
  async function say(userId: string, text: string): Promise<string> {
    clock.advance(SECOND);
    const reply = await wecomPoster(app.url).app({
      ToUserName: SANDBOX_APP.corpId,
      FromUserName: userId,
      CreateTime: Math.floor(clock.time / 1000),
      MsgType: 'text',
      Content: text,
      MsgId: String(++msgId),
      AgentID: Number(SANDBOX_APP.agentId),
    });
    return String(reply!.Content);
  }

  function delivered(match: (d: Delivered) => boolean, timeoutMs = 20_000): Promise<Delivered> {
    const fake = app.fake!;
    const found = fake.sent().find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        fake.events.off('sent', on);
        reject(new Error('not delivered'));
      }, timeoutMs);
      const on = (d: Delivered) => {
        if (!match(d)) return;
        clearTimeout(timer);
        fake.events.off('sent', on);
        resolve(d);
      };
      fake.events.on('sent', on);
    });
  }
  const textTo = (userid: string, includes: string) => (d: Delivered) =>
    d.msgtype === 'text' &&
    d.to.includes(userid) &&
    ((d.payload.text as { content?: string } | undefined)?.content ?? '').includes(includes);

  it('approves one step and rejects the next as 同意/驳回 do: the leave changes, the cadre hears, the trail records', async () => {
    const reply = await say('LiXiaoYan', '请假 事假 11月25日至26日 家中有事');
    const no = /Q\d+/.exec(reply)![0];
    const township = await signIn('LiZhenHua');
    const waiting = await api(APPROVALS, APPROVALS, township);
    expect(waiting.body.approvals.map((a: { no: string }) => a.no)).toContain(no);
    expect((await api(APPROVALS, APPROVALS, await signIn('ZhouMingHui'))).body.approvals).toEqual([]);

    // Refused: no CSRF header, another origin, the admin token, someone whose step it is not.
    const path = `/api/approvals/${no}/approve`;
    expect((await api(APPROVE, path, township, { body: {} })).status).toBe(403);
    expect(
      (await api(APPROVE, path, township, { headers: { ...fromPage().headers, origin: 'https://evil.example' } }))
        .status,
    ).toBe(403);
    expect((await api(APPROVE, path, { bearer: ADMIN_TOKEN }, fromPage())).status).toBe(403);
    expect((await api(APPROVE, path, await signIn('WuJianZhong'), fromPage())).status).toBe(409);
    expect((await app.deps.repos.leave.get(no))!.steps[0]!.decision).toBeUndefined();

    const approved = await api(APPROVE, path, township, fromPage({ comment: '同意' }));
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ no, decision: 'approved', status: 'pending' });
    const after = (await app.deps.repos.leave.get(no))!;
    expect(after.steps[0]).toMatchObject({ decision: 'approved', by: 'LiZhenHua', comment: '同意' });
    expect((await api(APPROVE, path, township, fromPage())).status).toBe(409); // decided already

    // The next step's approver rejects with a reason; a rejection without one is refused.
    const next = after.steps[1]!.approvers[0]!;
    const unitJar = await signIn(next);
    expect((await api(APPROVALS, APPROVALS, unitJar)).body.approvals.map((a: { no: string }) => a.no)).toContain(no);
    expect((await api(REJECT, `/api/approvals/${no}/reject`, unitJar, fromPage({}))).status).toBe(400);
    const rejected = await api(REJECT, `/api/approvals/${no}/reject`, unitJar, fromPage({ reason: '工作紧要' }));
    expect(rejected.body).toMatchObject({ no, decision: 'rejected', status: 'rejected' });
    expect((await app.deps.repos.leave.get(no))!.status).toBe('rejected');
    // The cadre hears it as the chat command tells it, with the reason.
    await delivered(textTo('LiXiaoYan', '工作紧要'));
    const trail = await readAudit(app.deps.redis, app.deps.keys, { kinds: ['leave.approve', 'leave.reject'] });
    const ours = trail.entries.filter((e) => e.ref === no);
    expect(ours.map((e) => [e.kind, e.actor, e.channel, e.subject])).toEqual([
      ['leave.approve', 'LiZhenHua', 'dashboard', 'LiXiaoYan'],
      ['leave.reject', next, 'dashboard', 'LiXiaoYan'],
    ]);
    expect((await api(REJECT, '/api/approvals/Q99999/reject', unitJar, fromPage({ reason: 'x' }))).status).toBe(404);
  });
});

describe('downloads, sending them to WeCom, the trail and the outbox', () => {
  const AUDIT = '/api/audit';
  const roster = () => app.deps.roster.get();

  it("gives a township supervisor a sheet of their township's cadres only, and records it", async () => {
    const jar = await signIn('LiZhenHua');
    const r = await roster();
    const list = await api('/api/downloads', '/api/downloads', jar);
    expect(list.body.downloads.map((d: { kind: string }) => d.kind)).toEqual(['sheet']);
    const res = await fetch(new URL('/api/downloads/sheet?month=2026-11', app.url), {
      headers: { cookie: cookieHeader(jar) },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const text = new Set<string>();
    wb.worksheets[0]!.eachRow((row) => row.eachCell((cell) => text.add(String(cell.value))));
    const month = (c: { termStart: string; termEnd: string }) =>
      c.termStart <= '2026-11-30' && c.termEnd >= '2026-11-01';
    for (const c of r.cadresOfTownship('xintian').filter(month)) expect(text.has(c.name), c.name).toBe(true);
    const others = r.data.cadres.filter((c) => r.villageOf(c).township !== 'xintian');
    expect(others.length).toBeGreaterThan(0);
    for (const c of others) expect(text.has(c.name), c.name).toBe(false);
    const trail = await readAudit(app.deps.redis, app.deps.keys, { kinds: ['export.sheet'], users: ['LiZhenHua'] });
    expect(trail.entries.at(-1)).toMatchObject({ actor: 'LiZhenHua', channel: 'dashboard', ref: '2026-11' });
    // The 通报 draft is the organisation department's.
    const draft = await fetch(new URL('/api/downloads/report-draft?month=2026-11', app.url), {
      headers: { cookie: cookieHeader(jar) },
    });
    expect(draft.status).toBe(403);
  });

  it('gives the organisation department the 通报 draft, and sends the sheet as a WeCom file message', async () => {
    const jar = await signIn('WuJianZhong');
    const draft = await fetch(new URL('/api/downloads/report-draft?month=2026-11', app.url), {
      headers: { cookie: cookieHeader(jar) },
    });
    expect(draft.status).toBe(200);
    expect(
      Buffer.from(await draft.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const SEND = '/api/downloads/:kind/send';
    expect((await api(SEND, '/api/downloads/sheet/send?month=2026-11', jar, { body: {} })).status).toBe(403);
    expect((await api(SEND, '/api/downloads/sheet/send', { bearer: ADMIN_TOKEN }, fromPage())).status).toBe(403);
    const sent = await api(SEND, '/api/downloads/sheet/send?month=2026-11', jar, fromPage());
    expect(sent.status).toBe(202);
    const fake = app.fake!;
    const file = await new Promise<Delivered>((resolve, reject) => {
      const match = (d: Delivered) => d.msgtype === 'file' && d.to.includes('WuJianZhong');
      const found = fake.sent().find(match);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error('no file message')), 20_000);
      const on = (d: Delivered) => {
        if (!match(d)) return;
        clearTimeout(timer);
        fake.events.off('sent', on);
        resolve(d);
      };
      fake.events.on('sent', on);
    });
    expect(file.channel).toBe('app');
    const trail = await readAudit(app.deps.redis, app.deps.keys, { kinds: ['export.send'] });
    expect(trail.entries.at(-1)).toMatchObject({ actor: 'WuJianZhong', channel: 'dashboard', ref: '2026-11' });
  });

  it('pages the audit trail newest first for the organisation department, sign-ins included', async () => {
    const jar = await signIn('WuJianZhong');
    const first = await api(AUDIT, `${AUDIT}?limit=2`, jar);
    expect(first.body.entries).toHaveLength(2);
    expect(first.status).toBe(200);
    const all = (await readAudit(app.deps.redis, app.deps.keys)).entries;
    const pages: { id: string; kind: string; actor: string }[] = [...first.body.entries];
    let next = first.body.next as string | null;
    for (let i = 0; next !== null && i < 400; i++) {
      const page = await api(AUDIT, `${AUDIT}?limit=50&before=${next}`, jar);
      pages.push(...page.body.entries);
      next = page.body.next;
    }
    // Every action once, across the pages; the sign-in among them.
    expect(pages).toContainEqual(expect.objectContaining({ kind: 'dash.signin', actor: 'WuJianZhong' }));
    expect(pages.map((e) => e.id).sort()).toEqual(all.map((e) => e.id).sort());
    expect((await api(AUDIT, `${AUDIT}?limit=0`, jar)).status).toBe(400);
    expect((await api(AUDIT, `${AUDIT}?before=yesterday`, jar)).status).toBe(400);
    const failed = await api('/api/outbox/failed', '/api/outbox/failed', jar);
    expect(failed.status).toBe(200);
  });
});
