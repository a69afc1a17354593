/**
 * The embedded redis-server in a temp data folder: data survives a stop and a crash (AOF, fsync always), a
 * second open reuses the running server instead of starting another on the same files, and the last user's
 * stop ends the process. One case runs the first owner in a separate Node process, as the server and a CLI
 * subcommand would be.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { silentLogger as log } from '../../src/log.js';
import { connectRedis } from '../../src/redis/connect.js';
import { openEmbeddedRedis, type EmbeddedRedis } from '../../src/redis/embedded.js';

let dataDir: string;
const opened: EmbeddedRedis[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'zhucun-embedded-'));
});

afterEach(async () => {
  for (const r of opened.splice(0)) await r.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function open(): Promise<EmbeddedRedis> {
  const r = await openEmbeddedRedis({ dataDir, log });
  opened.push(r);
  return r;
}

/** Run one command on a fresh client and close it, as a short CLI run would. */
async function withClient<T>(url: string, fn: (c: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

/** A process that is gone or a zombie (exited, not yet reaped by whoever adopted it) no longer runs. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat[stat.lastIndexOf(')') + 2] !== 'Z';
}

describe('embedded Redis', () => {
  it('keeps its data across a stop and a new start (AOF)', async () => {
    const first = await open();
    expect(first.owned).toBe(true);
    await withClient(first.url, (c) => c.set('k', 'kept'));
    await first.stop();
    expect(running(first.pid)).toBe(false);

    const second = await open();
    expect(second.owned).toBe(true);
    expect(second.pid).not.toBe(first.pid);
    expect(await withClient(second.url, (c) => c.get('k'))).toBe('kept');
    const record = JSON.parse(await readFile(join(dataDir, 'redis.json'), 'utf8'));
    expect(record).toMatchObject({ port: second.port, pid: second.pid, startedBy: process.pid });
  });

  it('keeps an acknowledged write when redis-server is killed', async () => {
    const first = await open();
    await withClient(first.url, (c) => c.hset('h', 'f', 'acked'));
    process.kill(first.pid, 'SIGKILL');
    await first.stop();

    const second = await open();
    expect(second.pid).not.toBe(first.pid);
    expect(await withClient(second.url, (c) => c.hget('h', 'f'))).toBe('acked');
  });

  it('reuses the running server for a second open; the owner stops it', async () => {
    const owner = await open();
    const guest = await open();
    expect(guest.owned).toBe(false);
    expect(guest.port).toBe(owner.port);
    expect(guest.pid).toBe(owner.pid);

    await guest.stop();
    expect(await withClient(owner.url, (c) => c.ping())).toBe('PONG');
    await owner.stop();
    expect(running(owner.pid)).toBe(false);
  });

  it('hands the server over when the owner stops while another user still has it open', async () => {
    const owner = await open();
    const guest = await open();
    await owner.stop();
    expect(await withClient(guest.url, (c) => c.ping())).toBe('PONG');
    await guest.stop();
    expect(running(owner.pid)).toBe(false);
  });

  it('starts a single server when two opens race on a fresh folder', async () => {
    const [a, b] = await Promise.all([open(), open()]);
    expect([a.owned, b.owned].sort()).toEqual([false, true]);
    expect(a.pid).toBe(b.pid);
  });

  it('shares with another process, and takes the server over when that process dies', async () => {
    const script = [
      `const { openEmbeddedRedis } = await import(${JSON.stringify(fileURLToPath(new URL('../../src/redis/embedded.ts', import.meta.url)))});`,
      `const { silentLogger } = await import(${JSON.stringify(fileURLToPath(new URL('../../src/log.ts', import.meta.url)))});`,
      `const r = await openEmbeddedRedis({ dataDir: process.argv[1], log: silentLogger });`,
      `console.log(JSON.stringify({ pid: r.pid, port: r.port, owned: r.owned }));`,
      `setInterval(() => {}, 60000);`,
    ].join('\n');
    const other = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: other.stdout! }), 'line')) as [string];
    const theirs = JSON.parse(line) as { pid: number; port: number; owned: boolean };
    expect(theirs.owned).toBe(true);

    const guest = await open();
    expect(guest).toMatchObject({ owned: false, pid: theirs.pid, port: theirs.port });
    await guest.stop();
    expect(running(theirs.pid)).toBe(true);

    other.kill('SIGKILL');
    await once(other, 'exit');
    // Its own process group kept redis-server alive; the next open adopts it and its stop ends it.
    const heir = await open();
    expect(heir).toMatchObject({ owned: true, pid: theirs.pid });
    await heir.stop();
    expect(running(theirs.pid)).toBe(false);
  });

  it('is what connectRedis uses when neither REDIS_URL nor REDIS_CLUSTER_NODES is set', async () => {
    const conn = await connectRedis(loadEnv({ ZHUCUN_DATA_DIR: dataDir }), log);
    expect(conn.mode).toBe('embedded');
    await conn.redis.set('via', 'connect');
    const pid = Number(/process_id:(\d+)/.exec(await conn.redis.info('server'))![1]);
    await conn.close();
    expect(running(pid)).toBe(false);
  });

  it("requires its generated password, and its folder, files and redis.json are the owner's only", async () => {
    const r = await open();
    const password = new URL(r.url).password;
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    const anonymous = new Redis({
      port: r.port,
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    anonymous.on('error', () => undefined);
    await expect(anonymous.connect().then(() => anonymous.get('k'))).rejects.toThrow(/NOAUTH/);
    anonymous.disconnect();
    await withClient(r.url, (c) => c.set('k', 'v'));

    const record = JSON.parse(await readFile(join(dataDir, 'redis.json'), 'utf8'));
    expect(record.password).toBe(password);
    expect((await stat(join(dataDir, 'redis.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, 'redis'))).mode & 0o777).toBe(0o700);
    const entries = await readdir(join(dataDir, 'redis'), { withFileTypes: true, recursive: true });
    expect(entries.filter((e) => e.name.includes('.aof')).length).toBeGreaterThan(0);
    for (const e of entries) {
      const mode = (await stat(join(e.parentPath, e.name))).mode & 0o777;
      expect([e.name, mode]).toEqual([e.name, e.isDirectory() ? 0o700 : 0o600]);
    }
    // A guest in the same folder reads the password from redis.json.
    const guest = await open();
    expect(guest.url).toBe(r.url);

    const conn = await connectRedis(loadEnv({ ZHUCUN_DATA_DIR: dataDir }), log);
    expect(conn.target).not.toContain(password);
    expect(await conn.redis.get('k')).toBe('v');
    await conn.close();
  });

  it('is restarted on the same port and files when it dies, and clients reconnect by themselves', async () => {
    const r = await open();
    const client = new Redis(r.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 50,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.set('k', 'acked');
      const first = r.pid;
      process.kill(first, 'SIGKILL');
      // An open while it is down waits for the restart instead of starting a second server on the same files.
      const during = await open();
      expect(during.port).toBe(r.port);
      expect(during.pid).not.toBe(first);
      expect(r.pid).toBe(during.pid);
      let value: string | null = null;
      for (let i = 0; i < 100 && value === null; i++)
        value = await client.get('k').catch(async () => (await delay(100), null));
      expect(value).toBe('acked');
      const record = JSON.parse(await readFile(join(dataDir, 'redis.json'), 'utf8'));
      expect(record).toMatchObject({ port: r.port, pid: r.pid });

      // Dies again: restarted again (the back-off starts over after a successful restart).
      const second = r.pid;
      process.kill(second, 'SIGKILL');
      for (let i = 0; i < 100 && (r.pid === second || !(await client.ping().catch(() => null))); i++) await delay(100);
      expect(await client.get('k')).toBe('acked');
    } finally {
      client.disconnect();
    }
    const last = r.pid;
    for (const h of opened.splice(0)) await h.stop();
    expect(running(last)).toBe(false);
  });
});
