/**
 * The retention job's second part: reports that can no longer change (older than the correction window and the
 * photo window) are packed into the archive of their year (src/reports/archive.ts),
 * which keeps every word of them in a fraction of the memory. Nothing is removed: every reader unpacks them.
 *
 * Finding the work: a cursor SCAN of the `reports` hashes (every master of a cluster), and per hash one small
 * script, pipelined, that counts the reports stored on their own and filed before the limit. Hashes with nothing
 * to pack send back 0.
 */
import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import type { Policy } from '../policy/policy.js';

/** A cadre whose reports hash holds reports to pack. */
export interface ReportsToPack {
  userId: string;
  reports: number;
}

/**
 * The instant before which a report is packed: the correction window and the photo window before `now`, so a
 * report that may still be corrected or get a photo stays on its own; older ones can no longer change. Pure.
 */
export function packBefore(now: Date, reports: Policy['reports']): string {
  return new Date(now.getTime() - reports.editHours * 3_600_000 - reports.photoMinutes * 60_000).toISOString();
}

// KEYS[1]: a cadre's reports hash; ARGV[1]: the limit (ISO). The number of reports on their own filed before it.
const COUNT = `
local n = 0
local all = redis.call('hgetall', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, 1) ~= '~' then
    local at = string.match(all[i + 1], '"createdAt":"([^"]+)"')
    if at and at < ARGV[1] then n = n + 1 end
  end
end
return n`;

const REPORTS_KEY = /^.*:\{u:([^}]+)\}:reports$/;

/** The cadres with reports filed before `before` that are not packed yet, at most `limit` cadres. */
export async function findReportsToPack(
  redis: RedisClient,
  keys: Keys,
  before: string,
  opts: { limit: number; batch?: number },
): Promise<{ cadres: ReportsToPack[]; truncated: boolean }> {
  const nodes: Redis[] = isCluster(redis) ? redis.nodes('master') : [redis];
  const size = opts.batch ?? 100;
  const cadres: ReportsToPack[] = [];
  for (const node of nodes) {
    for await (const batch of node.scanStream({ match: `${keys.ns}:{u:*}:reports`, count: 1000 })) {
      const found = batch as string[];
      for (let i = 0; i < found.length; i += size) {
        const slice = found.slice(i, i + size);
        const pipeline = node.pipeline();
        for (const k of slice) pipeline.eval(COUNT, 1, k, before);
        const answers = (await pipeline.exec()) ?? [];
        answers.forEach(([err, n], j) => {
          if (err) throw err;
          const userId = REPORTS_KEY.exec(slice[j]!)?.[1];
          if (userId && Number(n) > 0) cadres.push({ userId, reports: Number(n) });
        });
        if (cadres.length >= opts.limit) return { cadres: cadres.slice(0, opts.limit), truncated: true };
      }
    }
  }
  return { cadres, truncated: false };
}
