/**
 * Follow-up questions: when a request lacks something the bot asks for it, and the person's next message in the
 * same chat answers it ("请个假" → "请问请什么假、哪几天？" → "事假 明天").
 *
 * A question is asked by a refusal of a command marked `followUp` whose context names what to `keep` (its
 * sentence is the question; a refusal without `keep` is final, not a question) or by a handler
 * through `ctx.ask`. It waits per person and chat for the policy's `conversation.questionMinutes`. The next text
 * in that chat, unless it is a command of its own, runs the asking command again with `${keep} ${answer}`; a
 * free sentence the asking command itself recognises ("事假 明天") is an answer too. 取消/算了 drops the question;
 * any other command, or a card click, replaces or clears it. What the person did not send themselves (automatic
 * location reports, entering the app) leaves it alone.
 *
 * Every write is staged after the command, on the update's `Tx`, so it commits with the update's de-duplication
 * record (a retried delivery sees the same outcome) and a refusal's `tx.clear()` cannot drop it.
 */
import * as T from '../../../templates/conversation.js';
import { normaliseText } from '../../kit/text.js';
import { chatOf, QuestionStore, type Question } from '../questions.js';
import type { Update } from '../update.js';
import type { Middleware } from './compose.js';
import type { PersonTurn } from './turn.js';

/** Answers that drop the question. */
const CANCEL = /^(?:取消|算了|算了吧|不用了|不请了)[。.!！]?$/;

export const followUp: Middleware<PersonTurn> = async (ctx, next) => {
  const { update } = ctx;
  if (!deliberate(update)) return next();
  const store = new QuestionStore(ctx.deps.redis, ctx.deps.keys);
  const userId = ctx.person.userid;
  const chat = chatOf(update);
  const read = await store.read(userId, chat);
  const waiting = read && Date.parse(read.question.until) > ctx.now.getTime() ? read.question : undefined;
  if (waiting) ctx.pending = waiting;

  const answer = waiting ? answerTo(ctx, waiting) : undefined;
  if (answer !== undefined && CANCEL.test(answer)) {
    ctx.log.info({ question: waiting!.command }, 'question dropped by the person');
    store.clear(ctx.tx, userId, chat, read!);
    ctx.reply = { text: T.questionDropped };
    return;
  }
  if (answer !== undefined) {
    const spec = ctx.registry.get(waiting!.command)!;
    ctx.command = { spec, rest: `${waiting!.keep} ${answer}`.trim() };
    ctx.log = ctx.log.child({ answers: spec.id });
  }

  await next();

  const asked = questionOf(ctx);
  if (asked) {
    const until = new Date(ctx.now.getTime() + ctx.deps.policy.conversation.questionMinutes * 60_000);
    store.ask(ctx.tx, userId, chat, { ...asked, until: until.toISOString() }, read);
    ctx.log.info({ question: asked.command }, 'question asked');
  } else if (read && !(ctx.refused && ctx.update.kind === 'event')) {
    // A refused click (a stale or forged button) changes nothing, the waiting question included.
    store.clear(ctx.tx, userId, chat, read);
  }
};

/** What the person sent themselves: a text, or a click on a card's button. */
function deliberate(update: Update): boolean {
  if (update.kind === 'text' || update.kind === 'mixed') return Boolean(update.text?.trim());
  return update.kind === 'event' && update.event?.type === 'template_card_event';
}

/**
 * The text of an update that answers `waiting`, normalised as commands read it; undefined for a click, for a
 * command of its own, or when the asking command is no longer known.
 */
function answerTo(ctx: PersonTurn, waiting: Question): string | undefined {
  const { update } = ctx;
  const asking = ctx.registry.get(waiting.command);
  if (update.kind === 'event' || !update.text || !asking) return undefined;
  if (asking.answers?.(normaliseText(update.text))) return normaliseText(update.text);
  const match = ctx.registry.match(update, ctx);
  if (match && !(match.recognised && match.spec.id === waiting.command)) return undefined;
  return normaliseText(update.text);
}

/**
 * The question this update leaves waiting: the refusal of a `followUp` command typed as text (a refused click
 * asks nothing: there is no sentence to complete), else what the handler asked with its reply.
 */
function questionOf(ctx: PersonTurn): Pick<Question, 'command' | 'keep'> | undefined {
  const spec = ctx.command?.spec;
  if (ctx.refused) {
    if (!spec?.followUp || ctx.update.kind === 'event') return undefined;
    // Only a refusal that says what to keep asks for something missing; "too long" or "no approver" is final.
    const keep = ctx.refused.context.keep;
    return typeof keep === 'string' ? { command: spec.id, keep } : undefined;
  }
  return ctx.asked;
}
