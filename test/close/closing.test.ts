/**
 * Month closing on the real Redis: a closed month keeps the figures (and the sheet) it was closed with when the
 * policy, the roster or the data change afterwards; open months follow the policy version of their last day;
 * the month-close job closes the previous month once, from the policy's closeDay; an open month is refused.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMonthFigures } from '../../src/attendance/month-figures.js';
import { closeMonth, CloseRefused, dueMonth } from '../../src/close/close.js';
import { monthCadres, monthFiguresFor } from '../../src/close/read.js';
import { ClosedMonthStore } from '../../src/close/store.js';
import { monthClose } from '../../src/jobs/month-close.js';
import { eachDate } from '../../src/kit/dates.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import { registerPolicy } from '../../src/policy/register.js';
import { Keys } from '../../src/redis/keys.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { exportSheet } from '../../src/sheet/build.js';
import { yearColumn } from '../../src/sheet/month-sheet.js';
import { checkIn } from '../attendance/seed.js';
import { TestClock } from '../helpers/clock.js';
import { sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis, type TestRedis } from '../helpers/redis.js';
import { basisLine } from '../../templates/sheet.js';

const shared = useTestRedis();
let n = 0;
function fresh(): TestRedis {
  return { ...shared, keys: new Keys(`${shared.keys.ns}c${++n}`) };
}
afterAll(async () => {
  for await (const batch of shared.redis.scanStream({ match: `${shared.keys.ns}c*`, count: 500 })) {
    if ((batch as string[]).length) await shared.redis.del(...(batch as string[]));
  }
});

const withMinimum = (minimum: number): Policy => {
  const p = defaultPolicy();
  p.monthly.minimum = minimum;
  return p;
};
const ME = 'LiXiaoYan';

/** The store with the sample roster, 22 days a month from September, and some of October checked in. */
async function county(clock: TestClock) {
  const t = fresh();
  const deps = testDeps(t, { clock });
  await deps.roster.replace(sampleRosterData());
  await registerPolicy(
    t.redis,
    t.keys,
    { policy: withMinimum(22), effectiveFrom: '2026-09-01' },
    {
      now: new Date('2026-09-01T08:00:00+08:00'),
      actor: 'serve',
    },
  );
  await checkIn(t, ME, eachDate('2026-10-08', '2026-10-20'));
  await checkIn(t, ME, eachDate('2026-11-02', '2026-11-06'));
  return { t, deps };
}

async function sheetText(bytes: Buffer): Promise<{ line: string; targets: unknown[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header = ws.getRow(3).values as unknown[];
  const col = header.indexOf('月目标');
  const targets: unknown[] = [];
  for (let r = 5; r <= ws.rowCount; r++) targets.push(ws.getCell(r, col).value);
  return { line: String(ws.getCell(2, 1).value), targets: targets.filter((v) => v !== null) };
}

/** Every cell of every worksheet, with notes (the zip's own timestamps differ from one write to the next). */
async function cells(bytes: Buffer): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[] = [];
  for (const ws of wb.worksheets) {
    ws.eachRow((row, r) =>
      row.eachCell((c, col) =>
        out.push(`${ws.name}!${r}:${col}=${JSON.stringify(c.value)}|${JSON.stringify(c.note ?? null)}`),
      ),
    );
  }
  return out;
}

describe('a policy change after a month was closed', () => {
  const clock = new TestClock('2026-11-05T07:00:00+08:00');
  let ctx: Awaited<ReturnType<typeof county>>;
  beforeAll(async () => {
    ctx = await county(clock);
  });

  it('leaves the closed month and its sheet alone and applies to the months from its date', async () => {
    const { t, deps } = ctx;
    const roster = await deps.roster.get();
    const cadres = monthCadres(roster, '2026-10');
    const before = (await monthFiguresFor(deps, cadres, { now: clock.now(), months: ['2026-10'] })).figures.get(ME)!;
    const closed = await closeMonth(deps, roster, '2026-10', { now: clock.now(), actor: 'job:month-close' });
    expect(closed.status).toBe('closed');
    expect(closed.meta).toMatchObject({ month: '2026-10', cadres: 31, version: { effectiveFrom: '2026-09-01' } });
    clock.set('2026-11-06T10:00:00+08:00');
    const sheetBefore = await exportSheet(deps, roster, '2026-10', clock.now());

    // 22 → 20 from November: registered on 6 November.
    const change = await registerPolicy(
      t.redis,
      t.keys,
      { policy: withMinimum(20), effectiveFrom: '2026-11-01' },
      {
        now: clock.now(),
        actor: 'cli:ops@host',
      },
    );
    expect(change.status).toBe('registered');
    clock.set('2026-11-20T10:00:00+08:00');

    const read = await monthFiguresFor(deps, cadres, { now: clock.now(), months: ['2026-10', '2026-11'] });
    const mine = read.figures.get(ME)!;
    expect(mine.months[0]).toEqual(before.month);
    expect(read.basis.get('2026-10')).toMatchObject({
      closed: { actor: 'job:month-close' },
      version: { effectiveFrom: '2026-09-01' },
    });
    expect(read.basis.get('2026-11')?.closed).toBeUndefined();
    expect(read.basis.get('2026-11')?.version?.effectiveFrom).toBe('2026-11-01');

    // November is open: computed under the 20-day version, exactly as the sheet's function computes it.
    const under20 = await loadMonthFigures({ ...deps, policy: withMinimum(20) }, cadres, {
      now: clock.now(),
      months: ['2026-11'],
    });
    const under22 = await loadMonthFigures({ ...deps, policy: withMinimum(22) }, cadres, {
      now: clock.now(),
      months: ['2026-11'],
    });
    expect(mine.months[1]).toEqual(under20.get(ME)!.month);
    expect(mine.months[1]!.target).not.toEqual(under22.get(ME)!.month.target);
    // October closed under 22: recomputing it under 20 would give another target.
    const oct20 = await loadMonthFigures({ ...deps, policy: withMinimum(20) }, cadres, {
      now: clock.now(),
      months: ['2026-10'],
    });
    expect(mine.months[0]!.target).not.toEqual(oct20.get(ME)!.month.target);

    // The closed month's sheet is the same file; it says it is closed and which policy applied.
    const sheetAfter = await exportSheet(deps, roster, '2026-10', clock.now());
    expect(await cells(sheetAfter.bytes)).toEqual(await cells(sheetBefore.bytes));
    const oct = await sheetText(sheetAfter.bytes);
    expect(oct.line).toBe(
      '本月已于2026年11月5日关账，表中为关账时的数字，之后政策、名册或数据的变化不再改变它；适用2026年9月1日起施行的政策。',
    );
    const nov = await sheetText((await exportSheet(deps, roster, '2026-11', clock.now())).bytes);
    expect(nov.line).toContain('本月尚未关账，数字随签到、请假等数据更新；适用2026年11月1日起施行的政策。');
    const t20 = under20.get(ME)!.month.target;
    expect(t20.status === 'set' && nov.targets).toContain(t20.status === 'set' ? t20.target : -1);
  });

  it('keeps the stored figures and the sheet after the roster and the data changed', async () => {
    const own = new TestClock('2026-11-05T07:00:00+08:00');
    const { t, deps } = await county(own);
    await closeMonth(deps, await deps.roster.get(), '2026-10', { now: own.now(), actor: 'job:month-close' });
    const sheetBefore = await exportSheet(deps, await deps.roster.get(), '2026-10', own.now());
    const stored = (await new ClosedMonthStore(t.redis, t.keys).figures('2026-10', [ME])).get(ME)!;
    // Late data for October, and a roster that now starts her term mid-October.
    await checkIn(t, ME, eachDate('2026-10-25', '2026-10-28'));
    const data = sampleRosterData();
    data.cadres.find((c) => c.userid === ME)!.termStart = '2026-10-15';
    await deps.roster.replace(data);
    own.set('2026-11-20T10:00:00+08:00');
    const roster = await deps.roster.get();
    const cadre = roster.cadres.get(ME)!;
    const live = await loadMonthFigures(deps, [cadre], { now: own.now(), months: ['2026-10'] });
    expect(live.get(ME)!.month.present).not.toBe(stored.month.present);
    const read = await monthFiguresFor(deps, [cadre], { now: own.now(), months: ['2026-10'] });
    expect(read.figures.get(ME)!.month).toEqual(stored.month);
    expect([...read.figures.get(ME)!.leave]).toEqual(stored.leave);
    const sheetAfter = await exportSheet(deps, roster, '2026-10', own.now());
    // Every cell stays as closed, the year-to-date columns (年度累计) too: they were kept with the closing.
    expect(await cells(sheetAfter.bytes)).toEqual(await cells(sheetBefore.bytes));
    expect(stored.year).toMatchObject({ today: '2026-10-31' });
    expect((await cells(sheetAfter.bytes)).length).toBe((await cells(sheetBefore.bytes)).length);
  });
});

describe('a month closed before closings kept the year to date', () => {
  it('counts its year-to-date columns from the data, and every other cell as closed', async () => {
    const own = new TestClock('2026-11-05T07:00:00+08:00');
    const { t, deps } = await county(own);
    await closeMonth(deps, await deps.roster.get(), '2026-10', { now: own.now(), actor: 'job:month-close' });
    const key = t.keys.closedFigures('2026-10');
    // As an older release stored it: the month and its leave, no year.
    for (const [id, raw] of Object.entries(await t.redis.hgetall(key))) {
      const { year: _year, ...month } = JSON.parse(raw) as Record<string, unknown>;
      await t.redis.hset(key, id, JSON.stringify(month));
    }
    const old = await exportSheet(deps, await deps.roster.get(), '2026-10', own.now());
    await checkIn(t, ME, eachDate('2026-10-25', '2026-10-28'));
    const after = await exportSheet(deps, await deps.roster.get(), '2026-10', own.now());
    const row = (list: string[]) => list.filter((c) => /^2026年10月考勤!\d+:\d+=/.test(c));
    const before = new Set(row(await cells(old.bytes)));
    const changed = row(await cells(after.bytes)).filter((c) => !before.has(c));
    // Only her days present this year follow the late check-ins; the month's own cells stay as closed.
    expect(changed).toEqual([expect.stringMatching(new RegExp(`^2026年10月考勤!\\d+:${yearColumn(31)}=`))]);
  });
});

describe('the month-close job', () => {
  it('closes the previous month once, from the policy closeDay on', async () => {
    const clock = new TestClock('2026-12-04T07:00:00+08:00');
    const { t, deps } = await county(clock);
    const runner = new JobRunner(deps, new RedisRunCoordinator(t.redis, t.keys, clock, () => 0));
    const store = new ClosedMonthStore(t.redis, t.keys);

    const early = await runner.runManual(monthClose);
    expect(early.notes.join('\n')).toContain(
      'nothing to close: closing starts on day 5 of the month (today 2026-12-04)',
    );
    expect(await store.all()).toEqual([]);

    clock.set('2026-12-05T07:00:00+08:00');
    await runner.runManual(monthClose);
    const [closed] = await store.all();
    expect(closed).toMatchObject({ month: '2026-11', actor: 'job:month-close', cadres: 31 });
    expect(closed!.closedAt).toBe(clock.now().getTime());

    clock.set('2026-12-06T07:00:00+08:00');
    const later = await runner.runManual(monthClose);
    expect(later.notes.join('\n')).toContain('2026-11 is closed already');
    expect(await store.all()).toEqual([closed]);
  });

  it('is due from closeDay: the month before, across a year', () => {
    expect(dueMonth('2026-12-04', 5)).toBeUndefined();
    expect(dueMonth('2026-12-05', 5)).toBe('2026-11');
    expect(dueMonth('2027-01-28', 5)).toBe('2026-12');
    expect(dueMonth('2027-01-01', 1)).toBe('2026-12');
  });

  it('refuses a month that is not over, and closes a month once by hand too', async () => {
    const clock = new TestClock('2026-11-20T10:00:00+08:00');
    const { deps } = await county(clock);
    const roster = await deps.roster.get();
    const opts = { now: clock.now(), actor: 'cli:ops@host' };
    await expect(closeMonth(deps, roster, '2026-11', opts)).rejects.toThrow(CloseRefused);
    await expect(closeMonth(deps, roster, '2026-12', opts)).rejects.toThrow(
      '2026-12 is not over yet (today is 2026-11-20); a month closes after 2026-12-31',
    );
    const [a, b] = await Promise.all(
      [closeMonth(deps, roster, '2026-10', opts), closeMonth(deps, roster, '2026-10', opts)].map((p) =>
        p.catch((e: unknown) => e),
      ),
    );
    const outcomes = [a, b].map((r) => (r instanceof CloseRefused ? 'busy' : (r as { status: string }).status));
    // One closes it; the other finds it closed, or is told another process is closing it.
    expect(outcomes.filter((o) => o === 'closed')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'closed').every((o) => o === 'already' || o === 'busy')).toBe(true);
    expect((await closeMonth(deps, roster, '2026-10', opts)).status).toBe('already');
  });
});

describe("the sheet's policy line", () => {
  it('names a version registered after the month as the first one, applied to earlier months too', () => {
    const line = basisLine({ effectiveFrom: '2026-12-07', monthEnd: '2026-11-30', closedOn: '2026-12-07' });
    expect(line).toContain('适用2026年12月7日首次登记的政策（登记前的月份也按它计算）。');
    expect(basisLine({ effectiveFrom: '2026-11-01', monthEnd: '2026-11-30' })).toContain(
      '适用2026年11月1日起施行的政策。',
    );
  });
});
