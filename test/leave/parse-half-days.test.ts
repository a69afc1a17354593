/**
 * Half days under the policy's `leave.halfDays`: 上午 ends a leave at noon (`halfEnd`), 下午 starts one at noon
 * (`halfStart`); `days` stays the calendar count. 半天 without saying which half is asked about.
 */
import { describe, expect, it } from 'vitest';
import { parseLeaveRequest, type LeaveParse } from '../../src/leave/parse.js';
import { SUNDAY, types } from './parse-types.js';

const half = (text: string) => parseLeaveRequest(text, { now: SUNDAY, types, halfDays: true });
const pick = (p: LeaveParse) => ({
  start: p.start,
  end: p.end,
  days: p.days,
  halfStart: p.halfStart,
  halfEnd: p.halfEnd,
});

const cases: [string, ReturnType<typeof pick>][] = [
  ['明天上午 事假', { start: '2026-11-23', end: '2026-11-23', days: 1, halfStart: undefined, halfEnd: true }],
  ['请假 事假 明天 上午', { start: '2026-11-23', end: '2026-11-23', days: 1, halfStart: undefined, halfEnd: true }],
  ['周五下午 事假', { start: '2026-11-27', end: '2026-11-27', days: 1, halfStart: true, halfEnd: undefined }],
  ['事假 3号下午到5号上午', { start: '2026-12-03', end: '2026-12-05', days: 3, halfStart: true, halfEnd: true }],
  ['事假 明天下午到后天上午', { start: '2026-11-23', end: '2026-11-24', days: 2, halfStart: true, halfEnd: true }],
  [
    '事假 明天上午到后天下午',
    { start: '2026-11-23', end: '2026-11-24', days: 2, halfStart: undefined, halfEnd: undefined },
  ],
  [
    '明天上午请半天假 病假 去医院',
    { start: '2026-11-23', end: '2026-11-23', days: 1, halfStart: undefined, halfEnd: true },
  ],
  [
    '明天请半天病假 看病 下午',
    { start: '2026-11-23', end: '2026-11-23', days: 1, halfStart: true, halfEnd: undefined },
  ],
  ['病假 一天半 明天起', { start: '2026-11-23', end: '2026-11-24', days: 2, halfStart: undefined, halfEnd: true }],
  ['明天下午起一天半 事假', { start: '2026-11-23', end: '2026-11-24', days: 2, halfStart: true, halfEnd: undefined }],
  [
    '明天上午起两天 事假',
    { start: '2026-11-23', end: '2026-11-24', days: 2, halfStart: undefined, halfEnd: undefined },
  ],
  ['事假 下午 家中有事', { start: '2026-11-22', end: '2026-11-22', days: 1, halfStart: true, halfEnd: undefined }],
];

describe('half days when the policy allows them', () => {
  it.each(cases)('%s', (text, expected) => {
    const p = half(text);
    expect(p.problem).toBeUndefined();
    expect(pick(p)).toEqual(expected);
  });

  it('asks which half when 半天 is all that is said, and reads the answer', () => {
    const p = half('请半天假 明天 事假');
    expect(p.problem).toMatchObject({ code: 'half_day', keep: '请半天假 明天 事假' });
    expect(p.problem?.message).toBe('请假半天是上午还是下午？请回复“上午”或“下午”。');
    expect(p.halfStart ?? p.halfEnd).toBeUndefined();
    expect(pick(half(`${p.problem!.keep} 下午`))).toEqual({
      start: '2026-11-23',
      end: '2026-11-23',
      days: 1,
      halfStart: true,
      halfEnd: undefined,
    });
  });

  it('reads 上午/下午 as whole days, without a question, when the policy has no half days', () => {
    const p = parseLeaveRequest('请半天假 明天 事假', { now: SUNDAY, types, halfDays: false });
    expect(p).toEqual({ type: '事假', start: '2026-11-23', end: '2026-11-23', days: 1 });
    const range = parseLeaveRequest('事假 3号下午到5号上午', { now: SUNDAY, types });
    expect(range).toEqual({ type: '事假', start: '2026-12-03', end: '2026-12-05', days: 3 });
  });
});
