/**
 * The scheduler of one instance: a node-cron 4 task per job (Asia/Shanghai, `distributed: true` with the
 * Redis run coordinator, so each fire runs on exactly one instance), and catch-up on start for slots missed
 * while every instance was down, as long as each job says the slot is still useful. Every instance of the bot
 * runs one; they agree through Redis alone.
 */
import { withOverrides } from '../policy/history.js';
import { schedule, type Logger as CronLogger, type ScheduledTask, type SkipReason } from 'node-cron';
import { TZ } from '../kit/dates.js';
import type { Logger } from '../log.js';
import { jobFailedAlert, jobMissedAlert } from '../alerts/events.js';
import { RedisRunCoordinator } from './coordinator.js';
import { cutoffOf, isMissed } from './missed.js';
import type { AnyJob, JobContext, RunResult } from './job.js';
import { checkJobTable, scheduleOf } from './registry.js';
import { JobRunner } from './runner.js';
import { CronSlots } from './slots.js';

const DAY_MS = 86_400_000;

export type SchedulerEvent =
  | { type: 'ran'; result: RunResult }
  | { type: 'skipped'; jobId: string; slot: string; reason: SkipReason | 'claimed' | 'too-late' }
  | { type: 'failed'; jobId: string; slot: string; error: Error };

export interface SchedulerOptions {
  /** Told about every fire (ran, skipped, failed); the scheduler logs them too. */
  onEvent?: (event: SchedulerEvent) => void;
}

export class Scheduler {
  readonly runner: JobRunner;
  private readonly jobs: Map<string, { job: AnyJob; slots: CronSlots }> = new Map();
  private readonly tasks: ScheduledTask[] = [];
  /** Runs started by node-cron's timers, awaited by `stop()` so shutdown never cuts one off. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly log: Logger;

  constructor(
    private readonly ctx: JobContext,
    jobs: readonly AnyJob[],
    private readonly opts: SchedulerOptions = {},
  ) {
    checkJobTable(jobs);
    this.log = ctx.log.child({ component: 'schedule' });
    for (const job of jobs) {
      const expr = scheduleOf(ctx.policy, job);
      if (expr) this.jobs.set(job.id, { job, slots: new CronSlots(expr) });
    }
    const coordinator = new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, (id, slot) => this.retention(id, slot));
    // The ops-watch job checks every job's slots, so the runs get the table this scheduler runs.
    // Copied with its getters: each run reads the policy version in force on its day.
    this.runner = new JobRunner(withOverrides(ctx, { jobTable: ctx.jobTable ?? jobs }), coordinator);
  }

  /** Start the node-cron tasks, then catch up on missed slots. Returns the catch-up runs. */
  async start(): Promise<RunResult[]> {
    for (const { job, slots } of this.jobs.values()) {
      const task = schedule(slots.expression, (tc) => this.track(this.fire(job, tc.date)), {
        name: job.id,
        timezone: TZ,
        distributed: true,
        runCoordinator: this.runner.coordinator,
        noOverlap: true,
        logger: cronLogger(this.log),
      });
      task.on('execution:skipped', (tc) =>
        this.emit({ type: 'skipped', jobId: job.id, slot: tc.date.toISOString(), reason: tc.reason ?? 'not-elected' }),
      );
      // node-cron does not run a fire it noticed too late (a blocked event loop); such a slot is caught up.
      task.on('execution:missed', (tc) => void this.track(this.catchUpSlot(job, tc.date)));
      this.tasks.push(task);
    }
    return this.track(this.catchUp());
  }

  /**
   * Run every job whose latest slot before now was not run by any instance and is still useful
   * (`catchUpUntil`). Also useful after the sandbox moves its clock.
   */
  async catchUp(): Promise<RunResult[]> {
    const now = this.ctx.clock.now();
    const results: RunResult[] = [];
    for (const { job, slots } of this.jobs.values()) {
      const slot = slots.previous(now);
      if (!slot) continue;
      const result = await this.catchUpSlot(job, slot);
      if (result) results.push(result);
    }
    return results;
  }

  /** Stop the node-cron tasks and wait for the runs in progress (before the caller closes Redis). */
  async stop(): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.destroy();
    for (const { slots } of this.jobs.values()) slots.dispose();
    await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(run: Promise<T>): Promise<T> {
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private async catchUpSlot(job: AnyJob, slot: Date): Promise<RunResult | null> {
    const until = job.catchUpUntil(slot, this.ctx.policy);
    if (!until || this.ctx.clock.now() > until) {
      this.emit({ type: 'skipped', jobId: job.id, slot: slot.toISOString(), reason: 'too-late' });
      await this.alertIfMissed(job, slot);
      return null;
    }
    try {
      const result = await this.runner.runSlot(job, slot, 'catch-up');
      if (result) this.emit({ type: 'ran', result });
      else this.emit({ type: 'skipped', jobId: job.id, slot: slot.toISOString(), reason: 'claimed' });
      return result;
    } catch (err) {
      this.emit({ type: 'failed', jobId: job.id, slot: slot.toISOString(), error: asError(err) });
      return null;
    }
  }

  /** A node-cron fire this instance won (the coordinator claimed the slot before calling). */
  private async fire(job: AnyJob, slot: Date): Promise<void> {
    try {
      this.emit({ type: 'ran', result: await this.runner.runClaimed(job, slot, 'schedule') });
    } catch (err) {
      this.emit({ type: 'failed', jobId: job.id, slot: slot.toISOString(), error: asError(err) });
    }
  }

  /** A claim is kept through the job's catch-up window and a day more, so no instance runs the slot again. */
  private retention(jobId: string, slot: Date): number {
    const until = this.jobs.get(jobId)?.job.catchUpUntil(slot, this.ctx.policy);
    return Math.max(0, (until?.getTime() ?? slot.getTime()) - slot.getTime()) + DAY_MS;
  }

  /**
   * A slot too late to catch up that no instance ran is a missed slot: the operator is told (once per slot,
   * however many instances notice it; the ops-watch job notices it too).
   */
  private async alertIfMissed(job: AnyJob, slot: Date): Promise<void> {
    const alerts = this.ctx.alerts;
    const now = this.ctx.clock.now();
    if (!alerts || now < cutoffOf(job, slot, this.ctx.policy)) return;
    try {
      if (await isMissed(this.ctx, job, slot, now))
        await alerts.raise(jobMissedAlert(job.id, slot, cutoffOf(job, slot, this.ctx.policy)));
    } catch (err) {
      this.log.error({ err, job: job.id, slot: slot.toISOString() }, 'could not check a missed slot');
    }
  }

  private emit(event: SchedulerEvent): void {
    if (event.type === 'failed') {
      this.log.error({ job: event.jobId, slot: event.slot, err: event.error }, 'job failed');
      const alert = jobFailedAlert(event.jobId, new Date(event.slot), event.error);
      if (this.ctx.alerts) void this.track(this.ctx.alerts.raise(alert));
    }
    if (event.type === 'skipped')
      this.log.debug({ job: event.jobId, slot: event.slot, reason: event.reason }, 'job slot skipped');
    this.opts.onEvent?.(event);
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** node-cron's messages go to the bot's log. */
function cronLogger(log: Logger): CronLogger {
  return {
    info: (m) => log.info(m),
    warn: (m) => log.warn(m),
    error: (m, err) =>
      log.error({ err: err ?? (m instanceof Error ? m : undefined) }, String(m instanceof Error ? m.message : m)),
    debug: (m) => log.debug(String(m instanceof Error ? m.message : m)),
  };
}
