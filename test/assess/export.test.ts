/**
 * The assessment's outputs through `zhucun assess`: the 考核登记表 (.docx) read back field by field in the form's
 * order, the round's summary (.xlsx) ordered by village then name and not by score, and the printable codes.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessCommands } from '../../handlers/assess.js';
import { run } from '../../src/cli/assess.js';
import type { CliIO } from '../../src/cli/io.js';
import { silentLogger } from '../../src/log.js';
import { testBot } from '../helpers/bot.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const b = testBot(t, { commands: assessCommands, start: '2026-12-01T09:00:00+08:00' });
const dir = mkdtempSync(join(tmpdir(), 'assess-'));
const ORG = 'WuJianZhong';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { out: (s) => out.push(s), err: (s) => err.push(s), log: silentLogger, env: {} };
  return { cli, out, err };
}
const open = async () => ({ redis: t.redis, keys: t.keys, roster: b.deps.roster, close: async () => undefined });

/** The `<w:t>` texts of a .docx, in order. */
async function docxTexts(file: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const xml = await zip.file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  await b.setup();
  await b.ask(ORG, '考评 开始 2026年度考评 北堡村');
  const units: Record<string, string> = {
    王建国: 'DuHongWei',
    李晓燕: 'DuHongWei',
    赵文博: 'HuangZhiYong',
    孙丽娟: 'HuangZhiYong',
  };
  // 李晓燕 scores highest, 孙丽娟 lowest: the summary must still list them by name.
  const grade: Record<string, string> = { 王建国: '称职', 李晓燕: '优秀', 赵文博: '称职', 孙丽娟: '基本称职' };
  await b.ask('LiXiaoYan', '述职 走访农户120户。');
  for (const [name, unit] of Object.entries(units)) {
    await b.ask(unit, `评定 ${name} ${grade[name]} 单位意见`);
    await b.ask('LiZhenHua', `评定 ${name} ${grade[name]} 乡镇意见`);
    await b.ask(ORG, `评定 ${name} ${grade[name]} 组织部意见`);
  }
  await b.ask('LiZhenHua', '纸质评议 北堡村 满意 9 基本满意 1');
  for (const name of ['王建国', '赵文博', '孙丽娟']) expect(await b.ask(ORG, `确定 ${name}`)).toContain('已确定');
  // 4 cadres: no 优秀 place (20% of 4 rounds down to 0); 李晓燕 is proposed 称职 over the quota.
  expect(await b.ask(ORG, '确定 李晓燕')).toBe('已确定李晓燕的考评等次：称职。');
});

describe('zhucun assess', () => {
  it('writes the 考核登记表 with its fields in the form order', async () => {
    const file = join(dir, 'form.docx');
    const { cli, out } = io();
    expect(await run(['form', '李晓燕', '--out', file], cli, open)).toBe(0);
    expect(out.join('')).toContain('registration form of LiXiaoYan');
    const texts = await docxTexts(file);
    expect(texts[0]).toBe('驻村干部考核登记表');
    expect(texts[1]).toMatch(/^2026年度考评（K\d+）$/);
    const labels = ['姓名', '派出单位', '驻村职务', '驻村', '任期', '个人述职', '派出单位评定', '乡镇（街道）评定'];
    expect(texts.filter((x) => labels.includes(x))).toEqual(labels);
    const value = (label: string) => texts[texts.indexOf(label) + 1];
    expect(value('姓名')).toBe('李晓燕');
    expect(value('派出单位')).toBe('县财政局');
    expect(value('个人述职')).toBe('走访农户120户。');
    expect(value('派出单位评定')).toBe('优秀：单位意见');
    expect(value('群众评议')).toBe('满意9，基本满意1，不满意0（其中纸质票10张）');
    expect(value('综合得分')).toBe('95.6分');
    expect(value('建议等次')).toBe('称职');
    expect(value('确定等次')).toBe('称职');
    expect(value('复核')).toBe('—');
  });

  it('writes the summary by village then name, never by score', async () => {
    const file = join(dir, 'summary.xlsx');
    const { cli } = io();
    expect(await run(['summary', '--out', file], cli, open)).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('考评汇总')!;
    expect(ws.getRow(2).getCell(1).value).toBe('村');
    const names = [3, 4, 5, 6].map((r) => ws.getRow(r).getCell(2).value);
    expect(names).toEqual(['李晓燕', '孙丽娟', '王建国', '赵文博']);
    const scores = [3, 4, 5, 6].map((r) => Number(ws.getRow(r).getCell(8).value));
    expect(scores).toEqual([95.6, 75.6, 87.6, 87.6]);
  });

  it('prints codes with the QR code, and refuses bad input', async () => {
    const file = join(dir, 'codes.html');
    const { cli } = io();
    expect(await run(['codes', '北堡村', '5', '--out', file, '--url', 'https://zc.example.cn'], cli, open)).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('https://zc.example.cn/pingyi/beibao');
    expect(html).toContain('<svg');
    expect(html.match(/<li>/g)).toHaveLength(5);
    const bad = io();
    expect(await run(['codes', '月亮村', '5', '--out', file], bad.cli, open)).toBe(1);
    expect(bad.err.join('')).toContain('no village');
    await expect(run(['codes', '北堡村', '--out', file], io().cli, open)).rejects.toThrow('codes needs');
  });
});
