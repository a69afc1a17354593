/**
 * A throw-away Redis Sentinel set-up for system tests, on loopback: one master, one replica and three sentinels
 * (quorum 2) with short timeouts, so a failed master is replaced within a few seconds. The data needs a password
 * (DATA_PASSWORD) and so do the sentinels (SENTINEL_PASSWORD), as in a deployment. Returned once the replica
 * is in sync and every sentinel knows the replica and the two other sentinels (the failover needs both).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadEnv } from '../../src/config/env.js';
import type { Logger } from '../../src/log.js';
import { connectRedis, type RedisConnection } from '../../src/redis/connect.js';
import { freePort } from '../global-setup.js';
import { startRedisServer } from './cluster.js';
import { stopAll } from './redis-tls.js';
import { until } from './wait.js';

export const MASTER_NAME = 'zhucun-test';
/** The data password (requirepass/masterauth of master and replica) and the sentinels' own. */
export const DATA_PASSWORD = 'sentinel-data-secret-5';
export const SENTINEL_PASSWORD = 'sentinel-own-secret-6';

export interface TestSentinels {
  /** `127.0.0.1:port` of each sentinel, the form REDIS_SENTINELS takes. */
  sentinels: string[];
  masterPort: number;
  replicaPort: number;
  /** The master's and the replica's redis-server processes (to kill or stop). */
  master: ChildProcess;
  replica: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Wait until every sentinel knows the other two and sees the replica up (not subjectively down, its link to the
 * master up): only such a replica is promoted.
 */
export async function ready(sentinels: string[], sentinelPassword = SENTINEL_PASSWORD): Promise<void> {
  const clients = sentinels.map(
    (s) => new Redis({ host: '127.0.0.1', port: Number(s.split(':')[1]), password: sentinelPassword }),
  );
  try {
    await until(
      async () => {
        for (const c of clients) {
          const replicas = (await c.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
          const others = (await c.call('SENTINEL', 'SENTINELS', MASTER_NAME)) as unknown[];
          const field = (r: string[], name: string) => r[r.indexOf(name) + 1];
          const up = replicas.filter((r) => field(r, 'flags') === 'slave' && field(r, 'master-link-status') === 'ok');
          if (up.length < 1 || others.length < 2) return false;
        }
        return true;
      },
      'the sentinels to know each other and see the replica up',
      20_000,
    );
  } finally {
    for (const c of clients) c.disconnect();
  }
}

export async function startSentinels(): Promise<TestSentinels> {
  const dir = await mkdtemp(join(tmpdir(), 'zhucun-sentinel-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await stopAll(children);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const server = (port: number) =>
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '']
        .concat(['--appendonly', 'no', '--dbfilename', `dump-${port}.rdb`, '--repl-diskless-sync', 'yes'])
        .concat(['--repl-diskless-sync-delay', '0', '--requirepass', DATA_PASSWORD, '--masterauth', DATA_PASSWORD]);
    const masterPort = await freePort();
    const replicaPort = await freePort();
    const master = await startRedisServer(server(masterPort));
    children.push(master);
    const replicaServer = await startRedisServer([
      ...server(replicaPort),
      '--replicaof',
      '127.0.0.1',
      String(masterPort),
    ]);
    children.push(replicaServer);
    const replica = new Redis({ port: replicaPort, host: '127.0.0.1', lazyConnect: true, password: DATA_PASSWORD });
    try {
      await until(
        async () => (await replica.info('replication')).includes('master_link_status:up'),
        'the replica to sync',
        20_000,
      );
    } finally {
      replica.disconnect();
    }

    const sentinels: string[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = join(dir, `sentinel-${port}.conf`);
      await writeFile(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `requirepass ${SENTINEL_PASSWORD}`,
          `sentinel sentinel-pass ${SENTINEL_PASSWORD}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
          `sentinel auth-pass ${MASTER_NAME} ${DATA_PASSWORD}`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 400`,
          `sentinel failover-timeout ${MASTER_NAME} 2000`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
        ].join('\n') + '\n',
      );
      children.push(await startRedisServer([conf, '--sentinel'], '+monitor master'));
      sentinels.push(`127.0.0.1:${port}`);
    }
    await ready(sentinels);
    return { sentinels, masterPort, replicaPort, master, replica: replicaServer, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The bot's connection to `setup`'s master, through its sentinels, as a deployment configures it. */
export function connectThroughSentinels(setup: TestSentinels, log: Logger): Promise<RedisConnection> {
  return connectRedis(
    loadEnv({
      REDIS_SENTINELS: setup.sentinels.join(','),
      REDIS_SENTINEL_NAME: MASTER_NAME,
      REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
      REDIS_PASSWORD: DATA_PASSWORD,
    }),
    log,
  );
}
