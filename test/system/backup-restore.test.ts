/**
 * Backup → restore into a fresh namespace gives back the same store: a county's history written through the
 * real bot (the sandbox's sample history — check-ins of every source, back-fills, leave with 销假, reports,
 * an announcement half read — and, live, a leave request, a back-fill, a report and an announcement whose
 * messages wait in the real outbox queue). Every cadre's month and year figures, every month's sheet rows,
 * leave records, reports, the outbox's messages and the de-duplication records are equal, and so is every
 * key but the audit trail (which records the backup and the restore). A WeCom retry after the restore has no
 * second effect.
 */
import { migrate } from '../../src/migrate/run.js';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import { loadFigures } from '../../src/attendance/figures.js';
import { loadMonthFigures } from '../../src/attendance/month-figures.js';
import { readNamespace } from '../../src/backup/read.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { takeBackup } from '../../src/backup/take.js';
import { Bot } from '../../src/core/bot.js';
import type { Deps } from '../../src/core/deps.js';
import { retention } from '../../src/jobs/retention.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { silentLogger } from '../../src/log.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { wipeNamespace } from '../../src/redis/wipe.js';
import { Keys } from '../../src/redis/keys.js';
import { ReportRepo } from '../../src/reports/repo.js';
import { ensureSeeded } from '../../src/sandbox/seed.js';
import { sheetRows } from '../../src/sheet/rows.js';
import { testBot, textUpdate } from '../helpers/bot.js';
import { TestClock } from '../helpers/clock.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-24T08:30:00+08:00');
const MONTHS = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
const clock = new TestClock(NOW);
const source = new Outbox({ redis: t.redis, keys: t.keys, log: silentLogger, clock });
const target = { ...t, keys: new Keys(`${t.keys.ns}b`) };
afterAll(() => wipeNamespace(t.redis, target.keys.ns));
/** The restored namespace's outbox, opened after the restore (opening a queue writes its meta key). */
let restored: Outbox | undefined;
const registry = createRegistry();
const tb = testBot(t, { commands: registry, clock, outbox: source, idPrefix: 'live' });
const roster = sampleRosterData();
const cadres = roster.cadres;
const retried = textUpdate('retry-me', 'SunLiJuan', '汇报 #走访 2户 看望留守老人', NOW);
let targetDeps: Deps;

afterAll(async () => {
  await source.close();
  await restored?.close();
});

beforeAll(async () => {
  await t.redis.set(t.keys.storeKind(), 'production');
  await tb.setup(roster);
  // Stamped at this code's schema, as a store the bot has run on is: the restore then migrates nothing.
  await migrate(t.redis, t.keys, { log: silentLogger, clock });
  const seeded = await ensureSeeded({ deps: tb.deps, registry, now: new Date(NOW.getTime() - 3_600_000) });
  expect(seeded?.problems).toEqual([]);
  // Live, with the real outbox queue and no worker: these messages are pending when the backup is taken.
  expect(await tb.ask('LiXiaoYan', '请假 事假 11月26日 家中有事')).toMatch(/Q\d+/);
  // A back-fill by the first cadre the seeded history left without yesterday.
  let backfill = '';
  for (const c of roster.cadres) if (!/B\d+/.test(backfill)) backfill = await tb.ask(c.userid, '补登 昨天 山里没信号');
  expect(backfill).toMatch(/B\d+/);
  expect(await tb.ask('WangJianGuo', '汇报 #走访 3户 了解冬季取暖情况')).toMatch(/H\d+/);
  expect(await tb.ask('WuJianZhong', '通知 北堡村 明天上午九点到乡政府开会')).toContain('确认发送');
  expect(await tb.ask('WuJianZhong', '确认发送')).toMatch(/N\d+/);
  await tb.bot.handle(retried);
  expect((await source.list()).length).toBeGreaterThan(3);
  // The source has had its nightly retention run, so the restore's retention step finds the same nothing.
  await retention.writes!.apply(tb.deps, NOW, await retention.load(tb.deps, NOW));

  const dir = await mkdtemp(join(tmpdir(), 'zc-system-backup-'));
  const file = join(dir, 'county.jsonl.gz');
  await takeBackup(t.redis, t.keys, { file, now: NOW, actor: 'cli:test@host', channel: 'cli' });
  targetDeps = testDeps(target, { clock });
  await restoreBackup(await readFile(file), targetDeps, {
    replace: false,
    target: 'production',
    name: 'county.jsonl.gz',
    actor: 'cli:test@host',
    channel: 'cli',
  });
  const queue = new Outbox({ redis: t.redis, keys: target.keys, log: silentLogger, clock });
  restored = queue;
  targetDeps = { ...targetDeps, outbox: queue };
}, 120_000);

const figuresOf = (deps: Deps) => loadFigures(deps, cadres, { now: NOW, months: MONTHS });

describe('a restored store', () => {
  it('gives every cadre the same month and year figures', async () => {
    const [a, b] = [await figuresOf(tb.deps), await figuresOf(targetDeps)];
    expect(a.size).toBe(cadres.length);
    expect([...a.values()].some((f) => f.months.some((m) => m.present > 0))).toBe(true);
    expect(b).toEqual(a);
  });

  it('gives the same sheet rows for every month', async () => {
    for (const month of MONTHS) {
      const rows = async (deps: Deps) =>
        sheetRows(await loadMonthFigures(deps, cadres, { now: NOW, months: [month] }), await deps.roster.get(), month);
      expect(await rows(targetDeps)).toEqual(await rows(tb.deps));
    }
  });

  it('holds the same leave records, reports and de-duplication records', async () => {
    const ids = cadres.map((c) => c.userid);
    const leaveOf = (deps: Deps) => new LeaveRepo(deps.redis, deps.keys).ofUsers(ids);
    const reportsOf = (deps: Deps) => new ReportRepo(deps.redis, deps.keys).ofUsers(ids);
    expect([...(await leaveOf(tb.deps)).values()].flat().length).toBeGreaterThan(3);
    expect(await leaveOf(targetDeps)).toEqual(await leaveOf(tb.deps));
    expect(await reportsOf(targetDeps)).toEqual(await reportsOf(tb.deps));
    const seen = async (keys: Keys) =>
      (await readNamespace(t.redis, keys)).filter((r) => r.k.includes(':seen:')).map(({ ttl: _t, ...r }) => r);
    expect((await seen(t.keys)).length).toBeGreaterThan(100);
    expect(await seen(target.keys)).toEqual(await seen(t.keys));
  });

  it('has the same messages waiting in the outbox', async () => {
    expect(await restored!.list()).toEqual(await source.list());
  });

  it('holds every key the source holds, the audit trail apart', async () => {
    const all = async (keys: Keys) =>
      (await readNamespace(t.redis, keys)).filter((r) => r.k !== '{audit}:stream').map(({ ttl: _t, ...r }) => r);
    expect(await all(target.keys)).toEqual(await all(t.keys));
  });

  it('answers a WeCom retry of a committed callback as before, with no second effect', async () => {
    const keysOf = async () => (await readNamespace(t.redis, target.keys)).map(({ ttl: _t, ...r }) => r);
    const before = await keysOf();
    const again = await new Bot(targetDeps, registry).handle(retried);
    expect(again.duplicate).toBe(true);
    expect(again.reply?.text).toMatch(/H\d+/);
    expect(await keysOf()).toEqual(before);
  });
});
