/**
 * Writing key records into a namespace (an empty one: restore checks that first), and emptying a namespace
 * for `restore --replace`.
 */
import type { RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { decode, type KeyRecord } from './format.js';

type Arg = string | Buffer;
type Command = [name: string, ...args: Arg[]];

/** Members written per command, so a huge hash or list never becomes one enormous command. */
const BATCH = 500;
/** Records written at the same time. */
const PARALLEL = 64;

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The commands that recreate one key (without its expiry). */
function commandsFor(key: string, r: KeyRecord): Command[] {
  switch (r.t) {
    case 'string':
      return [['set', key, decode(r.v)]];
    case 'hash':
      return chunks(r.v).map((c) => ['hset', key, ...c.flatMap(([f, v]) => [decode(f), decode(v)])]);
    case 'set':
      return chunks(r.v).map((c) => ['sadd', key, ...c.map(decode)]);
    case 'zset':
      return chunks(r.v).map((c) => ['zadd', key, ...c.flatMap(([m, s]) => [s, decode(m)])]);
    case 'list':
      return chunks(r.v).map((c) => ['rpush', key, ...c.map(decode)]);
    case 'stream':
      return r.v.map(([id, fields]) => ['xadd', key, id, ...fields.map(decode)]);
  }
}

/**
 * Write the records into the namespace of `keys`. A key gets back the time to live it had left when the
 * snapshot was taken (the snapshot's time may be a simulated one, so it is not counted down from it).
 * Returns how many keys were written.
 */
export async function loadRecords(redis: RedisClient, keys: Keys, records: readonly KeyRecord[]): Promise<number> {
  let written = 0;
  for (const batch of chunks([...records], PARALLEL)) {
    await Promise.all(
      batch.map(async (r) => {
        const ttl = r.ttl;
        const key = `${keys.ns}:${r.k}`;
        const commands = commandsFor(key, r);
        if (!commands.length) return; // a stream whose entries were all deleted: nothing to bring back
        // One key's commands in order, on the connection (the master) that holds it.
        for (const [name, ...args] of commands) await redis.call(name, ...args);
        if (ttl !== undefined) await redis.pexpire(key, ttl);
        written++;
      }),
    );
  }
  return written;
}
