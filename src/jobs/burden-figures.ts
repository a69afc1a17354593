/**
 * The burden figures of a month (减负), from the push log (`push-log.ts`): how many pushes went out and why,
 * the median pushes per cadre per week, the most reminders one cadre got in a day against the daily budget,
 * person-days over the budget, pushes timed in quiet hours, and the reminders the rules dropped; day by day, the
 * kind of day (working day, 调休 working day, weekend, day off) and the reminders sent, who got reminders on
 * rest days, and any reminder that reached a cadre on a day of their approved leave (there should be none).
 * What `zhucun jobs burden` prints, and what the month simulations check.
 */
import { isWeekend, localDate, monthDates } from '../kit/dates.js';
import { leaveOn } from '../leave/days.js';
import type { Policy } from '../policy/policy.js';
import { inQuietHours } from '../schedule/burden.js';
import type { JobContext } from '../schedule/job.js';
import { type PushEntry } from '../schedule/push-log.js';

/** A working day, a make-up working day (调休上班), a weekend, or an official day off. */
export type DayKind = 'workday' | 'makeup' | 'weekend' | 'day-off';

/** One day of the month: its kind, the reminders sent (each recipient once) and to how many people. */
export interface BurdenDay {
  date: string;
  kind: DayKind;
  reminders: number;
  people: number;
}

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
  /** The counted days, one by one. */
  daily: BurdenDay[];
  /** Reminders on weekends and days off, per person, most first (only those whose month was at risk). */
  restDay: { userId: string; reminders: number }[];
  /** Reminders sent to a cadre on a day of their approved leave (there should be none). */
  onLeave: { userId: string; date: string; key: string }[];
}

export interface BurdenInput {
  month: string;
  /** The dates counted, in order. */
  dates: string[];
  entries: readonly PushEntry[];
  cadres: readonly { userid: string; termStart: string; termEnd: string }[];
  push: Policy['push'];
  /** The kind of each counted date (default: weekends and working days by the weekday). */
  kinds?: Readonly<Record<string, DayKind>>;
  /** Whether a person is on approved leave on a date (default: nobody). */
  onLeave?: (userId: string, date: string) => boolean;
}

const isRest = (kind: DayKind) => kind === 'weekend' || kind === 'day-off';

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
  const kindOf = (d: string): DayKind => input.kinds?.[d] ?? (isWeekend(d) ? 'weekend' : 'workday');
  const daily = new Map<string, BurdenDay>(
    input.dates.map((date) => [date, { date, kind: kindOf(date), reminders: 0, people: 0 }]),
  );
  const dayPeople = new Map<string, Set<string>>();
  const restDay = new Map<string, number>();
  const onLeave: BurdenFigures['onLeave'] = [];
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
      const date = localDate(new Date(e.at));
      const id = `${e.userId}|${date}`;
      remindersPerDay.set(id, (remindersPerDay.get(id) ?? 0) + 1);
      const day = daily.get(date)!;
      day.reminders += 1;
      const people = dayPeople.get(date) ?? new Set<string>();
      people.add(e.userId);
      dayPeople.set(date, people);
      day.people = people.size;
      if (isRest(day.kind)) restDay.set(e.userId, (restDay.get(e.userId) ?? 0) + 1);
      if (input.onLeave?.(e.userId, date)) onLeave.push({ userId: e.userId, date, key: e.key });
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
    daily: [...daily.values()],
    restDay: [...restDay]
      .map(([userId, reminders]) => ({ userId, reminders }))
      .sort((a, b) => b.reminders - a.reminders || a.userId.localeCompare(b.userId)),
    onLeave,
  };
}

/** The kind of each date from the holiday calendar; a year without data by the weekday alone. */
export function dayKinds(
  calendar: Pick<JobContext['calendar'], 'daysOff' | 'makeupWorkdays'>,
  month: string,
): Record<string, DayKind> {
  const off = new Set(calendar.daysOff(month) ?? []);
  const makeup = new Set(calendar.makeupWorkdays(month) ?? []);
  return Object.fromEntries(
    monthDates(month).map((d) => [
      d,
      off.has(d) ? 'day-off' : makeup.has(d) ? 'makeup' : isWeekend(d) ? 'weekend' : 'workday',
    ]),
  );
}

/**
 * The burden figures of `month` (`YYYY-MM`) as of the context's clock: the whole month when it is over, up to
 * today while it runs, nothing for a month to come. Throws RangeError for a malformed month.
 */
export async function burdenFigures(
  ctx: Pick<JobContext, 'repos' | 'roster' | 'policy' | 'clock' | 'calendar'>,
  month: string,
): Promise<BurdenFigures> {
  const today = localDate(ctx.clock.now());
  const dates = monthDates(month).filter((d) => d <= today);
  const [entries, roster] = await Promise.all([ctx.repos.pushLog.month(month), ctx.roster.get()]);
  const cadres = roster.data.cadres;
  // One batched read of the leave of everyone in the roster.
  const leaves = await ctx.repos.leave.ofUsers(cadres.map((c) => c.userid));
  return computeBurden({
    month,
    dates,
    entries,
    cadres,
    push: ctx.policy.push,
    kinds: dayKinds(ctx.calendar, month),
    onLeave: (userId, date) => leaveOn(leaves.get(userId) ?? [], date) !== undefined,
  });
}
