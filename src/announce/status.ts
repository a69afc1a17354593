/**
 * Read receipts of one announcement grouped by township, for `通知状态`. Pure: takes the read state and the
 * roster, returns names and counts in roster order.
 */
import type { Roster } from '../roster/roster.js';
import type { ReadState } from './repo.js';

export interface TownshipReads {
  /** Township name; undefined for recipients no longer on the roster. */
  township?: string;
  read: string[];
  unread: string[];
}

export interface AnnounceStatus {
  total: number;
  readCount: number;
  groups: TownshipReads[];
}

/** Names of those who read and who did not, per township (townships in roster order, then anyone off the roster). */
export function announceStatus(roster: Roster, state: ReadState): AnnounceStatus {
  const groups = new Map<string, TownshipReads>();
  for (const t of roster.data.townships) groups.set(t.id, { township: t.name, read: [], unread: [] });
  const offRoster: TownshipReads = { read: [], unread: [] };
  for (const userId of state.announcement.recipients) {
    const cadre = roster.cadres.get(userId);
    const group = cadre ? groups.get(roster.villageOf(cadre).township) : undefined;
    const into = group ?? offRoster;
    (state.reads[userId] ? into.read : into.unread).push(cadre?.name ?? userId);
  }
  const list = [...groups.values(), offRoster].filter((g) => g.read.length + g.unread.length > 0);
  return {
    total: state.announcement.recipients.length,
    readCount: state.announcement.recipients.length - state.unread.length,
    groups: list,
  };
}
