/**
 * One leave from request to 销假 through the real HTTP endpoints: the app started in sandbox mode, every
 * callback signed and encrypted as WeCom sends it, and every message the bot sends observed at the fake WeCom
 * after the real outbox worker delivered it. A three-day 事假 of LiXiaoYan (北堡村, 新田乡, 县财政局) goes to the
 * township supervisors, then to the sending-unit leader, both deciding by clicking the card; the leave is then
 * active, and 销假 one day early gives the last day back to the attendance figures and tells the approvers. A
 * one-day 事假 after it is joined to it and judged on the three days together.
 */
import { randomBytes } from 'node:crypto';
import { unitSummaryWhy } from '../../templates/rollup-views.js';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadFigures, type CadreFigures } from '../../src/attendance/figures.js';
import { loadEnv } from '../../src/config/env.js';
import type { Delivered, FakeWecom } from '../../src/fakewecom/server.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { silentLogger } from '../../src/log.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { SANDBOX_APP } from '../../src/sandbox/config.js';
import { freePort } from '../global-setup.js';
import { SECOND, TestClock } from '../helpers/clock.js';
import { sampleRosterData } from '../helpers/deps.js';
import { wecomPoster, type WecomPoster } from '../helpers/http-bot.js';

/** The simulated time the bot runs on; a test moves it from day to day. */
const clock = new TestClock('2026-11-20T09:00:00+08:00');
const at = (iso: string) => clock.set(iso);

let app: RunningApp;
let fake: FakeWecom;
let outbox: Outbox;
let wecom: WecomPoster;
let repo: LeaveRepo;
let no = '';
/** The number of the one-day leave joined to the first one. */
let merged = '';
const cadre = sampleRosterData().cadres.find((c) => c.userid === 'LiXiaoYan')!;
const TOWNSHIP = ['LiZhenHua', 'WangHaiYan'];

beforeAll(async () => {
  const env = loadEnv({
    ZHUCUN_SANDBOX: '1',
    REDIS_URL: inject('redisUrl'),
    ZHUCUN_NAMESPACE: `leavestory${randomBytes(3).toString('hex')}`,
    PORT: String(await freePort()),
  });
  app = await startApp(env, silentLogger, { clock });
  if (!app.fake) throw new Error('the app did not start in sandbox mode');
  fake = app.fake;
  outbox = app.outbox;
  wecom = wecomPoster(app.url);
  repo = new LeaveRepo(app.deps.redis, app.deps.keys);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

let msgId = 7_000_000_000;

/**
 * What a person does in the app arrives a moment after the last thing anyone did: the clock moves one second,
 * so that two clicks of one person never share a CreateTime (WeCom's de-duplication identity of an event).
 */
function createTime(): number {
  clock.advance(SECOND);
  return Math.floor(clock.time / 1000);
}

/** A text message in the app's single chat; the passive reply's text. */
async function say(userId: string, text: string): Promise<string> {
  const reply = await wecom.app({
    ToUserName: SANDBOX_APP.corpId,
    FromUserName: userId,
    CreateTime: createTime(),
    MsgType: 'text',
    Content: text,
    MsgId: String(++msgId),
    AgentID: Number(SANDBOX_APP.agentId),
  });
  expect(reply).toMatchObject({ MsgType: 'text', ToUserName: userId, FromUserName: SANDBOX_APP.corpId });
  return String(reply!.Content);
}

/** A click on a button of an app card, as WeCom reports it, with a ResponseCode the fake issued; the passive reply. */
function click(userId: string, key: string, taskId: string) {
  return wecom.app({
    ToUserName: SANDBOX_APP.corpId,
    FromUserName: userId,
    CreateTime: createTime(),
    MsgType: 'event',
    Event: 'template_card_event',
    EventKey: key,
    TaskId: taskId,
    CardType: 'button_interaction',
    ResponseCode: fake.issueCardResponseCode(),
    AgentID: Number(SANDBOX_APP.agentId),
  });
}

/** A text message to the smart robot in a single chat; the text of the finished stream it answers with. */
async function askRobot(userId: string, text: string): Promise<string> {
  const reply = await wecom.robot({
    msgid: `robot-${++msgId}`,
    aibotid: 'sandbox-robot',
    chattype: 'single',
    from: { userid: userId },
    response_url: fake.issueResponseUrl(),
    msgtype: 'text',
    text: { content: text },
  });
  expect(reply).toMatchObject({ msgtype: 'stream', stream: { finish: true } });
  return String((reply!.stream as { content: string }).content);
}

/** The first message the fake WeCom delivered that matches: already there, or when the outbox worker sends it. */
function delivered(what: string, match: (d: Delivered) => boolean, timeoutMs = 20_000): Promise<Delivered> {
  const found = fake.sent().find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      fake.events.off('sent', on);
      reject(new Error(`fake WeCom: ${what} not delivered in ${timeoutMs} ms`));
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

const appText = (to: string[], includes: string) => (d: Delivered) =>
  d.channel === 'app' && d.msgtype === 'text' && sameUsers(d.to, to) && textOf(d).includes(includes);
const approvalCard = (to: string[], taskId: string) => (d: Delivered) =>
  d.channel === 'app' && d.msgtype === 'template_card' && sameUsers(d.to, to) && cardOf(d).task_id === taskId;

function sameUsers(a: string[], b: string[]): boolean {
  return [...a].sort().join('|') === [...b].sort().join('|');
}
function textOf(d: Delivered): string {
  return (d.payload.text as { content?: string } | undefined)?.content ?? '';
}
function cardOf(d: Delivered): Record<string, unknown> {
  return (d.payload.template_card as Record<string, unknown> | undefined) ?? {};
}

/**
 * What the seeded history delivers: the rating cards of its open assessment round (考评) and their note, work
 * still waiting for the sending units' leaders and the township supervisors (see src/sandbox/seed-plan.ts).
 */
const seededRound = (d: Delivered) =>
  d.channel === 'app' &&
  (String(cardOf(d).task_id ?? '').startsWith('assess-') || textOf(d).startsWith('请评定本次考评'));
/** The sending units' monthly summaries, which the start makes up when last month is closed (job unit-summary). */
const unitSummaryMessage = (d: Delivered) => JSON.stringify(d.payload).includes(unitSummaryWhy);
/** What the start sends besides the story: the seeded round's cards and the day's made-up summaries. */
const background = (d: Delivered) => seededRound(d) || unitSummaryMessage(d);

/**
 * Every outbox job there is (waiting, delayed, active, completed, failed). The bot queues a callback's messages
 * before it answers, so the total right after an answer shows whether that callback queued anything.
 */
async function jobsInOutbox(): Promise<number> {
  const counts = await outbox.queue.getJobCounts();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Run a click that must change nothing (the request stays as it was, no message is queued); its reply. */
async function expectNoChange<R>(action: () => Promise<R>): Promise<R> {
  const before = await repo.get(no);
  const jobs = await jobsInOutbox();
  const reply = await action();
  expect(await repo.get(no)).toEqual(before);
  expect(await jobsInOutbox()).toBe(jobs);
  return reply;
}

async function figures(): Promise<CadreFigures> {
  return (await loadFigures(app.deps, [cadre], { now: clock.now() })).get(cadre.userid)!;
}

function marks(f: CadreFigures, dates: string[]): string[] {
  return dates.map((date) => f.month.days.find((d) => d.date === date)!.mark);
}

/** The cells of the week row of the 我的考勤 day grid that begins on `label` (e.g. "23日"), Monday first. */
function gridRow(reply: string, label: string): string[] {
  const row = reply.split('\n').find((l) => l.trimStart().startsWith(label));
  if (!row) throw new Error(`no row ${label} in:\n${reply}`);
  return row
    .trimStart()
    .slice(label.length + 1)
    .split(' ');
}

const LEAVE_DAYS = ['2026-11-25', '2026-11-26', '2026-11-27'];

describe('a three-day leave through the HTTP endpoints and the fake WeCom', () => {
  it('LiXiaoYan asks in the app: the passive reply gives the number, the township supervisors get the card', async () => {
    const reply = await say('LiXiaoYan', '请假 事假 11月25日至27日 家中有事');
    expect(reply).toMatch(/请假申请 Q\d+ 已提交/);
    expect(reply).toContain('乡镇（街道）负责同志李振华、王海燕');
    expect(reply).toContain('之后还需派出单位领导审批');
    no = /Q\d+/.exec(reply)![0];

    const card = await delivered('the township card', approvalCard(TOWNSHIP, `leave-${no}-0`));
    expect(card.to).toEqual(TOWNSHIP);
    expect(cardOf(card)).toMatchObject({
      card_type: 'button_interaction',
      main_title: { title: `请假审批 ${no}` },
      horizontal_content_list: expect.arrayContaining([
        { keyname: '申请人', value: '李晓燕（北堡村）' },
        { keyname: '天数', value: '按扣除法定假日计 3 天' },
      ]),
      button_list: [
        { text: '同意', style: 1, key: `leave-approve:${no}` },
        { text: '驳回', style: 3, key: `leave-reject:${no}` },
      ],
    });
    // WeCom answers an interactive card with the response_code a later update_template_card would need.
    const send = fake.requests.find((r) => r.path === '/cgi-bin/message/send' && r.response?.response_code);
    expect(send?.response).toMatchObject({ errcode: 0 });
    expect(await repo.get(no)).toMatchObject({ status: 'pending', start: '2026-11-25', end: '2026-11-27', days: 3 });
  });

  it('a township supervisor of another township clicking the card is refused, and nothing changes', async () => {
    const before = await repo.get(no);
    const jobs = await jobsInOutbox();
    const reply = await click('ZhangGuoDong', `leave-approve:${no}`, `leave-${no}-0`);
    // A refusal has no button to relabel; WeCom shows no text answer to a click, so it also comes as a message.
    expect(reply).toMatchObject({ MsgType: 'text', Content: expect.stringContaining('您不是这一步的审批人') });
    await delivered('the refusal to the clicker', appText(['ZhangGuoDong'], '您不是这一步的审批人'));
    expect(await repo.get(no)).toEqual(before);
    expect(await jobsInOutbox()).toBe(jobs + 1);
  });

  it('LiZhenHua clicks 同意: the button turns 已同意, the requester is told, DuHongWei gets the next card', async () => {
    const reply = await click('LiZhenHua', `leave-approve:${no}`, `leave-${no}-0`);
    expect(reply).toMatchObject({
      MsgType: 'update_button',
      ToUserName: 'LiZhenHua',
      Button: { ReplaceName: '已同意' },
    });
    expect(reply!.Content).toBeUndefined();

    await delivered('the note to the requester', appText(['LiXiaoYan'], `已由李振华同意，现转派出单位领导杜宏伟审批`));
    const next = await delivered('the sending-unit card', approvalCard(['DuHongWei'], `leave-${no}-1`));
    expect(cardOf(next).sub_title_text).toContain('第2步，共2步；李振华已同意');
    expect((await repo.get(no))!.steps[0]).toMatchObject({ decision: 'approved', by: 'LiZhenHua' });
  });

  it('clicks on the decided card afterwards, by the colleague or by LiZhenHua again, change nothing', async () => {
    for (const who of ['WangHaiYan', 'LiZhenHua']) {
      for (const key of [`leave-approve:${no}`, `leave-reject:${no}`]) {
        const reply = await expectNoChange(() => click(who, key, `leave-${no}-0`));
        expect(reply).toMatchObject({ MsgType: 'update_button', Button: { ReplaceName: '已同意' } });
      }
    }
  });

  it('DuHongWei clicks 同意: approved, the requester told, the team leader copied', async () => {
    const reply = await click('DuHongWei', `leave-approve:${no}`, `leave-${no}-1`);
    expect(reply).toMatchObject({ MsgType: 'update_button', Button: { ReplaceName: '已同意' } });

    await delivered(
      'the approval to the requester',
      appText(['LiXiaoYan'], `您的请假 ${no}（事假 11月25日至27日，3天）已批准，最后由杜宏伟同意`),
    );
    await delivered(
      'the copy to the team leader',
      appText(['WangJianGuo'], `【抄送】李晓燕（北堡村）的请假 ${no} 已批准`),
    );
    const r = await repo.get(no);
    expect(r).toMatchObject({ status: 'approved' });
    expect(r!.steps[1]).toMatchObject({ decision: 'approved', by: 'DuHongWei' });
  });

  it('a 驳回 click on the approved card afterwards changes nothing', async () => {
    const reply = await expectNoChange(() => click('DuHongWei', `leave-reject:${no}`, `leave-${no}-1`));
    expect(reply).toMatchObject({ MsgType: 'update_button', Button: { ReplaceName: '已同意' } });
  });

  it('on 26 November the leave is active: 我的请假, 我的考勤 and the figures say so', async () => {
    at('2026-11-26T09:00:00+08:00');
    expect(await say('LiXiaoYan', '我的请假')).toContain(`${no} 事假 11月25日至27日，3天 已批准`);

    const attendance = await askRobot('LiXiaoYan', '我的考勤');
    expect(attendance).toContain('您的考勤 · 2026年11月（截至11月26日）');
    // 23 November is a Monday: the row runs Mon 23 … Sun 29, the leave on Wed 25 to Fri 27.
    expect(gridRow(attendance, '23日').slice(2, 5)).toEqual(['假', '假', '假']);

    expect(marks(await figures(), LEAVE_DAYS)).toEqual(['leave', 'leave', 'leave']);
  });

  it('销假 on 27 November, a day early: the return is recorded and the 27th is no longer leave', async () => {
    at('2026-11-27T08:30:00+08:00');
    const before = await figures();
    expect(marks(before, LEAVE_DAYS)).toEqual(['leave', 'leave', 'leave']);

    const reply = await say('LiXiaoYan', '销假');
    expect(reply).toContain(`已销假：请假 ${no}（事假）实际休假11月25日至26日，共 2 天（原批准 3 天）`);
    expect(await repo.get(no)).toMatchObject({
      status: 'approved',
      returnedOn: '2026-11-26',
      returnedAt: clock.now().toISOString(),
    });

    const after = await figures();
    expect(marks(after, LEAVE_DAYS)).toEqual(['leave', 'leave', 'open']);
    // The 27th, no longer taken by leave, is a day she can still be present in the village this month.
    expect(after.month.remaining).toBe(before.month.remaining + 1);

    expect(gridRow(await askRobot('LiXiaoYan', '我的考勤'), '23日').slice(2, 5)).toEqual(['假', '假', '\u3000']);
    expect(await say('LiXiaoYan', '我的请假')).toContain(
      `${no} 事假 11月25日至27日，3天 已销假（实际11月25日至26日，2天）`,
    );
    // Those who approved the leave hear of the return, in one message.
    await delivered(
      'the 销假 notice to the approvers',
      appText(['LiZhenHua', 'DuHongWei'], `李晓燕（北堡村）已销假：请假 ${no}`),
    );
  });

  it('a one-day 事假 on Monday 30 November is judged with the leave before it: three days, two steps', async () => {
    const reply = await say('LiXiaoYan', '请假 事假 11月30日 办证');
    merged = /Q\d+/.exec(reply)![0];
    // Alone it would go to the township only; joined to 25日至26日 (one working day between) it makes three days.
    expect(reply).toContain(`与相连的请假合并审批：连同 ${no} 合计 11月25日至30日 共3天。`);
    expect(reply).toContain('之后还需派出单位领导审批');
    const card = await delivered('the merged leave card', approvalCard(TOWNSHIP, `leave-${merged}-0`));
    expect(cardOf(card).horizontal_content_list).toEqual([
      { keyname: '申请人', value: '李晓燕（北堡村）' },
      { keyname: '类型', value: '事假' },
      { keyname: '日期', value: '11月30日' },
      { keyname: '天数', value: '按扣除法定假日计 1 天' },
      { keyname: '合并审批', value: `连同 ${no} 合计 11月25日至30日 共3天` },
      { keyname: '事由', value: '办证' },
    ]);
    expect(cardOf(card).sub_title_text).toContain('本月已请假 3 天（含本次，已批准和审批中）');
    expect((await repo.get(merged))!.steps.map((s) => s.kind)).toEqual(['township', 'sending-unit']);
  });

  it('the fake WeCom received exactly the story’s messages, each once, and nothing failed', async () => {
    const story = [
      approvalCard(TOWNSHIP, `leave-${no}-0`),
      appText(['LiXiaoYan'], '已由李振华同意'),
      approvalCard(['DuHongWei'], `leave-${no}-1`),
      appText(['LiXiaoYan'], '已批准，最后由杜宏伟同意'),
      appText(['WangJianGuo'], '【抄送】'),
      appText(['ZhangGuoDong'], '您不是这一步的审批人'),
      appText(['LiZhenHua', 'DuHongWei'], '已销假'),
      approvalCard(TOWNSHIP, `leave-${merged}-0`),
    ];
    // Besides the story, only the seeded round's cards (and, on a day after last month closed, the sending units'
    // summaries) were queued, and the worker has delivered each once.
    const seededJobs = (await outbox.queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])).filter(
      (j) => j.data.key.startsWith('assess-') || j.data.key.startsWith('summary:unit:'),
    ).length;
    expect(seededJobs).toBeGreaterThan(0);
    await vi.waitFor(() => expect(fake.sent().filter(background)).toHaveLength(seededJobs), { timeout: 20_000 });
    expect(await jobsInOutbox()).toBe(story.length + seededJobs);
    const own = fake.sent().filter((d) => !background(d));
    for (const message of story) expect(own.filter(message)).toHaveLength(1);
    expect(own).toHaveLength(story.length);
    expect(fake.sent().every((d) => d.dropped.length === 0)).toBe(true);
    expect(await outbox.list({ failed: true })).toEqual([]);
  });
});
