/**
 * `zhucun points`: the half-yearly 积分表 by township, village and name; ordered by score only when asked for
 * (`--order score`, the organisation department's private export); the xlsx read back, its 明细 adding up to
 * each total; usage errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/points.js';
import { silentLogger } from '../../src/log.js';
import type { NoticeSource } from '../../src/points/notices.js';
import { RosterStore } from '../../src/roster/store.js';
import { checkIn, days } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const POLICY = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));
const NOW = '2026-11-26T09:00:00+08:00';
const open = async () => ({
  redis: t.redis,
  keys: t.keys,
  roster: new RosterStore(t.redis, t.keys),
  close: async () => {},
});
const notices: NoticeSource = {
  ofUsers: async () =>
    new Map([['SunLiJuan', [{ number: 'Z2026-001', kind: 'rectify', issuedOn: '2026-11-03', state: 'open' }]]]),
};
let dir = '';

function capture() {
  let out = '';
  const io: CliIO = { out: (s) => (out += s), err: () => {}, log: silentLogger, env: { ZHUCUN_POLICY: POLICY } };
  return { io, out: () => out };
}

interface Row {
  name: string;
  village: string;
  total: number;
  events: { counted: number }[];
}
async function json(args: string[]): Promise<{ order: string; cadres: Row[] }> {
  const c = capture();
  expect(
    await run(
      [...args, '--now', NOW, '--json'],
      c.io,
      open,
      () => new Date(NOW),
      () => notices,
    ),
  ).toBe(0);
  return JSON.parse(c.out()) as { order: string; cadres: Row[] };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'points-'));
  await new RosterStore(t.redis, t.keys).replace(sampleRosterData());
  // 北堡村: 赵文博 4 days beyond November's 22, 李晓燕 1, 孙丽娟 none and a 整改单; the rest nothing.
  await checkIn(t, 'ZhaoWenBo', days('2026-11-01', '2026-11-26'));
  await checkIn(t, 'LiXiaoYan', days('2026-11-01', '2026-11-23'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('zhucun points', () => {
  it('lists by township, village and name, never by score unless asked', async () => {
    const doc = await json(['--half', '2026H2']);
    expect(doc.order).toBe('village');
    const beibao = doc.cadres.filter((r) => r.village === '北堡村');
    expect(beibao.map((r) => [r.name, r.total])).toEqual([
      ['李晓燕', 1],
      ['孙丽娟', -3],
      ['王建国', 0],
      ['赵文博', 4],
    ]);
    const villages = [...new Set(doc.cadres.map((r) => r.village))];
    expect(villages).toEqual(['北堡村', '牛村', '柳河村', '香邑村', '城小村', '东城村', '西台神村', '隘口村']);
    // Every total is the sum of its events.
    for (const r of doc.cadres) expect(r.total).toBe(r.events.reduce((s, e) => s + e.counted, 0));
  });

  it('orders by score only for --order score', async () => {
    const doc = await json(['--half', '2026H2', '--order', 'score']);
    const totals = doc.cadres.map((r) => r.total);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(doc.cadres[0]!.name).toBe('赵文博');
    expect(doc.cadres.at(-1)!.name).toBe('孙丽娟');
  });

  it('writes the 积分表 with its 明细, in village order', async () => {
    const file = join(dir, 'points.xlsx');
    const c = capture();
    expect(
      await run(
        ['--half', '2026H2', '--now', NOW, '--out', file],
        c.io,
        open,
        () => new Date(NOW),
        () => notices,
      ),
    ).toBe(0);
    expect(c.out()).toContain('ordered by village');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('积分表')!;
    expect(String(ws.getRow(2).getCell(1).value)).toContain('按乡镇（街道）、村和姓名排列');
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    expect(header).toContain('整改单');
    expect(header).not.toContain('工作汇报篇数');
    expect(header.at(-1)).toBe('合计');
    const names = [4, 5, 6, 7].map((r) => ws.getRow(r).getCell(3).value);
    expect(names).toEqual(['李晓燕', '孙丽娟', '王建国', '赵文博']);
    expect(ws.getRow(7).getCell(header.length).value).toBe(4);
    const ds = wb.getWorksheet('明细')!;
    const detail: unknown[][] = [];
    ds.eachRow((row, i) => void (i > 1 && detail.push((row.values as unknown[]).slice(1))));
    expect(detail.filter((d) => d[2] === '赵文博').reduce((s, d) => s + Number(d[6]), 0)).toBe(4);
    expect(detail.find((d) => d[2] === '孙丽娟')).toEqual([
      '新田乡',
      '北堡村',
      '孙丽娟',
      '2026-11-03',
      '整改单',
      -3,
      -3,
      0,
      '整改单Z2026-001',
    ]);

    const privateFile = join(dir, 'private.xlsx');
    await run(
      ['--half', '2026H2', '--now', NOW, '--out', privateFile, '--order', 'score'],
      capture().io,
      open,
      () => new Date(NOW),
      () => notices,
    );
    const pw = new ExcelJS.Workbook();
    await pw.xlsx.readFile(privateFile);
    expect(String(pw.getWorksheet('积分表')!.getRow(2).getCell(1).value)).toContain('不得公开或作为排名通报');
  });

  it('refuses a wrong command line before reading anything', async () => {
    const c = capture();
    await expect(run([], c.io, open)).rejects.toThrow(UsageError);
    await expect(run(['--half', '2026H3'], c.io, open)).rejects.toThrow(/YYYYH1 or YYYYH2/);
    await expect(run(['--half', '2026H2', '--order', 'rank'], c.io, open)).rejects.toThrow(/village or score/);
  });
});
