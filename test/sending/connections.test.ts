import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { useTestRedis } from '../helpers/redis.js';

const { url, keys } = useTestRedis();
// A client of this file's own, as the app's: what the outbox defines on it is visible on its pipelines.
const shared = new Redis(url, { enableAutoPipelining: true });
afterAll(() => shared.disconnect());

/** The commands a pipeline of `client` carries: the client copies every command defined on it onto each one. */
const pipelineSize = (client: Redis) => Object.keys(client.pipeline()).length;

describe('the outbox and the shared client', () => {
  it('queues through a connection of its own, so the shared client’s pipelines stay as light as before', async () => {
    const before = pipelineSize(shared);
    const outbox = new Outbox({ redis: shared, keys, log: silentLogger });
    try {
      // Queueing runs BullMQ's scripts, which it defines on the connection it was given.
      await outbox.enqueue([
        {
          key: 'conn:1',
          to: { kind: 'user', userIds: ['u1'] },
          body: { type: 'text', content: '测试' },
          purpose: 'test',
        },
      ]);
      expect(await outbox.queue.count()).toBe(1);
      expect(pipelineSize(shared)).toBe(before);
    } finally {
      await outbox.close();
    }
  });
});
