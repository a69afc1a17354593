/**
 * The migration runner, run at start (src/app.ts) and by `zhucun migrate`. Under the migration lock it re-reads
 * the stamp (another instance may have just migrated), runs the pending steps in order and stamps the version
 * after each one, so a failing step leaves the data at the last step that completed and the next start resumes
 * there. An empty store (a new install) is stamped with the current version without running any step; data
 * newer than the code is left alone when the code can read it (`minReader`) and refused otherwise.
 */
import { hostname } from 'node:os';
import { cliActor } from '../audit/actor.js';
import { appendAudit } from '../audit/trail.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log.js';
import { isCluster, type RedisClient } from '../redis/client.js';
import type { Keys } from '../redis/keys.js';
import { acquireLock, type HeldLock, type LockOptions } from './lock.js';
import type { MigrationStep } from './step.js';
import { STEPS } from './steps.js';
import {
  assertReadable,
  codeVersion,
  formatStamp,
  readSchemaVersion,
  SchemaError,
  type SchemaStamp,
} from './version.js';

export interface MigrateOptions {
  log: Logger;
  clock: Clock;
  /** Who runs it (the stamp's `by` and the audit actor); `cliActor()` by default. */
  by?: string;
  /** The steps; the real list by default (tests give their own). */
  steps?: readonly MigrationStep[];
  /** Lock timings: lives 30 s without renewal; a second instance waits up to 10 minutes. */
  lock?: Partial<LockOptions>;
}

export interface MigrateResult {
  /** The data's version when this run looked (under the lock when it took it) and after it. */
  from: number;
  to: number;
  /** Steps this run carried out: none when nothing was due or another instance did it first. */
  ran: { version: number; name: string }[];
  /** An empty store was stamped with the current version. */
  fresh: boolean;
  /** The data is newer than this code, which can still read it: nothing was run. */
  newer: boolean;
}

/** A step failed: start-up stops with its name; the data stays at `at`. */
export class MigrationFailed extends SchemaError {
  override name = 'MigrationFailed';
  constructor(
    readonly step: MigrationStep,
    readonly at: number,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`migration step ${step.version} "${step.name}" failed: ${why}; the data stays at schema version ${at}`, {
      cause,
    });
  }
}

/** Steps must be numbered 1, 2, 3 … and never claim a reader newer than themselves. */
export function checkSteps(steps: readonly MigrationStep[]): void {
  steps.forEach((s, i) => {
    if (s.version !== i + 1 || s.minReader < 0 || s.minReader > s.version)
      throw new Error(
        `migration step "${s.name}" has version ${s.version} and minReader ${s.minReader}: expected ${i + 1}`,
      );
  });
}

/** Keys that say nothing about the data: the store marker, the stamp and the lock itself. */
async function isEmptyStore(redis: RedisClient, keys: Keys): Promise<boolean> {
  const ignore = new Set([keys.storeKind(), keys.schemaVersion(), keys.migrateLock()]);
  for (const node of isCluster(redis) ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `${keys.ns}:{*`, 'COUNT', 1000);
      if (batch.some((k) => !ignore.has(k))) return false;
      cursor = next;
    } while (cursor !== '0');
  }
  return true;
}

/** Bring the data up to this code's schema version; see the module comment. */
export async function migrate(redis: RedisClient, keys: Keys, opts: MigrateOptions): Promise<MigrateResult> {
  const steps = opts.steps ?? STEPS;
  checkSteps(steps);
  const code = codeVersion(steps);
  const seen = await readSchemaVersion(redis, keys);
  assertReadable(seen, code, keys.ns);
  // The usual start: nothing due, and no lock taken.
  if (seen.version >= code) return done(seen.version, seen.version > code);

  const log = opts.log.child({ component: 'migrate' });
  const lock = await acquireLock(redis, keys.migrateLock(), `${hostname()}:${process.pid}`, {
    ttlMs: opts.lock?.ttlMs ?? 30_000,
    waitMs: opts.lock?.waitMs ?? 600_000,
    onWait: (holder) => log.info({ holder }, 'another instance is migrating the data: waiting for it'),
  });
  try {
    return await underLock(redis, keys, { ...opts, log, steps, by: opts.by ?? cliActor() }, lock, code);
  } finally {
    await lock.release();
  }
}

function done(at: number, newer = false): MigrateResult {
  return { from: at, to: at, ran: [], fresh: false, newer };
}

type Run = MigrateOptions & { steps: readonly MigrationStep[]; by: string };

async function underLock(redis: RedisClient, keys: Keys, o: Run, lock: HeldLock, code: number): Promise<MigrateResult> {
  let stamp: SchemaStamp = await readSchemaVersion(redis, keys);
  assertReadable(stamp, code, keys.ns);
  if (stamp.version >= code) {
    o.log.info({ version: stamp.version }, 'data already migrated by another instance');
    return done(stamp.version, stamp.version > code);
  }
  const from = stamp.version;
  const write = async (next: Omit<SchemaStamp, 'stamped'>, what: string) => {
    if (!(await lock.setIfHeld(keys.schemaVersion(), formatStamp(next))))
      throw new SchemaError(
        `lost the migration lock ${keys.migrateLock()} during ${what}: the data stays at schema version ` +
          `${stamp.version}; start again to resume`,
      );
    stamp = { ...next, stamped: true };
  };

  if (!stamp.stamped && (await isEmptyStore(redis, keys))) {
    const minReader = Math.max(0, ...o.steps.map((s) => s.minReader));
    await write({ version: code, minReader, migratedAt: o.clock.now().toISOString(), by: o.by }, 'stamping');
    o.log.info({ version: code }, 'empty store stamped with the current schema version');
    return { from, to: code, ran: [], fresh: true, newer: false };
  }

  const ran: MigrateResult['ran'] = [];
  for (const step of o.steps.filter((s) => s.version > stamp.version)) {
    const started = Date.now();
    o.log.info({ step: step.version, name: step.name }, 'migration step started');
    const now = o.clock.now();
    try {
      await step.run(redis, keys, o.log.child({ step: step.version }), now);
    } catch (err) {
      o.log.error({ err, step: step.version, name: step.name }, 'migration step failed');
      throw new MigrationFailed(step, stamp.version, err);
    }
    const minReader = Math.max(stamp.minReader, step.minReader);
    await write({ version: step.version, minReader, migratedAt: now.toISOString(), by: o.by }, `step ${step.version}`);
    await appendAudit(redis, keys, {
      kind: 'schema.migrate',
      actor: o.by,
      channel: 'cli',
      at: now.getTime(),
      id: `schema.migrate:${step.version}`,
      ref: `v${step.version}`,
      summary: step.name,
    });
    ran.push({ version: step.version, name: step.name });
    o.log.info({ step: step.version, name: step.name, ms: Date.now() - started }, 'migration step done');
  }
  return { from, to: stamp.version, ran, fresh: false, newer: false };
}
