import { describe, expect, it } from 'vitest';
import type { ForecastStatus, MonthFigures } from '../../src/attendance/accounting.js';
import type { YearFigures } from '../../src/attendance/annual.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import {
  dueNotices,
  inTerm,
  isSettled,
  parseWarningField,
  warningField,
  type LadderFigures,
  type Stage,
} from '../../src/warnings/ladder.js';

const TERM = { start: '2026-04-28', end: '2027-04-27' };
const rules = { warnings: defaultPolicy().warnings, backfillHours: 48 };
const at = (iso: string) => new Date(`${iso}+08:00`);

function month(
  m: string,
  phase: MonthFigures['phase'],
  present: number,
  status: ForecastStatus,
  remaining = 0,
  target = 22,
): MonthFigures {
  const t: MonthFigures['target'] =
    status === 'pending'
      ? { status: 'pending', month: m, reason: 'no-holiday-data', year: Number(m.slice(0, 4)) }
      : {
          status: 'set',
          month: m,
          rule: 'prorate',
          minimum: 22,
          target,
          daysInMonth: 30,
          daysOutsideTerm: 0,
          daysOff: 0,
          excusedDays: 0,
          eligibleDays: 30,
        };
  return {
    month: m,
    today: '',
    phase,
    present,
    selfReported: 0,
    presentLeave: 0,
    target: t,
    remaining,
    needed: status === 'pending' ? null : Math.max(0, target - present),
    status,
    days: [],
  };
}

function year(status: YearFigures['status']): YearFigures {
  return {
    today: '',
    present: 100,
    selfReported: 0,
    presentLeave: 0,
    elapsed: 180,
    pace: 123,
    remaining: 140,
    needed: 150,
    status,
    target: {
      status: 'set',
      period: { kind: 'term', start: '2026-04-28', end: '2027-04-27' },
      minimum: 250,
      target: 250,
      periodDays: 365,
      termDays: 365,
      excusedDays: 0,
      uncoveredYears: [],
    },
    shortfallDate: null,
    uncoveredYears: [],
  };
}

function cadre(months: MonthFigures[], y: YearFigures = year('on-track')): LadderFigures {
  return { userId: 'u1', term: TERM, months, year: y };
}

const none = () => false;
const stages = (f: LadderFigures, now: Date, sent: (m: string, s: Stage) => boolean = none) =>
  dueNotices(f, now, rules, sent).map((n) => `${n.stage}:${n.month}`);

describe('the ladder rules', () => {
  it('reminds from the 10th when the month is at risk or out of reach, not before and not when on track', () => {
    const atRisk = cadre([month('2026-11', 'current', 5, 'at-risk', 20), month('2026-10', 'past', 22, 'on-track')]);
    expect(stages(atRisk, at('2026-11-09T10:00:00'))).toEqual([]);
    expect(stages(atRisk, at('2026-11-10T10:00:00'))).toEqual(['remind:2026-11']);
    const out = cadre([month('2026-11', 'current', 2, 'cannot-reach', 15), month('2026-10', 'past', 22, 'on-track')]);
    expect(stages(out, at('2026-11-16T10:00:00'))).toEqual(['remind:2026-11']);
    const fine = cadre([month('2026-11', 'current', 12, 'on-track', 20), month('2026-10', 'past', 22, 'on-track')]);
    expect(stages(fine, at('2026-11-16T10:00:00'))).toEqual([]);
  });

  it('sends each stage once per month', () => {
    const f = cadre([
      month('2026-11', 'current', 5, 'at-risk', 20),
      month('2026-10', 'past', 15, 'cannot-reach'),
      month('2026-09', 'past', 14, 'cannot-reach'),
    ]);
    const now = at('2026-11-12T10:00:00');
    expect(stages(f, now)).toEqual(['remind:2026-11', 'rectify:2026-10', 'warn:2026-11']);
    expect(stages(f, now, (m, s) => warningField('u1', m, s) === 'u1:2026-11:remind')).toEqual([
      'rectify:2026-10',
      'warn:2026-11',
    ]);
    expect(stages(f, now, () => true)).toEqual([]);
  });

  it('judges a closed month only once no back-fill of its last day can be asked', () => {
    const f = cadre([
      month('2026-11', 'current', 1, 'on-track', 29),
      month('2026-10', 'past', 15, 'cannot-reach'),
      month('2026-09', 'past', 22, 'on-track'),
    ]);
    expect(stages(f, at('2026-11-01T10:00:00'))).toEqual([]);
    expect(stages(f, at('2026-11-02T23:59:00'))).toEqual([]);
    expect(stages(f, at('2026-11-03T10:00:00'))).toEqual(['rectify:2026-10']);
    expect(isSettled('2026-10', at('2026-11-03T00:00:00'), 48)).toBe(true);
    expect(isSettled('2026-10', at('2026-11-02T23:59:59'), 48)).toBe(false);
  });

  it('warns on the consecutive run or the annual pace, once a month with both reasons', () => {
    const run = cadre([
      month('2026-11', 'current', 3, 'on-track', 27),
      month('2026-10', 'past', 15, 'cannot-reach'),
      month('2026-09', 'past', 20, 'cannot-reach'),
    ]);
    const [, warn] = dueNotices(run, at('2026-11-03T10:00:00'), rules, none);
    expect(warn).toMatchObject({ stage: 'warn', month: '2026-11' });
    expect(warn?.stage === 'warn' && warn.consecutive?.map((m) => m.month)).toEqual(['2026-09', '2026-10']);
    expect(warn?.stage === 'warn' && warn.annual).toBeUndefined();

    const onlyOne = cadre([
      month('2026-11', 'current', 3, 'on-track', 27),
      month('2026-10', 'past', 15, 'cannot-reach'),
      month('2026-09', 'past', 22, 'on-track'),
    ]);
    expect(stages(onlyOne, at('2026-11-03T10:00:00'))).toEqual(['rectify:2026-10']);

    const pace = cadre(
      [
        month('2026-11', 'current', 3, 'on-track', 27),
        month('2026-10', 'past', 22, 'on-track'),
        month('2026-09', 'past', 22, 'on-track'),
      ],
      year('cannot-reach'),
    );
    const notices = dueNotices(pace, at('2026-11-20T10:00:00'), rules, none);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ stage: 'warn', month: '2026-11', annual: { status: 'cannot-reach' } });
    const off = {
      ...rules,
      warnings: { ...rules.warnings, warn: { ...rules.warnings.warn, annualPaceUnreachable: false } },
    };
    expect(dueNotices(pace, at('2026-11-20T10:00:00'), off, none)).toEqual([]);
  });

  it('pauses for months without holiday data', () => {
    const pending = cadre(
      [
        month('2027-01', 'current', 2, 'pending', 20),
        month('2026-12', 'past', 15, 'cannot-reach'),
        month('2026-11', 'past', 22, 'on-track'),
      ],
      year('cannot-reach'),
    );
    // December is judged (its year has data); January is 待定, so no 提醒 and no annual 警示.
    expect(stages(pending, at('2027-01-15T10:00:00'))).toEqual(['rectify:2026-12']);
    const closedPending = cadre([
      month('2027-02', 'current', 2, 'pending', 20),
      month('2027-01', 'past', 3, 'pending'),
      month('2026-12', 'past', 15, 'cannot-reach'),
    ]);
    expect(stages(closedPending, at('2027-02-15T10:00:00'))).toEqual([]);
  });

  it('leaves months outside the term alone, and the annual pace once the term is over', () => {
    expect(inTerm('2026-04', TERM)).toBe(true);
    expect(inTerm('2026-03', TERM)).toBe(false);
    expect(inTerm('2027-05', TERM)).toBe(false);
    const after = cadre(
      [
        month('2027-06', 'current', 0, 'at-risk', 20),
        month('2027-05', 'past', 0, 'cannot-reach'),
        month('2027-04', 'past', 10, 'cannot-reach'),
      ],
      year('cannot-reach'),
    );
    expect(stages(after, at('2027-06-15T10:00:00'))).toEqual([]);
    // The last month of the term is still judged after it closes.
    const last = cadre([
      month('2027-05', 'current', 0, 'on-track', 0),
      month('2027-04', 'past', 10, 'cannot-reach'),
      month('2027-03', 'past', 22, 'on-track'),
    ]);
    expect(stages(last, at('2027-05-05T10:00:00'))).toEqual(['rectify:2027-04']);
  });

  it('writes and reads store fields, keeping the userid whole', () => {
    expect(warningField('a:b', '2026-11', 'warn')).toBe('a:b:2026-11:warn');
    expect(parseWarningField('a:b:2026-11:warn')).toEqual({ userId: 'a:b', month: '2026-11', stage: 'warn' });
    expect(parseWarningField('u1:2026-11:other')).toBeUndefined();
  });
});
