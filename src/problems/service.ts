/**
 * The steps of the problem ledger as the handlers run them: read, check, then stage the record, its audit entry
 * and its messages in the update's writes (a refused update leaves none of them).
 */
import { auditChat, type ChatAuditContext } from '../audit/chat.js';
import type { Outbound } from '../core/outbound.js';
import type { Logger } from '../log.js';
import type { Policy } from '../policy/schema.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';
import type { ProblemRepo } from './repo.js';
import * as T from '../../templates/problems.js';
import { newProblem, problemRecipients, type Problem, type ProblemStep } from './problem.js';
import { namesOf, problemView } from './view.js';

/** What a step needs of a handler's context (`Context` fits). */
export interface ProblemContext extends ChatAuditContext {
  roster: Roster;
  deps: ChatAuditContext['deps'] & { policy: Pick<Policy, 'problems'> };
  repos: { problems: ProblemRepo };
  log: Pick<Logger, 'info'>;
  send(message: Outbound): void;
}

/** A text message to `userIds` (nothing when there is nobody), keyed by problem, step and audience. */
export function problemMessage(key: string, userIds: readonly string[], content: string): Outbound[] {
  const to = [...new Set(userIds)];
  if (!to.length) return [];
  return [{ key, to: { kind: 'user', userIds: to }, body: { type: 'text', content }, purpose: 'problem' }];
}

/** The idempotency key of a step's message: the problem, the step's index and the audience. */
export const stepKey = (p: Problem, audience: string) => `problem:${p.no}:${p.steps.length - 1}:${audience}`;

/**
 * Raise a problem of `cadre`'s village with `text` (from `问题 …` or a `#困难` report): numbered, stored, sent
 * at once to those the policy routes it to, recorded in the audit trail. Take it after every check that may
 * refuse: the number is taken here.
 */
export async function raiseProblem(
  ctx: ProblemContext,
  cadre: Cadre,
  text: string,
  report?: string,
): Promise<{ problem: Problem; routedTo: string[]; listed: string[] }> {
  const repo = ctx.repos.problems;
  const to = problemRecipients(ctx.deps.policy, ctx.roster, cadre);
  const problem = newProblem(await repo.nextNo(ctx.tx), ctx.roster, cadre, text, to, ctx.now, report);
  repo.save(ctx.tx, problem);
  auditChat(ctx, {
    kind: 'problem.create',
    ref: problem.no,
    subject: cadre.userid,
    summary: `${ctx.roster.villageOf(cadre).name}，转给 ${to.routed.length} 人${report ? `，来自汇报 ${report}` : ''}`,
  });
  const view = problemView(ctx.roster, problem, ctx.now);
  for (const m of problemMessage(stepKey(problem, 'routed'), to.routed, T.newProblemMessage(view))) ctx.send(m);
  ctx.log.info({ no: problem.no, routed: to.routed.length, listed: to.listed.length, report }, 'problem raised');
  return { problem, routedTo: namesOf(ctx.roster, to.routed), listed: namesOf(ctx.roster, to.listed) };
}

const STEP_NAMES: Record<ProblemStep['kind'], string> = {
  create: '提出',
  reply: '回复',
  handover: '转办',
  close: '办结',
  add: '补充',
};

/** Stage a step: the problem saved over the version read, and its audit entry. */
export function recordStep(ctx: ProblemContext, before: Problem, after: Problem, step: ProblemStep): void {
  ctx.repos.problems.save(ctx.tx, after, { previous: before });
  auditChat(ctx, {
    kind: `problem.${step.kind === 'create' ? 'create' : step.kind}`,
    ref: after.no,
    subject: after.userId,
    // Never the problem's words: the audit trail is read outside the chain.
    summary: step.to ? `转给 ${step.to.name}` : STEP_NAMES[step.kind],
  });
}
