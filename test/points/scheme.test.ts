/**
 * 积分 from the records of a prepared half year (2026H2, calendar halves): every point traced to its event,
 * the caps (and which events they cut), the activity items off by default, the half years' names.
 */
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/policy/policy.js';
import { cadreHalf, cadreHalfOn, parseHalfName } from '../../src/points/half.js';
import { overstaysOf, sixOnesDone } from '../../src/points/load.js';
import { computePoints, type PointsRecords } from '../../src/points/scheme.js';
import { sixOnesProgress } from '../../src/reports/six-ones.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';

const HALF = { start: '2026-07-01', end: '2026-12-31' };

function records(): PointsRecords {
  return {
    userid: 'LiXiaoYan',
    presence: [
      // July: target 20, 22 days present: 2 beyond (the 21st and 22nd presence days).
      {
        month: '2026-07',
        target: 20,
        dates: Array.from({ length: 22 }, (_, i) => `2026-07-${String(i + 1).padStart(2, '0')}`),
      },
      // August: below target, nothing.
      { month: '2026-08', target: 21, dates: ['2026-08-03', '2026-08-04'] },
      // September: no target yet (pending): nothing.
      { month: '2026-09', target: null, dates: ['2026-09-01'] },
    ],
    sixOnes: [{ item: 'lecture', report: 'H1003', doneOn: '2026-07-05' }],
    problems: [
      { no: 'P1001', closedOn: '2026-08-10' },
      { no: 'P0999', closedOn: '2026-06-30' }, // the half before: not counted
    ],
    visits: [{ no: 'V1002', on: '2026-09-15', by: 'LiuYaQin' }],
    notices: [
      { number: 'T2026-003', kind: 'remind', issuedOn: '2026-08-12', state: 'open' },
      { number: 'Z2026-014', kind: 'rectify', issuedOn: '2026-09-01', state: 'closed' },
      { number: 'J2026-002', kind: 'warn', issuedOn: '2026-10-01', state: 'withdrawn' },
    ],
    overstays: [{ leave: 'Q1007', dates: ['2026-10-09', '2026-10-12'] }],
    reports: [{ no: 'H1003', on: '2026-07-05' }],
    checkins: [{ at: '2026-07-01T01:00:00.000Z', on: '2026-07-01' }],
  };
}

describe('computePoints', () => {
  const policy = defaultPolicy();

  it('traces every point to its event and record, in date order', () => {
    const p = computePoints(policy.points, records(), HALF);
    expect(p.events.map((e) => [e.date, e.item, e.counted, e.ref])).toEqual([
      ['2026-07-05', 'sixOnes', 2, { kind: 'six-ones', item: 'lecture', report: 'H1003' }],
      ['2026-07-21', 'presenceBeyondTarget', 1, { kind: 'presence', month: '2026-07', target: 20 }],
      ['2026-07-22', 'presenceBeyondTarget', 1, { kind: 'presence', month: '2026-07', target: 20 }],
      ['2026-08-10', 'problemClosed', 3, { kind: 'problem', no: 'P1001' }],
      ['2026-08-12', 'remindNotice', -1, { kind: 'notice', number: 'T2026-003', notice: 'remind' }],
      ['2026-09-01', 'rectifyNotice', -3, { kind: 'notice', number: 'Z2026-014', notice: 'rectify' }],
      ['2026-09-15', 'visitReceived', 1, { kind: 'visit', no: 'V1002', by: 'LiuYaQin' }],
      ['2026-10-09', 'leaveOverdue', -2, { kind: 'leave', no: 'Q1007' }],
      ['2026-10-12', 'leaveOverdue', -2, { kind: 'leave', no: 'Q1007' }],
    ]);
    // The total is the sum of the events, and each item's total the sum of its events.
    expect(p.total).toBe(p.events.reduce((s, e) => s + e.counted, 0));
    expect(p.total).toBe(2 + 1 + 1 + 3 - 1 - 3 + 1 - 2 - 2);
    for (const i of p.items)
      expect(i.counted).toBe(p.events.filter((e) => e.item === i.item).reduce((s, e) => s + e.counted, 0));
    expect(p.events.every((e) => e.cut === 0)).toBe(true);
    expect(p.noticesKnown).toBe(true);
  });

  it('leaves the activity items out by default and counts them only when the policy turns them on', () => {
    const off = computePoints(policy.points, records(), HALF);
    expect(off.events.some((e) => e.item === 'reports' || e.item === 'checkins')).toBe(false);
    expect(off.items.map((i) => i.item)).not.toContain('reports');
    expect(off.items.map((i) => i.item)).not.toContain('checkins');
    const scheme = structuredClone(policy.points);
    scheme.items.reports.enabled = true;
    scheme.items.checkins.enabled = true;
    const on = computePoints(scheme, records(), HALF);
    expect(on.events.filter((e) => e.item === 'reports' || e.item === 'checkins').map((e) => e.ref)).toEqual([
      { kind: 'checkin', at: '2026-07-01T01:00:00.000Z' },
      { kind: 'report', no: 'H1003' },
    ]);
    expect(on.total).toBe(off.total + 1);
  });

  it('applies the caps in date order and marks what a cap cut', () => {
    const scheme = structuredClone(policy.points);
    scheme.items.presenceBeyondTarget.cap = 1.5;
    scheme.items.leaveOverdue.cap = 3;
    const p = computePoints(scheme, records(), HALF);
    const presence = p.events.filter((e) => e.item === 'presenceBeyondTarget');
    expect(presence.map((e) => [e.date, e.points, e.counted, e.cut])).toEqual([
      ['2026-07-21', 1, 1, 0],
      ['2026-07-22', 1, 0.5, 0.5],
    ]);
    const over = p.events.filter((e) => e.item === 'leaveOverdue');
    expect(over.map((e) => [e.date, e.counted, e.cut])).toEqual([
      ['2026-10-09', -2, 0],
      ['2026-10-12', -1, -1],
    ]);
    expect(p.items.find((i) => i.item === 'presenceBeyondTarget')).toMatchObject({ raw: 2, counted: 1.5, cap: 1.5 });
    expect(p.items.find((i) => i.item === 'leaveOverdue')).toMatchObject({ raw: -4, counted: -3, cap: 3 });
    expect(p.total).toBe(p.events.reduce((s, e) => s + e.counted, 0));
  });

  it('counts no notice when the notices are not known, and says so', () => {
    const r = records();
    delete r.notices;
    const p = computePoints(policy.points, r, HALF);
    expect(p.noticesKnown).toBe(false);
    expect(p.events.some((e) => e.ref.kind === 'notice')).toBe(false);
  });

  it('counts only the part of the half year asked for', () => {
    const p = computePoints(policy.points, records(), { start: '2026-07-01', end: '2026-08-11' });
    expect(p.events.map((e) => e.date)).toEqual(['2026-07-05', '2026-07-21', '2026-07-22', '2026-08-10']);
  });
});

describe('records', () => {
  it('dates a 六个一 item on the report that completed it (households reached for the visit item)', () => {
    const reports = [
      { no: 'H1', createdAt: '2026-05-01T12:00:00.000Z', households: 10, tags: ['走访' as const] },
      { no: 'H2', createdAt: '2026-05-03T12:00:00.000Z', households: 25, tags: ['走访' as const, '党课' as const] },
      { no: 'H3', createdAt: '2026-05-05T12:00:00.000Z', households: 5, tags: ['走访' as const] },
    ];
    const p = sixOnesProgress(
      reports,
      { termStart: '2026-04-28', households: 30, firstMonthDays: 30 },
      new Date('2026-06-01T00:00:00Z'),
    );
    expect(sixOnesDone(p, reports)).toEqual([
      { item: 'visit', report: 'H2', doneOn: '2026-05-03' },
      { item: 'lecture', report: 'H2', doneOn: '2026-05-03' },
    ]);
  });

  it('counts the working days over a leave, returned or still away', () => {
    const cal = new HolidayCalendar();
    const base = {
      userId: 'u',
      type: '事假',
      class: 'absent' as const,
      days: 2,
      reason: 'x',
      createdAt: '2026-10-01T00:00:00Z',
      steps: [],
    };
    const leaves: LeaveRequest[] = [
      // Ended Thu 10-15, back Tue 10-20: Fri 16, Mon 19, Tue 20 over (the weekend is no day over).
      {
        ...base,
        no: 'Q1',
        start: '2026-10-14',
        end: '2026-10-15',
        status: 'approved',
        returnedOn: '2026-10-20',
        returnedAt: '2026-10-20T09:00:00Z',
      },
      // Ended Mon 11-02, not back by Thu 11-05: Tue and Wed over so far.
      { ...base, no: 'Q2', start: '2026-11-02', end: '2026-11-02', status: 'approved' },
      { ...base, no: 'Q3', start: '2026-10-01', end: '2026-10-02', status: 'rejected' },
    ];
    expect(overstaysOf(leaves, cal, new Date('2026-11-05T10:00:00+08:00'))).toEqual([
      { leave: 'Q1', dates: ['2026-10-16', '2026-10-19', '2026-10-20'] },
      { leave: 'Q2', dates: ['2026-11-03', '2026-11-04'] },
    ]);
  });
});

describe('half years', () => {
  const term = { start: '2026-04-28', end: '2027-04-27' };

  it('are named by the calendar half they start in, under either alignment', () => {
    expect(parseHalfName('2026H2')).toEqual({ year: 2026, half: 2 });
    expect(parseHalfName('２０２６ｈ１')).toEqual({ year: 2026, half: 1 });
    expect(parseHalfName('2026H3')).toBeUndefined();
    expect(cadreHalf(term, { year: 2026, half: 1 }, 'term')?.period).toEqual({
      start: '2026-04-28',
      end: '2026-10-27',
    });
    expect(cadreHalf(term, { year: 2026, half: 2 }, 'term')?.period).toEqual({
      start: '2026-10-28',
      end: '2027-04-27',
    });
    expect(cadreHalf(term, { year: 2027, half: 1 }, 'term')).toBeUndefined();
    expect(cadreHalf(term, { year: 2026, half: 2 }, 'calendar')?.period).toEqual({
      start: '2026-07-01',
      end: '2026-12-31',
    });
    expect(cadreHalf(term, { year: 2027, half: 1 }, 'calendar')?.period).toEqual({
      start: '2027-01-01',
      end: '2027-04-27',
    });
    expect(cadreHalfOn(term, '2027-01-15', 'term')).toEqual({
      name: { year: 2026, half: 2 },
      period: { start: '2026-10-28', end: '2027-04-27' },
    });
    expect(cadreHalfOn(term, '2027-01-15', 'calendar').name).toEqual({ year: 2027, half: 1 });
  });
});
