/**
 * Builds leave requests and the messages their life sends: the approval card to a step's approvers, the notes
 * to the requester, the copy of the final outcome to the team leaders, and the withdrawal notice. Pure: the
 * handlers read and save, this module turns requests into data and `Outbound` messages.
 */
import type { Outbound } from '../core/outbound.js';
import { addDays } from '../kit/dates.js';
import type { Role } from '../kit/roles.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import { approvalCard } from '../../templates/approval-card.js';
import * as T from '../../templates/leave.js';
import { namesOf, type CopyTo, type ResolvedChain } from './chain.js';
import type { LeaveDraft } from './check.js';
import { leaveView } from './view.js';
import { currentStep, type ApprovalStep, type LeaveRequest } from './workflow.js';

/** A new pending request from a checked draft and its approval chain. */
export function newRequest(
  no: string,
  cadre: Cadre,
  draft: LeaveDraft,
  chain: Pick<ResolvedChain, 'steps'>,
  now: Date,
): LeaveRequest {
  return {
    no,
    userId: cadre.userid,
    type: draft.type.name,
    class: draft.type.class,
    start: draft.start,
    end: draft.end,
    ...(draft.halfStart ? { halfStart: true as const } : {}),
    ...(draft.halfEnd ? { halfEnd: true as const } : {}),
    days: draft.days,
    ...(draft.halfStart ? { halfStart: true as const } : {}),
    ...(draft.halfEnd ? { halfEnd: true as const } : {}),
    reason: draft.reason ?? '',
    createdAt: now.toISOString(),
    status: 'pending',
    steps: chain.steps,
    judged: draft.judged,
  };
}

/** Who a step waits on, with names for the templates. */
export function waiting(roster: Roster, step: ApprovalStep): T.Waiting {
  return { role: step.kind, names: namesOf(roster, step.approvers) };
}

/** The task id of the card of step `index` of a request; unique per card as WeCom requires. */
export function cardTaskId(no: string, index: number): string {
  return `leave-${no}-${index}`;
}

/** The step a card click is about, read back from its task id (undefined for a task id that is not ours). */
export function stepOfTaskId(no: string, taskId: string | undefined): number | undefined {
  const m = taskId ? /^leave-(Q\d+)-(\d+)$/i.exec(taskId) : null;
  return m && m[1]!.toUpperCase() === no ? Number(m[2]) : undefined;
}

/** The approval card for the current step, to each of its approvers (app message). */
export function approvalMessage(roster: Roster, r: LeaveRequest): Outbound {
  const index = r.steps.findIndex((s) => !s.decision);
  const step = r.steps[index]!;
  const approvedBy = namesOf(
    roster,
    r.steps.slice(0, index).map((s) => s.by!),
  );
  const text = T.approvalText(leaveView(roster, r), {
    index,
    count: r.steps.length,
    role: step.kind,
    approvedBy,
    ...(step.covers ? { covers: step.covers } : {}),
    ...(r.skipped ? { skipped: r.skipped } : {}),
  });
  const keys = { approve: `leave-approve:${r.no}`, reject: `leave-reject:${r.no}` };
  return {
    key: `leave:${r.no}:step:${index}`,
    to: { kind: 'user', userIds: [...step.approvers] },
    body: { type: 'card', card: approvalCard({ ...text, taskId: cardTaskId(r.no, index), keys }) },
    purpose: 'approval',
  };
}

function note(key: string, userIds: string[], content: string): Outbound {
  return { key, to: { kind: 'user', userIds }, body: { type: 'text', content }, purpose: 'approval' };
}

/**
 * What a decision sends, given the request before and after it and who decided: a step approved with another
 * to follow tells the requester and sends the next card; a final approval or a rejection tells the requester
 * and copies `copy` (the team leaders).
 */
export function decisionMessages(roster: Roster, before: LeaveRequest, after: LeaveRequest, copy: CopyTo): Outbound[] {
  const index = before.steps.findIndex((s) => !s.decision);
  const decided = after.steps[index]!;
  const by = namesOf(roster, [decided.by!])[0]!;
  const v = leaveView(roster, after);
  const out: Outbound[] = [];
  if (after.status === 'pending') {
    out.push(
      note(
        `leave:${after.no}:step:${index}:approved`,
        [after.userId],
        T.toRequesterMovedOn(v, by, waiting(roster, currentStep(after)!)),
      ),
    );
    out.push(approvalMessage(roster, after));
    return out;
  }
  if (after.status === 'approved') {
    out.push(note(`leave:${after.no}:approved`, [after.userId], T.toRequesterApproved(v, by, decided.comment)));
    if (copy.userIds.length) out.push(note(`leave:${after.no}:copy`, copy.userIds, T.copyApproved(v, copy.roles)));
  } else {
    out.push(note(`leave:${after.no}:rejected`, [after.userId], T.toRequesterRejected(v, by, decided.comment)));
    if (copy.userIds.length)
      out.push(note(`leave:${after.no}:copy`, copy.userIds, T.copyRejected(v, by, decided.comment, copy.roles)));
  }
  return out;
}

/** The notice to the approvers of the step a withdrawn request was waiting on (none if it waited on nobody). */
export function withdrawnMessages(roster: Roster, before: LeaveRequest): Outbound[] {
  const step = currentStep(before);
  if (!step) return [];
  return [
    note(
      `leave:${before.no}:withdrawn`,
      [...step.approvers],
      T.toApproversWithdrawn(leaveView(roster, before), step.kind),
    ),
  ];
}

/** The roles of the steps after the first, for "之后还需…审批". */
export function laterRoles(r: LeaveRequest): Role[] {
  return r.steps.slice(1).map((s) => s.kind);
}

/** What the reply to a new request says of its steps: the first, the later roles, the levels taken over. */
export function submittedSteps(roster: Roster, r: LeaveRequest): T.SubmittedSteps {
  return {
    first: waiting(roster, r.steps[0]!),
    later: laterRoles(r),
    notes: r.steps.map((s) => T.takenOver(s.covers, s.kind)),
  };
}

/**
 * Who hears of a 销假: those who approved the leave; a leave approved by nobody on record (it cannot happen
 * through the bot, but an imported one might) tells the first step's approvers.
 */
export function returnRecipients(r: LeaveRequest): { userIds: string[]; approved: boolean } {
  const by = [...new Set(r.steps.flatMap((s) => (s.decision === 'approved' && s.by ? [s.by] : [])))];
  if (by.length) return { userIds: by, approved: true };
  return { userIds: [...(r.steps[0]?.approvers ?? [])], approved: false };
}

/** The notice of a 销假 to the leave's approvers (see `returnRecipients`). */
export function returnedMessages(
  roster: Roster,
  after: LeaveRequest,
  actual: { start: string; end: string; days: number } | undefined,
  overstay: T.Overstay | undefined,
): Outbound[] {
  const to = returnRecipients(after).userIds.filter((id) => id !== after.userId);
  if (!to.length) return [];
  const { approved } = returnRecipients(after);
  return [
    note(`leave:${after.no}:returned`, to, T.toApproversReturned(leaveView(roster, after), actual, overstay, approved)),
  ];
}

/**
 * The leave `我回来了` ends: the approved, not yet returned leave under way or ended at most `withinDays` days
 * before `today`, the most recent first; undefined otherwise (no upcoming leave is cancelled by it).
 */
export function leaveJustEnded(requests: LeaveRequest[], today: string, withinDays: number): LeaveRequest | undefined {
  const earliestEnd = addDays(today, -withinDays);
  return requests
    .filter((r) => r.status === 'approved' && !r.returnedAt && r.start <= today && r.end >= earliestEnd)
    .sort((a, b) => b.start.localeCompare(a.start))[0];
}

/**
 * The leave a bare `销假` ends: the approved, not yet returned leave that started most recently (today or
 * before); failing that the next one to start, which 销假 then cancels.
 */
export function leaveToReturn(requests: LeaveRequest[], today: string): LeaveRequest | undefined {
  const open = requests.filter((r) => r.status === 'approved' && !r.returnedAt);
  const started = open.filter((r) => r.start <= today).sort((a, b) => b.start.localeCompare(a.start));
  const upcoming = open.filter((r) => r.start > today).sort((a, b) => a.start.localeCompare(b.start));
  return started[0] ?? upcoming[0];
}
