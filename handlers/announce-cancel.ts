import { defineCommand } from '../src/core/command.js';
import { CANCEL_ACTION } from '../src/announce/announcement.js';
import * as T from '../templates/announce.js';
import { takeDraft } from './announce-draft.js';

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
    const { draft, click } = await takeDraft(ctx, rest);
    ctx.log.info({ draft: draft.id }, 'announcement draft cancelled');
    return click ? { text: T.cancelled, replaceButton: T.cancelledLabel } : { text: T.cancelled };
  },
});
