/**
 * `announce-renudge`: an announcement still unread `announcements.renudgeHours` after it went out is sent once
 * more to those who have not read it (a card with the same 已阅 button, so a click confirms the announcement),
 * and its sender is told who has not read it. `renudgedAt` is set in `writes`, so it happens once.
 *
 * The re-nudge is part of the announcement, not a reminder: like the announcement it does not use the daily
 * budget (the organisation department asked for the read receipts). Quiet hours still hold, by time: a run in
 * them sends and marks nothing, and the first run after them sends. An announcement whose re-nudge fell due
 * more than `announcements.renudgeLateHours` ago (the bot was down, or it predates the job) is left alone: a
 * late reminder of old news only nags. A withdrawn announcement is never re-nudged, and nobody on approved
 * leave that day is reminded (they still count as unread in the sender's report).
 *
 * The policy has no schedule of its own for it, so it rides on the 打卡 sync's frequent tick (every 10
 * minutes by default): the re-nudge goes out within minutes of falling due.
 */
import { batches, cardIds, type Announcement } from '../announce/announcement.js';
import type { Outbound } from '../core/outbound.js';
import { localDate } from '../kit/dates.js';
import { leaveOn } from '../leave/days.js';
import { Tx } from '../redis/tx.js';
import { inQuietHours } from '../schedule/burden.js';
import type { Job } from '../schedule/job.js';
import { hoursAfter } from '../schedule/windows.js';
import { readLabel } from '../../templates/announce.js';
import { renudgeCard, renudgeReport, type RenudgeView } from '../../templates/nudges.js';

/** How many of the latest announcements each run looks at. */
export const LOOKBACK = 50;

export interface RenudgeItem {
  announcement: Announcement;
  /** Unread recipients, in recipient order, with their township for the sender's report. */
  unread: { userid: string; name: string; township: string | null; onLeave?: boolean }[];
}

export interface RenudgeState {
  quiet: boolean;
  hours: number;
  due: RenudgeItem[];
}

/** Whether an announcement is due for its re-nudge at `now` (never when withdrawn). Pure. */
export function isDue(a: Announcement, now: Date, hours: number, lateHours: number): boolean {
  const dueAt = hoursAfter(new Date(a.createdAt), hours).getTime();
  if (a.renudgedAt || a.withdrawnAt) return false;
  return dueAt <= now.getTime() && now.getTime() - dueAt <= lateHours * 3_600_000;
}

function items(state: RenudgeState): RenudgeItem[] {
  return state.quiet ? [] : state.due.filter((d) => d.unread.length > 0);
}

function groupByTownship(unread: RenudgeItem['unread']): { township: string | null; names: string[] }[] {
  const groups = new Map<string | null, string[]>();
  for (const u of unread) groups.set(u.township, [...(groups.get(u.township) ?? []), u.name]);
  return [...groups].map(([township, names]) => ({ township, names }));
}

function messages(item: RenudgeItem, hours: number): Outbound[] {
  const a = item.announcement;
  const view: RenudgeView = { no: a.no, text: a.text, senderName: a.senderName, createdAt: a.createdAt, hours };
  const ids = cardIds(a.no);
  const card = {
    kind: 'button_interaction' as const,
    taskId: `${ids.taskId}-again`,
    ...renudgeCard(view),
    buttons: [{ text: readLabel, style: 1 as const, key: ids.buttonKey }],
  };
  const reminded = item.unread.filter((u) => !u.onLeave).map((u) => u.userid);
  const out: Outbound[] = batches(reminded).map((userIds, i) => ({
    key: i === 0 ? `announce-renudge:${a.no}` : `announce-renudge:${a.no}:${i + 1}`,
    to: { kind: 'user', userIds },
    body: { type: 'card', card },
    purpose: 'announcement',
  }));
  const report = renudgeReport({ ...view, total: a.recipients.length, unread: groupByTownship(item.unread) });
  out.push({
    key: `announce-renudge:${a.no}:report`,
    to: { kind: 'user', userIds: [a.sender] },
    body: { type: 'text', content: report },
    purpose: 'digest',
  });
  return out;
}

export const announceRenudge: Job<RenudgeState> = {
  id: 'announce-renudge',
  policyJob: 'announceRenudge',
  summary: 'remind the unread of an announcement once, and tell its sender',
  // Every run re-nudges all that are due; a missed tick is made up by the next.
  catchUpUntil: (slot) => hoursAfter(slot, 1 / 6),

  async load(ctx, now) {
    const hours = ctx.policy.announcements.renudgeHours;
    const quiet = inQuietHours(now, ctx.policy.push.quietHours);
    if (quiet) return { quiet, hours, due: [] };
    const repo = ctx.repos.announcements;
    const latest = await Promise.all((await repo.recentNumbers(LOOKBACK)).map((no) => repo.get(no)));
    const late = ctx.policy.announcements.renudgeLateHours;
    const due = latest.filter((a): a is Announcement => a !== undefined && isDue(a, now, hours, late));
    if (!due.length) return { quiet, hours, due: [] };
    const roster = await ctx.roster.get();
    const states = await Promise.all(due.map((a) => repo.readState(a.no)));
    const date = localDate(now);
    const unreadIds = [...new Set(states.flatMap((s) => s?.unread ?? []))];
    const leaves = await ctx.repos.leave.ofUsers(unreadIds);
    return {
      quiet,
      hours,
      due: states.flatMap((s) => {
        if (!s) return [];
        const unread = s.unread.map((userid) => {
          const cadre = roster.cadres.get(userid);
          return {
            userid,
            name: roster.person(userid)?.name ?? userid,
            township: cadre ? roster.townshipOf(cadre).name : null,
            ...(leaveOn(leaves.get(userid) ?? [], date) ? { onLeave: true } : {}),
          };
        });
        return [{ announcement: s.announcement, unread }];
      }),
    };
  },

  plan(_now, state) {
    return items(state).flatMap((item) => messages(item, state.hours));
  },

  writes: {
    describe(_now, state) {
      return items(state).map(
        (d) => `mark ${d.announcement.no} re-nudged (${d.unread.length} of ${d.announcement.recipients.length} unread)`,
      );
    },
    async apply(ctx, now, state) {
      const repo = ctx.repos.announcements;
      const tx = new Tx();
      for (const d of items(state)) repo.markRenudged(tx, d.announcement.no, now);
      await tx.commit(ctx.redis);
    },
  },
};
