import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainMonthlyTarget } from '../../templates/calendar.js';
import {
  annualTarget,
  monthlyTarget,
  type MonthlyTargetSet,
  type TargetCalendar,
} from '../../src/attendance/targets.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { eachDate } from '../../src/kit/dates.js';
import { defaultPolicy, type MonthlyRule, type Policy } from '../../src/policy/policy.js';

const FIXTURE_2027 = fileURLToPath(new URL('../fixtures/holidays/2027.json', import.meta.url));

// The holiday periods (放假, weekends inside included) of the State Council notices, written out by hand so that
// the expected targets below do not come from the code under test or from the package.
const OFFICIAL_PERIODS: Record<number, [string, string][]> = {
  2025: [
    ['2025-01-01', '2025-01-01'], // 元旦
    ['2025-01-28', '2025-02-04'], // 春节
    ['2025-04-04', '2025-04-06'], // 清明
    ['2025-05-01', '2025-05-05'], // 劳动节
    ['2025-05-31', '2025-06-02'], // 端午
    ['2025-10-01', '2025-10-08'], // 国庆、中秋
  ],
  2026: [
    ['2026-01-01', '2026-01-03'], // 元旦
    ['2026-02-15', '2026-02-23'], // 春节
    ['2026-04-04', '2026-04-06'], // 清明
    ['2026-05-01', '2026-05-05'], // 劳动节
    ['2026-06-19', '2026-06-21'], // 端午
    ['2026-09-25', '2026-09-27'], // 中秋
    ['2026-10-01', '2026-10-07'], // 国庆
  ],
};

/** Days off per month (1–12) counted straight from the written-out periods. */
function officialDaysOffByMonth(year: number): number[] {
  const counts = new Array<number>(13).fill(0);
  for (const [start, end] of OFFICIAL_PERIODS[year]!) {
    for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) {
      counts[new Date(t).getUTCMonth() + 1]! += 1;
    }
  }
  return counts;
}

function expectedTarget(rule: MonthlyRule, days: number, off: number): number {
  if (rule === 'prorate') return Math.ceil((22 * (days - off)) / days);
  if (rule === 'subtract') return 22 - off;
  return 22;
}

function withRule(rule: MonthlyRule): Policy {
  const p = defaultPolicy();
  p.monthly.rule = rule;
  return p;
}

function set(t: ReturnType<typeof monthlyTarget>): MonthlyTargetSet {
  if (t.status !== 'set') throw new Error(`expected a target, got ${JSON.stringify(t)}`);
  return t;
}

const calendar = new HolidayCalendar();

describe('monthly targets of every month of 2025 and 2026 (full-month cadre)', () => {
  for (const year of [2025, 2026]) {
    const term = { start: `${year}-01-01`, end: `${year}-12-31` };
    const off = officialDaysOffByMonth(year);
    for (const rule of ['prorate', 'subtract', 'fixed'] as const) {
      it(`${year} under ${rule}`, () => {
        const policy = withRule(rule);
        for (let m = 1; m <= 12; m++) {
          const month = `${year}-${String(m).padStart(2, '0')}`;
          const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
          const t = set(monthlyTarget({ month, term, calendar, policy }));
          expect({ month, target: t.target, daysOff: t.daysOff }).toEqual({
            month,
            target: expectedTarget(rule, days, off[m]!),
            daysOff: off[m],
          });
        }
      });
    }
  }

  it('matches the worked examples of docs/rules.md and the README', () => {
    const term = { start: '2025-01-01', end: '2025-12-31' };
    const policy = defaultPolicy();
    expect(set(monthlyTarget({ month: '2025-02', term, calendar, policy }))).toEqual({
      status: 'set',
      month: '2025-02',
      rule: 'prorate',
      minimum: 22,
      target: 19,
      daysInMonth: 28,
      daysOutsideTerm: 0,
      daysOff: 4,
      excusedDays: 0,
      eligibleDays: 24,
    });
    expect(set(monthlyTarget({ month: '2025-07', term, calendar, policy })).target).toBe(22);
    expect(set(monthlyTarget({ month: '2025-10', term, calendar, policy })).daysOff).toBe(8);
  });
});

describe('partial and reduced months', () => {
  const term = { start: '2026-04-28', end: '2027-04-27' };

  it('prorates the first month of a term over its eligible days', () => {
    const t = set(monthlyTarget({ month: '2026-04', term, calendar, policy: defaultPolicy() }));
    // 4/28–4/30 in the term; the Qingming break (4/4–4/6) is before it and counts as outside the term.
    expect(t).toMatchObject({
      daysOutsideTerm: 27,
      daysOff: 0,
      excusedDays: 0,
      eligibleDays: 3,
      target: Math.ceil((22 * 3) / 30),
    });
    expect(t.target).toBe(3);
    expect(set(monthlyTarget({ month: '2026-04', term, calendar, policy: withRule('subtract') })).target).toBe(3);
    expect(set(monthlyTarget({ month: '2026-04', term, calendar, policy: withRule('fixed') })).target).toBe(3);
  });

  it('gives nothing for a month wholly outside the term', () => {
    expect(set(monthlyTarget({ month: '2026-03', term, calendar, policy: defaultPolicy() })).target).toBe(0);
  });

  it('lowers the target for excused leave', () => {
    const full = { start: '2025-01-01', end: '2025-12-31' };
    const sick = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14'];
    const t = set(
      monthlyTarget({ month: '2025-03', term: full, excusedDates: sick, calendar, policy: defaultPolicy() }),
    );
    expect(t).toMatchObject({ excusedDays: 5, eligibleDays: 26, target: Math.ceil((22 * 26) / 31) });
    expect(t.target).toBe(19);
    expect(
      set(monthlyTarget({ month: '2025-03', term: full, excusedDates: sick, calendar, policy: withRule('subtract') }))
        .target,
    ).toBe(17);
    expect(
      set(monthlyTarget({ month: '2025-03', term: full, excusedDates: sick, calendar, policy: withRule('fixed') }))
        .target,
    ).toBe(22);
  });

  it('counts a day that is both off and on leave once', () => {
    const full = { start: '2025-01-01', end: '2025-12-31' };
    const sick = ['2025-10-07', '2025-10-08', '2025-10-09', '2025-10-10'];
    const t = set(
      monthlyTarget({ month: '2025-10', term: full, excusedDates: sick, calendar, policy: defaultPolicy() }),
    );
    expect(t).toMatchObject({ daysOff: 8, excusedDays: 2, eligibleDays: 21, target: 15 });
    expect(explainMonthlyTarget(t)).toBe(
      '月目标 15 天（本月 31 天，法定放假 8 天，准假 2 天；应在村 21 天，按每月 22 天折算）。',
    );
  });

  it('ignores leave dates outside the month or the term', () => {
    const t = set(
      monthlyTarget({
        month: '2026-04',
        term,
        excusedDates: ['2026-04-10', '2026-05-01'],
        calendar,
        policy: defaultPolicy(),
      }),
    );
    expect(t.excusedDays).toBe(0);
  });

  it('refuses a term that ends before it starts', () => {
    expect(() =>
      monthlyTarget({
        month: '2026-04',
        term: { start: '2026-05-01', end: '2026-04-01' },
        calendar,
        policy: defaultPolicy(),
      }),
    ).toThrow(RangeError);
  });
});

describe('a year without holiday data', () => {
  const term = { start: '2026-04-28', end: '2027-04-27' };

  it('is pending (待定) under every rule, never a number', () => {
    expect(calendar.isYearCovered(2027)).toBe(false);
    for (const rule of ['prorate', 'subtract', 'fixed'] as const) {
      expect(monthlyTarget({ month: '2027-01', term, calendar, policy: withRule(rule) })).toEqual({
        status: 'pending',
        month: '2027-01',
        reason: 'no-holiday-data',
        year: 2027,
      });
    }
    expect(
      explainMonthlyTarget(monthlyTarget({ month: '2027-01', term, calendar, policy: defaultPolicy() })),
    ).toContain('待定');
  });

  it('gets a target once an override adds the year', async () => {
    const withOverride = await HolidayCalendar.load({ overrides: FIXTURE_2027 });
    expect(withOverride.isYearCovered(2027)).toBe(true);
    // the fixture has 9 days off in February 2027
    expect(set(monthlyTarget({ month: '2027-02', term, calendar: withOverride, policy: defaultPolicy() })).target).toBe(
      Math.ceil((22 * 19) / 28),
    );
  });

  it('takes any calendar with the two questions', () => {
    const none: TargetCalendar = { isYearCovered: () => false, isDayOff: () => undefined };
    expect(
      monthlyTarget({
        month: '2030-06',
        term: { start: '2030-01-01', end: '2030-12-31' },
        calendar: none,
        policy: defaultPolicy(),
      }).status,
    ).toBe('pending');
  });
});

describe('annual targets', () => {
  const term = { start: '2026-04-28', end: '2027-04-27' };
  const policy = defaultPolicy();

  it('a full one-year term owes the minimum over its term year', () => {
    const t = annualTarget({ term, at: '2026-11-22', policy, calendar });
    expect(t).toMatchObject({
      target: 250,
      periodDays: 365,
      termDays: 365,
      period: { kind: 'term', start: '2026-04-28', end: '2027-04-27' },
    });
    // the annual formula needs no holidays, but the caller learns that 2027 is not yet announced
    expect(t.uncoveredYears).toEqual([2027]);
  });

  it('a calendar year the term partly covers owes its share', () => {
    const t2026 = annualTarget({ term, at: '2026-11-22', period: 'calendar', policy });
    expect(t2026).toMatchObject({
      termDays: 248,
      periodDays: 365,
      target: Math.ceil((250 * 248) / 365),
      uncoveredYears: [],
    });
    expect(t2026.target).toBe(170);
    const t2027 = annualTarget({ term, at: '2027-02-01', period: 'calendar', policy });
    expect(t2027).toMatchObject({ termDays: 117, target: Math.ceil((250 * 117) / 365) });
  });

  it('the policy chooses the period', () => {
    const p = defaultPolicy();
    p.annual.period = 'calendar';
    expect(annualTarget({ term, at: '2026-06-01', policy: p }).period).toEqual({
      kind: 'calendar',
      start: '2026-01-01',
      end: '2026-12-31',
    });
  });

  it('a longer term has one term year after another', () => {
    const long = { start: '2026-04-28', end: '2028-04-27' };
    const t = annualTarget({ term: long, at: '2027-05-01', policy });
    expect(t).toMatchObject({
      period: { start: '2027-04-28', end: '2028-04-27' },
      periodDays: 366,
      termDays: 366,
      target: 250,
    });
  });

  it('excused leave lowers the target like days outside the term', () => {
    // 产假 of 158 days from 1 December 2026: 148 of them (to 27 April 2027) fall in the term year.
    const excusedDates = eachDate('2026-12-01', '2027-05-07');
    const t = annualTarget({ term, at: '2026-11-22', excusedDates, policy });
    expect(t).toMatchObject({ termDays: 365, excusedDays: 148, target: Math.ceil((250 * (365 - 148)) / 365) });
    expect(t.target).toBe(149);
    // Only days inside both the period and the term count; a calendar year takes its own share.
    const t2027 = annualTarget({ term, at: '2027-02-01', period: 'calendar', excusedDates, policy });
    expect(t2027).toMatchObject({ termDays: 117, excusedDays: 117, target: 0 });
    expect(annualTarget({ term, at: '2026-11-22', excusedDates: [], policy })).toMatchObject({
      excusedDays: 0,
      target: 250,
    });
  });

  it('a term shorter than a year owes its share of the term year', () => {
    const short = { start: '2026-04-28', end: '2026-10-27' };
    const t = annualTarget({ term: short, at: '2026-05-01', policy });
    expect(t).toMatchObject({ termDays: 183, periodDays: 365, target: Math.ceil((250 * 183) / 365) });
  });
});
