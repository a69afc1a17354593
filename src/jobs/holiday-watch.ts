/**
 * `holiday-watch`: a weekly message to the organisation department while a State Council holiday notice the
 * targets need is not loaded, naming the override file (`ZHUCUN_HOLIDAYS`) and its format. Until it is loaded
 * that year's targets read 待定 and the warning ladder pauses, so someone has to act. The job runs every week
 * of the year and decides itself what to ask for: the current year at any time (a year already under way
 * without data, because the notice came late or the override was lost), and next year from the policy's
 * `calendar.watchFromMonth` (the notice usually comes in November or December). One message per person,
 * year and ISO week, however often the job runs that week.
 */
import { localDate } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import type { Job } from '../schedule/job.js';
import { isoWeek, policyCutOff } from '../schedule/windows.js';
import { holidayWatch as holidayWatchText } from '../../templates/jobs.js';
import { holidaysMissing } from '../../templates/alerts.js';
import type { Alert } from '../alerts/alert.js';
import { alertsOf } from './ops-watch.js';

export interface HolidayWatchState {
  date: string;
  /** The policy's `calendar.watchFromMonth`: from this month (1–12) next year's notice is awaited. */
  fromMonth: number;
  /** Whether this year's and next year's data are loaded. */
  covered: Record<number, boolean>;
  /** The organisation department's members. */
  org: string[];
}

/** The years to warn about on `date`: this year whenever it is uncovered, next year from `fromMonth`. Pure. */
export function missingYears(state: HolidayWatchState): number[] {
  const year = Number(state.date.slice(0, 4));
  const out: number[] = [];
  if (!state.covered[year]) out.push(year);
  if (Number(state.date.slice(5, 7)) >= state.fromMonth && !state.covered[year + 1]) out.push(year + 1);
  return out;
}

/** The operator's alert for each missing year: this year at any time, next year after the watch date. Pure. */
export function holidayAlerts(state: HolidayWatchState): Alert[] {
  const year = Number(state.date.slice(0, 4));
  return missingYears(state).map((y) => ({
    kind: 'holidays-missing',
    key: String(y),
    ...holidaysMissing(y, { current: y === year, fromMonth: state.fromMonth }),
  }));
}

export const holidayWatch: Job<HolidayWatchState> = {
  id: 'holiday-watch',
  policyJob: 'holidayWatch',
  summary: "warn the organisation department while this or next year's holiday notice is not loaded",
  // The key is per ISO week, so a late run the same day is as good; at night it would only be dropped.
  catchUpUntil: policyCutOff('holidayWatch'),

  async load(ctx, now) {
    const date = localDate(now);
    const year = Number(date.slice(0, 4));
    const roster = await ctx.roster.get();
    return {
      date,
      fromMonth: ctx.policy.calendar.watchFromMonth,
      covered: { [year]: ctx.calendar.isYearCovered(year), [year + 1]: ctx.calendar.isYearCovered(year + 1) },
      org: roster.orgDepartment().map((s) => s.userid),
    };
  },

  // The operator is alerted too (src/alerts): the fix is a file on the server, which the department cannot do.
  writes: {
    describe: (_now, state) => missingYears(state).map((year) => `operator alert: holidays of ${year} not loaded`),
    async apply(ctx, _now, state) {
      for (const alert of holidayAlerts(state)) await alertsOf(ctx).raise(alert);
    },
  },

  plan(_now, state): Outbound[] {
    const week = isoWeek(state.date);
    return missingYears(state).flatMap((year) =>
      state.org.map((userId) => ({
        key: `holiday-watch:${year}:${week}:${userId}`,
        to: { kind: 'user' as const, userIds: [userId] },
        body: {
          type: 'text' as const,
          content: holidayWatchText(year, {
            fromMonth: state.fromMonth,
            current: year === Number(state.date.slice(0, 4)),
          }),
        },
        purpose: 'reminder',
      })),
    );
  },
};
