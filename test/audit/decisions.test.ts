/**
 * The audit record of each decision made in the chat, through the real bot core: leave approved (each step) and
 * rejected, 补登 confirmed and rejected, self-reported locations confirmed and rejected. Who, what, when, the
 * channel and the item; a refused action records nothing, and a retried update records once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import type { Update } from '../../src/core/update.js';
import { testBot, textUpdate } from '../helpers/bot.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { trail } from './helpers.js';

const t = useTestRedis();
// Friday 20 November 2026.
const b = testBot(t, { commands: createRegistry(), start: '2026-11-20T09:00:00+08:00', idPrefix: 'dec' });
beforeAll(() => b.setup());

const roster = sampleRosterData();
/** A location message from `userId`, 300 m north of their village: self-reported, waiting for confirmation. */
async function locationMessage(userId: string): Promise<void> {
  const c = roster.cadres.find((x) => x.userid === userId)!;
  const v = roster.villages.find((x) => x.id === c.village)!;
  const u: Update = {
    id: b.nextId(),
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'location',
    location: { lat: v.lat + 300 / 111_195, lng: v.lng, source: 'message', label: '村委会' },
    time: b.clock.now(),
  };
  await b.bot.handle(u);
}

/** The entries recorded while `act` ran. */
async function recordedBy(act: () => Promise<unknown>) {
  const before = (await trail(t)).length;
  await act();
  return (await trail(t)).slice(before);
}
const numberIn = (text: string, prefix: string) => new RegExp(`${prefix}\\d+`).exec(text)![0];

describe('leave decisions', () => {
  it('records each step approved, by whom, through which channel, when, and the request approved at the last', async () => {
    const no = numberIn(await b.ask('LiXiaoYan', '请假 事假 11月25日至27日 家中有事'), 'Q');
    b.clock.set('2026-11-20T10:15:00+08:00');
    const first = await recordedBy(() => b.click('LiZhenHua', `leave-approve:${no}`, `leave-${no}-0`));
    expect(first).toEqual([
      {
        kind: 'leave.approve',
        actor: 'LiZhenHua',
        channel: 'app',
        at: new Date('2026-11-20T10:15:00+08:00').getTime(),
        id: expect.stringMatching(new RegExp(`:leave\\.approve:${no}$`)),
        ref: no,
        subject: 'LiXiaoYan',
        summary: '事假 3 天，11月25日至27日；第 1 步（共 2 步）',
      },
    ]);
    b.clock.set('2026-11-20T11:00:00+08:00');
    const last = await recordedBy(() => b.say('DuHongWei', `同意 ${no} 注意安全`));
    expect(last).toMatchObject([
      {
        kind: 'leave.approve',
        actor: 'DuHongWei',
        at: new Date('2026-11-20T11:00:00+08:00').getTime(),
        ref: no,
        subject: 'LiXiaoYan',
        summary: '事假 3 天，11月25日至27日；第 2 步（共 2 步），已批准；意见：注意安全',
      },
    ]);
  });

  it('records a rejection with its reason', async () => {
    const no = numberIn(await b.ask('ZhaoWenBo', '请假 事假 12月2日 家中有事'), 'Q');
    const rejected = await recordedBy(() => b.say('WangHaiYan', `驳回 ${no} 近期有检查 请改期`));
    expect(rejected).toMatchObject([
      {
        kind: 'leave.reject',
        actor: 'WangHaiYan',
        channel: 'app',
        ref: no,
        subject: 'ZhaoWenBo',
        summary: '事假 1 天，12月2日；第 1 步（共 1 步）；原因：近期有检查 请改期',
      },
    ]);
  });

  it('records nothing for a refused decision: not the approver, already decided, a group chat', async () => {
    const no = numberIn(await b.ask('SunLiJuan', '请假 事假 12月3日 家中有事'), 'Q');
    expect(await recordedBy(() => b.say('DuHongWei', `同意 ${no}`))).toEqual([]); // not this step's approver
    expect(await recordedBy(() => b.sayInGroup('LiZhenHua', `同意 ${no}`))).toEqual([]); // names: app chat only
    await b.say('LiZhenHua', `同意 ${no}`);
    expect(await recordedBy(() => b.say('WangHaiYan', `驳回 ${no} 晚了`))).toEqual([]); // decided already
  });

  it('records a retried update (WeCom delivers the same callback again) once', async () => {
    const no = numberIn(await b.ask('WangJianGuo', '请假 事假 12月4日 家中有事'), 'Q');
    const update = textUpdate(b.nextId(), 'LiZhenHua', `同意 ${no}`, b.clock.now());
    const recorded = await recordedBy(async () => {
      expect((await b.bot.handle(update)).duplicate).toBe(false);
      expect((await b.bot.handle(update)).duplicate).toBe(true);
      expect((await b.bot.handle({ ...update })).duplicate).toBe(true);
    });
    expect(recorded).toMatchObject([{ kind: 'leave.approve', actor: 'LiZhenHua', ref: no }]);
    expect(recorded[0]!.id).toBe(`${update.id}:leave.approve:${no}`);
  });
});

describe('补登 decisions', () => {
  it('records a confirmation and a rejection, each with the day concerned', async () => {
    b.clock.set('2026-11-20T14:00:00+08:00');
    const confirmed = numberIn(await b.ask('LiXiaoYan', '补登 昨天 山里没信号'), 'B');
    const rejected = numberIn(await b.ask('ZhaoWenBo', '补登 昨天 山里没信号'), 'B');
    b.clock.set('2026-11-20T15:30:00+08:00');
    expect(await recordedBy(() => b.click('LiZhenHua', `backfill-confirm:${confirmed}`, 'task'))).toEqual([
      {
        kind: 'backfill.approve',
        actor: 'LiZhenHua',
        channel: 'app',
        at: new Date('2026-11-20T15:30:00+08:00').getTime(),
        id: expect.stringMatching(new RegExp(`:backfill\\.approve:${confirmed}$`)),
        ref: confirmed,
        subject: 'LiXiaoYan',
        summary: '补登 11月19日',
      },
    ]);
    expect(await recordedBy(() => b.say('WangJianGuo', `驳回补登 ${rejected} 当天在县城开会`))).toMatchObject([
      {
        kind: 'backfill.reject',
        actor: 'WangJianGuo',
        ref: rejected,
        subject: 'ZhaoWenBo',
        summary: '补登 11月19日；原因：当天在县城开会',
      },
    ]);
    // Decided already, or not a confirmer of this cadre: nothing.
    expect(await recordedBy(() => b.say('WangHaiYan', `确认补登 ${rejected}`))).toEqual([]);
    const other = numberIn(await b.ask('SunLiJuan', '补登 昨天 山里没信号'), 'B');
    expect(await recordedBy(() => b.say('ZhouMingHui', `确认补登 ${other}`))).toEqual([]);
  });
});

describe('self-reported locations', () => {
  it('records each location confirmed (one entry per location) and rejected, with the reason', async () => {
    b.clock.set('2026-11-21T10:00:00+08:00');
    await locationMessage('LiXiaoYan');
    await locationMessage('SunLiJuan');
    await locationMessage('ZhaoWenBo');
    b.clock.advance(9 * HOUR);
    const all = await recordedBy(() => b.say('WangJianGuo', '确认签到 李晓燕'));
    expect(all).toEqual([
      {
        kind: 'selfreport.confirm',
        actor: 'WangJianGuo',
        channel: 'app',
        at: new Date('2026-11-21T19:00:00+08:00').getTime(),
        // A location's request is numbered after its check-in.
        id: expect.stringMatching(/:selfreport\.confirm:S-dec\d+$/),
        ref: expect.stringMatching(/^S-dec\d+$/),
        subject: 'LiXiaoYan',
        summary: '自报位置 11月21日 10:00，距村 300 米',
      },
    ]);
    b.clock.advance(10 * MINUTE);
    const rejected = await recordedBy(() => b.say('WangJianGuo', '驳回签到 赵文博 当天在县城开会'));
    expect(rejected).toMatchObject([
      {
        kind: 'selfreport.reject',
        actor: 'WangJianGuo',
        subject: 'ZhaoWenBo',
        summary: '自报位置 11月21日 10:00，距村 300 米；原因：当天在县城开会',
      },
    ]);
    expect(await recordedBy(() => b.say('WangJianGuo', '驳回签到 赵文博 再驳回一次'))).toEqual([]);
    const rest = await recordedBy(() => b.say('WangJianGuo', '确认全部签到'));
    expect(rest.map((e) => [e.kind, e.subject])).toEqual([['selfreport.confirm', 'SunLiJuan']]);
  });
});
