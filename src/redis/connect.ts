/**
 * One way in to Redis for the server and every CLI subcommand. The environment picks the mode:
 * REDIS_CLUSTER_NODES → a Redis Cluster, REDIS_URL → one external server, neither → the embedded redis-server
 * under ZHUCUN_DATA_DIR. The returned client is ready (or the call throws naming the variable to fix).
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { ConfigError, type Env } from '../config/env.js';
import type { Logger } from '../log.js';
import type { RedisClient } from './client.js';
import { openEmbeddedRedis } from './embedded.js';

export type RedisMode = 'embedded' | 'external' | 'cluster';

export interface RedisConnection {
  redis: RedisClient;
  mode: RedisMode;
  /** Where the client connects, with any password hidden (for logs and status pages). */
  target: string;
  /** Close the client; in embedded mode also stop the redis-server this process started. */
  close(): Promise<void>;
}

export interface ClusterNode {
  host: string;
  port: number;
}

/** How long one command may wait for Redis (ms): a callback must be answered within WeCom's 5 s. */
export const COMMAND_TIMEOUT_MS = 2_000;

/**
 * Options of every client the bot serves with. A command fails within COMMAND_TIMEOUT_MS instead of waiting for
 * Redis to come back, and while the connection is down it fails at once (no offline queue to grow without
 * bound): the callback is answered 503 and WeCom retries. Reconnecting goes on in the background, backing off
 * to one attempt a second.
 */
export const clientOptions: RedisOptions = {
  lazyConnect: true,
  // Commands issued in the same tick (concurrent callbacks, an update's parallel reads) go out in one write.
  enableAutoPipelining: true,
  commandTimeout: COMMAND_TIMEOUT_MS,
  connectTimeout: 2_000,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  retryStrategy: (times: number) => Math.min(50 * 2 ** times, 1_000),
};

/**
 * Parse REDIS_CLUSTER_NODES (`host:port,host:port,…`, IPv6 hosts in brackets). Throws ConfigError naming the
 * variable and the entry that is wrong.
 */
export function parseClusterNodes(value: string): ClusterNode[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ConfigError('REDIS_CLUSTER_NODES: list at least one node as host:port');
  return entries.map((entry) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d+)$/.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new ConfigError(`REDIS_CLUSTER_NODES: "${entry}" is not host:port (e.g. 10.0.0.5:6379,10.0.0.6:6379)`);
    }
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

/** Check REDIS_URL is a redis:// or rediss:// URL; throws ConfigError naming the variable (never the password). */
export function checkRedisUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('REDIS_URL: not a URL; expected redis://[:password@]host:port[/db] or rediss://…');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL: scheme "${url.protocol}" is not supported; use redis:// or rediss://`);
  }
  if (!url.hostname) throw new ConfigError('REDIS_URL: the host is missing');
  return url;
}

/** The URL as it may be logged: the password replaced by `***`. */
export function redactUrl(url: URL): string {
  const shown = new URL(url.href);
  if (shown.password) shown.password = '***';
  return shown.href;
}

/**
 * Connect as the environment says and wait until the client is ready. REDIS_URL and REDIS_CLUSTER_NODES
 * together are refused: which one wins would be a guess. Connection errors after start are logged and retried
 * by ioredis; the caller owns the connection and must `close()` it.
 */
export async function connectRedis(env: Env, log: Logger): Promise<RedisConnection> {
  if (env.REDIS_URL && env.REDIS_CLUSTER_NODES) {
    throw new ConfigError('REDIS_URL and REDIS_CLUSTER_NODES are both set: keep only the one for your deployment');
  }
  if (env.REDIS_CLUSTER_NODES) {
    const nodes = parseClusterNodes(env.REDIS_CLUSTER_NODES);
    const target = nodes.map((n) => `${n.host}:${n.port}`).join(',');
    // Nodes connect lazily on their first command, so they keep an offline queue (bounded in time by the
    // command timeout); the cluster itself refuses commands at once while it is not ready.
    const cluster = new Cluster(nodes, {
      enableAutoPipelining: true,
      // ioredis files a command into a node's auto-pipeline by its first argument, which for a script is the
      // script, not a key: an EVAL batched with another node's commands failed the whole batch ("All keys in the
      // pipeline should belong to the same slots allocation group"). Scripts are sent on their own.
      autoPipeliningIgnoredCommands: ['eval', 'evalsha'],
      lazyConnect: true,
      enableOfflineQueue: false,
      redisOptions: { commandTimeout: COMMAND_TIMEOUT_MS, connectTimeout: 2_000, maxRetriesPerRequest: 1 },
    });
    await ready(cluster, log, `REDIS_CLUSTER_NODES (${target})`);
    return { redis: cluster, mode: 'cluster', target, close: () => quit(cluster) };
  }
  if (env.REDIS_URL) {
    const url = checkRedisUrl(env.REDIS_URL);
    const redis = new Redis(env.REDIS_URL, clientOptions);
    await ready(redis, log, `REDIS_URL (${redactUrl(url)})`);
    return { redis, mode: 'external', target: redactUrl(url), close: () => quit(redis) };
  }
  const embedded = await openEmbeddedRedis({ dataDir: env.ZHUCUN_DATA_DIR, log });
  const redis = new Redis(embedded.url, clientOptions);
  const target = redactUrl(new URL(embedded.url));
  try {
    await ready(redis, log, `the embedded Redis (${target}, ZHUCUN_DATA_DIR=${env.ZHUCUN_DATA_DIR})`);
  } catch (err) {
    await embedded.stop();
    throw err;
  }
  return {
    redis,
    mode: 'embedded',
    target,
    close: async () => {
      await quit(redis);
      await embedded.stop();
    },
  };
}

/**
 * Connect and wait for the ready check. ioredis reports a failed first attempt only as "Connection is closed"
 * (a cluster as "Failed to refresh slots cache."), so the first error, and a cluster node's error, are kept to
 * say as much as is known about what went wrong.
 */
async function ready(client: RedisClient, log: Logger, what: string): Promise<void> {
  let first: Error | undefined;
  let node: Error | undefined;
  client.on('error', (err: Error) => {
    first ??= err;
    log.warn({ err: err.message, redis: what }, 'redis connection error');
  });
  client.on('node error', (err: Error, address: string) => {
    node ??= err;
    log.warn({ err: err.message, node: address, redis: what }, 'redis cluster node error');
  });
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    const cause = first ?? (err as Error);
    throw new Error(`cannot connect to ${what}: ${cause.message}${node ? ` (${node.message})` : ''}`, { cause: err });
  }
}

async function quit(client: RedisClient): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect(); // already closed or unreachable: nothing left to flush
  }
}
