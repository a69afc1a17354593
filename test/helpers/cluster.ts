/**
 * A throw-away 3-master Redis Cluster for system tests: three redis-server processes on free ports in a temp
 * folder, joined with `redis-cli --cluster create`, returned once every node reports `cluster_state:ok`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import calculateSlot from 'cluster-key-slot';
import { Redis, type Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger } from '../../src/log.js';
import { connectRedis, type RedisConnection } from '../../src/redis/connect.js';
import type { Keys } from '../../src/redis/keys.js';
import { freePort } from '../global-setup.js';

export interface TestCluster {
  /** `127.0.0.1:port` of each master, the form REDIS_CLUSTER_NODES takes. */
  nodes: string[];
  dir: string;
  stop(): Promise<void>;
}

/**
 * Start a redis-server with the given arguments and resolve once it logs "Ready to accept connections" (or
 * `ready`: a sentinel logs "+monitor master" instead). Rejects with the server's last lines if it exits first.
 */
export function startRedisServer(args: string[], ready = 'Ready to accept connections'): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const onClose = (code: number | null): void =>
      reject(new Error(`redis-server exited (${code}): ${lines.slice(-4).join(' | ')}`));
    child.once('error', reject);
    child.once('close', onClose);
    for (const input of [child.stdout!, child.stderr!]) {
      createInterface({ input }).on('line', (line) => {
        lines.push(line);
        if (!line.includes(ready)) return;
        child.off('close', onClose);
        resolve(child);
      });
    }
  });
}

/**
 * Start three masters, create the cluster and wait until all nodes agree it is serving every slot. With
 * `password`, every node requires it (requirepass, and masterauth for the nodes among themselves).
 */
export async function startCluster(opts: { password?: string } = {}): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'zhucun-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (c) => {
        if (c.exitCode !== null || c.signalCode !== null) return;
        c.kill('SIGTERM');
        await once(c, 'exit');
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      // The bus port is chosen too: the default port+10000 may be taken or beyond 65535.
      const busPort = await freePort();
      const args = ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', dir];
      args.push(
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--appendonly',
        'no',
        '--save',
        '',
      );
      if (opts.password) args.push('--requirepass', opts.password, '--masterauth', opts.password);
      children.push(await startRedisServer(args));
      ports.push(port);
    }
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    await createCluster(nodes, opts.password);
    await waitClusterOk(ports, opts.password);
    return { nodes, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function createCluster(nodes: string[], password?: string): Promise<void> {
  const args = ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'];
  // The password goes in the environment, not on the command line (and redis-cli then warns of nothing).
  const env = password ? { ...process.env, REDISCLI_AUTH: password } : process.env;
  const cli = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  cli.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  cli.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(cli, 'close')) as [number | null];
  if (code !== 0) throw new Error(`redis-cli --cluster create failed (${code}): ${out.slice(-500)}`);
}

/** Poll CLUSTER INFO on every node (bounded) until each says cluster_state:ok: waiting on state, not on time. */
async function waitClusterOk(ports: number[], password?: string): Promise<void> {
  const clients = ports.map((port) => new Redis({ host: '127.0.0.1', port, password, maxRetriesPerRequest: 1 }));
  try {
    for (let i = 0; i < 300; i++) {
      const infos = await Promise.all(clients.map((c) => c.cluster('INFO') as Promise<string>));
      if (infos.every((info) => info.includes('cluster_state:ok'))) return;
      await delay(50);
    }
    throw new Error(`cluster on ports ${ports.join(',')} did not reach cluster_state:ok`);
  } finally {
    for (const c of clients) c.disconnect();
  }
}

/**
 * Two user ids whose keys live on different masters of `cluster`, so a commit touching both crosses nodes.
 * Reads the slot map from CLUSTER SLOTS rather than assuming how `--cluster create` split the slots.
 */
export async function usersOnDifferentNodes(cluster: Cluster, keys: Keys): Promise<[string, string]> {
  const ranges = await cluster.cluster('SLOTS');
  const nodeOf = (userId: string): string => {
    const slot = calculateSlot(keys.userTag(userId));
    const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2];
    if (!master) throw new Error(`slot ${slot} is not served`);
    return `${master[0]}:${master[1]}`;
  };
  const first = 'cadre-1';
  for (let i = 2; i < 200; i++) {
    const other = `cadre-${i}`;
    if (nodeOf(other) !== nodeOf(first)) return [first, other];
  }
  throw new Error('no two users on different nodes');
}

/**
 * For one test file: a 3-master cluster started before its tests and the bot's own connection to it
 * (`connectRedis` with REDIS_CLUSTER_NODES), both stopped after them. Read `conn` inside the tests.
 */
export function useClusterConnection(): { readonly conn: RedisConnection; readonly cluster: TestCluster } {
  let cluster: TestCluster | undefined;
  let conn: RedisConnection | undefined;
  beforeAll(async () => {
    cluster = await startCluster();
    conn = await connectRedis(loadEnv({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') }), silentLogger);
  });
  afterAll(async () => {
    await conn?.close();
    await cluster?.stop();
  });
  return {
    get conn() {
      return conn!;
    },
    get cluster() {
      return cluster!;
    },
  };
}
