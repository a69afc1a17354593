/**
 * The transport-free core (grammY's `handleUpdate`): HTTP edges, tests and the sandbox all call `handle`.
 *
 * One update is processed at most once in effect. Its writes, its outcome (reply + outbound messages, kept under
 * the update's id for de-duplication) and its outbound messages (appended to the relay stream, a transactional
 * outbox) are committed by one script, which first checks the de-duplication record: a retry of a committed
 * update gets the stored reply, and a retry racing the first delivery commits nothing and answers with the
 * first one's outcome, with no lock. A delivery that crashed before the commit left nothing; its retry is
 * processed afresh. After the commit the messages are handed to the sending queue (not awaited by `handle`);
 * what that hand-off misses (a crash, the queue failing) the relay sweep picks up (src/outbox/relay.ts).
 */
import { lazyChild, type Logger } from '../log.js';
import { isCluster } from '../redis/client.js';
import { dropEntries } from '../redis/stream.js';
import { Tx, TxConflict, type CommitResult } from '../redis/tx.js';
import type { Deps } from './deps.js';
import { CommitError } from './errors.js';
import { coreMiddleware } from './middleware/index.js';
import type { Turn } from './middleware/turn.js';
import type { Outbound } from './outbound.js';
import type { Registry } from './registry.js';
import type { Reply } from './reply.js';
import type { Update } from './update.js';
import type { Roster } from '../roster/roster.js';

/** How long a processed update is remembered: well past WeCom's retries (seconds). */
const SEEN_TTL_S = 3 * 24 * 3600;
/** How often an update is run again when records it read changed before its commit. */
const CONFLICT_ATTEMPTS = 3;

/** What one run of an update staged: its writes, its messages and its reply. */
interface Run {
  tx: Tx;
  outbound: Outbound[];
  reply: Reply | null;
}

interface Outcome {
  reply: Reply | null;
  outbound: Outbound[];
}

export interface HandleResult {
  reply: Reply | null;
  /** True when this was a retry of an update already committed. */
  duplicate: boolean;
}

export class Bot {
  /** Hand-offs to the sending queue still running (`idle`). */
  private readonly handing = new Set<Promise<void>>();

  constructor(
    readonly deps: Deps,
    readonly registry: Registry,
  ) {}

  async handle(update: Update): Promise<HandleResult> {
    const { redis, keys } = this.deps;
    const log = lazyChild(this.deps.log, { update: update.id, channel: update.channel, user: update.userId });
    const seenKey = keys.seen(update.userId, update.id);
    const relayKey = keys.relay(isCluster(redis) ? update.userId : undefined);
    let first: Run;
    // On a single Redis, with a roster checked lately, the update runs at once, without looking for its
    // de-duplication record first: the commit checks that record before anything else and answers a duplicate
    // with the first delivery's outcome, and nothing is written before the commit, so running a duplicate this
    // far costs only its reads. The commit expects the roster's version (an import meanwhile is a conflict: the
    // update runs again on the new roster). An update whose reads the repositories serve from their own copies
    // (a check-in's day) is then one round trip.
    const cached = isCluster(redis) ? undefined : this.deps.roster.current();
    if (cached) {
      try {
        first = await this.run(update, log, cached.roster);
      } catch (err) {
        // A duplicate may fail where its first delivery did not (what it read has moved on): its outcome stands.
        // The run's own error is the one to report when the look-up fails too.
        const prior = await redis.get(seenKey).catch(() => null);
        if (prior !== null) return this.replay(prior, log);
        throw err;
      }
      first.tx.expectValue(keys.rosterVersion(), cached.version);
    } else {
      // Both in one round trip, then the update on the roster as checked.
      const [prior, roster] = await Promise.all([redis.get(seenKey), this.deps.roster.get()]);
      if (prior !== null) return this.replay(prior, log);
      first = await this.run(update, log, roster);
    }
    for (let attempt = 1; ; attempt++) {
      const { tx, outbound, reply } = attempt === 1 ? first : await this.run(update, log, undefined);
      const outcome: Outcome = { reply, outbound };
      const messages = outbound.length ? JSON.stringify(outbound) : undefined;
      let result: CommitResult;
      try {
        result = await tx.commit(redis, {
          seenKey,
          outcome: JSON.stringify(outcome),
          ttlSeconds: SEEN_TTL_S,
          relay: messages ? { key: relayKey, messages } : undefined,
        });
      } catch (err) {
        // Another update changed a record this one read: run it again on fresh data.
        if (err instanceof TxConflict && attempt < CONFLICT_ATTEMPTS) {
          log.info({ attempt }, 'a record changed meanwhile; running the update again');
          continue;
        }
        log.error({ err }, 'commit failed; the update will be retried');
        throw new CommitError('the update could not be committed', { cause: err });
      }
      // Another delivery of this update committed first: answer as it did, apply nothing.
      if ('prior' in result) return this.replay(result.prior, log);
      // Acknowledged only once the replicas have it (Sentinel); otherwise 503 and the relay sweep sends later.
      await this.deps.replicaWait?.afterCommit();
      if (result.relayId) this.handOff(outbound, relayKey, result.relayId, log);
      return { reply, duplicate: false };
    }
  }

  /** One run of the update on a fresh `Tx` (`roster` undefined: the known-person step reads it afresh). */
  private async run(update: Update, log: Logger, roster: Roster | undefined): Promise<Run> {
    const tx = new Tx();
    const outbound: Outbound[] = [];
    const reply = await this.process(update, tx, outbound, log, roster);
    return { tx, outbound, reply };
  }

  /** Resolves when every hand-off started so far has ended (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.handing.size) await Promise.all([...this.handing]);
  }

  /**
   * Queue committed messages for sending and drop their relay entry. The queue call starts at once, so a caller
   * sees them queued when `handle` returns; a failure leaves the entry for the relay sweep to queue again.
   */
  private handOff(outbound: Outbound[], relayKey: string, id: string, log: Logger): void {
    const done = (async () => {
      try {
        await this.deps.outbox.enqueue(outbound);
      } catch (err) {
        log.warn({ err }, 'queueing failed after the commit; the relay sweep queues the messages later');
        return;
      }
      try {
        await dropEntries(this.deps.redis, relayKey, [id]);
      } catch (err) {
        // Harmless: the sweep queues the entry again, and the queue ignores keys it already has.
        log.warn({ err }, 'dropping a relayed entry failed');
      }
    })();
    this.handing.add(done);
    void done.finally(() => this.handing.delete(done));
  }

  private async replay(prior: string, log: Logger): Promise<HandleResult> {
    // The record may be one this process wrote and the replicas do not hold yet (its first answer was a 503).
    await this.deps.replicaWait?.afterCommit();
    const outcome = JSON.parse(prior) as Outcome;
    log.info('duplicate delivery; answering with the committed reply');
    if (outcome.outbound.length) await this.deps.outbox.enqueue(outcome.outbound);
    return { reply: outcome.reply, duplicate: true };
  }

  /**
   * Run the update through the middleware chain (src/core/middleware/): every rule and the command itself.
   * A refusal becomes a reply and discards the handler's writes; any other failure is thrown before the commit.
   */
  private async process(
    update: Update,
    tx: Tx,
    outbound: Outbound[],
    log: Logger,
    roster: Roster | undefined,
  ): Promise<Reply | null> {
    const turn: Turn = {
      update,
      roster,
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
