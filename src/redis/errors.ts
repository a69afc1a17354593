/**
 * Whether an error came from storage (Redis unreachable, too slow, or refusing a command) rather than from the
 * bot's own code. The edge answers a storage failure with 503 so that WeCom retries once Redis is back; a bug
 * in a handler gets the internal-error sentence instead, because a retry would fail the same way.
 */

/** ioredis' error classes (a reply error, a connection given up, a command flushed by retries, a cluster down), and ours. */
const NAMES = new Set([
  'ReplyError',
  'AbortError',
  'MaxRetriesPerRequestError',
  'ClusterAllFailedError',
  'ParserError',
  // Fewer replicas than REDIS_WAIT_REPLICAS confirmed a commit (src/redis/replicas.ts).
  'ReplicaWaitError',
]);

/** What ioredis says, as plain `Error`s, when the connection is gone, slow, or (re)connecting. */
const MESSAGES = [
  /^Command timed out/,
  /^Connection is closed/,
  /enableOfflineQueue options is false/,
  /^Failed to refresh slots cache/,
  /^Too many Cluster redirections/,
  /^connect (ECONNREFUSED|ETIMEDOUT)/,
  /^(read|write) (ECONNRESET|EPIPE)/,
];

/** True when `err`, or an error in its `cause` chain, is a Redis/connection failure. */
export function isStorageError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const { name, message } = e;
    if (NAMES.has(name) || MESSAGES.some((re) => re.test(message))) return true;
  }
  return false;
}
