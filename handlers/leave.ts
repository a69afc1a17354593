import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { checkLeave, leaveTypeOptions } from '../src/leave/check.js';
import { looksLikeLeave } from '../src/leave/parse.js';
import { approvalMessage, laterRoles, newRequest, waiting } from '../src/leave/service.js';
import { leaveView } from '../src/leave/view.js';
import * as T from '../templates/leave.js';

/**
 * `请假 类型 日期 事由` (or a sentence that reads like one): checks the request against the policy and the
 * cadre's other leave, numbers it, and sends the approval card to the first step's approvers.
 */
export default defineCommand({
  id: 'leave',
  aliases: ['请假'],
  roles: ['cadre'],
  privateOnly: true,
  followUp: true,
  help: T.help.leave,
  // A sentence without the word 请假 (`明天请一天病假 感冒`) is recognised by the county's own leave types.
  recognise: (text, ctx) => (looksLikeLeave(text, leaveTypeOptions(ctx.deps.policy)) ? text : undefined),
  async handle(ctx, rest) {
    const cadre = ctx.person.cadre;
    const repo = ctx.repos.leave;
    const existing = await repo.ofUser(cadre.userid);
    const check = checkLeave(rest, { policy: ctx.deps.policy, now: ctx.now, existing, roster: ctx.roster, cadre });
    if (check.problem)
      refuse(check.problem.code, check.problem.message, { parsed: check.parsed, skipped: check.chain?.skipped });
    const draft = check.draft!;
    const chain = check.chain!;

    // Numbered only after every check, so a refused request does not use up a number.
    const request = newRequest(await repo.nextNo(ctx.tx), cadre, draft, chain, ctx.now);
    repo.save(ctx.tx, request);
    ctx.send(approvalMessage(ctx.roster, request));
    // A skipped step means the roster lacks someone the policy requires (e.g. no organisation-department
    // approver for a long leave): the leave still goes, and whoever keeps the roster should hear of it.
    for (const role of chain.skipped) {
      ctx.log.warn(
        { no: request.no, role, cadre: cadre.userid },
        'leave approval step has nobody on the roster; skipped',
      );
    }
    ctx.log.info({ no: request.no, days: request.days, steps: chain.steps.map((s) => s.kind) }, 'leave requested');
    const v = leaveView(ctx.roster, request);
    return { text: T.submitted(v, waiting(ctx.roster, request.steps[0]!), laterRoles(request), chain.skipped) };
  },
});
