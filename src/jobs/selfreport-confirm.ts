/**
 * `selfreport-confirm`: at the policy's time (default 19:00), one card per confirmer listing every self-reported
 * location of their cadres still waiting for confirmation (policy `checkin.selfReported: confirm`), with the
 * buttons 全部确认 and 逐条处理. One card a day per confirmer, never one per check-in: the key names the
 * confirmer and the day, so a repeated run sends nothing twice. A location whose day already counts through
 * another check-in is left off the card (confirming it would change nothing). Locations stay pending until
 * someone decides them; each evening's card lists those still waiting.
 */
import type { Backfill } from '../attendance/backfill.js';
import type { Outbound } from '../core/outbound.js';
import { localDate } from '../kit/dates.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';
import { confirmCard, type PendingView } from '../../templates/selfreport.js';

export interface SelfReportConfirmState {
  date: string;
  /** Per confirmer, the locations waiting on them, oldest first. */
  cards: { confirmer: string; items: PendingView[] }[];
}

/** A WeCom task id (`[0-9A-Za-z_-@]`) for the confirmer's card of the day. */
function taskId(confirmer: string, date: string): string {
  return `selfreport-${date.replace(/-/g, '')}-${confirmer.replace(/[^0-9A-Za-z_@-]/g, '_')}`.slice(0, 128);
}

/** The day's cards: one per confirmer with at least one location waiting. Pure. */
export function confirmCards(now: Date, state: SelfReportConfirmState): Outbound[] {
  const cut = Math.floor(now.getTime() / 1000);
  return state.cards
    .filter((c) => c.items.length)
    .map((c) => ({
      key: `selfreport-confirm:${c.confirmer}:${state.date}`,
      to: { kind: 'user' as const, userIds: [c.confirmer] },
      purpose: 'approval',
      body: {
        type: 'card' as const,
        card: confirmCard(
          c.items,
          { all: `selfreport-all:${cut}`, each: `selfreport-list:${cut}` },
          taskId(c.confirmer, state.date),
        ),
      },
    }));
}

export const selfReportConfirm: Job<SelfReportConfirmState> = {
  id: 'selfreport-confirm',
  policyJob: 'selfReportConfirm',
  summary: 'one card a day per confirmer with the self-reported locations waiting for confirmation',
  // Still worth deciding the same evening; from quiet hours on it would arrive at night.
  catchUpUntil: policyCutOff('selfReportConfirm'),

  async load(ctx, now) {
    const date = localDate(now);
    const roster = await ctx.roster.get();
    const confirmers = new Set<string>();
    for (const c of roster.data.cadres) if (c.teamLeader) confirmers.add(c.userid);
    for (const s of roster.data.supervisors) if (s.kind === 'township') confirmers.add(s.userid);
    const cards: SelfReportConfirmState['cards'] = [];
    for (const confirmer of confirmers) {
      const waiting = (await ctx.repos.backfills.waitingOn(confirmer)).filter(
        (b) => b.kind === 'location' && Date.parse(b.createdAt) <= now.getTime(),
      );
      const items: PendingView[] = [];
      for (const b of waiting) {
        if (await dayCounts(ctx, b)) continue;
        const cadre = roster.cadres.get(b.userId);
        items.push({
          no: b.no,
          name: cadre?.name ?? b.userId,
          village: cadre ? roster.villageOf(cadre).name : '',
          date: b.date,
          at: b.checkin?.at ?? b.createdAt,
          ...(b.checkin?.distanceM !== undefined ? { distanceM: b.checkin.distanceM } : {}),
          ...(b.checkin?.label ? { label: b.checkin.label } : {}),
        });
      }
      items.sort((a, b) => a.at.localeCompare(b.at));
      if (items.length) cards.push({ confirmer, items });
    }
    return { date, cards };
  },

  plan: confirmCards,
};

/** Whether the request's day already counts through another check-in. */
async function dayCounts(ctx: Parameters<Job<unknown>['load']>[0], b: Backfill): Promise<boolean> {
  return (await ctx.repos.checkins.day(b.userId, b.date)).some((r) => r.counts);
}
