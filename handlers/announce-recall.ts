import { auditChat } from '../src/audit/chat.js';
import { defineCommand, type Context } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import { messageKeys, RECALL_HOURS, recallable, renudgeKeys } from '../src/announce/announcement.js';
import * as A from '../templates/audit.js';
import * as T from '../templates/announce.js';

/** `N1001`, `n1001`. */
export const ANNOUNCEMENT_NO = /^N\d+$/i;

/**
 * Withdraw an announcement: only its sender or the organisation department. Within WeCom's 24 hours its
 * cards (and any re-nudge cards) are recalled from the chats through the outbox (`message/recall`); after
 * that it is only marked withdrawn. Either way 收到 no longer confirms it, the re-nudge skips it, 通知状态
 * shows 已撤回 and its 已阅 button answers that it was withdrawn. Announcements go out as app messages only,
 * never through a group robot (which cannot recall).
 */
export async function recallAnnouncement(ctx: Context, number: string): Promise<Reply> {
  const repo = ctx.repos.announcements;
  const no = number.trim().toUpperCase();
  const a = await repo.get(no);
  if (!a) return refuse('announce_not_found', T.notFound(no));
  if (a.sender !== ctx.person.userid && !ctx.person.roles.includes('org'))
    return refuse('announce_not_sender', T.notSender(no), { no });
  if (a.withdrawnAt) return refuse('announce_already_withdrawn', T.alreadyWithdrawn(no, a.withdrawnAt), { no });
  repo.markWithdrawn(ctx.tx, no, ctx.now, ctx.person.userid);
  const fromChats = recallable(a, ctx.now);
  auditChat(ctx, {
    kind: 'announce.recall',
    ref: no,
    summary: A.announceRecalled(a.recipients.length, fromChats, RECALL_HOURS),
  });
  if (fromChats) {
    const n = a.recipients.length;
    ctx.send({
      key: `announce-recall:${no}`,
      to: { kind: 'recall', keys: [...messageKeys(no, n), ...renudgeKeys(no, n)] },
      body: { type: 'recall' },
      purpose: 'recall',
    });
  }
  ctx.log.info({ no, fromChats }, 'announcement withdrawn');
  return { text: T.withdrawn(no, a.recipients.length, fromChats) };
}

/** `撤回通知 N1001` (`撤回 N1001` comes here too, through leave-withdraw's dispatch on the number's prefix). */
export default defineCommand({
  id: 'announce-recall',
  aliases: ['撤回通知', '撤销通知'],
  roles: ['org', 'township', 'sending-unit'],
  privateOnly: true,
  help: T.help.recall,
  async handle(ctx, rest) {
    const no = rest.trim();
    if (!ANNOUNCEMENT_NO.test(no)) return refuse('announce_recall_usage', T.recallUsage);
    return recallAnnouncement(ctx, no);
  },
});
