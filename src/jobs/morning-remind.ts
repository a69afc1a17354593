/**
 * `morning-remind`: at the policy's time, a private reminder to each cadre who has no counting check-in yet
 * today. Nobody else is reminded (减负: reminders only to those who need them): not a cadre on approved leave
 * that day (any leave), not one already present, not one outside the term; and on a weekend or an official day
 * off, only a cadre whose month is at risk (`remindDue`: the warning ladder's 提醒 condition — from
 * `warnings.remind.fromDay`, more days needed than `neededShare` of the days still open — with excused leave
 * that explains the shortfall taken into account). A make-up working day (调休上班) is a working day. A
 * year whose holiday notice is not loaded has no known days off and no targets: the weekdays are reminded, the
 * weekends not (docs/rules.md).
 */
import { accountMonth } from '../attendance/accounting.js';
import { FiguresCache } from '../attendance/cache.js';
import { bitSet, type YearBits } from '../attendance/ledger.js';
import { dayOfYear, localDate } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import { leaveOn } from '../leave/days.js';
import { jobSchedule } from '../policy/policy.js';
import type { Job } from '../schedule/job.js';
import { dailyTime } from '../schedule/slots.js';
import { policyCutOff } from '../schedule/windows.js';
import { isWorkingDay } from '../schedule/workdays.js';
import { remindDue, unexcusedTargets } from '../warnings/risk.js';
import { morningReminder } from '../../templates/jobs.js';

export interface MorningCadre {
  userid: string;
  name: string;
  termStart: string;
  termEnd: string;
  /** Has a counting check-in today (the ledger's presence bit). */
  present: boolean;
  /** On approved leave today (`leaveOn`). */
  onLeave: boolean;
  /** The month is at risk (`remindDue`); worked out on weekends and days off only, false otherwise. */
  atRisk: boolean;
}

export interface MorningState {
  date: string;
  /** An official working day (`isWorkingDay`): a weekday not off, or a make-up working day. */
  workingDay: boolean;
  /** The policy's reminder time, for the text. */
  time?: string;
  link?: string;
  cadres: MorningCadre[];
}

/** The cadres to remind on the state's date. Pure. */
export function needReminder(state: MorningState): MorningCadre[] {
  const d = state.date;
  return state.cadres.filter(
    (c) => c.termStart <= d && d <= c.termEnd && !c.present && !c.onLeave && (state.workingDay || c.atRisk),
  );
}

export const morningRemind: Job<MorningState> = {
  id: 'morning-remind',
  policyJob: 'morningRemind',
  summary: 'remind cadres who have not checked in today (weekends and days off: only those at risk)',
  // A check-in reminder late in the day only nags; the day's figures will show the absence anyway.
  catchUpUntil: policyCutOff('morningRemind'),

  async load(ctx, now) {
    const date = localDate(now);
    const roster = await ctx.roster.get();
    const inTerm = roster.data.cadres.filter((c) => c.termStart <= date && date <= c.termEnd);
    const ids = inTerm.map((c) => c.userid);
    const year = Number(date.slice(0, 4));
    // Two batched reads whatever the county's size: the year's bitmaps and the leave of everyone in post.
    const [bits, leaves] = await Promise.all([ctx.repos.checkins.yearBits(ids, year), ctx.repos.leave.ofUsers(ids)]);
    const index = dayOfYear(date);
    const expr = jobSchedule(ctx.policy, 'morningRemind');
    const workingDay = isWorkingDay(ctx.calendar, date);
    const env = { now, today: date, policy: ctx.policy, calendar: ctx.calendar };
    const cache = new FiguresCache(ctx.calendar, ctx.policy);
    return {
      date,
      workingDay,
      time: expr ? dailyTime(expr) : undefined,
      link: ctx.checkinLink,
      cadres: inTerm.map((c) => {
        const own = leaves.get(c.userid) ?? [];
        const yearBits = bits.get(c.userid)!;
        const present = bitSet(yearBits.present, index);
        const onLeave = leaveOn(own, date) !== undefined;
        let atRisk = false;
        // The forecast only matters on a rest day, and only for someone who would otherwise be reminded.
        if (!workingDay && !present && !onLeave) {
          const term = { start: c.termStart, end: c.termEnd };
          const data = { term, bits: new Map<number, YearBits>([[year, yearBits]]), leaves: own };
          const month = accountMonth(data, date.slice(0, 7), { ...env, cache });
          const unexcused = unexcusedTargets([month], undefined, term, ctx.calendar, ctx.policy).months[month.month];
          atRisk = remindDue(date, month, unexcused, ctx.policy.warnings.remind);
        }
        return {
          userid: c.userid,
          name: c.name,
          termStart: c.termStart,
          termEnd: c.termEnd,
          present,
          onLeave,
          atRisk,
        };
      }),
    };
  },

  plan(_now, state): Outbound[] {
    return needReminder(state).map((c) => ({
      key: `remind:${c.userid}:${state.date}`,
      to: { kind: 'user', userIds: [c.userid] },
      body: {
        type: 'text',
        content: morningReminder({
          name: c.name,
          date: state.date,
          time: state.time,
          link: state.link,
          restDay: !state.workingDay,
        }),
      },
      purpose: 'reminder',
    }));
  },
};
