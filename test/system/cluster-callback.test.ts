/**
 * The callback path on a 3-master Redis Cluster: signed WeCom callbacks over HTTP, the bot core, the ledger
 * and the back-fill workflow, whose writes span several hash slots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/core/bot.js';
import { fixedClock } from '../../src/core/clock.js';
import { loadEnv } from '../../src/config/env.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { readAudit } from '../../src/audit/read.js';
import { silentLogger } from '../../src/log.js';
import { connectRedis, type RedisConnection } from '../../src/redis/connect.js';
import { Keys } from '../../src/redis/keys.js';
import { createRegistry } from '../../handlers/index.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { serveBot, type HttpBot } from '../helpers/http-bot.js';

let cluster: TestCluster;
let conn: RedisConnection;
let http: HttpBot;
const keys = new Keys('cl');
const outbox = new RecordingOutbox();
const roster = sampleRosterData();
const cadre = roster.cadres.find((c) => c.userid === 'LiXiaoYan')!;
const village = roster.villages.find((v) => v.id === cadre.village)!;

beforeAll(async () => {
  cluster = await startCluster();
  conn = await connectRedis(loadEnv({ REDIS_CLUSTER_NODES: cluster.nodes.join(',') }), silentLogger);
  const deps = testDeps(
    { redis: conn.redis as never, keys, url: '' },
    { outbox, clock: fixedClock('2026-11-18T10:00:00+08:00') },
  );
  await deps.roster.replace(roster);
  http = await serveBot(new Bot(deps, createRegistry()));
}, 120_000);

afterAll(async () => {
  await http?.close();
  await conn?.close();
  await cluster?.stop();
});

describe('callback path on Redis Cluster', () => {
  it('records a location message check-in and answers a retry with the same reply', async () => {
    const msg = {
      ToUserName: 'wwsandbox0000001',
      FromUserName: 'LiXiaoYan',
      CreateTime: Math.floor(Date.parse('2026-11-18T08:30:00+08:00') / 1000),
      MsgType: 'location',
      Location_X: village.lat,
      Location_Y: village.lng,
      Scale: 15,
      Label: '北堡村村委会',
      MsgId: '7000000000000000001',
      AgentID: 1000002,
    };
    const first = await http.app(msg);
    // A point picked on the map waits for the team leader (the default rule): its request is written to the
    // cadre's and the confirmer's slots in the same commit.
    expect(first?.Content).toContain('待领队或乡镇（街道）确认后计入');
    const retry = await http.app(msg);
    expect(retry?.Content).toBe(first?.Content);
    const day = await new CheckinRepo(conn.redis, keys).day('LiXiaoYan', '2026-11-18');
    expect(day).toHaveLength(1);
    expect(day[0]?.review?.status).toBe('pending');
  });

  it("runs a back-fill whose confirmation writes to two cadres' slots", async () => {
    const ask = await http.robot({
      msgid: 'bf-ask-1',
      aibotid: 'AIBOT',
      chattype: 'single',
      from: { userid: 'ZhangZhiQiang' },
      msgtype: 'text',
      text: { content: '补登 昨天 山里没信号' },
    });
    const content = JSON.stringify(ask);
    const no = /B\d+/.exec(content)?.[0];
    expect(no).toBeDefined();
    const ok = await http.robot({
      msgid: 'bf-ok-1',
      aibotid: 'AIBOT',
      chattype: 'single',
      from: { userid: 'LiZhenHua' },
      msgtype: 'text',
      text: { content: `确认补登 ${no}` },
    });
    expect(JSON.stringify(ok)).toContain('已确认');
    const day = await new CheckinRepo(conn.redis, keys).day('ZhangZhiQiang', '2026-11-17');
    expect(day.map((d) => d.source)).toEqual(['backfill']);
    // The decision's audit entry, in the trail's own slot, through the robot's channel.
    expect((await readAudit(conn.redis, keys)).entries).toMatchObject([
      { kind: 'backfill.approve', actor: 'LiZhenHua', channel: 'bot', ref: no, subject: 'ZhangZhiQiang' },
    ]);
  });
});
