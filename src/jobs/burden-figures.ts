/**
 * The burden figures of a month (减负), from the push log (`push-log.ts`): how many pushes went out and why,
 * the median pushes per cadre per week, the most reminders one cadre got in a day against the daily budget,
 * person-days over the budget, pushes timed in quiet hours, and the reminders the rules dropped. What
 * `zhucun jobs burden` prints, and what the month simulation checks.
 */
import { localDate, monthDates } from '../kit/dates.js';
import type { Policy } from '../policy/policy.js';
import { inQuietHours } from '../schedule/burden.js';
import type { JobContext } from '../schedule/job.js';
import { type PushEntry } from '../schedule/push-log.js';

export interface BurdenFigures {
  month: string;
  /** Days counted: the whole month, or up to today for the current month. */
  days: number;
  dailyBudget: number;
  quietHours: Policy['push']['quietHours'];
  /** Pushes sent (queued), each recipient counted once. */
  pushes: { total: number; byPurpose: Record<string, number> };
  /** Median over the cadres in term of their pushes per week (pushes × 7 / days counted in their term). */
  perCadreWeekMedian: number;
  /** The most reminders (the pushes the budget limits) one cadre got on one day. */
  maxPerCadreDay: number;
  /** Person-days with more reminders than the daily budget. */
  overBudget: number;
  /** Pushes timed in quiet hours, of any purpose. */
  inQuietHours: number;
  /** Reminders the burden rules dropped. */
  dropped: { quietHours: number; budget: number };
}

export interface BurdenInput {
  month: string;
  /** The dates counted, in order. */
  dates: string[];
  entries: readonly PushEntry[];
  cadres: readonly { userid: string; termStart: string; termEnd: string }[];
  push: Policy['push'];
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The figures from the log's entries of the counted dates. Pure. */
export function computeBurden(input: BurdenInput): BurdenFigures {
  const byPurpose: Record<string, number> = {};
  const perCadre = new Map<string, number>();
  const remindersPerDay = new Map<string, number>();
  const dropped = { quietHours: 0, budget: 0 };
  let total = 0;
  let quiet = 0;
  const counted = new Set(input.dates);
  for (const e of input.entries) {
    if (!counted.has(localDate(new Date(e.at)))) continue;
    if (e.dropped) {
      if (e.dropped === 'quiet-hours') dropped.quietHours += 1;
      else dropped.budget += 1;
      continue;
    }
    total += 1;
    byPurpose[e.purpose] = (byPurpose[e.purpose] ?? 0) + 1;
    perCadre.set(e.userId, (perCadre.get(e.userId) ?? 0) + 1);
    if (inQuietHours(new Date(e.at), input.push.quietHours)) quiet += 1;
    if (e.purpose === 'reminder') {
      const id = `${e.userId}|${localDate(new Date(e.at))}`;
      remindersPerDay.set(id, (remindersPerDay.get(id) ?? 0) + 1);
    }
  }
  const rates: number[] = [];
  for (const c of input.cadres) {
    const days = input.dates.filter((d) => c.termStart <= d && d <= c.termEnd).length;
    if (days) rates.push(((perCadre.get(c.userid) ?? 0) * 7) / days);
  }
  const cadreIds = new Set(input.cadres.map((c) => c.userid));
  let maxPerCadreDay = 0;
  let overBudget = 0;
  for (const [id, n] of remindersPerDay) {
    if (n > input.push.dailyBudget) overBudget += 1;
    if (cadreIds.has(id.slice(0, id.lastIndexOf('|')))) maxPerCadreDay = Math.max(maxPerCadreDay, n);
  }
  return {
    month: input.month,
    days: input.dates.length,
    dailyBudget: input.push.dailyBudget,
    quietHours: input.push.quietHours,
    pushes: { total, byPurpose },
    perCadreWeekMedian: round2(median(rates)),
    maxPerCadreDay,
    overBudget,
    inQuietHours: quiet,
    dropped,
  };
}

/**
 * The burden figures of `month` (`YYYY-MM`) as of the context's clock: the whole month when it is over, up to
 * today while it runs, nothing for a month to come. Throws RangeError for a malformed month.
 */
export async function burdenFigures(
  ctx: Pick<JobContext, 'repos' | 'roster' | 'policy' | 'clock'>,
  month: string,
): Promise<BurdenFigures> {
  const today = localDate(ctx.clock.now());
  const dates = monthDates(month).filter((d) => d <= today);
  const [entries, roster] = await Promise.all([ctx.repos.pushLog.month(month), ctx.roster.get()]);
  return computeBurden({ month, dates, entries, cadres: roster.data.cadres, push: ctx.policy.push });
}
