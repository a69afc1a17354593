/**
 * `zhucun backup` and `zhucun restore` as an operator runs them (bin/zhucun.js, the environment naming Redis
 * and the namespace): one JSON document with --json, exit 1 with the reason for a refused restore, exit 2 for
 * a usage error.
 */
import { formatStamp, SCHEMA_VERSION } from '../../src/migrate/version.js';
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { wipeNamespace } from '../../src/redis/wipe.js';
import { Keys } from '../../src/redis/keys.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const copy = new Keys(`${t.keys.ns}c`);
afterAll(() => wipeNamespace(t.redis, copy.ns));
let file = '';
/** What the set-up stores: the store's kind, the roster, its version, the histories, their token, the schema stamp. */
const KEYS = 6;

function zhucun(ns: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['bin/zhucun.js', ...args], {
    env: { PATH: process.env.PATH, REDIS_URL: inject('redisUrl'), ZHUCUN_NAMESPACE: ns, LOG_LEVEL: 'silent' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

beforeAll(async () => {
  await t.redis.set(t.keys.storeKind(), 'production');
  await testDeps(t).roster.replace(sampleRosterData());
  // Stamped at this code's schema, as a store the bot has run on is: the restore then migrates nothing.
  await t.redis.set(t.keys.schemaVersion(), formatStamp({ version: SCHEMA_VERSION, minReader: 0, by: 'test' }));
  file = join(await mkdtemp(join(tmpdir(), 'zc-cli-backup-')), 'zc.jsonl.gz');
});

describe('zhucun backup and restore', () => {
  it('writes a snapshot and restores it into an empty namespace', async () => {
    const taken = await zhucun(t.keys.ns, 'backup', '--out', file, '--json');
    expect(taken.err).toBe('');
    expect(taken.code).toBe(0);
    expect(JSON.parse(taken.out)).toMatchObject({ ok: true, file, snapshot: { namespace: t.keys.ns, keys: KEYS } });

    const restored = await zhucun(copy.ns, 'restore', file, '--json');
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.out)).toMatchObject({ ok: true, namespace: copy.ns, written: KEYS, wiped: 0 });
    expect(await t.redis.get(copy.roster())).toBe(await t.redis.get(t.keys.roster()));
  }, 60_000);

  it('refuses a second restore into the same namespace with exit 1 and the reason', async () => {
    const again = await zhucun(copy.ns, 'restore', file);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`the namespace "${copy.ns}" is not empty`);
    expect(again.out).toBe('');
  }, 60_000);

  it('answers a missing --out with exit 2 and the usage', async () => {
    const r = await zhucun(t.keys.ns, 'backup');
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage: zhucun backup --out FILE');
  }, 60_000);
});
