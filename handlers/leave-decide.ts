import { auditChat } from '../src/audit/chat.js';
import { defineCommand, type CommandHelp, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import { SUPERVISOR_ROLES } from '../src/kit/roles.js';
import { namesOf } from '../src/leave/chain.js';
import { decideStep } from '../src/leave/decide-step.js';
import type { LeaveRepo } from '../src/leave/repo.js';
import { stepOfTaskId, waiting } from '../src/leave/service.js';
import { leaveView } from '../src/leave/view.js';
import { currentStep, type LeaveRequest } from '../src/leave/workflow.js';
import * as T from '../templates/leave.js';

type Decision = 'approved' | 'rejected';

/** `Q1001`, `q1001` or just `1001`, then an optional comment (the reason of a rejection). */
const NUMBER = /^Q?(\d+)(?:\s+|$)(.*)$/i;
/** A back-fill number (`B1001`) given to 同意/驳回 by mistake. */
const BACKFILL_NUMBER = /^(B\d+)(?:\s|$)/i;
/**
 * Leave numbers in an approver's inbox. The inbox also holds the back-fills (`B1001`) waiting on the same
 * person, which 确认补登/驳回补登 decide.
 */
const LEAVE_NO = /^Q\d+$/;

function statusName(r: LeaveRequest): string {
  return r.returnedAt ? T.returnedName : T.STATUS_NAMES[r.status];
}

/** The one request waiting on this approver, for `同意` without a number; refuses when there are none or several. */
async function onlyWaiting(repo: LeaveRepo, approver: string, verb: string): Promise<string> {
  const inbox = (await repo.inbox(approver)).sort();
  const nos = inbox.filter((no) => LEAVE_NO.test(no));
  if (nos.length === 0) refuse('leave_nothing_waiting', T.nothingWaiting(inbox.filter((no) => !LEAVE_NO.test(no))));
  if (nos.length > 1) refuse('leave_which_one', T.whichOne(nos, verb), { nos });
  return nos[0]!;
}

/**
 * A click on a card whose step was already decided (by this approver or a colleague of the same step), or whose
 * request has ended: nothing changes, and the button shows how it stands.
 */
function clickOnSettledCard(ctx: Context, r: LeaveRequest): Reply | undefined {
  const index = stepOfTaskId(r.no, ctx.update.event?.taskId) ?? r.steps.findIndex((s) => !s.decision);
  const step = r.steps[index];
  if (step?.decision) {
    const by = namesOf(ctx.roster, [step.by!])[0]!;
    const current = currentStep(r);
    const now = current ? T.waitingOn(waiting(ctx.roster, current)) : statusName(r);
    return { replaceButton: T.BUTTON_DONE[step.decision], text: T.stepDone(r.no, by, step.decision, now) };
  }
  if (r.status !== 'pending') return { replaceButton: T.BUTTON_DONE[r.status], text: T.finished(r.no, statusName(r)) };
  return undefined;
}

/**
 * Decide the current step of a request, from a card click (`leave-approve:Q1001`) or text (`同意 Q1001 意见`,
 * `驳回 Q1001 原因`). Only an approver of the current step may; the requester hears the outcome, the next step's
 * approvers get their card, and the team leaders are copied on the final outcome.
 */
async function decideLeave(ctx: Context, decision: Decision, rest: string): Promise<Reply> {
  const verb = decision === 'approved' ? '同意' : '驳回';
  const click = ctx.update.kind === 'event';
  const repo = ctx.repos.leave;
  const backfill = BACKFILL_NUMBER.exec(rest.trim());
  if (backfill)
    refuse('leave_backfill_number', T.backfillNumber(backfill[1]!.toUpperCase(), decision), { no: backfill[1] });
  const m = NUMBER.exec(rest.trim());
  const comment = click ? undefined : (m ? m[2]!.trim() : rest.trim()) || undefined;
  const no = m ? `Q${m[1]}` : await onlyWaiting(repo, ctx.person.userid, verb);

  const before = await repo.get(no);
  if (!before) return refuse('leave_not_found', T.notFound(no), { no });
  if (click) {
    const settled = clickOnSettledCard(ctx, before);
    if (settled) return settled;
  } else if (before.status !== 'pending') {
    refuse('leave_not_pending', T.finished(no, statusName(before)), { no, status: before.status });
  }
  const outcome = decideStep(ctx.deps.policy, ctx.roster, before, ctx.person.userid, decision, ctx.now, comment);
  if (!outcome.ok) {
    refuse('leave_not_your_step', T.notYourStep(no, waiting(ctx.roster, currentStep(before)!)), {
      no,
      refusal: outcome.refusal,
    });
  }
  const { after } = outcome;
  repo.save(ctx.tx, after, { previous: before });
  auditChat(ctx, outcome.audit);
  for (const message of outcome.messages) ctx.send(message);
  ctx.log.info({ no, decision, status: after.status }, 'leave step decided');

  const v = leaveView(ctx.roster, after);
  const next = currentStep(after);
  const text = next
    ? T.approvedNext(v, waiting(ctx.roster, next))
    : decision === 'approved'
      ? T.approvedFinal(v)
      : T.rejected(v, comment);
  return click ? { replaceButton: T.BUTTON_DONE[decision], text } : { text };
}

function decideCommand(id: string, aliases: string[], decision: Decision, help: CommandHelp) {
  return defineCommand({
    id,
    aliases,
    // Approvers are supervisors (township, sending unit, organisation department, or team leaders if the
    // policy names them); whether this person decides this step is checked against the request itself.
    roles: SUPERVISOR_ROLES,
    privateOnly: true,
    help,
    actions: [id],
    handle: (ctx, rest) => decideLeave(ctx, decision, rest),
  });
}

/** `同意 Q1001 [意见]` and the card's 同意 button (`leave-approve:Q1001`). */
export const approveLeave = decideCommand('leave-approve', ['同意', '批准'], 'approved', T.help.leaveApprove);

/** `驳回 Q1001 原因` and the card's 驳回 button (`leave-reject:Q1001`). */
export const rejectLeave = decideCommand('leave-reject', ['驳回', '不同意'], 'rejected', T.help.leaveReject);
