import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, RateLimiter, type Claim } from '../../src/outbox/limits.js';
import { useTestRedis } from '../helpers/redis.js';
import { TestClock } from '../helpers/clock.js';

const { redis, keys } = useTestRedis();

/**
 * Replays the worker's scheduling on simulated time: a job that is refused waits exactly the time the limiter
 * asks for, then tries again; nothing is ever dropped. Returns the simulated send times.
 */
async function drain(limiter: RateLimiter, clock: TestClock, jobs: { claims: Claim[] }[]): Promise<number[]> {
  const pending = jobs.map((j, i) => ({ ...j, i, at: clock.time }));
  const sent: number[] = [];
  let rounds = 0;
  while (pending.length) {
    if (++rounds > 10_000) throw new Error('no progress');
    pending.sort((a, b) => a.at - b.at || a.i - b.i);
    const job = pending.shift()!;
    clock.set(job.at);
    const r = await limiter.acquire(job.claims);
    if (r.ok) sent.push(job.at);
    else {
      expect(r.waitMs).toBeGreaterThan(0);
      pending.push({ ...job, at: job.at + r.waitMs });
    }
  }
  return sent;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('per-target rate limits', () => {
  it('spreads a burst of 50 to one webhook over three minutes of simulated time, dropping none', async () => {
    const clock = new TestClock();
    const start = clock.time;
    const limiter = new RateLimiter(redis, keys, clock);
    const claims = [{ target: 'webhook:burst', windows: DEFAULT_LIMITS.webhook }];
    const sent = await drain(
      limiter,
      clock,
      Array.from({ length: 50 }, () => ({ claims })),
    );
    expect(sent).toHaveLength(50);
    expect(maxInAnyWindow(sent, 60_000)).toBeLessThanOrEqual(20);
    // Minute one takes the first 20 at once, minute two the next 20, minute three the last 10.
    expect(sent.filter((t) => t < start + 60_000)).toHaveLength(20);
    expect(sent.filter((t) => t >= start + 60_000 && t < start + 120_000)).toHaveLength(20);
    expect(sent.filter((t) => t >= start + 120_000 && t < start + 180_000)).toHaveLength(10);
  });

  it('holds every window of a target at once (a member has a minute and an hour limit)', async () => {
    expect(DEFAULT_LIMITS.user).toEqual([
      { max: 30, windowMs: 60_000 },
      { max: 1000, windowMs: 3_600_000 },
    ]);
    // The same two-window shape, scaled down so the replay stays short: 3 a minute and 10 in ten minutes.
    const clock = new TestClock();
    const limiter = new RateLimiter(redis, keys, clock);
    const windows = [
      { max: 3, windowMs: 60_000 },
      { max: 10, windowMs: 600_000 },
    ];
    const sent = await drain(
      limiter,
      clock,
      Array.from({ length: 25 }, () => ({ claims: [{ target: 'user:two-windows', windows }] })),
    );
    expect(sent).toHaveLength(25);
    expect(maxInAnyWindow(sent, 60_000)).toBeLessThanOrEqual(3);
    expect(maxInAnyWindow(sent, 600_000)).toBeLessThanOrEqual(10);
    expect(maxInAnyWindow(sent, 600_000)).toBe(10);
  });

  it('takes all of a message’s slots or none: a full member gives the app slot back', async () => {
    const clock = new TestClock();
    const limiter = new RateLimiter(redis, keys, clock);
    const app = { target: 'app-giveback', windows: [{ max: 100, windowMs: 60_000 }] };
    const full = { target: 'user:full', windows: [{ max: 1, windowMs: 60_000 }] };
    expect((await limiter.acquire([full])).ok).toBe(true);
    const refused = await limiter.acquire([
      app,
      full,
      { target: 'user:free', windows: [{ max: 1, windowMs: 60_000 }] },
    ]);
    expect(refused).toMatchObject({ ok: false, target: 'user:full' });
    expect(await redis.zcard(keys.rateBucket('app-giveback'))).toBe(0);
    expect(await redis.zcard(keys.rateBucket('user:free'))).toBe(0);
    // After the window (plus the safety margin) the member has room again.
    clock.advance(refused.ok ? 0 : refused.waitMs);
    expect((await limiter.acquire([app, full])).ok).toBe(true);
  });

  it('is shared by instances: two limiters on one Redis count together', async () => {
    const clock = new TestClock();
    const a = new RateLimiter(redis, keys, clock);
    const b = new RateLimiter(redis, keys, clock);
    const claims = [{ target: 'webhook:shared', windows: DEFAULT_LIMITS.webhook }];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).acquire(claims)));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
  });

  it('counts an image to a member as two app calls', async () => {
    const clock = new TestClock();
    const limiter = new RateLimiter(redis, keys, clock);
    const app = [{ max: 3, windowMs: 60_000 }];
    expect((await limiter.acquire([{ target: 'app-cost', windows: app, cost: 2 }])).ok).toBe(true);
    expect((await limiter.acquire([{ target: 'app-cost', windows: app, cost: 2 }])).ok).toBe(false);
    expect((await limiter.acquire([{ target: 'app-cost', windows: app, cost: 1 }])).ok).toBe(true);
  });
});
