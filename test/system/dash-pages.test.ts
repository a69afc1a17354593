/**
 * The dashboard's pages in a real browser on the sandbox app: each person signs in through the sandbox's fake
 * WeCom OAuth (/dash/login) and sees what their role lets them see: the organisation department the county's
 * townships, a township supervisor only their township (another township's page is refused), a sending unit
 * only its cadres, a cadre only their own page with the year's calendar heat-map. The township supervisor
 * approves a pending leave in the page; the organisation department downloads the month's sheet (an xlsx) and
 * has it sent as a WeCom file message. The first view's bytes over the wire with a cold cache stay under
 * 300 KB (CDP's encodedDataLength), the browser files come hashed, precompressed and immutable, and the pages
 * carry a CSP of only this site. Screenshots at phone (390×844) and desktop (1366×900) sizes go to
 * test-results/screenshots/dash-*.png; docs/screenshots/dash-*.png are copies (made by hand, so that a test run
 * never changes a tracked file).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import JSZip from 'jszip';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadEnv } from '../../src/config/env.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { silentLogger } from '../../src/log.js';
import { Keys } from '../../src/redis/keys.js';
import { SANDBOX_USER_COOKIE } from '../../src/sandbox/wecom-side.js';
import { freePort } from '../global-setup.js';
import { launchBrowser } from '../helpers/browser.js';
import { until } from '../helpers/wait.js';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });
const START = '2026-11-24T10:00:00+08:00';
const keys = new Keys(`dashui${randomBytes(3).toString('hex')}`);
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const KB = 1024;

let redis: Redis;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  await redis.set(keys.storeKind(), 'sandbox');
  await redis.set(keys.sandboxClock(), String(Date.parse(START) - Date.now()));
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: keys.ns,
    PORT: String(await freePort()),
  });
  app = await startApp(env, silentLogger);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  for await (const batch of redis.scanStream({ match: `${keys.ns}:*`, count: 1000 }))
    if ((batch as string[]).length) await redis.del(...(batch as string[]));
  redis?.disconnect();
});

/** A fresh browser (cold cache, no cookies) as `userid`, signed in through the sandbox's WeCom OAuth. */
async function signedIn(
  userid: string,
  viewport = DESKTOP,
): Promise<{ ctx: BrowserContext; page: Page; firstViewBytes: number }> {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const { hostname } = new URL(app.url);
  await ctx.addCookies([{ name: SANDBOX_USER_COOKIE, value: userid, domain: hostname, path: '/' }]);
  const page = await ctx.newPage();
  page.on('pageerror', (err) => console.error(`page error on ${page.url()}: ${err.message}`));
  // Bytes over the wire, as the network saw them (headers and compressed bodies), from the sign-in on.
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
  await page.goto(`${app.url}/dash/login`);
  // WeCom's authorize URL ends in #wechat_redirect, which the redirects carry along.
  await page.waitForURL((u) => u.pathname === '/dash');
  await ready(page);
  // Whatever the first view loads lazily (the chart module on a cadre's page) has finished too.
  await page.waitForLoadState('networkidle');
  return { ctx, page, firstViewBytes: bytes };
}

/** The page's code has filled `<main>` (data-ready is 1, or the status of the API's refusal). */
async function ready(page: Page): Promise<string> {
  await page.locator('main#app[data-ready]').waitFor();
  return (await page.locator('main#app').getAttribute('data-ready'))!;
}

async function open(page: Page, path: string): Promise<string> {
  await page.goto(`${app.url}${path}`);
  return ready(page);
}

const navLabels = (page: Page) => page.locator('#nav a').allTextContents();
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/dash-${name}.png`, fullPage: false });

describe('the dashboard pages', () => {
  it('shows the organisation department the county: every township, no ranking, under 300 KB cold', async () => {
    const { ctx, page, firstViewBytes } = await signedIn('WuJianZhong');
    expect(await page.locator('h1').textContent()).toBe('全县驻村考勤');
    const townships = await page.locator('#townships tbody tr td:first-child').allTextContents();
    expect(townships).toEqual(['新田乡', '凤城乡', '高村乡']);
    expect(await navLabels(page)).toEqual(
      expect.arrayContaining([
        '全县',
        '新田乡',
        '凤城乡',
        '高村乡',
        '通知公告',
        '待我审批',
        '下载',
        '发送失败的消息',
        '操作记录',
      ]),
    );
    expect(await page.locator('#who').textContent()).toContain('武建中');
    expect(firstViewBytes).toBeGreaterThan(0);
    expect(firstViewBytes).toBeLessThan(300 * KB);
    console.log(`first view (organisation department, county): ${(firstViewBytes / KB).toFixed(1)} KB`);
    await shot(page, 'county-desktop');
    await page.setViewportSize(PHONE);
    await shot(page, 'county-phone');

    // A township's page from the county, and the department's own lists.
    await page.setViewportSize(DESKTOP);
    expect(await open(page, '/dash/townships/xintian')).toBe('1');
    // Headings and coded values in Chinese: notice kinds and open cases as the chat names them.
    expect((await page.locator('main th').allTextContents()).filter((t) => /[a-z]/i.test(t))).toEqual([]);
    expect(await page.locator('main').innerText()).not.toMatch(/\b(open|rectify|warn|remind)\b/);
    expect(await page.locator('#cadres tbody tr').count()).toBeGreaterThan(0);
    await shot(page, 'township-desktop');
    expect(await open(page, '/dash/outbox')).toBe('1');
    expect(await open(page, '/dash/audit')).toBe('1');
    expect(await page.locator('h2#s-entries').count()).toBe(1);
    // 更早的记录 follows the API's cursor, there exactly when the trail goes on.
    const next = await page.evaluate(
      async () => ((await (await fetch('/api/audit')).json()) as { next: string | null }).next,
    );
    expect(await page.locator('#older').count()).toBe(next ? 1 : 0);
    if (next) {
      await page.locator('#older').click();
      await page.waitForURL((u) => u.searchParams.get('before') === next);
      expect(await ready(page)).toBe('1');
    }
    await shot(page, 'audit-desktop');
    // An announcement's number opens who read it and who not, within the scope.
    expect(await open(page, '/dash/announcements')).toBe('1');
    await page.locator('main a[href^="/dash/announcements/"]').first().click();
    await page.waitForURL((u) => /^\/dash\/announcements\/N\d+$/.test(u.pathname));
    expect(await ready(page)).toBe('1');
    expect(await page.locator('#read-line').textContent()).toMatch(/^本范围内\d+人收到，已读\d+人。$/);
    expect(await page.locator('main h2').allTextContents()).toEqual(['未读', '已读']);
    await ctx.close();
  }, 120_000);

  it('shows a township supervisor their township only, and refuses another township', async () => {
    const { ctx, page } = await signedIn('LiZhenHua', PHONE);
    expect(await page.locator('h1').textContent()).toBe('新田乡');
    const nav = await navLabels(page);
    expect(nav).toContain('新田乡');
    expect(nav).not.toContain('全县');
    expect(nav).not.toContain('凤城乡');
    expect(nav).not.toContain('发送失败的消息');
    const villages = new Set(await page.locator('#cadres tbody tr td:nth-child(2)').allTextContents());
    // 南庄村 has no cadre in post on the sample roster.
    expect([...villages].sort()).toEqual(['北堡村', '柳河村', '牛村'].sort());
    await shot(page, 'township-phone');

    const other = await page.goto(`${app.url}/dash/townships/fengcheng`);
    expect(other!.status()).toBe(403);
    expect(await page.locator('body').textContent()).toContain('无权查看');
    expect((await page.request.get(`${app.url}/api/townships/fengcheng`)).status()).toBe(403);
    expect((await page.goto(`${app.url}/dash/county`))!.status()).toBe(403);
    expect((await page.goto(`${app.url}/dash/outbox`))!.status()).toBe(403);
    await ctx.close();
  }, 120_000);

  it('shows a sending unit only its own cadres', async () => {
    const { ctx, page } = await signedIn('DuHongWei');
    expect(await page.locator('h1').textContent()).toBe('县财政局');
    const units = new Set(await page.locator('#cadres tbody tr td:nth-child(3)').allTextContents());
    expect([...units]).toEqual(['县财政局']);
    const names = await page.locator('#cadres tbody tr td:first-child').allTextContents();
    expect(names.sort()).toEqual(['王建国', '李晓燕', '邓国庆'].sort());
    expect((await page.goto(`${app.url}/dash/units/${encodeURIComponent('县人社局')}`))!.status()).toBe(403);
    expect((await page.goto(`${app.url}/dash/cadres/ZhaoWenBo`))!.status()).toBe(403);
    expect(await open(page, '/dash/cadres/LiXiaoYan')).toBe('1');
    await page.goto(`${app.url}/dash`);
    await ready(page);
    await shot(page, 'unit-desktop');
    await ctx.close();
  }, 120_000);

  it('shows a cadre only their own page: the year calendar heat-map and the month forecast', async () => {
    const { ctx, page, firstViewBytes } = await signedIn('LiXiaoYan', PHONE);
    expect(await page.locator('h1').textContent()).toBe('李晓燕');
    await page.locator('#calendar[data-drawn="1"] canvas').first().waitFor();
    expect(await page.locator('#forecast').textContent()).toMatch(/^本月已在岗\d+天/);
    expect(await navLabels(page)).toEqual(['我的考勤', '通知公告', '待我审批', '下载']);
    // The chart module is loaded here, and the first view with it still fits.
    expect(firstViewBytes).toBeLessThan(300 * KB);
    console.log(`first view (cadre, with the calendar chart): ${(firstViewBytes / KB).toFixed(1)} KB`);
    // 六个一 and 积分 as the chat names them, never the API's field names.
    expect(await page.locator('#six-ones').textContent()).toMatch(/^任职首月（.+）已完成\d\/6项。$/);
    expect(await page.locator('main').innerText()).toContain('走访全村农户一遍');
    expect(await page.locator('#points').textContent()).toMatch(/共-?\d+分。$/);
    expect((await page.locator('main th').allTextContents()).filter((t) => /[a-z]/i.test(t))).toEqual([]);
    await shot(page, 'cadre-phone');
    await page.setViewportSize(DESKTOP);
    await page.reload();
    await page.locator('#calendar[data-drawn="1"] canvas').first().waitFor();
    await shot(page, 'cadre-desktop');
    expect((await page.goto(`${app.url}/dash/cadres/ZhaoWenBo`))!.status()).toBe(403);
    expect((await page.goto(`${app.url}/dash/townships/xintian`))!.status()).toBe(403);
    await ctx.close();
  }, 120_000);

  it('lets the township supervisor approve a pending leave in the page', async () => {
    // LiXiaoYan asks for a day's leave through the sandbox's chat; it waits on her township.
    const ask = await fetch(`${app.url}/sandbox/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SANDBOX_USER_COOKIE}=LiXiaoYan`, origin: app.url },
      body: JSON.stringify({ chat: 'app', text: '请假 事假 明天 家中有事' }),
    });
    expect(ask.status).toBe(200);
    const leaves = new LeaveRepo(app.deps.redis, app.deps.keys);
    let no = '';
    await until(async () => {
      const mine = (await leaves.ofUser('LiXiaoYan')).filter((l) => l.status === 'pending');
      no = mine[0]?.no ?? '';
      return no !== '';
    }, 'LiXiaoYan’s leave request');

    const { ctx, page } = await signedIn('LiZhenHua', PHONE);
    expect(await open(page, '/dash/approvals')).toBe('1');
    const approve = page.locator(`button[data-approve="${no}"]`);
    await approve.waitFor();
    await shot(page, 'approvals-phone');
    await approve.click();
    await page.locator('td', { hasText: '已同意。' }).waitFor();
    // A day's leave is the township's to decide: approved, by the supervisor who pressed 同意.
    const decided = await leaves.get(no);
    expect(decided?.status).toBe('approved');
    expect(decided?.steps.find((s) => s.by === 'LiZhenHua')?.decision).toBe('approved');
    await ctx.close();
  }, 120_000);

  it('downloads the month’s sheet as an xlsx and sends it to the person’s WeCom as a file', async () => {
    const { ctx, page } = await signedIn('WuJianZhong', PHONE);
    expect(await open(page, '/dash/downloads')).toBe('1');
    await shot(page, 'downloads-phone');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-download="sheet"]')]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const zip = await JSZip.loadAsync(bytes);
    expect(await zip.file('[Content_Types].xml')!.async('string')).toContain('spreadsheetml');

    const before = app.fake!.sent('app').filter((d) => d.msgtype === 'file').length;
    await page.click('button[data-send="sheet"]');
    await page.locator('#result .notice.ok').waitFor({ timeout: 90_000 });
    await until(
      () => app.fake!.sent('app').filter((d) => d.msgtype === 'file' && d.to.includes('WuJianZhong')).length > before,
      'the sheet as a WeCom file message',
    );
    await ctx.close();
  }, 120_000);

  it('serves the browser files hashed, precompressed and immutable, and the pages with a CSP of this site only', async () => {
    const jar = await browser.newContext();
    const { hostname } = new URL(app.url);
    await jar.addCookies([{ name: SANDBOX_USER_COOKIE, value: 'WuJianZhong', domain: hostname, path: '/' }]);
    const page = await jar.newPage();
    const res = await page.goto(`${app.url}/dash/login`);
    const headers = res!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['cache-control']).toBe('no-store');
    const html = await res!.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>|<style|\son\w+=/);
    const script = html.match(/src="(\/dash\/assets\/dash-[A-Z0-9]+\.js)"/)![1]!;
    for (const encoding of ['br', 'gzip']) {
      const asset = await fetch(`${app.url}${script}`, { headers: { 'accept-encoding': encoding } });
      expect(asset.headers.get('content-encoding')).toBe(encoding);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${app.url}/dash/assets/dash-NOPE.js`)).status).toBe(404);
    // Without a session a page goes to signing in.
    const anon = await fetch(`${app.url}/dash/county`, { redirect: 'manual' });
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/dash');
    await jar.close();
  });
});
