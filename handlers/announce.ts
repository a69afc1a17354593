import { createHash } from 'node:crypto';
import { defineCommand, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { prepareDraft, type DraftRefusal } from '../src/announce/draft.js';
import type { AnnounceDraft } from '../src/announce/repo.js';
import { CANCEL_ACTION, SEND_ACTION } from '../src/announce/announcement.js';
import { originalText } from '../src/reports/original-text.js';
import * as T from '../templates/announce.js';

/** Names are listed in the preview when fewer than this many people receive it. */
const NAMES_BELOW = 20;

/**
 * `通知 范围 内容` (organisation department, township supervisors, sending-unit leaders): reads the audience,
 * checks it is within the sender's range, and stores a draft that waits for 确认发送 (`announce-confirm`). The
 * answer is a preview card: who will receive it by township (names when few), and the text without the scope
 * word. Nothing is numbered or sent here.
 */
export default defineCommand({
  id: 'announce',
  aliases: ['通知', '公告', '发通知'],
  roles: ['org', 'township', 'sending-unit'],
  // The preview names the recipients: the one-to-one chat only.
  privateOnly: true,
  help: T.help.announce,
  async handle(ctx, rest) {
    const policy = ctx.deps.policy.announcements;
    const prepared = prepareDraft({
      roster: ctx.roster,
      person: ctx.person,
      rest,
      original: (text) => originalText(ctx.update.text, text),
      maxChars: policy.maxChars,
      now: ctx.now,
      id: createHash('sha256').update(ctx.update.id).digest('hex').slice(0, 12),
    });
    if (!prepared.ok) refuseDraft(prepared.refusal);
    const draft = prepared.draft;
    ctx.repos.announcements.saveDraft(ctx.tx, ctx.person.userid, draft, policy.draftMinutes * 60);
    ctx.log.info(
      { draft: draft.id, scope: draft.scope, recipients: draft.recipients.length },
      'announcement previewed',
    );
    // A passive reply in the app chat cannot carry buttons, so the card goes as an app message to the sender.
    ctx.send({
      key: `announce-preview:${ctx.person.userid}:${draft.id}`,
      to: { kind: 'user', userIds: [ctx.person.userid] },
      body: { type: 'card', card: previewCard(ctx, draft, policy.draftMinutes) },
      purpose: 'announcement-preview',
    });
    return { text: T.previewReply(draft.scope, draft.recipients.length) };
  },
});

function refuseDraft(r: DraftRefusal): never {
  switch (r.code) {
    case 'scope':
      return refuse(`announce_scope_${r.problem.code}`, T.scopeRefusal(r.problem), { word: r.problem.word });
    case 'name_the_scope':
      return refuse('announce_name_the_scope', T.nameTheScope(r.range));
    case 'empty':
      return refuse('announce_empty', T.emptyText(T.help.announce));
    case 'too_long':
      return refuse('announce_too_long', T.tooLong(r.max));
    case 'out_of_range':
      return refuse('announce_out_of_range', T.outOfRange(r.range));
    case 'no_recipients':
      return refuse('announce_no_recipients', T.noRecipients(r.scope), { scope: r.scope });
  }
}

function previewCard(ctx: Context, draft: AnnounceDraft, minutes: number) {
  const counts = new Map<string, number>();
  const names: string[] = [];
  for (const userid of draft.recipients) {
    const cadre = ctx.roster.cadres.get(userid);
    if (!cadre) continue;
    const township = ctx.roster.townshipOf(cadre).name;
    counts.set(township, (counts.get(township) ?? 0) + 1);
    names.push(cadre.name);
  }
  const view = {
    byTownship: [...counts].map(([township, count]) => ({ township, count })),
    ...(names.length < NAMES_BELOW ? { names } : {}),
    minutes,
  };
  return T.preview(draft, view, {
    taskId: `ann-draft-${draft.id}`,
    send: `${SEND_ACTION}:${draft.id}`,
    cancel: `${CANCEL_ACTION}:${draft.id}`,
  });
}
