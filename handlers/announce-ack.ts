import { defineCommand, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import { READ_ACTION } from '../src/announce/announcement.js';
import type { AnnounceRepo } from '../src/announce/repo.js';
import * as T from '../templates/announce.js';

/**
 * Read receipts: the card's 已阅 button (`ann-read:N1001`), or `收到` / `已阅` / `好的` in the chat, which
 * confirms the person's latest unread announcement (or the one named: `收到 N1001`). With nothing to confirm
 * (or for someone who receives no announcements) the answer is a friendly 好的。 and nothing changes. A button
 * click always answers with the button relabelled 已阅, so the card shows the state even when it was already
 * read; a withdrawn announcement is never confirmed.
 */
export default defineCommand({
  id: 'announce-ack',
  aliases: ['收到', '已阅', '已收到', '收到了', '好的', '好的收到', '通知收到', '通知已收到', '通知已阅'],
  roles: 'any',
  help: T.help.ack,
  actions: [READ_ACTION],
  async handle(ctx, rest) {
    const repo = ctx.repos.announcements;
    if (ctx.update.kind === 'event') return click(ctx, repo, rest.trim().toUpperCase());
    const named = /^N\d+/i.exec(rest.trim())?.[0];
    if (named) return confirmNamed(ctx, repo, named.toUpperCase());
    const unread = await repo.unreadFor(ctx.person.userid);
    const latest = unread[0];
    if (!latest) return { text: T.nothingToAck };
    repo.markRead(ctx.tx, latest.no, ctx.person.userid, ctx.now);
    return { text: T.acknowledged(latest.no, latest.text, unread.length - 1) };
  },
});

async function click(ctx: Context, repo: AnnounceRepo, no: string): Promise<Reply> {
  const a = await repo.get(no);
  if (!a) refuse('announce_not_found', T.notFound(no));
  if (!a.recipients.includes(ctx.person.userid)) refuse('announce_not_recipient', T.notRecipient(no));
  if (a.withdrawnAt) return { text: T.withdrawnNotice(no, a.withdrawnAt) };
  const at = await repo.readAt(no, ctx.person.userid);
  if (at) return { text: T.alreadyRead(no, at), replaceButton: T.readLabel };
  repo.markRead(ctx.tx, no, ctx.person.userid, ctx.now);
  return { replaceButton: T.readLabel };
}

async function confirmNamed(ctx: Context, repo: AnnounceRepo, no: string): Promise<Reply> {
  const a = await repo.get(no);
  if (!a) refuse('announce_not_found', T.notFound(no));
  if (!a.recipients.includes(ctx.person.userid)) refuse('announce_not_recipient', T.notRecipient(no));
  if (a.withdrawnAt) return { text: T.withdrawnNotice(no, a.withdrawnAt) };
  const at = await repo.readAt(no, ctx.person.userid);
  if (at) return { text: T.alreadyRead(no, at) };
  repo.markRead(ctx.tx, no, ctx.person.userid, ctx.now);
  const remaining = (await repo.unreadFor(ctx.person.userid)).filter((u) => u.no !== no).length;
  return { text: T.acknowledged(no, a.text, remaining) };
}
