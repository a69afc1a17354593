/**
 * The villagers' 评议 page over HTTP and in Chromium at a phone's size with WeChat's user agent: one answer per
 * code, a reused code and an expired code refused with a Chinese page, and the answers counted for the village.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { once } from 'node:events';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessCommands } from '../../handlers/assess.js';
import { createReviewRouter } from '../../src/assess-page/routes.js';
import { createHttpApp, createHttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { launchBrowser } from '../helpers/browser.js';
import { testBot } from '../helpers/bot.js';
import { DAY } from '../helpers/clock.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const b = testBot(t, { commands: assessCommands, start: '2026-12-01T09:00:00+08:00' });
const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/4G Language/zh_CN';
let server: Server;
let url: string;
let browser: Browser;
mkdirSync('test-results/screenshots', { recursive: true });

beforeAll(async () => {
  await b.setup();
  const router = createReviewRouter({
    redis: t.redis,
    keys: t.keys,
    repo: b.deps.repos.assess,
    clock: b.clock,
    log: silentLogger,
    roster: b.deps.roster,
    publicUrl: 'http://127.0.0.1',
    rateLimit: { points: 1000, durationS: 60 },
  });
  const app = createHttpApp({
    log: silentLogger,
    routers: [router],
    readiness: { ping: async () => undefined, warnings: () => [], notServing: () => null },
  });
  server = createHttpServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

const post = (path: string, form: Record<string, string>) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

const codesOf = (text: string) => [...text.matchAll(/^\d+\. (\S+)$/gm)].map((m) => m[1]!);

describe('the 评议 page', () => {
  it('takes one answer per code in WeChat at phone size, refuses reuse and an expired code', async () => {
    expect(await b.ask('WuJianZhong', '考评 开始 2026年度考评 北堡村')).toContain('已开始');
    const codes = codesOf(await b.ask('LiZhenHua', '评议码 北堡村 3'));
    expect(codes).toHaveLength(3);
    const round = (await b.deps.repos.assess.current())!;

    // In Chromium as WeChat's in-app browser on a 375×667 phone.
    const ctx = await browser.newContext({
      viewport: { width: 375, height: 667 },
      userAgent: WECHAT_UA,
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const page = await ctx.newPage();
    await page.goto(`${url}/pingyi/beibao`);
    expect(await page.locator('h1').textContent()).toBe('驻村干部群众评议');
    expect(await page.locator('.sub').textContent()).toContain('王建国、李晓燕');
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.fill('#code', codes[0]!.toLowerCase());
    await page.check('input[value="基本满意"]');
    await page.fill('#comment', '修了路，希望多来几次。');
    await page.fill('#name', '张大爷');
    await page.screenshot({ path: 'test-results/screenshots/pingyi-form.png' });
    await page.click('button[type=submit]');
    expect(await page.locator('#done').textContent()).toBe('评议已提交，感谢您的参与！');
    await page.screenshot({ path: 'test-results/screenshots/pingyi-done.png' });

    // The same code again: refused, nothing counted twice.
    await page.goto(`${url}/pingyi/beibao`);
    await page.fill('#code', codes[0]!);
    await page.check('input[value="满意"]');
    await page.click('button[type=submit]');
    expect(await page.locator('#error').textContent()).toBe('这个评议码已经用过了，每个评议码只能评议一次。');
    // No choice made: the form comes back with the code kept.
    await page.goto(`${url}/pingyi/beibao`);
    await page.fill('#code', codes[1]!);
    await page.click('button[type=submit]');
    expect(await page.locator('#error').textContent()).toBe('请选择满意、基本满意或不满意。');
    expect(await page.inputValue('#code')).toBe(codes[1]);
    await ctx.close();

    const stored = (await b.deps.repos.assess.codes(round.id)).filter((c) => c.answered);
    expect(stored).toEqual([
      expect.objectContaining({
        village: 'beibao',
        answered: { answer: '基本满意', comment: '修了路，希望多来几次。', name: '张大爷', at: expect.any(String) },
      }),
    ]);
    // Codes are stored by their hash only.
    const raw = JSON.stringify(await t.redis.hgetall(t.keys.assessCodes(round.id)));
    for (const c of codes) expect(raw).not.toContain(c.replace('-', ''));

    // A wrong code, a code of another village's page.
    const wrong = await post('/pingyi/beibao', { code: 'ABCD-EFGHJK', answer: '满意' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('评议码不正确');

    // Past the policy's window (reviewDays): expired.
    b.clock.advance((b.deps.policy.assess.reviewDays + 1) * DAY);
    const expired = await post('/pingyi/beibao', { code: codes[1]!, answer: '满意' });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('评议已经结束，评议码已失效。');
    expect((await b.deps.repos.assess.tallies(round.id)).get('beibao')?.page).toEqual({
      满意: 0,
      基本满意: 1,
      不满意: 0,
    });

    // The QR code of the page's link.
    const qr = await fetch(`${url}/pingyi/beibao/qr.svg`);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
    expect((await fetch(`${url}/pingyi/nowhere`)).status).toBe(404);
  });
});
