import { beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/core/bot.js';
import type { Update, UpdateLocation } from '../../src/core/update.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { distanceMetres } from '../../src/attendance/geo.js';
import { createRegistry } from '../../handlers/index.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { TestClock } from '../helpers/clock.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const clock = new TestClock('2026-11-18T09:00:00+08:00');
const outbox = new RecordingOutbox();
const deps = testDeps(t, { clock, outbox });
const bot = new Bot(deps, createRegistry());
const roster = sampleRosterData();
const ledger = new CheckinRepo(t.redis, t.keys);

const cadre = roster.cadres.find((c) => c.userid === 'LiXiaoYan')!;
const village = roster.villages.find((v) => v.id === cadre.village)!;
const radius = village.radius ?? 1000;
/** A point `metres` north of the village centre. */
const north = (metres: number) => ({ lat: village.lat + metres / 111_195, lng: village.lng });

let seq = 0;
function location(
  userId: string,
  p: { lat: number; lng: number },
  source: UpdateLocation['source'],
  at = clock.now(),
): Update {
  seq += 1;
  return {
    id: `test:loc:${seq}`,
    channel: source === 'page' ? 'page' : 'app',
    userId,
    chatType: 'single',
    kind: 'location',
    // The page and the LOCATION event report their accuracy; a precise one keeps the position verifiable.
    location: { ...p, source, ...(source === 'message' ? {} : { precision: 1 }) },
    time: at,
  };
}
const textUpdate = (userId: string, text: string): Update => {
  seq += 1;
  return { id: `test:txt:${seq}`, channel: 'app', userId, chatType: 'single', kind: 'text', text, time: clock.now() };
};

beforeAll(async () => {
  await deps.roster.replace(roster);
});

describe('check-in', () => {
  it('answers 签到 with the check-in page link', async () => {
    const r = await bot.handle(textUpdate('LiXiaoYan', '签到'));
    expect(r.reply?.card?.url).toBe(deps.checkinLink);
    expect(r.reply?.text).toContain(deps.checkinLink);
  });

  it('counts a page check-in just inside the geofence and refuses one just outside', async () => {
    expect(distanceMetres(north(radius - 2), village)).toBeLessThanOrEqual(radius);
    expect(distanceMetres(north(radius + 2), village)).toBeGreaterThan(radius);
    const outside = await bot.handle(
      location('LiXiaoYan', north(radius + 2), 'page', new Date('2026-11-17T08:00:00+08:00')),
    );
    expect(outside.reply?.meta?.counts).toBe(false);
    expect(outside.reply?.text).toContain('不在村范围内');
    expect((await ledger.day('LiXiaoYan', '2026-11-17')).map((r) => r.counts)).toEqual([false]);

    const inside = await bot.handle(
      location('LiXiaoYan', north(radius - 2), 'page', new Date('2026-11-17T08:05:00+08:00')),
    );
    expect(inside.reply?.meta?.counts).toBe(true);
    expect(inside.reply?.text).toContain('签到成功');
    const bits = (await ledger.yearBits(['LiXiaoYan'], 2026)).get('LiXiaoYan')!;
    const day = await ledger.day('LiXiaoYan', '2026-11-17');
    expect(day.map((r) => [r.source, r.trust, r.counts])).toEqual([
      ['page', 'self-reported', false],
      ['page', 'verified', true],
    ]);
    expect(bits.present.length).toBeGreaterThan(0);
  });

  it('keeps a location message waiting for confirmation (the default) and a later verified one counts the day', async () => {
    const at = new Date('2026-11-16T08:00:00+08:00');
    const self = await bot.handle(location('LiXiaoYan', north(100), 'message', at));
    expect(self.reply?.text).toContain('待领队或乡镇（街道）确认后计入');
    const bit = (buf: Buffer | undefined) =>
      buf && buf.length > index >> 3 ? (buf[index >> 3]! >> (7 - (index & 7))) & 1 : 0;
    const index = 319; // 2026-11-16 is day 320 of the year
    const before = (await ledger.yearBits(['LiXiaoYan'], 2026)).get('LiXiaoYan')!;
    expect([bit(before.present), bit(before.pending)]).toEqual([0, 1]);
    await bot.handle(location('LiXiaoYan', north(50), 'page', new Date('2026-11-16T09:00:00+08:00')));
    const after = (await ledger.yearBits(['LiXiaoYan'], 2026)).get('LiXiaoYan')!;
    expect([bit(after.present), bit(after.selfReported), bit(after.pending)]).toEqual([1, 0, 0]);
  });

  it('counts the same callback once', async () => {
    const u = location('SunLiJuan', north(10), 'message', new Date('2026-11-15T08:00:00+08:00'));
    const sun = roster.cadres.find((c) => c.userid === 'SunLiJuan')!;
    const v = roster.villages.find((x) => x.id === sun.village)!;
    u.location = { lat: v.lat, lng: v.lng, source: 'message' };
    const first = await bot.handle(u);
    const second = await bot.handle(u);
    expect(second).toEqual({ ...first, duplicate: true });
    expect(await ledger.day('SunLiJuan', '2026-11-15')).toHaveLength(1);
  });

  it('answers an automatic location report once a day, only when it makes the day count', async () => {
    const at = new Date('2026-11-14T07:00:00+08:00');
    const far = await bot.handle(location('LiXiaoYan', north(5000), 'auto', at));
    expect(far.reply).toBeNull();
    expect(await ledger.day('LiXiaoYan', '2026-11-14')).toHaveLength(0);
    const near = await bot.handle(location('LiXiaoYan', north(10), 'auto', at));
    expect(near.reply?.text).toContain('自动上报');
    const again = await bot.handle(location('LiXiaoYan', north(20), 'auto', new Date('2026-11-14T07:10:00+08:00')));
    expect(again.reply).toBeNull();
    expect(await ledger.day('LiXiaoYan', '2026-11-14')).toHaveLength(1);
  });

  it('refuses check-in to someone who is not a cadre', async () => {
    const r = await bot.handle(textUpdate('LiZhenHua', '签到'));
    expect(r.reply?.text).toContain('仅供驻村干部使用');
  });
});

describe('back-fill', () => {
  it('takes a back-fill within the window, sends a card to the confirmers, and a confirmation makes the day count', async () => {
    clock.set('2026-11-18T09:00:00+08:00');
    const r = await bot.handle(textUpdate('ZhangZhiQiang', '补登 昨天 山里没信号'));
    expect(r.reply?.text).toMatch(/补登申请 B\d+ 已提交/);
    const no = /B\d+/.exec(r.reply!.text!)![0];
    const card = outbox.queued.find((m) => m.key === `backfill:${no}`)!;
    expect(card.to).toEqual({ kind: 'user', userIds: expect.arrayContaining(['WangJianGuo', 'LiZhenHua']) });
    expect(await ledger.day('ZhangZhiQiang', '2026-11-17')).toHaveLength(0);

    const stranger = await bot.handle(textUpdate('ZhangGuoDong', `确认补登 ${no}`));
    expect(stranger.reply?.text).toContain('不在您的确认范围');

    const click: Update = {
      id: `test:click:${no}`,
      channel: 'app',
      userId: 'LiZhenHua',
      chatType: 'single',
      kind: 'event',
      event: {
        type: 'template_card_event',
        key: `backfill-confirm:${no}`,
        taskId: `backfill-${no}`,
        responseCode: 'rc1',
      },
      time: clock.now(),
    };
    const ok = await bot.handle(click);
    expect(ok.reply).toMatchObject({ replaceButton: '已确认' });
    const day = await ledger.day('ZhangZhiQiang', '2026-11-17');
    expect(day.map((d) => [d.source, d.trust, d.counts])).toEqual([['backfill', 'confirmed', true]]);
    const again = await bot.handle({ ...click, id: `${click.id}:2`, userId: 'WangJianGuo' });
    expect(again.reply?.text).toContain('已确认，无需再次处理');
    expect(outbox.queued.some((m) => m.key === `backfill:${no}:confirmed`)).toBe(true);
  });

  it('confirms a back-fill of a day without check-ins into a presence day marked as confirmed', async () => {
    const r = await bot.handle(textUpdate('LiXiaoYan', '补登 11月17日 手机没电'));
    // The 17th already counts through the page check-in above.
    expect(r.reply?.text).toContain('已经计为在村');
    clock.set('2026-11-19T20:00:00+08:00');
    const ok = await bot.handle(textUpdate('SunLiJuan', '补登 11月18日 信号差'));
    const no = /B\d+/.exec(ok.reply!.text!)![0];
    await bot.handle(textUpdate('WangJianGuo', `确认补登 ${no}`));
    const day = await ledger.day('SunLiJuan', '2026-11-18');
    expect(day.map((d) => [d.source, d.trust, d.counts])).toEqual([['backfill', 'confirmed', true]]);
  });

  it('refuses a back-fill after the window, in the future, or without a reason, changing nothing', async () => {
    clock.set('2026-11-22T10:00:00+08:00');
    const before = outbox.queued.length;
    const late = await bot.handle(textUpdate('LiXiaoYan', '补登 11月19日 没信号'));
    expect(late.reply?.text).toContain('48 小时');
    const future = await bot.handle(textUpdate('LiXiaoYan', '补登 明天 没信号'));
    expect(future.reply?.text).toContain('不能补登今天以后');
    const noReason = await bot.handle(textUpdate('LiXiaoYan', '补登 昨天'));
    expect(noReason.reply?.text).toContain('原因');
    expect(outbox.queued.length).toBe(before);
    expect(await ledger.day('LiXiaoYan', '2026-11-19')).toHaveLength(0);
  });
});
