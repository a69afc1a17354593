/**
 * The outbox: every message the bot sends outside a passive reply is a BullMQ job in Redis, keyed by the
 * caller's idempotency key, so it is sent once even if the code that queued it runs twice, survives restarts,
 * is retried with exponential back-off, waits (delayed, never dropped) when a rate limit is full, and ends in
 * the failed set with its reason when WeCom refuses it for good. Any number of instances may run a worker.
 */
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { systemClock, type Clock } from '../core/clock.js';
import type { Outbound } from '../core/outbound.js';
import type { OutboxPort } from '../core/outbox-port.js';
import type { Logger } from '../log.js';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { DeliverContext } from './deliver.js';
import type { Keys } from '../redis/keys.js';
import type { WecomApi } from '../wecom/api/client.js';
import { jobIdFor } from './jobid.js';
import { DEFAULT_LIMITS, RateLimiter, type RateLimits } from './limits.js';
import { listJobs, retryJob, type OutboxEntry, type RetryOutcome } from './inspect.js';
import { createProcessor } from './process.js';

export const QUEUE_NAME = 'outbox';
const DAY_S = 86_400;

export interface OutboxOptions {
  /** Commands, sent-markers and rate limits (the queue and the worker use duplicates). Not closed by `close()`. */
  redis: RedisClient;
  keys: Keys;
  log: Logger;
  clock?: Clock;
  /** Clock ms per real ms (1 except when tests or the sandbox run the clock fast). */
  clockRate?: number;
  /** Needed by `start()`. */
  api?: WecomApi;
  agentId?: string;
  /** Where webhook keys are looked up by `keyEnv` (usually process.env). */
  env?: Record<string, string | undefined>;
  /** Link for text_notice cards without their own (the server's PUBLIC_URL). */
  cardUrl?: string;
  limits?: Partial<RateLimits>;
  /** The smart robot's long connection: members who wrote to the robot get pushes there (see `deliver`). */
  robot?: DeliverContext['robot'];
  /** Added to every rate window (clock ms, default 1000) so network delay never brings two sends closer for WeCom. */
  rateMarginMs?: number;
  /** A new connection for the worker; BullMQ needs `maxRetriesPerRequest: null` there. Default: a duplicate of `redis`. */
  workerConnection?: () => RedisClient;
  concurrency?: number;
  /** Attempts per message before it goes to the failed set (default 10: back-off 2 s, 4 s … 512 s, about 17 minutes in all). */
  attempts?: number;
  backoffMs?: number;
  /** How long a worker holds a job before another may take it over after a crash (default 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /**
   * Told once, on the instance whose worker gave up, about each message that failed for good: refused
   * (`exhausted` false) or out of attempts. The operator alerts hang here (src/alerts).
   */
  onGivenUp?: (msg: Outbound, reason: string, exhausted: boolean) => Promise<unknown>;
}

export class Outbox implements OutboxPort {
  readonly queue: Queue<Outbound>;
  readonly limits: RateLimits;
  private worker?: Worker<Outbound>;
  private workerRedis?: RedisClient;
  private readonly queueRedis: RedisClient;
  private readonly clock: Clock;

  constructor(private readonly opts: OutboxOptions) {
    this.clock = opts.clock ?? systemClock;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    const defaultJobOptions: JobsOptions = {
      attempts: opts.attempts ?? 10,
      backoff: { type: 'exponential', delay: opts.backoffMs ?? 2000 },
      // Completed jobs stay a week so that queueing a sent key again is a no-op; failed ones a month for retry.
      removeOnComplete: { age: 7 * DAY_S },
      removeOnFail: { age: 30 * DAY_S },
    };
    // The queue on a connection of its own: BullMQ defines its scripts as commands on the client it is given,
    // and the client copies every defined command onto each pipeline it makes, so on the shared client every
    // batch of every callback's commands paid for its fifty-one scripts.
    this.queueRedis = opts.redis.duplicate();
    this.queue = new Queue<Outbound>(QUEUE_NAME, {
      connection: this.queueRedis,
      prefix: opts.keys.queuePrefix(),
      defaultJobOptions,
    });
    this.queue.on('error', (err) => opts.log.error({ err: err.message }, 'outbox queue error'));
  }

  /**
   * Queue messages. A key already queued, sent, failed or sent within the marker's lifetime is not queued
   * again. `notBefore` becomes a BullMQ delay.
   */
  async enqueue(messages: Outbound[]): Promise<void> {
    if (!messages.length) return;
    for (const m of messages) if (!m.key) throw new Error(`outbound message (${m.purpose}) has no idempotency key`);
    const sent = await Promise.all(messages.map((m) => this.opts.redis.exists(this.opts.keys.outboxSent(m.key))));
    const now = this.clock.now().getTime();
    const rate = this.opts.clockRate ?? 1;
    const jobs = messages
      .filter((_, i) => !sent[i])
      .map((m) => ({
        name: m.purpose,
        data: m,
        opts: {
          jobId: jobIdFor(m.key),
          delay: m.notBefore && m.notBefore > now ? Math.ceil((m.notBefore - now) / rate) : undefined,
        },
      }));
    if (jobs.length) await this.queue.addBulk(jobs);
  }

  /** Start a worker in this process; call once per instance. */
  start(): Worker<Outbound> {
    if (this.worker) return this.worker;
    const { api, log } = this.opts;
    if (!api) throw new Error('Outbox.start needs the WeCom API client (opts.api)');
    // Not fatal: callbacks must still be served. App messages will fail with 40056 and say so in the failed set.
    if (!this.opts.agentId) log.error('WECOM_AGENT_ID is not set: app messages cannot be sent until it is');
    this.workerRedis = this.opts.workerConnection?.() ?? duplicateForWorker(this.opts.redis);
    const processor = createProcessor({
      redis: this.opts.redis,
      keys: this.opts.keys,
      limiter: new RateLimiter(this.opts.redis, this.opts.keys, this.clock, this.opts.rateMarginMs),
      limits: this.limits,
      deliver: {
        api,
        agentId: this.opts.agentId ?? '',
        env: this.opts.env ?? {},
        cardUrl: this.opts.cardUrl ?? 'https://work.weixin.qq.com/',
        ...(this.opts.robot ? { robot: this.opts.robot } : {}),
      },
      log: log.child({ component: 'outbox' }),
      clockRate: this.opts.clockRate ?? 1,
    });
    this.worker = new Worker<Outbound>(QUEUE_NAME, processor, {
      connection: this.workerRedis,
      prefix: this.opts.keys.queuePrefix(),
      concurrency: this.opts.concurrency ?? 4,
      lockDuration: this.opts.lockDurationMs ?? 30_000,
      stalledInterval: this.opts.stalledIntervalMs ?? this.opts.lockDurationMs ?? 30_000,
      maxStalledCount: 3,
    });
    this.worker.on('error', (err) => log.error({ err: err.message }, 'outbox worker error'));
    this.worker.on('failed', (job: Job<Outbound> | undefined, err: Error) => {
      if (job && job.finishedOn) {
        log.error({ job: job.id, key: job.data.key, reason: err.message }, 'outbox message failed');
        const exhausted = !(err instanceof UnrecoverableError || err.name === 'UnrecoverableError');
        void this.opts
          .onGivenUp?.(job.data, err.message, exhausted)
          .catch((e: unknown) => log.error({ err: e, key: job.data.key }, 'outbox failure could not be reported'));
      }
    });
    return this.worker;
  }

  /** Queued (waiting, delayed, active) and failed messages, or only failed ones. */
  list(opts: { failed?: boolean; limit?: number } = {}): Promise<OutboxEntry[]> {
    return listJobs(this.queue, opts);
  }

  /** Re-queue a failed message (or send a delayed one now), by job id or idempotency key. */
  retry(idOrKey: string): Promise<RetryOutcome> {
    return retryJob(this.queue, idOrKey);
  }

  /** Re-queue every failed message (after fixing a setting that stopped them all). */
  async retryAllFailed(): Promise<RetryOutcome[]> {
    const failed = await this.list({ failed: true, limit: 10_000 });
    const outcomes: RetryOutcome[] = [];
    for (const e of failed) outcomes.push(await this.retry(e.id));
    return outcomes;
  }

  /** Stop the worker (finishing jobs in hand) and the queue; the caller's `redis` stays open. */
  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.queueRedis.disconnect();
    if (this.workerRedis) this.workerRedis.disconnect();
  }
}

/** The worker blocks on Redis and waits out an outage: no command timeout, commands queued while reconnecting. */
function duplicateForWorker(redis: RedisClient): RedisClient {
  const worker = { maxRetriesPerRequest: null, commandTimeout: undefined, enableOfflineQueue: true };
  if (isCluster(redis)) {
    return redis.duplicate(undefined, {
      enableOfflineQueue: true,
      redisOptions: { ...redis.options.redisOptions, ...worker },
    });
  }
  return redis.duplicate(worker);
}
