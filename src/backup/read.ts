/**
 * Reading the namespace into key records, consistently enough for a store under write load.
 *
 * Key names are found with SCAN, which returns every key that exists from the start to the end of the scan
 * (on every master of a cluster). The keys are read in three passes, each scanning afresh:
 *  1. the de-duplication records (`seen`) of updates;
 *  2. the outbox's sent and cancelled markers;
 *  3. everything else.
 * An update writes its data and its `seen` record in one commit (on a cluster, the `seen` record's slot last),
 * so a `seen` record read in pass 1 means the commit happened before pass 3 began, and pass 3 finds and reads all of its data: a snapshot never holds an
 * update's `seen` record without its effects (a retry after a restore would then do nothing and lose it).
 * Every update acknowledged before the backup began is in it, with its `seen` record and its queued messages.
 * An update committed while the backup runs may be in it partly and without its `seen` record, as after a
 * crash; WeCom retries only unacknowledged callbacks.
 *
 * The keys of one hash tag (one person's keys; the whole outbox queue) are read together in one script (up
 * to 500 keys each), so they are seen at one instant, as the writes to them commit. Values are read by type,
 * never with DUMP.
 */
import { Command, type Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { encode, type KeyRecord, type KeyType } from './format.js';
import { isTransient, phaseOf, phasePattern, splitKey, type Phase } from './select.js';

// Every key of KEYS with its type, remaining ms to live and value, read at one instant.
const READ = `
local out = {}
for i, k in ipairs(KEYS) do
  local t = redis.call('type', k).ok
  local v = {}
  if t == 'string' then v = redis.call('get', k)
  elseif t == 'hash' then v = redis.call('hgetall', k)
  elseif t == 'set' then v = redis.call('smembers', k)
  elseif t == 'zset' then v = redis.call('zrange', k, 0, -1, 'withscores')
  elseif t == 'list' then v = redis.call('lrange', k, 0, -1)
  elseif t == 'stream' then v = redis.call('xrange', k, '-', '+')
  end
  out[i] = {t, redis.call('pttl', k), v}
end
return out`;

/** At most this many keys are read by one script, so one huge group never blocks Redis for long. */
const CHUNK = 500;
/** Groups read at the same time. */
const PARALLEL = 16;

type Raw = [Buffer, number, Buffer | Buffer[] | [Buffer, Buffer[]][]];

/**
 * The names of one pass, without the namespace, by the master they were found on (the whole server when it is
 * not a cluster), deduplicated (SCAN may return a key twice).
 */
async function scanNames(redis: RedisClient, keys: Keys, phase: Phase): Promise<Map<Redis, Set<string>>> {
  const found = new Map<Redis, Set<string>>();
  const prefix = `${keys.ns}:`;
  for (const node of isCluster(redis) ? redis.nodes('master') : [redis]) {
    const names = new Set<string>();
    for await (const batch of node.scanStream({ match: phasePattern(keys, phase), count: 1000 })) {
      for (const full of batch as string[]) {
        const rel = full.slice(prefix.length);
        if (phaseOf(rel) === phase && !isTransient(rel)) names.add(rel);
      }
    }
    found.set(node, names);
  }
  return found;
}

const pairs = <T>(flat: T[]): [T, T][] => {
  const out: [T, T][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

/** One key record from what the script returned; null when the key went meanwhile. */
function toRecord(k: string, [typeBuf, pttl, value]: Raw): KeyRecord | null {
  const t = typeBuf.toString() as KeyType | 'none';
  const ttl = pttl > 0 ? { ttl: pttl } : {};
  switch (t) {
    case 'string':
      return { k, t, ...ttl, v: encode(value as Buffer) };
    case 'hash':
      return {
        k,
        t,
        ...ttl,
        v: pairs(value as Buffer[])
          .sort(([a], [b]) => Buffer.compare(a, b))
          .map(([f, v]) => [encode(f), encode(v)]),
      };
    case 'set': // sorted, like a hash's fields, so two snapshots of the same data read the same
      return { k, t, ...ttl, v: [...(value as Buffer[])].sort(Buffer.compare).map(encode) };
    case 'list':
      return { k, t, ...ttl, v: (value as Buffer[]).map(encode) };
    case 'zset':
      return { k, t, ...ttl, v: pairs(value as Buffer[]).map(([m, s]) => [encode(m), s.toString()]) };
    case 'stream':
      return {
        k,
        t,
        ...ttl,
        v: (value as [Buffer, Buffer[]][]).map(([id, fields]) => [id.toString(), fields.map(encode)]),
      };
    default:
      return null;
  }
}

/**
 * Read keys of one hash tag in chunks of one script each, on the master that holds them (a script must stay
 * on one node; the cluster client's automatic pipelining does not route scripts by their keys).
 */
async function readGroup(node: Redis, keys: Keys, names: string[]): Promise<KeyRecord[]> {
  const out: KeyRecord[] = [];
  for (let i = 0; i < names.length; i += CHUNK) {
    const chunk = names.slice(i, i + CHUNK);
    // A command of our own with Buffer replies: `callBuffer('eval', …)` goes wrong under automatic pipelining
    // (the client then sends its first argument as the command name).
    const full = chunk.map((k) => `${keys.ns}:${k}`);
    const cmd = new Command('eval', [READ, full.length, ...full], { replyEncoding: null });
    const raw = (await node.sendCommand(cmd)) as Raw[];
    raw.forEach((r, j) => {
      const rec = toRecord(chunk[j]!, r);
      if (rec) out.push(rec);
    });
  }
  return out;
}

/** Read one pass: scan its names, then read them tag by tag. */
async function readPhase(redis: RedisClient, keys: Keys, phase: Phase): Promise<KeyRecord[]> {
  const groups: { node: Redis; names: string[] }[] = [];
  for (const [node, names] of await scanNames(redis, keys, phase)) {
    const byTag = new Map<string, string[]>();
    for (const name of names) {
      const tag = splitKey(name).tag;
      const group = byTag.get(tag);
      if (group) group.push(name);
      else byTag.set(tag, [name]);
    }
    for (const list of byTag.values()) groups.push({ node, names: list });
  }
  const out: KeyRecord[] = [];
  for (let i = 0; i < groups.length; i += PARALLEL) {
    const read = await Promise.all(groups.slice(i, i + PARALLEL).map((g) => readGroup(g.node, keys, g.names)));
    out.push(...read.flat());
  }
  return out;
}

/** Every key of the namespace a snapshot holds, in the order that keeps it consistent, sorted by name. */
export async function readNamespace(redis: RedisClient, keys: Keys): Promise<KeyRecord[]> {
  const records: KeyRecord[] = [];
  for (const phase of ['seen', 'markers', 'closings', 'data'] as const)
    records.push(...(await readPhase(redis, keys, phase)));
  return records.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
}
