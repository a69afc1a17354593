/**
 * The conversation a cadre expects, through the real bot core, the real commands and the real Redis: the bot
 * asks for what a request lacks and the next message in that chat answers it (per person and chat, for the
 * policy's `conversation.questionMinutes`); a plain report in the app chat is offered as a 汇报 with a button;
 * and `帮助` lists what each role of the sample roster may use.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import type { Outbound } from '../../src/core/outbound.js';
import { checkLeave } from '../../src/leave/check.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { testBot, textUpdate } from '../helpers/bot.js';
import { MINUTE } from '../helpers/clock.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const b = testBot(t, { commands: createRegistry(), start: '2026-11-18T09:00:00+08:00' });
beforeAll(() => b.setup());

const TOMORROW = '2026-11-19';
const leaves = (userId: string) => b.deps.repos.leave.ofUser(userId);
const reports = (userId: string) => b.deps.repos.reports.ofUser(userId);
/** The sentence the bot answers a text it does not understand with. */
const NOT_UNDERSTOOD = '没有看懂';

describe('follow-up questions', () => {
  it('asks what 请个假 lacks, and the answers complete it step by step', async () => {
    const opts = { policy: defaultPolicy(), now: b.clock.now(), calendar: b.deps.calendar };
    const question = checkLeave('请个假', opts).problem?.message;
    expect(question).toMatch(/^请问请什么假、哪几天？/);
    expect(await b.ask('LiXiaoYan', '请个假')).toBe(question);
    // Only the type: the bot still needs the days and asks again.
    expect(await b.ask('LiXiaoYan', '病假')).not.toContain(NOT_UNDERSTOOD);
    expect(await leaves('LiXiaoYan')).toEqual([]);
    expect(await b.ask('LiXiaoYan', '明天')).toContain('Q');
    const [request] = await leaves('LiXiaoYan');
    expect(request).toMatchObject({ type: '病假', start: TOMORROW, end: TOMORROW });
  });

  it('reaches the leave command from 想请假 and 我要请假, and 事假 明天 completes it', async () => {
    for (const [who, words] of [
      ['ZhaoWenBo', '想请假'],
      ['SunLiJuan', '我要请假'],
    ] as const) {
      expect(await b.ask(who, words)).toContain('事假');
      await b.ask(who, '事假 明天');
      expect(await leaves(who)).toMatchObject([{ type: '事假', start: TOMORROW, end: TOMORROW }]);
    }
  });

  it('keeps what was written: the type and reason stay, the answer adds the date', async () => {
    await b.ask('LiuFang', '请假 事假 家里有事');
    b.clock.advance(9 * MINUTE);
    await b.ask('LiuFang', '明天');
    expect(await leaves('LiuFang')).toMatchObject([{ type: '事假', start: TOMORROW, reason: '家里有事' }]);
  });

  it('forgets the question after questionMinutes: the answer is then a fresh message', async () => {
    await b.ask('ChenHaoRan', '请假 事假 家里有事');
    b.clock.advance(10 * MINUTE);
    expect(await b.ask('ChenHaoRan', '明天')).toContain(NOT_UNDERSTOOD);
    expect(await leaves('ChenHaoRan')).toEqual([]);
  });

  it('keeps one question per chat: an answer in the group does not complete the app chat’s', async () => {
    await b.ask('YangHaiTao', '请假 事假 家里有事');
    expect((await b.sayInGroup('YangHaiTao', '明天'))?.text).toContain(NOT_UNDERSTOOD);
    expect(await leaves('YangHaiTao')).toEqual([]);
    await b.ask('YangHaiTao', '明天');
    expect(await leaves('YangHaiTao')).toMatchObject([{ type: '事假', start: TOMORROW, reason: '家里有事' }]);
  });

  it('drops the question on 算了 or 取消, with a short reply', async () => {
    for (const [who, word] of [
      ['GuoYongHong', '算了'],
      ['MaJunJie', '取消'],
    ] as const) {
      await b.ask(who, '请假 事假 家里有事');
      expect(await b.ask(who, word)).toBe('好的，已取消。');
      expect(await b.ask(who, '明天')).toContain(NOT_UNDERSTOOD);
      expect(await leaves(who)).toEqual([]);
    }
  });

  it('drops the question when the person sends another command', async () => {
    await b.ask('HeJing', '请假 事假 家里有事');
    expect(await b.ask('HeJing', '我的考勤')).toContain('在村');
    expect(await b.ask('HeJing', '明天')).toContain(NOT_UNDERSTOOD);
    expect(await leaves('HeJing')).toEqual([]);
  });

  it('answers a retried delivery of the answer with the same reply, filing one request', async () => {
    await b.ask('WuXiuLan', '请假 事假 家里有事');
    const answer = textUpdate(b.nextId(), 'WuXiuLan', '明天', b.clock.now());
    const first = await b.bot.handle(answer);
    const again = await b.bot.handle(answer);
    expect(again).toEqual({ reply: first.reply, duplicate: true });
    expect(await leaves('WuXiuLan')).toHaveLength(1);
  });
});

/** The question card queued for `userId` by the latest plain report, if any. */
function askCard(userId: string): Extract<Outbound['body'], { type: 'card' }>['card'] | undefined {
  const sent = b.outbox.queued.filter(
    (m) => m.to.kind === 'user' && m.to.userIds.includes(userId) && m.body.type === 'card',
  );
  const last = sent.at(-1)?.body;
  return last?.type === 'card' && last.card.buttons?.[0]?.key.startsWith('report-submit:') ? last.card : undefined;
}

describe('a plain report without 汇报', () => {
  const PLAIN = '今天走访了3户，了解到春耕用种和灌溉的情况';

  it('asks 要作为工作汇报提交吗？ with a button, and the click files it as 汇报 would', async () => {
    await b.ask('ZhengYuHang', PLAIN);
    expect(await reports('ZhengYuHang')).toEqual([]);
    const card = askCard('ZhengYuHang');
    expect(card?.title).toBe('要作为工作汇报提交吗？');
    const reply = await b.click('ZhengYuHang', card!.buttons![0]!.key, card!.taskId!);
    expect(reply?.replaceButton).toBeTruthy();
    expect(await reports('ZhengYuHang')).toMatchObject([{ text: PLAIN, tags: [], households: 0 }]);
  });

  it('files it on the answer 是, and not on 不用', async () => {
    await b.ask('FengXueMei', PLAIN);
    expect(await b.ask('FengXueMei', '是')).toContain('H');
    expect(await reports('FengXueMei')).toMatchObject([{ text: PLAIN }]);
    await b.ask('GaoLiXin', PLAIN);
    await b.ask('GaoLiXin', '不用');
    expect(await reports('GaoLiXin')).toEqual([]);
  });

  it('takes 好的 as yes while the question waits, not as 收到 of an announcement', async () => {
    await b.ask('HeJing', PLAIN);
    expect(await b.ask('HeJing', '好的')).toContain('H');
    expect(await reports('HeJing')).toMatchObject([{ text: PLAIN }]);
  });

  it('does not ask in a group, nor a supervisor, nor for leave, questions and chit-chat', async () => {
    const before = b.outbox.queued.length;
    expect((await b.sayInGroup('HanXiaoDong', PLAIN))?.text).toContain(NOT_UNDERSTOOD);
    expect(await b.ask('LiZhenHua', PLAIN)).toContain(NOT_UNDERSTOOD);
    expect(await b.ask('CaoTingTing', '今天走访的那几户情况怎么样？需要再去一次吗')).toContain(NOT_UNDERSTOOD);
    expect(await b.ask('CaoTingTing', '大家今天辛苦了，晚上早点休息，明天见')).toContain(NOT_UNDERSTOOD);
    expect(b.outbox.queued.slice(before).filter((m) => m.body.type === 'card')).toEqual([]);
    await b.ask('DengGuoQing', '明天请一天病假，原定的入户走访另行安排');
    expect(await leaves('DengGuoQing')).toMatchObject([{ type: '病假', start: TOMORROW }]);
  });
});

describe('帮助 by role', () => {
  const help = (userId: string) => b.ask(userId, '帮助');

  it('shows a cadre her commands and 收到, and no approval or announcement', async () => {
    const text = await help('LiXiaoYan');
    for (const word of ['签到', '请假 类型 日期 事由', '提交工作汇报', '考勤 [姓名]', '收到'])
      expect(text).toContain(word);
    for (const word of ['同意 编号', '驳回', '通知 ', '全县考勤']) expect(text).not.toContain(word);
  });

  it('shows a team leader the cadre commands and the approvals', async () => {
    const text = await help('WangJianGuo');
    for (const word of ['签到', '请假 类型 日期 事由', '提交工作汇报', '同意 编号', '确认补登', '收到'])
      expect(text).toContain(word);
  });

  it('shows supervisors no 提交工作汇报 and no cadre command, but how to read reports', async () => {
    for (const who of ['LiZhenHua', 'DuHongWei', 'WuJianZhong']) {
      const text = await help(who);
      expect(text).not.toContain('提交工作汇报');
      for (const word of ['请假 类型', '签到', '我的汇报', '补登 日期']) expect(text).not.toContain(`· ${word}`);
      for (const word of ['汇报 姓名', '同意 编号', '收到']) expect(text).toContain(word);
    }
    expect(await help('WuJianZhong')).toContain('通知');
    expect(await help('WuJianZhong')).toContain('· 撤回 编号 —— 撤回已发出的通知');
    expect(await help('WuJianZhong')).not.toContain('撤回还在审批中的请假');
    expect(await help('LiZhenHua')).toContain('确认补登');
  });

  it('lists for every role only commands that person may run', async () => {
    for (const who of ['LiXiaoYan', 'WangJianGuo', 'LiZhenHua', 'DuHongWei', 'WuJianZhong']) {
      const words = (await help(who))
        .split('\n')
        .filter((line) => line.startsWith('· '))
        .map((line) => line.slice(2).split(/\s/)[0]!);
      expect(words.length).toBeGreaterThan(3);
      for (const word of words) expect(await b.ask(who, word)).not.toContain('仅供');
    }
  });
});
