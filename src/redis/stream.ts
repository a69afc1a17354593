/**
 * Deleting entries from a stream that works as a queue (the relay stream): a stream emptied by XDEL stays as an
 * empty key, which a snapshot would carry and a restore could not write back; the same script removes it, so
 * an entry appended meanwhile is never lost with it.
 */
import type { RedisClient } from './client.js';
import { runScript, script } from './script.js';

const DROP = script(`
local n = redis.call('xdel', KEYS[1], unpack(ARGV))
if redis.call('xlen', KEYS[1]) == 0 then redis.call('del', KEYS[1]) end
return n`);

/** XDEL `ids` from `key`, and the key itself once it holds nothing. */
export async function dropEntries(redis: RedisClient, key: string, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  return Number(await runScript(redis, DROP, [key], ids));
}
