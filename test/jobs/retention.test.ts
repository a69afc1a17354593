/**
 * The retention job on the real Redis: check-ins older than the policy's period lose their exact position
 * (coordinates, accuracy, address text) and keep what the figures and the digests use; younger ones are
 * untouched; a second run changes nothing; the figures are the same before and after.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { run as jobsCli } from '../../src/cli/jobs.js';
import type { CliIO } from '../../src/cli/io.js';
import { silentLogger } from '../../src/log.js';
import { judgeCheckin } from '../../src/attendance/checkin.js';
import { loadFigures, type FiguresCadre } from '../../src/attendance/figures.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { asPacked, unpackYear } from '../../src/attendance/ledger-archive.js';
import type { CheckinRecord, CheckinSource } from '../../src/attendance/record.js';
import { fixedClock } from '../../src/core/clock.js';
import { findJob } from '../../src/jobs/index.js';
import { retention, reduceRecord } from '../../src/jobs/retention.js';
import { defaultPolicy, jobSchedule } from '../../src/policy/policy.js';
import { parsePolicy } from '../../src/policy/policy.js';
import type { JobContext } from '../../src/schedule/job.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { putRecords } from '../attendance/seed.js';

const t = useTestRedis();
const NOW = new Date('2026-12-06T03:30:00+08:00');
const ctx: JobContext = testDeps(t, { clock: fixedClock(NOW) });
const VILLAGE = { lat: 35.6652, lng: 111.3046, radius: 1000 };
const RULES = { defaultRadius: 1000, selfReported: 'count' as const, maxSpeedKmh: 120 };
const ledger = new CheckinRepo(t.redis, t.keys);

let seq = 0;
/** A check-in judged as the bot judges it, at 09:00 local of `date`, `dLat` degrees north of the village. */
function judged(
  date: string,
  source: CheckinSource,
  dLat = 0.001,
  extra: Partial<Parameters<typeof judgeCheckin>[0]> = {},
): CheckinRecord {
  return judgeCheckin(
    {
      id: `${source}:${++seq}`,
      at: new Date(`${date}T09:${String(seq % 60).padStart(2, '0')}:00+08:00`),
      source,
      direction: 'in',
      ...(source === 'backfill' ? {} : { point: { lat: VILLAGE.lat + dLat, lng: VILLAGE.lng } }),
      // The page and LOCATION report how accurate the position is; without it they are never verified.
      ...(source === 'page' || source === 'auto' ? { accuracyM: 20 } : {}),
      ...extra,
    },
    VILLAGE,
    RULES,
  );
}

const put = (userId: string, date: string, ...records: CheckinRecord[]) =>
  putRecords(t, ledger, userId, date, ...records);

/** A day's records as a reader sees them (old days are packed into the year's archive): JSON, null for none. */
const raw = async (userId: string, date: string) => {
  const records = await new CheckinRepo(t.redis, t.keys).day(userId, date);
  return records.length ? JSON.stringify(records) : null;
};

async function run(c: JobContext = ctx) {
  const state = await retention.load(c, NOW);
  const notes = retention.writes!.describe(NOW, state);
  await retention.writes!.apply(c, NOW, state);
  return notes;
}

const cadre = (userid: string): FiguresCadre => ({ userid, termStart: '2026-03-01', termEnd: '2028-02-29' });
const figures = async (ids: string[]) =>
  JSON.stringify([
    ...(
      await loadFigures(ctx, ids.map(cadre), { now: NOW, months: ['2026-09', '2026-10', '2026-11', '2026-12'] })
    ).values(),
  ]);

describe('retention', () => {
  it('is a scheduled job with a policy period of 30 days by default', () => {
    expect(findJob('retention')).toBe(retention);
    expect(defaultPolicy().retention.exactLocationDays).toBe(30);
    expect(jobSchedule(defaultPolicy(), 'retention')).toBeTruthy();
    expect(() => parsePolicy('retention:\n  exactLocationDays: 0\n')).toThrow(/retention\.exactLocationDays/);
  });

  it('reduces old check-ins of every source to inside/outside and distance, leaves younger ones, keeps the figures', async () => {
    // The check-in page with the page's accuracy, a plausibility flag and an address; fields this code does not
    // know survive, position fields inside them do not.
    const page = {
      ...judged('2026-10-01', 'page', 0.001, { label: '北堡村委会' }),
      accuracy: 25,
      accuracyM: 25,
      plausible: false,
      flagged: { kind: 'speed', speedKmh: 300, since: '2026-10-01T00:30:00.000Z' },
      flags: ['speed'],
      evidence: { previous: { lat: 35.1, lng: 111.1 }, kmh: 300 },
    } as CheckinRecord;
    const message = judged('2026-10-01', 'message', 0.002, { label: '村口' });
    const auto = judged('2026-10-02', 'auto', 0.05);
    const wecom = judged('2026-10-20', 'wecom', 0.001, { notes: ['非常用设备'], label: '北堡村' });
    const backfill = judged('2026-10-21', 'backfill', 0, { notes: ['山里没有信号'] });
    const lastOld = judged('2026-11-05', 'page');
    const firstKept = judged('2026-11-06', 'page', 0.003, { label: '新' });
    const recent = judged('2026-12-05', 'auto');
    await put('r-a', '2026-10-01', page, message);
    await put('r-a', '2026-10-02', auto);
    await put('r-a', '2026-10-20', wecom);
    await put('r-a', '2026-10-21', backfill);
    await put('r-a', '2026-11-05', lastOld);
    await put('r-a', '2026-11-06', firstKept);
    await put('r-a', '2026-12-05', recent);
    // Enough people that the key scan takes several cursor steps and the work several batches.
    for (let i = 0; i < 150; i++) await put(`r-bulk${i}`, '2026-09-15', judged('2026-09-15', 'page'));

    const keptBefore = [await raw('r-a', '2026-11-06'), await raw('r-a', '2026-12-05')];
    const before = await figures(['r-a', 'r-bulk0', 'r-bulk149']);

    const notes = await run();
    expect(notes.join('\n')).toMatch(/reduced 155 check-ins on 154 days from 2026-09-15 to 2026-11-05/);
    expect(notes.join('\n')).toContain('lat');

    const oct1 = JSON.parse((await raw('r-a', '2026-10-01'))!) as Record<string, unknown>[];
    // A page or message event's id is not kept in the archive (nothing can deliver it again for so old a day).
    expect(oct1[0]).toEqual({
      id: 'packed:2026-10-01:0',
      at: page.at,
      source: 'page',
      trust: 'verified',
      direction: 'in',
      distanceM: page.distanceM,
      inside: true,
      counts: true,
      plausible: false,
      flagged: { kind: 'speed', speedKmh: 300, since: '2026-10-01T00:30:00.000Z' },
      flags: ['speed'],
      evidence: { kmh: 300 },
    });
    expect(oct1[1]).toEqual({
      id: 'packed:2026-10-01:1',
      at: message.at,
      source: 'message',
      trust: 'self-reported',
      direction: 'in',
      distanceM: message.distanceM,
      inside: true,
      counts: true,
    });
    const oct2 = JSON.parse((await raw('r-a', '2026-10-02'))!) as CheckinRecord[];
    expect(oct2[0]).toMatchObject({ inside: false, counts: false, distanceM: auto.distanceM });
    expect(JSON.parse((await raw('r-a', '2026-10-20'))!)[0]).toEqual({
      ...wecom,
      lat: undefined,
      lng: undefined,
      label: undefined,
    });
    expect(JSON.parse((await raw('r-a', '2026-10-21'))!)[0]).toEqual(backfill);
    for (const date of ['2026-10-01', '2026-10-02', '2026-10-20', '2026-11-05']) {
      expect(await raw('r-a', date)).not.toMatch(/"(lat|lng|label|accuracy|accuracyM)"/);
    }
    expect(await raw('r-bulk149', '2026-09-15')).not.toContain('"lat"');
    // Packed: the month hashes no longer hold the old days; the archive holds no position either.
    expect(await t.redis.hget(t.keys.checkins('r-a', '2026-10'), '2026-10-01')).toBeNull();
    const archive = await t.redis.hgetall(t.keys.checkins('r-a', '2026'));
    // It covers every day up to two days ago; those from the cutoff on keep their positions until it passes them.
    expect(Object.keys(archive)).toEqual(['2026-12-03+2026-11-06']);
    const archived = unpackYear('2026', archive['2026-12-03+2026-11-06']!);
    expect(JSON.stringify([...archived].filter(([d]) => d < '2026-11-06'))).not.toMatch(/"(lat|lng|label|accuracy)/);
    // Younger check-ins keep everything (packed, the page's event id aside).
    expect([await raw('r-a', '2026-11-06'), await raw('r-a', '2026-12-05')]).toEqual([
      JSON.stringify([asPacked('2026-11-06', 0, JSON.parse(keptBefore[0]!)[0] as CheckinRecord)]),
      keptBefore[1],
    ]);
    expect(keptBefore[0]).toContain('"lat"');
    expect(await figures(['r-a', 'r-bulk0', 'r-bulk149'])).toBe(before);

    // Idempotent: a second run finds nothing and changes nothing.
    const again = await run();
    expect(again.join('\n')).toMatch(/nothing to reduce/);
    expect(await figures(['r-a', 'r-bulk0', 'r-bulk149'])).toBe(before);
  });

  it('follows the policy period', async () => {
    await put('r-p', '2026-10-01', judged('2026-10-01', 'page'));
    await put('r-p', '2026-10-10', judged('2026-10-10', 'page'));
    const policy = defaultPolicy();
    policy.retention.exactLocationDays = 60;
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const notes = await run({ ...ctx, policy, log });
    expect(notes.join('\n')).toMatch(/reduced 1 check-ins on 1 days from 2026-10-01 to 2026-10-01/);
    // The log line says what was removed, without naming anyone.
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.job === 'retention');
    expect(logged).toMatchObject({
      msg: 'exact positions of old check-ins removed',
      checkins: 1,
      days: 1,
      from: '2026-10-01',
      to: '2026-10-01',
      cutoff: '2026-10-07',
      fields: ['accuracyM', 'lat', 'lng'],
    });
    expect(lines.join('')).not.toContain('r-p');
    expect(await raw('r-p', '2026-10-01')).not.toContain('"lat"');
    expect(await raw('r-p', '2026-10-10')).toContain('"lat"');
  });

  it('under a one-day period reduces the day before yesterday too, though days are packed from two days old', async () => {
    await put('r-1', '2026-12-04', judged('2026-12-04', 'page'));
    await put('r-1', '2026-12-05', judged('2026-12-05', 'page'));
    const policy = defaultPolicy();
    policy.retention.exactLocationDays = 1;
    await run({ ...ctx, policy });
    expect(await raw('r-1', '2026-12-04')).not.toContain('"lat"');
    expect(await raw('r-1', '2026-12-05')).toContain('"lat"');
    expect(await t.redis.hget(t.keys.checkins('r-1', '2026-12'), '2026-12-05')).toContain('"lat"');
  });

  it('loses no check-in added while it runs, and reduces it on the next run', async () => {
    await put('r-c', '2026-10-03', judged('2026-10-03', 'page'));
    const state = await retention.load(ctx, NOW);
    const late = judged('2026-10-03', 'wecom'); // a phone that was offline uploads its 打卡 late
    await put('r-c', '2026-10-03', late);
    await retention.writes!.apply(ctx, NOW, state);
    expect((JSON.parse((await raw('r-c', '2026-10-03'))!) as CheckinRecord[]).map((r) => r.id)).toContain(late.id);
    await run();
    const day = JSON.parse((await raw('r-c', '2026-10-03'))!) as CheckinRecord[];
    expect(day).toHaveLength(2);
    expect(JSON.stringify(day)).not.toContain('"lat"');
  });

  it('runs from `zhucun jobs run retention`, a dry run changing nothing', async () => {
    await put('r-cli', '2026-10-04', judged('2026-10-04', 'message', 0.001, { label: '家' }));
    const cli = async (...argv: string[]) => {
      let out = '';
      const io: CliIO = { out: (s) => (out += s), err: () => {}, log: silentLogger, env: {} };
      const code = await jobsCli(argv, io, async () => ({ ctx, close: async () => {} }));
      return { code, out };
    };
    const dry = await cli('run', 'retention', '--now', '2026-12-06T03:30', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/reduced 1 check-ins on 1 days from 2026-10-04 to 2026-10-04 .*removed label, lat, lng/);
    expect(await raw('r-cli', '2026-10-04')).toContain('"lat"');
    const real = JSON.parse((await cli('run', 'retention', '--now', '2026-12-06T03:30', '--json')).out) as {
      notes: string[];
    };
    expect(real.notes[0]).toMatch(/^reduced 1 check-ins/);
    expect(await raw('r-cli', '2026-10-04')).not.toContain('"lat"');
  });

  it('leaves a record without position fields as it is', () => {
    const r = judged('2026-10-21', 'backfill');
    expect(reduceRecord(r)).toEqual({ record: r, removed: [] });
  });
});
