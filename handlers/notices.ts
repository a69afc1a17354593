import { auditChat } from '../src/audit/chat.js';
import { defineCommand, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { localDate } from '../src/kit/dates.js';
import { issuedMessages } from '../src/notices/messages.js';
import {
  checkDecision,
  closed,
  escalated,
  issue,
  kindOfWord,
  nextKind,
  readNo,
  reviewersOf,
  type Notice,
  type NoticeDraft,
} from '../src/notices/notice.js';
import { originalText } from '../src/reports/original-text.js';
import type { Cadre } from '../src/roster/schema.js';
import * as T from '../templates/notices.js';

/** Longest reason or opinion kept. */
const MAX_CHARS = 500;
const clip = (text: string) => [...text].slice(0, MAX_CHARS).join('');

/** Take the number, stage the notice, its messages and its audit record: every check is done by now. */
async function issueNow(ctx: Context, draft: NoticeDraft): Promise<Notice> {
  const no = await ctx.repos.notices.nextNo(ctx.tx, draft.kind, Number(localDate(ctx.now).slice(0, 4)));
  const notice = issue(draft, no, { now: ctx.now, roster: ctx.roster, policy: ctx.deps.policy });
  ctx.repos.notices.save(ctx.tx, notice);
  for (const m of issuedMessages(notice, reviewersOf(notice, ctx.roster))) ctx.send(m);
  auditChat(ctx, { kind: 'notice.issue', ref: no, subject: notice.userId, summary: `${no}：${notice.reason}` });
  return notice;
}

/** The notice named first in `rest` and the words after it; refuses a missing or malformed number. */
async function named(ctx: Context, rest: string, usage: string): Promise<{ no: string; words: string; n?: Notice }> {
  const [first = '', ...more] = originalText(ctx.update.text, rest.trim()).split(/[\s\u3000]+/);
  const no = readNo(first);
  if (!no) refuse('notice_need_number', T.needNumber(usage), { word: first });
  return { no, words: more.join(' ').trim(), n: await ctx.repos.notices.get(no) };
}

/**
 * `销号 Z2026-014 [意见]`: the reviewer closes a notice (the township's supervisors a 整改单, the organisation
 * department a 警示单); the cadre is told. A 提醒单, a decided notice or someone else's notice is refused.
 */
export const closeNotice = defineCommand({
  id: 'notice-close',
  aliases: ['销号'],
  roles: ['township', 'org'],
  privateOnly: true,
  help: T.help.close,
  async handle(ctx, rest) {
    const { no, words, n } = await named(ctx, rest, T.help.close.usage);
    const refusal = checkDecision(n, no, ctx.person.userid, 'close', ctx.roster);
    if (refusal) refuse(refusal.code, T.decisionRefusal(refusal), { no });
    const before = n!;
    const text = words ? clip(words) : undefined;
    const after = closed(before, ctx.person.userid, ctx.now, text);
    ctx.repos.notices.save(ctx.tx, after, { previous: before });
    auditChat(ctx, {
      kind: 'notice.close',
      ref: no,
      subject: before.userId,
      summary: `${no} 销号${text ? `：${text}` : ''}`,
    });
    ctx.send({
      key: `notice-close:${no}:${before.userId}`,
      to: { kind: 'user', userIds: [before.userId] },
      body: { type: 'text', content: T.closeToCadre(after, text) },
      purpose: 'warning',
    });
    return { text: T.closeDone(after) };
  },
});

/**
 * `升级 Z2026-014 原因`: the reviewer escalates a 整改单 to a 警示单 (the next kind), issued at once to the cadre
 * and the organisation department with the facts of the first and the reason. A 警示单 is the highest kind.
 */
export const escalateNotice = defineCommand({
  id: 'notice-escalate',
  aliases: ['升级'],
  roles: ['township', 'org'],
  privateOnly: true,
  help: T.help.escalate,
  async handle(ctx, rest) {
    const { no, words, n } = await named(ctx, rest, T.help.escalate.usage);
    const refusal = checkDecision(n, no, ctx.person.userid, 'escalate', ctx.roster);
    if (refusal) refuse(refusal.code, T.decisionRefusal(refusal), { no });
    const before = n!;
    if (!words) refuse('notice_escalate_reason', T.escalateNeedReason, { no });
    const cadre = ctx.roster.cadres.get(before.userId);
    if (!cadre) refuse('notice_cadre_gone', T.issueNotFound(before.name), { no });
    const reason = clip(words);
    const to = await issueNow(ctx, {
      kind: nextKind(before.kind)!,
      cadre,
      trigger: 'escalation',
      triggerId: `escalation:${no}`,
      reason: T.reasons.escalation(no, before.kind, reason),
      facts: [...before.facts, T.facts.escalatedFrom(no)],
      issuedBy: ctx.person.userid,
      from: no,
    });
    const after = escalated(before, ctx.person.userid, ctx.now, to.no, reason);
    ctx.repos.notices.save(ctx.tx, after, { previous: before });
    auditChat(ctx, {
      kind: 'notice.escalate',
      ref: no,
      subject: before.userId,
      summary: `${no} → ${to.no}：${reason}`,
    });
    return { text: T.escalateDone(after, to) };
  },
});

function cadreNamed(ctx: Context, name: string): Cadre {
  const found = ctx.roster.findVisibleCadre(ctx.person, name);
  if (found.length === 1) return found[0]!;
  if (found.length > 1)
    refuse(
      'notice_issue_ambiguous',
      T.issueAmbiguous(
        name,
        found.map((c) => ctx.roster.villageOf(c).name),
      ),
      { name },
    );
  return refuse('notice_issue_not_found', T.issueNotFound(name), { name });
}

/** `开具 整改单 姓名 原因`: the organisation department issues a notice by hand. */
export const issueNotice = defineCommand({
  id: 'notice-issue',
  aliases: ['开具'],
  roles: ['org'],
  privateOnly: true,
  help: T.help.issue,
  async handle(ctx, rest) {
    const [kindWord = '', name = '', ...reason] = originalText(ctx.update.text, rest.trim()).split(/[\s\u3000]+/);
    if (!kindWord) refuse('notice_issue_usage', T.issueUsage);
    const kind = kindOfWord(kindWord);
    if (!kind) refuse('notice_issue_kind', T.issueBadKind(kindWord), { word: kindWord });
    if (!name) refuse('notice_issue_usage', T.issueUsage);
    const cadre = cadreNamed(ctx, name);
    const why = clip(reason.join(' ').trim());
    if (!why) refuse('notice_issue_reason', T.issueNeedReason);
    const notice = await issueNow(ctx, {
      kind,
      cadre,
      trigger: 'manual',
      triggerId: `manual:${ctx.update.id}`,
      reason: why,
      facts: [],
      issuedBy: ctx.person.userid,
    });
    return { text: T.issueDone(notice) };
  },
});
