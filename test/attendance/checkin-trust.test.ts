/**
 * Trust of a measured position (accuracy against the geofence) and the plausibility check (travel speed from
 * the last known position), through the pure judge and through the bot with each source.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeCheckin, lastKnownPosition, type FenceRules } from '../../src/attendance/checkin.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { Bot } from '../../src/core/bot.js';
import type { Update, UpdateLocation } from '../../src/core/update.js';
import { createRegistry } from '../../handlers/index.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const village = { lat: 35.6, lng: 111.3, radius: 500 };
/** A point `metres` north of the village centre. */
const north = (metres: number, v: { lat: number; lng: number } = village) => ({
  lat: v.lat + metres / 111_195,
  lng: v.lng,
});
const rules: FenceRules = { defaultRadius: 1000, selfReported: 'refuse', maxSpeedKmh: 120 };
const at = new Date('2026-11-18T08:00:00+08:00');
const judge = (source: 'page' | 'auto' | 'wecom', metres: number, accuracyM?: number) =>
  judgeCheckin(
    { id: 'x', at, source, direction: 'in', point: north(metres), ...(accuracyM !== undefined ? { accuracyM } : {}) },
    village,
    rules,
  );

describe('trust of a measured position', () => {
  it('is verified only when distance plus accuracy lies within the radius', () => {
    expect(judge('page', 400, 90)).toMatchObject({ trust: 'verified', counts: true, accuracyM: 90 });
    expect(judge('page', 400, 150)).toMatchObject({ trust: 'self-reported', inside: true, counts: false });
    expect(judge('auto', 400, 90)).toMatchObject({ trust: 'verified', counts: true });
    expect(judge('auto', 400, 5000)).toMatchObject({ trust: 'self-reported', counts: false });
  });

  it('cannot be verified without an accuracy; WeCom 打卡 keeps WeCom’s own rule', () => {
    expect(judge('page', 10)).toMatchObject({ trust: 'self-reported', counts: false });
    expect(judge('auto', 10)).toMatchObject({ trust: 'self-reported', counts: false });
    expect(judge('wecom', 10)).toMatchObject({ trust: 'verified', counts: true });
  });

  it('follows the self-reported rule of the policy', () => {
    const r = judgeCheckin(
      { id: 'x', at, source: 'page', direction: 'in', point: north(100), accuracyM: 1500 },
      village,
      { ...rules, selfReported: 'count' },
    );
    expect(r).toMatchObject({ trust: 'self-reported', counts: true });
  });
});

describe('plausibility of a position', () => {
  const prev = { ...north(0), at: new Date('2026-11-18T07:50:00+08:00') };
  it('flags a jump faster than the policy’s speed and leaves a drive alone', () => {
    const far = judgeCheckin(
      {
        id: 'x',
        at,
        source: 'page',
        direction: 'in',
        point: north(0),
        accuracyM: 10,
        previous: { ...north(0, { lat: 36.6, lng: 111.3 }), at: prev.at },
      },
      village,
      rules,
    );
    expect(far.flagged).toEqual({ kind: 'speed', speedKmh: expect.any(Number), since: prev.at.toISOString() });
    expect(far.flagged!.speedKmh).toBeGreaterThan(600);
    // 15 km in 10 minutes is 90 km/h.
    const drive = judgeCheckin(
      {
        id: 'x',
        at,
        source: 'page',
        direction: 'in',
        point: north(0),
        accuracyM: 10,
        previous: { ...north(-15_000), at: prev.at },
      },
      village,
      rules,
    );
    expect(drive.flagged).toBeUndefined();
  });

  it('does not take GPS jitter within the accuracies for travel', () => {
    const jitter = judgeCheckin(
      {
        id: 'x',
        at,
        source: 'page',
        direction: 'in',
        point: north(0),
        accuracyM: 80,
        previous: { ...north(150), at, accuracyM: 80 },
      },
      village,
      rules,
    );
    expect(jitter.flagged).toBeUndefined();
  });

  it('takes the latest earlier record with coordinates as the last known position', () => {
    const base = {
      source: 'page' as const,
      trust: 'verified' as const,
      direction: 'in' as const,
      inside: true,
      counts: true,
    };
    const records = [
      { ...base, id: 'a', at: '2026-11-18T07:00:00.000Z', lat: 1, lng: 1 },
      { ...base, id: 'b', at: '2026-11-18T07:30:00.000Z' },
      { ...base, id: 'c', at: '2026-11-18T09:00:00.000Z', lat: 3, lng: 3 },
    ];
    expect(lastKnownPosition(records, new Date('2026-11-18T08:00:00.000Z'))).toEqual({
      lat: 1,
      lng: 1,
      at: new Date('2026-11-18T07:00:00.000Z'),
    });
    expect(lastKnownPosition(records, new Date('2026-11-18T06:00:00.000Z'))).toBeUndefined();
    // The same instant is not before itself.
    expect(lastKnownPosition(records, new Date('2026-11-18T07:00:00.000Z'))).toBeUndefined();
    // A time written in another form is compared by its instant: 15:30 in Shanghai is 07:30 UTC.
    const other = [{ ...base, id: 'd', at: '2026-11-18T15:30:00+08:00', lat: 4, lng: 4 }];
    expect(lastKnownPosition(other, new Date('2026-11-18T07:45:00.000Z'))?.lat).toBe(4);
    expect(lastKnownPosition(other, new Date('2026-11-18T07:15:00.000Z'))).toBeUndefined();
    // From the year 10000 the instant's own text is longer (`+010000-…`): compared by instant, as any other.
    expect(lastKnownPosition(records, new Date('+010000-01-01T00:00:00.000Z'))?.lat).toBe(3);
  });
});

describe('every source through the bot', () => {
  const t = useTestRedis();
  const deps = testDeps(t);
  const bot = new Bot(deps, createRegistry());
  const roster = sampleRosterData();
  const cadre = roster.cadres.find((c) => c.userid === 'LiXiaoYan')!;
  const home = roster.villages.find((v) => v.id === cadre.village)!;
  const ledger = new CheckinRepo(t.redis, t.keys);
  let seq = 0;
  const send = (location: UpdateLocation, time: string): Promise<unknown> => {
    seq += 1;
    const u: Update = {
      id: `trust:${seq}`,
      channel: location.source === 'page' ? 'page' : 'app',
      userId: cadre.userid,
      chatType: 'single',
      kind: 'location',
      location,
      time: new Date(time),
    };
    return bot.handle(u);
  };
  beforeAll(async () => {
    await deps.roster.replace(roster);
  });

  it('marks an imprecise page position self-reported and says why', async () => {
    const r = (await send({ ...north(10, home), source: 'page', precision: 5000 }, '2026-11-10T08:00:00+08:00')) as {
      reply: { text: string };
    };
    expect(r.reply.text).toContain('定位精度不足');
    expect((await ledger.day(cadre.userid, '2026-11-10')).map((x) => [x.trust, x.accuracyM])).toEqual([
      ['self-reported', 5000],
    ]);
  });

  it('applies the same rule to the LOCATION event’s Precision', async () => {
    await send({ ...north(10, home), source: 'auto', precision: 5000 }, '2026-11-11T08:00:00+08:00');
    await send({ ...north(10, home), source: 'auto', precision: 20 }, '2026-11-12T08:00:00+08:00');
    expect((await ledger.day(cadre.userid, '2026-11-11')).map((x) => x.trust)).toEqual(['self-reported']);
    expect((await ledger.day(cadre.userid, '2026-11-12')).map((x) => x.trust)).toEqual(['verified']);
  });

  it('flags a check-in reached from the previous day’s last position faster than the policy allows', async () => {
    await send({ lat: home.lat + 3, lng: home.lng, source: 'message' }, '2026-11-12T23:30:00+08:00');
    await send({ ...north(10, home), source: 'page', precision: 10 }, '2026-11-13T00:30:00+08:00');
    const [r] = await ledger.day(cadre.userid, '2026-11-13');
    expect(r).toMatchObject({
      trust: 'verified',
      counts: true,
      flagged: { kind: 'speed', since: new Date('2026-11-12T23:30:00+08:00').toISOString() },
    });
  });
});
