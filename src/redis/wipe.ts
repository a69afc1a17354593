/** Emptying a namespace: `zhucun store wipe` and `zhucun restore --replace`. */
import { isCluster, type RedisClient } from './client.js';

/** Delete every key of the namespace, on every master of a cluster; returns how many went. */
export async function wipeNamespace(redis: RedisClient, ns: string): Promise<number> {
  let n = 0;
  for (const node of isCluster(redis) ? redis.nodes('master') : [redis]) {
    for await (const batch of node.scanStream({ match: `${ns}:{*`, count: 1000 })) {
      // One key per command: on a cluster the keys live in different slots.
      await Promise.all((batch as string[]).map((k) => redis.unlink(k)));
      n += (batch as string[]).length;
    }
  }
  return n;
}
