/**
 * Version 4: every cadre's approved-leave index (src/leave/day-index.ts), built from their stored requests (the
 * packed archive included), so the county-wide figures read it instead of the requests and give the same
 * answers as before the upgrade. Additive: the requests are left as they are. Each cadre's index is replaced
 * whole in one transaction (its keys share the cadre's slot), so a step run again after a crash rewrites it.
 *
 * The previous release does not keep the index: a leave decided by it after this step is missing from the
 * figures of this one. This release already needs every instance of the previous one stopped (packed records);
 * running `zhucun migrate` again would rebuild the index.
 */
import type { Redis } from 'ioredis';
import { indexOfRequests } from '../../leave/day-index.js';
import { requestsOfHash } from '../../leave/repo.js';
import { isCluster, type RedisClient } from '../../redis/client.js';
import type { Keys } from '../../redis/keys.js';
import { newVersionToken } from '../../redis/version-token.js';
import type { MigrationStep } from '../step.js';

const LEAVES_KEY = /^.*:\{u:([^}]+)\}:leaves$/;
const LEAVE_DAYS_KEY = /^.*:\{u:([^}]+)\}:leavedays$/;

/** Rebuild the approved-leave index of every cadre with stored requests; returns how many cadres have entries. */
export async function rebuildLeaveDays(redis: RedisClient, keys: Keys): Promise<number> {
  const nodes: Redis[] = isCluster(redis) ? redis.nodes('master') : [redis];
  let written = 0;
  for (const node of nodes) {
    for await (const batch of node.scanStream({ match: `${keys.ns}:{u:*}:leaves`, count: 1000 })) {
      for (const key of batch as string[]) {
        const userId = LEAVES_KEY.exec(key)?.[1];
        if (!userId) continue;
        const index = indexOfRequests(requestsOfHash(await redis.hgetall(key)));
        const target = keys.leaveDays(userId);
        const multi = redis.multi().del(target);
        if (index.size) multi.hset(target, ...[...index].flat());
        const replies = (await multi.exec()) ?? [];
        for (const [err] of replies) if (err) throw err;
        if (index.size) written += 1;
      }
    }
    // An index without requests (written by hand, or left by a restore over other data) is no one's leave.
    for await (const batch of node.scanStream({ match: `${keys.ns}:{u:*}:leavedays`, count: 1000 })) {
      for (const key of batch as string[]) {
        const userId = LEAVE_DAYS_KEY.exec(key)?.[1];
        if (userId && !(await redis.exists(keys.leaves(userId)))) await redis.del(key);
      }
    }
  }
  // Every index may have changed: a process reads them all again (src/attendance/bulk-read.ts).
  await redis.set(keys.leaveVersion(), newVersionToken());
  return written;
}

export const leaveDays: MigrationStep = {
  version: 4,
  name: 'approved-leave index from the stored requests',
  minReader: 0,
  async run(redis, keys, log) {
    log.info({ cadres: await rebuildLeaveDays(redis, keys) }, 'approved-leave index built');
  },
};
