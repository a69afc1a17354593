/**
 * Waiting for replicas before an update is acknowledged (Sentinel mode). Redis replicates asynchronously: a
 * master that dies right after a commit may take with it writes its replica never received, and the replica
 * the sentinels promote then lacks an update WeCom was told (200) had taken effect. `WAIT n ms` after the
 * commit holds the answer until `n` replicas have every write this connection made so far; when fewer confirm
 * within the time, the update is answered 503 (storage trouble): it stays committed on the master, and WeCom's
 * retry finds its de-duplication record there (or, after a failover that lost it, processes it afresh).
 *
 * It waits for the replicas the master has, up to REDIS_WAIT_REPLICAS (ROLE, read at most once a second): a
 * master left with none (the promoted replica right after a failover, until the old master returns as its
 * replica) acknowledges without waiting, with a warning in the log, rather than answering every callback 503.
 * Updates acknowledged then are lost only if that master fails too before a replica has caught up. Who wants
 * writes refused outright while no replica is connected sets `min-replicas-to-write 1` on the Redis servers.
 *
 * The price: one round trip to the replica per update, during which the shared connection waits too.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/** How long an update waits for its replicas (ms): well within WeCom's 5 s and the command timeout. */
export const REPLICA_WAIT_MS = 1_000;
/** How long the master's count of connected replicas is trusted (ms). */
const ROLE_TTL_MS = 1_000;

/** Fewer replicas confirmed a commit than were connected; a storage error (answered 503). */
export class ReplicaWaitError extends Error {
  override name = 'ReplicaWaitError';
}

export class ReplicaWait {
  private count = 0;
  private at = -Infinity;
  private reading: Promise<number> | undefined;
  private warned = false;

  constructor(
    private readonly redis: Redis,
    /** REDIS_WAIT_REPLICAS: at most this many replicas are waited for. */
    readonly want: number,
    private readonly log: Logger,
    private readonly ms = REPLICA_WAIT_MS,
  ) {}

  /**
   * Resolve once the connected replicas (up to `want`) hold every write this connection made so far; throw
   * ReplicaWaitError when they don't confirm within the time.
   */
  async afterCommit(): Promise<void> {
    if (this.want <= 0) return;
    const n = Math.min(this.want, await this.connected());
    if (n === 0) {
      if (!this.warned) this.log.warn('the Redis master has no replica connected: updates are not waiting for one');
      this.warned = true;
      return;
    }
    this.warned = false;
    const acked = await this.redis.wait(n, this.ms);
    if (acked < n) {
      this.at = -Infinity; // a replica may have gone: ask again on the next update
      throw new ReplicaWaitError(`${acked} of ${n} replica(s) confirmed the commit within ${this.ms} ms`);
    }
  }

  /** The replicas connected to the master, from ROLE, read again once it is older than ROLE_TTL_MS. */
  private connected(): Promise<number> {
    if (performance.now() - this.at < ROLE_TTL_MS) return Promise.resolve(this.count);
    this.reading ??= (async () => {
      try {
        const role = (await this.redis.role()) as [string, number, unknown[]?];
        this.count = role[0] === 'master' ? (role[2]?.length ?? 0) : 0;
        this.at = performance.now();
        return this.count;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }
}
