/**
 * The alerts of the schedule: a failed run (the backup job's own sentence), a slot missed past its catch-up
 * window (noticed at start-up and by the ops-watch job, raised once), the holiday watch, and ops-watch's summaries.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { holidayWatch } from '../../src/jobs/holiday-watch.js';
import { opsWatch } from '../../src/jobs/ops-watch.js';
import type { Outbound } from '../../src/core/outbound.js';
import { localDate } from '../../src/kit/dates.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import type { AnyJob, Job, JobContext } from '../../src/schedule/job.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { Scheduler } from '../../src/schedule/scheduler.js';
import { hoursAfter, policyCutOff } from '../../src/schedule/windows.js';
import { MINUTE } from '../helpers/clock.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';
import { startAlertRig, type TeeOutbox } from './support.js';

const t = useTestRedis();
const a = await startAlertRig(t);
afterAll(() => a.rig.close());
await t.redis.set(t.keys.roster(), JSON.stringify(sampleRosterData()));

/** A job context as the server's: the rig's alerts, the test clock, the job table given. */
function context(jobTable: readonly AnyJob[]): { ctx: JobContext; out: TeeOutbox } {
  const out = a.tee();
  const base = testDeps(t, { clock: a.clock, outbox: out, policy: a.policy });
  return { ctx: { ...base, alerts: a.alerts(undefined, out), jobTable }, out };
}

function runner(ctx: JobContext): JobRunner {
  return new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 86_400_000));
}

/** A job that throws `error` on every run. */
function failing(id: string, policyJob: Job<null>['policyJob'], error: string): Job<null> {
  return {
    id,
    policyJob,
    summary: 'fails',
    catchUpUntil: (slot) => hoursAfter(slot, 23),
    load: async () => {
      throw new Error(error);
    },
    plan: () => [],
  };
}

/** A digest-like job on a policy schedule, with that schedule's catch-up cut-off. */
function probe(id: string, policyJob: 'dailyDigest' | 'selfReportConfirm'): Job<string> {
  return {
    id,
    policyJob,
    summary: 'probe',
    catchUpUntil: policyCutOff(policyJob),
    load: async (_ctx, now) => localDate(now),
    plan: (): Outbound[] => [],
  };
}

const texts = (out: TeeOutbox) => out.queued.map((m) => (m.body.type === 'text' ? m.body.content : ''));

describe('alerts of the schedule', () => {
  it('tells the operator when a scheduled run fails, with the job, the slot and the error', async () => {
    const job = failing('flaky-report', 'warningLadder', 'connection lost');
    const { ctx, out } = context([job]);
    a.clock.set('2026-11-18T10:30:00+08:00');
    const scheduler = new Scheduler(ctx, [job]);
    expect(await scheduler.catchUp()).toEqual([]);
    await scheduler.stop();
    expect(texts(out)).toHaveLength(1);
    expect(texts(out)[0]!.split('\n').slice(0, 3)).toEqual([
      '【驻村助手运维告警】定时任务运行出错',
      '原因：定时任务 flaky-report（计划 11月18日 10:00 运行）运行出错：connection lost',
      '处理：在服务日志中查看 job failed 一行的详细错误；问题解决后运行 zhucun jobs run flaky-report 补做（已发出的消息不会重发）。',
    ]);
    await until(() => a.texts().some((x) => x.includes('flaky-report')), 'the alert at the fake WeCom');
  });

  it('tells the operator when the backup job fails, in words of its own', async () => {
    const job = failing('backup', 'backup', 'ENOSPC: no space left on device');
    const { ctx, out } = context([job]);
    a.clock.set('2026-11-18T02:10:00+08:00');
    const scheduler = new Scheduler(ctx, [job]);
    await scheduler.catchUp();
    await scheduler.stop();
    expect(texts(out)).toHaveLength(1);
    const lines = texts(out)[0]!.split('\n');
    expect(lines[0]).toBe('【驻村助手运维告警】数据备份失败');
    expect(lines[1]).toBe(
      '原因：11月18日 02:00 的数据备份没有完成：ENOSPC: no space left on device。备份目录里最新的快照已不是最新数据。',
    );
    expect(lines[2]).toContain('处理：检查备份目录（ZHUCUN_BACKUP_DIR）是否存在、可写，磁盘空间是否足够');
    expect(lines[2]).toContain('zhucun jobs run backup');
  });

  it('tells the operator once about a slot missed past its cut-off, noticed at start-up and by ops-watch', async () => {
    const job = probe('digest-missed', 'dailyDigest');
    const { ctx, out } = context([job, opsWatch]);
    // The first start watches the job from now: yesterday's slot, before it, is not called missed.
    a.clock.set('2026-11-18T17:00:00+08:00');
    let scheduler = new Scheduler(ctx, [job]);
    await scheduler.catchUp();
    await scheduler.stop();
    expect(out.queued).toEqual([]);
    // Every instance was down from 17:55 until 22:00: the 18:00 slot is past its 21:00 cut-off.
    a.clock.set('2026-11-18T22:00:00+08:00');
    scheduler = new Scheduler(ctx, [job]);
    expect(await scheduler.catchUp()).toEqual([]);
    await scheduler.stop();
    expect(texts(out)).toHaveLength(1);
    expect(texts(out)[0]!.split('\n').slice(0, 3)).toEqual([
      '【驻村助手运维告警】定时任务错过了运行时间',
      '原因：定时任务 digest-missed 应在 11月18日 18:00 运行，到补做时限 11月18日 21:00 仍没有运行（服务停了、运行中卡住，或所有实例都不在运行）。',
      '处理：检查服务是否在运行：zhucun jobs list 列出每个任务上次运行的时间，服务日志中看有无报错；这一次仍需要的话，运行 zhucun jobs run digest-missed 手动补做。',
    ]);
    // ops-watch sees the same slot: neither sent again nor counted as a repeat.
    a.clock.set('2026-11-18T22:05:00+08:00');
    const result = await runner(ctx).runManual(opsWatch);
    expect(result.notes).toContain('missed: digest-missed slot 2026-11-18 18:00 not run by 2026-11-18 21:00 — ALERT');
    a.clock.advance(2 * 60 * MINUTE);
    await runner(ctx).runManual(opsWatch);
    expect(texts(out).filter((x) => x.includes('digest-missed'))).toHaveLength(1);
  });

  it('ops-watch finds a job whose slot closed without a run while the service was up, and not one that ran', async () => {
    const ran = probe('digest-ran', 'dailyDigest');
    const stuck = probe('confirm-stuck', 'selfReportConfirm');
    const { ctx, out } = context([ran, stuck]);
    a.clock.set('2026-11-19T12:00:00+08:00');
    await runner(ctx).runManual(opsWatch, { dryRun: true });
    expect(await t.redis.hget(t.keys.alertWatchSince(), 'confirm-stuck')).toBeNull(); // a dry run writes nothing
    await runner(ctx).runManual(opsWatch); // watching from here
    a.clock.set('2026-11-19T18:00:00+08:00');
    expect(await runner(ctx).runSlot(ran, a.clock.now(), 'schedule')).not.toBeNull();
    a.clock.set('2026-11-19T20:00:00+08:00');
    expect((await runner(ctx).runManual(opsWatch, { dryRun: true })).notes).toEqual([
      expect.stringMatching(/^redis .*% of (maxmemory|system memory) \(alert above 80%\)$/),
    ]);
    a.clock.set('2026-11-19T21:05:00+08:00');
    const dry = await runner(ctx).runManual(opsWatch, { dryRun: true });
    expect(dry.notes).toContain('missed: confirm-stuck slot 2026-11-19 19:00 not run by 2026-11-19 21:00 — ALERT');
    expect(dry.notes.join('\n')).not.toContain('digest-ran');
    expect(out.queued).toEqual([]); // a dry run alerts nobody
    await runner(ctx).runManual(opsWatch);
    expect(texts(out)).toHaveLength(1);
    expect(texts(out)[0]).toContain('原因：定时任务 confirm-stuck 应在 11月19日 19:00 运行');
  });

  it('ops-watch sends the summary of a window that ended with repeats', async () => {
    const job = failing('flaky-sync', 'checkinSync', 'timeout');
    const { ctx, out } = context([job]);
    a.clock.set('2026-11-20T10:01:00+08:00');
    for (let i = 0; i < 3; i++) {
      const scheduler = new Scheduler(ctx, [job]);
      await scheduler.catchUp();
      await scheduler.stop();
      a.clock.advance(10 * MINUTE);
    }
    expect(texts(out)).toHaveLength(1); // 10:00 sent; 10:10 and 10:20 counted
    a.clock.set('2026-11-20T11:05:00+08:00');
    const result = await runner({ ...ctx, jobTable: [] }).runManual(opsWatch);
    expect(result.notes).toContain('1 summary(ies) of repeated alerts due');
    expect(texts(out)).toHaveLength(2);
    expect(texts(out)[1]!.split('\n').slice(0, 3)).toEqual([
      '【驻村助手运维告警】定时任务运行出错（汇总）',
      '上次告警（11月20日 10:01）后的 60 分钟内又发生 2 次。最近一次的情况如下。',
      '原因：定时任务 flaky-sync（计划 11月20日 10:20 运行）运行出错：timeout',
    ]);
  });

  it('tells the operator when next year’s holidays are still missing after the watch date', async () => {
    const { ctx, out } = context([holidayWatch]);
    a.clock.set('2026-10-26T09:00:00+08:00');
    await runner(ctx).runManual(holidayWatch);
    expect(out.queued.filter((m) => m.purpose === 'alert')).toEqual([]);
    a.clock.set('2026-11-02T09:00:00+08:00');
    const result = await runner(ctx).runManual(holidayWatch);
    expect(result.notes).toEqual(['operator alert: holidays of 2027 not loaded']);
    const alerts = texts(out).filter((x) => x.startsWith('【驻村助手运维告警】'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.split('\n').slice(0, 3)).toEqual([
      '【驻村助手运维告警】放假安排尚未导入',
      '原因：已过每年 11 月 1 日的检查日期，2027 年的放假安排仍没有导入：2027 年各月的目标将显示“待定”，预警暂停。',
      '处理：国务院办公厅公布 2027 年放假安排后，按 holiday-cn 格式写成 JSON 文件，设置 ZHUCUN_HOLIDAYS 指向它并重启服务；运行 zhucun calendar 2027 检查是否已生效。',
    ]);
    // The organisation department's own weekly note still goes out as before.
    expect(out.queued.some((m) => m.key.startsWith('holiday-watch:2027:'))).toBe(true);
  });
});
