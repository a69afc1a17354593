/**
 * Missed slots: a slot of a scheduled job that no instance ran by the end of its catch-up window (the policy's
 * `catchUpUntil.<job>` or the job's own window, and at least GRACE_MS after the slot). A slot counts as run when
 * its claim is there (run or running) or the job's recorded last run is for it or later (an operator's run
 * after the slot included). Slots from before the job was first watched, or before its schedule last changed,
 * are not counted: a new installation or a new job is not "missed" for its past.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Policy } from '../policy/policy.js';
import type { AnyJob } from './job.js';
import { scheduleOf } from './registry.js';
import type { LastRun } from './runner.js';
import { CronSlots } from './slots.js';

/** A fire is claimed within moments of its slot; before this much time has passed, nothing is called missed. */
export const GRACE_MS = 5 * 60_000;
/** How many slots back to look for the latest one whose window has ended (a window longer than this is none). */
const MAX_STEPS = 48;

export interface MissedSlot {
  jobId: string;
  slot: Date;
  /** The end of its catch-up window. */
  cutoff: Date;
}

type Store = { redis: RedisClient; keys: Keys };

/** The end of a slot's catch-up window. */
export function cutoffOf(job: AnyJob, slot: Date, policy: Policy): Date {
  const until = job.catchUpUntil(slot, policy)?.getTime() ?? slot.getTime();
  return new Date(Math.max(until, slot.getTime() + GRACE_MS));
}

/** The latest slot of `slots` whose catch-up window has ended at `now`, with that end. */
export function lastClosedSlot(job: AnyJob, slots: CronSlots, policy: Policy, now: Date): MissedSlot | null {
  let slot = slots.previous(now);
  for (let i = 0; slot && i < MAX_STEPS; i++) {
    const cutoff = cutoffOf(job, slot, policy);
    if (cutoff.getTime() <= now.getTime()) return { jobId: job.id, slot, cutoff };
    slot = slots.previous(new Date(slot.getTime() - 1));
  }
  return null;
}

/** Whether some instance ran (or is running) the slot, or the job ran by hand after it. */
export async function wasRun(s: Store, jobId: string, slot: Date): Promise<boolean> {
  const iso = slot.toISOString();
  if ((await s.redis.exists(s.keys.jobRun(jobId, iso))) === 1) return true;
  const raw = await s.redis.get(s.keys.jobLast(jobId));
  return raw ? (JSON.parse(raw) as LastRun).slot >= iso : false;
}

/**
 * Since when each job has been watched on its current schedule (ms): `now` for a job seen for the first time or
 * whose schedule changed, which is recorded unless `record` is false (a dry run changes nothing).
 */
export async function watchedSince(
  s: Store,
  jobs: { id: string; expr: string }[],
  now: Date,
  record = true,
): Promise<Map<string, number>> {
  const key = s.keys.alertWatchSince();
  const stored = await s.redis.hgetall(key);
  const out = new Map<string, number>();
  for (const { id, expr } of jobs) {
    const prev = stored[id] ? (JSON.parse(stored[id]) as { expr: string; since: number }) : undefined;
    if (prev && prev.expr === expr) out.set(id, prev.since);
    else {
      if (record) await s.redis.hset(key, id, JSON.stringify({ expr, since: now.getTime() }));
      out.set(id, now.getTime());
    }
  }
  return out;
}

/** Whether `slot` of `job` was missed: watched by then and not run. */
export async function isMissed(s: Store & { policy: Policy }, job: AnyJob, slot: Date, now: Date): Promise<boolean> {
  const expr = scheduleOf(s.policy, job);
  if (!expr) return false;
  const since = (await watchedSince(s, [{ id: job.id, expr }], now)).get(job.id)!;
  return slot.getTime() > since && !(await wasRun(s, job.id, slot));
}

/** Every job's latest closed slot that was missed, as of `now`; `record` as in `watchedSince`. */
export async function missedSlots(
  s: Store & { policy: Policy },
  jobs: readonly AnyJob[],
  now: Date,
  record = true,
): Promise<MissedSlot[]> {
  const scheduled = jobs.flatMap((job) => {
    const expr = scheduleOf(s.policy, job);
    return expr ? [{ job, expr }] : [];
  });
  const since = await watchedSince(
    s,
    scheduled.map(({ job, expr }) => ({ id: job.id, expr })),
    now,
    record,
  );
  const out: MissedSlot[] = [];
  for (const { job, expr } of scheduled) {
    const slots = new CronSlots(expr);
    try {
      const closed = lastClosedSlot(job, slots, s.policy, now);
      if (closed && closed.slot.getTime() > since.get(job.id)! && !(await wasRun(s, job.id, closed.slot)))
        out.push(closed);
    } finally {
      slots.dispose();
    }
  }
  return out;
}
