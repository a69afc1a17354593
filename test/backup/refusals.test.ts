/**
 * `zhucun backup` and `zhucun restore` on the command line: what they print, and every refusal — a non-empty
 * namespace, a sandbox snapshot into production (and real data into the sandbox), a truncated, altered or
 * newer file — changing nothing (a bad file is refused before Redis is even reached). `--replace` empties the
 * namespace first. A restore runs the retention step: exact positions due to be reduced do not come back.
 */
import { Worker } from 'bullmq';
import { QUEUE_NAME } from '../../src/outbox/outbox.js';
import { claimStore } from '../../src/config/store-kind.js';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { TRUST } from '../../src/attendance/record.js';
import { wipeNamespace } from '../../src/redis/wipe.js';
import { readNamespace } from '../../src/backup/read.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { run as backupCli } from '../../src/cli/backup.js';
import type { CliIO } from '../../src/cli/io.js';
import { run as restoreCli } from '../../src/cli/restore.js';
import { Keys } from '../../src/redis/keys.js';
import { Tx } from '../../src/redis/tx.js';
import { RosterStore } from '../../src/roster/store.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const used = new Set<string>();
const ns = (suffix: string) => {
  used.add(`${t.keys.ns}${suffix}`);
  return new Keys(`${t.keys.ns}${suffix}`);
};
afterAll(async () => {
  for (const name of used) await wipeNamespace(t.redis, name);
});
const prod = ns('p');
const sand = ns('s');
let dir = '';
let out = '';
const io = (env: NodeJS.ProcessEnv = {}): CliIO => ({
  out: (s) => (out += s),
  err: () => {},
  log: pino({ enabled: false }),
  env,
});
let opened = 0;
const open = (keys: Keys) => async () => {
  opened++;
  return { redis: t.redis, keys, roster: new RosterStore(t.redis, keys), close: async () => {} };
};
const backup = (keys: Keys, file: string) => backupCli(['--out', file, '--json'], io(), open(keys));
const restore = (keys: Keys, file: string, env: NodeJS.ProcessEnv = {}, ...extra: string[]) =>
  restoreCli([file, ...extra], io(env), open(keys));
const dump = async (keys: Keys) => (await readNamespace(t.redis, keys)).map(({ ttl: _t, ...r }) => r);

/** Check-ins with an exact position on each date, as the check-in page stores them. */
async function checkIns(keys: Keys, userId: string, dates: string[]): Promise<void> {
  const ledger = new CheckinRepo(t.redis, keys);
  const tx = new Tx();
  for (const date of dates)
    ledger.add(tx, userId, date, [], {
      id: `page:${userId}:${date}`,
      at: new Date(`${date}T09:00:00+08:00`).toISOString(),
      source: 'page',
      trust: TRUST.page,
      direction: 'in',
      lat: 35.6,
      lng: 111.3,
      accuracyM: 20,
      distanceM: 120,
      inside: true,
      counts: true,
    });
  await tx.commit(t.redis);
}

/** Rewrite a snapshot's lines (header first, trailer last) and its checksum, as a newer version would. */
function rewrite(file: Buffer, edit: (lines: string[]) => string[], resum = true): Buffer {
  const lines = edit(gunzipSync(file).toString('utf8').trimEnd().split('\n'));
  if (resum) {
    const hash = createHash('sha256');
    for (const l of lines.slice(0, -1)) hash.update(`${l}\n`);
    const trailer = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    lines[lines.length - 1] = JSON.stringify({ ...trailer, sha256: hash.digest('hex') });
  }
  return gzipSync(`${lines.join('\n')}\n`);
}

let prodFile = '';
let sandFile = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zc-restore-'));
  await new RosterStore(t.redis, prod).replace(sampleRosterData());
  await t.redis.set(prod.storeKind(), 'production');
  await checkIns(prod, 'LiXiaoYan', ['2026-10-01', '2026-10-20', '2026-11-10', '2026-11-17']);
  await t.redis.set(sand.storeKind(), 'sandbox');
  await t.redis.set(sand.sandboxClock(), '0');
  prodFile = join(dir, 'prod.jsonl.gz');
  sandFile = join(dir, 'sand.jsonl.gz');
  expect(await backup(prod, prodFile)).toBe(0);
  expect(JSON.parse(out)).toMatchObject({ ok: true, file: prodFile, snapshot: { storeKind: 'production' } });
  expect(await backup(sand, sandFile)).toBe(0);
});

describe('zhucun restore refuses, changing nothing', () => {
  it('a namespace that is not empty, unless --replace', async () => {
    const target = ns('full');
    await t.redis.set(target.storeKind(), 'production');
    await t.redis.hset(target.leaves('LiXiaoYan'), 'Q1', '{}');
    const before = await dump(target);
    await expect(restore(target, prodFile)).rejects.toThrow(/is not empty.*--replace/);
    expect(await dump(target)).toEqual(before);

    out = '';
    expect(await restore(target, prodFile, {}, '--replace', '--json')).toBe(0);
    const result = JSON.parse(out) as { wiped: number; written: number };
    expect(result.wiped).toBe(2);
    expect(await t.redis.exists(target.leaves('LiXiaoYan'))).toBe(0);
    expect(await t.redis.get(target.roster())).toBe(await t.redis.get(prod.roster()));
  });

  it('a store a restore left half-loaded: nothing starts on it, and only --replace restores it again', async () => {
    const target = ns('half');
    // What an interrupted restore leaves: its marker and part of the data.
    await t.redis.set(target.storeKind(), 'restoring');
    await t.redis.hset(target.leaves('LiXiaoYan'), 'Q1', '{}');
    await expect(claimStore(t.redis, target, 'production')).rejects.toThrow(/did not finish.*--replace/);
    await expect(restore(target, prodFile)).rejects.toThrow(/did not finish: add --replace/);
    expect(await restore(target, prodFile, {}, '--replace')).toBe(0);
    expect(await t.redis.get(target.storeKind())).toBe('production');
    expect(await t.redis.exists(target.leaves('LiXiaoYan'))).toBe(0);
  });

  it('a namespace a running bot sends from', async () => {
    const target = ns('live');
    // What a running instance looks like from Redis: a worker on the namespace's outbox queue.
    const connection = t.redis.duplicate({ maxRetriesPerRequest: null });
    const worker = new Worker(QUEUE_NAME, async () => {}, { connection, prefix: target.queuePrefix() });
    await worker.waitUntilReady();
    try {
      const before = await dump(target);
      await expect(restore(target, prodFile, {}, '--replace')).rejects.toThrow(
        /1 running bot instance\(s\).*stop them/,
      );
      expect(await dump(target)).toEqual(before);
    } finally {
      await worker.close();
      connection.disconnect();
    }
    // Stopped, it restores (the worker left its queue's meta record: --replace).
    expect(await restore(target, prodFile, {}, '--replace')).toBe(0);
  });

  it('a sandbox snapshot into production, and real data into the sandbox', async () => {
    const target = ns('empty');
    await expect(restore(target, sandFile)).rejects.toThrow(/sandbox.*ZHUCUN_SANDBOX=1/);
    await expect(restore(target, prodFile, { ZHUCUN_SANDBOX: '1' })).rejects.toThrow(
      /production.*without ZHUCUN_SANDBOX/,
    );
    // --replace never lets a sandbox run wipe a production store.
    const real = ns('real');
    await t.redis.set(real.storeKind(), 'production');
    await expect(restore(real, sandFile, { ZHUCUN_SANDBOX: '1' }, '--replace')).rejects.toThrow(
      /holds a production store/,
    );
    expect(await dump(target)).toEqual([]);
    expect(await dump(real)).toEqual([{ k: '{store}:kind', t: 'string', v: 'production' }]);
    // Where it belongs it restores.
    expect(await restore(ns('sandbox'), sandFile, { ZHUCUN_SANDBOX: '1' })).toBe(0);
    expect(await t.redis.get(ns('sandbox').storeKind())).toBe('sandbox');
  });

  it('a truncated, altered or newer file, before reaching Redis', async () => {
    const target = ns('bad');
    const good = await readFile(prodFile);
    const bad = async (name: string, bytes: Buffer, reason: RegExp) => {
      const file = join(dir, name);
      await writeFile(file, bytes);
      opened = 0;
      await expect(restore(target, file)).rejects.toThrow(reason);
      expect(opened).toBe(0);
    };
    await bad('cut.gz', good.subarray(0, Math.floor(good.length / 2)), /truncated/);
    await bad(
      'no-trailer.gz',
      rewrite(good, (l) => l.slice(0, -1), false),
      /truncated/,
    );
    await bad(
      'lost-line.gz',
      rewrite(good, (l) => [...l.slice(0, 2), ...l.slice(3)], false),
      /checksum/,
    );
    await bad(
      'altered.gz',
      rewrite(good, (l) => l.map((x, i) => (i === 2 ? x.replace('"k"', '"k" ') : x)), false),
      /checksum/,
    );
    const header = (edit: Record<string, unknown>) =>
      rewrite(good, (l) => [JSON.stringify({ ...(JSON.parse(l[0]!) as object), ...edit }), ...l.slice(1)]);
    await bad('format2.gz', header({ formatVersion: 2 }), /format version 2 is newer/);
    await bad('schema9.gz', header({ schemaVersion: 9 }), /schema version 9, newer/);
    await bad('other.gz', header({ format: 'something-else' }), /not a zhucun-backup snapshot/);
    await bad('plain.txt', Buffer.from('hello'), /not a complete gzip file/);
    expect(await dump(target)).toEqual([]);
  });
});

describe('a restore', () => {
  it('runs the retention step: positions older than retention.exactLocationDays do not come back', async () => {
    const target = ns('ret');
    const ctx = { ...testDeps({ ...t, keys: target }), clock: { now: () => new Date('2026-11-25T10:00:00+08:00') } };
    const result = await restoreBackup(await readFile(prodFile), ctx, {
      replace: false,
      target: 'production',
      name: 'prod.jsonl.gz',
      actor: 'cli:test@host',
      channel: 'cli',
    });
    // 30 days before 25 November: 26 October keeps its position, anything before loses it.
    expect(result.reduced).toMatchObject({ checkins: 2, days: 2, from: '2026-10-01', to: '2026-10-20' });
    const ledger = new CheckinRepo(t.redis, target);
    const [oct, nov] = [await ledger.month('LiXiaoYan', '2026-10'), await ledger.month('LiXiaoYan', '2026-11')];
    expect(oct.get('2026-10-01')![0]).not.toHaveProperty('lat');
    expect(oct.get('2026-10-20')![0]).toMatchObject({ distanceM: 120, inside: true, counts: true });
    expect(oct.get('2026-10-20')![0]).not.toHaveProperty('accuracyM');
    expect(nov.get('2026-11-10')![0]).toMatchObject({ lat: 35.6, lng: 111.3 });
    // The presence bitmap, and so every figure, is the same.
    expect(await t.redis.getBuffer(target.presence('LiXiaoYan', 2026))).toEqual(
      await t.redis.getBuffer(prod.presence('LiXiaoYan', 2026)),
    );
  });
});
