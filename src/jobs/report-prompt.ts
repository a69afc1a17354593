/**
 * `report-prompt`: a private reminder to file a work report, to each cadre in post who filed none in the
 * period: the week so far (Monday to now) with `reports.prompt: weekly`, today with `daily`; `off` unschedules
 * the job (`jobSchedule`). Nobody else is prompted (减负): not on a weekend or a day off of the holiday calendar
 * (a make-up working day 调休上班 is a working day, `isWorkingDay`), not a cadre on approved leave today, not
 * one outside the term. A reminder, so quiet hours and the daily budget apply.
 */
import { addDays, localDate, weekday } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import { leaveOn } from '../leave/days.js';
import { jobSchedule, type ReportPrompt } from '../policy/policy.js';
import type { Job } from '../schedule/job.js';
import { dailyTime } from '../schedule/slots.js';
import { isoWeek, policyCutOff } from '../schedule/windows.js';
import { isWorkingDay } from '../schedule/workdays.js';
import { reportPrompt as promptText } from '../../templates/nudges.js';

export interface PromptCadre {
  userid: string;
  name: string;
  termStart: string;
  termEnd: string;
  /** Local dates of the cadre's reports. */
  reportDates: string[];
  /** On approved leave today (`leaveOn`). */
  onLeave: boolean;
}

export interface PromptState {
  date: string;
  mode: Exclude<ReportPrompt, 'off'>;
  /** An official working day (`isWorkingDay`): a weekday not off, or a make-up working day. */
  workingDay: boolean;
  time?: string;
  cadres: PromptCadre[];
}

/** The first day of the period a prompt on `date` looks at: Monday of its week, or the day itself. */
export function periodStart(date: string, mode: PromptState['mode']): string {
  return mode === 'weekly' ? addDays(date, -((weekday(date) + 6) % 7)) : date;
}

/** The cadres to prompt. Pure. */
export function needPrompt(state: PromptState): PromptCadre[] {
  if (!state.workingDay) return [];
  const d = state.date;
  const from = periodStart(d, state.mode);
  return state.cadres.filter(
    (c) => c.termStart <= d && d <= c.termEnd && !c.reportDates.some((r) => from <= r && r <= d) && !c.onLeave,
  );
}

export const reportPrompt: Job<PromptState> = {
  id: 'report-prompt',
  policyJob: 'reportPrompt',
  summary: 'prompt cadres who filed no work report this week (or today)',
  // The key is per period, so a late run the same day is as good; in the evening it would only be dropped.
  catchUpUntil: policyCutOff('reportPrompt'),

  async load(ctx, now) {
    const date = localDate(now);
    const roster = await ctx.roster.get();
    const inTerm = roster.data.cadres.filter((c) => c.termStart <= date && date <= c.termEnd);
    const workingDay = isWorkingDay(ctx.calendar, date);
    // Nobody is prompted on a weekend or day off: the reports and leave of the county need not be read.
    const ids = workingDay ? inTerm.map((c) => c.userid) : [];
    const [reports, leaves] = await Promise.all([ctx.repos.reports.ofUsers(ids), ctx.repos.leave.ofUsers(ids)]);
    const expr = jobSchedule(ctx.policy, 'reportPrompt');
    return {
      date,
      // Run by hand while the policy has it off, the job looks at the week, the default.
      mode: ctx.policy.reports.prompt === 'daily' ? 'daily' : 'weekly',
      workingDay,
      time: expr ? dailyTime(expr) : undefined,
      cadres: (workingDay ? inTerm : []).map((c) => ({
        userid: c.userid,
        name: c.name,
        termStart: c.termStart,
        termEnd: c.termEnd,
        reportDates: (reports.get(c.userid) ?? [])
          .filter((r) => new Date(r.createdAt) <= now)
          .map((r) => localDate(new Date(r.createdAt))),
        onLeave: leaveOn(leaves.get(c.userid) ?? [], date) !== undefined,
      })),
    };
  },

  plan(_now, state): Outbound[] {
    const from = periodStart(state.date, state.mode);
    const period = state.mode === 'weekly' ? isoWeek(state.date) : state.date;
    return needPrompt(state).map((c) => ({
      key: `report-prompt:${period}:${c.userid}`,
      to: { kind: 'user', userIds: [c.userid] },
      body: {
        type: 'text',
        content: promptText({
          name: c.name,
          mode: state.mode,
          from,
          today: state.date,
          time: state.time,
          weekday: weekday(state.date),
        }),
      },
      purpose: 'reminder',
    }));
  },
};
