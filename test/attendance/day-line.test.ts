import { describe, expect, it } from 'vitest';
import type { DayMark } from '../../src/attendance/days.js';
import { monthDates } from '../../src/kit/dates.js';
import { dayGrid } from '../../templates/attendance.js';

/** October 2026 begins on a Thursday. */
function october(marks: Record<number, DayMark>, rest: DayMark = 'open') {
  return monthDates('2026-10').map((date, i) => ({ date, mark: marks[i + 1] ?? rest }));
}

describe('the day line', () => {
  it('draws one row per week, Monday first, with every symbol and the legend', () => {
    const grid = dayGrid(
      october({
        1: 'off',
        2: 'present',
        3: 'off',
        4: 'off',
        5: 'off',
        6: 'off',
        7: 'off',
        8: 'present',
        9: 'self-reported',
        10: 'absent',
        11: 'absent',
        12: 'leave',
        13: 'present',
      }),
    ).split('\n');
    expect(grid).toEqual([
      '    一 二 三 四 五 六 日',
      ' 1日 　 　 　 节 ✓ 节 节',
      ' 5日 节 节 节 ✓ ◐ · ·',
      '12日 假 ✓ 　 　 　 　 　',
      '19日 　 　 　 　 　 　 　',
      '26日 　 　 　 　 　 　',
      '✓在村 ◐自报位置 假请假 节放假 ·未在村 空白为尚无数据',
    ]);
  });

  it('marks days outside the term and says so in the legend', () => {
    const grid = dayGrid(
      monthDates('2026-04').map((date) => ({ date, mark: (date < '2026-04-28' ? 'outside' : 'present') as DayMark })),
    );
    expect(grid.split('\n')[5]).toBe('27日 － ✓ ✓ ✓');
    expect(grid.endsWith('－任期外')).toBe(true);
  });
});
