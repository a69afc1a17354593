/**
 * `ops-watch` (every 5 minutes by default): the operator's watch. It reads Redis's memory (above
 * `alerts.redisMemoryPercent` of its limit is an alert), looks for scheduled jobs whose latest slot closed without
 * a run (src/schedule/missed.ts), and sends the summaries of alert windows that ended with repeats. It sends no
 * message of its own: what it finds goes to the operator as alerts (src/alerts), so `plan` is empty and the
 * work is in `writes`; a dry run (`zhucun jobs run ops-watch --dry-run`) lists the findings and alerts nobody.
 */
import { Alerts } from '../alerts/alerts.js';
import { jobMissedAlert } from '../alerts/events.js';
import { memoryAlert, readMemory, type MemoryReading } from '../alerts/memory.js';
import { dayjs, TZ } from '../kit/dates.js';
import type { Job, JobContext } from '../schedule/job.js';
import { missedSlots, type MissedSlot } from '../schedule/missed.js';
import { hoursAfter } from '../schedule/windows.js';

export interface OpsWatchState {
  memory: MemoryReading[];
  threshold: number;
  missed: MissedSlot[];
  /** Alert windows that ended with repeats, whose summary is due. */
  summaries: number;
}

/** The context's alerts, or alerts to the log only (a context built without them, such as a test's). */
export function alertsOf(ctx: JobContext): Alerts {
  return ctx.alerts ?? new Alerts({ ...ctx, target: { userIds: [] } });
}

const local = (d: Date) => dayjs(d).tz(TZ).format('YYYY-MM-DD HH:mm');

export const opsWatch: Job<OpsWatchState> = {
  id: 'ops-watch',
  policyJob: 'opsWatch',
  summary: 'alert the operator: Redis memory, scheduled jobs that missed their slot, summaries of repeated alerts',
  // The next run is minutes away and looks again.
  catchUpUntil: (slot) => hoursAfter(slot, 1 / 12),

  async load(ctx, now) {
    return {
      memory: await readMemory(ctx.redis),
      threshold: ctx.policy.alerts.redisMemoryPercent,
      // Read only: a dry run runs `load` too. The jobs seen for the first time are recorded in `apply`.
      missed: await missedSlots(ctx, ctx.jobTable ?? [], now, false),
      summaries: await alertsOf(ctx).dueSummaries(),
    };
  },

  plan: () => [],

  writes: {
    describe(_now, s) {
      return [
        ...s.memory.map(
          (m) =>
            `redis ${m.node}: ${m.percent}% of ${m.basis === 'maxmemory' ? 'maxmemory' : 'system memory'} (alert above ${s.threshold}%)${m.percent > s.threshold ? ' — ALERT' : ''}`,
        ),
        ...s.missed.map((m) => `missed: ${m.jobId} slot ${local(m.slot)} not run by ${local(m.cutoff)} — ALERT`),
        ...(s.summaries ? [`${s.summaries} summary(ies) of repeated alerts due`] : []),
      ];
    },
    async apply(ctx, now, s) {
      const alerts = alertsOf(ctx);
      await missedSlots(ctx, ctx.jobTable ?? [], now); // records the jobs seen for the first time
      for (const m of s.memory) if (m.percent > s.threshold) await alerts.raise(memoryAlert(m, s.threshold));
      for (const m of s.missed) await alerts.raise(jobMissedAlert(m.jobId, m.slot, m.cutoff));
      await alerts.sendSummaries();
    },
  },
};
