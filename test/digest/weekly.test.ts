import { describe, expect, it } from 'vitest';
import {
  chartRows,
  weekBefore,
  weeklyModel,
  weekPresence,
  type WeekDay,
  type WeeklyCadre,
} from '../../src/digest/weekly.js';
import { weeklyDigest } from '../../templates/digest.js';

const day = (date: string, extra: Partial<WeekDay> = {}): WeekDay => ({
  date,
  inTerm: true,
  off: false,
  checkedIn: true,
  leave: undefined,
  ...extra,
});

describe('the week of the weekly digest', () => {
  it('is the last full Monday–Sunday week before the run', () => {
    expect(weekBefore('2026-11-16')).toEqual({ start: '2026-11-09', end: '2026-11-15' }); // Monday
    expect(weekBefore('2026-11-18')).toEqual({ start: '2026-11-09', end: '2026-11-15' }); // Wednesday
    expect(weekBefore('2026-11-22')).toEqual({ start: '2026-11-09', end: '2026-11-15' }); // Sunday: its week is not over
    expect(weekBefore('2027-01-04')).toEqual({ start: '2026-12-28', end: '2027-01-03' });
  });
});

describe('attendance rate of a week', () => {
  it('counts due days in the term, without days off and excused leave; present leave counts, 事假 does not', () => {
    const days = [
      day('2026-10-05', { inTerm: false, checkedIn: false }),
      day('2026-10-06', { off: true, checkedIn: true }), // presence on a day off: not in the rate
      day('2026-10-07', { off: true, checkedIn: false }),
      day('2026-10-08', { leave: 'excused', checkedIn: false }),
      day('2026-10-09', { leave: 'present', checkedIn: false }),
      day('2026-10-10', { leave: 'absent', checkedIn: false }),
      day('2026-10-11', { off: undefined, checkedIn: false }), // no holiday data: due
    ];
    expect(weekPresence(days)).toEqual({ present: 1, due: 3, leaveDays: 3 });
  });
});

describe('weekly model', () => {
  const month = { present: 10, target: 22, needed: 12, remaining: 13, status: 'at-risk' as const };
  const cadre = (
    userid: string,
    township: string,
    checked: boolean[],
    extra: Partial<WeeklyCadre> = {},
  ): WeeklyCadre => ({
    userid,
    name: userid,
    village: '村',
    township,
    month,
    reports: 1,
    days: checked.map((c, i) => day(`2026-11-${String(9 + i).padStart(2, '0')}`, { checkedIn: c })),
    ...extra,
  });
  const model = weeklyModel({
    week: { start: '2026-11-09', end: '2026-11-15' },
    month: '2026-11',
    townships: [
      { id: 'a', name: '甲乡' },
      { id: 'b', name: '乙乡' },
      { id: 'c', name: '丙乡' },
    ],
    cadres: [
      cadre('A1', 'a', [true, true, true, true, true, true, true]),
      cadre('A2', 'a', [true, false, true, false, true, false, true], { month: { ...month, status: 'cannot-reach' } }),
      cadre('B1', 'b', [false, false, false, false, false, false, false], { month: { ...month, status: 'on-track' } }),
    ],
  });

  it('adds up townships and the county', () => {
    expect(
      model.townships.map((t) => [t.name, t.cadres, t.presentDays, t.dueDays, t.atRisk, t.belowTarget, t.reports]),
    ).toEqual([
      ['甲乡', 2, 11, 14, 1, 1, 2],
      ['乙乡', 1, 0, 7, 0, 0, 1],
      ['丙乡', 0, 0, 0, 0, 0, 0],
    ]);
    expect(model.townships[0]!.rate).toBeCloseTo(11 / 14);
    expect(model.townships[2]!.rate).toBeNull();
    expect([model.total.cadres, model.total.presentDays, model.total.dueDays]).toEqual([3, 11, 21]);
  });

  it('charts the townships with cadres, and says the chart follows', () => {
    expect(chartRows(model)).toEqual([
      { name: '甲乡', rate: 11 / 14, atRisk: 1, belowTarget: 1 },
      { name: '乙乡', rate: 0, atRisk: 0, belowTarget: 0 },
    ]);
    const text = weeklyDigest(model, { time: '08:30', weekday: 1, withChart: true });
    expect(text).not.toContain('丙乡');
    expect(text).toContain('出勤率 <font color="warning">0%</font>（在村 0 人天/应在村 7 人天）');
    expect(text.split('\n').at(-1)).toBe(
      '（您是县委组织部负责驻村工作的同志，每周一08:30收到各乡镇（街道）驻村干部周报，各乡镇（街道）出勤率图见下一条）',
    );
  });
});
