import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/calendar.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { silentLogger } from '../../src/log.js';

const POLICY = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));
const FIXTURE_2027 = fileURLToPath(new URL('../fixtures/holidays/2027.json', import.meta.url));

function capture(env: NodeJS.ProcessEnv = {}): { io: CliIO; out: () => string } {
  let out = '';
  const io: CliIO = {
    out: (t) => (out += t),
    err: () => {},
    log: silentLogger,
    env: { ZHUCUN_POLICY: POLICY, ...env },
  };
  return { io, out: () => out };
}

describe('zhucun calendar', () => {
  it('--json prints one document with twelve months', async () => {
    const { io, out } = capture();
    expect(await run(['2025', '--json'], io)).toBe(0);
    const doc = JSON.parse(out());
    expect(Object.keys(doc)).toEqual(['year', 'months']);
    expect(doc.year).toBe(2025);
    expect(doc.months).toHaveLength(12);
    for (const m of doc.months)
      expect(Object.keys(m)).toEqual(['month', 'days', 'daysOff', 'makeupWorkdays', 'workdays', 'target']);
    expect(doc.months[1]).toEqual({ month: 2, days: 28, daysOff: 4, makeupWorkdays: 1, workdays: 19, target: 19 });
    expect(doc.months[9]).toEqual({ month: 10, days: 31, daysOff: 8, makeupWorkdays: 1, workdays: 18, target: 17 });
  });

  it('--json gives nulls except the day counts for a year without data', async () => {
    const { io, out } = capture();
    expect(await run(['2027', '--json'], io)).toBe(0);
    const doc = JSON.parse(out());
    expect(doc.months[0]).toEqual({
      month: 1,
      days: 31,
      daysOff: null,
      makeupWorkdays: null,
      workdays: null,
      target: null,
    });
    expect(doc.months.every((m: { target: unknown }) => m.target === null)).toBe(true);
  });

  it('an override makes the year known', async () => {
    const { io, out } = capture({ ZHUCUN_HOLIDAYS: FIXTURE_2027 });
    await run(['2027', '--json'], io);
    const doc = JSON.parse(out());
    expect(doc.months[1]).toMatchObject({ month: 2, daysOff: 9, makeupWorkdays: 1, target: 15 });
  });

  it('the text of an uncovered year says 待定 and how to add it', async () => {
    const { io, out } = capture();
    expect(await run(['2027'], io)).toBe(0);
    expect(out()).toContain('待定');
    expect(out()).toContain('ZHUCUN_HOLIDAYS');
    expect(out()).toContain('"isOffDay": true');
  });

  it('the text of a covered year is a table', async () => {
    const { io, out } = capture();
    await run(['2026'], io);
    expect(out()).toMatch(/2月\s+28\s+9\s+2\s+16\s+15/);
    expect(out()).not.toContain('待定');
  });

  it('refuses a missing or malformed year', async () => {
    await expect(run([], capture().io)).rejects.toThrow(UsageError);
    await expect(run(['26'], capture().io)).rejects.toThrow(UsageError);
    await expect(run(['2026', '--bogus'], capture().io)).rejects.toThrow(UsageError);
  });
});
