/**
 * A check-in in one Redis round trip: a day this process read or wrote lately is served from its copy without
 * asking Redis, and the commit expects the day still stored as that copy. A check-in written elsewhere meanwhile
 * (another instance, another repo) is a conflict: the copy is dropped, the update runs again on the day read
 * afresh, and no check-in is lost. Through the bot, a repeated check-in is the commit alone, and a duplicate
 * delivery is still answered with the first one's reply.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { recordCheckin } from '../../src/attendance/service.js';
import { Bot } from '../../src/core/bot.js';
import type { Update } from '../../src/core/update.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Tx, TxConflict } from '../../src/redis/tx.js';
import { Roster } from '../../src/roster/roster.js';
import { createRegistry } from '../../handlers/index.js';
import { TestClock } from '../helpers/clock.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const roster = new Roster(sampleRosterData());
const cadre = roster.cadres.get('LiXiaoYan')!;
const village = roster.villageOf(cadre);
const rules = defaultPolicy().checkin;

/** Every command the client sends while `fn` runs, by name. */
async function commandsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const spy = vi.spyOn(t.redis, 'sendCommand');
  try {
    await fn();
    return spy.mock.calls.map(([c]) => (c as { name: string }).name);
  } finally {
    spy.mockRestore();
  }
}

/** A check-in of 李晓燕 at her village on `date`, staged by `ledger` and committed (once, or `attempts` times). */
async function checkIn(ledger: CheckinRepo, date: string, n: number, attempts = 1): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const tx = new Tx();
    await recordCheckin({ ledger, tx, rules }, cadre, village, {
      id: `m-${n}`,
      at: new Date(`${date}T09:${String(n).padStart(2, '0')}:00+08:00`),
      source: 'message',
      direction: 'in',
      point: { lat: village.lat, lng: village.lng },
    });
    try {
      await tx.commit(t.redis);
      return attempt;
    } catch (err) {
      if (!(err instanceof TxConflict) || attempt >= attempts) throw err;
    }
  }
}

const ids = async (date: string) => (await new CheckinRepo(t.redis, t.keys).day(cadre.userid, date)).map((r) => r.id);

describe('a check-in of a day the repo knows', () => {
  it('asks Redis nothing before the commit, after the repo’s own write', async () => {
    const here = new CheckinRepo(t.redis, t.keys);
    await checkIn(here, '2026-11-20', 1);
    const sent = await commandsDuring(() => checkIn(here, '2026-11-20', 2));
    expect(sent).toEqual(['evalsha']);
    expect(await ids('2026-11-20')).toEqual(['m-1', 'm-2']);
    // And once more, on the copy the second write left.
    expect(await commandsDuring(() => checkIn(here, '2026-11-20', 3))).toEqual(['evalsha']);
    expect(await ids('2026-11-20')).toEqual(['m-1', 'm-2', 'm-3']);
  });

  it('loses nothing written elsewhere meanwhile: the commit conflicts and the update runs again on the day read afresh', async () => {
    const here = new CheckinRepo(t.redis, t.keys);
    const elsewhere = new CheckinRepo(t.redis, t.keys);
    await checkIn(here, '2026-11-21', 1);
    await checkIn(elsewhere, '2026-11-21', 2);
    // Served from the copy (without m-2): the first commit conflicts, the second reads the day and keeps both.
    await expect(checkIn(here, '2026-11-21', 3)).rejects.toBeInstanceOf(TxConflict);
    expect(await ids('2026-11-21')).toEqual(['m-1', 'm-2']);
    expect(await checkIn(here, '2026-11-21', 3)).toBe(1);
    expect(await ids('2026-11-21')).toEqual(['m-1', 'm-2', 'm-3']);
  });

  it('is checked by the commit even when nothing of the day is written', async () => {
    const here = new CheckinRepo(t.redis, t.keys);
    await checkIn(here, '2026-11-22', 1);
    // The same event again stages no record, but the judgement was made on the copy: the commit still expects it.
    const tx = new Tx();
    const existing = await here.dayToUpdate(tx, cadre.userid, '2026-11-22');
    expect(existing.map((r) => r.id)).toEqual(['m-1']);
    await checkIn(new CheckinRepo(t.redis, t.keys), '2026-11-22', 2);
    await expect(tx.commit(t.redis)).rejects.toBeInstanceOf(TxConflict);
  });

  it('is forgotten when the Tx it was served to is cleared (a refusal: nothing checks it then)', async () => {
    const here = new CheckinRepo(t.redis, t.keys);
    await checkIn(here, '2026-11-26', 1);
    const served = new Tx();
    expect(await commandsDuring(() => here.dayToUpdate(served, cadre.userid, '2026-11-26'))).toEqual([]);
    served.clear();
    expect(await commandsDuring(() => here.dayToUpdate(new Tx(), cadre.userid, '2026-11-26'))).toEqual(['evalsha']);
  });
});

describe('through the bot', () => {
  const clock = new TestClock('2026-11-23T09:00:00+08:00');
  const deps = testDeps(t, { clock, outbox: new RecordingOutbox() });
  const bot = new Bot(deps, createRegistry());
  const location = (id: string): Update => ({
    id,
    channel: 'app',
    userId: cadre.userid,
    chatType: 'single',
    kind: 'location',
    location: { lat: village.lat, lng: village.lng, source: 'message' },
    time: clock.now(),
  });

  beforeAll(async () => {
    await deps.roster.replace(sampleRosterData());
  });

  it('commits a repeated check-in in one command, and answers a duplicate with the first reply', async () => {
    await bot.handle(location('dtu:1'));
    clock.advance(60_000);
    const first = await bot.handle(location('dtu:2'));
    clock.advance(60_000);
    let again: Awaited<ReturnType<Bot['handle']>> | undefined;
    expect(await commandsDuring(async () => (again = await bot.handle(location('dtu:3'))))).toEqual(['evalsha']);
    expect(again!.duplicate).toBe(false);
    const dup = await bot.handle(location('dtu:2'));
    expect(dup).toEqual({ reply: first.reply, duplicate: true });
    expect((await ids('2026-11-23')).length).toBe(3);
  });

  it('records an automatic report after the day was lost from Redis: a report left unrecorded is checked too', async () => {
    const auto = (id: string): Update => ({
      ...location(id),
      location: { lat: village.lat, lng: village.lng, source: 'auto', precision: 1 },
    });
    clock.advance(24 * 3600_000);
    const date = '2026-11-24';
    expect((await bot.handle(auto('dtu:a1'))).reply).not.toBeNull();
    // The day is gone (a sandbox reset, a failover that lost the write): the copy says it already counts.
    await t.redis.hdel(t.keys.checkins(cadre.userid, date.slice(0, 7)), date);
    clock.advance(60_000);
    const second = await bot.handle(auto('dtu:a2'));
    expect(second.reply).not.toBeNull();
    expect(await ids(date)).toEqual(['dtu:a2']);
  });
});
