/**
 * A roster changed mid-month through `zhucun roster diff` and `import`: one cadre replaced, one moved to
 * another village, one dropped from the file. Every history is kept, the month's figures count each cadre's
 * days in post (sheet rows, month figures, targets, roll-up), and the months before stay as they were.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFigures } from '../../src/attendance/figures.js';
import { loadMonthFigures } from '../../src/attendance/month-figures.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import type { CliIO } from '../../src/cli/io.js';
import { run as attendance } from '../../src/cli/attendance.js';
import { closeMonth } from '../../src/close/close.js';
import { monthCadres, monthFiguresFor } from '../../src/close/read.js';
import { run } from '../../src/cli/roster.js';
import { fixedClock } from '../../src/core/clock.js';
import { eachDate } from '../../src/kit/dates.js';
import { silentLogger } from '../../src/log.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { loadRollup } from '../../src/rollup/service.js';
import { readHistories } from '../../src/roster/history.js';
import { exportRoster } from '../../src/roster/load.js';
import type { Cadre, RosterData } from '../../src/roster/schema.js';
import { RosterStore } from '../../src/roster/store.js';
import { buildSheet } from '../../src/sheet/build.js';
import { FIRST_ROW } from '../../src/sheet/month-sheet.js';
import { sheetRows, type SheetRow } from '../../src/sheet/rows.js';
import * as T from '../../templates/sheet.js';
import { checkIn } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const src = { redis: t.redis, keys: t.keys, policy: defaultPolicy(), calendar: new HolidayCalendar() };
const store = new RosterStore(t.redis, t.keys, fixedClock('2026-10-01T09:00:00+08:00'));
const dir = await mkdtemp(join(tmpdir(), 'zhucun-lifecycle-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const NOW = new Date('2026-12-20T18:00:00+08:00');
const sample = sampleRosterData();
const XU: Cadre = {
  userid: 'XuLiang',
  name: '徐亮',
  role: '委员',
  village: 'beibao',
  sendingUnit: '县人社局',
  termStart: '2026-12-06',
  termEnd: '2027-12-05',
  teamLeader: false,
  replaces: 'ZhaoWenBo',
};
/** Zhao Wenbo replaced by Xu Liang, Li Xiaoyan moved from 北堡村 to 牛村, Sun Lijuan left out of the file. */
const changed: RosterData = {
  ...sample,
  cadres: [
    ...sample.cadres
      .filter((c) => c.userid !== 'ZhaoWenBo' && c.userid !== 'SunLiJuan')
      .map((c) => (c.userid === 'LiXiaoYan' ? { ...c, village: 'niucun' } : c)),
    XU,
  ],
  // Li Zhenhua mentors Xu Liang in Zhao Wenbo's place; Sun Lijuan, who left, leaves the mentors too.
  mentors: sample.mentors!.map((m) =>
    m.userid === 'LiZhenHua'
      ? { ...m, cadres: [...m.cadres.filter((c) => c !== 'ZhaoWenBo' && c !== 'SunLiJuan'), 'XuLiang'] }
      : m,
  ),
};

let out = '';
let err = '';
const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), log: silentLogger, env: {} };
const cli = async (...argv: string[]) => {
  out = '';
  err = '';
  return run(argv, io, async () => ({ store, close: async () => {} }));
};

async function file(name: string, data: RosterData): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, exportRoster(data));
  return path;
}

const monthFigures = async (month: string) =>
  loadMonthFigures(src, (await store.get()).data.cadres, { now: NOW, months: [month] });

let novemberBefore: unknown;
/**
 * The rows by userid, without the year-to-date figures: those follow the term as it is known now (a cadre removed
 * on 5 December has a shorter term year from then on, in every month's sheet), while everything of the month
 * itself stays as it was.
 */
const byUser = (rows: SheetRow[]) =>
  [...rows].sort((a, b) => a.cadre.userid.localeCompare(b.cadre.userid)).map(({ year: _year, ...month }) => month);
let changedFile: string;

beforeAll(async () => {
  expect(await cli('import', await file('sample.yaml', sample), '--now', '2026-10-01T09:00')).toBe(0);
  await checkIn(t, 'ZhaoWenBo', eachDate('2026-11-01', '2026-12-05'));
  await checkIn(t, 'SunLiJuan', eachDate('2026-11-01', '2026-11-30'));
  await checkIn(t, 'LiXiaoYan', eachDate('2026-11-01', '2026-12-10'));
  await checkIn(t, 'XuLiang', eachDate('2026-12-06', '2026-12-19'));
  novemberBefore = byUser(sheetRows(await monthFigures('2026-11'), await store.get(), '2026-11'));
  changedFile = await file('changed.yaml', changed);
});

describe('roster lifecycle: an import mid-month', () => {
  it('`roster diff` shows the replacement, the move and the removal, and changes nothing', async () => {
    const before = await t.redis.get(t.keys.roster());
    expect(await cli('diff', changedFile, '--now', '2026-12-06T10:00')).toBe(0);
    expect(out).toBe(
      [
        `${changedFile}: changes as of 2026-12-06`,
        '  added    XuLiang 徐亮: 北堡村 from 2026-12-06',
        '  ended    ZhaoWenBo 赵文博 (北堡村): last day in post 2026-12-05, replaced by XuLiang 徐亮',
        '  ended    SunLiJuan 孙丽娟 (北堡村): last day in post 2026-12-05, not in the file',
        '  moved    LiXiaoYan 李晓燕: 北堡村 -> 牛村 from 2026-12-06',
        '  + mentor LiZhenHua -> XuLiang',
        '  - mentor LiZhenHua -> ZhaoWenBo',
        '  - mentor LiZhenHua -> SunLiJuan',
        '  1 added, 2 ended, 1 moved, 0 term changes, 0 other cadre changes, 3 other entries added or removed',
        '',
      ].join('\n'),
    );
    expect(await cli('diff', changedFile, '--now', '2026-12-06T10:00', '--json')).toBe(0);
    const json = JSON.parse(out) as { valid: boolean; changes: { ended: { userid: string; reason: string }[] } };
    expect(json.valid).toBe(true);
    expect(json.changes.ended.map((e) => [e.userid, e.reason])).toEqual([
      ['ZhaoWenBo', 'replaced'],
      ['SunLiJuan', 'removed'],
    ]);
    expect(await t.redis.get(t.keys.roster())).toBe(before);
    expect((await readHistories(t.redis, t.keys)).get('ZhaoWenBo')).toEqual([expect.objectContaining({ to: null })]);
  });

  it('`roster import` prints the same changes and records a roster.import audit entry', async () => {
    expect(await cli('import', changedFile, '--now', '2026-12-06T10:00')).toBe(0);
    expect(out).toContain('ended    ZhaoWenBo 赵文博 (北堡村): last day in post 2026-12-05, replaced by XuLiang 徐亮');
    const entries = (await t.redis.xrange(t.keys.audit(), '-', '+')).map(
      ([, f]) => JSON.parse(f[1]!) as Record<string, unknown>,
    );
    expect(entries.at(-1)).toMatchObject({
      kind: 'roster.import',
      channel: 'cli',
      actor: expect.stringMatching(/^cli:.+@.+$/),
      ref: changedFile,
      at: new Date('2026-12-06T10:00:00+08:00').getTime(),
      summary:
        '30 cadres; 1 added, 2 ended, 1 moved, 0 term changes, 0 other cadre changes, 3 other entries added or removed',
    });
  });

  it('keeps both histories: the replaced and removed cadres ended, the moved one in two periods', async () => {
    const h = await readHistories(t.redis, t.keys);
    expect(h.get('ZhaoWenBo')).toEqual([
      expect.objectContaining({
        village: 'beibao',
        from: '2026-04-28',
        to: '2026-12-05',
        end: 'replaced',
        by: 'XuLiang',
      }),
    ]);
    expect(h.get('SunLiJuan')).toEqual([expect.objectContaining({ to: '2026-12-05', end: 'removed' })]);
    expect(h.get('LiXiaoYan')!.map((a) => [a.villageName, a.from, a.to, a.end])).toEqual([
      ['北堡村', '2026-04-28', '2026-12-05', 'moved'],
      ['牛村', '2026-12-06', null, undefined],
    ]);
    expect(h.get('XuLiang')).toEqual([expect.objectContaining({ village: 'beibao', from: '2026-12-06', to: null })]);
  });

  it('counts each cadre only on their days in post in the month of the import', async () => {
    const f = await monthFigures('2026-12');
    const dec = (u: string) => f.get(u)!.month;
    // 5 of December's 31 days in post, no day off: ceil(22 × 5 / 31) = 4.
    expect(dec('ZhaoWenBo')).toMatchObject({ present: 5, target: { status: 'set', target: 4, daysOutsideTerm: 26 } });
    expect(dec('SunLiJuan')).toMatchObject({ present: 0, target: { target: 4 } });
    // From 6 December: 26 days, ceil(22 × 26 / 31) = 19.
    expect(dec('XuLiang')).toMatchObject({ present: 14, target: { target: 19, daysOutsideTerm: 5 } });
    // In post all month, in two villages: one target, all ten days.
    expect(dec('LiXiaoYan')).toMatchObject({ present: 10, target: { target: 22, daysOutsideTerm: 0 } });
  });

  it('lists every cadre of the month on the sheet, past ones under the village they served', async () => {
    const roster = await store.get();
    const rows = sheetRows(await monthFigures('2026-12'), roster, '2026-12');
    const row = (u: string) => rows.find((r) => r.cadre.userid === u)!;
    expect(row('ZhaoWenBo')).toMatchObject({ village: '北堡村', note: '12月5日离任（由他人接替）' });
    expect(row('SunLiJuan')).toMatchObject({ village: '北堡村', note: '12月5日离任（移出名册）' });
    expect(row('LiXiaoYan')).toMatchObject({ village: '牛村', note: '12月6日起由北堡村调入' });
    expect(row('XuLiang')).toMatchObject({ village: '北堡村' });
    expect(row('XuLiang').note).toBeUndefined();
    // Those on the roster in roster order, then those no longer on it (by userid).
    const beibao = rows.filter((r) => r.village === '北堡村').map((r) => r.cadre.name);
    expect(beibao).toEqual(['王建国', '徐亮', '孙丽娟', '赵文博']);
    expect(rows).toHaveLength(32);

    const wb = buildSheet(await monthFigures('2026-12'), roster, '2026-12', src.calendar, {
      selfReported: 'confirm',
      backfillHours: 48,
    });
    const ws = wb.getWorksheet(T.monthSheetName('2026-12'))!;
    const at = rows.findIndex((r) => r.cadre.userid === 'LiXiaoYan');
    expect(ws.getCell(FIRST_ROW + at, 3).note).toBe('12月6日起由北堡村调入');
  });

  it('leaves the months before the import as they were', async () => {
    // Same rows, same villages, same figures; only the order of those no longer on the roster follows the new one.
    expect(byUser(sheetRows(await monthFigures('2026-11'), await store.get(), '2026-11'))).toEqual(novemberBefore);
  });

  it('rolls the month up under the townships the cadres served in', async () => {
    const roster = await store.get();
    const rollup = await loadRollup(
      src,
      roster,
      { county: true, townships: [...roster.townships.keys()] },
      '2026-12',
      NOW,
    );
    // 新田乡: 11 cadres before, plus Xu Liang who took over in December.
    expect(rollup.townships.find((x) => x.id === 'xintian')!.cadres).toBe(12);
    expect(rollup.total.cadres).toBe(32);
  });

  it('lists the removed cadre in the month they left and in a closed month, from the one month reader', async () => {
    const roster = await store.get();
    // December is open: she served until 5 December, so the month's reader lists her after the roster's cadres.
    const december = await monthFiguresFor(src, monthCadres(roster, '2026-12'), { now: NOW, months: ['2026-12'] });
    expect(december.figures.get('SunLiJuan')?.periods?.[0]).toMatchObject({ to: '2026-12-05', end: 'removed' });
    // One person's figures (我的考勤) read that person only, whatever the county's size.
    const one = await monthFiguresFor(src, [roster.cadres.get('LiXiaoYan')!], {
      now: NOW,
      months: ['2026-12'],
      onlyListed: true,
    });
    expect([...one.figures.keys()]).toEqual(['LiXiaoYan']);
    // November closed after she left: her stored figures stay in it, with her period for the sheet's row.
    expect((await closeMonth(src, roster, '2026-11', { now: NOW, actor: 'test' })).status).toBe('closed');
    const november = await monthFiguresFor(src, monthCadres(roster, '2026-11'), { now: NOW, months: ['2026-11'] });
    expect(november.figures.get('SunLiJuan')!.month).toMatchObject({ present: 30 });
    expect(sheetRows(november.figures, roster, '2026-11').map((r) => r.cadre.userid)).toContain('SunLiJuan');
  });

  it("keeps a removed cadre's figures queryable for the months they served", async () => {
    const f = await loadFigures(src, [{ userid: 'SunLiJuan', termStart: '2026-04-28', termEnd: '2027-04-27' }], {
      now: NOW,
      months: ['2026-11'],
    });
    expect(f.get('SunLiJuan')!.month).toMatchObject({ present: 30, target: { target: 22 } });
    // `zhucun attendance` finds her through her history though the roster no longer lists her.
    let json = '';
    const cliIo: CliIO = { ...io, out: (x) => (json += x) };
    const open = async () => ({ redis: t.redis, keys: t.keys, roster: store, close: async () => {} });
    expect(
      await attendance(['SunLiJuan', '--month', '2026-11', '--now', NOW.toISOString(), '--json'], cliIo, open),
    ).toBe(0);
    expect(JSON.parse(json)).toMatchObject({ userid: 'SunLiJuan', month: '2026-11', present: 30, target: 22 });
  });
});
