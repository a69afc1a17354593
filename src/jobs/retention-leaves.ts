/**
 * The retention job's third part: leave requests that have ended (refused, withdrawn, or reported back from) and
 * whose last day is before the retention cutoff are packed into the archive field of the cadre's leaves hash
 * (src/leave/repo.ts). Nothing is removed: every reader unpacks them.
 *
 * Finding the work: a cursor SCAN of the `leaves` hashes (every master of a cluster), and per hash one small
 * script, pipelined, that counts the requests stored on their own whose last day is before the cutoff; the repo
 * then packs those that have ended. Hashes with nothing to pack send back 0.
 */
import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { LEAVE_ARCHIVE } from '../leave/repo.js';

// KEYS[1]: a cadre's leaves hash; ARGV[1]: the cutoff (a date). Requests on their own that the repo packs:
// ended (as `leaveEnded` says) before the cutoff. Counting others would keep a cadre on the list for ever.
const COUNT = `
local n = 0
local all = redis.call('hgetall', KEYS[1])
for i = 1, #all, 2 do
  if all[i] ~= '${LEAVE_ARCHIVE}' then
    local r = cjson.decode(all[i + 1])
    local ended = r.status == 'rejected' or r.status == 'withdrawn'
      or (r.status == 'approved' and type(r.returnedAt) == 'string')
    if ended and type(r['end']) == 'string' and r['end'] < ARGV[1] then n = n + 1 end
  end
end
return n`;

const LEAVES_KEY = /^.*:\{u:([^}]+)\}:leaves$/;

/** The cadres whose leaves hash holds requests on their own ending before `cutoff`, at most `limit` cadres. */
export async function findLeavesToPack(
  redis: RedisClient,
  keys: Keys,
  cutoff: string,
  opts: { limit: number; batch?: number },
): Promise<{ cadres: string[]; truncated: boolean }> {
  const nodes: Redis[] = isCluster(redis) ? redis.nodes('master') : [redis];
  const size = opts.batch ?? 100;
  const cadres: string[] = [];
  for (const node of nodes) {
    for await (const batch of node.scanStream({ match: `${keys.ns}:{u:*}:leaves`, count: 1000 })) {
      const found = batch as string[];
      for (let i = 0; i < found.length; i += size) {
        const slice = found.slice(i, i + size);
        const pipeline = node.pipeline();
        for (const k of slice) pipeline.eval(COUNT, 1, k, cutoff);
        const answers = (await pipeline.exec()) ?? [];
        answers.forEach(([err, n], j) => {
          if (err) throw err;
          const userId = LEAVES_KEY.exec(slice[j]!)?.[1];
          if (userId && Number(n) > 0) cadres.push(userId);
        });
        if (cadres.length >= opts.limit) return { cadres: cadres.slice(0, opts.limit), truncated: true };
      }
    }
  }
  return { cadres, truncated: false };
}
