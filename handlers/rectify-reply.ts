import { auditChat } from '../src/audit/chat.js';
import { defineCommand, type CadreContext } from '../src/core/command.js';
import type { Reply } from '../src/core/reply.js';
import { isPending, readNo, reviewersOf, withAnswer, type Notice } from '../src/notices/notice.js';
import { refuse } from '../src/core/errors.js';
import { originalText } from '../src/reports/original-text.js';
import { forwardNotBefore } from '../src/schedule/burden.js';
import { noticeToAnswer } from '../src/warnings/replies.js';
import * as T from '../templates/warnings.js';
import * as N from '../templates/notices.js';

/** Longest answer kept: a short explanation and plan, not a report. */
export const MAX_ANSWER_CHARS = 500;

/**
 * `整改说明 内容`: the cadre's answer to their latest 整改 notice (sent within the policy's `warnings.rectify.answerDays`): kept with the
 * notice's month and forwarded to the township supervisors, who decide what follows; an answer sent in the
 * quiet hours reaches them when the quiet hours end. A second answer about the same month replaces the first
 * and is forwarded again. Only in the one-to-one chat: the notice and the answer are the cadre's own.
 *
 * A numbered notice waiting for an answer or a decision (整改单 Z…, 警示单 J…) takes the answer first:
 * `整改说明 Z2026-014 内容` names it, `整改说明 内容` answers the cadre's latest. The answer is kept with the notice
 * (and, for the ladder's 整改单, with its month as before) and forwarded to the notice's reviewers.
 */
export default defineCommand({
  id: 'rectify-reply',
  aliases: ['整改说明', '整改情况说明'],
  roles: ['cadre'],
  help: T.rectifyHelp,
  privateOnly: true,
  async handle(ctx, rest) {
    const text = originalText(ctx.update.text, rest.trim());
    if (!text) refuse('rectify_empty', T.rectifyEmpty);
    const numbered = await answerNotice(ctx, text);
    if (numbered) return numbered;
    const clipped = [...text].slice(0, MAX_ANSWER_CHARS).join('');
    const { answerDays } = ctx.deps.policy.warnings.rectify;
    const notice = noticeToAnswer(await ctx.repos.warnings.all(), ctx.person.userid, ctx.now, answerDays);
    if (!notice) return { text: T.rectifyNone(answerDays) };

    const replies = ctx.repos.rectifyReplies;
    const before = await replies.get(ctx.person.userid, notice.month);
    replies.save(ctx.tx, ctx.person.userid, notice.month, { text: clipped, at: ctx.now.toISOString() });

    const cadre = ctx.person.cadre;
    const township = ctx.roster.townshipOf(cadre);
    const view = {
      name: cadre.name,
      village: ctx.roster.villageOf(cadre).name,
      month: notice.month,
      text: clipped,
      township: township.name,
    };
    const notBefore = forwardNotBefore(ctx.now, ctx.deps.policy.push.quietHours);
    for (const s of ctx.roster.townshipSupervisors(township.id)) {
      ctx.send({
        key: `rectify-reply:${cadre.userid}:${notice.month}:${ctx.update.id}:${s.userid}`,
        to: { kind: 'user', userIds: [s.userid] },
        body: { type: 'text', content: T.rectifyForward(view) },
        purpose: 'warning',
        ...(notBefore !== undefined ? { notBefore } : {}),
      });
    }
    return { text: before ? T.rectifyAgain(notice.month) : T.rectifyThanks(notice.month, township.name) };
  },
});

/** The month of a ladder 整改单 (`attendance:<userid>:<month>:rectify`), whose answer the digests also read. */
function ladderMonth(n: Notice): string | undefined {
  return n.trigger === 'attendance' ? /:(\d{4}-\d{2}):rectify$/.exec(n.triggerId)?.[1] : undefined;
}

/** Attach the answer to the named or latest open numbered notice; undefined when the cadre has none open. */
async function answerNotice(ctx: CadreContext, text: string): Promise<Reply | undefined> {
  const [first = '', ...more] = text.split(/[\s\u3000]+/);
  const named = readNo(first);
  const open = (await ctx.repos.notices.ofUser(ctx.person.userid)).filter((n) => n.reviewer && isPending(n));
  const target = named ? open.find((n) => n.no === named) : open.at(-1);
  if (named && !target) refuse('notice_answer_unknown', N.answerUnknown(named), { no: named });
  if (!target) return undefined;
  const answer = [...(named ? more.join(' ').trim() : text)].slice(0, MAX_ANSWER_CHARS).join('');
  if (!answer) refuse('rectify_empty', T.rectifyEmpty);
  const after = withAnswer(target, answer, ctx.person.userid, ctx.now);
  ctx.repos.notices.save(ctx.tx, after, { previous: target });
  const month = ladderMonth(target);
  if (month)
    ctx.repos.rectifyReplies.save(ctx.tx, ctx.person.userid, month, { text: answer, at: ctx.now.toISOString() });
  auditChat(ctx, { kind: 'notice.answer', ref: target.no, subject: target.userId, summary: `${target.no} 整改说明` });
  const notBefore = forwardNotBefore(ctx.now, ctx.deps.policy.push.quietHours);
  for (const r of reviewersOf(target, ctx.roster).filter((u) => u !== ctx.person.userid))
    ctx.send({
      key: `notice-answer:${target.no}:${ctx.update.id}:${r}`,
      to: { kind: 'user', userIds: [r] },
      body: { type: 'text', content: N.answerForward(after, answer) },
      purpose: 'warning',
      ...(notBefore !== undefined ? { notBefore } : {}),
    });
  return { text: N.answerThanks(after, target.answer !== undefined) };
}
