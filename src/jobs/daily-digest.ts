/**
 * `daily-digest`: at the policy's time (default 18:00), per township, the day's digest to the township
 * supervisors (every cadre by name: check-ins and their source, leave, who has no check-in yet, leave waiting
 * on them and for how long, reports, the month so far) and the totals to the township's group. Not on an
 * official day off: nobody is expected in the village then, and a digest of empty lines is a burden (减负).
 * Digests are not reminders: the daily push budget does not apply.
 */
import { loadFigures } from '../attendance/figures.js';
import { localDate } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import {
  dailyModel,
  monthLine,
  waitingOn,
  waitingSince,
  type DailyCadre,
  type DailyInput,
  type DayLeave,
} from '../digest/daily.js';
import { dailyMessages } from '../digest/messages.js';
import { leaveDays, type LeaveRequest } from '../leave/workflow.js';
import { dailyProblemMessages, dailyProblems, type DailyProblems } from '../problems/digest.js';
import { jobSchedule } from '../policy/policy.js';
import type { Job } from '../schedule/job.js';
import { dailyTime } from '../schedule/slots.js';
import { policyCutOff } from '../schedule/windows.js';

export interface DailyDigestTownship {
  input: Omit<DailyInput, 'now'>;
  supervisors: string[];
  groupKeyEnv?: string;
}

export interface DailyDigestState {
  date: string;
  /** From the holiday calendar: true on a day off, undefined when the year is not covered. */
  dayOff: boolean | undefined;
  /** The policy's digest time, for the "why" line. */
  time?: string;
  backfillHours: number;
  /** Townships with cadres in post, in roster order. */
  townships: DailyDigestTownship[];
  /** Overdue problems (民情台账) to each township's supervisors. */
  problems?: DailyProblems;
}

/** The approved leave covering `date`, if any. */
function leaveOn(requests: readonly LeaveRequest[], date: string): DayLeave | undefined {
  for (const r of requests) {
    const span = leaveDays(r);
    if (span && span.start <= date && date <= span.end)
      return { no: r.no, type: r.type, start: span.start, end: span.end };
  }
  return undefined;
}

export const dailyDigest: Job<DailyDigestState> = {
  id: 'daily-digest',
  policyJob: 'dailyDigest',
  summary: 'daily digest per township: names to the supervisors, totals to the group',
  // Still worth reading the same evening; from quiet hours on it would arrive at night.
  catchUpUntil: policyCutOff('dailyDigest'),

  async load(ctx, now) {
    const date = localDate(now);
    const roster = await ctx.roster.get();
    const inTerm = roster.data.cadres.filter((c) => c.termStart <= date && date <= c.termEnd);
    const ids = inTerm.map((c) => c.userid);
    const ledger = ctx.repos.checkins;
    const [figures, days, leaves, reports] = await Promise.all([
      loadFigures(ctx, inTerm, { now }),
      Promise.all(ids.map((id) => ledger.day(id, date))),
      ctx.repos.leave.ofUsers(ids),
      ctx.repos.reports.ofUsers(ids),
    ]);
    const recordsOf = new Map(ids.map((id, i) => [id, days[i]!]));
    const townships: DailyDigestTownship[] = [];
    for (const t of roster.data.townships) {
      const mine = inTerm.filter((c) => roster.villageOf(c).township === t.id);
      if (!mine.length) continue;
      const supervisors = roster.townshipSupervisors(t.id).map((s) => s.userid);
      const cadres: DailyCadre[] = mine.map((c) => {
        const leave = leaveOn(leaves.get(c.userid) ?? [], date);
        return {
          userid: c.userid,
          name: c.name,
          village: roster.villageOf(c).name,
          records: recordsOf.get(c.userid) ?? [],
          ...(leave ? { leave } : {}),
          reportsToday: (reports.get(c.userid) ?? []).filter(
            (r) => new Date(r.createdAt) <= now && localDate(new Date(r.createdAt)) === date,
          ).length,
          month: monthLine(figures.get(c.userid)!.month),
        };
      });
      const pending = mine.flatMap((c) =>
        waitingOn(leaves.get(c.userid) ?? [], supervisors).map((r) => ({
          no: r.no,
          name: c.name,
          type: r.type,
          start: r.start,
          end: r.end,
          days: r.days,
          since: waitingSince(r),
        })),
      );
      const group = roster.groupOfTownship(t.id);
      townships.push({
        input: { township: { id: t.id, name: t.name }, date, cadres, pending },
        supervisors,
        ...(group?.webhookKeyEnv ? { groupKeyEnv: group.webhookKeyEnv } : {}),
      });
    }
    const expr = jobSchedule(ctx.policy, 'dailyDigest');
    return {
      date,
      dayOff: ctx.calendar.isDayOff(date),
      ...(expr && dailyTime(expr) ? { time: dailyTime(expr) } : {}),
      backfillHours: ctx.policy.checkin.backfillHours,
      townships,
      problems: dailyProblems(roster, await ctx.repos.problems.open(), now, ctx.policy.problems.overdueDays),
    };
  },

  plan(now, state): Outbound[] {
    if (state.dayOff === true) return [];
    const text = { time: state.time, backfillHours: state.backfillHours };
    return [
      ...state.townships.flatMap((t) => dailyMessages(dailyModel({ ...t.input, now }), t, text)),
      ...(state.problems ? dailyProblemMessages(state.problems) : []),
    ];
  },
};
