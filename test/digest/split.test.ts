import { describe, expect, it } from 'vitest';
import type { DailyCadre } from '../../src/digest/daily.js';
import { dailyModel } from '../../src/digest/daily.js';
import { dailyMessages } from '../../src/digest/messages.js';
import { MARKDOWN_MAX_BYTES, splitMarkdown } from '../../src/digest/split.js';
import { dailySupervisors } from '../../templates/digest.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** A township of `n` cadres, a third each checked in, without data and at risk. */
function bigTownship(n: number) {
  const cadres: DailyCadre[] = Array.from({ length: n }, (_, i) => ({
    userid: `u${i}`,
    name: `示例干部${i}`,
    village: `第${i % 9}村`,
    records:
      i % 3 === 0
        ? [
            {
              id: `r${i}`,
              at: '2026-11-18T00:10:00.000Z',
              source: 'page',
              trust: 'verified',
              direction: 'in',
              inside: true,
              counts: true,
            },
          ]
        : [],
    reportsToday: i % 5 === 0 ? 1 : 0,
    month:
      i % 3 === 2
        ? { present: 8, target: 22, needed: 14, remaining: 13, status: 'cannot-reach' }
        : { present: 15, target: 22, needed: 7, remaining: 13, status: 'on-track' },
  }));
  return dailyModel({
    township: { id: 'big', name: '大镇' },
    date: '2026-11-18',
    now: new Date('2026-11-18T18:00:00+08:00'),
    cadres,
    pending: [],
  });
}

describe('splitting a digest to WeCom’s size', () => {
  it('keeps a digest within the limit as it is', () => {
    expect(splitMarkdown('**标题**\n一行')).toEqual(['**标题**\n一行']);
  });

  it('splits a large township between lines, never inside one', () => {
    const model = bigTownship(150);
    const text = dailySupervisors(model, { time: '18:00', backfillHours: 48 });
    expect(bytes(text)).toBeGreaterThan(2 * MARKDOWN_MAX_BYTES);
    const head = (p: number) => `**大镇驻村干部日报 · 11月18日 周三（续 ${p}）**`;
    const parts = splitMarkdown(text, { continued: head });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    const original = new Set(text.split('\n'));
    const body: string[] = [];
    parts.forEach((part, i) => {
      expect(bytes(part)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
      const lines = part.split('\n');
      if (i > 0) expect(lines.shift()).toBe(head(i + 1));
      expect(lines[0]).not.toBe('');
      expect(lines.at(-1)).not.toBe('');
      // Every line is a whole line of the digest.
      for (const l of lines) expect(original.has(l)).toBe(true);
      body.push(...lines);
    });
    // Nothing lost, nothing repeated: only blank lines at the seams are left out.
    expect(body.filter(Boolean)).toEqual(text.split('\n').filter(Boolean));
    expect(parts.at(-1)!.split('\n').at(-1)).toContain('（您是大镇的负责同志');
  });

  it('gives the parts keys of their own', () => {
    const msgs = dailyMessages(bigTownship(150), { supervisors: ['S1'] }, { time: '18:00', backfillHours: 48 });
    expect(msgs.length).toBeGreaterThanOrEqual(3);
    expect(msgs.map((m) => m.key).slice(0, 3)).toEqual([
      'digest:daily:big:2026-11-18:supervisors',
      'digest:daily:big:2026-11-18:supervisors:2',
      'digest:daily:big:2026-11-18:supervisors:3',
    ]);
  });

  it('cuts a line longer than a whole message at character boundaries, the only cut inside a line', () => {
    const long = '长'.repeat(3000);
    const parts = splitMarkdown(`开头\n${long}\n结尾`, { maxBytes: 4096 });
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(4096);
    expect(parts.join('\n').replace(/\n/g, '')).toBe(`开头${long}结尾`);
  });
});
