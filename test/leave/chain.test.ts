import { beforeAll, describe, expect, it } from 'vitest';
import { leaveDays } from '../../src/leave/workflow.js';
import { useTestRedis } from '../helpers/redis.js';
import { dataSnapshot, leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 20 November 2026: 明天 is Saturday 21 November, 下周一 is 23 November.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00');

beforeAll(() => b.setup());

async function unchanged(act: () => Promise<{ text?: string } | null>): Promise<string> {
  const before = await dataSnapshot(t);
  const queued = b.outbox.queued.length;
  const reply = await act();
  expect(await dataSnapshot(t)).toEqual(before);
  expect(b.outbox.queued.length).toBe(queued);
  return reply?.text ?? '';
}

describe('the approval chain follows the length of the leave', () => {
  it('one day goes to the township only (a sentence without 请假 word order is recognised)', async () => {
    const reply = await b.say('LiXiaoYan', '明天请一天病假 感冒发烧');
    expect(reply?.text).toContain('Q1001 已提交：病假 11月21日，1天，事由：感冒发烧');
    expect(reply?.text).not.toContain('之后还需');
    expect((await b.repo.get('Q1001'))!.steps.map((s) => s.kind)).toEqual(['township']);
  });

  it('a level with nobody on the roster goes up: 县人社局 has no leader, so the organisation department decides', async () => {
    const reply = await b.say('ZhaoWenBo', '下周一到周三 公差 去市里开会');
    expect(reply?.text).toContain('Q1002 已提交：公差 11月23日至25日，3天，事由：去市里开会');
    const r = await b.repo.get('Q1002');
    expect(r).toMatchObject({
      type: '公差',
      class: 'present',
      steps: [
        { kind: 'township', approvers: ['LiZhenHua', 'WangHaiYan'] },
        { kind: 'org', approvers: ['WuJianZhong', 'ChangXiaoMin'], covers: ['sending-unit'] },
      ],
    });
  });

  it('more than three days also goes to the organisation department', async () => {
    const reply = await b.say('LiuFang', '请假 病假 12月1日至12月5日 住院');
    expect(reply?.text).toContain('之后还需派出单位领导、县委组织部审批');
    expect((await b.repo.get('Q1003'))!.steps).toEqual([
      { kind: 'township', approvers: ['LiZhenHua', 'WangHaiYan'] },
      { kind: 'sending-unit', approvers: ['YaoWenBin'] },
      { kind: 'org', approvers: ['WuJianZhong', 'ChangXiaoMin'] },
    ]);
  });

  it('同意 without a number asks which one when several wait', async () => {
    expect(await unchanged(() => b.say('LiZhenHua', '同意'))).toBe(
      '有 3 条请假等待您处理：Q1001、Q1002、Q1003。请写明编号，例如「同意 Q1001」。',
    );
  });

  it('a one-step leave is approved by its single approval and the team leader is copied', async () => {
    b.outbox.queued.length = 0;
    expect((await b.say('LiZhenHua', '同意 q1001'))?.text).toContain('审批完成');
    expect((await b.repo.get('Q1001'))!.status).toBe('approved');
    expect(b.outbox.queued.map((m) => m.key)).toEqual(['leave:Q1001:approved', 'leave:Q1001:copy']);
  });

  it('a long leave walks township → sending unit → organisation department', async () => {
    b.outbox.queued.length = 0;
    expect((await b.click('WangHaiYan', 'leave-approve:Q1003', 'leave-Q1003-0'))?.replaceButton).toBe('已同意');
    expect(b.outbox.queued.at(-1)).toMatchObject({ key: 'leave:Q1003:step:1', to: { userIds: ['YaoWenBin'] } });

    // The sending-unit leader has only this one waiting, so the number may be left out.
    expect((await b.say('YaoWenBin', '同意'))?.text).toContain('已转县委组织部武建中、常晓敏审批');
    const orgCard = b.outbox.queued.at(-1)!;
    expect(orgCard).toMatchObject({ key: 'leave:Q1003:step:2', to: { userIds: ['WuJianZhong', 'ChangXiaoMin'] } });
    expect(orgCard.body).toMatchObject({
      card: { taskId: 'leave-Q1003-2', description: expect.stringContaining('第3步，共3步') },
    });

    b.outbox.queued.length = 0;
    expect((await b.click('ChangXiaoMin', 'leave-approve:Q1003', 'leave-Q1003-2'))?.replaceButton).toBe('已同意');
    expect((await b.repo.get('Q1003'))!.status).toBe('approved');
    expect(b.outbox.queued.map((m) => [m.key, m.to])).toEqual([
      ['leave:Q1003:approved', { kind: 'user', userIds: ['LiuFang'] }],
      ['leave:Q1003:copy', { kind: 'user', userIds: ['WangJianGuo'] }],
    ]);
  });
});

describe('我的请假 and 撤回 without a number', () => {
  it('shows a pending request with whose approval it waits on', async () => {
    expect((await b.say('ZhaoWenBo', '我的请假'))?.text).toBe(
      '您的请假：\nQ1002 公差 11月23日至25日，3天 审批中（等待乡镇（街道）负责同志李振华、王海燕审批）',
    );
  });

  it('撤回 alone withdraws the only pending request', async () => {
    expect((await b.say('ZhaoWenBo', '撤回'))?.text).toContain('已撤回请假 Q1002');
    expect((await b.say('ZhaoWenBo', '我的请假'))?.text).toContain('Q1002 公差 11月23日至25日，3天 已撤回');
    expect(await unchanged(() => b.say('ZhaoWenBo', '撤回'))).toBe('您没有审批中的请假可以撤回。');
  });

  it('a cadre without leave is told how to ask', async () => {
    expect((await b.say('SunLiJuan', '我的请假'))?.text).toContain('您还没有请假记录');
  });
});

describe('销假', () => {
  it('refuses a last day still to come, or before the leave started', async () => {
    b.clock.set('2026-12-03T09:00:00+08:00');
    expect(await unchanged(() => b.say('LiuFang', '销假 12月6日'))).toContain('12月6日还没到');
    expect(await unchanged(() => b.say('LiuFang', '销假 11月30日'))).toBe(
      '请假 Q1003 从12月1日开始，最后一天休假的日子不能早于开始日期。',
    );
    expect(await unchanged(() => b.say('LiuFang', '销假 已经回来了'))).toContain('没有看懂销假日期');
  });

  it('records the last day written', async () => {
    expect((await b.say('LiuFang', '销假 12月2日'))?.text).toContain('实际休假12月1日至2日，共 2 天（原批准 5 天）');
    const r = await b.repo.get('Q1003');
    expect(r!.returnedOn).toBe('2026-12-02');
    expect(leaveDays(r!)).toEqual({ start: '2026-12-01', end: '2026-12-02' });
    expect(await unchanged(() => b.say('LiuFang', '销假'))).toContain('没有已批准、待销假的请假');
  });

  it('a bare 销假 ends the leave that started most recently, then an upcoming one, which it cancels', async () => {
    expect((await b.say('LiXiaoYan', '请假 事假 12月10日 办证'))?.text).toContain('Q1004');
    await b.say('LiZhenHua', '同意 Q1004');
    // Q1001 (21 November) ended without 销假: it is the one a bare 销假 closes, in full.
    expect((await b.say('LiXiaoYan', '销假'))?.text).toContain(
      '请假 Q1001（病假）实际休假11月21日，共 1 天（原批准 1 天）',
    );
    expect((await b.say('LiXiaoYan', '销假'))?.text).toBe('已销假：请假 Q1004（事假）尚未开始，已取消，不计请假天数。');
    expect(leaveDays((await b.repo.get('Q1004'))!)).toBeUndefined();
  });

  it('销假 is refused while the request still waits, with a hint to withdraw', async () => {
    expect((await b.say('HeJing', '请假 事假 12月8日 办证'))?.text).toContain('Q1005');
    expect(await unchanged(() => b.say('HeJing', '销假'))).toContain(
      '请假 Q1005 还在审批中，如不再需要，请发「撤回 Q1005」',
    );
  });
});
