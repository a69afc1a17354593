/**
 * Dashboard sessions. Signing in (OAuth inside WeCom, or WeCom's web login at a PC) ends in a session: a
 * random id (32 bytes) in an HttpOnly, SameSite=Lax cookie (Secure when PUBLIC_URL is https), and in Redis
 * under the SHA-256 of the id, holding the userid and when it was last used. A session unused for the
 * policy's `dashboard.sessionIdleMinutes` (on the injected clock) is refused and deleted; each use starts the
 * count again. Redis expires the key a minute after the idle time as well, so nothing is left behind. Signing
 * out deletes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Clock } from '../core/clock.js';
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

export const SESSION_COOKIE = 'zhucun_dash';
/** A session id as issued: 32 random bytes, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

interface Stored {
  userid: string;
  /** When it was signed in and last used (ms). */
  since: number;
  seen: number;
}

export interface SessionOptions {
  redis: RedisClient;
  keys: Keys;
  clock: Clock;
  /** The idle timeout in force (minutes): the policy's `dashboard.sessionIdleMinutes`. */
  idleMinutes: () => number;
  /** Set the cookie `Secure` (PUBLIC_URL is https). */
  secure: boolean;
}

const hashOf = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

export class DashSessions {
  constructor(private readonly o: SessionOptions) {}

  private key(id: string): string {
    return this.o.keys.dashSession(hashOf(id));
  }

  private ttlS(): number {
    return this.o.idleMinutes() * 60 + 60;
  }

  /**
   * Start a session for `userid` and set its cookie on the response. A session this browser held before ends:
   * each sign-in gets a new id, so an id known before signing in is worth nothing after.
   */
  async start(ctx: Context, userid: string): Promise<void> {
    const before = ctx.cookies.get(SESSION_COOKIE);
    if (before && SESSION_ID.test(before)) await this.o.redis.del(this.key(before));
    const id = randomBytes(32).toString('base64url');
    const now = this.o.clock.now().getTime();
    const stored: Stored = { userid, since: now, seen: now };
    await this.o.redis.set(this.key(id), JSON.stringify(stored), 'EX', this.ttlS());
    ctx.append('Set-Cookie', this.cookie(id));
  }

  /**
   * The userid of the request's session, or undefined when it has none, an unknown one or one idle too long
   * (deleted then). A session in use is kept alive. A Redis failure throws (the caller answers 503).
   */
  async userOf(ctx: Context): Promise<string | undefined> {
    const id = ctx.cookies.get(SESSION_COOKIE);
    if (!id || !SESSION_ID.test(id)) return undefined;
    const key = this.key(id);
    const raw = await this.o.redis.get(key);
    const stored = raw === null ? undefined : parse(raw);
    if (!stored) return undefined;
    const now = this.o.clock.now().getTime();
    if (now - stored.seen > this.o.idleMinutes() * 60_000) {
      await this.o.redis.del(key);
      return undefined;
    }
    await this.o.redis.set(key, JSON.stringify({ ...stored, seen: now }), 'EX', this.ttlS(), 'XX');
    return stored.userid;
  }

  /** End the request's session (if any) and clear its cookie. */
  async end(ctx: Context): Promise<void> {
    const id = ctx.cookies.get(SESSION_COOKIE);
    if (id && SESSION_ID.test(id)) await this.o.redis.del(this.key(id));
    ctx.append('Set-Cookie', this.cookie('', 0));
  }

  private cookie(value: string, maxAge?: number): string {
    const age = maxAge === undefined ? '' : `; Max-Age=${maxAge}`;
    // Lax: sent on the top-level navigation back from WeCom's sign-in, never on another site's sub-requests.
    return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${age}${this.o.secure ? '; Secure' : ''}`;
  }
}

function parse(raw: string): Stored | undefined {
  try {
    const v = JSON.parse(raw) as Partial<Stored>;
    return typeof v.userid === 'string' && typeof v.seen === 'number' && typeof v.since === 'number'
      ? (v as Stored)
      : undefined;
  } catch {
    return undefined;
  }
}
