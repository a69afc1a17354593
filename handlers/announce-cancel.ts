import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { CANCEL_ACTION } from '../src/announce/announcement.js';
import { draftLive } from '../src/announce/draft.js';
import * as T from '../templates/announce.js';

/** `取消发送`, or the preview card's 取消 button (`ann-cancel:<draft id>`): drops the draft; nothing is sent. */
export default defineCommand({
  id: 'announce-cancel',
  aliases: ['取消发送', '取消通知', '不发了'],
  roles: ['org', 'township', 'sending-unit'],
  hidden: true,
  privateOnly: true,
  help: T.help.cancel,
  actions: [CANCEL_ACTION],
  async handle(ctx, rest) {
    const repo = ctx.repos.announcements;
    const click = ctx.update.kind === 'event';
    const draft = await repo.draft(ctx.person.userid);
    if (!draft || !draftLive(draft, ctx.now, ctx.deps.policy.announcements.draftMinutes))
      return refuse('announce_no_draft', T.noDraft);
    if (click && rest.trim() !== draft.id) return refuse('announce_stale_draft', T.staleDraft, { id: rest.trim() });
    repo.dropDraft(ctx.tx, ctx.person.userid, draft.id);
    ctx.log.info({ draft: draft.id }, 'announcement draft cancelled');
    return click ? { text: T.cancelled, replaceButton: T.cancelledLabel } : { text: T.cancelled };
  },
});
