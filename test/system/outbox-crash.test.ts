import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { startFakeWecom } from '../../src/fakewecom/server.js';
import { jobIdFor } from '../../src/outbox/jobid.js';
import { Outbox, QUEUE_NAME } from '../../src/outbox/outbox.js';
import { silentLogger } from '../../src/log.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys, url } = useTestRedis();
const fake = await startFakeWecom();
const producer = new Outbox({ redis, keys, log: silentLogger });
const eventsConn = new Redis(url, { maxRetriesPerRequest: null });
const events = new QueueEvents(QUEUE_NAME, { connection: eventsConn, prefix: keys.queuePrefix() });
await events.waitUntilReady();
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await producer.close();
  await events.close();
  eventsConn.disconnect();
  await fake.stop();
});

const script = fileURLToPath(new URL('./fixtures/outbox-worker.ts', import.meta.url));

/** Start a sending process and wait for its "ready" line. */
async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env,
      REDIS_URL: url,
      ZC_NS: keys.ns,
      FAKE_URL: fake.url,
      CORP_ID: fake.corpId,
      AGENT_ID: fake.agentId,
      SECRET: fake.secret,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
  });
  return child;
}

describe('a sending process killed mid-job', () => {
  it('loses no message and sends none twice after a restart', async () => {
    const messages: Outbound[] = Array.from({ length: 6 }, (_, i) => ({
      key: `crash:${i}`,
      purpose: 'reminder',
      to: { kind: 'user', userIds: ['zhangsan'] },
      body: { type: 'text', content: `crash:${i}` },
    }));
    await producer.enqueue(messages);
    // The third message/send is held by the fake and never answered: the process is mid-job when it dies.
    fake.inject({ stall: true }, 1, { path: '/cgi-bin/message/send', after: 2 });
    const stalled = fake.waitFor('stall');
    const first = await startWorker();
    await stalled;
    expect(fake.sent()).toHaveLength(2);
    first.kill('SIGKILL');
    await once(first, 'exit');

    await startWorker();
    const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: keys.queuePrefix() });
    try {
      for (const m of messages) {
        const job = await queue.getJob(jobIdFor(m.key));
        expect(await job!.waitUntilFinished(events, 20_000)).toMatchObject({ sent: true });
      }
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
      expect(counts).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 6 });
    } finally {
      await queue.close();
    }
    const delivered = fake.sent().map((d) => (d.payload.text as { content: string }).content);
    expect(delivered.sort()).toEqual(messages.map((m) => m.key).sort());
    // The held request was never processed by the fake; the message went out once, from the second process.
    expect(fake.requests.filter((r) => r.outcome === 'stalled')).toHaveLength(1);
  });
});
