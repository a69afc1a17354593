/**
 * What the retention job removes and how it finds it. A check-in's exact position is any field named like a
 * position (coordinates, accuracy, address text), at any depth; every other field stays, including ones added
 * later (flags, trust), so the figures, digests and sheets read the same record minus the position.
 *
 * Finding the work is cheap for a county: a cursor SCAN of key names (every master of a cluster), then per
 * month hash one small script, pipelined in batches to the master holding it, that returns the days before the
 * packing limit still stored in the month hash, and per year archive its field name, which says whether it holds
 * days that may keep exact positions (src/attendance/ledger-archive.ts). The job packs the days into the cadre's
 * archive of the year, so months already packed send nothing back.
 */
import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { exactFromOf } from '../attendance/ledger-archive.js';

/** Field names that hold an exact position or an address, wherever they occur in a record. */
export const POSITION_FIELDS: readonly string[] = [
  'lat',
  'lng',
  'lon',
  'latitude',
  'longitude',
  'accuracy',
  'accuracyM',
  'precision',
  'precisionM',
  'altitude',
  'altitudeM',
  'label',
  'address',
  'location',
  'point',
  'position',
  'coords',
];
const POSITION = new Set(POSITION_FIELDS);

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);
const isEmptied = (before: unknown, after: unknown) =>
  isObject(before) && Object.keys(before).length > 0 && isObject(after) && Object.keys(after).length === 0;

/** One record with the position fields taken out (at any depth), and which were there. Pure. */
export function reduceRecord<T>(record: T): { record: T; removed: string[] } {
  const removed = new Set<string>();
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, inner] of Object.entries(v)) {
      if (POSITION.has(k)) {
        removed.add(k);
        continue;
      }
      const kept = strip(inner);
      // An object that held only a position (`previous: { lat, lng }`) goes with it.
      if (isEmptied(inner, kept)) continue;
      out[k] = kept;
    }
    return out;
  };
  const reduced = strip(record) as T;
  return removed.size ? { record: reduced, removed: [...removed].sort() } : { record, removed: [] };
}

// KEYS[1]: a month of check-ins; ARGV[1]: the first date not packed. Returns field, value, … of the older days.
const FIND = `
local out = {}
local all = redis.call('hgetall', KEYS[1])
for i = 1, #all, 2 do
  if all[i] < ARGV[1] then
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
return out`;
const MONTH_KEY = /:checkins:(\d{4}-\d{2})$/;
const YEAR_KEY = /:checkins:\d{4}$/;

/** A day before the packing limit still in its month hash. */
export interface FoundDay {
  key: string;
  date: string;
  raw: string;
}

type Node = Redis;

/**
 * Names of the check-in months that may hold days before `before` (a date), and of the year archives, batch by
 * batch, each with the master that holds them (every master of a cluster).
 */
async function* checkinKeys(
  redis: RedisClient,
  keys: Keys,
  before: string,
): AsyncGenerator<{ node: Node; months: string[]; years: string[] }> {
  const nodes = isCluster(redis) ? redis.nodes('master') : [redis];
  const match = `${keys.ns}:{u:*}:checkins:*`;
  const lastMonth = before.slice(0, 7);
  for (const node of nodes) {
    for await (const batch of node.scanStream({ match, count: 1000 })) {
      const found = batch as string[];
      const months = found.filter((k) => {
        const month = MONTH_KEY.exec(k)?.[1];
        return month !== undefined && month <= lastMonth;
      });
      const years = found.filter((k) => YEAR_KEY.test(k));
      if (months.length || years.length) yield { node, months, years };
    }
  }
}

/**
 * The days before `before` still in their month hash, at most `limit` of them (the rest wait for the next run),
 * and the year archives that hold days before `cutoff` that may still have exact positions. Months are asked
 * `batch` at a time, in one pipeline to the master the scan found them on.
 */
export async function findOldDays(
  redis: RedisClient,
  keys: Keys,
  opts: { before: string; cutoff: string; limit: number; batch?: number },
): Promise<{ days: FoundDay[]; archives: string[]; months: number; truncated: boolean }> {
  const days: FoundDay[] = [];
  const archives: string[] = [];
  let months = 0;
  const size = opts.batch ?? 100;
  for await (const batch of checkinKeys(redis, keys, opts.before)) {
    const { node } = batch;
    for (let i = 0; i < batch.years.length; i += size) {
      const slice = batch.years.slice(i, i + size);
      const pipeline = node.pipeline();
      for (const k of slice) pipeline.hkeys(k);
      const answers = (await pipeline.exec()) ?? [];
      answers.forEach(([err, fields], j) => {
        if (err) throw err;
        if ((fields as string[]).some((f) => (exactFromOf(f) ?? opts.cutoff) < opts.cutoff)) archives.push(slice[j]!);
      });
    }
    for (let i = 0; i < batch.months.length; i += size) {
      const slice = batch.months.slice(i, i + size);
      months += slice.length;
      const pipeline = node.pipeline();
      for (const k of slice) pipeline.eval(FIND, 1, k, opts.before);
      const answers = (await pipeline.exec()) ?? [];
      answers.forEach(([err, flat], j) => {
        if (err) throw err;
        const list = flat as string[];
        for (let f = 0; f < list.length; f += 2) days.push({ key: slice[j]!, date: list[f]!, raw: list[f + 1]! });
      });
      if (days.length >= opts.limit) return { days: days.slice(0, opts.limit), archives, months, truncated: true };
    }
  }
  return { days, archives, months, truncated: false };
}
