/**
 * The previous release's sample data (test/fixtures/prev-release/): a redis-server of its own, started from a
 * fresh copy of the RDB file that release's sandbox saved, so each test begins on exactly that state.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Keys } from '../../src/redis/keys.js';
import { freePort } from '../global-setup.js';
import { startRedisServer } from '../helpers/cluster.js';

const DIR = fileURLToPath(new URL('../fixtures/prev-release/', import.meta.url));

/** What the previous release answered to 我的考勤 / 考勤 2026-11, at the fixed moment `at`. */
export interface PreviousReplies {
  at: string;
  answers: { userid: string; text: string; reply: string }[];
}

export async function previousReplies(): Promise<PreviousReplies> {
  return JSON.parse(await readFile(join(DIR, 'attendance-replies.json'), 'utf8')) as PreviousReplies;
}

export interface FixtureStore {
  url: string;
  redis: Redis;
  /** The namespace the previous release's sandbox used (ZHUCUN_NAMESPACE's default). */
  keys: Keys;
  stop(): Promise<void>;
}

/** Start a redis-server on a copy of the previous release's RDB; `stop()` ends it and removes the copy. */
export async function startFixtureStore(): Promise<FixtureStore> {
  const dir = await mkdtemp(join(tmpdir(), 'zhucun-prev-'));
  await copyFile(join(DIR, 'prev-release.rdb'), join(dir, 'x.rdb'));
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = await startRedisServer([
      ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'x.rdb'],
      ...['--save', '', '--appendonly', 'no'],
    ]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const url = `redis://127.0.0.1:${port}`;
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  return {
    url,
    redis,
    keys: new Keys('zc'),
    stop: async () => {
      redis.disconnect();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
