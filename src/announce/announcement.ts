/**
 * An announcement (通知 / 公告): what is stored, its card ids and the idempotency keys of its messages (which
 * the recall needs). The audience grammar is in `scope.ts`, who may send where in `range.ts`.
 */
import type { AnnounceScope } from './scope.js';

export type { AnnounceScope } from './scope.js';

export interface Announcement {
  /** Short number such as `N1001`. */
  no: string;
  text: string;
  scope: AnnounceScope;
  /** Userid of the sender. */
  sender: string;
  senderName: string;
  /** Who it is from as the card's title says it (县委组织部, 新田乡, 县财政局); 县委组织部 when absent. */
  from?: string;
  createdAt: string;
  /** Userids the announcement was sent to, fixed at sending time (a later roster change does not alter it). */
  recipients: string[];
  /** When the unread were reminded again (set by the re-nudge job; absent until then). */
  renudgedAt?: string;
  /** When it was withdrawn (`撤回 N1001`) and by whom; a withdrawn announcement is no longer acknowledged. */
  withdrawnAt?: string;
  withdrawnBy?: string;
}

/** WeCom recalls an app message only within this many hours of sending (`message/recall`); not a county rule. */
export const RECALL_HOURS = 24;

/** Whether the announcement's cards can still be taken back from the chats at `now`. */
export function recallable(a: Announcement, now: Date): boolean {
  return now.getTime() - new Date(a.createdAt).getTime() < RECALL_HOURS * 3_600_000;
}

/** The idempotency keys of an announcement's cards: the first batch, then `:2`, `:3` … (see `batches`). */
export function messageKeys(no: string, recipients: number): string[] {
  const n = Math.max(1, Math.ceil(recipients / MAX_TOUSER));
  return Array.from({ length: n }, (_, i) => (i === 0 ? `announce:${no}` : `announce:${no}:${i + 1}`));
}

/** The keys of its re-nudge cards, same batching (only those actually sent have a WeCom msgid). */
export function renudgeKeys(no: string, recipients: number): string[] {
  return messageKeys(no, recipients).map((k) => k.replace(/^announce:/, 'announce-renudge:'));
}

/** Card-button actions of the preview's 确认发送 and 取消 buttons (`ann-send:<draft id>`). */
export const SEND_ACTION = 'ann-send';
export const CANCEL_ACTION = 'ann-cancel';

/** Card-button action of the 已阅 button (`EventKey` `ann-read:N1001`). */
export const READ_ACTION = 'ann-read';

/** The card's task id (unique per app, `[0-9A-Za-z_-@]`) and its button key, both derived from the number. */
export function cardIds(no: string): { taskId: string; buttonKey: string } {
  return { taskId: `ann-${no}`, buttonKey: `${READ_ACTION}:${no}` };
}

/** WeCom `message/send` takes at most 1000 userids in `touser`. */
export const MAX_TOUSER = 1000;

/** Recipients in batches WeCom accepts, in order. */
export function batches<T>(list: readonly T[], size = MAX_TOUSER): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
