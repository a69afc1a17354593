import { beforeAll, describe, expect, it } from 'vitest';
import { run, type JobsCliConnection } from '../../src/cli/jobs.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Outbound } from '../../src/core/outbound.js';
import { burdenFigures, computeBurden } from '../../src/jobs/burden-figures.js';
import { LoggedOutbox, PushLogRepo, RETAIN_DAYS } from '../../src/schedule/push-log.js';
import { silentLogger } from '../../src/log.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import type { RunResult } from '../../src/schedule/job.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const log = new PushLogRepo(t.redis, t.keys);
const sh = (s: string) => new Date(`${s}+08:00`);
const msg = (key: string, purpose: string, userIds: string[], notBefore?: Date): Outbound => ({
  key,
  to: { kind: 'user', userIds },
  body: { type: 'text', content: key },
  purpose,
  ...(notBefore ? { notBefore: notBefore.getTime() } : {}),
});

beforeAll(async () => {
  await testDeps(t).roster.replace(sampleRosterData());
});

describe('the push log', () => {
  const entries = async (month: string) =>
    (await log.month(month)).map((e) => `${e.key}|${e.userId}|${e.purpose}|${e.dropped ?? ''}|${e.at}`).sort();

  it('records each recipient of a key once, in the month it is sent, and the drops of each day', async () => {
    await log.record(
      sh('2026-11-18T09:30:00'),
      [
        msg('remind:a', 'reminder', ['WangJianGuo']),
        msg('announce:N1', 'announcement', ['WangJianGuo', 'LiXiaoYan']),
        msg('digest:x', 'digest', ['LiZhenHua'], sh('2026-12-01T08:00:00')),
        {
          key: 'group',
          to: { kind: 'webhook', keyEnv: 'WEBHOOK_XINTIAN' },
          body: { type: 'text', content: 'x' },
          purpose: 'digest',
        },
      ],
      [{ key: 'prompt:a', userId: 'LiXiaoYan', reason: 'budget' }],
    );
    // The same key again (a repeated run, a follow-up planned again the next day): the outbox sends it once.
    await log.record(sh('2026-11-19T09:31:00'), [msg('remind:a', 'reminder', ['WangJianGuo'])]);
    const nov18 = (time: string) => sh(`2026-11-18T${time}`).toISOString();
    expect(await entries('2026-11')).toEqual([
      `announce:N1|LiXiaoYan|announcement||${nov18('09:30:00')}`,
      `announce:N1|WangJianGuo|announcement||${nov18('09:30:00')}`,
      `prompt:a|LiXiaoYan|reminder|budget|${nov18('09:30:00')}`,
      `remind:a|WangJianGuo|reminder||${nov18('09:30:00')}`,
    ]);
    expect(await entries('2026-12')).toEqual([`digest:x|LiZhenHua|digest||${sh('2026-12-01T08:00:00').toISOString()}`]);
    // Queued again early in the next month: still the one push of November.
    await log.record(sh('2026-12-01T09:30:00'), [msg('remind:a', 'reminder', ['WangJianGuo'])]);
    expect(await entries('2026-12')).toHaveLength(1);
    expect(await t.redis.ttl(t.keys.pushLog('2026-11'))).toBeGreaterThan((RETAIN_DAYS - 1) * 86_400);
  });

  it('records a job run, but not a dry run', async () => {
    const base: RunResult = {
      jobId: 'j',
      slot: '',
      trigger: 'manual',
      at: sh('2026-10-17T10:00:00').toISOString(),
      dryRun: true,
      sent: [msg('dry', 'reminder', ['HeJing'])],
      dropped: [],
      notes: [],
    };
    await log.recordRun(base);
    expect(await entries('2026-10')).toEqual([]);
    await log.recordRun({ ...base, dryRun: false });
    expect((await log.month('2026-10')).map((e) => e.key)).toEqual(['dry']);
  });

  it('logs what a wrapped outbox queues', async () => {
    const inner = new RecordingOutbox();
    const wrapped = new LoggedOutbox(inner, log, fixedClock(sh('2026-11-16T11:00:00')));
    await wrapped.enqueue([msg('approve:Q1', 'approval', ['LiZhenHua'])]);
    expect(inner.queued.map((m) => m.key)).toEqual(['approve:Q1']);
    expect((await entries('2026-11')).filter((e) => e.startsWith('approve:'))).toEqual([
      `approve:Q1|LiZhenHua|approval||${sh('2026-11-16T11:00:00').toISOString()}`,
    ]);
  });
});

describe('the burden figures', () => {
  const push = defaultPolicy().push;
  const e = (userId: string, purpose: string, at: string, dropped?: 'budget' | 'quiet-hours') => ({
    key: `${purpose}:${at}`,
    userId,
    purpose,
    at: sh(at).toISOString(),
    ...(dropped ? { dropped } : {}),
  });

  it('counts pushes, the weekly median, the daily maximum, the budget and quiet hours', () => {
    const dates = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'];
    const day = (date: string, kind: string, reminders = 0, people = 0) => ({ date, kind, reminders, people });
    const cadres = ['a', 'b', 'c'].map((userid) => ({ userid, termStart: '2026-04-28', termEnd: '2027-04-27' }));
    const f = computeBurden({
      month: '2026-11',
      dates,
      cadres,
      push,
      entries: [
        e('a', 'reminder', '2026-11-16T09:30:00'),
        e('a', 'reminder', '2026-11-16T16:00:00'),
        e('a', 'reminder', '2026-11-16T17:00:00'),
        e('a', 'announcement', '2026-11-16T22:00:00'),
        e('b', 'reminder', '2026-11-17T09:30:00'),
        e('b', 'reminder', '2026-11-17T16:00:00', 'budget'),
        e('c', 'reminder', '2026-11-17T21:30:00', 'quiet-hours'),
        e('sup', 'reminder', '2026-11-18T09:00:00'),
        e('b', 'reminder', '2026-11-22T09:30:00'),
        // Outside the dates counted.
        e('c', 'reminder', '2026-11-30T09:30:00'),
      ],
      onLeave: (u, d) => u === 'b' && d === '2026-11-22',
    });
    expect(f).toEqual({
      month: '2026-11',
      days: 7,
      dailyBudget: 2,
      quietHours: push.quietHours,
      pushes: { total: 7, byPurpose: { reminder: 6, announcement: 1 } },
      // a 4, b 2, c 0 in one week.
      perCadreWeekMedian: 2,
      maxPerCadreDay: 3,
      overBudget: 1,
      inQuietHours: 1,
      dropped: { quietHours: 1, budget: 1 },
      daily: [
        day('2026-11-16', 'workday', 3, 1),
        day('2026-11-17', 'workday', 1, 1),
        day('2026-11-18', 'workday', 1, 1),
        day('2026-11-19', 'workday'),
        day('2026-11-20', 'workday'),
        day('2026-11-21', 'weekend'),
        day('2026-11-22', 'weekend', 1, 1),
      ],
      restDay: [{ userId: 'b', reminders: 1 }],
      onLeave: [{ userId: 'b', date: '2026-11-22', key: 'reminder:2026-11-22T09:30:00' }],
    });
  });

  it('reads a month from the log up to today', async () => {
    const ctx = { ...testDeps(t), clock: fixedClock(sh('2026-11-18T12:00:00')) };
    const f = await burdenFigures(ctx, '2026-11');
    expect(f.days).toBe(18);
    expect(f.pushes.byPurpose).toEqual({ reminder: 1, announcement: 2, approval: 1 });
    expect(f.dropped).toEqual({ quietHours: 0, budget: 1 });
    expect((await burdenFigures(ctx, '2026-12')).days).toBe(0);
    await expect(burdenFigures(ctx, '2026-13')).rejects.toThrow(RangeError);
  });
});

describe('zhucun jobs burden', () => {
  async function cli(...argv: string[]): Promise<string> {
    let out = '';
    const io: CliIO = { out: (s) => (out += s), err: () => {}, log: silentLogger, env: {} };
    const open = async (): Promise<JobsCliConnection> => ({ ctx: testDeps(t), close: async () => {} });
    expect(await run(argv, io, open)).toBe(0);
    return out;
  }

  it('prints one JSON document, or the figures as text', async () => {
    const doc = JSON.parse(await cli('burden', '--month', '2026-11', '--now', '2026-12-02T09:00', '--json')) as {
      month: string;
      days: number;
      pushes: { total: number };
    };
    expect(doc).toMatchObject({ month: '2026-11', days: 30, pushes: { total: 4 } });
    const text = await cli('burden', '--now', '2026-11-18T12:00');
    expect(text).toContain('2026年11月推送情况（统计 18 天；免打扰 21:00至07:30；每人每天最多 2 条提醒）');
    expect(text).toContain('推送：4 条（通知 2，审批 1，提醒 1）');
    expect(text).toContain('未发出的提醒：1 条（免打扰 0，每日上限 1）');
    expect(text).toContain('请假当天收到的提醒：0 条');
    expect(text).toContain('11月18日 周三 工作日：1 条／1 人');
  });

  it('refuses a malformed month, a job id, or --month elsewhere', async () => {
    const io: CliIO = { out: () => {}, err: () => {}, log: silentLogger, env: {} };
    const open = async (): Promise<JobsCliConnection> => ({ ctx: testDeps(t), close: async () => {} });
    await expect(run(['burden', '--month', '2026-13'], io, open)).rejects.toThrow(UsageError);
    await expect(run(['burden', 'morning-remind'], io, open)).rejects.toThrow(UsageError);
    await expect(run(['list', '--month', '2026-11'], io, open)).rejects.toThrow(UsageError);
  });
});
