/**
 * The clock panel's "run this job now": the scheduled jobs as the sandbox sees them, each run at the simulated
 * time exactly as an operator's `zhucun jobs run ID --now …` would (claims no slot; message keys keep a
 * repeated run from sending twice).
 */
import { withOverrides } from '../policy/history.js';
import { fixedClock } from '../core/clock.js';
import { RedisRunCoordinator } from '../schedule/coordinator.js';
import type { AnyJob, JobContext } from '../schedule/job.js';
import { jobRows } from '../schedule/registry.js';
import { JobRunner } from '../schedule/runner.js';

/** What the sandbox needs of the job table. */
export interface SandboxJobs {
  list(): { id: string; schedule: string }[];
  run(id: string, now: Date): Promise<{ sent: number }>;
}

/**
 * The job table in the sandbox's shape. `ctx` is the scheduler's context (the bot's dependencies and the
 * WeCom client); each run gets a clock fixed at the time asked for. Jobs the policy turns off are not listed.
 */
export function sandboxJobs(ctx: JobContext, jobs: readonly AnyJob[]): SandboxJobs {
  return {
    list: () =>
      jobRows(ctx.policy, jobs, ctx.clock.now())
        .filter((r) => r.schedule !== null)
        .map((r) => ({ id: r.id, schedule: r.schedule! })),
    async run(id, now) {
      const job = jobs.find((j) => j.id === id);
      if (!job) throw new Error(`no job "${id}"`);
      const clock = fixedClock(now);
      // Copied with its getters: the run reads the policy version in force at the chosen time.
      const runner = new JobRunner(
        withOverrides(ctx, { clock }),
        new RedisRunCoordinator(ctx.redis, ctx.keys, clock, () => 0),
      );
      const result = await runner.runManual(job);
      return { sent: result.sent.length };
    },
  };
}
