/**
 * `backup`: every night a snapshot of the namespace (`zhucun-<namespace>-<YYYYMMDD-HHmm>.jsonl.gz`, Asia/Shanghai
 * time) into the backup folder (ZHUCUN_BACKUP_DIR), then the folder's snapshots of this namespace are pruned:
 * the newest `backup.keep` stay, and none is kept longer than `retention.exactLocationDays`, because a snapshot
 * holds the exact positions of the check-ins of its last days (docs/rules.md). Other files in the folder, and
 * other namespaces' snapshots, are left alone.
 *
 * A run that cannot write its snapshot throws, so the run counts as failed (and the operator is alerted).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { takeBackup } from '../backup/take.js';
import { dayjs, TZ } from '../kit/dates.js';
import type { Job } from '../schedule/job.js';
import { policyCutOff } from '../schedule/windows.js';

const DAY_MS = 86_400_000;

/** The file name of a snapshot of `ns` taken at `at`. */
export function backupFileName(ns: string, at: Date): string {
  return `zhucun-${ns}-${dayjs(at).tz(TZ).format('YYYYMMDD-HHmm')}.jsonl.gz`;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The snapshots of `ns` among file names, newest first, with the time in their name. Pure. */
export function snapshotsOf(ns: string, names: readonly string[]): { name: string; at: Date }[] {
  const pattern = new RegExp(`^zhucun-${escape(ns)}-(\\d{4})(\\d{2})(\\d{2})-(\\d{2})(\\d{2})\\.jsonl\\.gz$`);
  return names
    .flatMap((name) => {
      const m = pattern.exec(name);
      const at = m ? dayjs.tz(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00`, TZ) : undefined;
      return at?.isValid() ? [{ name, at: at.toDate() }] : [];
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.name < b.name ? 1 : -1));
}

/** Which snapshots go: all but the newest `keep`, and any older than `maxDays`. Pure. */
export function toPrune(snapshots: readonly { name: string; at: Date }[], keep: number, maxDays: number, now: Date) {
  const oldest = now.getTime() - maxDays * DAY_MS;
  return snapshots.filter((s, i) => i >= keep || s.at.getTime() < oldest).map((s) => s.name);
}

/** What a run found: where to write, and which snapshots of this namespace are already there. */
export interface BackupState {
  dir: string;
  file: string;
  keep: number;
  maxDays: number;
  /** Snapshots of this namespace already in the folder, newest first. */
  existing: { name: string; at: Date }[];
}

export const backup: Job<BackupState> = {
  id: 'backup',
  policyJob: 'backup',
  summary: 'write a snapshot of the data into the backup folder and prune old ones',
  catchUpUntil: policyCutOff('backup'),

  async load(ctx, now) {
    if (!ctx.backupDir) throw new Error('no backup folder is configured (ZHUCUN_BACKUP_DIR)');
    const names = await readdir(ctx.backupDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    return {
      dir: ctx.backupDir,
      file: backupFileName(ctx.keys.ns, now),
      keep: ctx.policy.backup.keep,
      maxDays: ctx.policy.retention.exactLocationDays,
      existing: snapshotsOf(ctx.keys.ns, names),
    };
  },

  plan: () => [],

  writes: {
    describe(now, s) {
      const gone = pruneAfter(s, now);
      return [
        `write ${join(s.dir, s.file)}`,
        gone.length
          ? `delete ${gone.join(', ')} (keeping the newest ${s.keep}, none older than ${s.maxDays} days)`
          : `delete nothing (keeping the newest ${s.keep}, none older than ${s.maxDays} days)`,
      ];
    },

    async apply(ctx, now, s) {
      const taken = await takeBackup(ctx.redis, ctx.keys, {
        file: join(s.dir, s.file),
        now,
        actor: 'job:backup',
        channel: 'job',
      });
      const gone = pruneAfter(s, now);
      for (const name of gone) await rm(join(s.dir, name), { force: true });
      ctx.log
        .child({ job: 'backup' })
        .info({ file: taken.file, keys: taken.header.keys, bytes: taken.bytes, deleted: gone }, 'backup written');
    },
  },
};

/** The snapshots to delete once this run's file is written (it counts as the newest). */
function pruneAfter(s: BackupState, now: Date): string[] {
  const all = [{ name: s.file, at: now }, ...s.existing.filter((e) => e.name !== s.file)];
  return toPrune(all, s.keep, s.maxDays, now).filter((n) => n !== s.file);
}
