import { defineCommand, type CommandHelp, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import {
  handoverTargets,
  isOverdue,
  mayAct,
  mayListVillage,
  mayRead,
  readNumbered,
  resolveTarget,
  withStep,
  type Problem,
  type ProblemStep,
} from '../src/problems/problem.js';
import { problemMessage, raiseProblem, recordStep, stepKey } from '../src/problems/service.js';
import { originalText } from '../src/reports/original-text.js';
import { normaliseText } from '../src/kit/text.js';
import { nameOf, namesOf, problemView } from '../src/problems/view.js';
import { findVillage } from '../src/visits/visitors.js';
import * as T from '../templates/problems.js';

/** A village named by its name (北堡村, 北堡) or id (beibao). */
const villageNamed = (ctx: Context, word: string) => findVillage(ctx.roster, word);

const inGroup = (ctx: Context) => ctx.update.chatType === 'group';

function tooLong(text: string): void {
  if ([...text].length > T.MAX_PROBLEM_CHARS) refuse('problem_too_long', T.tooLong(T.MAX_PROBLEM_CHARS));
}

/** `问题` alone: the asker's open problems, raised or handled; a group hears the count. */
async function mine(ctx: Context): Promise<Reply> {
  const me = ctx.person.userid;
  const open = await ctx.repos.problems.open();
  const own = open.filter((p) => p.userId === me);
  const handled = open.filter((p) => mayAct(p, me));
  if (inGroup(ctx)) return { text: T.myCountInGroup(own.length + handled.length) };
  const view = (p: Problem) => problemView(ctx.roster, p, ctx.now);
  return { text: T.myProblems(own.map(view), handled.map(view), ctx.deps.policy.problems.overdueDays) };
}

/** `问题 北堡村`: the village's open problems, to those who may read them; a group hears the counts. */
async function ofVillage(ctx: Context, village: { id: string; name: string; township: string }): Promise<Reply> {
  const me = ctx.person.userid;
  const days = ctx.deps.policy.problems.overdueDays;
  const open = await ctx.repos.problems.openOfVillage(village.id);
  if (inGroup(ctx)) {
    const overdue = open.filter((p) => isOverdue(p, ctx.now, days)).length;
    return { text: T.villageCountInGroup(village.name, open.length, overdue, days) };
  }
  const everything = mayListVillage(ctx.roster, me, village);
  const readable = everything ? open : open.filter((p) => mayRead(p, ctx.roster, me));
  if (!everything && !readable.length)
    refuse('problem_village_not_allowed', T.notAllowedVillage(village.name), { village: village.id });
  return {
    text: T.villageProblems(
      village.name,
      readable.map((p) => problemView(ctx.roster, p, ctx.now)),
      days,
    ),
  };
}

/**
 * `问题 内容` raises a problem of the cadre's village (民情台账, P1001), sent at once to those the policy routes it
 * to; `问题` lists the asker's open problems; `问题 北堡村` lists a village's. In a group the lists are counts
 * only, and a problem is raised only in the one-to-one chat.
 */
export const problem = defineCommand({
  id: 'problem',
  aliases: ['问题'],
  roles: 'any',
  help: T.help.problem,
  async handle(ctx, rest) {
    const words = rest.trim();
    if (!words) return mine(ctx);
    const village = villageNamed(ctx, words);
    if (village) return ofVillage(ctx, village);
    // Commands match by their first word: `问题整改已完成…` is no problem to raise. Raising one needs the word
    // apart (`问题 内容`, `问题：内容`).
    if (!/^问题[\s:,]/.test(normaliseText(ctx.update.text ?? '')))
      refuse('problem_word_apart', T.wordApart, { rest: words });
    if (inGroup(ctx)) refuse('problem_create_in_group', T.createInGroup);
    const cadre = ctx.person.cadre;
    if (!cadre) return refuse('problem_not_cadre', T.notACadre);
    // As the cadre wrote it: full-width punctuation and line breaks kept.
    const text = originalText(ctx.update.text, words);
    tooLong(text);
    const raised = await raiseProblem(ctx, cadre, text);
    return { text: T.created(raised.problem.no, raised.routedTo, raised.listed) };
  },
});

type Verb = 'reply' | 'handover' | 'close' | 'add';

/** The problem a step names, read and checked: it exists, the asker may take this step, it is still open. */
async function problemFor(ctx: Context, verb: Verb, rest: string, help: CommandHelp) {
  const numbered = readNumbered(rest);
  if (!numbered) return refuse('problem_usage', T.usage(help));
  const { no, words } = numbered;
  const before = await ctx.repos.problems.get(no);
  if (!before) return refuse('problem_not_found', T.notFound(no), { no });
  const me = ctx.person.userid;
  if (verb === 'add' ? before.userId !== me : !mayAct(before, me))
    refuse(
      verb === 'add' ? 'problem_not_yours' : 'problem_not_in_chain',
      (verb === 'add' ? T.notYours : T.notInChain)(no),
      {
        no,
      },
    );
  if (before.status === 'closed')
    refuse('problem_closed', T.alreadyClosed(no, before.closedAt ?? before.createdAt), { no });
  if (!words) refuse('problem_no_text', T.needText(help, no), { no });
  const text = originalText(ctx.update.text, words);
  tooLong(text);
  return { before, words: text };
}

function step(ctx: Context, kind: ProblemStep['kind'], extra: Partial<ProblemStep>): ProblemStep {
  return { kind, by: ctx.person.userid, at: ctx.now.toISOString(), ...extra };
}

/** 回复 and 办结: the step with its text recorded, and the cadre told (`message` gives the words). */
async function stepAndTellCadre(
  ctx: Context,
  kind: 'reply' | 'close',
  rest: string,
  help: CommandHelp,
  message: (no: string, by: string, at: string, text: string) => string,
): Promise<Problem> {
  const { before, words } = await problemFor(ctx, kind, rest, help);
  const s = step(ctx, kind, { text: words });
  const after = withStep(before, s);
  recordStep(ctx, before, after, s);
  const text = message(after.no, ctx.person.name, s.at, words);
  for (const m of problemMessage(stepKey(after, 'cadre'), [after.userId], text)) ctx.send(m);
  return after;
}

/** `回复 P1001 内容`: an answer, which the cadre receives. */
export const replyProblem = defineCommand({
  id: 'problem-reply',
  aliases: ['回复'],
  roles: 'any',
  privateOnly: true,
  help: T.help.reply,
  async handle(ctx, rest) {
    const after = await stepAndTellCadre(ctx, 'reply', rest, T.help.reply, T.replyMessage);
    return { text: T.replied(after.no, nameOf(ctx.roster, after.userId)) };
  },
});

/** `转办 P1001 县水利局 [说明]`: hands the problem on; the target gets it with its history. */
export const handoverProblem = defineCommand({
  id: 'problem-handover',
  aliases: ['转办'],
  roles: 'any',
  privateOnly: true,
  help: T.help.handover,
  async handle(ctx, rest) {
    const { before, words } = await problemFor(ctx, 'handover', rest, T.help.handover);
    const [first = '', ...note] = words.split(/[\s\u3000]+/);
    const word = normaliseText(first);
    const resolved = resolveTarget(ctx.roster, word);
    if ('refusal' in resolved) {
      const { units, townships } = handoverTargets(ctx.roster);
      const text =
        resolved.refusal === 'ambiguous'
          ? T.ambiguousTarget(word)
          : resolved.refusal === 'nobody'
            ? T.nobodyAtTarget(word)
            : T.unknownTarget(word, units, townships);
      refuse(`problem_target_${resolved.refusal}`, text, { no: before.no, target: word });
    }
    const target = resolved.target;
    const me = ctx.person.userid;
    const receivers = target.userIds.filter((u) => u !== me);
    if (!receivers.length) refuse('problem_target_self', T.handoverToSelf(before.no), { no: before.no });
    const s = step(ctx, 'handover', { to: target, ...(note.length ? { text: note.join(' ') } : {}) });
    const after = withStep(before, s);
    recordStep(ctx, before, after, s);
    const view = problemView(ctx.roster, after, ctx.now);
    const by = ctx.person.name;
    for (const m of problemMessage(stepKey(after, 'target'), receivers, T.handoverMessage(view, by, target.name)))
      ctx.send(m);
    for (const m of problemMessage(
      stepKey(after, 'cadre'),
      [after.userId],
      T.handedOnMessage(after.no, by, target.name),
    ))
      ctx.send(m);
    return {
      text: T.handedOn(after.no, target.name, target.kind === 'person' ? [] : namesOf(ctx.roster, receivers)),
    };
  },
});

/** `办结 P1001 办理结果`: closes the problem; the cadre is told the result. */
export const closeProblem = defineCommand({
  id: 'problem-close',
  aliases: ['办结'],
  roles: 'any',
  privateOnly: true,
  help: T.help.close,
  async handle(ctx, rest) {
    const after = await stepAndTellCadre(ctx, 'close', rest, T.help.close, T.closedMessage);
    return { text: T.closed(after.no, nameOf(ctx.roster, after.userId)) };
  },
});

/** `补充 P1001 内容`: the cadre adds to their problem; those handling it (sent at once, handed on) are told. */
export const addToProblem = defineCommand({
  id: 'problem-add',
  aliases: ['补充'],
  roles: ['cadre'],
  privateOnly: true,
  help: T.help.add,
  async handle(ctx, rest) {
    const { before, words } = await problemFor(ctx, 'add', rest, T.help.add);
    const s = step(ctx, 'add', { text: words });
    const after = withStep(before, s);
    recordStep(ctx, before, after, s);
    const handlers = [...new Set([...after.routed, ...after.handedTo])].filter((u) => u !== after.userId);
    const view = problemView(ctx.roster, after, ctx.now);
    for (const m of problemMessage(stepKey(after, 'chain'), handlers, T.addedMessage(view, s.at, words))) ctx.send(m);
    return { text: T.added(after.no, namesOf(ctx.roster, handlers)) };
  },
});
