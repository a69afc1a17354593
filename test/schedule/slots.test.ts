import { afterAll, describe, expect, it } from 'vitest';
import { getTasks } from 'node-cron';
import { CronSlots, dailyTime } from '../../src/schedule/slots.js';
import { inQuietHours } from '../../src/schedule/burden.js';
import { untilSameDay } from '../../src/schedule/windows.js';

const sh = (s: string) => new Date(`${s}+08:00`);
const made: CronSlots[] = [];
const slots = (expr: string) => {
  const s = new CronSlots(expr);
  made.push(s);
  return s;
};
afterAll(() => made.forEach((s) => s.dispose()));

describe('cron slots (Asia/Shanghai, by the injected time)', () => {
  it('finds the latest slot at or before an instant', () => {
    const daily = slots('0 18 * * *');
    expect(daily.previous(sh('2026-11-18T18:20:00'))).toEqual(sh('2026-11-18T18:00:00'));
    expect(daily.previous(sh('2026-11-18T18:00:00'))).toEqual(sh('2026-11-18T18:00:00'));
    expect(daily.previous(sh('2026-11-18T17:59:59'))).toEqual(sh('2026-11-17T18:00:00'));
    expect(slots('*/10 * * * *').previous(sh('2026-11-18T09:37:12'))).toEqual(sh('2026-11-18T09:30:00'));
    expect(slots('*/10 * * * *').previous(sh('2026-11-18T00:03:00'))).toEqual(sh('2026-11-18T00:00:00'));
  });

  it('finds the next slot strictly after an instant', () => {
    expect(slots('30 9 * * *').next(sh('2026-11-18T09:30:00'))).toEqual(sh('2026-11-19T09:30:00'));
    expect(slots('30 9 * * *').next(sh('2026-11-18T09:29:59'))).toEqual(sh('2026-11-18T09:30:00'));
    expect(slots('30 8 * * 1').next(sh('2026-11-18T12:00:00'))).toEqual(sh('2026-11-23T08:30:00'));
  });

  it('follows node-cron day rules: weekdays AND months, last day of month', () => {
    const watch = slots('0 9 * 11-12 1');
    expect(watch.next(sh('2026-06-01T00:00:00'))).toEqual(sh('2026-11-02T09:00:00'));
    expect(watch.previous(sh('2027-03-01T00:00:00'))).toEqual(sh('2026-12-28T09:00:00'));
    expect(slots('0 20 L * *').next(sh('2027-02-01T00:00:00'))).toEqual(sh('2027-02-28T20:00:00'));
  });

  it('uses seconds when the expression has them', () => {
    expect(slots('*/15 * * * * *').previous(sh('2026-11-18T09:00:44'))).toEqual(sh('2026-11-18T09:00:30'));
  });

  it('leaves no task behind in node-cron once disposed', () => {
    const before = getTasks().size;
    new CronSlots('0 1 * * *').dispose();
    expect(getTasks().size).toBe(before);
  });

  it('reads a single daily time for texts', () => {
    expect(dailyTime('30 9 * * *')).toBe('09:30');
    expect(dailyTime('*/10 * * * *')).toBeUndefined();
  });
});

describe('windows', () => {
  it('quiet hours may run over midnight', () => {
    const q = { start: '21:00', end: '07:30' };
    expect(inQuietHours(sh('2026-11-18T21:00:00'), q)).toBe(true);
    expect(inQuietHours(sh('2026-11-18T23:59:00'), q)).toBe(true);
    expect(inQuietHours(sh('2026-11-18T07:29:00'), q)).toBe(true);
    expect(inQuietHours(sh('2026-11-18T07:30:00'), q)).toBe(false);
    expect(inQuietHours(sh('2026-11-18T20:59:00'), q)).toBe(false);
    expect(inQuietHours(sh('2026-11-18T13:00:00'), { start: '12:00', end: '14:00' })).toBe(true);
    expect(inQuietHours(sh('2026-11-18T15:00:00'), { start: '12:00', end: '14:00' })).toBe(false);
    expect(inQuietHours(sh('2026-11-18T15:00:00'), { start: '00:00', end: '00:00' })).toBe(false);
  });

  it('a catch-up window ending at a time of day still allows a little for a later slot', () => {
    expect(untilSameDay(sh('2026-11-18T09:30:00'), '12:00')).toEqual(sh('2026-11-18T12:00:00'));
    expect(untilSameDay(sh('2026-11-18T13:00:00'), '12:00')).toEqual(sh('2026-11-18T14:00:00'));
  });
});
