/**
 * Leave cannot be split to dodge the approval chain: a request joined to another pending or approved leave of
 * the same person (at most `leave.mergeGapDays` working days apart; weekends and holidays are no gap) is
 * judged on the combined days, for the approval level and for the type's maximum. Earlier requests keep their
 * own chain and state; the card of the new one shows the combined span and the month's days so far.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../helpers/redis.js';
import { leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 4 December 2026; 7 December is a Monday.
const b = leaveBot(t, '2026-12-04T09:00:00+08:00');

beforeAll(() => b.setup());

const stepsOf = async (no: string) => (await b.repo.get(no))!.steps.map((s) => s.kind);
const cardOf = (no: string) => {
  const m = b.outbox.queued.find((q) => q.key === `leave:${no}:step:0`);
  return m?.body.type === 'card' ? m.body.card : undefined;
};
const field = (no: string, key: string) => cardOf(no)?.fields?.find((f) => f.key === key)?.value;

describe('four one-day 事假 on consecutive days (the field trial)', () => {
  it('the first goes to the township alone; once approved it stays approved', async () => {
    expect((await b.say('LiXiaoYan', '请假 事假 12月7日 办事'))?.text).toContain('Q1001 已提交');
    expect(await stepsOf('Q1001')).toEqual(['township']);
    await b.say('LiZhenHua', '同意 Q1001');
    expect((await b.repo.get('Q1001'))!.status).toBe('approved');
  });

  it('the second is judged with the first: two days, township and sending unit', async () => {
    const reply = await b.say('LiXiaoYan', '请假 事假 12月8日 办事');
    expect(reply?.text).toContain('与相连的请假合并审批：连同 Q1001 合计 12月7日至8日 共2天。');
    expect(await stepsOf('Q1002')).toEqual(['township', 'sending-unit']);
    expect(field('Q1002', '合并审批')).toBe('连同 Q1001 合计 12月7日至8日 共2天');
    expect(field('Q1002', '天数')).toBe('按扣除法定假日计 1 天');
    expect(cardOf('Q1002')?.description).toContain('\n本月已请假 2 天（含本次，已批准和审批中）。\n');
    expect(cardOf('Q1002')?.fields).toHaveLength(6);
  });

  it('the third makes three days, still township and sending unit', async () => {
    await b.say('LiXiaoYan', '请假 事假 12月9日 办事');
    expect(await stepsOf('Q1003')).toEqual(['township', 'sending-unit']);
  });

  it('the fourth makes four days and goes up to the organisation department; the others keep their state', async () => {
    await b.say('LiXiaoYan', '请假 事假 12月10日 办事');
    expect(await stepsOf('Q1004')).toEqual(['township', 'sending-unit', 'org']);
    expect(field('Q1004', '合并审批')).toBe('连同 Q1001、Q1002、Q1003 合计 12月7日至10日 共4天');
    expect(cardOf('Q1004')?.description).toContain('本月已请假 4 天（含本次，已批准和审批中）');
    expect((await b.repo.get('Q1001'))!.status).toBe('approved');
    expect(await stepsOf('Q1002')).toEqual(['township', 'sending-unit']);
    expect((await b.repo.get('Q1004'))!.judged).toEqual({
      rule: 'net-of-days-off',
      days: 1,
      combined: { with: ['Q1001', 'Q1002', 'Q1003'], start: '2026-12-07', end: '2026-12-10', days: 4 },
      monthDays: 4,
    });
  });

  it("the type's maximum holds for the combined days of the same type", async () => {
    // 事假 at most 10 days: 12月11日 (Friday) to 17日 joins 7日 to 10日, eleven days with the weekend.
    const reply = await b.say('LiXiaoYan', '请假 事假 12月11日至12月17日 回老家');
    expect(reply?.text).toBe(
      '事假单次最长 10 天。这次请假与相连的事假 Q1001、Q1002、Q1003、Q1004 合并计算，共 11 天，超过了上限。请缩短日期后重新发送；确需更长时间，请联系县委组织部。',
    );
    expect(await b.repo.get('Q1005')).toBeUndefined();
  });

  it('a rejected or withdrawn request joins nothing', async () => {
    await b.say('LiZhenHua', '驳回 Q1004 请合并申请');
    await b.say('LiXiaoYan', '撤回 Q1003');
    await b.say('LiXiaoYan', '请假 事假 12月11日 办事');
    // 12月9日 and 10日 hold no days any more: two working days lie between 8日 and 11日.
    expect(await stepsOf('Q1005')).toEqual(['township']);
    expect(field('Q1005', '合并审批')).toBeUndefined();
  });
});

describe('what counts as a gap', () => {
  it('a weekend between is no gap: Friday and Monday are judged together, the weekend counted', async () => {
    await b.say('LiuFang', '请假 事假 12月11日 办事');
    const reply = await b.say('LiuFang', '请假 事假 12月14日 办事');
    expect(reply?.text).toContain('连同 Q1006 合计 12月11日至14日 共4天');
    expect(await stepsOf('Q1007')).toEqual(['township', 'sending-unit', 'org']);
  });

  it('one working day between is within the default gap (the days off around it not counted); two are not', async () => {
    await b.say('HeJing', '请假 事假 12月21日 办事');
    expect((await b.say('HeJing', '请假 事假 12月23日 办事'))?.text).toContain('连同 Q1008 合计 12月21日至23日 共2天');
    expect((await b.say('HeJing', '请假 事假 12月28日 办事'))?.text).not.toContain('连同');
  });
});

describe('a holiday between is no gap', () => {
  // Tuesday 29 September 2026; 国庆节 is 1 to 7 October.
  const h = leaveBot(t, '2026-09-29T09:00:00+08:00');
  beforeAll(() => h.setup());

  it('30 September and 8 October are judged together; the holiday days do not count', async () => {
    await h.say('ZhangZhiQiang', '请假 事假 9月30日 办事');
    const reply = await h.say('ZhangZhiQiang', '请假 事假 10月8日 办事');
    expect(reply?.text).toContain('连同 Q1011 合计 9月30日至10月8日 共2天');
    expect((await h.repo.get('Q1012'))!.steps.map((s) => s.kind)).toEqual(['township', 'sending-unit']);
  });

  it('a request all on holiday days counts nothing and is refused with a sentence', async () => {
    expect((await h.say('ZhangZhiQiang', '请假 事假 10月2日至10月4日 回家'))?.text).toBe(
      '10月2日至4日都是法定放假日，按本县规定（按扣除法定假日计）不算请假天数，无需请假。如日期写错了，请改正后重新发送。',
    );
  });
});

describe('a request overlapping another leave', () => {
  it('is refused (no day is asked twice), pointing to the new days, which are then judged together', async () => {
    // LiuFang holds 12月11日 (Q1006) and 14日 (Q1007).
    expect((await b.say('LiuFang', '请假 事假 12月14日至12月16日 办事'))?.text).toBe(
      '这段日期与您的请假 Q1007（事假 12月14日，1天，审批中）重叠，请核对日期。如需延长，请只申请新增的日子（12月15日至16日），将与原请假合并审批；如需改期，可先撤回原申请。',
    );
    expect((await b.say('LiuFang', '请假 事假 12月15日至12月16日 办事'))?.text).toContain(
      '连同 Q1006、Q1007 合计 12月11日至16日 共6天',
    );
  });
});
