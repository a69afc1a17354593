import { describe, expect, it } from 'vitest';
import { monthWord, parseAttendanceQuery } from '../../src/attendance/query.js';

describe('the words after 考勤', () => {
  it('reads months in the usual spellings', () => {
    const today = '2027-01-10';
    expect(monthWord('2026-11', today)).toBe('2026-11');
    expect(monthWord('2026/3', today)).toBe('2026-03');
    expect(monthWord('2026年11月', today)).toBe('2026-11');
    expect(monthWord('1月', today)).toBe('2027-01');
    expect(monthWord('12月份', today)).toBe('2026-12'); // a month after this one means last year's
    expect(monthWord('本月', today)).toBe('2027-01');
    expect(monthWord('上月', today)).toBe('2026-12');
    expect(monthWord('2026-13', today)).toBe('bad');
    expect(monthWord('王建国', today)).toBeUndefined();
  });

  it('splits a name and a month in either order', () => {
    const today = '2026-11-18';
    expect(parseAttendanceQuery('', today)).toEqual({ month: '2026-11' });
    expect(parseAttendanceQuery('2026-10', today)).toEqual({ month: '2026-10' });
    expect(parseAttendanceQuery('王建国 10月', today)).toEqual({ who: '王建国', month: '2026-10' });
    expect(parseAttendanceQuery('10月 WangJianGuo', today)).toEqual({ who: 'WangJianGuo', month: '2026-10' });
    expect(parseAttendanceQuery('王建国 李晓燕', today)).toBe('too-many-words');
    expect(parseAttendanceQuery('王建国 2026-00', today)).toBe('bad-month');
  });
});
