/**
 * The audit record of the warning ladder's notices (提醒 / 整改 / 警示), sent by the scheduled job: one entry per
 * cadre, month and stage, recorded with the notice; a dry run or a run in quiet hours records nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.js';
import { warningLadder } from '../../src/jobs/warning-ladder.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { writePresence } from '../warnings/presence.js';
import { trail } from './helpers.js';

const t = useTestRedis();

async function runAt(iso: string, dryRun = false) {
  const ctx = testDeps(t, { clock: fixedClock(new Date(`${iso}+08:00`)), outbox: new RecordingOutbox() });
  const runner = new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0));
  return runner.runManual(warningLadder, { dryRun });
}

beforeAll(async () => {
  const data = sampleRosterData();
  const ids = ['WangJianGuo', 'LiXiaoYan', 'ZhaoWenBo'];
  await testDeps(t).roster.replace({ ...data, cadres: data.cadres.filter((c) => ids.includes(c.userid)) });
  const write = (u: string, skip?: (d: string) => boolean) =>
    writePresence(t.redis, t.keys, u, '2026-04-28', '2026-12-31', skip);
  await write('WangJianGuo', (d) => d >= '2026-11-06' && d <= '2026-11-30'); // at risk in November
  await write('LiXiaoYan', (d) => d >= '2026-10-16' && d <= '2026-10-31'); // October 15 days of 18
  await write('ZhaoWenBo', (d) => (d >= '2026-09-16' && d <= '2026-09-30') || (d >= '2026-10-16' && d <= '2026-10-31'));
});

describe('warning-ladder notices', () => {
  it('a dry run and a run in quiet hours record nothing', async () => {
    expect((await runAt('2026-11-03T10:00:00', true)).sent.length).toBeGreaterThan(0);
    expect((await runAt('2026-11-03T22:00:00')).sent).toEqual([]);
    expect(await trail(t)).toEqual([]);
  });

  it('records each 整改 and 警示 sent: the job, the cadre, the month, the figures and how many were told', async () => {
    const r = await runAt('2026-11-03T10:00:00');
    // 整改 to the cadre and two supervisors each; the 警示单 to the cadre and the organisation department's two.
    expect(r.sent.length).toBe(3 + 3 + 3);
    const at = new Date('2026-11-03T10:00:00+08:00').getTime();
    const job = { actor: 'job:warning-ladder', channel: 'job', kind: 'notice.send', at };
    expect(await trail(t)).toEqual(
      expect.arrayContaining([
        {
          ...job,
          id: 'warning-ladder:warning:LiXiaoYan:2026-10:rectify',
          ref: '2026-10',
          subject: 'LiXiaoYan',
          summary: '整改，2026年10月，在村 15 天，目标 18 天；发给 3 人',
        },
        {
          ...job,
          id: 'warning-ladder:warning:ZhaoWenBo:2026-10:rectify',
          ref: '2026-10',
          subject: 'ZhaoWenBo',
          summary: '整改，2026年10月，在村 15 天，目标 18 天；发给 3 人',
        },
        {
          ...job,
          id: 'warning-ladder:warning:ZhaoWenBo:2026-11:warn',
          ref: '2026-11',
          subject: 'ZhaoWenBo',
          summary: '警示，2026年11月；发给 3 人',
        },
      ]),
    );
    expect(await trail(t)).toHaveLength(3);
  });

  it('records a 提醒 once, like the notice itself', async () => {
    await runAt('2026-11-10T10:00:00');
    await runAt('2026-11-11T10:00:00');
    const reminders = (await trail(t)).filter((e) => e.id.endsWith(':remind'));
    expect(reminders).toEqual([
      {
        kind: 'notice.send',
        actor: 'job:warning-ladder',
        channel: 'job',
        at: new Date('2026-11-10T10:00:00+08:00').getTime(),
        id: 'warning-ladder:warning:WangJianGuo:2026-11:remind',
        ref: '2026-11',
        subject: 'WangJianGuo',
        summary: '提醒，2026年11月，在村 5 天，目标 22 天；发给 1 人',
      },
    ]);
  });
});
