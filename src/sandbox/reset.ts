/**
 * "重置示例数据": forget everything the sandbox's people did (attendance, leave, reports, announcements, job
 * runs, conversations) so the history can be seeded afresh. What is not domain data stays: the roster, the
 * WeCom token and tickets, rate buckets, the simulated clock, the page's change counter, the store marker and
 * the schema version (the history seeded again is written by this code). The outbox loses its waiting and
 * finished jobs through BullMQ's own API, so that numbers handed out again (Q1001 …) are not taken for messages
 * already sent.
 */
import { Queue } from 'bullmq';
import { QUEUE_NAME } from '../outbox/outbox.js';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';

/** Keys (by prefix) a reset keeps. */
function kept(keys: Keys): string[] {
  const ns = keys.ns;
  return [
    `${ns}:{roster}:`,
    `${keys.queuePrefix()}:`,
    `${ns}:{wecom}:`,
    `${ns}:{rl:`,
    keys.sandboxClock(),
    keys.sandboxVersion(),
    keys.storeKind(),
    keys.schemaVersion(),
  ];
}

/** Every key of this namespace, on every master of a cluster. */
async function namespaceKeys(redis: RedisClient, ns: string): Promise<string[]> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  const out: string[] = [];
  for (const node of nodes) {
    for await (const batch of node.scanStream({ match: `${ns}:{*`, count: 1000 })) out.push(...(batch as string[]));
  }
  return out;
}

/** Drop the outbox's waiting, delayed, finished and failed jobs (a message being sent right now finishes). */
async function clearOutbox(redis: RedisClient, keys: Keys): Promise<void> {
  // A connection of its own, as the outbox's queue has: BullMQ's scripts would otherwise stay defined on the
  // shared client and weigh on every pipeline it makes.
  const connection = redis.duplicate();
  const queue = new Queue(QUEUE_NAME, { connection, prefix: keys.queuePrefix() });
  try {
    await queue.drain(true);
    await queue.clean(0, 0, 'completed');
    await queue.clean(0, 0, 'failed');
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** Wipe the namespace's domain data; returns how many keys went. */
export async function wipeDomainData(redis: RedisClient, keys: Keys): Promise<number> {
  await clearOutbox(redis, keys);
  const keep = kept(keys);
  const doomed = (await namespaceKeys(redis, keys.ns)).filter((k) => !keep.some((p) => k === p || k.startsWith(p)));
  // One key per command: on a cluster the keys live in different slots.
  for (let i = 0; i < doomed.length; i += 200) await Promise.all(doomed.slice(i, i + 200).map((k) => redis.unlink(k)));
  await redis.incr(keys.sandboxVersion());
  return doomed.length;
}
