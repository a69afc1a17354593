import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import {
  batches,
  cardIds,
  MAX_ANNOUNCEMENT_CHARS,
  parseAnnouncement,
  recipientsOf,
  type Announcement,
} from '../src/announce/announcement.js';
import { originalText } from '../src/reports/original-text.js';
import * as T from '../templates/announce.js';

/**
 * `通知 [范围] 内容` (organisation department): stores the announcement and sends every recipient a card with a
 * 已阅 button. Announcements are exempt from the push budget and sent at once.
 */
export default defineCommand({
  id: 'announce',
  aliases: ['通知', '公告', '发通知'],
  roles: ['org'],
  help: T.help.announce,
  async handle(ctx, rest) {
    const parsed = parseAnnouncement(ctx.roster, rest);
    const { scope } = parsed;
    const text = originalText(ctx.update.text, parsed.text);
    if (!text) refuse('announce_empty', T.emptyText(T.help.announce));
    if ([...text].length > MAX_ANNOUNCEMENT_CHARS) refuse('announce_too_long', T.tooLong(MAX_ANNOUNCEMENT_CHARS));
    const recipients = recipientsOf(ctx.roster, scope).map((c) => c.userid);
    if (!recipients.length) refuse('announce_no_recipients', T.noRecipients(scope), { scope });

    const repo = ctx.repos.announcements;
    const no = await repo.nextNo(ctx.tx);
    const announcement: Announcement = {
      no,
      text,
      scope,
      sender: ctx.person.userid,
      senderName: ctx.person.name,
      createdAt: ctx.now.toISOString(),
      recipients,
    };
    repo.save(ctx.tx, announcement);
    const card = T.card(announcement, cardIds(no));
    batches(recipients).forEach((userIds, i) => {
      ctx.send({
        key: i === 0 ? `announce:${no}` : `announce:${no}:${i + 1}`,
        to: { kind: 'user', userIds },
        body: { type: 'card', card },
        purpose: 'announcement',
      });
    });
    return { text: T.sent(no, scope, recipients.length) };
  },
});
