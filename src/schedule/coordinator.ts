/**
 * Once-only runs across instances: a run of job J for slot T happens only on the instance that creates the
 * Redis key `jobRun(J, T)` with `SET NX PX`. Every path that runs a slot claims it the same way: node-cron's
 * distributed mode (this class is its `RunCoordinator`; node-cron asks `shouldRun("<task name>:<slot ISO>")`
 * before each fire), catch-up on start, and a missed fire. The key outlives the catch-up window, so an instance
 * that starts late sees that the slot was run and does not run it again.
 *
 * There is deliberately no `onComplete`: releasing the key when the run ends (node-cron's lease model) would
 * let an instance whose timer fires a little late run the same slot a second time.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { RunCoordinator } from 'node-cron';
import type { Clock } from '../core/clock.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

/** How long a slot's claim is kept, per job and slot (at least the job's catch-up window). */
export type Retention = (jobId: string, slot: Date) => number;

/** Split node-cron's coordination key `<task name>:<slot ISO>`; job ids never contain ':'. */
export function parseCoordinationKey(key: string): { jobId: string; slot: Date } {
  const i = key.indexOf(':');
  const slot = new Date(key.slice(i + 1));
  if (i <= 0 || Number.isNaN(slot.getTime())) throw new Error(`not a node-cron coordination key: ${key}`);
  return { jobId: key.slice(0, i), slot };
}

export class RedisRunCoordinator implements RunCoordinator {
  /** Identifies this instance in the claims it makes, so it releases only its own. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly clock: Clock,
    private readonly retention: Retention,
  ) {}

  /** Claim a slot; true on the one instance that gets it. */
  async claim(jobId: string, slot: Date): Promise<boolean> {
    const value = JSON.stringify({ owner: this.owner, at: this.clock.now().toISOString() });
    const ttl = Math.max(1000, Math.ceil(this.retention(jobId, slot)));
    const res = await this.redis.set(this.keys.jobRun(jobId, slot.toISOString()), value, 'PX', ttl, 'NX');
    return res === 'OK';
  }

  /** Whether some instance claimed (ran or is running) the slot. */
  async claimed(jobId: string, slot: Date): Promise<boolean> {
    return (await this.redis.exists(this.keys.jobRun(jobId, slot.toISOString()))) === 1;
  }

  /**
   * Give a slot back after its run failed, so a later catch-up or an operator can run it again (sends are
   * idempotent, so what the failed run already queued is not sent twice). Only this instance's own claim.
   */
  async release(jobId: string, slot: Date): Promise<void> {
    const key = this.keys.jobRun(jobId, slot.toISOString());
    const raw = await this.redis.get(key);
    if (raw && (JSON.parse(raw) as { owner?: string }).owner === this.owner) await this.redis.del(key);
  }

  /** node-cron's distributed mode: the fire of `<job id>:<slot>` runs here only if this instance claims it. */
  async shouldRun(key: string): Promise<boolean> {
    const { jobId, slot } = parseCoordinationKey(key);
    return this.claim(jobId, slot);
  }
}
