/**
 * The transport-free core (grammY's `handleUpdate`): HTTP edges, tests and the sandbox all call `handle`.
 *
 * One update is processed at most once in effect: the outcome (reply + outbound messages) is stored under the
 * update's id in the same commit as the handler's writes. A retry of a committed update gets the same reply and
 * re-queues the same outbound keys (the outbox ignores keys it already has); a retry of an update whose
 * processing crashed before the commit finds nothing and is processed afresh.
 */
import type { Logger } from '../log.js';
import { Tx, TxConflict } from '../redis/tx.js';
import type { Deps } from './deps.js';
import { CommitError } from './errors.js';
import { coreMiddleware } from './middleware/index.js';
import type { Turn } from './middleware/turn.js';
import type { Outbound } from './outbound.js';
import type { Registry } from './registry.js';
import type { Reply } from './reply.js';
import type { Update } from './update.js';

/** How long a processed update is remembered: well past WeCom's retries (seconds). */
const SEEN_TTL_S = 3 * 24 * 3600;
/**
 * How long one delivery may hold an update before a retry may take it over (ms). A delivery whose Redis went
 * away cannot release its lock, so this also bounds how long WeCom's retries of that update are answered 503
 * after Redis is back; it stays well above a delivery's own time (every Redis command times out in 2 s).
 */
const BUSY_TTL_MS = 10_000;
/** How long a concurrent delivery waits for the first one's outcome, within WeCom's 5 s deadline (ms). */
const BUSY_WAIT_MS = 4_000;
const BUSY_POLL_MS = 100;
/** How often an update is run again when records it read changed before its commit. */
const CONFLICT_ATTEMPTS = 3;

/** Compare-and-delete: release the busy lock only while it is still ours. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

interface Outcome {
  reply: Reply | null;
  outbound: Outbound[];
}

export interface HandleResult {
  reply: Reply | null;
  /** True when this was a retry of an update already committed. */
  duplicate: boolean;
  /** Another delivery of this update is still being processed: ask WeCom to retry later. */
  busy?: boolean;
}

export class Bot {
  constructor(
    readonly deps: Deps,
    readonly registry: Registry,
  ) {}

  async handle(update: Update): Promise<HandleResult> {
    const { redis, keys } = this.deps;
    const log = this.deps.log.child({ update: update.id, channel: update.channel, user: update.userId });
    const seenKey = keys.seen(update.userId, update.id);

    const prior = await redis.get(seenKey);
    if (prior !== null) return this.replay(prior, log);

    const busyKey = keys.busy(update.userId, update.id);
    const token = `${process.pid}:${Math.random()}`;
    if ((await redis.set(busyKey, token, 'PX', BUSY_TTL_MS, 'NX')) === null) {
      // WeCom re-sent the callback while the first delivery is still running: answer with its outcome if it
      // commits in time, otherwise ask WeCom to try again.
      const committed = await this.waitForOutcome(seenKey);
      if (committed !== null) return this.replay(committed, log);
      log.info('update still being processed by another delivery; asking WeCom to retry');
      return { reply: null, duplicate: true, busy: true };
    }
    try {
      // Another delivery may have committed and released the lock between our first look and taking it.
      const raced = await redis.get(seenKey);
      if (raced !== null) return await this.replay(raced, log);
      for (let attempt = 1; ; attempt++) {
        const tx = new Tx();
        const outbound: Outbound[] = [];
        const reply = await this.process(update, tx, outbound, log);
        const outcome: Outcome = { reply, outbound };
        try {
          await tx.commit(redis, [['set', seenKey, JSON.stringify(outcome), 'EX', SEEN_TTL_S]]);
        } catch (err) {
          // Another update changed a record this one read: run it again on fresh data.
          if (err instanceof TxConflict && attempt < CONFLICT_ATTEMPTS) {
            log.info({ attempt }, 'a record changed meanwhile; running the update again');
            continue;
          }
          log.error({ err }, 'commit failed; the update will be retried');
          throw new CommitError('the update could not be committed', { cause: err });
        }
        try {
          if (outbound.length) await this.deps.outbox.enqueue(outbound);
        } catch (err) {
          log.error({ err }, 'queueing failed after the commit; the update will be retried');
          throw new CommitError('the messages of a committed update could not be queued', { cause: err });
        }
        return { reply, duplicate: false };
      }
    } finally {
      await this.release(busyKey, token, log);
    }
  }

  /**
   * Release only our own lock; an expired one may already belong to a retry. A failed release is logged and
   * never thrown: it must not replace the commit's own error (or a committed result) on its way out, and the
   * lock expires by itself after BUSY_TTL_MS.
   */
  private async release(busyKey: string, token: string, log: Logger): Promise<void> {
    try {
      await this.deps.redis.eval(RELEASE, 1, busyKey, token);
    } catch (err) {
      log.warn({ err }, 'releasing the busy lock failed; it expires by itself');
    }
  }

  private async waitForOutcome(seenKey: string): Promise<string | null> {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (;;) {
      const raw = await this.deps.redis.get(seenKey);
      if (raw !== null || Date.now() >= deadline) return raw;
      await new Promise((resolve) => setTimeout(resolve, BUSY_POLL_MS));
    }
  }

  private async replay(prior: string, log: Logger): Promise<HandleResult> {
    const outcome = JSON.parse(prior) as Outcome;
    log.info('duplicate delivery; answering with the committed reply');
    if (outcome.outbound.length) await this.deps.outbox.enqueue(outcome.outbound);
    return { reply: outcome.reply, duplicate: true };
  }

  /**
   * Run the update through the middleware chain (src/core/middleware/): every rule and the command itself.
   * A refusal becomes a reply and discards the handler's writes; any other failure is thrown before the commit.
   */
  private async process(update: Update, tx: Tx, outbound: Outbound[], log: Logger): Promise<Reply | null> {
    const turn: Turn = {
      update,
      now: this.deps.clock.now(),
      deps: this.deps,
      registry: this.registry,
      repos: this.deps.repos,
      tx,
      log,
      outbound,
      send: (m) => outbound.push(m),
      ask: (command, keep) => {
        turn.asked = { command, keep };
      },
      reply: null,
    };
    await coreMiddleware(turn, async () => {});
    return turn.reply;
  }
}
