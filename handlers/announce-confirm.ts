import { auditChat } from '../src/audit/chat.js';
import { defineCommand, type Context } from '../src/core/command.js';
import { batches, cardIds, SEND_ACTION, type Announcement } from '../src/announce/announcement.js';
import type { AnnounceDraft } from '../src/announce/repo.js';
import * as A from '../templates/audit.js';
import * as T from '../templates/announce.js';
import { takeDraft } from './announce-draft.js';

/**
 * `确认发送`, or the preview card's 确认发送 button (`ann-send:<draft id>`): numbers the sender's draft (N1001…),
 * stores it and sends every recipient a card with a 已阅 button. Typed, it sends the sender's latest draft; a
 * button sends only the draft it was shown with. Announcements are exempt from the push budget and sent at once.
 */
export default defineCommand({
  id: 'announce-confirm',
  aliases: ['确认发送', '确认发通知', '确认通知'],
  roles: ['org', 'township', 'sending-unit'],
  hidden: true,
  privateOnly: true,
  help: T.help.confirm,
  actions: [SEND_ACTION],
  async handle(ctx, rest) {
    const { draft, click } = await takeDraft(ctx, rest);
    const a = await send(ctx, draft);
    const text = T.sent(a.no, a.scope, a.recipients.length);
    if (!click) return { text };
    // A click is answered by relabelling its button only; the number (needed for 撤回) goes as a message.
    ctx.send({
      key: `announce-sent:${a.no}`,
      to: { kind: 'user', userIds: [ctx.person.userid] },
      body: { type: 'text', content: text },
      purpose: 'reply',
    });
    return { replaceButton: T.sentLabel };
  },
});

async function send(ctx: Context, draft: AnnounceDraft): Promise<Announcement> {
  const repo = ctx.repos.announcements;
  const no = await repo.nextNo(ctx.tx);
  const announcement: Announcement = {
    no,
    text: draft.text,
    scope: draft.scope,
    sender: ctx.person.userid,
    senderName: ctx.person.name,
    ...(draft.from ? { from: draft.from } : {}),
    createdAt: ctx.now.toISOString(),
    recipients: draft.recipients,
  };
  repo.save(ctx.tx, announcement);
  auditChat(ctx, {
    kind: 'announce.send',
    ref: no,
    summary: A.announceSent(draft.scope, draft.recipients.length, draft.text),
  });
  const card = T.card(announcement, cardIds(no));
  batches(draft.recipients).forEach((userIds, i) => {
    ctx.send({
      key: i === 0 ? `announce:${no}` : `announce:${no}:${i + 1}`,
      to: { kind: 'user', userIds },
      body: { type: 'card', card },
      purpose: 'announcement',
    });
  });
  ctx.log.info({ no, recipients: draft.recipients.length }, 'announcement sent');
  return announcement;
}
