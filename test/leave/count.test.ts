/**
 * How leave days are counted for the approval level and the type's maximum (`leave.countDays`), half days,
 * and which leaves are joined (`leave.mergeGapDays`), on the 2026 calendar: 国庆节 1 to 7 October, with
 * Saturday 10 October a make-up working day.
 */
import { describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { checkLeave, judge } from '../../src/leave/check.js';
import { countDays } from '../../src/leave/count.js';
import { mergedWith } from '../../src/leave/merge.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import type { LeaveDayCount } from '../../src/policy/schema.js';
import { Roster } from '../../src/roster/roster.js';
import { sampleRosterData } from '../helpers/deps.js';

const calendar = new HolidayCalendar();
const withRule = (countDays: LeaveDayCount, more: Partial<Policy['leave']> = {}): Policy => {
  const p = defaultPolicy();
  return { ...p, leave: { ...p.leave, countDays, ...more } };
};
const request = (no: string, start: string, end: string, extra: Partial<LeaveRequest> = {}): LeaveRequest => ({
  no,
  userId: 'LiXiaoYan',
  type: '事假',
  class: 'absent',
  start,
  end,
  days: 1,
  reason: '',
  createdAt: '2026-10-01T00:00:00.000Z',
  status: 'approved',
  steps: [],
  ...extra,
});

describe('the three counting rules', () => {
  // 5 to 11 October: 5–7 holiday, 8–9 working, 10 make-up working Saturday, 11 Sunday.
  const span = { start: '2026-10-05', end: '2026-10-11' };
  it.each([
    ['calendar', 7],
    ['net-of-days-off', 4],
    ['working-days', 3],
  ] as const)('%s counts %d days', (rule, days) => {
    expect(countDays([span], { rule, calendar })).toBe(days);
  });

  it('the rule picks the approval level: seven calendar or four net days reach the organisation department, three working days do not', () => {
    const roster = new Roster(sampleRosterData());
    const cadre = roster.cadres.get('LiXiaoYan')!;
    const now = new Date('2026-10-05T09:00:00+08:00');
    const steps = (rule: LeaveDayCount) =>
      checkLeave('请假 事假 10月5日至10月11日 回家', {
        policy: withRule(rule),
        now,
        roster,
        cadre,
        calendar,
      }).chain!.steps.map((s) => s.kind);
    expect(steps('calendar')).toEqual(['township', 'sending-unit', 'org']);
    expect(steps('net-of-days-off')).toEqual(['township', 'sending-unit', 'org']);
    expect(steps('working-days')).toEqual(['township', 'sending-unit']);
  });

  it('a weekend day counts nothing by working days, and is refused as such', () => {
    const now = new Date('2026-12-10T09:00:00+08:00');
    const check = checkLeave('请假 事假 12月12日 办事', { policy: withRule('working-days'), now, calendar });
    expect(check.problem).toEqual({
      code: 'leave_no_countable_days',
      message:
        '12月12日是休息日或法定放假日，按本县规定（按工作日计）不算请假天数，无需请假。如日期写错了，请改正后重新发送。',
    });
  });
});

describe('half days count 0.5', () => {
  it('an afternoon start and a morning end each take half a day off the count', () => {
    expect(
      countDays([{ start: '2026-12-07', end: '2026-12-09', halfStart: true }], { rule: 'calendar', calendar }),
    ).toBe(2.5);
    expect(
      countDays([{ start: '2026-12-07', end: '2026-12-09', halfStart: true, halfEnd: true }], {
        rule: 'calendar',
        calendar,
      }),
    ).toBe(2);
    expect(countDays([{ start: '2026-12-07', end: '2026-12-07', halfEnd: true }], { rule: 'calendar', calendar })).toBe(
      0.5,
    );
  });

  it('a half day joined to a whole one: one and a half days, still the township and sending unit', () => {
    const existing = [request('Q1', '2026-12-07', '2026-12-07')];
    const { judged } = judge(
      { type: '事假', start: '2026-12-08', end: '2026-12-08', halfEnd: true },
      existing,
      defaultPolicy(),
      calendar,
    );
    expect(judged).toMatchObject({ days: 0.5, combined: { with: ['Q1'], days: 1.5 }, monthDays: 1.5 });
  });
});

describe('days off between joined leaves', () => {
  const count = (spans: { start: string; end: string }[]) =>
    countDays(spans, { rule: 'net-of-days-off', calendar, bridge: true });
  it('count when nothing but days off lies between, as in one leave over them', () => {
    // Friday 11 and Monday 14 December: the weekend between counts, as in a leave of 11日 to 14日.
    expect(
      count([
        { start: '2026-12-11', end: '2026-12-11' },
        { start: '2026-12-14', end: '2026-12-14' },
      ]),
    ).toBe(4);
    expect(count([{ start: '2026-12-11', end: '2026-12-14' }])).toBe(4);
  });

  it('do not count when a working day back at work lies between too', () => {
    // Thursday 10 and Monday 14 December: back on Friday 11, so the weekend is not leave.
    expect(
      count([
        { start: '2026-12-10', end: '2026-12-10' },
        { start: '2026-12-14', end: '2026-12-14' },
      ]),
    ).toBe(2);
  });
});

describe('which leaves are joined', () => {
  const opts = (gapDays: number) => ({ gapDays, calendar });
  it('the make-up working Saturday is a gap day: Friday 9 and Monday 12 October have one working day between', () => {
    const friday = [request('Q1', '2026-10-09', '2026-10-09')];
    const monday = { start: '2026-10-12', end: '2026-10-12' };
    expect(mergedWith(monday, friday, opts(1)).map((j) => j.request.no)).toEqual(['Q1']);
    expect(mergedWith(monday, friday, opts(0))).toEqual([]);
  });

  it('joins through another leave, and ignores rejected and withdrawn ones', () => {
    const others = [
      request('Q1', '2026-12-01', '2026-12-01'),
      request('Q2', '2026-12-02', '2026-12-02', { status: 'pending' }),
      request('Q3', '2026-12-04', '2026-12-04', { status: 'rejected' }),
      request('Q4', '2026-12-08', '2026-12-08', { status: 'withdrawn' }),
    ];
    expect(mergedWith({ start: '2026-12-03', end: '2026-12-03' }, others, opts(0)).map((j) => j.request.no)).toEqual([
      'Q1',
      'Q2',
    ]);
  });

  it('an approved leave cut short by 销假 holds only the days used', () => {
    const returned = request('Q1', '2026-12-01', '2026-12-04', {
      returnedOn: '2026-12-01',
      returnedAt: '2026-12-02T00:30:00.000Z',
    });
    expect(mergedWith({ start: '2026-12-04', end: '2026-12-04' }, [returned], opts(1))).toEqual([]);
    expect(mergedWith({ start: '2026-12-03', end: '2026-12-03' }, [returned], opts(1))).toHaveLength(1);
  });
});
