/**
 * `weekly-digest`: on the policy's day and time (default Monday 08:30), the week just ended to the
 * organisation department: per township the attendance rate, the month's at-risk and below-target counts,
 * leave, reports, the 六个一 of new cadres and the open warnings (`src/digest/weekly.ts` says how each is
 * counted), then the chart of the townships' rates as an image. The chart is rendered while loading, so
 * `plan` stays pure; without the Chinese font the digest goes out without it and the log says how to fix it.
 */
import { loadFigures } from '../attendance/figures.js';
import { dayFacts, spanDays } from '../attendance/days.js';
import { type YearBits } from '../attendance/ledger.js';
import { FontMissingError } from '../charts/font.js';
import { renderTownshipChart } from '../charts/township.js';
import { localDate } from '../kit/dates.js';
import type { Outbound } from '../core/outbound.js';
import { monthLine } from '../digest/daily.js';
import { weeklyMessages } from '../digest/messages.js';
import {
  chartRows,
  isNewCadre,
  weekBefore,
  weeklyModel,
  type WeeklyCadre,
  type WeeklyInput,
} from '../digest/weekly.js';
import { jobSchedule } from '../policy/policy.js';
import { weeklyProblemMessages, weeklyProblems, type WeeklyProblems } from '../problems/digest.js';
import { sixOnesOf } from '../reports/six-ones.js';
import type { Job, JobContext } from '../schedule/job.js';
import { dailyTime } from '../schedule/slots.js';
import { isoWeek, policyCutOff } from '../schedule/windows.js';
import { openWarnings } from '../warnings/open.js';
import { overdueVisits } from '../visits/overdue.js';
import { chartTexts } from '../../templates/digest.js';

export interface WeeklyDigestState {
  input: WeeklyInput;
  /** ISO week of the digest's week, for the message keys (`2026-W46`). */
  week: string;
  org: string[];
  time?: string;
  weekday?: number;
  /** The chart, base64 PNG; absent when there is nothing to draw or no Chinese font. */
  chartPng?: string;
  /** Overdue problems (民情台账) to the organisation department, and the four contacts' weekly lists. */
  problems?: WeeklyProblems;
}

/** The weekday of a cron expression that runs on one weekday only (for "每周一08:30"). */
function cronWeekday(expr: string): number | undefined {
  const field = expr.trim().split(/\s+/).at(-1) ?? '';
  return /^[0-7]$/.test(field) ? Number(field) % 7 : undefined;
}

function chartOf(ctx: JobContext, input: WeeklyInput): string | undefined {
  const rows = chartRows(weeklyModel(input));
  if (!rows.length) return undefined;
  try {
    return renderTownshipChart(rows, { title: chartTexts.title(input.week) }).toString('base64');
  } catch (err) {
    if (!(err instanceof FontMissingError)) throw err;
    ctx.log.error({ err, job: 'weekly-digest' }, 'weekly chart not rendered: Chinese font missing');
    return undefined;
  }
}

export const weeklyDigest: Job<WeeklyDigestState> = {
  id: 'weekly-digest',
  policyJob: 'weeklyDigest',
  summary: 'weekly digest of every township to the organisation department, with a chart',
  // The week's figures do not change by the evening; the ISO-week key keeps a later run from repeating it.
  catchUpUntil: policyCutOff('weeklyDigest'),

  async load(ctx, now) {
    const today = localDate(now);
    const week = weekBefore(today);
    const month = week.end.slice(0, 7);
    const roster = await ctx.roster.get();
    const cadres = roster.data.cadres.filter((c) => c.termStart <= week.end && week.start <= c.termEnd);
    const ids = cadres.map((c) => c.userid);
    const years = [...new Set([Number(week.start.slice(0, 4)), Number(week.end.slice(0, 4))])];
    const ledger = ctx.repos.checkins;
    const [figures, yearRows, leaves, reports, warnings, visitsOverdue] = await Promise.all([
      loadFigures(ctx, cadres, { now, months: [month] }),
      Promise.all(years.map(async (y) => ({ year: y, bits: await ledger.yearBits(ids, y) }))),
      ctx.repos.leave.ofUsers(ids),
      ctx.repos.reports.ofUsers(ids),
      openWarnings(ctx, { now }),
      overdueVisits(ctx, roster, today),
    ]);
    const span = spanDays(week.start, week.end, ctx.calendar);
    const rows: WeeklyCadre[] = cadres.map((c) => {
      const bits = new Map<number, YearBits>(yearRows.map((r) => [r.year, r.bits.get(c.userid)!]));
      const mine = (reports.get(c.userid) ?? []).filter((r) => new Date(r.createdAt) <= now);
      const inWeek = mine.filter((r) => {
        const d = localDate(new Date(r.createdAt));
        return week.start <= d && d <= week.end;
      });
      const sixOnes = sixOnesOf(roster, c, mine, now, ctx.policy.reports.firstMonthDays);
      return {
        userid: c.userid,
        name: c.name,
        village: roster.villageOf(c).name,
        township: roster.villageOf(c).township,
        days: dayFacts(
          span,
          { term: { start: c.termStart, end: c.termEnd }, bits, leaves: leaves.get(c.userid) ?? [] },
          ctx.policy,
        ),
        month: monthLine(figures.get(c.userid)!.month),
        reports: inWeek.length,
        ...(isNewCadre(sixOnes, week) ? { sixOnes } : {}),
      };
    });
    const year = Number(month.slice(0, 4));
    const input: WeeklyInput = {
      week,
      month,
      townships: roster.data.townships.map((t) => ({ id: t.id, name: t.name })),
      cadres: rows,
      warnings,
      visitsOverdue,
      ...(ctx.calendar.isYearCovered(year) ? {} : { uncoveredYear: year }),
    };
    const expr = jobSchedule(ctx.policy, 'weeklyDigest');
    const time = expr ? dailyTime(expr) : undefined;
    const weekday = expr ? cronWeekday(expr) : undefined;
    const chartPng = chartOf(ctx, input);
    return {
      input,
      week: isoWeek(week.start),
      org: roster.orgDepartment().map((s) => s.userid),
      ...(time ? { time } : {}),
      ...(weekday !== undefined ? { weekday } : {}),
      ...(chartPng ? { chartPng } : {}),
      problems: weeklyProblems(roster, await ctx.repos.problems.open(), now, ctx.policy.problems.overdueDays),
    };
  },

  plan(_now, state): Outbound[] {
    return [
      ...weeklyMessages(
        weeklyModel(state.input),
        { org: [...new Set(state.org)], week: state.week, chartPng: state.chartPng },
        { time: state.time, weekday: state.weekday },
      ),
      ...(state.problems ? weeklyProblemMessages(state.problems, state.week) : []),
    ];
  },
};
