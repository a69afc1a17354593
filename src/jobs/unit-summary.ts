/**
 * `unit-summary`: each sending unit's leaders (main leader and deputy in the roster's `sendingUnits`, and the
 * unit's supervisors) get, privately, last month's summary of the cadres their unit sent (`src/rollup/views.ts`):
 * the totals as `全县考勤` counts them, then each cadre's month, year so far and leave, and the unit's notices.
 *
 * When: the job runs every morning (policy `jobs.unitSummary`, default 09:00) and sends once last month is
 * closed (`month-close`, from `monthly.closeDay`), so the figures are those of the 考勤表 and no longer move; on
 * a working day only (days off wait for the next working day) and never in the quiet hours. One message a unit
 * and month (split at WeCom's size limit), keyed so that later runs that month send nothing again.
 */
import type { Outbound } from '../core/outbound.js';
import { previousMonth } from '../attendance/month-figures.js';
import { ClosedMonthStore } from '../close/store.js';
import { partKey } from '../digest/messages.js';
import { APP_MARKDOWN_MAX_BYTES, splitMarkdown } from '../digest/split.js';
import { localDate, monthDates } from '../kit/dates.js';
import { cadresOfUnit, loadUnitSummary, type UnitSummary } from '../rollup/views.js';
import { inQuietHours } from '../schedule/burden.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';
import { isWorkingDay } from '../schedule/workdays.js';
import { unitSummary as summaryText, unitSummaryTitle } from '../../templates/rollup-views.js';

export interface UnitSummaryState {
  today: string;
  month: string;
  /** Why nothing is sent today, if so. */
  waiting?: 'not-closed' | 'day-off' | 'quiet-hours';
  units: { summary: UnitSummary; to: string[] }[];
}

/** Who gets a unit's summary: its main leader and deputy, then its supervisors, each once. */
function recipients(roster: Parameters<typeof cadresOfUnit>[0], unit: string): string[] {
  const u = roster.sendingUnit(unit);
  const ids = [...(u ? [u.mainLeader, u.deputy] : []), ...roster.sendingUnitLeaders(unit).map((s) => s.userid)];
  return [...new Set(ids)].filter((id) => roster.knows(id));
}

export const unitSummary: Job<UnitSummaryState> = {
  id: 'unit-summary',
  policyJob: 'unitSummary',
  summary: "each sending unit's private summary of its own cadres, once last month is closed",
  catchUpUntil: policyCutOff('unitSummary'),

  async load(ctx, now) {
    const today = localDate(now);
    const month = previousMonth(today.slice(0, 7));
    const base = { today, month, units: [] };
    if (!(await new ClosedMonthStore(ctx.redis, ctx.keys).get(month))) return { ...base, waiting: 'not-closed' };
    if (!isWorkingDay(ctx.calendar, today)) return { ...base, waiting: 'day-off' };
    if (inQuietHours(now, ctx.policy.push.quietHours)) return { ...base, waiting: 'quiet-hours' };
    const roster = await ctx.roster.get();
    const dates = monthDates(month);
    // The month's notices once, for every unit.
    const [issued, open] = await Promise.all([
      ctx.repos.notices.issuedBetween(dates[0]!, dates.at(-1)!),
      ctx.repos.notices.open(),
    ]);
    const names = [
      ...new Set([
        ...(roster.data.sendingUnits ?? []).map((u) => u.name),
        ...roster.data.supervisors.filter((s) => s.kind === 'sending-unit').map((s) => s.scope),
      ]),
    ];
    const units: UnitSummaryState['units'] = [];
    for (const unit of names) {
      const to = recipients(roster, unit);
      if (!to.length) continue;
      const summary = await loadUnitSummary(ctx, roster, unit, month, now, { issued, open });
      if (summary.cadres.length) units.push({ summary, to });
    }
    return { ...base, units };
  },

  plan(_now, state): Outbound[] {
    return state.units.flatMap(({ summary, to }) => {
      const parts = splitMarkdown(summaryText(summary), {
        maxBytes: APP_MARKDOWN_MAX_BYTES,
        continued: (part) => unitSummaryTitle(summary, part),
      });
      return parts.map((content, i) => ({
        key: partKey(`summary:unit:${summary.unit}:${summary.month}`, i),
        to: { kind: 'user' as const, userIds: to },
        body: { type: 'markdown' as const, content },
        purpose: 'digest' as const,
      }));
    });
  },
};
