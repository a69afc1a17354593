import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { jobIdFor, keyOfJobId } from '../../src/outbox/jobid.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys } = useTestRedis();
const queue = new Queue('jobid-check', { connection: redis, prefix: keys.queuePrefix() });
afterAll(() => queue.close());

const samples = [
  'digest:township-3:2026-11-18',
  'approval:Q1024:lisi',
  '123',
  '-5',
  '0',
  '12:34',
  '100%:done',
  'plain-key',
  'a:b:c',
];

describe('job ids from idempotency keys', () => {
  it('round-trips every key and keeps plain keys readable', () => {
    for (const key of samples) expect(keyOfJobId(jobIdFor(key))).toBe(key);
    expect(jobIdFor('plain-key')).toBe('plain-key');
    expect(jobIdFor('digest:township-3:2026-11-18')).toBe('digest%3Atownship-3%3A2026-11-18');
  });

  it('never collides for different keys', () => {
    const ids = new Set(samples.map(jobIdFor));
    expect(ids.size).toBe(samples.length);
    expect(jobIdFor('%3A')).not.toBe(jobIdFor(':'));
  });

  it('gives ids BullMQ 5 accepts as custom job ids, and the same key twice makes one job', async () => {
    for (const key of samples) {
      const job = await queue.add('check', { key }, { jobId: jobIdFor(key) });
      expect(job.id).toBe(jobIdFor(key));
    }
    await queue.add('check', { key: samples[0] }, { jobId: jobIdFor(samples[0]!) });
    expect(await queue.count()).toBe(samples.length);
  });
});
