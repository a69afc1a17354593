/** Whether bot instances are sending from a namespace: `zhucun restore` refuses to load under a running bot. */
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { QUEUE_NAME } from './outbox.js';

/**
 * How many outbox workers (running bot instances that send) are connected to this namespace's queue; null when
 * the Redis service does not list its clients (some managed services refuse CLIENT LIST). BullMQ names a
 * worker's connection `<prefix>:<base64 queue name>` (`…:w:<name>` for a named worker), as its own
 * `Queue.getWorkers` matches them; a Queue object is not used here because creating one writes to the queue.
 */
export async function liveWorkers(redis: RedisClient, keys: Keys): Promise<number | null> {
  const base = `${keys.queuePrefix()}:${Buffer.from(QUEUE_NAME).toString('base64')}`;
  const isWorker = (name: string) => name === base || name.startsWith(`${base}:w:`);
  let most = 0;
  try {
    for (const node of isCluster(redis) ? redis.nodes('master') : [redis]) {
      const list = String(await node.client('LIST'));
      const names = list.split(/\r?\n/).map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '');
      most = Math.max(most, names.filter(isWorker).length);
    }
  } catch {
    return null;
  }
  return most;
}
