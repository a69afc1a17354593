/**
 * `zhucun serve` with ZHUCUN_WORKERS above 1: a primary process forks that many workers that share the port
 * (node:cluster hands the connections out in turn). One Node process keeps one core busy at most; the workers
 * let the bot use the machine's other cores.
 *
 * Every worker is a whole bot, as several instances on one Redis are: each answers callbacks, runs the schedule
 * (the Redis run coordinator lets one of them run each slot) and sends from the outbox. The primary serves
 * nothing. It holds the embedded Redis, so a worker that crashes never takes the store's supervisor with it.
 * It starts the first worker alone (that one migrates the data and imports the roster), then the rest, and it
 * restarts a worker that dies. On SIGTERM or SIGINT it stops them all and waits for them.
 */
import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { ConfigError, type Env } from '../config/env.js';
import { chooseMode } from '../config/mode.js';
import { openEmbeddedRedis, type EmbeddedRedis } from '../redis/embedded.js';
import type { CliIO } from './io.js';

/** More exits than this within CRASH_WINDOW_MS stop the server: a worker that cannot stay up is a fault. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1_000;

/** What a worker tells the primary once its server listens. */
export interface ListeningMessage {
  zhucun: 'listening';
  url: string;
}

/** The number of worker processes ZHUCUN_WORKERS asks for (1 when unset). */
export function workerCount(env: Env): number {
  if (!env.ZHUCUN_WORKERS) return 1;
  return env.ZHUCUN_WORKERS === 'auto' ? availableParallelism() : Number(env.ZHUCUN_WORKERS);
}

/** Refuse a set-up the workers cannot serve, before anything starts. */
export function checkWorkers(env: Env, count: number): void {
  if (count > 1 && chooseMode(env).sandbox) {
    throw new ConfigError(
      `ZHUCUN_WORKERS=${env.ZHUCUN_WORKERS}: the sandbox runs in one process (its fake WeCom and its clock live there); unset ZHUCUN_WORKERS for the sandbox`,
    );
  }
}

function isListening(m: unknown): m is ListeningMessage {
  return typeof m === 'object' && m !== null && (m as ListeningMessage).zhucun === 'listening';
}

/** Run the primary until a signal; resolves with the exit code. */
export async function runPrimary(env: Env, count: number, io: CliIO): Promise<number> {
  const { log } = io;
  // Without REDIS_URL or REDIS_CLUSTER_NODES the workers share the embedded Redis that this process holds.
  const embedded: EmbeddedRedis | undefined =
    env.REDIS_URL || env.REDIS_CLUSTER_NODES
      ? undefined
      : await openEmbeddedRedis({ dataDir: env.ZHUCUN_DATA_DIR, log });
  let stopping = false;
  const crashes: number[] = [];
  let failed: number | undefined;
  let announce: ((url: string) => void) | undefined;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (m: unknown) => {
      if (isListening(m)) announce?.(m.url);
    });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      log.error({ worker: worker.process.pid, code, signal }, 'a worker stopped; starting another');
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0]! < now - CRASH_WINDOW_MS) crashes.shift();
      if (crashes.length > MAX_CRASHES) {
        log.error({ crashes: crashes.length }, 'workers keep stopping; shutting down');
        failed = 1;
        process.emit('SIGTERM');
        return;
      }
      void delay(RESTART_DELAY_MS).then(() => (stopping ? undefined : fork()));
    });
    return worker;
  };

  const stopAll = async () => {
    stopping = true;
    const all = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    // Each worker shuts down as a single server does: stop accepting, finish in-flight work, close.
    const alive = all.filter((w) => !w.isDead());
    for (const w of alive) w.process.kill('SIGTERM');
    await Promise.all(alive.map((w) => once(w, 'exit')));
    await embedded?.stop();
  };

  let signalled = false;
  const signal = Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]).then((s) => {
    signalled = true;
    return s;
  });
  try {
    // The first worker alone: it migrates and imports. If it cannot start, its error is already on stderr.
    const first = fork();
    const url = await Promise.race([
      new Promise<string>((resolve) => (announce = resolve)),
      once(first, 'exit').then(([code]) => {
        throw new StartFailed(typeof code === 'number' && code !== 0 ? code : 1);
      }),
      signal.then(() => null),
    ]);
    if (url === null) {
      await stopAll();
      return 0;
    }
    let listening = 1;
    const all = new Promise<void>((resolve) => {
      announce = () => {
        if (++listening === count) resolve();
      };
      if (listening === count) resolve();
    });
    for (let i = 1; i < count; i++) fork();
    await Promise.race([all, signal]);
    announce = undefined;
    if (!signalled) io.err(`zhucun-bot: listening on ${url} (${count} workers)\n`);
    log.info({ url, workers: count }, 'zhucun-bot is listening');
    const got = await signal;
    log.info({ signal: String(got) }, 'shutting down');
    await stopAll();
    log.info('stopped');
    return failed ?? 0;
  } catch (err) {
    await stopAll();
    if (err instanceof StartFailed) return err.code;
    throw err;
  }
}

class StartFailed extends Error {
  constructor(readonly code: number) {
    super(`the first worker exited with ${code}`);
  }
}
