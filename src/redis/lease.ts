/**
 * A lease in Redis: at most one instance holds it at a time, and another takes it over within `ttlMs` +
 * `retryEveryMs` after the holder dies.
 *
 * - Acquire: `SET key token NX PX ttl` (in a script that also bumps a fencing counter), a fresh random token
 *   per acquisition, naming the host and pid so an operator can see who holds it.
 * - Renew every `renewEveryMs`: extend the expiry only while the key still holds our token (compare-and-extend).
 * - Release on stop: delete only our own token (compare-and-delete), so the next instance takes over at once.
 * - Lost: a renewal finds another token or none (`taken`, `expired`), or Redis has not confirmed a renewal and
 *   the lease may have lapsed (`unreachable`). The holder is told at once and the lease keeps trying to acquire.
 *
 * Timing never uses the wall clock or the bot's (possibly simulated) clock: the expiry is Redis's own, and the
 * holder's idea of how long it may still hold is measured on a monotonic clock from the moment the last
 * successful renewal was *sent* (Redis started its TTL later than that), less a safety margin. So the holder
 * always gives up before Redis lets anyone else in, whatever the machines' wall clocks say.
 *
 * The key and its fencing counter share one hash tag, so every script runs on one node of a Redis Cluster.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RedisClient } from './client.js';
import { runScript, script } from './script.js';

/**
 * Take the lease if free, or still held by one of our own earlier tokens (the last holding, or an attempt whose
 * answer never came); bump and return the fencing counter, or 0.
 */
const ACQUIRE = script(`
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[2] and v ~= ARGV[4] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return redis.call('INCR', KEYS[2])
`);
/** 1 extended; 0 the key is gone (expired); -1 another instance holds it. */
const RENEW = script(`
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if v then return -1 end
return 0
`);
const RELEASE = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`);

/**
 * Why a held lease was lost: `taken` another instance holds it now; `expired` the key is gone; `unreachable` no
 * renewal was confirmed in time (Redis unreachable or too slow, or this process stalled), so it may have lapsed.
 */
export type LeaseLoss = 'taken' | 'expired' | 'unreachable';

export interface LeaseTimings {
  /** How long the lease lives in Redis without a renewal (ms). */
  ttlMs: number;
  /** How often the holder renews (ms); well under `ttlMs`, so one or two failed renewals are survived. */
  renewEveryMs: number;
  /** How often a waiting instance tries to acquire (ms). */
  retryEveryMs: number;
  /** How long one Redis call may take before it counts as failed (ms). */
  callTimeoutMs: number;
  /**
   * How long before the lease could lapse in Redis the holder gives up when renewals fail (ms): covers the time
   * the holder takes to stop what it guards and the drift between the two machines' clocks.
   */
  safetyMs: number;
}

/**
 * Defaults: a dead holder is replaced within 15 s + 2 s (under the 20 s allowed); the holder renews every 5 s, so
 * two renewals can fail (a Redis failover, a long GC pause) before it gives up, 3 s before Redis would expire it.
 */
export const DEFAULT_LEASE_TIMINGS: LeaseTimings = {
  ttlMs: 15_000,
  renewEveryMs: 5_000,
  retryEveryMs: 2_000,
  callTimeoutMs: 2_000,
  safetyMs: 3_000,
};

export interface LeaseEvents {
  /** The lease was taken; `fence` grows with every acquisition by any instance. */
  onAcquired?(fence: number): void;
  /** The held lease was lost; whatever it guards must stop now. Not called on `stop()`. */
  onLost?(reason: LeaseLoss): void;
  /** A Redis call failed (logged by the caller; the lease handles it). */
  onError?(err: unknown): void;
}

export interface LeaseOptions extends Partial<LeaseTimings>, LeaseEvents {
  redis: RedisClient;
  /** The lease's key and its fencing counter's key, in one hash slot (`Keys.lease`, `Keys.leaseFence`). */
  key: string;
  fenceKey: string;
  /** Names this instance in the token (default host:pid). */
  owner?: string;
  /** A monotonic clock in ms (tests may drive it); default `performance.now`. */
  monotonic?: () => number;
}

/** Check that timings make sense: renewals and the give-up point fit inside the TTL. Throws otherwise. */
export function checkTimings(t: LeaseTimings): void {
  const positive = Object.entries(t).filter(([, v]) => !(Number.isFinite(v) && v > 0));
  if (positive.length)
    throw new Error(`lease timings must be positive numbers: ${positive.map(([k]) => k).join(', ')}`);
  if (t.renewEveryMs + t.callTimeoutMs + t.safetyMs > t.ttlMs)
    throw new Error(
      `lease timings: renewEveryMs (${t.renewEveryMs}) + callTimeoutMs (${t.callTimeoutMs}) + safetyMs ` +
        `(${t.safetyMs}) must not exceed ttlMs (${t.ttlMs}), or the lease would lapse between renewals`,
    );
}

export class Lease {
  readonly timings: LeaseTimings;
  private readonly owner: string;
  private readonly monotonic: () => number;
  private running = false;
  /** The token of the current acquisition (also the last one, after a loss, so a re-acquire may reuse the key). */
  private token?: string;
  private isHeld = false;
  /** Monotonic time until which the lease is surely ours (send time of the last confirmed write + TTL − safety). */
  private validUntil = 0;
  private fenceValue?: number;
  /** The token of an acquisition whose answer was lost (a timeout): Redis may hold it. */
  private tried?: string;
  private timer?: NodeJS.Timeout;
  private deadline?: NodeJS.Timeout;
  /** Bumped on stop and on loss, so an answer arriving late for an earlier state is ignored. */
  private epoch = 0;
  private busy?: Promise<void>;

  constructor(private readonly opts: LeaseOptions) {
    this.timings = {
      ttlMs: opts.ttlMs ?? DEFAULT_LEASE_TIMINGS.ttlMs,
      renewEveryMs: opts.renewEveryMs ?? DEFAULT_LEASE_TIMINGS.renewEveryMs,
      retryEveryMs: opts.retryEveryMs ?? DEFAULT_LEASE_TIMINGS.retryEveryMs,
      callTimeoutMs: opts.callTimeoutMs ?? DEFAULT_LEASE_TIMINGS.callTimeoutMs,
      safetyMs: opts.safetyMs ?? DEFAULT_LEASE_TIMINGS.safetyMs,
    };
    checkTimings(this.timings);
    this.owner = opts.owner ?? `${hostname()}:${process.pid}`;
    this.monotonic = opts.monotonic ?? (() => performance.now());
  }

  /** Whether this instance holds the lease now (false as soon as it may have lapsed). */
  get held(): boolean {
    return this.isHeld && this.monotonic() < this.validUntil;
  }

  /** The fencing number of the current holding (larger than every earlier holder's), if held. */
  get fence(): number | undefined {
    return this.held ? this.fenceValue : undefined;
  }

  /** Who holds the lease now according to Redis (the token names host and pid), or null. */
  async holder(): Promise<string | null> {
    return this.opts.redis.get(this.opts.key);
  }

  /** Start trying to acquire; keeps trying (and renewing once held) until `stop()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stop renewing and trying, and release the lease if held (compare-and-delete). Idempotent. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.epoch++;
    clearTimeout(this.timer);
    clearTimeout(this.deadline);
    await this.busy;
    // Our current token, one we may still hold after a loss, or one whose acquisition went unanswered.
    const tokens = [this.token, this.tried].filter((x): x is string => Boolean(x));
    this.isHeld = false;
    this.token = this.tried = undefined;
    for (const token of tokens)
      await this.call(runScript(this.opts.redis, RELEASE, [this.opts.key], [token])).catch(this.err);
  }

  private readonly err = (err: unknown): void => this.opts.onError?.(err);

  /** Run a callback; one that throws is reported, and never stops the renewals or the retries. */
  private tell(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.err(err);
    }
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.busy = this.tick()
        .catch(this.err)
        .finally(() => (this.busy = undefined));
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    if (this.isHeld) await this.renew();
    else await this.acquire();
  }

  private async acquire(): Promise<void> {
    const epoch = this.epoch;
    const token = `${this.owner}:${randomUUID()}`;
    const sentAt = this.monotonic();
    const { ttlMs, retryEveryMs, renewEveryMs } = this.timings;
    let fence: number;
    try {
      const args = [token, this.token ?? '', ttlMs, this.tried ?? ''];
      fence = Number(await this.call(runScript(this.opts.redis, ACQUIRE, [this.opts.key, this.opts.fenceKey], args)));
    } catch (err) {
      this.err(err);
      this.tried = token;
      return this.schedule(retryEveryMs);
    }
    this.tried = undefined;
    if (epoch !== this.epoch || !this.running) {
      // Stopped while the call was out: give back what it may have taken.
      if (fence > 0) await this.call(runScript(this.opts.redis, RELEASE, [this.opts.key], [token])).catch(this.err);
      return;
    }
    if (fence <= 0) return this.schedule(retryEveryMs);
    this.token = token;
    this.isHeld = true;
    this.fenceValue = fence;
    this.confirmed(sentAt);
    this.tell(() => this.opts.onAcquired?.(fence));
    if (this.isHeld) this.schedule(renewEveryMs);
  }

  private async renew(): Promise<void> {
    const epoch = this.epoch;
    const sentAt = this.monotonic();
    const { ttlMs, renewEveryMs } = this.timings;
    let res: number;
    try {
      res = Number(await this.call(runScript(this.opts.redis, RENEW, [this.opts.key], [this.token!, ttlMs])));
    } catch (err) {
      this.err(err);
      // Not confirmed: still ours until the deadline (which gives it up if no renewal gets through); retry soon.
      if (epoch === this.epoch) this.schedule(Math.max(50, Math.floor(renewEveryMs / 3)));
      return;
    }
    if (epoch !== this.epoch || !this.running) return;
    if (res !== 1) return this.lose(res === 0 ? 'expired' : 'taken');
    this.confirmed(sentAt);
    this.schedule(renewEveryMs);
  }

  /**
   * Redis confirmed a write sent at `sentAt`: the key lives at least until `sentAt + ttl` (Redis started the TTL
   * later). Give the lease up `safetyMs` before that unless another renewal is confirmed meanwhile; this timer is
   * independent of calls in flight, so a hung call never delays the loss.
   */
  private confirmed(sentAt: number): void {
    this.validUntil = sentAt + this.timings.ttlMs - this.timings.safetyMs;
    clearTimeout(this.deadline);
    this.deadline = setTimeout(
      () => {
        if (this.isHeld && this.running) this.lose('unreachable');
      },
      Math.max(0, this.validUntil - this.monotonic()),
    );
    this.deadline.unref();
  }

  private lose(reason: LeaseLoss): void {
    this.epoch++;
    this.isHeld = false;
    this.fenceValue = undefined;
    clearTimeout(this.deadline);
    // The token is kept: if Redis still holds it when we next acquire, the acquire script may reuse the key.
    this.tell(() => this.opts.onLost?.(reason));
    this.schedule(this.timings.retryEveryMs);
  }

  /** A Redis call bounded by `callTimeoutMs` (a connection stuck reconnecting must not stall the lease). */
  private call<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`lease: redis did not answer within ${this.timings.callTimeoutMs} ms`)),
        this.timings.callTimeoutMs,
      );
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}
