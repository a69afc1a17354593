/**
 * 销假 tells those who approved the leave; a return later than the approved end is 超假: the working days over
 * are absent (never leave, presence or excused) unless a follow-up request covering them is approved.
 * `我回来了` / `已返岗` report back from a leave under way or just ended, and otherwise ask about 签到.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { leaveByDay } from '../../src/attendance/month-figures.js';
import { leaveDatesByClass, leaveOn } from '../../src/leave/days.js';
import { overstayDates, overstayDays } from '../../src/leave/overstay.js';
import { returnRecipients } from '../../src/leave/service.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { useTestRedis } from '../helpers/redis.js';
import { dataSnapshot, leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 4 December 2026.
const b = leaveBot(t, '2026-12-04T09:00:00+08:00');
const calendar = new HolidayCalendar();

beforeAll(() => b.setup());

const sent = (key: string) => {
  const m = b.outbox.queued.find((q) => q.key === key);
  return m && { to: m.to, text: m.body.type === 'text' ? m.body.content : '' };
};

describe('超假: back two working days late', () => {
  it('a two-day leave approved by the township and the sending unit', async () => {
    await b.say('LiXiaoYan', '请假 事假 12月7日至8日 家中有事');
    await b.say('LiZhenHua', '同意 Q1001');
    await b.say('DuHongWei', '同意 Q1001');
    expect((await b.repo.get('Q1001'))!.status).toBe('approved');
  });

  it('销假 on Friday 11 December: the reply, the approvers and 我的请假 say 超假 2 天', async () => {
    b.clock.set('2026-12-11T08:30:00+08:00');
    b.outbox.queued.length = 0;
    const reply = await b.say('LiXiaoYan', '销假');
    expect(reply?.text).toBe(
      [
        '已销假：请假 Q1001（事假）实际休假12月7日至8日，共 2 天（原批准 2 天）。已告知审批人。',
        '超假 2 天（12月9日至10日）：超出批准日期的工作日按缺勤计，除非补请假获批。如需补请，请发「请假 事假 12月9日至10日 事由」。',
        '欢迎返岗！',
      ].join('\n'),
    );
    expect(sent('leave:Q1001:returned')).toEqual({
      to: { kind: 'user', userIds: ['LiZhenHua', 'DuHongWei'] },
      text: [
        '李晓燕（北堡村）已销假：请假 Q1001（事假）实际休假12月7日至8日，共 2 天（原批准12月7日至8日，2 天）。',
        '【超假 2 天（12月9日至10日）】超出批准日期的工作日按缺勤计，除非补请假获批。',
        '（为什么收到：您审批了这条请假）',
      ].join('\n'),
    });
    expect((await b.say('LiXiaoYan', '我的请假'))?.text).toContain(
      'Q1001 事假 12月7日至8日，2天 已销假（实际12月7日至8日，2天；超假 2 天（12月9日至10日），按缺勤计）',
    );
  });

  it('the days over are not leave: attendance sees them as neither presence nor excused', async () => {
    const mine = await b.repo.ofUser('LiXiaoYan');
    const r = mine.find((x) => x.no === 'Q1001')!;
    expect(r.returnedOn).toBe('2026-12-10');
    expect(overstayDates(r, calendar, mine)).toEqual(['2026-12-09', '2026-12-10']);
    expect(overstayDays(r, calendar, mine)).toBe(2);
    expect(leaveDatesByClass(mine)).toEqual({ present: [], excused: [], absent: ['2026-12-07', '2026-12-08'] });
    expect(leaveOn(mine, '2026-12-09')).toBeUndefined();
    expect([...leaveByDay(mine, defaultPolicy(), '2026-12-01', '2026-12-31').keys()]).toEqual([
      '2026-12-07',
      '2026-12-08',
    ]);
  });

  it('a follow-up request for the days over is joined to the leave, and once approved they are no longer over', async () => {
    const reply = await b.say('LiXiaoYan', '请假 事假 12月9日至10日 路上耽误');
    expect(reply?.text).toContain('连同 Q1001 合计 12月7日至10日 共4天');
    expect((await b.repo.get('Q1002'))!.steps.map((s) => s.kind)).toEqual(['township', 'sending-unit', 'org']);
    await b.say('LiZhenHua', '同意 Q1002');
    await b.say('DuHongWei', '同意 Q1002');
    await b.say('WuJianZhong', '同意 Q1002');
    const mine = await b.repo.ofUser('LiXiaoYan');
    expect(
      overstayDays(
        mine.find((x) => x.no === 'Q1001')!,
        calendar,
        mine,
      ),
    ).toBe(0);
    expect((await b.say('LiXiaoYan', '我的请假'))?.text).not.toContain('超假');
  });

  it('back on Monday after a leave ending Friday is on time: the weekend is no 超假', async () => {
    b.clock.set('2026-12-11T09:00:00+08:00');
    await b.say('LiuFang', '请假 事假 12月11日 办事');
    await b.say('LiZhenHua', '同意 Q1003');
    b.clock.set('2026-12-14T08:30:00+08:00');
    const reply = await b.say('LiuFang', '销假');
    expect(reply?.text).toContain('实际休假12月11日，共 1 天');
    expect(reply?.text).not.toContain('超假');
    expect((await b.repo.get('Q1003'))!.returnedOn).toBe('2026-12-13');
  });
});

describe('我回来了 / 已返岗', () => {
  it('ends the leave under way, and its approver hears of it', async () => {
    b.clock.set('2026-12-15T09:00:00+08:00');
    await b.say('HeJing', '请假 病假 12月15日至16日 感冒');
    await b.say('LiZhenHua', '同意 Q1004');
    // HeJing's sending unit (县交通局) has no leader: the organisation department took that step.
    await b.say('WuJianZhong', '同意 Q1004');
    expect((await b.repo.get('Q1004'))!.status).toBe('approved');
    b.clock.set('2026-12-16T08:00:00+08:00');
    b.outbox.queued.length = 0;
    expect((await b.say('HeJing', '我回来了'))?.text).toContain('已销假：请假 Q1004（病假）实际休假12月15日，共 1 天');
    expect(sent('leave:Q1004:returned')?.to).toEqual({ kind: 'user', userIds: ['LiZhenHua', 'WuJianZhong'] });
  });

  it('ends a leave that ended a few days ago (已返岗)', async () => {
    b.clock.set('2026-12-16T09:00:00+08:00');
    await b.say('MaJunJie', '请假 事假 12月16日 办事');
    await b.say('LiZhenHua', '同意 Q1005');
    b.clock.set('2026-12-18T08:00:00+08:00');
    expect((await b.say('MaJunJie', '已返岗'))?.text).toContain('超假 1 天（12月17日）');
  });

  it('without a leave under way or just ended, asks whether a check-in is meant and changes nothing', async () => {
    b.clock.set('2026-12-18T09:00:00+08:00');
    await b.say('GuoYongHong', '请假 事假 12月21日 办事');
    await b.say('LiZhenHua', '同意 Q1006');
    const before = await dataSnapshot(t);
    const queued = b.outbox.queued.length;
    for (const [who, text] of [
      ['SunLiJuan', '我回来了'],
      ['GuoYongHong', '回来了'],
      ['GuoYongHong', '已回村'],
    ]) {
      expect((await b.say(who!, text!))?.text).toBe(
        '欢迎回来！您目前没有正在休或刚结束的请假。是要签到吗？请发「签到」。',
      );
    }
    expect(await dataSnapshot(t)).toEqual(before);
    expect(b.outbox.queued.length).toBe(queued);
    // The upcoming leave was not cancelled.
    expect((await b.repo.get('Q1006'))!.returnedAt).toBeUndefined();
  });

  it('销假 followed by words is still read as a date, not as the phrase', async () => {
    expect((await b.say('GuoYongHong', '销假 已经回来了'))?.text).toContain('没有看懂销假日期');
  });
});

describe('who hears of a 销假', () => {
  it('those who approved; with no approval on record, the first step', () => {
    const base = {
      no: 'Q1',
      userId: 'x',
      type: '事假',
      class: 'absent' as const,
      start: '2026-12-01',
      end: '2026-12-01',
      days: 1,
      reason: '',
      createdAt: '2026-12-01T00:00:00Z',
      status: 'approved' as const,
    };
    expect(
      returnRecipients({
        ...base,
        steps: [
          { kind: 'township', approvers: ['a', 'b'], decision: 'approved', by: 'b' },
          { kind: 'org', approvers: ['c'], decision: 'approved', by: 'c' },
        ],
      }),
    ).toEqual({ userIds: ['b', 'c'], approved: true });
    expect(returnRecipients({ ...base, steps: [{ kind: 'township', approvers: ['a', 'b'] }] })).toEqual({
      userIds: ['a', 'b'],
      approved: false,
    });
  });
});
