/** The visiting obligations' periods (pure): term and calendar half years, the unit's term, due and overdue. */
import { describe, expect, it } from 'vitest';
import { Roster } from '../../src/roster/roster.js';
import { addMonths, dueSoon, halfYears, obligations, overdue, unitTerm } from '../../src/visits/obligations.js';
import { sampleRosterData } from '../helpers/deps.js';

describe('half years', () => {
  it('runs six months at a time from the term start, cut at the term end', () => {
    expect(halfYears({ start: '2026-04-28', end: '2027-04-27' }, 'term')).toEqual([
      { start: '2026-04-28', end: '2026-10-27' },
      { start: '2026-10-28', end: '2027-04-27' },
    ]);
    // A start on the 31st: the next half year starts on the last day of a shorter month.
    expect(halfYears({ start: '2026-08-31', end: '2027-05-15' }, 'term')).toEqual([
      { start: '2026-08-31', end: '2027-02-27' },
      { start: '2027-02-28', end: '2027-05-15' },
    ]);
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
  });

  it('follows January–June and July–December with calendar, cut to the term', () => {
    expect(halfYears({ start: '2026-04-28', end: '2027-04-27' }, 'calendar')).toEqual([
      { start: '2026-04-28', end: '2026-06-30' },
      { start: '2026-07-01', end: '2026-12-31' },
      { start: '2027-01-01', end: '2027-04-27' },
    ]);
  });
});

describe('obligations', () => {
  const data = sampleRosterData();
  it('takes the term of the unit’s latest cadres, and none for a unit without cadres yet', () => {
    expect(unitTerm(data.cadres, '县财政局', '2026-12-07')).toEqual({ start: '2026-04-28', end: '2027-04-27' });
    expect(unitTerm(data.cadres, '县财政局', '2026-04-27')).toBeUndefined();
    const later = data.cadres.map((c) =>
      c.userid === 'LiXiaoYan' ? { ...c, termStart: '2027-04-28', termEnd: '2029-04-27' } : c,
    );
    expect(unitTerm(later, '县财政局', '2027-05-01')).toEqual({ start: '2027-04-28', end: '2029-04-27' });
  });

  it('is met by a visit of that leader in the period, counted for the unit as that place', () => {
    const roster = new Roster(data);
    const v = (userId: string, at: string, as: 'mainLeader' | 'deputy') => ({
      no: 'V1',
      userId,
      village: 'beibao',
      at,
      source: 'page' as const,
      distanceM: 1,
      photos: [],
      units: [{ unit: '县财政局', as }],
    });
    const visits = new Map([
      [
        '县财政局',
        [v('LiuYaQin', '2026-10-27T16:30:00.000Z', 'deputy'), v('DuHongWei', '2026-05-01T02:00:00.000Z', 'mainLeader')],
      ],
    ]);
    const list = obligations(roster, '2026-11-16', 'term', visits).filter((o) => o.unit === '县财政局');
    // 16:30 UTC on 27 October is 00:30 on 28 October in Beijing: the second half year's visit, not the first's.
    expect(list.map((o) => [o.as, o.period.start, o.visits])).toEqual([
      ['mainLeader', '2026-04-28', 1],
      ['deputy', '2026-04-28', 0],
      ['deputy', '2026-10-28', 1],
    ]);
    expect(overdue(list, '2026-11-16').map((o) => o.period.start)).toEqual(['2026-04-28']);
    expect(dueSoon(list, '2026-11-16', 30)).toEqual([]);
    expect(() => obligations(roster, '16/11/2026', 'term', visits)).toThrow(RangeError);
  });
});
