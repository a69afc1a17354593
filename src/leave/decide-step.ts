/**
 * Deciding the current step of a leave request, shared by the chat commands 同意/驳回 (and the card's buttons) and
 * the dashboard's approve and reject: the same rule (`decide`: only an approver of the current step, only while
 * pending), the same messages (the cadre hears the outcome, the next step's approvers get their card, those the
 * policy copies hear the final outcome) and the same audit entry. Pure: the caller stages the save and the audit
 * entry in its own writes and sends the messages once they commit.
 */
import type { AuditKind } from '../audit/trail.js';
import type { Outbound } from '../core/outbound.js';
import { localDate } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import type { Roster } from '../roster/roster.js';
import * as A from '../../templates/audit.js';
import { copyTo } from './chain.js';
import { decisionMessages } from './service.js';
import { decide, type LeaveRequest, type Refusal } from './workflow.js';

export type LeaveDecision = 'approved' | 'rejected';

export interface DecidedStep {
  ok: true;
  after: LeaveRequest;
  /** For the audit trail (the action recorded). */
  audit: { kind: AuditKind; ref: string; subject: string; summary: string };
  /** To send once the decision commits. */
  messages: Outbound[];
}

/** Decide `before`'s current step as `approver` at `now`; a refusal when they may not. */
export function decideStep(
  policy: Policy,
  roster: Roster,
  before: LeaveRequest,
  approver: string,
  decision: LeaveDecision,
  now: Date,
  comment?: string,
): DecidedStep | { ok: false; refusal: Refusal } {
  const outcome = decide(before, approver, decision, now, comment);
  if (!outcome.ok) return outcome;
  const after = outcome.request;
  const step = before.steps.findIndex((s) => !s.decision);
  const cadre = roster.cadres.get(after.userId);
  const copy = after.status !== 'pending' && cadre ? copyTo(policy, roster, cadre) : { userIds: [], roles: [] };
  return {
    ok: true,
    after,
    audit: {
      kind: decision === 'approved' ? 'leave.approve' : 'leave.reject',
      ref: after.no,
      subject: after.userId,
      summary: A.leaveDecision({
        type: after.type,
        days: after.days,
        start: after.start,
        end: after.end,
        step: step + 1,
        steps: after.steps.length,
        decision,
        final: after.status === 'approved',
        ...(comment ? { comment } : {}),
        today: localDate(now),
      }),
    },
    messages: decisionMessages(roster, before, after, copy),
  };
}
