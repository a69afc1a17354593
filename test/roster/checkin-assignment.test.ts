/**
 * Presence is judged by the assignment of the day: a move that takes effect later (`since`) leaves the cadre
 * in the old village until then, and the new village's geofence judges them from that day on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import { Bot } from '../../src/core/bot.js';
import type { Update } from '../../src/core/update.js';
import { TestClock } from '../helpers/clock.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const clock = new TestClock('2026-12-06T09:00:00+08:00');
const deps = testDeps(t, { clock, outbox: new RecordingOutbox() });
const bot = new Bot(deps, createRegistry());
const sample = sampleRosterData();
const place = (id: string) => sample.villages.find((v) => v.id === id)!;
let seq = 0;

function pageCheckin(village: string, at: string): Update {
  const v = place(village);
  return {
    id: `test:loc:${++seq}`,
    channel: 'page',
    userId: 'LiXiaoYan',
    chatType: 'single',
    kind: 'location',
    location: { lat: v.lat, lng: v.lng, source: 'page', precision: 1 },
    time: new Date(at),
  };
}

beforeAll(async () => {
  clock.set('2026-10-01T09:00:00+08:00');
  await deps.roster.replace(sample);
  // Imported on 6 December: Li Xiaoyan moves from 北堡村 to 牛村 on 10 December.
  clock.set('2026-12-06T09:00:00+08:00');
  await deps.roster.replace({
    ...sample,
    cadres: sample.cadres.map((c) => (c.userid === 'LiXiaoYan' ? { ...c, village: 'niucun', since: '2026-12-10' } : c)),
  });
});

describe('a check-in is judged by the assignment of its day', () => {
  it('before the move takes effect: the old village counts, the new one does not', async () => {
    clock.set('2026-12-07T09:00:00+08:00');
    expect((await bot.handle(pageCheckin('niucun', '2026-12-07T09:00:00+08:00'))).reply?.meta?.counts).toBe(false);
    expect((await bot.handle(pageCheckin('beibao', '2026-12-07T09:05:00+08:00'))).reply?.meta?.counts).toBe(true);
  });

  it('from the day of the move: the new village counts, the old one does not', async () => {
    clock.set('2026-12-10T09:00:00+08:00');
    expect((await bot.handle(pageCheckin('beibao', '2026-12-10T09:00:00+08:00'))).reply?.meta?.counts).toBe(false);
    clock.set('2026-12-10T11:00:00+08:00');
    expect((await bot.handle(pageCheckin('niucun', '2026-12-10T11:00:00+08:00'))).reply?.meta?.counts).toBe(true);
  });
});
