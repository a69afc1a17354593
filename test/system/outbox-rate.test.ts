import { afterAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { useTestRedis } from '../helpers/redis.js';
import { FastClock } from '../sending/clocks.js';
import { startRig } from './fixtures/outbox-rig.js';

const { redis, keys, url } = useTestRedis();
// Simulated time runs 20 times faster than real time: three simulated minutes take nine real seconds. The fake
// WeCom runs on the same clock and enforces its own 20/min per robot, answering 45009 when it is exceeded.
const clock = new FastClock(20);
const rig = await startRig({
  redis,
  url,
  keys,
  clock,
  timeoutMs: 2000,
  // A 3 s simulated margin is 150 ms of real time: room for scheduling jitter between the limiter and the fake.
  outbox: { clockRate: clock.rate, rateMarginMs: 3000, concurrency: 8 },
});
afterAll(() => rig.close());

function maxInAnyWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

describe('rate limits with the real worker', () => {
  it('spreads a burst of 50 to one webhook over three simulated minutes, delaying and never dropping', async () => {
    const messages: Outbound[] = Array.from({ length: 50 }, (_, i) => ({
      key: `burst:${i}`,
      purpose: 'reminder',
      to: { kind: 'webhook', keyEnv: 'WEBHOOK_T1' },
      body: { type: 'text', content: `burst:${i}` },
    }));
    await rig.outbox.enqueue(messages);
    for (const m of messages) expect(await rig.finish(m.key)).toMatchObject({ sent: true });

    const delivered = rig.fake.sent('webhook');
    const contents = delivered.map((d) => (d.payload.text as { content: string }).content).sort();
    expect(contents).toEqual(messages.map((m) => m.key).sort());
    // The fake never had to refuse one: the limiter kept the robot within 20 a minute.
    expect(rig.fake.requests.filter((r) => r.response?.errcode === 45009)).toHaveLength(0);
    const times = delivered.map((d) => d.at);
    expect(maxInAnyWindow(times, 60_000)).toBeLessThanOrEqual(20);
    const span = Math.max(...times) - Math.min(...times);
    expect(span).toBeGreaterThanOrEqual(120_000);
    expect(span).toBeLessThan(180_000);
    // Waiting for the limit is not an attempt: every job succeeded on its first.
    for (const m of messages) expect((await rig.job(m.key))!.attemptsMade).toBe(1);
  });
});
