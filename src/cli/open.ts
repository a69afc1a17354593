/**
 * How CLI subcommands reach the deployment's Redis: the same `connectRedis` as the server, so while `npm start`
 * runs they use its embedded Redis rather than starting a second one on the same files.
 */
import { loadEnv } from '../config/env.js';
import type { RedisClient } from '../redis/client.js';
import { connectRedis } from '../redis/connect.js';
import { Keys } from '../redis/keys.js';
import { RosterStore } from '../roster/store.js';
import type { CliIO } from './io.js';

export interface CliRedis {
  redis: RedisClient;
  keys: Keys;
  roster: RosterStore;
  close(): Promise<void>;
}

export async function openCliRedis(io: CliIO): Promise<CliRedis> {
  const env = loadEnv(io.env);
  const conn = await connectRedis(env, io.log);
  const keys = new Keys(env.ZHUCUN_NAMESPACE);
  return { redis: conn.redis, keys, roster: new RosterStore(conn.redis, keys), close: () => conn.close() };
}
