import type { Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { draftLive } from '../src/announce/draft.js';
import type { AnnounceDraft } from '../src/announce/repo.js';
import * as T from '../templates/announce.js';

/**
 * The sender's live draft, taken off the store for 确认发送 or 取消发送: typed, the latest draft; clicked, only the
 * draft the preview card was shown with (`rest` is its id). Refuses when there is none or the click is stale.
 */
export async function takeDraft(ctx: Context, rest: string): Promise<{ draft: AnnounceDraft; click: boolean }> {
  const repo = ctx.repos.announcements;
  const click = ctx.update.kind === 'event';
  const draft = await repo.draft(ctx.person.userid);
  if (!draft || !draftLive(draft, ctx.now, ctx.deps.policy.announcements.draftMinutes))
    return refuse('announce_no_draft', T.noDraft);
  if (click && rest.trim() !== draft.id) return refuse('announce_stale_draft', T.staleDraft, { id: rest.trim() });
  repo.dropDraft(ctx.tx, ctx.person.userid, draft.id);
  return { draft, click };
}
