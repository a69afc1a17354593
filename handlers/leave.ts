import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { checkLeave, leaveTypeOptions } from '../src/leave/check.js';
import { looksLikeLeave } from '../src/leave/parse.js';
import { approvalMessage, newRequest, submittedSteps } from '../src/leave/service.js';
import { leaveView } from '../src/leave/view.js';
import * as T from '../templates/leave.js';

/**
 * `请假 类型 日期 事由` (or a sentence that reads like one): checks the request against the policy and the
 * cadre's other leave (judged together with the leave it joins, see src/leave/merge.ts), numbers it, and sends
 * the approval card to the first step's approvers.
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
    const check = checkLeave(rest, {
      policy: ctx.deps.policy,
      now: ctx.now,
      existing,
      roster: ctx.roster,
      cadre,
      calendar: ctx.deps.calendar,
    });
    if (check.problem) {
      // Nobody at any level up to the organisation department: the roster is broken, whoever keeps it must know.
      if (check.problem.code === 'leave_no_approver')
        ctx.log.error(
          { cadre: cadre.userid, role: check.chain?.unfilled },
          'leave has no approver at any level up to the organisation department',
        );
      refuse(check.problem.code, check.problem.message, {
        parsed: check.parsed,
        ...(check.problem.keep !== undefined ? { keep: check.problem.keep } : {}),
      });
    }
    const draft = check.draft!;
    const chain = check.chain!;

    // Numbered only after every check, so a refused request does not use up a number.
    const request = newRequest(await repo.nextNo(ctx.tx), cadre, draft, chain, ctx.now);
    repo.save(ctx.tx, request);
    ctx.send(approvalMessage(ctx.roster, request));
    for (const step of chain.steps.filter((s) => s.covers)) {
      ctx.log.warn(
        { no: request.no, covers: step.covers, by: step.kind, cadre: cadre.userid },
        'leave approval level has nobody on the roster; the next level up decides',
      );
    }
    ctx.log.info(
      { no: request.no, days: request.days, judged: request.judged, steps: chain.steps.map((s) => s.kind) },
      'leave requested',
    );
    return { text: T.submitted(leaveView(ctx.roster, request), submittedSteps(ctx.roster, request)) };
  },
});
