import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  daysBetween,
  daysInMonth,
  daysInYear,
  eachDate,
  isDateString,
  isWeekend,
  monthDates,
  monthKey,
  parseMonth,
  weekday,
} from '../../src/kit/dates.js';

describe('date strings', () => {
  it('accepts only real dates', () => {
    expect(isDateString('2024-02-29')).toBe(true);
    expect(isDateString('2025-02-29')).toBe(false);
    expect(isDateString('2025-2-1')).toBe(false);
  });

  it('adds days across months and years', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2026-04-28', '2027-04-27')).toBe(364);
  });

  it('moves a leap day to 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2026-04-28', 1)).toBe('2027-04-28');
  });

  it('lists the dates of a month and a range', () => {
    expect(daysInMonth('2024-02')).toBe(29);
    expect(monthDates('2025-02')).toHaveLength(28);
    expect(eachDate('2025-01-30', '2025-02-02')).toEqual(['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02']);
    expect(eachDate('2025-02-02', '2025-02-01')).toEqual([]);
  });

  it('reads weekdays without the process time zone', () => {
    expect(weekday('2026-01-01')).toBe(4);
    expect(parseMonth('2026-11')).toEqual({ year: 2026, month: 11 });
    expect(() => parseMonth('2026-00')).toThrow(RangeError);
    expect(() => monthDates('2026-13')).toThrow(RangeError);
    expect(isWeekend('2026-11-21')).toBe(true);
    expect(isWeekend('2026-11-20')).toBe(false);
  });

  it('names months and years', () => {
    expect(monthKey(2027, 4)).toBe('2027-04');
    expect(monthDates('2026-04')[27]).toBe('2026-04-28');
    expect(daysInYear(2028)).toBe(366);
    expect(daysInYear(2100)).toBe(365);
  });
});
