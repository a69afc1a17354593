/**
 * One run of one job: claim the slot (once-only across instances), load, plan, apply the burden rules, queue
 * the messages, make the job's data changes, and record the run as the job's last. The outbox sends a key
 * once however often it is queued, and every job builds deterministic keys, so a run repeated after a
 * failure or by an operator sends nothing twice.
 */
import type { Logger } from '../log.js';
import type { Outbound } from '../core/outbound.js';
import { BurdenGuard } from './burden.js';
import { PushLogRepo } from './push-log.js';
import type { RedisRunCoordinator } from './coordinator.js';
import type { AnyJob, JobContext, RunResult, Trigger } from './job.js';

/** The record of a job's last run (`jobLast`), as `zhucun jobs list` shows it. */
export interface LastRun {
  slot: string;
  trigger: Trigger;
  at: string;
  sent: number;
  dropped: number;
}

export class JobRunner {
  private readonly pushLog: PushLogRepo;
  private readonly log: Logger;

  constructor(
    private readonly ctx: JobContext,
    readonly coordinator: RedisRunCoordinator,
  ) {
    this.pushLog = ctx.repos.pushLog;
    this.log = ctx.log.child({ component: 'schedule' });
  }

  /**
   * Claim `slot` and run the job for it; null when another instance (or an earlier run) has the slot. A run
   * that fails gives the slot back and rethrows.
   */
  async runSlot(job: AnyJob, slot: Date, trigger: Exclude<Trigger, 'manual'>): Promise<RunResult | null> {
    if (!(await this.coordinator.claim(job.id, slot))) return null;
    return this.runClaimed(job, slot, trigger);
  }

  /** Run a slot this instance has already claimed (node-cron's distributed mode claims before the fire). */
  async runClaimed(job: AnyJob, slot: Date, trigger: Exclude<Trigger, 'manual'>): Promise<RunResult> {
    try {
      return await this.execute(job, slot, trigger, false);
    } catch (err) {
      await this.coordinator
        .release(job.id, slot)
        .catch((e: unknown) => this.log.error({ err: e, job: job.id }, 'could not release a failed slot'));
      throw err;
    }
  }

  /**
   * An operator's run (`zhucun jobs run`): no slot is claimed, so it runs even when the scheduled run has
   * happened; message keys keep it from sending anything twice. A dry run changes nothing at all.
   */
  async runManual(job: AnyJob, opts: { dryRun?: boolean } = {}): Promise<RunResult> {
    return this.execute(job, this.ctx.clock.now(), 'manual', opts.dryRun ?? false);
  }

  /** The recorded last run of a job, if any. */
  async lastRun(jobId: string): Promise<LastRun | undefined> {
    const raw = await this.ctx.redis.get(this.ctx.keys.jobLast(jobId));
    return raw ? (JSON.parse(raw) as LastRun) : undefined;
  }

  /**
   * Drop messages whose key WeCom already accepted: the outbox would not send them again, so they must not be
   * charged to anyone's daily budget either (a follow-up planned every morning until 销假).
   */
  private async notSentBefore(planned: Outbound[]): Promise<Outbound[]> {
    const sent = await Promise.all(planned.map((m) => this.ctx.redis.exists(this.ctx.keys.outboxSent(m.key))));
    return planned.filter((_, i) => sent[i] === 0);
  }

  private async execute(job: AnyJob, slot: Date, trigger: Trigger, dryRun: boolean): Promise<RunResult> {
    const now = this.ctx.clock.now();
    const state = await job.load(this.ctx, now);
    const planned = await this.notSentBefore(job.plan(now, state));
    // The push rules of the policy in force now (`ctx.policy` follows the dated history).
    const burden = new BurdenGuard(this.ctx.redis, this.ctx.keys, this.ctx.policy.push);
    const { send, dropped } = dryRun ? await burden.preview(planned, now) : await burden.apply(planned, now);
    const notes = job.writes?.describe(now, state) ?? [];
    const result: RunResult = {
      jobId: job.id,
      slot: slot.toISOString(),
      trigger,
      at: now.toISOString(),
      dryRun,
      sent: send,
      dropped,
      notes,
    };
    if (dryRun) return result;
    await this.ctx.outbox.enqueue(send);
    await this.pushLog.recordRun(result);
    await job.writes?.apply(this.ctx, now, state);
    const last: LastRun = { slot: result.slot, trigger, at: result.at, sent: send.length, dropped: dropped.length };
    await this.ctx.redis.set(this.ctx.keys.jobLast(job.id), JSON.stringify(last));
    this.log.info(
      { job: job.id, slot: result.slot, trigger, sent: send.length, dropped: dropped.length, notes },
      'job ran',
    );
    return result;
  }
}
