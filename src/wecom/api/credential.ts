/**
 * A credential WeCom hands out with an expiry (the access_token, the JS-SDK tickets), cached in Redis so that
 * every instance uses the same one. WeCom intercepts frequent `gettoken` calls [D:91039], so refreshing is
 * single-flight across instances: one instance takes a short Redis lock and fetches; the others keep using the
 * old value while it is still valid, or poll the cache briefly (bounded) until the new one appears.
 *
 * The cached value is sealed (`seal.ts`): a Redis reader learns no token. A value that does not open (another
 * secret, tampered with, or written in plain text by an older version) is treated as missing and fetched again.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { RedisClient } from '../../redis/client.js';
import { WecomHttpError } from './errors.js';
import type { CredentialSeal } from './seal.js';

export interface Fetched {
  value: string;
  expiresInS: number;
}

interface Cached {
  value: string;
  /** Clock ms after which the value is refreshed (ahead of WeCom's expiry). */
  refreshAt: number;
  /** Clock ms at which WeCom stops accepting it. */
  expiresAt: number;
}

export interface CredentialOptions {
  redis: RedisClient;
  clock: Clock;
  cacheKey: string;
  lockKey: string;
  /** What the credential is, for errors ("access_token", "jsapi_ticket"). */
  name: string;
  fetch: () => Promise<Fetched>;
  /** Encryption of the cached value (key from the app secret), shared by every instance. */
  seal: CredentialSeal;
  /** How long a waiter polls for another instance's refresh before giving up (real ms). */
  waitMs: number;
}

const POLL_MS = 50;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class SharedCredential {
  constructor(private readonly opts: CredentialOptions) {}

  /** The cached value while it is fresh; otherwise a refreshed one. */
  async get(): Promise<string> {
    const cached = await this.read();
    if (cached && this.opts.clock.now().getTime() < cached.refreshAt) return cached.value;
    return this.refresh();
  }

  /**
   * Fetch a new value unless another instance already did. `stale` is a value WeCom just refused (40014/42001):
   * a cached value equal to it is never returned, so a refused token is replaced exactly once.
   */
  async refresh(stale?: string): Promise<string> {
    const { redis, lockKey, waitMs } = this.opts;
    const owner = randomUUID();
    const deadline = Date.now() + waitMs;
    for (;;) {
      const cached = await this.read();
      const now = this.opts.clock.now().getTime();
      if (cached && cached.value !== stale && now < cached.refreshAt) return cached.value;
      if ((await redis.set(lockKey, owner, 'PX', waitMs + 1000, 'NX')) === 'OK') {
        try {
          return await this.fetchAndStore(stale);
        } finally {
          await redis.eval(RELEASE, 1, lockKey, owner);
        }
      }
      // Someone else is refreshing: a value that is due for refresh but not yet expired is still good.
      if (cached && cached.value !== stale && now < cached.expiresAt) return cached.value;
      if (Date.now() >= deadline) {
        throw new WecomHttpError(this.opts.name, 'timeout', 'another instance is still refreshing it');
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /**
   * Store a value fetched elsewhere (the start-up configuration check) or just now. `previous` is the value
   * cached before: WeCom answers an early refresh with the same token for its remaining life ("有效期内重复获取
   * 返回相同结果" [D:91039]), and refreshing that again early would only repeat the call, so it is kept to the end.
   */
  async store(fetched: Fetched, previous?: string): Promise<void> {
    const now = this.opts.clock.now().getTime();
    const lifeMs = fetched.expiresInS * 1000;
    // Refresh a quarter of the lifetime early, at most five minutes early (7200 s tokens renew at 6900 s).
    const margin = fetched.value === previous ? 0 : Math.min(300_000, lifeMs / 4);
    const value: Cached = { value: fetched.value, refreshAt: now + lifeMs - margin, expiresAt: now + lifeMs };
    const sealed = this.opts.seal.seal(JSON.stringify(value), this.opts.cacheKey);
    await this.opts.redis.set(this.opts.cacheKey, sealed, 'PX', Math.max(1000, Math.round(lifeMs)));
  }

  private async fetchAndStore(stale?: string): Promise<string> {
    // Double check under the lock: the previous holder may have stored a fresh value just now.
    const cached = await this.read();
    if (cached && cached.value !== stale && this.opts.clock.now().getTime() < cached.refreshAt) return cached.value;
    const fetched = await this.opts.fetch();
    await this.store(fetched, cached?.value);
    return fetched.value;
  }

  private async read(): Promise<Cached | null> {
    const raw = await this.opts.redis.get(this.opts.cacheKey);
    const plain = raw === null ? null : this.opts.seal.open(raw, this.opts.cacheKey);
    if (plain === null) return null;
    try {
      const cached = JSON.parse(plain) as Cached;
      return typeof cached.value === 'string' ? cached : null;
    } catch {
      return null;
    }
  }
}
