/**
 * Packing older check-ins (src/attendance/ledger-archive.ts, the retention job): every reader sees the same days
 * before and after — one day, a month, the month and year figures, the person export — minus the exact position
 * (removed by retention as before) and the id of a page/LOCATION/message event; a write to a packed day (a late
 * back-fill, a WeCom sync adding several records, a review) takes it out of the archive in the same commit, and a
 * write racing another is a conflict, not a loss.
 */
import { describe, expect, it } from 'vitest';
import { judgeCheckin } from '../../src/attendance/checkin.js';
import { loadFigures, type FiguresCadre } from '../../src/attendance/figures.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { asPacked, packYear, unpackYear } from '../../src/attendance/ledger-archive.js';
import type { CheckinRecord, CheckinSource } from '../../src/attendance/record.js';
import { personData } from '../../src/cli/person-data.js';
import { fixedClock } from '../../src/core/clock.js';
import { retention, reduceRecord } from '../../src/jobs/retention.js';
import { addDays } from '../../src/kit/dates.js';
import { Tx, TxConflict } from '../../src/redis/tx.js';
import type { JobContext } from '../../src/schedule/job.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { putRecords } from './seed.js';

const t = useTestRedis();
const NOW = new Date('2026-12-06T03:30:00+08:00');
const CUTOFF = '2026-11-06';
/** Days before this are packed (two days before the run), those from CUTOFF on with their positions. */
const PACKED = '2026-12-04';
const ctx: JobContext = testDeps(t, { clock: fixedClock(NOW) });
const VILLAGE = { lat: 35.6652, lng: 111.3046, radius: 1000 };
const RULES = { defaultRadius: 1000, selfReported: 'count' as const, maxSpeedKmh: 120 };
const ledger = new CheckinRepo(t.redis, t.keys);
const ME = 'pk-a';
const MONTHS = ['2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];

let seq = 0;
function judged(date: string, source: CheckinSource, hh: number, extra: Record<string, unknown> = {}): CheckinRecord {
  seq++;
  return judgeCheckin(
    {
      id: source === 'page' ? `page:${seq.toString(16).padStart(32, 'a')}` : `${source}-${7_400_000 + seq}`,
      at: new Date(`${date}T${String(hh).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}:00+08:00`),
      source,
      direction: 'in',
      ...(source === 'backfill' ? {} : { point: { lat: VILLAGE.lat + (seq % 7) * 0.003, lng: VILLAGE.lng } }),
      ...(source === 'page' || source === 'auto' ? { accuracyM: 15 + (seq % 40) } : {}),
      ...extra,
    },
    VILLAGE,
    RULES,
  );
}

const put = (userId: string, date: string, ...records: CheckinRecord[]) =>
  putRecords(t, ledger, userId, date, ...records);

async function runRetention(): Promise<void> {
  for (;;) {
    const state = await retention.load(ctx, NOW);
    await retention.writes!.apply(ctx, NOW, state);
    if (!state.truncated) return;
  }
}

const cadre = (userid: string): FiguresCadre => ({ userid, termStart: '2026-03-01', termEnd: '2028-02-29' });

/** Everything the readers give for `ME`: each day, each month, the figures, the person export's check-ins. */
async function read() {
  const days: Record<string, CheckinRecord[]> = {};
  for (let d = '2026-08-01'; d <= '2026-12-06'; d = addDays(d, 1)) days[d] = await ledger.day(ME, d);
  const months = Object.fromEntries(
    await Promise.all(MONTHS.map(async (m) => [m, Object.fromEntries(await ledger.month(ME, m))] as const)),
  );
  const figures = JSON.stringify([...(await loadFigures(ctx, [cadre(ME)], { now: NOW, months: MONTHS })).values()]);
  const exported = (await personData(t.redis, t.keys, await ctx.roster.get(), ME, NOW)).checkins;
  return { days, months, figures, exported };
}

/**
 * What a reader should see after packing: days before the cutoff without positions, packed days without transient
 * ids, the last two days as they were.
 */
function expected(before: Awaited<ReturnType<typeof read>>) {
  const pack = (date: string, records: CheckinRecord[]) =>
    date < PACKED ? records.map((r, n) => asPacked(date, n, date < CUTOFF ? reduceRecord(r).record : r)) : records;
  const map = (o: Record<string, CheckinRecord[]>) =>
    Object.fromEntries(Object.entries(o).map(([d, rs]) => [d, pack(d, rs)]));
  return {
    days: map(before.days),
    months: Object.fromEntries(Object.entries(before.months).map(([m, o]) => [m, map(o)])),
    figures: before.figures,
    exported: map(before.exported as Record<string, CheckinRecord[]>),
  };
}

describe('packed check-ins', () => {
  it('packs and unpacks a year exactly, keeping whole what the compact form cannot give back', () => {
    const odd = { ...judged('2026-03-02', 'page', 9), at: '2026-03-02T01:02:03.456Z', extra: { x: [1] } };
    const unknown = { ...judged('2026-03-02', 'wecom', 10), source: 'future' } as unknown as CheckinRecord;
    const plain = reduceRecord(judged('2026-03-03', 'message', 15, { label: '村口' })).record;
    const wecom = reduceRecord(judged('2026-03-03', 'wecom', 16, { notes: ['地点异常'] })).record;
    const review = { ...judged('2026-03-03', 'message', 17), review: { status: 'pending' as const, no: 'S-x' } };
    const days = new Map([
      ['2026-03-02', [odd, unknown]],
      ['2026-03-03', [plain, wecom, review]],
    ]);
    const back = unpackYear('2026', packYear(days));
    expect(back.get('2026-03-02')).toEqual([odd, unknown]);
    expect(back.get('2026-03-03')).toEqual([{ ...plain, id: 'packed:2026-03-03:0' }, wecom, review]);
    // Key order too: a day written back from the archive is the JSON the day had.
    expect(JSON.stringify(back.get('2026-03-03')![1])).toBe(JSON.stringify(wecom));
    expect(() => unpackYear('2026', 'z1:xx')).toThrow(/not a check-in archive/);
  });

  it('every reader gives the same before and after packing; writes to packed days unpack them', async () => {
    // Four months of check-ins of every source, some days with several.
    for (let d = '2026-08-03'; d <= '2026-12-04'; d = addDays(d, 1)) {
      const dow = new Date(`${d}T12:00:00Z`).getUTCDay();
      if (dow === 0 || dow === 6) continue;
      const n = Number(d.slice(8));
      const records = [judged(d, 'page', 8)];
      if (n % 3 === 0) records.push(judged(d, 'message', 15, { label: `${n}号村口` }));
      if (n % 5 === 0) records.push(judged(d, 'auto', 11));
      if (n % 7 === 0) records.push(judged(d, 'wecom', 17, { notes: ['非常用设备'] }));
      if (n % 11 === 0) records.push({ ...judged(d, 'page', 7), flagged: { kind: 'speed', speedKmh: 200, since: d } });
      await put(ME, d, ...records);
    }
    await put(ME, '2026-08-08', judged('2026-08-08', 'backfill', 9, { notes: ['山里没有信号'] }));
    const before = await read();
    const used = async () => Number(/used_memory:(\d+)/.exec(await t.redis.info('memory'))![1]);
    const sizeBefore = await t.redis.memory('USAGE', t.keys.checkins(ME, '2026-09'));

    await runRetention();
    const after = await read();
    expect(after).toEqual(expected(before));
    expect(await t.redis.exists(t.keys.checkins(ME, '2026-09'))).toBe(0);
    const archive = await t.redis.hgetall(t.keys.checkins(ME, '2026'));
    expect(Object.keys(archive)).toEqual([`${addDays(PACKED, -1)}+${CUTOFF}`]);
    expect(await t.redis.hget(t.keys.checkins(ME, '2026-12'), '2026-12-04')).not.toBeNull();
    // Packed days within the retention period keep their exact positions until it ends.
    expect((await ledger.day(ME, '2026-11-30'))[0]).toMatchObject({
      lat: expect.any(Number),
      accuracyM: expect.any(Number),
    });
    expect((await ledger.day(ME, '2026-11-05'))[0]).not.toHaveProperty('lat');
    expect(Number(await t.redis.memory('USAGE', t.keys.checkins(ME, '2026')))).toBeLessThan(Number(sizeBefore));
    expect(await used()).toBeGreaterThan(0);

    // A late back-fill of a packed day: the day leaves the archive for its month hash, nothing else changes.
    const late = judged('2026-09-14', 'backfill', 18, { notes: ['补签'] });
    await put(ME, '2026-09-14', late);
    expect(await ledger.day(ME, '2026-09-14')).toEqual([...after.days['2026-09-14']!, late]);
    expect(await t.redis.hget(t.keys.checkins(ME, '2026-09'), '2026-09-14')).not.toBeNull();
    const field = Object.keys(await t.redis.hgetall(t.keys.checkins(ME, '2026')))[0]!;
    const left = unpackYear('2026', (await t.redis.hget(t.keys.checkins(ME, '2026'), field))!);
    expect(left.has('2026-09-14')).toBe(false);
    const withLate: Record<string, CheckinRecord[]> = {
      ...after.days,
      '2026-09-14': [...after.days['2026-09-14']!, late],
    };

    // A WeCom sync adding two records to one packed day and one to another, in one Tx.
    const tx = new Tx();
    const w1 = judged('2026-10-13', 'wecom', 12);
    const w2 = judged('2026-10-13', 'wecom', 13);
    const w3 = judged('2026-10-14', 'wecom', 12);
    let oct13 = await ledger.day(ME, '2026-10-13');
    const oct14 = await ledger.day(ME, '2026-10-14');
    for (const r of [w1, w2]) if (ledger.add(tx, ME, '2026-10-13', oct13, r)) oct13 = [...oct13, r];
    expect(ledger.add(tx, ME, '2026-10-14', oct14, w3)).toBe(true);
    // The same event twice is still seen as one.
    expect(ledger.add(tx, ME, '2026-10-13', oct13, w1)).toBe(false);
    await tx.commit(t.redis);
    const sorted = (rs: CheckinRecord[]) => [...rs].sort((a, b) => a.at.localeCompare(b.at));
    withLate['2026-10-13'] = sorted([...after.days['2026-10-13']!, w1, w2]);
    withLate['2026-10-14'] = sorted([...after.days['2026-10-14']!, w3]);
    const now = await read();
    expect(now.days).toEqual(withLate);
    expect(now.exported).toEqual(withLate_(withLate));

    // Two writers of one packed day: the second, having read the archive as it was, conflicts.
    const a = await ledger.day(ME, '2026-10-15');
    const b = await ledger.day(ME, '2026-10-15');
    const txA = new Tx();
    ledger.add(txA, ME, '2026-10-15', a, judged('2026-10-15', 'wecom', 19));
    await txA.commit(t.redis);
    const txB = new Tx();
    ledger.add(txB, ME, '2026-10-15', b, judged('2026-10-15', 'wecom', 20));
    await expect(txB.commit(t.redis)).rejects.toBeInstanceOf(TxConflict);
    expect(await ledger.day(ME, '2026-10-15')).toHaveLength(a.length + 1);

    // The next night packs the written days again; readers still see them.
    const readBack = await read();
    await runRetention();
    expect(await t.redis.hlen(t.keys.checkins(ME, '2026-09'))).toBe(0);
    const repacked = await read();
    // The written days lose the positions the new records brought, like any old day; ids given before stay.
    const reduced = (o: Record<string, CheckinRecord[]>) =>
      Object.fromEntries(
        Object.entries(o).map(([d, rs]) => [d, d < CUTOFF ? rs.map((r) => reduceRecord(r).record) : rs]),
      );
    expect(repacked.days).toEqual(reduced(readBack.days));
    expect(repacked.months['2026-10']).toEqual(reduced(readBack.months['2026-10']!));
    expect(repacked.figures).toBe(readBack.figures);
  });
});

/** The export lists only days with check-ins. */
function withLate_(days: Record<string, CheckinRecord[]>) {
  return Object.fromEntries(Object.entries(days).filter(([, rs]) => rs.length));
}
