/**
 * Run a Lua script by its SHA-1 (EVALSHA), loading it with EVAL only when the server does not have it yet
 * (a fresh or restarted server, another cluster node): the script's text is not sent and hashed on every call.
 */
import { sha1Hex } from '../kit/sha1.js';
import type { RedisClient } from './client.js';

export interface Script {
  lua: string;
  sha: string;
}

export function script(lua: string): Script {
  return { lua, sha: sha1Hex(lua) };
}

/** EVALSHA, falling back to EVAL on NOSCRIPT (which also caches the script on that server). */
export async function runScript(
  redis: RedisClient,
  s: Script,
  keys: string[],
  args: (string | number | Buffer)[],
): Promise<unknown> {
  // One array argument (the client flattens it), not spread: an import of a large county writes hundreds of
  // thousands of arguments, more than a JavaScript call can take.
  const rest = [...keys, ...args];
  try {
    return await redis.evalsha(s.sha, keys.length, rest as unknown as string);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(s.lua, keys.length, rest as unknown as string);
  }
}
