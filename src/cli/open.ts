/**
 * How CLI subcommands reach the deployment's Redis: the same `connectRedis` as the server, so while `npm start`
 * runs they use its embedded Redis rather than starting a second one on the same files.
 *
 * A subcommand never migrates the data (only the server's start and `zhucun migrate` do) and refuses data
 * written by a newer release that this code cannot read.
 */
import { loadEnv } from '../config/env.js';
import type { Logger } from '../log.js';
import { assertReadable, readSchemaVersion, SCHEMA_VERSION } from '../migrate/version.js';
import type { RedisClient } from '../redis/client.js';
import { connectRedis } from '../redis/connect.js';
import { Keys } from '../redis/keys.js';
import type { DirectoryView } from '../roster/verify.js';
import { RosterStore } from '../roster/store.js';
import { WecomApi } from '../wecom/api/client.js';
import { readDirectory } from '../wecom/directory.js';
import type { CliIO } from './io.js';

export interface CliRedis {
  redis: RedisClient;
  keys: Keys;
  roster: RosterStore;
  close(): Promise<void>;
}

/** `schema: false` skips the schema check, for `zhucun migrate`, which reports and judges the version itself. */
export async function openCliRedis(io: CliIO, opts: { schema?: boolean } = {}): Promise<CliRedis> {
  const env = loadEnv(io.env);
  const conn = await connectRedis(env, io.log);
  const keys = new Keys(env.ZHUCUN_NAMESPACE);
  if (opts.schema !== false) {
    try {
      await checkSchema(conn.redis, keys, io.log);
    } catch (err) {
      await conn.close();
      throw err;
    }
  }
  return { redis: conn.redis, keys, roster: new RosterStore(conn.redis, keys), close: () => conn.close() };
}

/** Refuse data this code cannot read; warn about data not migrated yet (the server's start migrates it). */
async function checkSchema(redis: RedisClient, keys: Keys, log: Logger): Promise<void> {
  const stamp = await readSchemaVersion(redis, keys);
  assertReadable(stamp, SCHEMA_VERSION, keys.ns);
  if (stamp.version >= SCHEMA_VERSION) return;
  // An unstamped store without a roster is a new install, not old data.
  if (stamp.stamped || (await redis.exists(keys.roster())) === 1)
    log.warn(
      { data: stamp.version, code: SCHEMA_VERSION },
      'the data is not migrated to this version yet: start the new server or run `zhucun migrate`',
    );
}

/**
 * WeCom's address book and the app's visibility range, read with the app's credentials (`WECOM_CORP_ID`,
 * `WECOM_AGENT_ID`, `WECOM_APP_SECRET`, `WECOM_API_BASE`); the access_token is shared through the deployment's
 * Redis like the server's.
 */
export async function readCliDirectory(io: CliIO): Promise<DirectoryView> {
  const env = loadEnv(io.env);
  const { WECOM_CORP_ID: corpId, WECOM_AGENT_ID: agentId, WECOM_APP_SECRET: secret } = env;
  // A configuration that cannot reach WeCom fails the check (exit 1), it is no usage error.
  if (!corpId || !agentId || !secret)
    throw new Error('roster verify needs WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_APP_SECRET');
  const c = await openCliRedis(io);
  try {
    const api = new WecomApi({
      base: env.WECOM_API_BASE,
      corpId,
      agentId,
      secret,
      redis: c.redis,
      keys: c.keys,
      log: io.log,
    });
    return await readDirectory(api, agentId);
  } finally {
    await c.close();
  }
}
