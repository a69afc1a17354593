import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckinRepo, bitSet } from '../../src/attendance/ledger.js';
import type { OutboxPort } from '../../src/core/outbox-port.js';
import { dayOfYear } from '../../src/kit/dates.js';
import { startFakeWecom } from '../../src/fakewecom/server.js';
import { checkinSync, MAX_USERS_PER_CALL } from '../../src/jobs/checkin-sync.js';
import { silentLogger } from '../../src/log.js';
import type { Cadre, RosterData } from '../../src/roster/schema.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { JobContext } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { WecomApi } from '../../src/wecom/api/client.js';
import { fixedClock, type Clock } from '../../src/core/clock.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const fake = await startFakeWecom();
afterAll(() => fake.stop());

const GET = '/cgi-bin/checkin/getcheckindata';
const XITAISHEN = { lat: 35.5751, lng: 111.4298 };
const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000);

// The sample county, with 120 more (invented) cadres in 高村乡 so that a township needs two calls.
const roster: RosterData = sampleRosterData();
const extra: Cadre[] = Array.from({ length: 120 }, (_, i) => ({
  userid: `Sample${i}`,
  name: `示例${i}`,
  role: '委员',
  village: 'xitaishen',
  sendingUnit: '县交通局',
  termStart: '2026-04-28',
  termEnd: '2027-04-27',
  teamLeader: false,
}));
roster.cadres.push(...extra);
const gaocun = roster.cadres.filter((c) => ['xitaishen', 'aikou'].includes(c.village)).map((c) => c.userid);

const api = new WecomApi({
  base: fake.url,
  corpId: fake.corpId,
  agentId: fake.agentId,
  secret: fake.secret,
  redis: t.redis,
  keys: t.keys,
  log: silentLogger,
});
const noOutbox: OutboxPort = { enqueue: async () => {} };
function runnerAt(iso: string): JobRunner {
  const clock: Clock = fixedClock(iso);
  const ctx: JobContext = { ...testDeps(t, { clock, outbox: noOutbox }), wecom: api };
  return new JobRunner(ctx, new RedisRunCoordinator(t.redis, t.keys, clock, () => 86_400_000));
}
const ledger = new CheckinRepo(t.redis, t.keys);
const presentOn = async (userId: string, date: string) =>
  bitSet((await ledger.yearBits([userId], Number(date.slice(0, 4)))).get(userId)!.present, dayOfYear(date));
const pullBodies = () =>
  fake.requests
    .filter((r) => r.path === GET)
    .map((r) => r.body as { starttime: number; endtime: number; useridlist: string[] });

beforeAll(async () => {
  await t.redis.set(t.keys.roster(), JSON.stringify(roster));
  fake.addCheckinRecords([
    {
      userid: 'FanWeiDong',
      checkin_type: '上班打卡',
      checkin_time: sec('2026-11-18T08:01:00+08:00'),
      exception_type: '',
      lat: Math.round(XITAISHEN.lat * 1e6),
      lng: Math.round(XITAISHEN.lng * 1e6),
      location_title: '西台神村委会',
    },
    {
      userid: 'Sample110',
      checkin_type: '上班打卡',
      checkin_time: sec('2026-11-18T08:30:00+08:00'),
      exception_type: '',
      lat: Math.round(XITAISHEN.lat * 1e6),
      lng: Math.round(XITAISHEN.lng * 1e6),
    },
    {
      userid: 'JiaLiPing',
      checkin_type: '上班打卡',
      checkin_time: sec('2026-11-18T08:40:00+08:00'),
      exception_type: '地点异常',
      lat: Math.round((XITAISHEN.lat + 0.1) * 1e6),
      lng: Math.round(XITAISHEN.lng * 1e6),
    },
    {
      userid: 'XueHongMei',
      checkin_type: '上班打卡',
      checkin_time: sec('2026-11-18T09:00:00+08:00'),
      exception_type: '未打卡',
    },
    // A 新田乡 cadre: that township does not use WeCom 打卡 and is never asked for.
    {
      userid: 'WangJianGuo',
      checkin_type: '上班打卡',
      checkin_time: sec('2026-11-18T08:00:00+08:00'),
      exception_type: '',
    },
  ]);
});
beforeEach(() => {
  fake.requests.length = 0;
});

describe('checkin-sync against the fake WeCom', () => {
  it('pulls the WeCom townships since the start of today, 100 members a call, into the ledger', async () => {
    const result = await runnerAt('2026-11-18T09:30:00+08:00').runManual(checkinSync);
    const bodies = pullBodies();
    expect(bodies).toHaveLength(Math.ceil(gaocun.length / MAX_USERS_PER_CALL));
    expect(bodies.every((b) => b.useridlist.length <= MAX_USERS_PER_CALL)).toBe(true);
    expect(bodies.flatMap((b) => b.useridlist).sort()).toEqual([...gaocun].sort());
    expect(bodies[0]!.starttime).toBe(sec('2026-11-18T00:00:00+08:00'));
    expect(bodies[0]!.endtime).toBe(sec('2026-11-18T09:30:00+08:00'));
    expect(result.sent).toEqual([]);
    expect(result.notes).toEqual([
      'gaocun: 4 records 2026-11-17T16:00:00.000Z – 2026-11-18T01:30:00.000Z, 3 new check-ins',
    ]);

    expect(await presentOn('FanWeiDong', '2026-11-18')).toBe(true);
    expect(await presentOn('Sample110', '2026-11-18')).toBe(true);
    expect(await presentOn('JiaLiPing', '2026-11-18')).toBe(false);
    expect(await presentOn('WangJianGuo', '2026-11-18')).toBe(false);
    const [day] = await ledger.day('FanWeiDong', '2026-11-18');
    expect(day).toMatchObject({ source: 'wecom', trust: 'verified', counts: true, label: '西台神村委会' });
    expect((await ledger.day('JiaLiPing', '2026-11-18'))[0]).toMatchObject({ counts: false, notes: ['地点异常'] });
    expect(await t.redis.get(t.keys.checkinSync('gaocun'))).toBe(String(sec('2026-11-18T09:30:00+08:00')));
  });

  it('continues from the cursor with an overlap, and adds nothing twice', async () => {
    fake.addCheckinRecords([
      {
        userid: 'RenBaoPing',
        checkin_type: '上班打卡',
        checkin_time: sec('2026-11-18T09:35:00+08:00'),
        exception_type: '',
        lat: Math.round(35.5603e6),
        lng: Math.round(111.4552e6),
      },
    ]);
    const result = await runnerAt('2026-11-18T09:40:00+08:00').runManual(checkinSync);
    expect(pullBodies()[0]!.starttime).toBe(sec('2026-11-18T09:00:00+08:00'));
    expect(result.notes[0]).toMatch(/, 1 new check-ins$/);
    expect(await ledger.day('FanWeiDong', '2026-11-18')).toHaveLength(1);
    expect(await presentOn('RenBaoPing', '2026-11-18')).toBe(true);
  });

  it('cuts a long gap into 30-day windows', async () => {
    await t.redis.set(t.keys.checkinSync('gaocun'), String(sec('2026-10-01T00:30:00+08:00')));
    await runnerAt('2026-11-18T09:50:00+08:00').runManual(checkinSync);
    const spans = pullBodies().map((b) => b.endtime - b.starttime);
    expect(spans.every((s) => s <= 30 * 86_400)).toBe(true);
    expect(new Set(pullBodies().map((b) => b.starttime)).size).toBe(2);
  });

  it('keeps the cursor when WeCom refuses, and a dry run writes nothing', async () => {
    const before = await t.redis.get(t.keys.checkinSync('gaocun'));
    fake.inject({ errcode: 45009 }, 1, { path: GET });
    const failed = await runnerAt('2026-11-18T10:00:00+08:00').runManual(checkinSync);
    expect(failed.notes[0]).toContain('failed');
    expect(await t.redis.get(t.keys.checkinSync('gaocun'))).toBe(before);

    fake.addCheckinRecords([
      {
        userid: 'TianXiaoLi',
        checkin_type: '上班打卡',
        checkin_time: sec('2026-11-18T10:05:00+08:00'),
        exception_type: '',
        lat: Math.round(35.5603e6),
        lng: Math.round(111.4552e6),
      },
    ]);
    const dry = await runnerAt('2026-11-18T10:10:00+08:00').runManual(checkinSync, { dryRun: true });
    expect(dry.notes[0]).toMatch(/, 1 new check-ins$/);
    expect(await presentOn('TianXiaoLi', '2026-11-18')).toBe(false);
    expect(await t.redis.get(t.keys.checkinSync('gaocun'))).toBe(before);
  });
});
