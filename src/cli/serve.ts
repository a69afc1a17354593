/**
 * `zhucun serve`: run the bot until SIGTERM/SIGINT, then stop accepting, finish in-flight work, close the
 * outbox and Redis, and stop the embedded Redis server. With ZHUCUN_WORKERS above 1 this process becomes the
 * primary of that many workers (workers.ts), each of which runs this same function as a worker.
 */
import cluster from 'node:cluster';
import { once } from 'node:events';
import { loadEnv } from '../config/env.js';
import { startApp } from '../app.js';
import { IMPLICIT_SANDBOX_WARNING } from '../config/mode.js';
import type { CliIO } from './io.js';
import { checkWorkers, runPrimary, workerCount, type ListeningMessage } from './workers.js';

export async function run(_argv: string[], io: CliIO): Promise<number> {
  const env = loadEnv(io.env);
  const workers = workerCount(env);
  if (cluster.isPrimary && workers > 1) {
    checkWorkers(env, workers);
    return runPrimary(env, workers, io);
  }
  const app = await startApp(env, io.log);
  if (cluster.isWorker) {
    process.send?.({ zhucun: 'listening', url: app.url } satisfies ListeningMessage);
  } else {
    // Chosen only because nothing is configured: say so on the console too, where a person starting it looks.
    if (app.mode.sandbox && app.mode.implicit) io.err(`\n${IMPLICIT_SANDBOX_WARNING}\n\n`);
    io.err(`zhucun-bot: listening on ${app.url}${app.fake ? ` — sandbox: ${app.url}/sandbox` : ''}\n`);
  }
  const signal = await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
  io.log.info({ signal: String(signal) }, 'shutting down');
  await app.close();
  // A worker's channel to the primary would keep it alive once everything else is closed.
  if (cluster.isWorker) process.disconnect();
  io.log.info('stopped');
  return 0;
}
