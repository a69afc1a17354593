import { describe, expect, it } from 'vitest';
import { leaveDatesByClass, leaveOn } from '../../src/leave/days.js';
import {
  checkLength,
  checkOrder,
  checkPastWindow,
  findOverlap,
  heldDays,
  validateLeave,
} from '../../src/leave/validate.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';

function request(no: string, start: string, end: string, extra: Partial<LeaveRequest> = {}): LeaveRequest {
  return {
    no,
    userId: 'c1',
    type: '事假',
    class: 'absent',
    start,
    end,
    days: 0,
    reason: '',
    createdAt: '2026-11-01T00:00:00.000Z',
    status: 'pending',
    steps: [],
    ...extra,
  };
}

describe('single rules', () => {
  it('dates in order', () => {
    expect(checkOrder('2026-11-25', '2026-11-25')).toBeUndefined();
    expect(checkOrder('2026-11-25', '2026-11-24')).toEqual({
      code: 'leave_end_before_start',
      start: '2026-11-25',
      end: '2026-11-24',
    });
  });

  it("the type's maximum, inclusive", () => {
    expect(checkLength('事假', 10, 10)).toBeUndefined();
    expect(checkLength('事假', 11, 10)).toEqual({ code: 'leave_too_long', type: '事假', days: 11, maxDays: 10 });
  });

  it('the window in the past: exactly maxDaysInPast days back is allowed, one more is not', () => {
    expect(checkPastWindow('2026-11-13', '2026-11-20', 7)).toBeUndefined();
    expect(checkPastWindow('2026-11-12', '2026-11-20', 7)).toEqual({
      code: 'leave_too_far_past',
      start: '2026-11-12',
      earliest: '2026-11-13',
      maxDaysInPast: 7,
    });
    expect(checkPastWindow('2026-11-19', '2026-11-20', 0)).toMatchObject({ code: 'leave_too_far_past' });
  });
});

describe('overlap', () => {
  const pending = request('Q1', '2026-11-25', '2026-11-27');
  const rejected = request('Q2', '2026-12-01', '2026-12-03', { status: 'rejected' });
  const withdrawn = request('Q3', '2026-12-05', '2026-12-06', { status: 'withdrawn' });
  const returned = request('Q4', '2026-12-10', '2026-12-14', {
    status: 'approved',
    returnedOn: '2026-12-11',
    returnedAt: 'x',
  });
  const all = [pending, rejected, withdrawn, returned];

  it('holds the planned days of a pending request and nothing of a rejected or withdrawn one', () => {
    expect(heldDays(pending)).toEqual({ start: '2026-11-25', end: '2026-11-27' });
    expect(heldDays(rejected)).toBeUndefined();
    expect(heldDays(withdrawn)).toBeUndefined();
  });

  it('finds a shared day, not a neighbouring one', () => {
    expect(findOverlap(all, '2026-11-27', '2026-11-28')?.no).toBe('Q1');
    expect(findOverlap(all, '2026-11-20', '2026-11-30')?.no).toBe('Q1');
    expect(findOverlap(all, '2026-11-28', '2026-11-30')).toBeUndefined();
    expect(findOverlap(all, '2026-12-01', '2026-12-06')).toBeUndefined();
  });

  it('counts a returned leave only up to its actual return', () => {
    expect(findOverlap(all, '2026-12-11', '2026-12-11')?.no).toBe('Q4');
    expect(findOverlap(all, '2026-12-12', '2026-12-14')).toBeUndefined();
  });

  it('validateLeave reports the first broken rule', () => {
    const rules = { maxDays: 10, maxDaysInPast: 7, today: '2026-11-20', existing: all };
    expect(validateLeave({ type: '事假', start: '2026-11-28', end: '2026-11-30', days: 3 }, rules)).toBeUndefined();
    expect(validateLeave({ type: '事假', start: '2026-11-26', end: '2026-11-26', days: 1 }, rules)).toEqual({
      code: 'leave_overlap',
      other: pending,
    });
    expect(validateLeave({ type: '事假', start: '2026-11-01', end: '2026-11-30', days: 30 }, rules)?.code).toBe(
      'leave_too_long',
    );
  });
});

describe('leave days for attendance', () => {
  const approved = (
    no: string,
    cls: LeaveRequest['class'],
    start: string,
    end: string,
    extra: Partial<LeaveRequest> = {},
  ) => request(no, start, end, { status: 'approved', class: cls, ...extra });

  it('lists approved days by class, after 销假 only up to the return, clipped to a range', () => {
    const requests = [
      approved('Q1', 'present', '2026-11-30', '2026-12-02'),
      approved('Q2', 'excused', '2026-12-10', '2026-12-14', { returnedOn: '2026-12-11', returnedAt: 'x' }),
      request('Q3', '2026-12-20', '2026-12-21'),
      approved('Q4', 'absent', '2026-12-24', '2026-12-24', { returnedOn: '2026-12-23', returnedAt: 'x' }),
    ];
    expect(leaveDatesByClass(requests, '2026-12-01', '2026-12-31')).toEqual({
      present: ['2026-12-01', '2026-12-02'],
      excused: ['2026-12-10', '2026-12-11'],
      absent: [],
    });
    expect(leaveOn(requests, '2026-12-12')).toBeUndefined();
    expect(leaveOn(requests, '2026-11-30')?.no).toBe('Q1');
    expect(leaveOn(requests, '2026-12-20')).toBeUndefined();
  });
});
