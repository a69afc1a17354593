import { beforeAll, describe, expect, it } from 'vitest';
import { leaveDatesByClass, leaveOn } from '../../src/leave/days.js';
import { leaveDays } from '../../src/leave/workflow.js';
import { useTestRedis } from '../helpers/redis.js';
import { leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 20 November 2026.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00');

beforeAll(() => b.setup());

describe('a three-day leave from request to 销假', () => {
  it('a cadre asks; the request is numbered and the township supervisors get the card', async () => {
    const reply = await b.say('LiXiaoYan', '请假 事假 11月25日至27日 家中有事');
    expect(reply?.text).toContain('请假申请 Q1001 已提交');
    expect(reply?.text).toContain('乡镇（街道）负责同志李振华、王海燕');
    expect(reply?.text).toContain('之后还需派出单位领导审批');

    const r = await b.repo.get('Q1001');
    expect(r).toMatchObject({
      userId: 'LiXiaoYan',
      type: '事假',
      class: 'absent',
      start: '2026-11-25',
      end: '2026-11-27',
      days: 3,
      reason: '家中有事',
      status: 'pending',
    });
    expect(r!.steps).toEqual([
      { kind: 'township', approvers: ['LiZhenHua', 'WangHaiYan'] },
      { kind: 'sending-unit', approvers: ['DuHongWei'] },
    ]);
    expect(await b.repo.inbox('LiZhenHua')).toEqual(['Q1001']);
    expect(await b.repo.inbox('DuHongWei')).toEqual([]);

    expect(b.outbox.queued).toHaveLength(1);
    const card = b.outbox.queued[0]!;
    expect(card).toMatchObject({
      key: 'leave:Q1001:step:0',
      to: { kind: 'user', userIds: ['LiZhenHua', 'WangHaiYan'] },
      purpose: 'approval',
    });
    expect(card.body).toEqual({
      type: 'card',
      card: {
        kind: 'button_interaction',
        taskId: 'leave-Q1001-0',
        title: '请假审批 Q1001',
        description: expect.stringContaining('同意 Q1001'),
        fields: [
          { key: '申请人', value: '李晓燕（北堡村）' },
          { key: '类型', value: '事假' },
          { key: '日期', value: '11月25日至27日' },
          { key: '天数', value: '按扣除法定假日计 3 天' },
          { key: '事由', value: '家中有事' },
        ],
        buttons: [
          { text: '同意', style: 1, key: 'leave-approve:Q1001' },
          { text: '驳回', style: 3, key: 'leave-reject:Q1001' },
        ],
      },
    });
  });

  it('the first approver clicks 同意: the card is updated, the requester told, the sending unit gets its card', async () => {
    b.outbox.queued.length = 0;
    const reply = await b.click('LiZhenHua', 'leave-approve:Q1001', 'leave-Q1001-0');
    expect(reply?.replaceButton).toBe('已同意');
    expect(reply?.text).toContain('已转派出单位领导杜宏伟审批');

    const r = await b.repo.get('Q1001');
    expect(r!.status).toBe('pending');
    expect(r!.steps[0]).toMatchObject({ decision: 'approved', by: 'LiZhenHua' });
    expect(await b.repo.inbox('LiZhenHua')).toEqual([]);
    expect(await b.repo.inbox('WangHaiYan')).toEqual([]);
    expect(await b.repo.inbox('DuHongWei')).toEqual(['Q1001']);

    const [toRequester, nextCard] = b.outbox.queued;
    expect(toRequester).toMatchObject({ to: { kind: 'user', userIds: ['LiXiaoYan'] }, purpose: 'approval' });
    expect(toRequester!.body).toEqual({
      type: 'text',
      content: expect.stringContaining('已由李振华同意，现转派出单位领导杜宏伟审批'),
    });
    expect(nextCard).toMatchObject({
      key: 'leave:Q1001:step:1',
      to: { kind: 'user', userIds: ['DuHongWei'] },
      purpose: 'approval',
    });
    expect(nextCard!.body).toMatchObject({
      type: 'card',
      card: { taskId: 'leave-Q1001-1', description: expect.stringContaining('第2步，共2步；李振华已同意') },
    });
  });

  it('a colleague clicking the same card afterwards changes nothing and sees how it stands', async () => {
    b.outbox.queued.length = 0;
    const before = await b.repo.get('Q1001');
    const reply = await b.click('WangHaiYan', 'leave-approve:Q1001', 'leave-Q1001-0');
    expect(reply).toEqual({
      replaceButton: '已同意',
      text: expect.stringContaining('这一步已由李振华同意，现等待派出单位领导杜宏伟审批'),
    });
    expect(await b.repo.get('Q1001')).toEqual(before);
    expect(b.outbox.queued).toEqual([]);
  });

  it('the sending-unit leader approves by text: approved, requester told, team leader copied', async () => {
    b.outbox.queued.length = 0;
    const reply = await b.say('DuHongWei', '同意 Q1001 注意安全');
    expect(reply?.text).toContain('已同意李晓燕的请假 Q1001');
    expect(reply?.text).toContain('审批完成');
    expect(reply?.replaceButton).toBeUndefined();

    const r = await b.repo.get('Q1001');
    expect(r!.status).toBe('approved');
    expect(r!.steps[1]).toMatchObject({ decision: 'approved', by: 'DuHongWei', comment: '注意安全' });
    expect(await b.repo.inbox('DuHongWei')).toEqual([]);

    expect(b.outbox.queued.map((m) => [m.key, m.to])).toEqual([
      ['leave:Q1001:approved', { kind: 'user', userIds: ['LiXiaoYan'] }],
      ['leave:Q1001:copy', { kind: 'user', userIds: ['WangJianGuo'] }],
    ]);
    expect(b.outbox.queued[0]!.body).toEqual({ type: 'text', content: expect.stringContaining('已批准') });
    expect(b.outbox.queued[1]!.body).toEqual({
      type: 'text',
      content: expect.stringContaining('【抄送】李晓燕（北堡村）的请假 Q1001 已批准'),
    });
  });

  it('the leave is active on its days', async () => {
    b.clock.set('2026-11-25T10:00:00+08:00');
    const mine = await b.repo.ofUser('LiXiaoYan');
    expect(leaveOn(mine, '2026-11-25')?.no).toBe('Q1001');
    expect(leaveDatesByClass(mine).absent).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    const list = await b.say('LiXiaoYan', '我的请假');
    expect(list?.text).toContain('Q1001 事假 11月25日至27日，3天 已批准');
  });

  it('销假 on the second day records the return and shortens the leave', async () => {
    b.clock.set('2026-11-26T08:30:00+08:00');
    b.outbox.queued.length = 0;
    const reply = await b.say('LiXiaoYan', '销假');
    expect(reply?.text).toContain('实际休假11月25日，共 1 天（原批准 3 天）');

    const r = await b.repo.get('Q1001');
    expect(r).toMatchObject({ status: 'approved', returnedOn: '2026-11-25', returnedAt: '2026-11-26T00:30:00.000Z' });
    expect(leaveDays(r!)).toEqual({ start: '2026-11-25', end: '2026-11-25' });
    expect(leaveDatesByClass([r!]).absent).toEqual(['2026-11-25']);
    // Those who approved it hear of the return (issue 12: 销假 tells the approvers).
    expect(b.outbox.queued.map((m) => [m.key, m.to])).toEqual([
      ['leave:Q1001:returned', { kind: 'user', userIds: ['LiZhenHua', 'DuHongWei'] }],
    ]);

    const list = await b.say('LiXiaoYan', '我的请假');
    expect(list?.text).toContain('Q1001 事假 11月25日至27日，3天 已销假（实际11月25日，1天）');
    expect((await b.say('LiXiaoYan', '销假'))?.text).toContain('没有已批准、待销假的请假');
  });

  it('the days given back after 销假 may be asked for again', async () => {
    const reply = await b.say('LiXiaoYan', '请假 病假 11月27日 复查');
    expect(reply?.text).toContain('Q1002 已提交');
  });
});
