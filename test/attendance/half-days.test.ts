/**
 * Half-day leave in attendance: an excused half day lowers the month's target by half a day before rounding up,
 * and a day with a half-day leave stays a day for presence (a check-in counts, and a day ahead stays open).
 */
import { describe, expect, it } from 'vitest';
import { loadFigures, type FiguresCadre } from '../../src/attendance/figures.js';
import { monthlyTarget, type TargetCalendar } from '../../src/attendance/targets.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { defaultPolicy, type MonthlyRule } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import { useTestRedis } from '../helpers/redis.js';
import { checkIn } from './seed.js';

const t = useTestRedis();
const policy = defaultPolicy();
// November 2026 has no holidays: a full month's target is 22 under every rule.
const noHolidays: TargetCalendar = { isYearCovered: () => true, isDayOff: () => false };
const term = { start: '2026-01-01', end: '2027-12-31' };

function target(rule: MonthlyRule, excused: string[], halves: string[]): number {
  const t = monthlyTarget({
    month: '2026-11',
    term,
    excusedDates: excused,
    excusedHalfDates: halves,
    calendar: noHolidays,
    policy: { monthly: { ...policy.monthly, rule, minimum: 22 } },
  });
  return t.status === 'set' ? t.target : NaN;
}

describe('the monthly target with excused half days', () => {
  it('subtract: half a day off the target, then rounded up', () => {
    expect(target('subtract', [], [])).toBe(22);
    expect(target('subtract', [], ['2026-11-20'])).toBe(22); // ceil(21.5)
    expect(target('subtract', [], ['2026-11-19', '2026-11-20'])).toBe(21);
    expect(target('subtract', ['2026-11-19'], ['2026-11-20'])).toBe(21); // ceil(20.5)
    // A day both whole and half excused counts whole, once.
    expect(target('subtract', ['2026-11-20'], ['2026-11-20'])).toBe(21);
  });

  it('prorate: half a day out of the eligible days', () => {
    const five = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
    expect(target('prorate', five, [])).toBe(19); // ceil(22 × 25 / 30)
    expect(target('prorate', [], five)).toBe(21); // ceil(22 × 27.5 / 30)
  });

  it('fixed: leave does not change it', () => {
    expect(target('fixed', [], ['2026-11-20'])).toBe(22);
  });

  it('reports the half days it counted', () => {
    const t = monthlyTarget({
      month: '2026-11',
      term,
      excusedHalfDates: ['2026-11-20', '2026-11-21'],
      calendar: { isYearCovered: () => true, isDayOff: (d) => d === '2026-11-21' },
      policy: { monthly: { ...policy.monthly, rule: 'subtract', minimum: 22 } },
    });
    expect(t).toMatchObject({ status: 'set', excusedDays: 0, excusedHalfDays: 1, daysOff: 1 });
  });
});

let no = 0;
async function halfDayLeave(userId: string, type: string, date: string, half: 'start' | 'end'): Promise<void> {
  no += 1;
  const r: LeaveRequest = {
    no: `Q${8000 + no}`,
    userId,
    type,
    class: 'excused',
    start: date,
    end: date,
    ...(half === 'start' ? { halfStart: true as const } : { halfEnd: true as const }),
    days: 1,
    reason: '测试',
    createdAt: new Date(`${date}T08:00:00+08:00`).toISOString(),
    status: 'approved',
    steps: [],
  };
  const tx = new Tx();
  new LeaveRepo(t.redis, t.keys).save(tx, r);
  await tx.commit(t.redis);
}

describe('month figures with half-day sick leave', () => {
  const NOV_18 = new Date('2026-11-18T09:00:00+08:00');
  const cadre: FiguresCadre = { userid: 'h1', termStart: '2026-04-28', termEnd: '2027-04-27' };

  it('counts a checked-in half day as presence, keeps half days ahead open and lowers the target by halves', async () => {
    for (const d of ['2026-11-16', '2026-11-17', '2026-11-19', '2026-11-20', '2026-11-23'])
      await halfDayLeave('h1', '病假', d, d === '2026-11-17' ? 'end' : 'start');
    await checkIn(t, 'h1', ['2026-11-16', '2026-11-17']);
    const src = { redis: t.redis, keys: t.keys, policy, calendar: new HolidayCalendar() };
    const m = (await loadFigures(src, [cadre], { now: NOV_18, months: ['2026-11'] })).get('h1')!.month;
    // prorate: ceil(22 × (30 − 5 × 0.5) / 30) = 21; 18th–30th all stay open.
    expect(m.target).toMatchObject({ status: 'set', target: 21, excusedDays: 0, excusedHalfDays: 5 });
    expect(m.present).toBe(2);
    expect(m.remaining).toBe(13);
    expect([16, 17].map((d) => m.days[d - 1]!.mark)).toEqual(['present', 'present']);
  });
});
