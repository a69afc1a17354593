/**
 * `morning-remind`: at the policy's time, a private reminder to each cadre who has no counting check-in yet
 * today. Nobody else is reminded (减负: reminders only to those who need them): not on a day off of the
 * holiday calendar, not a cadre on approved leave that day, not one already present, not one outside the
 * term. A year whose holiday notice is not loaded has no known days off; the reminder then runs every day,
 * because presence is still recorded that year and the calendar is never guessed.
 */
import { dayOfYear, localDate } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import { bitSet } from '../attendance/ledger.js';
import { leaveDays } from '../leave/workflow.js';
import { jobSchedule } from '../policy/policy.js';
import type { Job } from '../schedule/job.js';
import { dailyTime } from '../schedule/slots.js';
import { policyCutOff } from '../schedule/windows.js';
import { morningReminder } from '../../templates/jobs.js';

export interface MorningCadre {
  userid: string;
  name: string;
  termStart: string;
  termEnd: string;
  /** Has a counting check-in today (the ledger's presence bit). */
  present: boolean;
  /** Approved leave spans (`leaveDays`) of the cadre. */
  leaves: { start: string; end: string }[];
}

export interface MorningState {
  date: string;
  /** From the holiday calendar: true on a day off, undefined when the year is not covered. */
  dayOff: boolean | undefined;
  /** The policy's reminder time, for the text. */
  time?: string;
  link?: string;
  cadres: MorningCadre[];
}

/** The cadres to remind on the state's date. Pure. */
export function needReminder(state: MorningState): MorningCadre[] {
  if (state.dayOff === true) return [];
  const d = state.date;
  return state.cadres.filter(
    (c) => c.termStart <= d && d <= c.termEnd && !c.present && !c.leaves.some((l) => l.start <= d && d <= l.end),
  );
}

export const morningRemind: Job<MorningState> = {
  id: 'morning-remind',
  policyJob: 'morningRemind',
  summary: 'remind cadres who have not checked in today',
  // A check-in reminder after noon only nags; the day's figures will show the absence anyway.
  catchUpUntil: policyCutOff('morningRemind'),

  async load(ctx, now) {
    const date = localDate(now);
    const roster = await ctx.roster.get();
    const inTerm = roster.data.cadres.filter((c) => c.termStart <= date && date <= c.termEnd);
    const ids = inTerm.map((c) => c.userid);
    const [bits, leaves] = await Promise.all([
      ctx.repos.checkins.yearBits(ids, Number(date.slice(0, 4))),
      ctx.repos.leave.ofUsers(ids),
    ]);
    const index = dayOfYear(date);
    const expr = jobSchedule(ctx.policy, 'morningRemind');
    return {
      date,
      dayOff: ctx.calendar.isDayOff(date),
      time: expr ? dailyTime(expr) : undefined,
      link: ctx.checkinLink,
      cadres: inTerm.map((c) => ({
        userid: c.userid,
        name: c.name,
        termStart: c.termStart,
        termEnd: c.termEnd,
        present: bitSet(bits.get(c.userid)!.present, index),
        leaves: (leaves.get(c.userid) ?? []).flatMap((r) => leaveDays(r) ?? []),
      })),
    };
  },

  plan(_now, state): Outbound[] {
    return needReminder(state).map((c) => ({
      key: `remind:${c.userid}:${state.date}`,
      to: { kind: 'user', userIds: [c.userid] },
      body: {
        type: 'text',
        content: morningReminder({ name: c.name, date: state.date, time: state.time, link: state.link }),
      },
      purpose: 'reminder',
    }));
  },
};
