import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/sheet.js';
import { silentLogger } from '../../src/log.js';
import { RosterStore } from '../../src/roster/store.js';
import { dayColumn, FIRST_ROW, totalsColumn } from '../../src/sheet/month-sheet.js';
import * as T from '../../templates/sheet.js';
import { checkIn, days } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const POLICY = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));
const NOW = '2026-11-18T09:00:00+08:00';
const dir = await mkdtemp(join(tmpdir(), 'zhucun-sheet-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

let closed = 0;
const open = async () => ({
  redis: t.redis,
  keys: t.keys,
  roster: new RosterStore(t.redis, t.keys),
  close: async () => void (closed += 1),
});

function capture() {
  let out = '';
  const io: CliIO = { out: (s) => (out += s), err: () => undefined, log: silentLogger, env: { ZHUCUN_POLICY: POLICY } };
  return { io, out: () => out };
}

beforeAll(async () => {
  await new RosterStore(t.redis, t.keys).replace(sampleRosterData());
  await checkIn(t, 'WangJianGuo', days('2026-11-02', '2026-11-17'));
});

describe('zhucun sheet', () => {
  it('writes a workbook Excel can open, and says what it wrote', async () => {
    const file = join(dir, 'kaoqin-2026-11.xlsx');
    const c = capture();
    const before = closed;
    expect(await run(['--month', '2026-11', '--now', NOW, '--out', file], c.io, open)).toBe(0);
    expect(c.out()).toBe(`wrote ${file}: attendance sheet of 2026-11, 31 cadre(s)\n`);
    expect(closed).toBe(before + 1);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet(T.monthSheetName('2026-11'))!;
    expect(ws.getCell(FIRST_ROW, 3).value).toBe('王建国');
    expect(ws.getCell(FIRST_ROW, dayColumn(17)).value).toBe('✓');
    expect(ws.getCell(FIRST_ROW, totalsColumn(30)).value).toBe(16);
  });

  it('takes the month of --now by default and prints one JSON document with --json', async () => {
    const file = join(dir, 'default.xlsx');
    const c = capture();
    expect(await run(['--now', NOW, '--out', file, '--json'], c.io, open)).toBe(0);
    const doc = JSON.parse(c.out());
    expect(doc).toEqual({ file, month: '2026-11', cadres: 31, bytes: (await stat(file)).size });
  });

  it('refuses a wrong command line', async () => {
    await expect(run(['--month', '2026-11'], capture().io, open)).rejects.toThrow(UsageError);
    await expect(run(['--month', '2026-13', '--out', join(dir, 'x.xlsx')], capture().io, open)).rejects.toThrow(
      UsageError,
    );
    await expect(run(['--now', 'yesterday', '--out', join(dir, 'x.xlsx')], capture().io, open)).rejects.toThrow(
      UsageError,
    );
  });
});
