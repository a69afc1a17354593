import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { forecastStatus } from '../../src/attendance/accounting.js';
import { loadFigures, type FiguresCadre } from '../../src/attendance/figures.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { useTestRedis } from '../helpers/redis.js';
import { checkIn, days, leave } from './seed.js';

const t = useTestRedis();
const FIXTURE_2027 = fileURLToPath(new URL('../fixtures/holidays/2027.json', import.meta.url));
const calendar = new HolidayCalendar();
const policy = defaultPolicy();
const src = { redis: t.redis, keys: t.keys, policy, calendar };

// Mid-November 2026: no holidays in November, so a full month's target is 22, and 13 days (18th–30th) are open
// while today has no check-in yet.
const NOV_18 = new Date('2026-11-18T09:00:00+08:00');

const cadre = (userid: string): FiguresCadre => ({ userid, termStart: '2026-04-28', termEnd: '2027-04-27' });

async function figures(userid: string, now: Date, month?: string, source = src) {
  return (await loadFigures(source, [cadre(userid)], { now, ...(month ? { months: [month] } : {}) })).get(userid)!;
}

describe('month accounting', () => {
  it('counts presence days and the self-reported ones; today without a check-in is open, not absent', async () => {
    await checkIn(t, 'a1', days('2026-11-02', '2026-11-04'));
    await checkIn(t, 'a1', ['2026-11-05', '2026-11-06'], 'message');
    await checkIn(t, 'a1', ['2026-11-06']); // a verified check-in backs the self-reported one
    const m = (await figures('a1', NOV_18)).month;
    expect(m).toMatchObject({
      month: '2026-11',
      phase: 'current',
      present: 5,
      selfReported: 1,
      presentLeave: 0,
      remaining: 13,
      needed: 17,
    });
    expect(m.target).toMatchObject({ status: 'set', target: 22 });
    const mark = (d: number) => m.days[d - 1]!.mark;
    expect([1, 2, 5, 6, 17, 18, 19].map(mark)).toEqual([
      'absent',
      'present',
      'self-reported',
      'present',
      'absent',
      'open',
      'open',
    ]);
  });

  it('counts a confirmed back-fill like any check-in', async () => {
    await checkIn(t, 'a2', ['2026-11-10'], 'backfill');
    expect((await figures('a2', NOV_18)).month).toMatchObject({ present: 1, selfReported: 0 });
  });

  it('counts approved leave of the present class as presence, other classes and pending leave not', async () => {
    await checkIn(t, 'b1', days('2026-11-02', '2026-11-06'));
    await leave(t, 'b1', '培训', '2026-11-09', '2026-11-13');
    await leave(t, 'b1', '事假', '2026-11-16', '2026-11-16');
    await leave(t, 'b1', '公差', '2026-11-17', '2026-11-17', { status: 'pending' });
    await leave(t, 'b1', '会议', '2026-11-24', '2026-11-24');
    const m = (await figures('b1', NOV_18)).month;
    expect(m).toMatchObject({ present: 10, presentLeave: 5, selfReported: 0 });
    expect(m.target).toMatchObject({ target: 22, excusedDays: 0 });
    // A planned meeting ahead stays open (it will count); 事假 makes a day leave but not presence.
    expect(m.remaining).toBe(13);
    expect([9, 16, 17, 24].map((d) => m.days[d - 1]!.mark)).toEqual(['leave', 'leave', 'absent', 'leave']);
  });

  it('lowers the target for excused leave, planned days included, and keeps those days out of the open ones', async () => {
    await leave(t, 'c1', '病假', '2026-11-16', '2026-11-20');
    const m = (await figures('c1', NOV_18)).month;
    // ceil(22 × 25 / 30) = 19; 18th–20th are on sick leave, so 10 days stay open.
    expect(m.target).toMatchObject({ target: 19, excusedDays: 5, eligibleDays: 25 });
    expect(m.remaining).toBe(10);
  });

  it('counts excused leave only up to the actual return after 销假', async () => {
    await leave(t, 'c2', '病假', '2026-11-16', '2026-11-20', { returnedOn: '2026-11-17' });
    const m = (await figures('c2', NOV_18)).month;
    expect(m.target).toMatchObject({ target: 21, excusedDays: 2 }); // ceil(22 × 28 / 30)
    expect(m.remaining).toBe(13);
  });

  it('prorates the first month of a term that starts on 28 April', async () => {
    await checkIn(t, 'd1', ['2026-04-28', '2026-04-29']);
    const m = (await figures('d1', new Date('2026-04-30T10:00:00+08:00'))).month;
    // ceil(22 × 3 / 30) = 3 (the Qingming days off fall before the term).
    expect(m.target).toMatchObject({ target: 3, daysOutsideTerm: 27, daysOff: 0 });
    expect(m).toMatchObject({ present: 2, remaining: 1, needed: 1 });
    expect(m.days.slice(0, 27).every((d) => d.mark === 'outside')).toBe(true);
    expect(m.days[29]!.mark).toBe('open');
  });

  it('leaves out days off from the open days of a month with holidays', async () => {
    await checkIn(t, 'd2', ['2026-10-02']);
    const m = (await figures('d2', new Date('2026-10-08T09:00:00+08:00'))).month;
    // October 2026: 1–7 off, ceil(22 × 24 / 31) = 18; a day in the village during the break still counts, and
    // the open days are the 24 after it.
    expect(m.target).toMatchObject({ target: 18, daysOff: 7 });
    expect(m).toMatchObject({ present: 1, remaining: 24, needed: 17, status: 'on-track' });
    expect([1, 2].map((d) => m.days[d - 1]!.mark)).toEqual(['off', 'present']);
  });

  it('on track, at risk and cannot reach around the policy share (80% of the open days)', async () => {
    await checkIn(t, 'e1', days('2026-11-01', '2026-11-12')); // needs 10 of 13: 10 ≤ 10.4
    await checkIn(t, 'e2', days('2026-11-01', '2026-11-11')); // needs 11 of 13: above 80%
    await checkIn(t, 'e3', days('2026-11-01', '2026-11-08')); // needs 14 of 13
    await checkIn(t, 'e4', [...days('2026-11-01', '2026-11-11'), '2026-11-18']); // today counts: needs 10 of 12
    const all = await loadFigures(src, ['e1', 'e2', 'e3', 'e4'].map(cadre), { now: NOV_18 });
    const status = (u: string) => [all.get(u)!.month.needed, all.get(u)!.month.remaining, all.get(u)!.month.status];
    expect(status('e1')).toEqual([10, 13, 'on-track']);
    expect(status('e2')).toEqual([11, 13, 'at-risk']);
    expect(status('e3')).toEqual([14, 13, 'cannot-reach']);
    expect(status('e4')).toEqual([10, 12, 'at-risk']);
  });

  it('reads a closed month that fell short as cannot reach, with nothing open', async () => {
    await checkIn(t, 'e5', days('2026-10-08', '2026-10-20'));
    const m = (await figures('e5', NOV_18, '2026-10')).month;
    expect(m).toMatchObject({ phase: 'past', present: 13, remaining: 0, needed: 5, status: 'cannot-reach' });
  });

  it('a month of a year without holiday data is pending; the override file makes it a number', async () => {
    await checkIn(t, 'f1', days('2027-02-01', '2027-02-03'));
    const now = new Date('2027-02-04T09:00:00+08:00');
    const pending = (await figures('f1', now)).month;
    expect(pending.target).toEqual({ status: 'pending', month: '2027-02', reason: 'no-holiday-data', year: 2027 });
    expect(pending).toMatchObject({ present: 3, needed: null, status: 'pending' });

    const withOverride = { ...src, calendar: await HolidayCalendar.load({ overrides: FIXTURE_2027 }) };
    const known = (await figures('f1', now, undefined, withOverride)).month;
    expect(known.target).toMatchObject({ status: 'set', target: 15, daysOff: 9 });
    expect(known).toMatchObject({ present: 3, needed: 12, status: 'on-track' });
    // 4th–28th minus the nine days off (5th–13th) leaves 16 open days; 12 of 16 is within 80%.
    expect(known.remaining).toBe(16);
    expect(known.days[5]!.mark).toBe('off');
  });

  it('forecastStatus thresholds', () => {
    expect(forecastStatus(0, 0, 0.8)).toBe('on-track');
    expect(forecastStatus(8, 10, 0.8)).toBe('on-track');
    expect(forecastStatus(9, 10, 0.8)).toBe('at-risk');
    expect(forecastStatus(10, 10, 0.8)).toBe('at-risk');
    expect(forecastStatus(11, 10, 0.8)).toBe('cannot-reach');
  });
});
