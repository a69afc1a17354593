/**
 * Properties of the leave parser on random and adversarial texts (fast-check, fixed seed, bounded runs): it never
 * throws, every date it gives is a real `YYYY-MM-DD` and every length a whole number of days, the place it reports
 * lies inside the text and the date window, and nothing written after the window changes the dates it reads.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween } from '../../src/kit/dates.js';
import { DATE_WINDOW, findLeaveDates } from '../../src/leave/chrono-zh.js';
import { looksLikeLeave, parseLeaveRequest, type LeaveTypeOption } from '../../src/leave/parse.js';
import { parseDateFilter } from '../../src/reports/date-filter.js';

const SEED = 20261122;
const types: LeaveTypeOption[] = [
  { name: '事假' },
  { name: '病假' },
  { name: '陪产假', aliases: ['护理假'] },
  { name: '公差', aliases: ['因公外出', '出差'] },
  { name: '会议', aliases: ['开会'] },
];
const TODAY = '2026-11-22';
const NOW = new Date(`${TODAY}T10:00:00+08:00`);

/** Pieces of the ways dates, lengths and types are written, and the characters that bother the parsers most. */
const TOKENS = [
  '一',
  '二',
  '两',
  '三',
  '十',
  '廿',
  '〇',
  '零',
  '0',
  '1',
  '2',
  '3',
  '9',
  '12',
  '25',
  '31',
  '2026',
  '１',
  '２',
  '年',
  '月',
  '日',
  '号',
  '天',
  '周',
  '星期',
  '礼拜',
  '个',
  '半',
  '假',
  '请',
  '请假',
  '事假',
  '病假',
  '公差',
  '出差',
  '至',
  '到',
  '起至',
  '-',
  '~',
  '—',
  '～',
  '.',
  '/',
  ':',
  '：',
  '，',
  '。',
  ' ',
  '\u3000',
  '\n',
  '\t',
  '今天',
  '明天',
  '后天',
  '今明',
  '明后',
  '下周',
  '本周',
  '上周',
  '这周',
  '周一',
  '周日',
  '上午',
  '下午',
  '晚上',
  '从',
  '起',
  '开始',
  '共',
  '一共',
  '连续',
  '事由',
  '家中有事',
  '感冒',
  '楼',
  '%',
  '元',
  '\u{20000}',
  '\uD800',
  'a',
];
const tokenText = (maxLength: number) => fc.string({ unit: fc.constantFrom(...TOKENS), maxLength });
/** Any text: the tokens above, arbitrary Unicode (lone surrogates included), or one piece repeated many times. */
const anyText = fc.oneof(
  tokenText(120),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.tuple(fc.constantFrom(...TOKENS), fc.integer({ min: 1, max: 3000 })).map(([t, n]) => t.repeat(n)),
);

const ISO = /^\d{4}-\d{2}-\d{2}$/;
function isRealIso(d: string): boolean {
  if (!ISO.test(d)) return false;
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, day));
  return y >= 1000 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
}

const runs = (numRuns: number) => ({ seed: SEED, numRuns });

describe('leave parser properties', () => {
  it('never throws and gives real dates, whole days and a reason taken from the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const p = parseLeaveRequest(text, { now: NOW, types });
        if (p.start !== undefined) expect(isRealIso(p.start)).toBe(true);
        if (p.end !== undefined) expect(isRealIso(p.end)).toBe(true);
        if (p.start && p.end && p.end >= p.start) expect(p.days).toBe(daysBetween(p.start, p.end) + 1);
        if (p.days !== undefined) expect(Number.isInteger(p.days) && p.days >= 1).toBe(true);
        if (!p.problem) expect(p.type && p.start && p.end && p.days).toBeTruthy();
        if (p.type) expect(types.map((x) => x.name)).toContain(p.type);
        if (p.reason !== undefined) expect(p.reason.length).toBeLessThanOrEqual(text.length);
        expect(typeof looksLikeLeave(text, types)).toBe('boolean');
      }),
      runs(300),
    );
  });

  it('reports a date inside the text and inside the date window', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const found = findLeaveDates(text, TODAY);
        if (!found) return;
        expect(isRealIso(found.start)).toBe(true);
        if (found.end !== undefined) expect(isRealIso(found.end)).toBe(true);
        expect(found.index).toBeGreaterThanOrEqual(0);
        expect(found.length).toBeGreaterThan(0);
        expect(found.index + found.length).toBeLessThanOrEqual(Math.min(text.length, DATE_WINDOW));
      }),
      runs(300),
    );
  });

  it('reads the same dates and length whatever is written after the date window', () => {
    const head = tokenText(DATE_WINDOW).map((t) => (t + ' '.repeat(DATE_WINDOW)).slice(0, DATE_WINDOW));
    fc.assert(
      fc.property(head, anyText, anyText, (h, a, b) => {
        expect(findLeaveDates(h + a, TODAY)).toEqual(findLeaveDates(h + b, TODAY));
        const pick = ({ start, end, days }: { start?: string; end?: string; days?: number }) => ({ start, end, days });
        expect(pick(parseLeaveRequest(h + a, { now: NOW, types }))).toEqual(
          pick(parseLeaveRequest(h + b, { now: NOW, types })),
        );
      }),
      runs(60),
    );
  });

  it('reads a date written as the writer would, at any place inside the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DATE_WINDOW - 12 }), fc.integer({ min: 1, max: 28 }), (at, day) => {
        const text = `${'家'.repeat(at)}12月${day}日 ${'三'.repeat(2000)}`;
        expect(findLeaveDates(text, TODAY)).toMatchObject({
          start: `2026-12-${String(day).padStart(2, '0')}`,
          index: at,
        });
      }),
      runs(50),
    );
  });
});

describe('report date filter properties', () => {
  it('never throws and gives a real date or nothing', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const d = parseDateFilter(text, NOW);
        if (d !== undefined) expect(isRealIso(d)).toBe(true);
      }),
      runs(300),
    );
  });
});
