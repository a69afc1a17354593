import { describe, expect, it } from 'vitest';
import { dayLabel, dayWeekLabel, momentLabel, monthLabel, spanLabel } from '../../src/kit/date-label.js';

describe('the one date style', () => {
  it('writes days without leading zeros, with the weekday when asked', () => {
    expect(dayLabel('2026-12-06')).toBe('12月6日');
    expect(dayWeekLabel('2026-12-06')).toBe('12月6日 周日');
    expect(dayWeekLabel('2026-12-07')).toBe('12月7日 周一');
  });

  it('writes the year only when it is not the current one', () => {
    expect(dayLabel('2027-01-02', '2026-12-06')).toBe('2027年1月2日');
    expect(dayLabel('2026-01-02', '2026-12-06')).toBe('1月2日');
  });

  it('writes spans short', () => {
    expect(spanLabel('2026-12-06', '2026-12-06')).toBe('12月6日');
    expect(spanLabel('2026-12-06', '2026-12-08')).toBe('12月6日至8日');
    expect(spanLabel('2026-11-30', '2026-12-02')).toBe('11月30日至12月2日');
    expect(spanLabel('2026-12-30', '2027-01-02', '2026-12-06')).toBe('12月30日至2027年1月2日');
  });

  it('writes instants in Shanghai time, and months', () => {
    expect(momentLabel(new Date('2026-12-06T01:30:00Z'))).toBe('12月6日 09:30');
    expect(monthLabel('2026-12')).toBe('2026年12月');
  });
});
