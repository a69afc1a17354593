/**
 * Lunar dates through `chinese-days`: the coming occurrence, and a question (never a guess) for a day the
 * package's table cannot give — a year beyond it, a 三十 the month does not have, a leap month.
 */
import { describe, expect, it } from 'vitest';
import { parseLeaveRequest } from '../../src/leave/parse.js';
import { comingLunar, solarOfLunar } from '../../src/leave/lunar.js';
import { SUNDAY, types } from './parse-types.js';

const on = (now: Date, text: string) => parseLeaveRequest(text, { now, types });

describe('lunar dates', () => {
  it('converts known days both ways', () => {
    expect(solarOfLunar(2025, { month: 12, day: 'last' })).toBe('2026-02-16'); // 除夕 of the Year of the Snake
    expect(solarOfLunar(2026, { month: 1, day: 1 })).toBe('2026-02-17');
    // 腊月 of lunar 2025 has 29 days: there is no 三十.
    expect(solarOfLunar(2025, { month: 12, day: 30 })).toBeUndefined();
  });

  it('takes the coming occurrence, or one up to a week ago', () => {
    expect(on(SUNDAY, '正月初六 事假').start).toBe('2027-02-11');
    expect(on(new Date('2026-02-20T10:00:00+08:00'), '正月初一 事假').start).toBe('2026-02-17');
    expect(on(new Date('2026-03-20T10:00:00+08:00'), '正月初一 事假').start).toBe('2027-02-06');
    expect(comingLunar({ month: 12, day: 28 }, '2026-11-22', '2026-11-15')).toBe('2027-02-04');
  });

  it('asks rather than guess beyond the years the package knows', () => {
    const p = on(new Date('2100-12-01T10:00:00+08:00'), '正月初六 事假');
    expect(p.problem?.code).toBe('date_doubt');
    expect(p.problem?.message).toContain('正月初六');
    expect(p.start).toBeUndefined();
  });

  it('asks about a 三十 the month does not have, a leap month and a bare 初三', () => {
    const thirty = on(new Date('2025-12-01T10:00:00+08:00'), '腊月三十 事假');
    expect(thirty.problem?.code).toBe('date_doubt');
    expect(on(SUNDAY, '闰五月初五 事假').problem?.code).toBe('date_doubt');
    expect(on(SUNDAY, '初三 事假').problem).toMatchObject({ code: 'date_doubt', keep: '事假' });
  });
});
