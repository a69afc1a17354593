import { createHash } from 'node:crypto';
import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { normaliseText } from '../src/kit/text.js';
import { leaveTypeOptions } from '../src/leave/check.js';
import { looksLikeLeave } from '../src/leave/parse.js';
import { looksLikePlainReport } from '../src/reports/plain-report.js';
import { originalText } from '../src/reports/original-text.js';
import * as C from '../templates/common.js';
import * as T from '../templates/conversation.js';
import { help } from '../templates/reports.js';
import { fileReport } from './report.js';

/** The command that files a plain report once the cadre says yes; its question keeps the report's text. */
const SUBMIT = 'report-submit';
const YES = /^(?:是|是的|对|对的|好|好的|确认|提交|确认提交|可以|行|嗯|要)[。.!！]?$/;
const NO = /^(?:不|不用|不是|否|不要|不提交|不了|先不)[。.!！]?$/;

/** Names one text, so a button files exactly the text its card showed (and not a later one). */
function draftId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * A sentence that reads like a work report but was sent without `汇报` (`今天走访了3户，了解到…`): in the app chat a
 * cadre is asked "要作为工作汇报提交吗？" on a card with a button; the click, or the answer 是, files it. In a group,
 * or from someone without a cadre record, it is what it was before: a text the bot did not understand.
 */
export const reportAsk = defineCommand({
  id: 'report-ask',
  aliases: [],
  roles: 'any',
  hidden: true,
  help: { summary: help.report.summary, usage: help.report.usage, examples: [] },
  // A leave sentence (`明天请一天病假，原定的走访改到周五`) stays with the leave command, tried later.
  recognise: (text, ctx) =>
    looksLikePlainReport(text) && !looksLikeLeave(text, leaveTypeOptions(ctx.deps.policy)) ? text : undefined,
  async handle(ctx, rest) {
    const { update } = ctx;
    if (!ctx.person.cadre || update.channel !== 'app' || update.chatType !== 'single')
      return { text: C.unknownCommand(update.text ?? rest) };
    const text = originalText(update.text, rest);
    const card = T.reportAskCard(text, {
      taskId: `report-ask-${draftId(update.id)}`,
      buttonKey: `${SUBMIT}:${draftId(text)}`,
    });
    ctx.send({
      key: `report-ask:${update.id}`,
      to: { kind: 'user', userIds: [ctx.person.userid] },
      body: { type: 'card', card },
      purpose: 'reply',
    });
    ctx.ask(SUBMIT, text);
    ctx.log.info({ chars: [...text].length }, 'plain text offered as a report');
    return null;
  },
});

/**
 * Files the plain report the question waits on: from the card's button (`report-submit:<id>`), or from the answer
 * typed in the app chat (是 files it, 不用 does not; anything else asks once more).
 */
export const reportSubmit = defineCommand({
  id: SUBMIT,
  aliases: [],
  roles: ['cadre'],
  hidden: true,
  privateOnly: true,
  followUp: true,
  help: { summary: help.report.summary, usage: help.report.usage, examples: [] },
  actions: [SUBMIT],
  // 好的 is also 收到's word; while this question waits it means yes.
  answers: (text) => YES.test(text) || NO.test(text),
  async handle(ctx, rest) {
    const asked = ctx.pending?.command === SUBMIT ? ctx.pending.keep : undefined;
    const gone = T.reportAskGone(ctx.deps.policy.conversation.questionMinutes);
    if (ctx.update.kind === 'event') {
      if (asked === undefined || draftId(asked) !== rest) return refuse('report_ask_gone', gone, { draft: rest });
      const filed = await fileReport(ctx, asked, ctx.person.cadre);
      // A click is answered by relabelling its button only: the saved report's sentence goes as a message.
      if (filed.text)
        ctx.send({
          key: `report-filed:${ctx.update.id}`,
          to: { kind: 'user', userIds: [ctx.person.userid] },
          body: { type: 'text', content: filed.text },
          purpose: 'reply',
        });
      return { ...filed, replaceButton: T.reportAskDone };
    }
    if (asked === undefined) return refuse('report_ask_gone', gone);
    const answer = normaliseText(ctx.update.text ?? '');
    if (YES.test(answer)) return fileReport(ctx, asked, ctx.person.cadre);
    if (NO.test(answer)) return { text: T.reportNotFiled };
    return refuse('report_ask_unclear', T.reportAskAgain, { keep: asked });
  },
});
