/**
 * A snapshot of an older release's data (no schema stamp, no assignment histories) is brought to this code's
 * schema by the restore, as a start would: stamped at the current version, the migration steps run once.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wipeNamespace } from '../../src/redis/wipe.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { takeBackup } from '../../src/backup/take.js';
import { readSchemaVersion, SCHEMA_VERSION } from '../../src/migrate/version.js';
import { Keys } from '../../src/redis/keys.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-18T02:00:00+08:00');
const target = { ...t, keys: new Keys(`${t.keys.ns}m`) };
afterAll(() => wipeNamespace(t.redis, target.keys.ns));

describe('a snapshot of an older schema', () => {
  it('is migrated after the restore: stamped, with the steps run once', async () => {
    const roster = sampleRosterData();
    // What the previous release stored: the roster document only, no stamp and no histories.
    await t.redis.set(t.keys.storeKind(), 'production');
    await t.redis.set(t.keys.roster(), JSON.stringify(roster));
    const file = join(await mkdtemp(join(tmpdir(), 'zc-older-')), 'old.jsonl.gz');
    const taken = await takeBackup(t.redis, t.keys, { file, now: NOW, actor: 'cli:test@host', channel: 'cli' });
    expect(taken.header.schemaVersion).toBe(0);

    const ctx = { ...testDeps(target), clock: { now: () => NOW } };
    const opts = {
      replace: false,
      target: 'production',
      name: 'old.jsonl.gz',
      actor: 'cli:t@h',
      channel: 'cli',
    } as const;
    const result = await restoreBackup(await readFile(file), ctx, opts);
    expect(result.migrated).toBe(SCHEMA_VERSION);
    expect((await readSchemaVersion(t.redis, target.keys)).version).toBe(SCHEMA_VERSION);
    expect(await t.redis.hlen(target.keys.assignments())).toBe(roster.cadres.length);
  });
});
