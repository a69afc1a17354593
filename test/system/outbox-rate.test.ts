import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { SECOND, TestClock } from '../helpers/clock.js';
import { useTestRedis } from '../helpers/redis.js';
import { startRig } from './fixtures/outbox-rig.js';

const { redis, keys, url } = useTestRedis();
// The limiter and the fake WeCom (which enforces its own 20/min per robot, answering 45009 when it is exceeded)
// share a clock that stands still until the test moves it, so what is sent when never depends on the machine's
// load. With clock rate 1 a job the limiter holds back waits in BullMQ's delayed set for the simulated wait;
// the test moves the clock and promotes the delayed jobs instead of waiting for real time to pass.
const clock = new TestClock();
const rig = await startRig({ redis, url, keys, clock, timeoutMs: 2000, outbox: { concurrency: 8 } });
afterAll(() => rig.close());

/** Resolve once no job is waiting or running: each one is finished or delayed by the limiter. */
async function settled(): Promise<void> {
  await vi.waitFor(
    async () => {
      const c = await rig.outbox.queue.getJobCounts('waiting', 'active', 'prioritized');
      expect(c.waiting + c.active + c.prioritized).toBe(0);
    },
    { timeout: 30_000, interval: 10 },
  );
}

/** Run the worker on the test clock, `step` at a time, until no job is left delayed (a bound keeps it finite). */
async function runUntilDrained(step: number, maxSteps: number): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    await settled();
    if ((await rig.outbox.queue.getJobCounts('delayed')).delayed === 0) return;
    clock.advance(step);
    await rig.outbox.queue.promoteJobs();
  }
  throw new Error(`jobs still delayed after ${maxSteps} steps of the clock`);
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

describe('rate limits with the real worker', () => {
  it('spreads a burst of 50 to one webhook over three simulated minutes, delaying and never dropping', async () => {
    const messages: Outbound[] = Array.from({ length: 50 }, (_, i) => ({
      key: `burst:${i}`,
      purpose: 'reminder',
      to: { kind: 'webhook', keyEnv: 'WEBHOOK_T1' },
      body: { type: 'text', content: `burst:${i}` },
    }));
    await rig.outbox.enqueue(messages);
    await runUntilDrained(5 * SECOND, 100);
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
