import { defineCommand } from '../src/core/command.js';
import { refuse } from '../src/core/errors.js';
import { announceStatus } from '../src/announce/status.js';
import * as T from '../templates/announce.js';

/** `通知状态 [编号]` (organisation department): who has and has not read an announcement, by township. */
export default defineCommand({
  id: 'announce-status',
  aliases: ['通知状态', '公告状态', '通知回执'],
  roles: ['org'],
  help: T.help.announceStatus,
  async handle(ctx, rest) {
    // The lists name individuals, which never go into a group chat.
    if (ctx.update.chatType === 'group') refuse('announce_status_in_group', T.statusInGroup);
    const repo = ctx.repos.announcements;
    const no = rest.trim().toUpperCase() || (await repo.recentNumbers(1))[0];
    if (!no) return { text: T.noAnnouncements };
    const state = await repo.readState(no);
    if (!state) refuse('announce_not_found', T.notFound(no));
    return { text: T.status(state.announcement, announceStatus(ctx.roster, state)) };
  },
});
