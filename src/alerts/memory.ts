/**
 * Redis memory as the ops-watch job sees it: `INFO memory` of the server (each master of a cluster). The share
 * is of `maxmemory` when one is set. With none (0, the default and the embedded server's setting) Redis grows
 * until the machine runs out, so the share is of the machine's memory as Redis reports it
 * (`total_system_memory`); when Redis reports neither, there is nothing to compare with and no reading.
 */
import { isCluster, type RedisClient } from '../redis/client.js';
import { redisMemory } from '../../templates/alerts.js';
import type { Alert } from './alert.js';

export interface MemoryReading {
  /** `host:port` of the server. */
  node: string;
  used: number;
  limit: number;
  basis: 'maxmemory' | 'system';
  /** used ÷ limit, in whole percent (rounded down, so a reading at the threshold is not over it by rounding). */
  percent: number;
}

/** The fields of an `INFO` answer. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

/** The reading of one server's `INFO memory`, or null when there is no limit to compare with. Pure. */
export function memoryUse(node: string, info: Record<string, string>): MemoryReading | null {
  const used = Number(info.used_memory ?? 0);
  const max = Number(info.maxmemory ?? 0);
  const system = Number(info.total_system_memory ?? 0);
  const [limit, basis] = max > 0 ? [max, 'maxmemory' as const] : [system, 'system' as const];
  if (!(limit > 0) || !Number.isFinite(used)) return null;
  return { node, used, limit, basis, percent: Math.floor((used / limit) * 100) };
}

/** Read every server holding the bot's data (each master of a cluster). */
export async function readMemory(redis: RedisClient): Promise<MemoryReading[]> {
  const servers = isCluster(redis)
    ? redis.nodes('master').map((n) => ({ node: `${n.options.host}:${n.options.port}`, info: () => n.info('memory') }))
    : [
        {
          node: `${redis.options.host ?? 'localhost'}:${redis.options.port ?? 6379}`,
          info: () => redis.info('memory'),
        },
      ];
  const out: MemoryReading[] = [];
  for (const s of servers) {
    const reading = memoryUse(s.node, parseInfo(await s.info()));
    if (reading) out.push(reading);
  }
  return out;
}

/** The alert of a server above the policy's share; one alert per server. */
export function memoryAlert(r: MemoryReading, threshold: number): Alert {
  return { kind: 'redis-memory', key: r.node, ...redisMemory({ ...r, threshold }) };
}
