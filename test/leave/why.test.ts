import { beforeAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { useTestRedis } from '../helpers/redis.js';
import { leaveAndBackfillRegistry, leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 20 November 2026.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00', { registry: leaveAndBackfillRegistry() });

beforeAll(() => b.setup());

/** The text a queued message shows: a text's content, or a card's description. */
function shown(key: string): string {
  const m: Outbound | undefined = b.outbox.queued.find((q) => q.key === key);
  if (!m) throw new Error(`nothing queued under ${key}: ${b.outbox.queued.map((q) => q.key).join(', ')}`);
  if (m.body.type === 'text') return m.body.content;
  if (m.body.type === 'card') return m.body.card.description ?? '';
  throw new Error(`unexpected body ${m.body.type}`);
}

/** The last line of a push. */
const lastLine = (text: string) => text.split('\n').at(-1);

describe('every leave push says on its last line why it was sent', () => {
  it('the approval card of each step names the approver’s role', async () => {
    await b.say('LiXiaoYan', '请假 事假 11月25日至27日 家中有事');
    expect(lastLine(shown('leave:Q1001:step:0'))).toBe(
      '（为什么收到：您是李晓燕所在乡镇（街道）的负责同志，按本县请假审批规定由您审批）',
    );
    await b.say('LiZhenHua', '同意 Q1001');
    expect(lastLine(shown('leave:Q1001:step:1'))).toBe(
      '（为什么收到：您是李晓燕派出单位的领导，按本县请假审批规定由您审批）',
    );
  });

  it('the requester hears each outcome as its requester; the team leader is copied as team leader', async () => {
    expect(shown('leave:Q1001:step:0:approved')).toBe(
      '您的请假 Q1001（事假 11月25日至27日，3天）已由李振华同意，现转派出单位领导杜宏伟审批。\n（为什么收到：您是这条请假的申请人）',
    );
    await b.say('DuHongWei', '同意 Q1001');
    expect(lastLine(shown('leave:Q1001:approved'))).toBe('（为什么收到：您是这条请假的申请人）');
    expect(shown('leave:Q1001:copy')).toBe(
      '【抄送】李晓燕（北堡村）的请假 Q1001 已批准：事假 11月25日至27日，3天，事由：家中有事。\n（为什么收到：您是新田乡领队，请假结果抄送给您）',
    );
  });

  it('a rejection: to the requester and the copy', async () => {
    await b.say('ZhaoWenBo', '请假 事假 11月30日 办证');
    await b.say('WangHaiYan', '驳回 Q1002 月底有检查');
    expect(lastLine(shown('leave:Q1002:rejected'))).toBe('（为什么收到：您是这条请假的申请人）');
    expect(lastLine(shown('leave:Q1002:copy'))).toBe('（为什么收到：您是新田乡领队，请假结果抄送给您）');
  });

  it('the withdrawal notice tells the approvers the leave was waiting on them', async () => {
    await b.say('SunLiJuan', '请假 病假 12月1日 复查');
    await b.say('SunLiJuan', '撤回 Q1003');
    expect(shown('leave:Q1003:withdrawn')).toBe(
      '孙丽娟已撤回请假 Q1003（病假 12月1日，1天），无需再审批。\n（为什么收到：您是孙丽娟所在乡镇（街道）的负责同志，这条请假原本等您审批）',
    );
  });
});

describe('every back-fill push says why it was sent', () => {
  it('the card to the confirmers, and the outcome to the requester', async () => {
    await b.say('ZhangZhiQiang', '补登 昨天 山里没信号');
    const card = shown('backfill:B1001');
    expect(card).toContain('也可回复「确认补登 B1001」或「驳回补登 B1001 原因」');
    expect(lastLine(card)).toBe('（为什么收到：您是张志强所在乡镇（街道）的领队或负责同志，补登须由您确认）');
    await b.say('WangJianGuo', '确认补登 B1001');
    expect(shown('backfill:B1001:confirmed')).toBe(
      '您的补登申请 B1001（11月19日）已由王建国确认，当天计为在村。\n（为什么收到：您是这条补登的申请人）',
    );
    await b.say('LiuFang', '补登 今天 一直没信号');
    await b.say('LiZhenHua', '驳回补登 B1002 今天上午在村委会见过');
    expect(lastLine(shown('backfill:B1002:rejected'))).toBe('（为什么收到：您是这条补登的申请人）');
  });
});
