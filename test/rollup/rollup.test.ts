import { beforeAll, describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Roster } from '../../src/roster/roster.js';
import { loadRollup, rollupScope } from '../../src/rollup/service.js';
import { leaveByDay } from '../../src/attendance/month-figures.js';
import { checkIn, days, leave } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const roster = new Roster(sampleRosterData());
const src = { redis: t.redis, keys: t.keys, policy: defaultPolicy(), calendar: new HolidayCalendar() };
const NOW = new Date('2026-11-18T09:00:00+08:00');
const gaocun = { county: false, townships: ['gaocun'] };

beforeAll(async () => {
  // 范卫东, October 2026 (国庆 1–7 off): in the village on the 3rd (a day off), 8–10, 事假 12–13, 病假 14–15,
  // 公差 16, nothing else.
  await checkIn(t, 'FanWeiDong', ['2026-10-03', ...days('2026-10-08', '2026-10-10')]);
  await leave(t, 'FanWeiDong', '事假', '2026-10-12', '2026-10-13');
  await leave(t, 'FanWeiDong', '病假', '2026-10-14', '2026-10-15');
  await leave(t, 'FanWeiDong', '公差', '2026-10-16', '2026-10-16');
  // January 2027, a year without holiday data.
  await checkIn(t, 'FanWeiDong', days('2027-01-01', '2027-01-05'));
});

describe('the roll-up figures', () => {
  it('counts the rate over eligible days: days off and excused leave out, 事假 in, 公差 present', async () => {
    const r = await loadRollup(src, roster, gaocun, '2026-10', NOW);
    const fan = r.townships[0]!;
    // 31 days − 7 off − 2 excused = 22 eligible for 范卫东, 7 others × 24; present: 8–10 and the 16th.
    expect(fan).toMatchObject({ id: 'gaocun', name: '高村乡', cadres: 8, presentDays: 4, eligibleDays: 22 + 7 * 24 });
    expect(r.total.rate).toBeCloseTo(4 / 190);
    expect(r.phase).toBe('past');
    expect(r.total.onLeaveToday).toBe(0);
    expect(r.total.belowLastMonth).toBe(8);
  });

  it('counts every day as eligible while the year has no holiday data, and reads targets as pending', async () => {
    const r = await loadRollup(src, roster, gaocun, '2027-01', new Date('2027-01-06T20:00:00+08:00'));
    expect(r.uncoveredYear).toBe(2027);
    expect(r.total.status).toEqual({ 'on-track': 0, 'at-risk': 0, 'cannot-reach': 0, pending: 8 });
    expect(r.total.eligibleDays).toBe(8 * 5);
    expect(r.total.presentDays).toBe(5);
    expect(r.atRisk).toEqual([]);
  });

  it('has no rate before any day of the month is over', async () => {
    const r = await loadRollup(src, roster, gaocun, '2026-11', new Date('2026-11-01T08:00:00+08:00'));
    expect(r.total.rate).toBeNull();
    expect(r.total.cadres).toBe(8);
  });

  it('scopes the organisation department to the county and a township supervisor to their township', () => {
    expect(rollupScope(roster.person('WuJianZhong')!, roster)).toEqual({
      county: true,
      townships: ['xintian', 'fengcheng', 'gaocun'],
    });
    expect(rollupScope(roster.person('MengQingLi')!, roster)).toEqual({ county: false, townships: ['gaocun'] });
    expect(rollupScope(roster.person('DuHongWei')!, roster)).toEqual({ county: false, townships: [] });
  });

  it('gives each leave day its type and the kindest class when leaves overlap', () => {
    const base = { userId: 'u', days: 0, reason: '', createdAt: '', steps: [], status: 'approved' as const };
    const leaves = [
      { ...base, no: 'Q1', type: '事假', class: 'absent' as const, start: '2026-10-30', end: '2026-11-02' },
      { ...base, no: 'Q2', type: '培训', class: 'present' as const, start: '2026-11-02', end: '2026-11-03' },
      {
        ...base,
        no: 'Q3',
        type: '病假',
        class: 'excused' as const,
        start: '2026-11-05',
        end: '2026-11-09',
        returnedOn: '2026-11-06',
      },
      {
        ...base,
        no: 'Q4',
        type: '婚假',
        class: 'excused' as const,
        start: '2026-11-20',
        end: '2026-11-21',
        status: 'rejected' as const,
      },
    ];
    const map = leaveByDay(leaves, defaultPolicy(), '2026-11-01', '2026-11-30');
    expect(Object.fromEntries(map)).toEqual({
      '2026-11-01': { type: '事假', class: 'absent' },
      '2026-11-02': { type: '培训', class: 'present' },
      '2026-11-03': { type: '培训', class: 'present' },
      '2026-11-05': { type: '病假', class: 'excused' },
      '2026-11-06': { type: '病假', class: 'excused' },
    });
  });
});
