import { defineCommand, isCadreContext } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { withdrawnMessages } from '../src/leave/service.js';
import { leaveView } from '../src/leave/view.js';
import { withdraw, type LeaveRequest } from '../src/leave/workflow.js';
import * as T from '../templates/leave.js';
import { help as announceHelp, leaveOnlyForCadres, recallUsage } from '../templates/announce.js';
import { ANNOUNCEMENT_NO, recallAnnouncement } from './announce-recall.js';

/** `Q1001`, `q1001` or `1001`. */
const NUMBER = /^Q?(\d+)\b/i;

/**
 * `撤回 Q1001`: the requester takes back a request still waiting for approval; the approvers of the step it
 * waited on are told. Without a number, the cadre's only pending request is meant. `撤回 N1001` withdraws an
 * announcement instead (its sender or the organisation department), so 撤回 is open to senders too; leave
 * stays the cadre's own.
 */
export default defineCommand({
  id: 'leave-withdraw',
  aliases: ['撤回', '撤回请假', '撤销请假'],
  roles: ['cadre', 'org', 'township', 'sending-unit'],
  privateOnly: true,
  help: T.help.leaveWithdraw,
  // Those who are not cadres use 撤回 only for their announcements.
  supervisorHelp: announceHelp.recall,
  async handle(ctx, rest) {
    const arg = rest.trim();
    if (ANNOUNCEMENT_NO.test(arg)) return recallAnnouncement(ctx, rest);
    // Something that is not a number (`N 1001`, `N1001通知`) is never read as "my only pending leave".
    if (/^N/i.test(arg)) return refuse('announce_recall_usage', recallUsage, { arg });
    if (!isCadreContext(ctx)) return refuse('leave_withdraw_not_cadre', leaveOnlyForCadres);
    const repo = ctx.repos.leave;
    const me = ctx.person.userid;
    const m = NUMBER.exec(arg);
    if (!m && arg) refuse('leave_withdraw_usage', T.withdrawUsage, { arg });
    let before: LeaveRequest | undefined;
    if (m) {
      before = await repo.get(`Q${m[1]}`);
      if (!before) refuse('leave_not_found', T.notFound(`Q${m[1]}`));
    } else {
      const pending = (await repo.ofUser(me)).filter((r) => r.status === 'pending');
      if (pending.length === 0) refuse('leave_nothing_to_withdraw', T.nothingToWithdraw);
      if (pending.length > 1) refuse('leave_which_one', T.whichOne(pending.map((r) => r.no).sort(), '撤回'));
      before = pending[0]!;
    }
    const outcome = withdraw(before, me);
    if (!outcome.ok) {
      if (outcome.refusal === 'not_requester')
        refuse('leave_not_requester', T.notRequester(before.no), { no: before.no });
      refuse('leave_not_pending', T.cannotWithdraw(before.no, before.status as 'approved' | 'rejected' | 'withdrawn'), {
        no: before.no,
      });
    }
    repo.save(ctx.tx, outcome.request, { previous: before });
    for (const message of withdrawnMessages(ctx.roster, before)) ctx.send(message);
    ctx.log.info({ no: before.no }, 'leave withdrawn');
    return { text: T.withdrawn(leaveView(ctx.roster, before)) };
  },
});
