/**
 * The `backup` job: a snapshot named after the namespace and the Shanghai time into the backup folder (mode
 * 0600), then the folder pruned — the newest `backup.keep` stay, none older than
 * `retention.exactLocationDays`, other namespaces' files and other files untouched. A run that cannot write
 * throws, so it counts as a failed run.
 */
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/backup/format.js';
import { fixedClock } from '../../src/core/clock.js';
import { backup, backupFileName, snapshotsOf, toPrune } from '../../src/jobs/backup.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { JobContext } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-18T02:00:00+08:00');
const ns = t.keys.ns;

function runner(ctx: JobContext): JobRunner {
  return new JobRunner(ctx, new RedisRunCoordinator(t.redis, t.keys, ctx.clock, () => 0));
}

function context(dir: string | undefined, keep: number): JobContext {
  const policy = defaultPolicy();
  policy.backup.keep = keep;
  return { ...testDeps(t, { clock: fixedClock(NOW), policy }), backupDir: dir };
}

/** Snapshot files of this namespace, `days` days before NOW (same time of day). */
const old = (days: number) => backupFileName(ns, new Date(NOW.getTime() - days * 86_400_000));

async function folder(names: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zc-backups-'));
  for (const n of names) await writeFile(join(dir, n), 'x');
  return dir;
}

const others = ['zhucun-other-20260101-0200.jsonl.gz', `zhucun-${ns}x-20260101-0200.jsonl.gz`, 'notes.txt'];

beforeAll(async () => {
  await testDeps(t).roster.replace(sampleRosterData());
});

describe('the backup job', () => {
  it('names files by namespace and Shanghai time, and picks what to prune', () => {
    expect(backupFileName('zc', NOW)).toBe('zhucun-zc-20261118-0200.jsonl.gz');
    const list = snapshotsOf('zc', ['zhucun-zc-20261117-0200.jsonl.gz', 'zhucun-zc-2-20261117-0200.jsonl.gz', 'x']);
    expect(list).toEqual([{ name: 'zhucun-zc-20261117-0200.jsonl.gz', at: new Date('2026-11-17T02:00:00+08:00') }]);
    expect(toPrune(list, 0, 30, NOW)).toEqual(['zhucun-zc-20261117-0200.jsonl.gz']);
    expect(toPrune(list, 1, 0.5, NOW)).toEqual(['zhucun-zc-20261117-0200.jsonl.gz']);
    expect(toPrune(list, 1, 30, NOW)).toEqual([]);
  });

  it('writes a snapshot with mode 0600 and keeps the newest backup.keep', async () => {
    const dir = await folder([old(1), old(2), old(3), old(4), ...others]);
    const result = await runner(context(dir, 3)).runManual(backup);
    const file = backupFileName(ns, NOW);
    expect(result.notes).toEqual([
      `write ${join(dir, file)}`,
      `delete ${old(3)}, ${old(4)} (keeping the newest 3, none older than 30 days)`,
    ]);
    expect((await readdir(dir)).sort()).toEqual([file, old(1), old(2), ...others].sort());
    expect((await stat(join(dir, file))).mode & 0o777).toBe(0o600);
    const { header } = parseSnapshot(await readFile(join(dir, file)), 0);
    expect(header).toMatchObject({ namespace: ns, takenAt: NOW.toISOString() });
    const audit = await t.redis.xrange(t.keys.audit(), '-', '+');
    expect(JSON.parse(audit.at(-1)![1][1]!)).toMatchObject({
      kind: 'backup.take',
      actor: 'job:backup',
      channel: 'job',
      ref: file,
    });
  });

  it('keeps no snapshot older than retention.exactLocationDays, however many are allowed', async () => {
    const dir = await folder([old(1), old(29), old(31), old(90), ...others]);
    await runner(context(dir, 10)).runManual(backup);
    expect((await readdir(dir)).sort()).toEqual([backupFileName(ns, NOW), old(1), old(29), ...others].sort());
  });

  it('a dry run writes and deletes nothing', async () => {
    const dir = await folder([old(40)]);
    const result = await runner(context(dir, 3)).runManual(backup, { dryRun: true });
    expect(result.notes[1]).toBe(`delete ${old(40)} (keeping the newest 3, none older than 30 days)`);
    expect(await readdir(dir)).toEqual([old(40)]);
  });

  it('throws when it cannot write its snapshot, or has no folder', async () => {
    const dir = await folder(['occupied']);
    await expect(runner(context(join(dir, 'occupied'), 3)).runManual(backup)).rejects.toThrow(
      /ENOTDIR|not a directory/,
    );
    await expect(runner(context(undefined, 3)).runManual(backup)).rejects.toThrow(/ZHUCUN_BACKUP_DIR/);
    expect(await readdir(dir)).toEqual(['occupied']);
  });
});
