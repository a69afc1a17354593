import { describe, expect, it } from 'vitest';
import { accountMonth } from '../../src/attendance/accounting.js';
import type { YearBits } from '../../src/attendance/ledger.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { dayOfYear, eachDate } from '../../src/kit/dates.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { defaultPolicy, type MonthlyRule } from '../../src/policy/policy.js';
import { monthAtRisk, monthExplainedByLeave, remindDue, unexcusedTargets } from '../../src/warnings/risk.js';

const calendar = new HolidayCalendar();
const term = { start: '2026-04-28', end: '2027-04-27' };

function bits(dates: string[]): Map<number, YearBits> {
  const present = Buffer.alloc(46);
  for (const d of dates) {
    const i = dayOfYear(d);
    present[i >> 3] = present[i >> 3]! | (0x80 >> (i & 7));
  }
  return new Map<number, YearBits>([[2026, { present, selfReported: Buffer.alloc(46) }]]);
}
const sick = (start: string, end: string): LeaveRequest => ({
  no: 'Q1',
  userId: 'u',
  type: '病假',
  class: 'excused',
  start,
  end,
  days: 1,
  reason: '',
  createdAt: '2026-11-01T00:00:00.000Z',
  status: 'approved',
  steps: [],
});

/** November 2026 as of `now`, with presence on `present` and sick leave `leave`, under `rule`. */
function figures(rule: MonthlyRule, now: string, present: string[], leave?: [string, string]) {
  const policy = defaultPolicy();
  policy.monthly.rule = rule;
  const data = { term, bits: bits(present), leaves: leave ? [sick(...leave)] : [] };
  const m = accountMonth(data, '2026-11', { now: new Date(`${now}T10:00:00+08:00`), policy, calendar });
  const unexcused = unexcusedTargets([m], undefined, term, calendar, policy).months['2026-11'];
  return { m, unexcused, policy };
}

describe('at risk, and shortfalls that excused leave explains', () => {
  it('prorate: two weeks of sick leave explain a month that reads "cannot reach"', () => {
    const { m, unexcused, policy } = figures('prorate', '2026-11-16', eachDate('2026-11-01', '2026-11-09'), [
      '2026-11-16',
      '2026-11-30',
    ]);
    expect(m.status).toBe('cannot-reach');
    expect(unexcused).toBe(22);
    expect(monthExplainedByLeave(m, unexcused, 0.8)).toBe(true);
    expect(monthAtRisk(m, unexcused, 0.8)).toBe(false);
    expect(remindDue('2026-11-16', m, unexcused, policy.warnings.remind)).toBe(false);
  });

  it('does not explain more than the leave covers', () => {
    const { m, unexcused } = figures('prorate', '2026-11-16', eachDate('2026-11-01', '2026-11-03'), [
      '2026-11-16',
      '2026-11-20',
    ]);
    expect(monthExplainedByLeave(m, unexcused, 0.8)).toBe(false);
    expect(monthAtRisk(m, unexcused, 0.8)).toBe(true);
  });

  it('subtract already takes each excused day off the target: nothing is excused twice', () => {
    const { m, unexcused } = figures('subtract', '2026-11-16', eachDate('2026-11-01', '2026-11-05'), [
      '2026-11-16',
      '2026-11-30',
    ]);
    // 22 − 15 = 7, 5 present: 2 needed and no day open.
    expect(m).toMatchObject({ needed: 2, remaining: 0, status: 'cannot-reach' });
    expect(monthExplainedByLeave(m, unexcused, 0.8)).toBe(false);
  });

  it('without excused leave there is nothing to explain, and the 提醒 waits for fromDay', () => {
    const { m, unexcused, policy } = figures('prorate', '2026-11-08', []);
    expect(unexcused).toBeUndefined();
    expect(m.status).toBe('at-risk');
    expect(monthAtRisk(m, unexcused, 0.8)).toBe(true);
    expect(remindDue('2026-11-08', m, unexcused, policy.warnings.remind)).toBe(false);
  });
});
