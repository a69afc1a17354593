/**
 * The migration lock: a Redis SET NX PX holding a random token, renewed while the holder runs and released by
 * compare-and-delete, so an instance never deletes a lock that expired and was taken by another. A holder that
 * dies stops renewing and the lock lapses after `ttlMs`; a holder that lost it (stalled past `ttlMs`) finds
 * out at its next write, which checks the token in the same script (`setIfHeld`).
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../redis/client.js';
import { SchemaError } from './version.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const SET_IF_HELD = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[2], ARGV[2]) return 1 end return 0`;

export interface LockOptions {
  /** How long the lock lives without renewal; renewed every third of it. */
  ttlMs: number;
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /** Called once when the lock is found held, with the holder's token (it names the host and pid). */
  onWait?: (holder: string) => void;
}

export class HeldLock {
  private timer?: NodeJS.Timeout;
  private lost = false;

  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
    readonly token: string,
    ttlMs: number,
  ) {
    this.timer = setInterval(
      () => {
        void this.redis
          .eval(RENEW, 1, key, token, String(ttlMs))
          .then((r) => {
            if (Number(r) !== 1) this.lost = true;
          })
          .catch(() => {
            // A failed renewal is not yet a lost lock: the next write checks the token anyway.
          });
      },
      Math.max(50, Math.floor(ttlMs / 3)),
    );
    this.timer.unref();
  }

  /** SET `key` to `value` only while this lock is still held (both keys in one hash slot); false otherwise. */
  async setIfHeld(key: string, value: string): Promise<boolean> {
    if (this.lost) return false;
    return Number(await this.redis.eval(SET_IF_HELD, 2, this.key, key, this.token, value)) === 1;
  }

  /** Stop renewing and delete the lock if it is still ours. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}

/** Take the lock, waiting while another instance holds it; throws after `waitMs`. */
export async function acquireLock(
  redis: RedisClient,
  key: string,
  owner: string,
  opts: LockOptions,
): Promise<HeldLock> {
  const token = `${owner}:${randomUUID()}`;
  const deadline = Date.now() + opts.waitMs;
  let told = false;
  for (;;) {
    if ((await redis.set(key, token, 'PX', opts.ttlMs, 'NX')) === 'OK')
      return new HeldLock(redis, key, token, opts.ttlMs);
    const holder = await redis.get(key);
    if (!told && holder !== null) {
      told = true;
      opts.onWait?.(holder);
    }
    if (Date.now() >= deadline)
      throw new SchemaError(
        `another instance (${holder ?? 'unknown'}) still holds the migration lock ${key} after ` +
          `${Math.ceil(opts.waitMs / 1000)} s: wait for it to finish, or if it died, for the lock to lapse`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
