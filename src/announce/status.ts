/**
 * Read receipts of one announcement grouped by where the recipients are, for `通知状态`: by township, or by
 * village when the audience lies inside one township and is smaller than it. Pure: takes the read state and
 * the roster, returns names and counts in roster order.
 */
import type { Roster } from '../roster/roster.js';
import type { ReadState } from './repo.js';

export interface GroupReads {
  /** Township or village name; undefined for recipients no longer on the roster. */
  label?: string;
  read: string[];
  unread: string[];
}

export interface AnnounceStatus {
  total: number;
  readCount: number;
  /** Whether the groups are villages (the audience is smaller than a township) rather than townships. */
  byVillage: boolean;
  groups: GroupReads[];
}

/** Names of those who read and who did not, per township or village (roster order, then anyone off the roster). */
export function announceStatus(roster: Roster, state: ReadState): AnnounceStatus {
  const { scope, recipients } = state.announcement;
  const cadres = recipients.map((u) => roster.cadres.get(u));
  const townships = new Set(cadres.flatMap((c) => (c ? [roster.villageOf(c).township] : [])));
  const byVillage = townships.size === 1 && !['township', 'all', 'work-group'].includes(scope.kind);
  const groups = new Map<string, GroupReads>();
  const places = byVillage ? roster.data.villages : roster.data.townships;
  for (const p of places) groups.set(p.id, { label: p.name, read: [], unread: [] });
  const offRoster: GroupReads = { read: [], unread: [] };
  recipients.forEach((userId, i) => {
    const cadre = cadres[i];
    const place = cadre ? (byVillage ? cadre.village : roster.villageOf(cadre).township) : undefined;
    const into = (place && groups.get(place)) || offRoster;
    (state.reads[userId] ? into.read : into.unread).push(cadre?.name ?? userId);
  });
  return {
    total: recipients.length,
    readCount: recipients.length - state.unread.length,
    byVillage,
    groups: [...groups.values(), offRoster].filter((g) => g.read.length + g.unread.length > 0),
  };
}
