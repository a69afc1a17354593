/**
 * Restoring a snapshot (`zhucun restore`). The whole file is checked first (gzip, versions, every line, the
 * checksum), then the target: a snapshot goes only into an empty namespace (or one wiped by `--replace`) of
 * the same kind, never a sandbox snapshot into a production store or run, nor real data into the sandbox,
 * whose keys are public. Nothing is written before all checks pass.
 *
 * After loading, the retention step runs (the `retention` job itself), so a restore never brings back exact
 * positions that were due to be reduced while the snapshot lay in its folder.
 */
import { appendAudit, type AuditChannel } from '../audit/trail.js';
import { RESTORING, storeState, type StoreKind, type StoreState } from '../config/store-kind.js';
import { retention, summary, type ReducedDay } from '../jobs/retention.js';
import type { JobContext } from '../schedule/job.js';
import { KNOWN_SCHEMA_VERSION, parseSnapshot, SnapshotError, type Snapshot, type SnapshotHeader } from './format.js';
import { wipeNamespace } from '../redis/wipe.js';
import { loadRecords } from './load.js';
import { liveWorkers } from '../outbox/workers.js';
import { migrate } from '../migrate/run.js';

/** A restore refused before anything was written, with what to do instead. */
export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

export interface RestoreOptions {
  /** Wipe a non-empty namespace first. */
  replace: boolean;
  /** The kind of store this run works on: `sandbox` only when ZHUCUN_SANDBOX=1. */
  target: StoreKind;
  /** The file's name, for the messages and the audit trail. */
  name: string;
  actor: string;
  channel: AuditChannel;
  /** The newest schema version this code knows (default: KNOWN_SCHEMA_VERSION). */
  knownSchema?: number;
}

export interface RestoreResult {
  header: SnapshotHeader;
  /** Keys written. */
  written: number;
  /** Keys deleted first by `--replace`. */
  wiped: number;
  /** What the retention step reduced. */
  reduced: ReturnType<typeof summary>;
  /** Migration steps run on the restored data (a snapshot of an older release). */
  migrated: number;
}

function refuseKind(snapshot: StoreKind, target: StoreKind, ns: string): never {
  if (snapshot === 'sandbox')
    throw new RestoreRefused(
      `this is a snapshot of a sandbox store (invented sample data): it is never restored into a production store. ` +
        `To look at it, restore it into a sandbox namespace of its own: ZHUCUN_SANDBOX=1 ZHUCUN_NAMESPACE=<a new name> zhucun restore FILE`,
    );
  throw new RestoreRefused(
    `this is a snapshot of a production store (real personal data) and this run is a sandbox (ZHUCUN_SANDBOX=1, whose keys are public): ` +
      `restore it without ZHUCUN_SANDBOX, into a namespace that is not a sandbox store (now "${ns}")`,
  );
}

/** Run the retention step over the namespace until nothing is left to reduce; what it reduced. */
async function reduceOldPositions(ctx: JobContext, now: Date): Promise<ReducedDay[]> {
  const all: ReducedDay[] = [];
  for (;;) {
    const state = await retention.load(ctx, now);
    await retention.writes!.apply(ctx, now, state);
    all.push(...state.reduced);
    if (!state.truncated || state.reduced.length === 0) return all;
  }
}

/**
 * Check and restore a snapshot file's bytes into `ctx`'s namespace. Throws SnapshotError (the file) or
 * RestoreRefused (the target) before writing anything.
 */
export async function restoreBackup(file: Buffer, ctx: JobContext, opts: RestoreOptions): Promise<RestoreResult> {
  return restoreSnapshot(parseSnapshot(file, opts.knownSchema ?? KNOWN_SCHEMA_VERSION), ctx, opts);
}

/** Restore a snapshot already read and checked (`parseSnapshot`); throws RestoreRefused before writing. */
export async function restoreSnapshot(
  snapshot: Snapshot,
  ctx: JobContext,
  opts: RestoreOptions,
): Promise<RestoreResult> {
  const { redis, keys } = ctx;
  const { header, records } = snapshot;
  if (header.storeKind !== opts.target) refuseKind(header.storeKind, opts.target, keys.ns);
  // A running bot would write into the namespace while it is emptied and loaded: stop it first.
  const workers = await liveWorkers(redis, keys);
  if (workers)
    throw new RestoreRefused(
      `${workers} running bot instance(s) send from the namespace "${keys.ns}": stop them (systemctl stop zhucun) before restoring; nothing was changed`,
    );
  // A restore that stopped half-way left its marker: only --replace starts it again.
  const unfinished = (await redis.get(keys.storeKind())) === RESTORING;
  if (unfinished && !opts.replace)
    throw new RestoreRefused(
      `a restore into the namespace "${keys.ns}" did not finish: add --replace to delete what it wrote and restore again`,
    );
  const state: StoreState = unfinished ? { unmarked: opts.target } : await storeState(redis, keys);
  const have = 'marked' in state ? state.marked : 'unmarked' in state ? state.unmarked : undefined;
  if (have && have !== opts.target)
    throw new RestoreRefused(
      `the namespace "${keys.ns}" holds a ${have} store and this run is ${opts.target === 'sandbox' ? 'a sandbox (ZHUCUN_SANDBOX=1)' : 'production'}: ` +
        `nothing was changed; choose the namespace with ZHUCUN_NAMESPACE`,
    );
  if (!('empty' in state) && !opts.replace)
    throw new RestoreRefused(
      `the namespace "${keys.ns}" is not empty: restore into an empty namespace (ZHUCUN_NAMESPACE), or add --replace to delete everything in "${keys.ns}" first`,
    );
  const wiped = 'empty' in state ? 0 : await wipeNamespace(redis, keys.ns);
  // Until the end the marker says a restore is under way, so no bot starts on a half-loaded store; the
  // snapshot's own marker is written last (a store backed up before it was marked: the header's kind).
  await redis.set(keys.storeKind(), RESTORING);
  const kindKey = keys.storeKind().slice(keys.ns.length + 1);
  const written = await loadRecords(
    redis,
    keys,
    records.filter((r) => r.k !== kindKey),
  );
  const now = ctx.clock.now();
  // Data of an older release is brought to this code's shape before anything reads it, as at start.
  const migrated = await migrate(redis, keys, { log: ctx.log, clock: ctx.clock });
  const reduced = summary(await reduceOldPositions(ctx, now));
  await redis.set(keys.storeKind(), header.storeKind);
  await appendAudit(redis, keys, {
    kind: 'backup.restore',
    actor: opts.actor,
    channel: opts.channel,
    at: now.getTime(),
    id: `backup.restore:${keys.ns}:${now.toISOString()}:${opts.name}`,
    ref: opts.name,
    summary: `${written} keys from "${header.namespace}", taken ${header.takenAt}${opts.replace ? ' (replacing)' : ''}`,
  });
  const marked = records.some((r) => r.k === kindKey) ? 1 : 0;
  return { header, written: written + marked, wiped, reduced, migrated: migrated.ran.length };
}

export { SnapshotError };
