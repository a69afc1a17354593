import { beforeAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { dailyDigest } from '../../src/jobs/daily-digest.js';
import { weeklyDigest } from '../../src/jobs/weekly-digest.js';
import type { JobContext } from '../../src/schedule/job.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { datasetRoster, NOW, seedDataset } from './dataset.js';

const t = useTestRedis();
const ctx: JobContext = testDeps(t);
const roster = datasetRoster();

const content = (m: Outbound) => (m.body.type === 'markdown' ? m.body.content : '');
const byKey = (msgs: Outbound[], key: string) => {
  const m = msgs.find((x) => x.key === key);
  if (!m) throw new Error(`no message ${key}; keys: ${msgs.map((x) => x.key).join(', ')}`);
  return m;
};

async function run<S>(job: { load(c: JobContext, n: Date): Promise<S>; plan(n: Date, s: S): Outbound[] }, now = NOW) {
  return job.plan(now, await job.load(ctx, now));
}

beforeAll(async () => {
  await ctx.roster.replace(roster);
  await seedDataset(t.redis, t.keys, roster);
});

describe('daily-digest job', () => {
  it('sends each township its supervisors digest and its group totals, with deterministic keys', async () => {
    const msgs = await run(dailyDigest);
    expect(msgs.map((m) => m.key).sort()).toEqual(
      [
        ...['fengcheng', 'gaocun', 'xintian'].flatMap((id) => [
          `digest:daily:${id}:2026-11-18:group`,
          `digest:daily:${id}:2026-11-18:supervisors`,
        ]),
        // 新田乡's names take more than one app message (2048 bytes of markdown at most).
        'digest:daily:xintian:2026-11-18:supervisors:2',
      ].sort(),
    );
    expect(msgs.every((m) => m.purpose === 'digest' && m.body.type === 'markdown')).toBe(true);
    expect(byKey(msgs, 'digest:daily:xintian:2026-11-18:supervisors').to).toEqual({
      kind: 'user',
      userIds: ['LiZhenHua', 'WangHaiYan'],
    });
    expect(byKey(msgs, 'digest:daily:xintian:2026-11-18:group').to).toEqual({
      kind: 'webhook',
      keyEnv: 'WEBHOOK_XINTIAN',
    });
    // The same run again plans the same messages: the outbox sends each key once.
    expect(await run(dailyDigest)).toEqual(msgs);
  });

  it('writes the supervisors a readable digest with names, in app messages WeCom takes (snapshot)', async () => {
    const msgs = await run(dailyDigest);
    const parts = ['', ':2'].map((p) => content(byKey(msgs, `digest:daily:xintian:2026-11-18:supervisors${p}`)));
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(2048);
    expect(parts[1]!.split('\n')[0]).toContain('续');
    const text = parts.join('\n');
    await expect(parts.join('\n\n<!-- next message -->\n\n')).toMatchFileSnapshot(
      '__snapshots__/daily-xintian-supervisors.md',
    );
    expect(text).toContain('今日签到 <font color="info">6</font>/10（截至 18:00），请假 2 人，汇报 3 篇');
    expect(text).toContain('**暂无数据 4 人**');
    expect(text).not.toContain('未签到');
    expect(text).toContain('Q1004 张志强 事假 11月20日（1 天），已等 <font color="warning">5 小时</font>');
    expect(text).toContain('Q1005 杨海涛');
    expect(text).toContain('2 天');
    expect(text).not.toContain('Q1006');
    expect(text.split('\n').at(-1)).toBe('（您是新田乡的负责同志，每天18:00收到本乡镇（街道）驻村干部情况）');
  });

  it('gives the group totals only: no cadre name, no one person’s figures (snapshot)', async () => {
    const msgs = await run(dailyDigest);
    for (const id of ['xintian', 'fengcheng', 'gaocun']) {
      const text = content(byKey(msgs, `digest:daily:${id}:2026-11-18:group`));
      for (const c of roster.cadres) expect(text).not.toContain(c.name);
      for (const s of roster.supervisors) expect(text).not.toContain(s.name);
      expect(text).not.toMatch(/\d+\/\d+ 天/);
    }
    await expect(content(byKey(msgs, 'digest:daily:xintian:2026-11-18:group'))).toMatchFileSnapshot(
      '__snapshots__/daily-xintian-group.md',
    );
  });

  it('is quiet on an official day off', async () => {
    expect(await run(dailyDigest, new Date('2026-10-02T18:00:00+08:00'))).toEqual([]);
  });
});

describe('weekly-digest job', () => {
  it('sends the organisation department the week just ended and the chart', async () => {
    const msgs = await run(weeklyDigest);
    // The overdue visits of the sending units' deputies (no visit in the dataset) take a second app message.
    expect(msgs.map((m) => m.key)).toEqual([
      'digest:weekly:2026-W46:org',
      'digest:weekly:2026-W46:org:2',
      'digest:weekly:2026-W46:org:chart',
    ]);
    for (const m of msgs) expect(m.to).toEqual({ kind: 'user', userIds: ['WuJianZhong', 'ChangXiaoMin'] });
    const chart = msgs[2]!.body;
    expect(chart.type).toBe('image');
    const png = Buffer.from(chart.type === 'image' ? chart.pngBase64 : '', 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('writes a readable weekly digest (snapshot)', async () => {
    const text = content((await run(weeklyDigest))[0]!);
    await expect(text).toMatchFileSnapshot('__snapshots__/weekly.md');
    expect(text).toContain('**驻村干部周报 · 11月9日至15日**');
    expect(text).toContain('秦晓雨（柳河村）2/6，第一个月还剩 14 天，未完成：走访、党课、实事、承诺（走访 60/230 户）');
    expect(text).toContain('整改</font> 杨海涛（牛村，10月，已说明）');
    expect(text).toContain('警示</font> 任保平（隘口村，11月）');
  });

  it('never lists a 提醒: it is private to the cadre', async () => {
    const text = content((await run(weeklyDigest))[0]!);
    expect(text).not.toContain('提醒');
    expect(text).not.toContain('王建国');
    expect(text).toContain('未结预警 3 条');
  });
});
