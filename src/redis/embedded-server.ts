/**
 * The embedded redis-server process: spawned with a generated password and owner-only files, and supervised.
 * When it dies while in use (killed, out of memory) it is started again on the same port, files and password,
 * backing off from 100 ms to 5 s between attempts, so that clients reconnect by themselves and the AOF brings
 * back every acknowledged write.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../log.js';

/** redis-server is missing: the message says how to install it. */
export class RedisNotInstalledError extends Error {
  override name = 'RedisNotInstalledError';
}

/** The port was taken between probing and binding. */
export class PortTaken extends Error {}

/** A redis-server this process spawned and keeps running until `shutdown`. */
export interface Supervised {
  readonly dir: string;
  readonly port: number;
  readonly password: string;
  /** The current process (replaced by each restart). */
  child: ChildProcess;
  /** Called after a restart, with the new pid, to update the shared record. */
  onRestart?: (pid: number) => Promise<void>;
}

interface State extends Supervised {
  stopping: boolean;
  /** A restart's spawn in progress, which `shutdown` waits for. */
  spawning?: Promise<unknown>;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/** Servers this process spawned and supervises; stopped when it exits without closing. */
const supervised = new Set<State>();

export interface SpawnOptions {
  dir: string;
  port: number;
  password: string;
  log: Logger;
  redisServer?: string;
}

/** Start redis-server and supervise it: wait for "Ready to accept connections", restart it whenever it dies. */
export async function startSupervised(opts: SpawnOptions): Promise<Supervised> {
  await tighten(join(opts.dir, 'redis'));
  const conf = join(opts.dir, 'redis', 'zhucun-redis.conf');
  // The password goes in an owner-only file, never on the command line (visible to every user in `ps`).
  await writeFile(conf, `requirepass ${opts.password}\n`, { mode: 0o600 });
  await chmod(conf, 0o600);
  const state: State = {
    dir: opts.dir,
    port: opts.port,
    password: opts.password,
    stopping: false,
    child: await spawnServer(conf, opts),
  };
  supervised.add(state);
  if (process.listeners('exit').indexOf(stopAllOnExit) === -1) process.on('exit', stopAllOnExit);
  watch(state, conf, opts);
  return state;
}

function watch(state: State, conf: string, opts: SpawnOptions): void {
  state.child.once('exit', (code, signal) => {
    if (state.stopping) return;
    opts.log.error(
      { code, signal, pid: state.child.pid },
      'embedded redis-server died; restarting it on the same files',
    );
    void restart(state, conf, opts);
  });
}

async function restart(state: State, conf: string, opts: SpawnOptions): Promise<void> {
  for (let attempt = 1; !state.stopping; attempt++) {
    await delay(Math.min(MIN_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS), undefined, { ref: false });
    if (state.stopping) return;
    const spawning = spawnServer(conf, opts);
    state.spawning = spawning;
    try {
      state.child = await spawning;
    } catch (err) {
      opts.log.error({ err, attempt }, 'restarting the embedded redis-server failed; trying again');
      continue;
    } finally {
      state.spawning = undefined;
    }
    if (state.stopping) return; // shutdown() waited for this spawn and stops the new process
    watch(state, conf, opts);
    opts.log.warn({ pid: state.child.pid, port: state.port, attempt }, 'restarted the embedded redis-server');
    await state
      .onRestart?.(state.child.pid!)
      .catch((err: unknown) => opts.log.error({ err }, 'updating redis.json after a restart failed'));
    return;
  }
}

/** Stop supervising and end the server (SIGTERM: Redis flushes the AOF and exits); waits until it has exited. */
export async function shutdownSupervised(s: Supervised): Promise<void> {
  const state = s as State;
  state.stopping = true;
  await state.spawning?.catch(() => undefined);
  supervised.delete(state);
  const child = state.child;
  if (child.exitCode === null && child.signalCode === null) {
    child.ref();
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}

/** The server this process supervises on `port` (whichever process currently runs it), if any. */
export function supervisedOn(port: number): Supervised | undefined {
  for (const s of supervised) if (s.port === port) return s;
  return undefined;
}

/** On exit without closing: stop our servers unless `othersUse(s)` says another live process still needs one. */
let othersUse: (s: Supervised) => boolean = () => false;
export function setOthersUse(fn: (s: Supervised) => boolean): void {
  othersUse = fn;
}

function stopAllOnExit(): void {
  for (const s of supervised) {
    s.stopping = true;
    if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
    if (!othersUse(s)) s.child.kill('SIGTERM');
  }
}

/** Owner-only access to the Redis folder and the files in it (AOF, config), also for folders made before. */
async function tighten(redisDir: string): Promise<void> {
  await chmod(redisDir, 0o700);
  for (const entry of await readdir(redisDir, { withFileTypes: true, recursive: true })) {
    await chmod(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600).catch(() => undefined);
  }
}

function spawnServer(conf: string, opts: SpawnOptions): Promise<ChildProcess> {
  const { dir, port, log } = opts;
  const args = [conf, '--port', String(port), '--bind', '127.0.0.1', '--dir', join(dir, 'redis'), '--daemonize', 'no'];
  args.push('--appendonly', 'yes', '--appendfsync', 'always', '--save', '');
  // Files Redis creates (AOF, rewrites) are the owner's only: the child inherits this umask.
  const umask = setUmask(0o077);
  let child: ChildProcess;
  try {
    // Own process group: Ctrl-C in a terminal must not kill Redis before the bot has drained its work.
    child = spawn(opts.redisServer ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  } finally {
    if (umask !== undefined) setUmask(umask);
  }
  const tail: string[] = [];
  return new Promise<ChildProcess>((resolvePromise, reject) => {
    let ready = false;
    const onLine = (line: string): void => {
      log.debug({ redis: line }, 'embedded redis-server');
      if (ready) return;
      tail.push(line);
      if (!line.includes('Ready to accept connections')) return;
      ready = true;
      child.off('close', onEarlyClose);
      // Neither the server nor its log pipes keep this process alive: stop() or the exit hook ends the server.
      child.unref();
      (child.stdout as Socket).unref();
      (child.stderr as Socket).unref();
      resolvePromise(child);
    };
    const onEarlyClose = (code: number | null, signal: string | null): void => {
      const said = tail.slice(-4).join(' | ');
      if (said.includes('Address already in use')) return reject(new PortTaken(said));
      reject(new Error(`redis-server exited (${code ?? signal}) before it was ready: ${said}`));
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('close', onEarlyClose);
    child.on('exit', (code, signal) => {
      if (ready) log.info({ code, signal, pid: child.pid }, 'embedded redis-server exited');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (ready) return log.error({ err }, 'embedded redis-server error');
      if (err.code !== 'ENOENT') return reject(err);
      reject(
        new RedisNotInstalledError(
          `${opts.redisServer ?? 'redis-server'} was not found on PATH: run \`sh scripts/bootstrap.sh\` ` +
            '(or `apt-get install redis-server`), or set REDIS_URL to use a Redis you run yourself',
        ),
      );
    });
  });
}

/** process.umask is refused in worker threads; the 0700 folder still guards the files there. */
function setUmask(mask: number): number | undefined {
  try {
    return process.umask(mask);
  } catch {
    return undefined;
  }
}
