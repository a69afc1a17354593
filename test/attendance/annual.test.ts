import { describe, expect, it } from 'vitest';
import { projectShortfall } from '../../src/attendance/annual.js';
import { loadFigures, type FiguresCadre } from '../../src/attendance/figures.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { addDays } from '../../src/kit/dates.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { useTestRedis } from '../helpers/redis.js';
import { dueNotices } from '../../src/warnings/ladder.js';
import { checkIn, days, leave } from './seed.js';

const t = useTestRedis();
const policy = defaultPolicy();
const src = { redis: t.redis, keys: t.keys, policy, calendar: new HolidayCalendar() };
const NOV_18 = new Date('2026-11-18T09:00:00+08:00');
const TERM = { start: '2026-04-28', end: '2027-04-27' };
const cadre = (userid: string): FiguresCadre => ({ userid, termStart: TERM.start, termEnd: TERM.end });

/** Present on the first `n` days of the term. */
const firstDays = (n: number) => days('2026-04-28', addDays('2026-04-28', n - 1));

// The term year 2026-04-28 → 2027-04-27 has 365 days and a target of 250. On 18 November 204 days are behind
// (3 + 31 + 30 + 31 + 31 + 30 + 31 + 17), so the pace is round(250 × 204 / 365) = 140, and 161 days are open.
describe('annual accounting', () => {
  it('gives the period, target, pace and open days', async () => {
    await checkIn(t, 'y1', firstDays(150));
    const y = (await loadFigures(src, [cadre('y1')], { now: NOV_18 })).get('y1')!.year;
    expect(y.target).toMatchObject({
      target: 250,
      termDays: 365,
      period: { kind: 'term', start: '2026-04-28', end: '2027-04-27' },
    });
    expect(y).toMatchObject({
      present: 150,
      elapsed: 204,
      pace: 140,
      remaining: 161,
      needed: 100,
      status: 'on-track',
      uncoveredYears: [2027],
    });
    // 150 days in 204 is a rate of 0.735; over 161 open days that reaches 268 ≥ 250.
    expect(y.shortfallDate).toBeNull();
  });

  it('projects the day the target falls out of reach at the current rate', async () => {
    await checkIn(t, 'y2', firstDays(100));
    const y = (await loadFigures(src, [cadre('y2')], { now: NOV_18 })).get('y2')!.year;
    expect(y).toMatchObject({ present: 100, pace: 140, needed: 150, remaining: 161, status: 'at-risk' });
    // At 100/204 a day, on the morning of 10 December (22 open days on) the cadre is at about 110.8 and needs
    // 139.2 with 139 days left; on 9 December 110.3 needs 139.7 with 140 left, still possible.
    expect(y.shortfallDate).toBe('2026-12-10');
  });

  it('cannot reach when more days are needed than remain; the shortfall date is today', async () => {
    await checkIn(t, 'y3', firstDays(50));
    const y = (await loadFigures(src, [cadre('y3')], { now: NOV_18 })).get('y3')!.year;
    expect(y).toMatchObject({ needed: 200, remaining: 161, status: 'cannot-reach', shortfallDate: '2026-11-18' });
  });

  it('takes leave away out of the open days and counts present-class leave', async () => {
    await checkIn(t, 'y4', firstDays(100));
    await leave(t, 'y4', '培训', '2026-11-02', '2026-11-06');
    await leave(t, 'y4', '事假', '2026-12-01', '2026-12-05');
    const y = (await loadFigures(src, [cadre('y4')], { now: NOV_18 })).get('y4')!.year;
    expect(y).toMatchObject({ present: 105, presentLeave: 5, remaining: 156 });
  });

  it('lowers the target for excused leave: 158 days of 产假 from December leave a cadre on pace on track', async () => {
    // 140 days, on pace: the first two months of the term, then every day since September.
    await checkIn(t, 'y7', [...days('2026-04-28', '2026-06-28'), ...days('2026-09-01', '2026-11-17')]);
    await leave(t, 'y7', '产假', '2026-12-01', '2027-05-07');
    const y = (await loadFigures(src, [cadre('y7')], { now: NOV_18 })).get('y7')!.year;
    // 148 of the leave days fall in the term year: ceil(250 × (365 − 148) / 365) = 149. Open are only the 13
    // days to 30 November, and 9 are needed.
    expect(y.target).toMatchObject({ target: 149, termDays: 365, excusedDays: 148 });
    expect(y).toMatchObject({
      present: 140,
      needed: 9,
      remaining: 13,
      status: 'on-track',
      elapsed: 204,
      shortfallDate: null,
    });
    // The pace spreads the target over the 217 days not excused: round(149 × 204 / 217).
    expect(y.pace).toBe(140);
    // So the ladder sends nothing: no 警示 for the annual pace, and the month is on track too.
    const months = (
      await loadFigures(src, [cadre('y7')], { now: NOV_18, months: ['2026-11', '2026-10', '2026-09'] })
    ).get('y7')!.months;
    const notices = dueNotices(
      { userId: 'y7', term: TERM, months, year: y },
      NOV_18,
      { warnings: policy.warnings, backfillHours: 48 },
      () => false,
    );
    expect(notices).toEqual([]);
  });

  it('prorates a calendar-year period the term covers only in part', async () => {
    const calendarYear = { ...src, policy: { ...policy, annual: { ...policy.annual, period: 'calendar' as const } } };
    const y = (await loadFigures(calendarYear, [cadre('y5')], { now: NOV_18 })).get('y5')!.year;
    // 28 April – 31 December is 248 days of 365: ceil(250 × 248 / 365) = 170.
    expect(y.target).toMatchObject({ target: 170, termDays: 248, period: { kind: 'calendar', start: '2026-01-01' } });
    expect(y.elapsed).toBe(204);
    expect(y.pace).toBe(Math.round((170 * 204) / 248));
    expect(y.uncoveredYears).toEqual([]);
  });

  it('shows the last term year to a cadre whose term has ended', async () => {
    const y = (await loadFigures(src, [cadre('y6')], { now: new Date('2027-06-01T09:00:00+08:00') })).get('y6')!.year;
    expect(y.target.period).toMatchObject({ start: '2026-04-28', end: '2027-04-27' });
    expect(y).toMatchObject({ elapsed: 365, pace: 250, remaining: 0 });
  });
});

describe('projectShortfall', () => {
  const open = days('2026-11-18', '2026-11-27'); // ten open days
  it('is null when nothing is needed, the rate suffices, or there is no rate yet', () => {
    expect(projectShortfall(open, '2026-11-18', 20, 30, 20)).toBeNull();
    expect(projectShortfall(open, '2026-11-18', 15, 20, 20)).toBeNull(); // 0.75 × 10 = 7.5 ≥ 5
    expect(projectShortfall(open, '2026-11-18', 0, 0, 5)).toBeNull();
  });
  it('is today when the target is already out of reach, else the first day it will be', () => {
    expect(projectShortfall(open, '2026-11-18', 5, 20, 16)).toBe('2026-11-18');
    // rate 0.5, needs 8 of 10: after i days needs 8 − 0.5i with 10 − i left; 8 − 0.5i > 10 − i from i = 5.
    expect(projectShortfall(open, '2026-11-18', 10, 20, 18)).toBe('2026-11-23');
  });
});
