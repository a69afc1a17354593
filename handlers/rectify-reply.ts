import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { originalText } from '../src/reports/original-text.js';
import { forwardNotBefore } from '../src/schedule/burden.js';
import { noticeToAnswer } from '../src/warnings/replies.js';
import * as T from '../templates/warnings.js';

/** Longest answer kept: a short explanation and plan, not a report. */
export const MAX_ANSWER_CHARS = 500;

/**
 * `整改说明 内容`: the cadre's answer to their latest 整改 notice (sent within the policy's `warnings.rectify.answerDays`): kept with the
 * notice's month and forwarded to the township supervisors, who decide what follows; an answer sent in the
 * quiet hours reaches them when the quiet hours end. A second answer about the same month replaces the first
 * and is forwarded again. Only in the one-to-one chat: the notice and the answer are the cadre's own.
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
