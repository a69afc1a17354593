/**
 * One way in to Redis for the server and every CLI subcommand. The environment picks the mode:
 * REDIS_CLUSTER_NODES → a Redis Cluster, REDIS_SENTINELS (+ REDIS_SENTINEL_NAME) → the master a set of sentinels
 * names, following it through failovers, REDIS_URL → one external server, none → the embedded redis-server
 * under ZHUCUN_DATA_DIR. REDIS_USERNAME/REDIS_PASSWORD (an ACL user) and TLS (rediss://, REDIS_TLS, REDIS_TLS_CA,
 * REDIS_TLS_SERVERNAME) apply to every external mode alike. The returned client is ready (or the call throws
 * naming the variable to fix, never a password).
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { ConfigError, type Env } from '../config/env.js';
import type { Logger } from '../log.js';
import type { RedisClient } from './client.js';
import { openEmbeddedRedis } from './embedded.js';
import { ReplicaWait } from './replicas.js';
import { SentinelWatch } from './sentinel-watch.js';

export type RedisMode = 'embedded' | 'external' | 'cluster' | 'sentinel';

export interface RedisConnection {
  redis: RedisClient;
  mode: RedisMode;
  /** Where the client connects, with any password hidden (for logs and status pages). */
  target: string;
  /** Sentinel mode: waits after an update's commit until the replicas hold it (src/redis/replicas.ts). */
  replicaWait?: ReplicaWait;
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
  return parseNodes(value, 'REDIS_CLUSTER_NODES');
}

/** Parse a `host:port,…` list held by `variable` (REDIS_CLUSTER_NODES, REDIS_SENTINELS). */
export function parseNodes(value: string, variable: string): ClusterNode[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ConfigError(`${variable}: list at least one node as host:port`);
  return entries.map((entry) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d+)$/.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new ConfigError(`${variable}: "${entry}" is not host:port (e.g. 10.0.0.5:6379,10.0.0.6:6379)`);
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

/** The variables that only mean something for an external Redis. */
const EXTERNAL_ONLY = [
  'REDIS_USERNAME',
  'REDIS_PASSWORD',
  'REDIS_TLS',
  'REDIS_TLS_CA',
  'REDIS_TLS_SERVERNAME',
  'REDIS_SENTINEL_NAME',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_WAIT_REPLICAS',
] as const;

/**
 * Check the Redis variables hang together, before anything connects: one mode only, the sentinel settings only
 * with REDIS_SENTINELS, credentials and TLS only for an external Redis, TLS files only when TLS is on. Throws
 * ConfigError naming the variables (never their values).
 */
export function checkRedisSettings(env: Env): void {
  const modes = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter((k) => env[k]);
  if (modes.length > 1) {
    const list = `${modes.slice(0, -1).join(', ')} and ${modes.at(-1)}`;
    throw new ConfigError(
      `${list} are ${modes.length === 2 ? 'both' : 'all'} set: keep only the one for your deployment`,
    );
  }
  if (modes.length === 0) {
    const stray = EXTERNAL_ONLY.filter((k) => env[k] !== undefined);
    if (stray.length) {
      throw new ConfigError(
        `${stray.join(', ')} set without an external Redis: set REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS ` +
          '(the embedded Redis needs none of these)',
      );
    }
    return;
  }
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
    throw new ConfigError('REDIS_SENTINELS is set without REDIS_SENTINEL_NAME: name the master the sentinels watch');
  }
  if (!env.REDIS_SENTINELS) {
    const stray = (['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD', 'REDIS_WAIT_REPLICAS'] as const).filter(
      (k) => env[k] !== undefined,
    );
    if (stray.length) throw new ConfigError(`${stray.join(', ')} only apply with REDIS_SENTINELS, which is not set`);
  }
  const url = env.REDIS_URL ? checkRedisUrl(env.REDIS_URL) : undefined;
  if (url?.protocol === 'redis:' && env.REDIS_TLS === '1') {
    throw new ConfigError("REDIS_TLS=1 contradicts REDIS_URL's redis:// scheme: write rediss:// for TLS");
  }
  const tls = url ? url.protocol === 'rediss:' : env.REDIS_TLS === '1';
  if (!tls) {
    const stray = (['REDIS_TLS_CA', 'REDIS_TLS_SERVERNAME'] as const).filter((k) => env[k] !== undefined);
    if (stray.length) {
      throw new ConfigError(
        `${stray.join(' and ')} set but TLS is off: ${url ? 'write rediss:// in REDIS_URL' : 'set REDIS_TLS=1'}`,
      );
    }
  }
}

/**
 * Username, password and TLS options for every node (server, cluster node, master or replica), from the
 * variables, which win over REDIS_URL's user and password. REDIS_TLS_CA is read now: an unreadable file stops
 * the start naming the variable.
 */
export function securityOptions(env: Env): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const url = env.REDIS_URL ? checkRedisUrl(env.REDIS_URL) : undefined;
  const opts: Pick<RedisOptions, 'username' | 'password' | 'tls'> = {};
  if (env.REDIS_USERNAME) opts.username = env.REDIS_USERNAME;
  if (env.REDIS_PASSWORD) opts.password = env.REDIS_PASSWORD;
  if (url ? url.protocol !== 'rediss:' : env.REDIS_TLS !== '1') return opts;
  const tls: ConnectionOptions = {};
  if (env.REDIS_TLS_CA) {
    try {
      tls.ca = readFileSync(env.REDIS_TLS_CA);
    } catch (err) {
      throw new ConfigError(
        `REDIS_TLS_CA: cannot read ${env.REDIS_TLS_CA} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); ` +
          'give the PEM file of the CA that signed the Redis server certificates',
      );
    }
  }
  if (env.REDIS_TLS_SERVERNAME) tls.servername = env.REDIS_TLS_SERVERNAME;
  opts.tls = tls;
  return opts;
}

/**
 * Connect as the environment says and wait until the client is ready. Contradictory settings are refused
 * (`checkRedisSettings`): which one wins would be a guess. Connection errors after start are logged and retried
 * by ioredis; the caller owns the connection and must `close()` it.
 */
export async function connectRedis(env: Env, log: Logger): Promise<RedisConnection> {
  checkRedisSettings(env);
  if (env.REDIS_CLUSTER_NODES) {
    const nodes = parseClusterNodes(env.REDIS_CLUSTER_NODES);
    const security = securityOptions(env);
    const target = nodes.map((n) => `${n.host}:${n.port}`).join(',') + describeSecurity(security);
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
      redisOptions: { commandTimeout: COMMAND_TIMEOUT_MS, connectTimeout: 2_000, maxRetriesPerRequest: 1, ...security },
    });
    await ready(cluster, log, `REDIS_CLUSTER_NODES (${target})`, security.tls !== undefined);
    return { redis: cluster, mode: 'cluster', target, close: () => quit(cluster) };
  }
  if (env.REDIS_SENTINELS) {
    const sentinels = parseNodes(env.REDIS_SENTINELS, 'REDIS_SENTINELS');
    const name = env.REDIS_SENTINEL_NAME!;
    const security = securityOptions(env);
    const target =
      `sentinel master ${name} via ${sentinels.map((n) => `${n.host}:${n.port}`).join(',')}` +
      describeSecurity(security);
    let started = false;
    const redis = new Redis({
      ...clientOptions,
      ...security,
      sentinels,
      name,
      role: 'master',
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
      // The sentinels speak TLS when the servers do (Redis' tls-replication/tls-port on both), with the same CA.
      enableTLSForSentinelMode: security.tls !== undefined,
      sentinelTLS: security.tls,
      // When no sentinel answers, a new round after a pause, for ever once started (a failover in progress);
      // at start, three rounds and the start fails naming REDIS_SENTINELS.
      sentinelRetryStrategy: (times: number) => (started || times <= 3 ? Math.min(100 * times, 1_000) : null),
      sentinelCommandTimeout: 1_000,
    });
    await ready(redis, log, `REDIS_SENTINELS (${target})`, security.tls !== undefined);
    started = true;
    // Told of a failover by the sentinels, the client and its duplicates leave a master that hangs
    // (src/redis/sentinel-watch.ts).
    const watch = new SentinelWatch({ sentinels, name, password: env.REDIS_SENTINEL_PASSWORD, tls: security.tls }, log);
    watch.follow(redis);
    const replicaWait = new ReplicaWait(redis, Number(env.REDIS_WAIT_REPLICAS ?? 1), log);
    const close = () => {
      watch.close();
      return quit(redis);
    };
    return { redis, mode: 'sentinel', target, replicaWait, close };
  }
  if (env.REDIS_URL) {
    const url = checkRedisUrl(env.REDIS_URL);
    const security = securityOptions(env);
    const redis = new Redis({ ...clientOptions, ...urlOptions(url), ...security });
    const target = redactUrl(url) + describeSecurity(security, url);
    await ready(redis, log, `REDIS_URL (${target})`, security.tls !== undefined);
    return { redis, mode: 'external', target, close: () => quit(redis) };
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
 * REDIS_URL as client options (host, port, database, user, password), so that REDIS_USERNAME and REDIS_PASSWORD
 * given beside it win over the URL's; TLS comes from `securityOptions`.
 */
export function urlOptions(url: URL): RedisOptions {
  const opts: RedisOptions = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) };
  const db = url.pathname.replace(/^\//, '');
  if (db) {
    if (!/^\d+$/.test(db)) throw new ConfigError(`REDIS_URL: the database "${db}" is not a number (e.g. …:6379/0)`);
    opts.db = Number(db);
  }
  if (url.username) opts.username = decodeURIComponent(url.username);
  if (url.password) opts.password = decodeURIComponent(url.password);
  return opts;
}

/** What the variables add to a target's description: the ACL user and TLS, never the password. */
function describeSecurity(security: Pick<RedisOptions, 'username' | 'password' | 'tls'>, url?: URL): string {
  const parts: string[] = [];
  if (security.username && security.username !== url?.username) parts.push(`user ${security.username}`);
  if (security.password) parts.push('REDIS_PASSWORD');
  if (security.tls && !url) parts.push('TLS');
  return parts.length ? ` with ${parts.join(', ')}` : '';
}

/**
 * Connect and wait for the ready check. ioredis reports a failed first attempt only as "Connection is closed"
 * (a cluster as "Failed to refresh slots cache."), so the first error, and a cluster node's error, are kept to
 * say as much as is known about what went wrong.
 */
async function ready(client: RedisClient, log: Logger, what: string, tls?: boolean): Promise<void> {
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
    const said = `${cause.message}${node ? ` (${node.message})` : ''}`;
    throw new Error(`cannot connect to ${what}: ${said}${hint(said, tls)}`, { cause: err });
  }
}

/** What to check, for the failures whose message alone does not say it. */
function hint(said: string, tls: boolean | undefined): string {
  if (/certificate|self.signed|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/i.test(said)) {
    return (
      ' (the server certificate is not trusted: set REDIS_TLS_CA to the PEM file of the CA that signed it, ' +
      'and REDIS_TLS_SERVERNAME when it names the server otherwise than the address connected to)'
    );
  }
  if (tls === false && /ECONNRESET|EPIPE|Connection is closed|Failed to refresh slots cache/.test(said)) {
    return ' (the server closed the connection: if it speaks only TLS, use rediss:// in REDIS_URL or REDIS_TLS=1)';
  }
  return '';
}

async function quit(client: RedisClient): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect(); // already closed or unreachable: nothing left to flush
  }
}
