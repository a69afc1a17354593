/**
 * The embedded Redis: with neither REDIS_URL nor REDIS_CLUSTER_NODES set, zhucun runs its own redis-server on
 * 127.0.0.1 with its files in `<ZHUCUN_DATA_DIR>/redis/`. Every write is appended and fsynced before Redis
 * answers (AOF only, `appendfsync always`), so a callback that was acknowledged survives a crash.
 *
 * Several zhucun processes share one data folder (the server, and CLI subcommands run beside it), and two
 * redis-servers must never write the same files. `<dir>/redis.json` records the running server: its port and pid,
 * `startedBy` (the process that will stop it) and `users` (open handles, `<pid>:<n>`). The record only changes
 * under a lock on the data folder. The first open starts the server, later opens reuse it, and the last user to
 * stop shuts it down: a CLI run that started Redis never pulls it away from a server that began using it meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { lock } from 'proper-lockfile';
import type { Logger } from '../log.js';

export interface EmbeddedRedis {
  url: string;
  port: number;
  /** Process id of the redis-server. */
  pid: number;
  /** True when this open started the server (or took over one left running by a process that died). */
  owned: boolean;
  /** Stop using the server; when no other live process uses it, shut it down and wait until it has exited. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  log: Logger;
  /** The redis-server program; looked up on PATH by default. */
  redisServer?: string;
}

/** redis-server is missing: the message says how to install it. */
export class RedisNotInstalledError extends Error {
  override name = 'RedisNotInstalledError';
}

interface ServerRecord {
  port: number;
  pid: number;
  startedBy: number;
  users: string[];
}

/** Servers this process spawned, so they are stopped when it exits without closing (an uncaught error). */
const spawned = new Map<number, { child: ChildProcess; dir: string }>();
let handleCount = 0;

/**
 * Open the embedded Redis of `dataDir`: reuse the server another handle or zhucun process already runs on these
 * files (its pid alive and its port answering with that pid and this folder), or start one and wait for its
 * "Ready to accept connections" line. Throws RedisNotInstalledError when redis-server is not installed.
 */
export async function openEmbeddedRedis(opts: EmbeddedOptions): Promise<EmbeddedRedis> {
  const dir = resolve(opts.dataDir);
  await mkdir(join(dir, 'redis'), { recursive: true });
  const me = `${process.pid}:${++handleCount}`;
  return withLock(dir, opts.log, async () => {
    const found = await readRecord(dir);
    if (found && (await answers(found, dir))) {
      const live = liveUsers(found);
      // Nobody alive uses it: its owner died and left it running, so this handle takes it over.
      const adopt = live.length === 0;
      await writeRecord(dir, { ...found, startedBy: adopt ? process.pid : found.startedBy, users: [...live, me] });
      opts.log.info({ port: found.port, pid: found.pid, adopt }, 'using the embedded redis-server already running');
      return handle(dir, found, me, adopt, opts.log);
    }
    const { child, port } = await startServer(dir, opts);
    const record: ServerRecord = { port, pid: child.pid!, startedBy: process.pid, users: [me] };
    await writeRecord(dir, record);
    opts.log.info({ port, pid: child.pid, dir: join(dir, 'redis') }, 'started the embedded redis-server');
    return handle(dir, record, me, true, opts.log);
  });
}

function handle(dir: string, rec: ServerRecord, me: string, owned: boolean, log: Logger): EmbeddedRedis {
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${rec.port}`,
    port: rec.port,
    pid: rec.pid,
    owned,
    stop: () => (stopping ??= withLock(dir, log, () => release(dir, rec, me, log))),
  };
}

async function release(dir: string, rec: ServerRecord, me: string, log: Logger): Promise<void> {
  const now = await readRecord(dir);
  if (!now || now.pid !== rec.pid) {
    // The record names another server (ours stopped answering and was replaced): nobody registered uses ours.
    if (spawned.has(rec.pid)) await shutdown(dir, rec, log);
    return;
  }
  const rest = liveUsers(now).filter((u) => u !== me);
  if (rest.length > 0) {
    const startedBy = rest.some((u) => pidOf(u) === now.startedBy) ? now.startedBy : pidOf(rest[0]!);
    await writeRecord(dir, { ...now, startedBy, users: rest });
    log.info({ pid: now.pid, users: rest.length }, 'leaving the embedded redis-server running for its other users');
    return;
  }
  await shutdown(dir, now, log);
  await rm(recordPath(dir), { force: true });
}

/** SIGTERM our own child (Redis flushes the AOF and exits); SHUTDOWN through a client for one we took over. */
async function shutdown(dir: string, rec: ServerRecord, log: Logger): Promise<void> {
  const own = spawned.get(rec.pid)?.child;
  if (own) {
    if (own.exitCode === null && own.signalCode === null) {
      own.ref();
      own.kill('SIGTERM');
      await once(own, 'exit');
    }
    spawned.delete(rec.pid);
  } else if (await answers(rec, dir)) {
    const client = probeClient(rec.port);
    await client
      .connect()
      .then(() => client.shutdown())
      .catch(() => undefined); // the connection closes as the server exits; the pid below is what counts
    client.disconnect();
    for (let i = 0; i < 400 && isAlive(rec.pid); i++) await delay(25);
    if (isAlive(rec.pid)) throw new Error(`embedded redis-server (pid ${rec.pid}) did not exit after SHUTDOWN`);
  }
  log.info({ pid: rec.pid }, 'stopped the embedded redis-server');
}

async function startServer(dir: string, opts: EmbeddedOptions): Promise<{ child: ChildProcess; port: number }> {
  // A free port can be taken between probing and binding; another port is then fine.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { child: await spawnServer(dir, port, opts), port };
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt === 3) throw err;
    }
  }
}

class PortTaken extends Error {}

function spawnServer(dir: string, port: number, opts: EmbeddedOptions): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', join(dir, 'redis'), '--daemonize', 'no'];
  args.push('--appendonly', 'yes', '--appendfsync', 'always', '--save', '');
  // Own process group: Ctrl-C in a terminal must not kill Redis before the bot has drained its work.
  const child = spawn(opts.redisServer ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const tail: string[] = [];
  return new Promise<ChildProcess>((resolvePromise, reject) => {
    let ready = false;
    const onLine = (line: string): void => {
      opts.log.debug({ redis: line }, 'embedded redis-server');
      if (ready) return;
      tail.push(line);
      if (!line.includes('Ready to accept connections')) return;
      ready = true;
      child.off('close', onEarlyClose);
      spawned.set(child.pid!, { child, dir });
      if (process.listeners('exit').indexOf(stopSpawnedOnExit) === -1) process.on('exit', stopSpawnedOnExit);
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
      if (ready) opts.log.info({ code, signal, pid: child.pid }, 'embedded redis-server exited');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (ready) return opts.log.error({ err }, 'embedded redis-server error');
      if (err.code !== 'ENOENT') return reject(err);
      reject(new RedisNotInstalledError(
        `${opts.redisServer ?? 'redis-server'} was not found on PATH: run \`sh scripts/bootstrap.sh\` ` +
          '(or `apt-get install redis-server`), or set REDIS_URL to use a Redis you run yourself',
      ));
    });
  });
}

function stopSpawnedOnExit(): void {
  for (const { child, dir } of spawned.values()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    let rec: ServerRecord | undefined;
    try {
      rec = parseRecord(readFileSync(recordPath(dir), 'utf8'));
    } catch {
      rec = undefined;
    }
    const othersUse = rec !== undefined && rec.pid === child.pid && liveUsers(rec).some((u) => pidOf(u) !== process.pid);
    if (!othersUse) child.kill('SIGTERM');
  }
}

/** True when the recorded server is alive and is the one serving this data folder. */
async function answers(rec: ServerRecord, dir: string): Promise<boolean> {
  if (!isAlive(rec.pid)) return false;
  const client = probeClient(rec.port);
  try {
    await client.connect();
    const info = await client.info('server');
    const [, servedDir] = (await client.config('GET', 'dir')) as string[];
    return /process_id:(\d+)/.exec(info)?.[1] === String(rec.pid) && servedDir === (await realpath(join(dir, 'redis')));
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function probeClient(port: number): Redis {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  client.on('error', () => undefined); // a failed probe is an answer, reported by the awaited call
  return client;
}

async function withLock<T>(dir: string, log: Logger, fn: () => Promise<T>): Promise<T> {
  const release = await lock(dir, {
    lockfilePath: join(dir, 'redis.lock'),
    retries: { retries: 200, factor: 1.3, minTimeout: 10, maxTimeout: 300 },
    onCompromised: (err) => log.error({ err, dir }, 'lost the lock on the data folder (ZHUCUN_DATA_DIR)'),
  }).catch((err: Error) => {
    throw new Error(`cannot lock the data folder ${dir} (ZHUCUN_DATA_DIR): ${err.message}`);
  });
  try {
    return await fn();
  } finally {
    await release().catch((err: unknown) => log.warn({ err }, 'releasing the data folder lock failed'));
  }
}

function recordPath(dir: string): string {
  return join(dir, 'redis.json');
}

function parseRecord(text: string): ServerRecord | undefined {
  const r = JSON.parse(text) as Partial<ServerRecord>;
  if (!Number.isInteger(r.port) || !Number.isInteger(r.pid) || !Number.isInteger(r.startedBy)) return undefined;
  return { port: r.port!, pid: r.pid!, startedBy: r.startedBy!, users: Array.isArray(r.users) ? r.users : [`${r.startedBy}:0`] };
}

async function readRecord(dir: string): Promise<ServerRecord | undefined> {
  try {
    return parseRecord(await readFile(recordPath(dir), 'utf8'));
  } catch {
    return undefined; // missing or torn: treated as no server, and the port check guards the rest
  }
}

async function writeRecord(dir: string, rec: ServerRecord): Promise<void> {
  const tmp = `${recordPath(dir)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(rec)}\n`);
  await rename(tmp, recordPath(dir));
}

function pidOf(user: string): number {
  return Number(user.split(':')[0]);
}

function liveUsers(rec: ServerRecord): string[] {
  return rec.users.filter((u) => isAlive(pidOf(u)));
}

/** Whether a process exists and is not a zombie (an exited child nobody reaped still answers kill 0). */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return true; // no /proc (not Linux): kill 0 is the best answer there
  }
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  srv.close();
  await once(srv, 'close');
  return port;
}
