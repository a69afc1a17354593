/**
 * The leave request and its approval state machine, pure: each function takes a request, the actor and the
 * time, and returns the new request or a refusal code. Storage, messages and texts live elsewhere.
 *
 * pending → (each step approves) → approved → (销假) returned
 * pending → rejected (any step) | withdrawn (by the requester)
 */
import type { Role } from '../kit/roles.js';
import type { LeaveDayCount } from '../policy/policy.js';

export type LeaveClass = 'present' | 'excused' | 'absent';
/** The role that decides a step; the policy may name any role (township, sending-unit, org, team-leader). */
export type StepKind = Role;

export interface ApprovalStep {
  kind: StepKind;
  /** Who may decide this step (any one of them). */
  approvers: string[];
  decision?: 'approved' | 'rejected';
  by?: string;
  at?: string;
  comment?: string;
  /**
   * Roles of the policy's chain that have nobody on the roster for this cadre and whose step this one took
   * over (the next level up, ultimately the organisation department): the card says so.
   */
  covers?: Role[];
}

/** How a request was judged when it was made: the counting rule, the days, and the leave it was joined to. */
export interface LeaveJudgement {
  /** `policy.leave.countDays` at the time. */
  rule: LeaveDayCount;
  /** The days this request counts under the rule. */
  days: number;
  /** The other requests judged together with it (see merge.ts), their combined span and days. */
  combined?: { with: string[]; start: string; end: string; days: number };
  /** Days of leave, approved or pending, in the month the request starts in (this one included). */
  monthDays: number;
}

export interface LeaveRequest {
  no: string;
  userId: string;
  type: string;
  class: LeaveClass;
  start: string;
  end: string;
  /**
   * Half days (when the policy's `leave.halfDays` allows them): the leave begins at noon of `start` (下午 only)
   * and/or ends at noon of `end` (上午 only). A single 上午 is `start === end` with `halfEnd`; a 下午 has
   * `halfStart`. Each half counts 0.5 (see `halfDayShare`).
   */
  halfStart?: true;
  halfEnd?: true;
  days: number;
  reason: string;
  createdAt: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  steps: ApprovalStep[];
  /**
   * Old requests only (before a step without an approver went to the next level up): roles of the chain that
   * were left out. Still read, so their remaining cards say so; never written any more.
   */
  skipped?: Role[];
  /** How the request was judged (requests made before this was kept have none). */
  judged?: LeaveJudgement;
  /** 销假: the actual last day of leave and when the cadre reported back. */
  returnedOn?: string;
  returnedAt?: string;
}

export type Refusal =
  'not_pending' | 'not_your_step' | 'not_requester' | 'not_approved' | 'already_returned' | 'return_before_start';

export type Outcome = { ok: true; request: LeaveRequest } | { ok: false; refusal: Refusal };

/** How much of a leave's calendar length its half days take away: 0, 0.5 or 1. */
export function halfDayShare(r: { halfStart?: boolean; halfEnd?: boolean }): number {
  return (r.halfStart ? 0.5 : 0) + (r.halfEnd ? 0.5 : 0);
}

/** The step waiting for a decision, if any. */
export function currentStep(r: LeaveRequest): ApprovalStep | undefined {
  return r.status === 'pending' ? r.steps.find((s) => !s.decision) : undefined;
}

/** Approve (or reject) the current step as `by`; the last approval approves the request. */
export function decide(
  r: LeaveRequest,
  by: string,
  decision: 'approved' | 'rejected',
  at: Date,
  comment?: string,
): Outcome {
  if (r.status !== 'pending') return { ok: false, refusal: 'not_pending' };
  const step = currentStep(r);
  if (!step || !step.approvers.includes(by)) return { ok: false, refusal: 'not_your_step' };
  const steps = r.steps.map((s) =>
    s === step ? { ...s, decision, by, at: at.toISOString(), ...(comment ? { comment } : {}) } : s,
  );
  const status =
    decision === 'rejected' ? 'rejected' : steps.every((s) => s.decision === 'approved') ? 'approved' : 'pending';
  return { ok: true, request: { ...r, steps, status } };
}

/** The requester withdraws a request that is still pending. */
export function withdraw(r: LeaveRequest, by: string): Outcome {
  if (r.userId !== by) return { ok: false, refusal: 'not_requester' };
  if (r.status !== 'pending') return { ok: false, refusal: 'not_pending' };
  return { ok: true, request: { ...r, status: 'withdrawn' } };
}

/**
 * 销假: the cadre is back. `lastDay` is the last day actually away (default: the day before `today`). A last day
 * after the planned end is kept as it is, so the days over (超假, `overstayDates`) stay known; they never count
 * as leave (`leaveDays` stops at the end). Returning before the leave started cancels it to zero days.
 */
export function reportBack(r: LeaveRequest, today: string, at: Date, lastDay?: string): Outcome {
  if (r.status !== 'approved') return { ok: false, refusal: 'not_approved' };
  if (r.returnedAt) return { ok: false, refusal: 'already_returned' };
  let last = lastDay ?? previousDay(today);
  if (last < r.start) {
    if (lastDay) return { ok: false, refusal: 'return_before_start' };
    last = previousDay(r.start);
  }
  return { ok: true, request: { ...r, returnedOn: last, returnedAt: at.toISOString() } };
}

/** The days that count as leave: planned, or up to the actual return after 销假. Empty when none. */
export function leaveDays(r: LeaveRequest): { start: string; end: string } | undefined {
  if (r.status !== 'approved') return undefined;
  const end = r.returnedOn !== undefined && r.returnedOn < r.end ? r.returnedOn : r.end;
  return end < r.start ? undefined : { start: r.start, end };
}

/** An approved leave whose end has passed without 销假 (followed up by the leave-overdue job). */
export function overdue(r: LeaveRequest, today: string): boolean {
  return r.status === 'approved' && !r.returnedAt && r.end < today;
}

function previousDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
