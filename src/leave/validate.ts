/**
 * The rules a leave request must meet before it is saved, as pure functions over dates (`YYYY-MM-DD`) and the
 * cadre's existing requests: the dates in order, no longer than the type allows, not starting too far in the
 * past, and not overlapping another leave. Each returns a problem (a code and its facts) or undefined; the
 * sentences are in templates/leave.ts.
 */
import { addDays } from '../kit/dates.js';
import { leaveDays, type LeaveRequest } from './workflow.js';

export type LeaveProblem =
  | { code: 'leave_end_before_start'; start: string; end: string }
  | { code: 'leave_too_long'; type: string; days: number; maxDays: number; with?: string[] }
  | { code: 'leave_too_far_past'; start: string; earliest: string; maxDaysInPast: number }
  | { code: 'leave_overlap'; other: LeaveRequest };

/** What is checked: a parsed request with its type's limit. */
export interface LeaveDates {
  type: string;
  start: string;
  end: string;
  /** The days the type's maximum is held against: with the same-type leave joined to it (see merge.ts). */
  days: number;
  /** The numbers of that joined leave, none when the request stands alone. */
  with?: string[];
}

export interface LeaveRules {
  /** The type's `maxDays` in the policy. */
  maxDays: number;
  /** `policy.leave.maxDaysInPast`. */
  maxDaysInPast: number;
  /** The Shanghai date the request is made on. */
  today: string;
  /** The cadre's requests so far, in any state. */
  existing: LeaveRequest[];
}

/** The end written before the start (`11月27日至25日`). */
export function checkOrder(start: string, end: string): LeaveProblem | undefined {
  return end < start ? { code: 'leave_end_before_start', start, end } : undefined;
}

/** Longer than the type's single-leave limit (counting the same-type leave joined to it, `joinedWith`). */
export function checkLength(
  type: string,
  days: number,
  maxDays: number,
  joinedWith: string[] = [],
): LeaveProblem | undefined {
  if (days <= maxDays) return undefined;
  return { code: 'leave_too_long', type, days, maxDays, ...(joinedWith.length ? { with: joinedWith } : {}) };
}

/** Starting more than `maxDaysInPast` days before `today` (a leave asked for afterwards has a window). */
export function checkPastWindow(start: string, today: string, maxDaysInPast: number): LeaveProblem | undefined {
  const earliest = addDays(today, -maxDaysInPast);
  return start < earliest ? { code: 'leave_too_far_past', start, earliest, maxDaysInPast } : undefined;
}

/**
 * The days a request holds, for overlap: a pending request its planned days; an approved one its leave days
 * (after 销假 only up to the actual return, so a cadre back early may ask again for the days they did not use);
 * a rejected or withdrawn request none.
 */
export function heldDays(r: LeaveRequest): { start: string; end: string } | undefined {
  if (r.status === 'pending') return { start: r.start, end: r.end };
  return leaveDays(r);
}

/** The first existing request whose held days share a day with `start`–`end`. */
export function findOverlap(existing: LeaveRequest[], start: string, end: string): LeaveRequest | undefined {
  return existing.find((r) => {
    const held = heldDays(r);
    return held !== undefined && held.start <= end && start <= held.end;
  });
}

/** All rules in the order a person should hear about them; the first problem, or undefined when the request may go. */
export function validateLeave(request: LeaveDates, rules: LeaveRules): LeaveProblem | undefined {
  const other = findOverlap(rules.existing, request.start, request.end);
  return (
    checkOrder(request.start, request.end) ??
    checkLength(request.type, request.days, rules.maxDays, request.with) ??
    checkPastWindow(request.start, rules.today, rules.maxDaysInPast) ??
    (other ? { code: 'leave_overlap', other } : undefined)
  );
}
