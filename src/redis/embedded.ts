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
 *
 * The server requires a password generated when it starts; it is kept in redis.json, which like the Redis folder
 * and its files is readable by its owner only (0600 / 0700). The process that started the server supervises it
 * (embedded-server.ts) and restarts it on the same port and files when it dies.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { lock } from 'proper-lockfile';
import type { Logger } from '../log.js';
import {
  PortTaken,
  setOthersUse,
  shutdownSupervised,
  startSupervised,
  supervisedOn,
  type Supervised,
} from './embedded-server.js';

export { RedisNotInstalledError } from './embedded-server.js';

export interface EmbeddedRedis {
  /** `redis://:<password>@127.0.0.1:<port>`: never log it (see `connectRedis`'s target). */
  url: string;
  port: number;
  /** Process id of the redis-server (the current one, after a restart by this process). */
  readonly pid: number;
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

interface ServerRecord {
  port: number;
  pid: number;
  startedBy: number;
  users: string[];
  /** requirepass of the server; absent in records written before passwords were generated. */
  password?: string;
  /** The process that spawned the server and restarts it when it dies. */
  supervisor?: number;
}

let handleCount = 0;

// On exit without closing (an uncaught error), a server another live process still uses is left running.
setOthersUse((s) => {
  try {
    const rec = parseRecord(readFileSync(recordPath(s.dir), 'utf8'));
    return rec !== undefined && rec.port === s.port && liveUsers(rec).some((u) => pidOf(u) !== process.pid);
  } catch {
    return false;
  }
});

/**
 * Open the embedded Redis of `dataDir`: reuse the server another handle or zhucun process already runs on these
 * files (its pid alive and its port answering with that pid and this folder), or start one and wait for its
 * "Ready to accept connections" line. Throws RedisNotInstalledError when redis-server is not installed.
 */
export async function openEmbeddedRedis(opts: EmbeddedOptions): Promise<EmbeddedRedis> {
  const dir = resolve(opts.dataDir);
  await mkdir(join(dir, 'redis'), { recursive: true, mode: 0o700 });
  const me = `${process.pid}:${++handleCount}`;
  return withLock(dir, opts.log, async () => {
    const found = await readRecord(dir);
    const pid = found && (await runningServer(found, dir, opts.log));
    if (found && pid) {
      const live = liveUsers(found);
      // Nobody alive uses it: its owner died and left it running, so this handle takes it over.
      const adopt = live.length === 0;
      const rec = { ...found, pid };
      await writeRecord(dir, { ...rec, startedBy: adopt ? process.pid : found.startedBy, users: [...live, me] });
      opts.log.info({ port: found.port, pid, adopt }, 'using the embedded redis-server already running');
      return handle(dir, rec, me, adopt, opts.log);
    }
    const server = await startServer(dir, opts);
    const record: ServerRecord = {
      port: server.port,
      pid: server.child.pid!,
      startedBy: process.pid,
      supervisor: process.pid,
      users: [me],
      password: server.password,
    };
    await writeRecord(dir, record);
    server.onRestart = (newPid) => withLock(dir, opts.log, () => recordRestart(dir, server, newPid));
    opts.log.info({ port: server.port, pid: record.pid, dir: join(dir, 'redis') }, 'started the embedded redis-server');
    return handle(dir, record, me, true, opts.log, server);
  });
}

/** How long an open waits for the supervisor of a server that died to bring it back (ms). */
const RESTART_WAIT_MS = 15_000;

/**
 * The pid of the recorded server when it answers on its port and serves this folder. A server that does not
 * answer while the process supervising it is alive is being restarted: wait for it rather than start a second
 * server on the same files.
 */
async function runningServer(rec: ServerRecord, dir: string, log: Logger): Promise<number | undefined> {
  const deadline = Date.now() + RESTART_WAIT_MS;
  for (let waited = false; ; waited = true) {
    const pid = await servingPid(rec, dir);
    if (pid !== undefined) return pid;
    if (!beingRestarted(rec)) return undefined;
    if (Date.now() >= deadline) {
      throw new Error(
        `the embedded redis-server of ${dir} is down and process ${rec.supervisor} is restarting it; try again later`,
      );
    }
    if (!waited)
      log.warn({ supervisor: rec.supervisor }, 'embedded redis-server down; waiting for its supervisor to restart it');
    await delay(100);
  }
}

/** After a supervised restart: the record names the new process, so that other opens recognise it. */
async function recordRestart(dir: string, server: Supervised, pid: number): Promise<void> {
  const now = await readRecord(dir);
  if (now?.port === server.port && now.password === server.password) await writeRecord(dir, { ...now, pid });
}

function handle(
  dir: string,
  rec: ServerRecord,
  me: string,
  owned: boolean,
  log: Logger,
  server?: Supervised,
): EmbeddedRedis {
  let stopping: Promise<void> | undefined;
  const auth = rec.password ? `:${rec.password}@` : '';
  const ours = server ?? supervisedOn(rec.port);
  return {
    url: `redis://${auth}127.0.0.1:${rec.port}`,
    port: rec.port,
    get pid() {
      return ours?.child.pid ?? rec.pid;
    },
    owned,
    stop: () => (stopping ??= withLock(dir, log, () => release(dir, rec, me, log))),
  };
}

/** The same server: a supervised restart keeps port and password and changes only the pid. */
function sameServer(a: ServerRecord, b: ServerRecord): boolean {
  return a.port === b.port && a.password === b.password;
}

async function release(dir: string, rec: ServerRecord, me: string, log: Logger): Promise<void> {
  const now = await readRecord(dir);
  if (!now || !sameServer(now, rec)) {
    // The record names another server (ours stopped answering and was replaced): nobody registered uses ours.
    const ours = supervisedOn(rec.port);
    if (ours) await shutdownSupervised(ours);
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
  const own = supervisedOn(rec.port);
  if (own && own.password === rec.password) {
    await shutdownSupervised(own);
  } else if ((await servingPid(rec, dir)) !== undefined) {
    const client = probeClient(rec);
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

async function startServer(dir: string, opts: EmbeddedOptions): Promise<Supervised> {
  const password = randomBytes(24).toString('hex');
  // A free port can be taken between probing and binding; another port is then fine.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startSupervised({ dir, port, password, log: opts.log, redisServer: opts.redisServer });
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt === 3) throw err;
    }
  }
}

/** Whether a live process (this one included) supervises the recorded server and so will bring it back. */
function beingRestarted(rec: ServerRecord): boolean {
  if (rec.supervisor === undefined) return false;
  if (rec.supervisor === process.pid) return supervisedOn(rec.port)?.password === rec.password;
  return isAlive(rec.supervisor);
}

/** The pid of the server on the recorded port when it answers and serves this data folder; undefined otherwise. */
async function servingPid(rec: ServerRecord, dir: string): Promise<number | undefined> {
  const client = probeClient(rec);
  try {
    await client.connect();
    const info = await client.info('server');
    const [, servedDir] = (await client.config('GET', 'dir')) as string[];
    const pid = Number(/process_id:(\d+)/.exec(info)?.[1]);
    return servedDir === (await realpath(join(dir, 'redis'))) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

function probeClient(rec: ServerRecord): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port: rec.port,
    password: rec.password,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
  });
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
  const users = Array.isArray(r.users) ? r.users : [`${r.startedBy}:0`];
  const extra = {
    ...(typeof r.password === 'string' ? { password: r.password } : {}),
    ...(Number.isInteger(r.supervisor) ? { supervisor: r.supervisor } : {}),
  };
  return { port: r.port!, pid: r.pid!, startedBy: r.startedBy!, users, ...extra };
}

async function readRecord(dir: string): Promise<ServerRecord | undefined> {
  try {
    return parseRecord(await readFile(recordPath(dir), 'utf8'));
  } catch {
    return undefined; // missing or torn: treated as no server, and the port check guards the rest
  }
}

async function writeRecord(dir: string, rec: ServerRecord): Promise<void> {
  // It holds the password: owner-only, also when an older version wrote it with the default mode.
  const tmp = `${recordPath(dir)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(rec)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
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
