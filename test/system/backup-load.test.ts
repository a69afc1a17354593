/**
 * A backup taken while callbacks keep coming: every callback acknowledged before the backup began is in the
 * restored store with its de-duplication record, and a WeCom retry of it after the restore has no second
 * effect. A callback acknowledged during the backup is either absent or in it whole: a restored `seen` record
 * always comes with the check-in it recorded.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { readNamespace } from '../../src/backup/read.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { takeBackup } from '../../src/backup/take.js';
import { Bot } from '../../src/core/bot.js';
import type { Update } from '../../src/core/update.js';
import { silentLogger } from '../../src/log.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { wipeNamespace } from '../../src/redis/wipe.js';
import { Keys } from '../../src/redis/keys.js';
import { TestClock } from '../helpers/clock.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-24T09:00:00+08:00');
const clock = new TestClock(NOW);
const roster = sampleRosterData();
const target = { ...t, keys: new Keys(`${t.keys.ns}b`) };
afterAll(() => wipeNamespace(t.redis, target.keys.ns));
const source = new Outbox({ redis: t.redis, keys: t.keys, log: silentLogger, clock });
const deps = testDeps(t, { clock, outbox: source });
const registry = createRegistry();
const bot = new Bot(deps, registry);
/** Keys of other cadres' data, so that reading the namespace takes a while. */
const FILLER = 6000;

let n = 0;
/** A check-in on the check-in page inside the cadre's village. */
function checkin(userId: string): Update {
  const cadre = roster.cadres.find((c) => c.userid === userId)!;
  const v = roster.villages.find((x) => x.id === cadre.village)!;
  return {
    id: `load-${++n}`,
    channel: 'page',
    userId,
    chatType: 'single',
    kind: 'location',
    location: { lat: v.lat, lng: v.lng, source: 'page', precision: 30 },
    time: clock.now(),
  };
}

interface Acked {
  update: Update;
  sent: number;
  acked: number;
}

async function send(update: Update): Promise<Acked> {
  const sent = Date.now();
  const result = await bot.handle(update);
  expect(result.duplicate).toBe(false);
  return { update, sent, acked: Date.now() };
}

const before: Acked[] = [];
const during: Acked[] = [];
let began = 0;
let ended = 0;

afterAll(() => source.close());

beforeAll(async () => {
  await t.redis.set(t.keys.storeKind(), 'production');
  await deps.roster.replace(roster);
  const pipe = t.redis.pipeline();
  for (let i = 0; i < FILLER; i++) pipe.hset(`${t.keys.ns}:{u:Filler${i}}:reports`, 'H1', JSON.stringify({ i }));
  await pipe.exec();
  const cadres = roster.cadres.map((c) => c.userid);
  // Acknowledged before the backup begins: two check-ins of every cadre, cadres side by side.
  for (let round = 0; round < 2; round++) before.push(...(await Promise.all(cadres.map((u) => send(checkin(u))))));

  let running = true;
  began = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'zc-load-backup-'));
  const file = join(dir, 'load.jsonl.gz');
  const backup = takeBackup(t.redis, t.keys, { file, now: NOW, actor: 'cli:test@host', channel: 'cli' }).finally(() => {
    running = false;
    ended = Date.now();
  });
  const worker = async (w: number) => {
    for (let i = w; running; i += 4) during.push(await send(checkin(cadres[i % cadres.length]!)));
  };
  await Promise.all([backup, ...[0, 1, 2, 3].map(worker)]);
  await restoreBackup(await readFile(file), testDeps(target, { clock }), {
    replace: false,
    target: 'production',
    name: 'load.jsonl.gz',
    actor: 'cli:test@host',
    channel: 'cli',
  });
}, 120_000);

const ledger = new CheckinRepo(t.redis, target.keys);
const restoredIds = async (userId: string) =>
  ((await ledger.month(userId, '2026-11')).get('2026-11-24') ?? []).map((r) => r.id);

describe('a backup under write load', () => {
  it('ran while callbacks were acknowledged', () => {
    expect(during.filter((d) => d.sent >= began && d.acked <= ended).length).toBeGreaterThan(0);
  });

  it('restores every callback acknowledged before it began, with its de-duplication record', async () => {
    expect(before.every((b) => b.acked <= began)).toBe(true);
    for (const { update } of before) {
      expect(await restoredIds(update.userId)).toContain(update.id);
      const seen = await t.redis.get(target.keys.seen(update.userId, update.id));
      expect(seen).not.toBeNull();
      expect(seen).toBe(await t.redis.get(t.keys.seen(update.userId, update.id)));
    }
  });

  it('never restores a de-duplication record without the check-in it recorded', async () => {
    for (const { update } of during) {
      if ((await t.redis.exists(target.keys.seen(update.userId, update.id))) === 0) continue;
      expect(await restoredIds(update.userId)).toContain(update.id);
    }
  });

  it('answers WeCom retries of those callbacks after the restore with no second effect', async () => {
    const restoredBot = new Bot(testDeps(target, { clock }), registry);
    const keysOf = async () => (await readNamespace(t.redis, target.keys)).map(({ ttl: _t, ...r }) => r);
    const snapshot = await keysOf();
    for (const { update } of before) expect((await restoredBot.handle(update)).duplicate).toBe(true);
    expect(await keysOf()).toEqual(snapshot);
  });
});
