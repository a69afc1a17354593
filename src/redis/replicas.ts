/**
 * Waiting for replicas before an update is acknowledged (Sentinel mode). Redis replicates asynchronously: a
 * master that dies right after a commit may take with it writes its replica never received, and the replica
 * the sentinels promote then lacks an update WeCom was told (200) had taken effect. `WAIT n ms` after the
 * commit holds the answer until `n` replicas have every write this connection made so far; when fewer confirm
 * within the time, the update is answered 503 (storage trouble): it stays committed on the master, and WeCom's
 * retry finds its de-duplication record there (or, after a failover that lost it, processes it afresh).
 *
 * The price: one round trip to the replica per update, and the shared connection waits with it; while fewer
 * than `n` replicas are up, every callback waits the full time and is answered 503. Run two replicas with n = 1
 * so that one can be down, or set REDIS_WAIT_REPLICAS=0 to answer without waiting (the last second of
 * acknowledged updates may then be lost in a failover).
 */
import { isCluster, type RedisClient } from './client.js';

/** How long an update waits for its replicas (ms): well within WeCom's 5 s and the command timeout. */
export const REPLICA_WAIT_MS = 1_000;

/** Fewer replicas confirmed a commit than required; a storage error (answered 503). */
export class ReplicaWaitError extends Error {
  override name = 'ReplicaWaitError';
}

/** Resolve once `replicas` replicas hold this connection's writes; throw ReplicaWaitError when they don't in time. */
export async function waitForReplicas(redis: RedisClient, replicas: number, ms = REPLICA_WAIT_MS): Promise<void> {
  if (replicas <= 0 || isCluster(redis)) return;
  const acked = await redis.wait(replicas, ms);
  if (acked < replicas) {
    throw new ReplicaWaitError(`${acked} of ${replicas} replica(s) confirmed the commit within ${ms} ms`);
  }
}
