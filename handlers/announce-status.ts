import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import type { Announcement } from '../src/announce/announcement.js';
import { announceStatus } from '../src/announce/status.js';
import * as T from '../templates/announce.js';

/** How many of the sender's other recent announcements are listed under the detailed one. */
const RECENT = 5;
/** How far back the sender's own announcements are looked for among everyone's. */
const LOOKBACK = 100;

/**
 * `通知状态 [编号]`: who has and has not read an announcement, by township (by village when the audience is
 * smaller than a township), and one line for each other recent one. The organisation department sees every
 * announcement; a township supervisor or a sending-unit leader sees their own.
 */
export default defineCommand({
  id: 'announce-status',
  aliases: ['通知状态', '公告状态', '通知回执'],
  roles: ['org', 'township', 'sending-unit'],
  help: T.help.announceStatus,
  async handle(ctx, rest) {
    // The lists name individuals, which never go into a group chat.
    if (ctx.update.chatType === 'group') refuse('announce_status_in_group', T.statusInGroup);
    const repo = ctx.repos.announcements;
    const everyone = ctx.person.roles.includes('org');
    const mine = (a: Announcement | undefined): a is Announcement =>
      a !== undefined && (everyone || a.sender === ctx.person.userid);
    const named = rest.trim().toUpperCase();
    if (named) {
      const state = await repo.readState(named);
      if (!state || !mine(state.announcement)) return refuse('announce_not_found', T.notFound(named));
      return { text: T.status(state.announcement, announceStatus(ctx.roster, state)) };
    }
    const recent = (await Promise.all((await repo.recentNumbers(LOOKBACK)).map((no) => repo.get(no))))
      .filter(mine)
      .slice(0, RECENT + 1);
    const latest = recent[0];
    if (!latest) return { text: T.noAnnouncements };
    const states = await Promise.all(recent.map((a) => repo.readState(a.no)));
    const first = states[0]!;
    const others = states
      .slice(1)
      .flatMap((s) => (s ? [{ a: s.announcement, read: s.announcement.recipients.length - s.unread.length }] : []));
    return { text: T.status(latest, announceStatus(ctx.roster, first)) + T.recentLines(others) };
  },
});
