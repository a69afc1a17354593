/**
 * An announcement (通知 / 公告) of the organisation department: who it goes to and how its range is read from
 * the command text. Pure functions over the roster.
 */
import type { Roster } from '../roster/roster.js';
import type { Cadre } from '../roster/schema.js';

export type AnnounceScope =
  { kind: 'all' } | { kind: 'township'; id: string; name: string } | { kind: 'work-group'; id: string; name: string };

export interface Announcement {
  /** Short number such as `N1001`. */
  no: string;
  text: string;
  scope: AnnounceScope;
  /** Userid of the sender (organisation department). */
  sender: string;
  senderName: string;
  createdAt: string;
  /** Userids the announcement was sent to, fixed at sending time (a later roster change does not alter it). */
  recipients: string[];
  /** When the unread were reminded again (set by the re-nudge job; absent until then). */
  renudgedAt?: string;
}

/** Longest announcement text: it travels as a card's text, which WeCom folds when it is long. */
export const MAX_ANNOUNCEMENT_CHARS = 500;

/**
 * Split `通知 [范围] 内容`: the first word is a range only when it is exactly a township's or work group's name
 * or id (`新田乡`, `xintian`, `新田乡驻村工作队`); otherwise the whole text is the content and it goes to all.
 */
export function parseAnnouncement(roster: Roster, rest: string): { scope: AnnounceScope; text: string } {
  const space = rest.indexOf(' ');
  const first = space < 0 ? rest : rest.slice(0, space);
  const after = space < 0 ? '' : rest.slice(space + 1).trim();
  const township = roster.data.townships.find((t) => t.id === first || t.name === first);
  if (township) return { scope: { kind: 'township', id: township.id, name: township.name }, text: after };
  const group = roster.data.workGroups.find((w) => w.id === first || w.name === first);
  if (group) return { scope: { kind: 'work-group', id: group.id, name: group.name }, text: after };
  return { scope: { kind: 'all' }, text: rest.trim() };
}

/**
 * Who receives an announcement: the cadres in its range, team leaders included (they are cadres). Township
 * supervisors are not recipients: the read receipts and the re-nudge are about whether the cadres in the
 * villages have the message, and supervisors hear organisation matters through their own channels.
 */
export function recipientsOf(roster: Roster, scope: AnnounceScope): Cadre[] {
  switch (scope.kind) {
    case 'all':
      return [...roster.data.cadres];
    case 'township':
      return roster.cadresOfTownship(scope.id);
    case 'work-group':
      return roster.cadresOfWorkGroup(scope.id);
  }
}

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
