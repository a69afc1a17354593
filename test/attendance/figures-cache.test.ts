/**
 * The annual targets the figures cache hands out, by term object and anchor (and by the number of excused
 * dates): each equal to the target computed afresh, however the cadres asking share terms and anchors.
 */
import { describe, expect, it } from 'vitest';
import { FiguresCache } from '../../src/attendance/cache.js';
import { annualTarget, type Term } from '../../src/attendance/targets.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { eachDate } from '../../src/kit/dates.js';
import { defaultPolicy } from '../../src/policy/policy.js';

const calendar = new HolidayCalendar();
const policy = defaultPolicy();

describe('the annual targets of the figures cache', () => {
  it('one term object at several anchors, with several counts of excused dates, and an equal term of its own', () => {
    const cache = new FiguresCache(calendar, policy);
    const term: Term = { start: '2024-03-15', end: '2026-03-14' };
    const same: Term = { ...term };
    const sick = eachDate('2025-05-06', '2025-05-20');
    const asks: [Term, string, string[]][] = [];
    for (const t of [term, same, term])
      for (const at of ['2024-12-01', '2025-06-01', '2025-06-01', '2026-01-10'])
        for (const n of [0, 1, 5, 1, 15, 0]) asks.push([t, at, sick.slice(0, n)]);
    for (const [t, at, excusedDates] of asks) {
      const fresh = annualTarget({ term: t, at, calendar, policy, ...(excusedDates.length ? { excusedDates } : {}) });
      expect(cache.annualTargetExcused(t, at, excusedDates)).toEqual(fresh);
      if (!excusedDates.length) expect(cache.annualTarget(t, at)).toEqual(fresh);
    }
  });
});
