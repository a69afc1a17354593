/**
 * The sandbox in a real browser, as a county IT officer would try it: the app started without WeCom
 * credentials, the sandbox page at /sandbox, and one story through the whole real path (signed, encrypted
 * callbacks; the outbox delivering to the fake WeCom; the check-in page through OAuth and the JS-SDK
 * stand-in). LiXiaoYan checks in inside her village from the card's check-in page and asks for a day's leave
 * with a quick button of her chat with the app (the group chat offers only neutral ones);
 * the township supervisor LiZhenHua approves it by clicking the card; the daily digest, run from the clock
 * panel, shows her on leave and today's 今日签到 line; back as LiXiaoYan, the approval has reached her, and a
 * day's leave for tomorrow is judged together with today's (two days: the sending unit approves too). The
 * organisation department sends an announcement to the whole county that was meant for one village, recalls
 * it (her chat then shows it withdrawn) and sends it again to 北堡村 after the preview. She raises a problem (问题),
 * which the township supervisor closes (办结), and she is told; the sending unit's deputy 刘雅琴 visits 北堡村
 * (到村), recorded through the check-in page inside the village's fence. In the seeded assessment round (考评) the
 * township supervisor prints 评议码 for 北堡村; a villager answers on the 评议 page in WeChat's browser on a phone
 * (a second use of the code is refused); the supervisor grades 李晓燕 on the rating card, which the organisation
 * department's 考评 shows; and 李晓燕's 我的积分 lists the half year's points behind her total.
 * Screenshots of each step go to test-results/screenshots/sandbox-*.png; the README's docs/screenshots/sandbox.png
 * is a copy of the last one (copied by hand, so that a test run never changes a tracked file).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { AnnounceRepo } from '../../src/announce/repo.js';
import { AssessRepo } from '../../src/assess/repo.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { loadEnv } from '../../src/config/env.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { ProblemRepo } from '../../src/problems/repo.js';
import { VisitRepo } from '../../src/visits/repo.js';
import { silentLogger } from '../../src/log.js';
import { Keys } from '../../src/redis/keys.js';
import { freePort } from '../global-setup.js';
import { launchBrowser } from '../helpers/browser.js';

import { until } from '../helpers/wait.js';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

/**
 * The story, with the robot (the township group's chat) on its callback `/wecom/bot` or on the long connection
 * (ZHUCUN_SANDBOX_CHANNEL=long-connection): the same steps and the same answers either way.
 */
export function sandboxStory(channel: 'callback' | 'long-connection'): void {
  /** The sandbox starts its simulated clock here (as a restart keeps it), so the seeded history ends on the 23rd. */
  const START = '2026-11-24T08:30:00+08:00';
  const keys = new Keys(`sbxstory${randomBytes(3).toString('hex')}`);
  // Screenshots of the callback run keep their names (the README's picture is copied from them).
  const prefix = channel === 'callback' ? 'sandbox' : 'sandbox-lc';
  let redis: Redis;
  let app: RunningApp;
  let browser: Browser;
  let page: Page;
  let leaveNo = '';
  /** The 评议码 the township supervisor printed for 北堡村, and the link of its 评议 page. */
  let codes: string[] = [];
  let reviewUrl = '';

  /** WeChat's in-app browser on an iPhone, where villagers open the 评议 page. */
  const WECHAT_UA =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/4G Language/zh_CN';

  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${prefix}-${name}.png` });
  const messages = () => page.locator('#messages');

  const NAMES: Record<string, string> = {
    LiXiaoYan: '李晓燕',
    LiZhenHua: '李振华',
    WuJianZhong: '武建中',
    LiuYaQin: '刘雅琴',
  };

  async function becomeAndOpen(userId: string, chat: 'app' | 'group'): Promise<void> {
    await page.selectOption('#person', userId);
    await page.locator('#me-line', { hasText: NAMES[userId]! }).waitFor();
    await page.locator(chat === 'app' ? '#tabs button[data-chat="app"]' : '#tabs button[data-chat^="group:"]').click();
    await page.locator(`#tabs button.active[data-chat${chat === 'app' ? '="app"' : '^="group:"'}]`).waitFor();
  }

  async function say(text: string): Promise<void> {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
  }

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    // A sandbox store prepared by hand: marked as one, so the sandbox accepts it (see config/store-kind).
    await redis.set(keys.storeKind(), 'sandbox');
    await redis.set(keys.sandboxClock(), String(Date.parse(START) - Date.now()));
    const env = loadEnv({
      ZHUCUN_SANDBOX: '1',
      ZHUCUN_SANDBOX_CHANNEL: channel,
      REDIS_URL: inject('redisUrl'),
      ZHUCUN_NAMESPACE: keys.ns,
      PORT: String(await freePort()),
    });
    app = await startApp(env, silentLogger);
    if (channel === 'long-connection') {
      await until(() => app.longConnection?.state === 'connected', 'the long connection', 20_000);
    }
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    for await (const batch of redis.scanStream({ match: `${keys.ns}:*`, count: 1000 }))
      if ((batch as string[]).length) await redis.del(...(batch as string[]));
    redis?.disconnect();
  });

  describe(`the sandbox story (${channel})`, () => {
    if (channel === 'long-connection') {
      it('has the robot on the long connection, with no robot callback route', async () => {
        expect(app.longConnection?.state).toBe('connected');
        expect((await fetch(`${app.url}/wecom/bot`, { method: 'POST', body: '<xml/>' })).status).toBe(404);
      });
    }

    it('LiXiaoYan, in her village at 08:40, checks in from the card in the township group', async () => {
      await page.goto(`${app.url}/sandbox`);
      await page.locator('#person optgroup').first().waitFor({ state: 'attached' });
      await becomeAndOpen('LiXiaoYan', 'group');
      // In the group only neutral quick messages: what 我的考勤 or a leave request answers is nobody else's business.
      await page.locator('#chips[data-kind="group"]').waitFor({ state: 'attached' });
      expect(await page.locator('#chips button').allTextContents()).toEqual(['帮助', '签到']);

      await page.fill('#clock-input', '2026-11-24T08:40');
      await page.click('#clock-set');
      await page.locator('#sim-now', { hasText: '2026年11月24日 周二 08:40' }).waitFor();
      await page.click('#places button[data-place="village:beibao"]');
      await page.locator('#loc-now', { hasText: '北堡村' }).waitFor();

      await say('签到');
      const card = messages().locator('.card[data-url]', { hasText: '驻村签到' });
      await card.waitFor();
      await expect(messages().locator('.msg.mine .bubble', { hasText: '@驻村助手 签到' }).count()).resolves.toBe(1);
      await shot('1-checkin-card');

      await card.click();
      const status = page.frameLocator('#browser-frame').locator('#status.ok');
      await status.waitFor();
      expect(await status.textContent()).toMatch(/^签到成功：08:4\d，北堡村（距村部 \d+ 米）。今天计为在村。/);
      await shot('2-checkin-page');
      const day = await new CheckinRepo(app.deps.redis, app.deps.keys).day('LiXiaoYan', '2026-11-24');
      expect(day.map((r) => [r.source, r.trust, r.counts])).toEqual([['page', 'verified', true]]);
      await page.click('#browser-close');
    });

    it('she asks for one day’s leave for today in her chat with the app', async () => {
      await page.locator('#tabs button[data-chat="app"]').click();
      await page.locator('#chips[data-kind="app"]').waitFor({ state: 'attached' });
      expect(await page.locator('#chips button').allTextContents()).toContain('我的考勤');
      await page.locator('#chips button', { hasText: '请假 事假 今天 家中有事' }).click();
      const reply = messages().locator('.msg.bot .bubble', { hasText: '已提交' });
      await reply.waitFor();
      leaveNo = /Q\d+/.exec((await reply.textContent()) ?? '')![0];
      await shot('3-leave-asked');
      // CreateTime followed the simulated clock, while the signature's timestamp (real time) passed the check.
      const request = await new LeaveRepo(app.deps.redis, app.deps.keys).get(leaveNo);
      expect(request).toMatchObject({ status: 'pending', start: '2026-11-24', end: '2026-11-24', days: 1 });
      expect(request!.createdAt.startsWith('2026-11-24T00:4')).toBe(true);
    });

    it('the township supervisor LiZhenHua sees the approval card and clicks 同意', async () => {
      await becomeAndOpen('LiZhenHua', 'app');
      const card = messages().locator('.card', { hasText: `请假审批 ${leaveNo}` });
      await card.waitFor();
      await card.locator('button', { hasText: '同意' }).click();
      await card.locator('.card-done', { hasText: '已同意' }).waitFor();
      await shot('4-leave-approved');
      expect(await new LeaveRepo(app.deps.redis, app.deps.keys).get(leaveNo)).toMatchObject({ status: 'approved' });
    });

    it('the daily digest, run from the clock panel, shows her on leave and today’s 今日签到 line', async () => {
      await page.click('#jobs button[data-job="daily-digest"]');
      await page.locator('#job-result', { hasText: '每日汇总' }).waitFor();
      const digest = messages().locator('.msg.bot .bubble.md', { hasText: '新田乡驻村干部日报' });
      await digest.first().waitFor();
      await messages().locator('.bubble.md', { hasText: '今日签到' }).first().waitFor();
      const leave = messages().locator('.bubble.md', {
        hasText: `李晓燕（北堡村）事假 11月24日（${leaveNo}）`,
      });
      await leave.waitFor();
      await leave.scrollIntoViewIfNeeded();
      await shot('5-daily-digest');
    });

    it('back as LiXiaoYan, the approval has reached her and 我的考勤 answers', async () => {
      await becomeAndOpen('LiXiaoYan', 'app');
      await messages()
        .locator('.msg.bot .bubble', { hasText: `您的请假 ${leaveNo}` })
        .filter({ hasText: '已批准' })
        .waitFor();
      await say('我的考勤');
      await messages().locator('.msg.bot .bubble', { hasText: '您的考勤 · 2026年11月（截至11月24日）' }).waitFor();
      await shot('6-conversation');
    });

    it('she asks for tomorrow too: judged with today’s leave, it needs the sending unit as well', async () => {
      await say('请假 事假 明天 家中有事');
      const reply = messages().locator('.msg.bot .bubble', { hasText: '连同' });
      await reply.waitFor();
      const no = /Q\d+/.exec((await reply.textContent()) ?? '')![0];
      expect(no).not.toBe(leaveNo);
      expect(await reply.textContent()).toContain(leaveNo);
      const request = await new LeaveRepo(app.deps.redis, app.deps.keys).get(no);
      expect(request).toMatchObject({ status: 'pending', start: '2026-11-25', end: '2026-11-25' });
      expect(request!.steps.map((st) => st.kind)).toEqual(['township', 'sending-unit']);
      await shot('7-merged-leave');
    });

    it('the organisation department recalls an announcement sent to the wrong audience, and sends it right', async () => {
      await becomeAndOpen('WuJianZhong', 'app');
      await say('通知 全县 今晚七点在北堡村村部开会，请准时参加');
      const preview = messages().locator('.card', { hasText: '通知预览' }).last();
      await preview.waitFor();
      expect(await preview.textContent()).toContain('全县');
      await preview.locator('button', { hasText: '确认发送' }).click();
      await preview.locator('.card-done', { hasText: '已发送' }).waitFor();
      const told = messages().locator('.msg.bot .bubble', { hasText: '已发给全县' }).last();
      await told.waitFor();
      const wrong = /N\d+/.exec((await told.textContent()) ?? '')![0];
      const announcements = new AnnounceRepo(app.deps.redis, app.deps.keys);
      expect((await announcements.get(wrong))?.recipients.length).toBeGreaterThan(20);

      await say(`撤回 ${wrong}`);
      await messages()
        .locator('.msg.bot .bubble', { hasText: `通知 ${wrong} 已撤回` })
        .waitFor();
      await say('通知 北堡村 今晚七点在村部开会，请准时参加');
      const again = messages().locator('.card', { hasText: '通知预览' }).last();
      await again.locator('.card-rows', { hasText: '北堡村' }).waitFor();
      await again.locator('button', { hasText: '确认发送' }).click();
      await again.locator('.card-done', { hasText: '已发送' }).waitFor();
      const [right] = await announcements.recentNumbers(1);
      expect((await announcements.get(right!))?.recipients).toEqual([
        'WangJianGuo',
        'LiXiaoYan',
        'ZhaoWenBo',
        'SunLiJuan',
      ]);
      expect((await announcements.get(wrong))?.withdrawnAt).toBeTruthy();
      await shot('8-announcement-recalled');

      // In her chat the wrong one says it was withdrawn; the right one is there to acknowledge.
      await becomeAndOpen('LiXiaoYan', 'app');
      await messages().locator('.bubble.recalled', { hasText: '发送人撤回了一条消息' }).waitFor();
      await messages().locator('.card', { hasText: '今晚七点在村部开会' }).waitFor();
      expect(await messages().locator('.card', { hasText: wrong }).count()).toBe(0);
      await shot('9-recipient-sees-recall');
    });

    it('a problem she raises reaches the township supervisor, who closes it; she is told the result', async () => {
      await say('问题 村东头机井坏了，三十多户浇地困难');
      const created = messages().locator('.msg.bot .bubble', { hasText: '问题已登记' });
      await created.waitFor();
      const no = /P\d+/.exec((await created.textContent()) ?? '')![0];
      await becomeAndOpen('LiZhenHua', 'app');
      await messages().locator('.msg.bot .bubble', { hasText: no }).filter({ hasText: '机井' }).first().waitFor();
      await say(`办结 ${no} 已联系县水利局修复机井，群众满意`);
      await messages()
        .locator('.msg.bot .bubble', { hasText: `问题 ${no} 已办结` })
        .waitFor();
      expect(await new ProblemRepo(app.deps.redis, app.deps.keys).get(no)).toMatchObject({
        status: 'closed',
        village: 'beibao',
      });
      await becomeAndOpen('LiXiaoYan', 'app');
      await messages()
        .locator('.msg.bot .bubble', { hasText: `【问题办结 ${no}】` })
        .waitFor();
      await shot('10-problem-closed');
    });

    it('the sending unit’s deputy visits 北堡村: 到村 links the check-in page, the visit is recorded in the fence', async () => {
      await becomeAndOpen('LiuYaQin', 'app');
      await page.click('#places button[data-place="village:beibao"]');
      await page.locator('#loc-now', { hasText: '北堡村' }).waitFor();
      await say('到村 北堡村 调研冬季取暖和机井维修');
      const link = messages()
        .locator('.msg.bot .bubble', { hasText: '用手机定位记录您到北堡村调研' })
        .last()
        .locator('a[href*="visit=beibao"]')
        .first();
      await link.waitFor();
      await link.click();
      const status = page.frameLocator('#browser-frame').locator('#status.ok');
      await status.waitFor();
      expect(await status.textContent()).toContain('已记录您到北堡村调研');
      await page.click('#browser-close');
      const visits = await new VisitRepo(app.deps.redis, app.deps.keys).ofVillage('beibao');
      expect(visits.find((v) => v.note === '调研冬季取暖和机井维修')).toMatchObject({
        userId: 'LiuYaQin',
        source: 'page',
      });
      await shot('11-visit');
    });

    it('in the seeded 考评, the township supervisor prints 评议码 for 北堡村', async () => {
      await becomeAndOpen('LiZhenHua', 'app');
      await say('评议码 北堡村 2');
      const reply = messages().locator('.msg.bot .bubble', { hasText: '北堡村评议码2个' }).last();
      await reply.waitFor();
      codes = [...((await reply.textContent()) ?? '').matchAll(/^\d+\. (\S+)$/gm)].map((m) => m[1]!);
      expect(codes).toHaveLength(2);
      reviewUrl = (await reply.locator('a[href$="/pingyi/beibao"]').getAttribute('href')) ?? '';
      expect(reviewUrl).toBe(`${app.url}/pingyi/beibao`);
      await shot('12-review-codes');
    });

    it('a villager answers on the 评议 page in WeChat on a phone; the same code again is refused', async () => {
      const phone = await browser.newContext({
        viewport: { width: 375, height: 667 },
        userAgent: WECHAT_UA,
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
        locale: 'zh-CN',
      });
      try {
        const villager = await phone.newPage();
        await villager.goto(reviewUrl);
        expect(await villager.locator('h1').textContent()).toBe('驻村干部群众评议');
        expect(await villager.locator('.sub').textContent()).toContain('李晓燕');
        expect(await villager.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        await villager.fill('#code', codes[0]!);
        await villager.check('input[value="满意"]');
        await villager.fill('#comment', '机井修好了，浇地不发愁了。');
        await villager.screenshot({ path: `${SHOTS}/${prefix}-13-review-page.png` });
        await villager.click('button[type=submit]');
        expect(await villager.locator('#done').textContent()).toBe('评议已提交，感谢您的参与！');
        await villager.screenshot({ path: `${SHOTS}/${prefix}-14-review-done.png` });

        await villager.goto(reviewUrl);
        await villager.fill('#code', codes[0]!);
        await villager.check('input[value="不满意"]');
        await villager.click('button[type=submit]');
        expect(await villager.locator('#error').textContent()).toBe('这个评议码已经用过了，每个评议码只能评议一次。');
      } finally {
        await phone.close();
      }
      const assess = new AssessRepo(app.deps.redis, app.deps.keys);
      const round = (await assess.current())!;
      expect((await assess.tallies(round.id)).get('beibao')?.page).toEqual({ 满意: 1, 基本满意: 0, 不满意: 0 });
      expect((await assess.codes(round.id)).filter((c) => c.answered).map((c) => c.answered)).toEqual([
        expect.objectContaining({ answer: '满意', comment: '机井修好了，浇地不发愁了。' }),
      ]);
    });

    it('the township supervisor grades 李晓燕 on her rating card; the organisation department’s 考评 shows it', async () => {
      await becomeAndOpen('LiZhenHua', 'app');
      const card = messages().locator('.card', { hasText: '考评评定：李晓燕' });
      await card.waitFor();
      await card.locator('button', { hasText: /^称职$/ }).click();
      // The clicked button replaces the four, as WeCom updates a button card.
      await card.locator('.card-done', { hasText: /^称职$/ }).waitFor();
      await shot('15-rating-card');
      const assess = new AssessRepo(app.deps.redis, app.deps.keys);
      const round = (await assess.current())!;
      expect((await assess.entry(round.id, 'LiXiaoYan'))?.ratings.township).toMatchObject({
        grade: '称职',
        by: 'LiZhenHua',
      });

      await becomeAndOpen('WuJianZhong', 'app');
      await say('考评');
      const progress = messages().locator('.msg.bot .bubble', { hasText: '2026年度驻村干部考评' }).last();
      await progress.waitFor();
      expect(await progress.textContent()).toMatch(/李晓燕：[^\n]*乡镇（街道）称职/);
    });

    it('back as LiXiaoYan, 我的积分 lists the half year’s points with the records behind them', async () => {
      await becomeAndOpen('LiXiaoYan', 'app');
      await say('我的积分');
      const reply = messages().locator('.msg.bot .bubble', { hasText: '您的积分' }).last();
      await reply.waitFor();
      const text = (await reply.textContent()) ?? '';
      expect(text).toContain('明细：');
      expect(text).not.toContain('这半年还没有计分的记录。');
      // The problem she raised and the township closed earlier in the story scores too.
      expect(text).toMatch(/问题P\d+已办结/);
      await shot('16-my-points');
    });
  });
}
