/**
 * Only the first `DATE_WINDOW` characters of a message are read for its dates and length: chrono's Chinese
 * parsers take time that grows with the square of the text they are given, so a long message must not reach
 * them whole. The reason, the type and the rest of the message are still read in full.
 */
import { describe, expect, it } from 'vitest';
import { DATE_WINDOW, findLeaveDates } from '../../src/leave/chrono-zh.js';
import { parseLeaveRequest, type LeaveTypeOption } from '../../src/leave/parse.js';

const types: LeaveTypeOption[] = [{ name: '事假' }, { name: '病假' }, { name: '公差', aliases: ['出差'] }];
const NOW = new Date('2026-11-22T10:00:00+08:00');
const filler = (n: number) => '家'.repeat(n);

describe('the date part of a message is bounded', () => {
  it('is a few hundred characters', () => {
    expect(DATE_WINDOW).toBeGreaterThanOrEqual(100);
    expect(DATE_WINDOW).toBeLessThanOrEqual(500);
  });

  it('reads a date that ends inside the window', () => {
    const text = `${filler(DATE_WINDOW - 6)}11月25日`;
    expect(findLeaveDates(text, '2026-11-22')).toMatchObject({ start: '2026-11-25', index: DATE_WINDOW - 6 });
  });

  it('does not read a date written after the window', () => {
    expect(findLeaveDates(`${filler(DATE_WINDOW)} 11月25日`, '2026-11-22')).toBeUndefined();
    expect(findLeaveDates(`${filler(DATE_WINDOW + 500)} 明天`, '2026-11-22')).toBeUndefined();
  });

  it('reads the same dates whatever follows the window', () => {
    const head = `请假 事假 11月25日至${filler(DATE_WINDOW)}`.slice(0, DATE_WINDOW);
    const alone = findLeaveDates(head, '2026-11-22');
    expect(findLeaveDates(`${head}27日`, '2026-11-22')).toEqual(alone);
    expect(findLeaveDates(`${head}三`.repeat(50), '2026-11-22')).toEqual(alone);
  });

  it('asks for the dates of a request whose dates come only after the window', () => {
    const p = parseLeaveRequest(`请假 事假 ${filler(DATE_WINDOW)} 11月25日至27日`, { now: NOW, types });
    expect(p.type).toBe('事假');
    expect(p.problem?.code).toBe('no_dates');
  });

  it('does not read a length written after the window', () => {
    const p = parseLeaveRequest(`请假 事假 ${filler(DATE_WINDOW)} 三天`, { now: NOW, types });
    expect(p.days).toBeUndefined();
    expect(p.reason).toContain('三天');
  });

  it('keeps a long reason whole', () => {
    const reason = `家中老人住院需要照顾${filler(3000)}`;
    const p = parseLeaveRequest(`请假 事假 11月25日至27日 ${reason}`, { now: NOW, types });
    expect(p).toMatchObject({ type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason });
  });
});
