/**
 * The migration runner on a store of its own: a new install is stamped without running steps, old data runs
 * them, data newer than the code starts only when the code can read it, and the lock makes a second instance
 * wait, gives up with a clear message, and is never trusted once lost.
 */
import calculateSlot from 'cluster-key-slot';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log.js';
import { checkSteps, migrate, type MigrateOptions } from '../../src/migrate/run.js';
import type { MigrationStep } from '../../src/migrate/step.js';
import { Keys } from '../../src/redis/keys.js';
import { readSchemaVersion, SchemaError } from '../../src/migrate/version.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const { redis } = t;
const clock = fixedClock('2026-12-05T08:00:00+08:00');
let n = 0;
/** A namespace of its own for each test. */
const fresh = () => new Keys(`${t.keys.ns}x${++n}`);

function step(version: number, run: MigrationStep['run'] = async () => {}, minReader = 0): MigrationStep {
  return { version, name: `step ${version}`, minReader, run };
}

function recorder(count: number, minReaders: number[] = []) {
  const ran: number[] = [];
  const steps = Array.from({ length: count }, (_, i) =>
    step(i + 1, async () => void ran.push(i + 1), minReaders[i] ?? 0),
  );
  return { ran, steps };
}

const opts = (steps: readonly MigrationStep[], more: Partial<MigrateOptions> = {}): MigrateOptions => ({
  log: silentLogger,
  clock,
  steps,
  by: 'cli:ops@host',
  ...more,
});

const stamp = (keys: Keys, version: number, minReader: number) =>
  redis.set(keys.schemaVersion(), JSON.stringify({ version, minReader, migratedAt: 'x', by: 'cli:new@host' }));

describe('migrate', () => {
  it('stamps an empty store (only the store marker) with the current version and runs no step', async () => {
    const keys = fresh();
    await redis.set(keys.storeKind(), 'production');
    const { ran, steps } = recorder(3, [0, 1, 1]);
    expect(await migrate(redis, keys, opts(steps))).toEqual({ from: 0, to: 3, ran: [], fresh: true, newer: false });
    expect(ran).toEqual([]);
    expect(await readSchemaVersion(redis, keys)).toEqual({
      version: 3,
      minReader: 1,
      migratedAt: clock.now().toISOString(),
      by: 'cli:ops@host',
      stamped: true,
    });
  });

  it('runs every step, in order, on data from before versioning, and keeps the highest minReader', async () => {
    const keys = fresh();
    await redis.set(keys.roster(), JSON.stringify({ cadres: [] }));
    const { ran, steps } = recorder(3, [0, 2, 1]);
    const result = await migrate(redis, keys, opts(steps));
    expect(result).toMatchObject({ from: 0, to: 3, fresh: false, newer: false });
    expect(result.ran.map((r) => r.version)).toEqual([1, 2, 3]);
    expect(ran).toEqual([1, 2, 3]);
    expect(await readSchemaVersion(redis, keys)).toMatchObject({ version: 3, minReader: 2 });
  });

  it('runs only the steps after the stored version', async () => {
    const keys = fresh();
    await stamp(keys, 2, 0);
    const { ran, steps } = recorder(4);
    expect((await migrate(redis, keys, opts(steps))).ran.map((r) => r.version)).toEqual([3, 4]);
    expect(ran).toEqual([3, 4]);
  });

  it('starts on newer data it can still read, changing nothing', async () => {
    const keys = fresh();
    await stamp(keys, 5, 2);
    const before = await redis.get(keys.schemaVersion());
    const { ran, steps } = recorder(2);
    expect(await migrate(redis, keys, opts(steps))).toEqual({ from: 5, to: 5, ran: [], fresh: false, newer: true });
    expect(ran).toEqual([]);
    expect(await redis.get(keys.schemaVersion())).toBe(before);
  });

  it('refuses newer data it cannot read, saying which version it needs, and takes no lock', async () => {
    const keys = fresh();
    await stamp(keys, 5, 3);
    const { ran, steps } = recorder(2);
    const run = migrate(redis, keys, opts(steps));
    await expect(run).rejects.toThrow(SchemaError);
    await expect(run).rejects.toThrow(
      /is at schema version 5 and needs code of schema version 3 or newer to read it; this code is at version 2/,
    );
    expect(ran).toEqual([]);
    expect(await redis.exists(keys.migrateLock())).toBe(0);
  });

  it('refuses a damaged stamp, naming the key', async () => {
    const keys = fresh();
    await redis.set(keys.schemaVersion(), '7');
    await expect(migrate(redis, keys, opts(recorder(1).steps))).rejects.toThrow(
      `${keys.schemaVersion()} holds "7", not a schema version stamp`,
    );
  });

  it('waits while another instance holds the lock, then runs', async () => {
    const keys = fresh();
    await redis.set(keys.roster(), '{"cadres":[]}');
    await redis.set(keys.migrateLock(), 'otherhost:42:abc', 'PX', 60_000);
    let released = false;
    const seenAtRun: (string | null)[] = [];
    const steps = [step(1, async () => void seenAtRun.push(released ? 'released' : null))];
    const waited: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void waited.push(JSON.parse(l).msg as string) });
    const run = migrate(redis, keys, opts(steps, { log }));
    await new Promise((r) => setTimeout(r, 300));
    expect(seenAtRun).toEqual([]);
    released = true;
    await redis.del(keys.migrateLock());
    expect((await run).ran).toHaveLength(1);
    expect(seenAtRun).toEqual(['released']);
    expect(waited).toContain('another instance is migrating the data: waiting for it');
  });

  it('gives up waiting with a clear message, having run nothing', async () => {
    const keys = fresh();
    await redis.set(keys.roster(), '{"cadres":[]}');
    await redis.set(keys.migrateLock(), 'otherhost:42:abc', 'PX', 60_000);
    const { ran, steps } = recorder(1);
    await expect(migrate(redis, keys, opts(steps, { lock: { waitMs: 200 } }))).rejects.toThrow(
      /another instance \(otherhost:42:abc\) still holds the migration lock .* after 1 s/,
    );
    expect(ran).toEqual([]);
    expect(await readSchemaVersion(redis, keys)).toMatchObject({ version: 0 });
  });

  it('keeps the lock through a step longer than its lifetime, and releases it after', async () => {
    const keys = fresh();
    await redis.set(keys.roster(), '{"cadres":[]}');
    const held: (string | null)[] = [];
    const steps = [
      step(1, async () => {
        await new Promise((r) => setTimeout(r, 900));
        held.push(await redis.get(keys.migrateLock()));
      }),
    ];
    expect((await migrate(redis, keys, opts(steps, { lock: { ttlMs: 300 } }))).to).toBe(1);
    expect(held[0]).toMatch(/:\d+:/);
    expect(await redis.exists(keys.migrateLock())).toBe(0);
  });

  it('does not record a step once the lock was taken over by another instance', async () => {
    const keys = fresh();
    await redis.set(keys.roster(), '{"cadres":[]}');
    const steps = [step(1, async () => void (await redis.set(keys.migrateLock(), 'thief')))];
    await expect(migrate(redis, keys, opts(steps))).rejects.toThrow(
      /lost the migration lock .* during step 1: the data stays at schema version 0/,
    );
    expect(await readSchemaVersion(redis, keys)).toMatchObject({ version: 0, stamped: false });
    // Compare-and-delete: the other instance's lock is left alone.
    expect(await redis.get(keys.migrateLock())).toBe('thief');
  });

  it('keeps the stamp and the lock in one hash slot, so one script writes the stamp under the lock on a cluster', () => {
    const keys = fresh();
    expect(calculateSlot(keys.schemaVersion())).toBe(calculateSlot(keys.migrateLock()));
  });
});

describe('checkSteps', () => {
  it('accepts steps numbered 1, 2, 3', () => {
    expect(() => checkSteps([step(1), step(2), step(3, undefined, 3)])).not.toThrow();
  });

  it.each([
    ['a gap', [step(1), step(3)]],
    ['a repeat', [step(1), step(1)]],
    ['a start above 1', [step(2)]],
    ['a reader newer than the step', [step(1, undefined, 2)]],
  ])('refuses %s', (_, steps) => {
    expect(() => checkSteps(steps)).toThrow(/migration step "step \d" has version/);
  });
});
