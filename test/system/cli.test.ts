/**
 * The `zhucun` command as a user runs it (`npx zhucun …` runs bin/zhucun.js): exit codes and, with --json,
 * exactly one JSON document on stdout — errors included.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function zhucun(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/zhucun.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('zhucun', () => {
  it('prints one JSON document for a successful --json run', () => {
    const r = zhucun('calendar', '2026', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { year: number; months: unknown[] };
    expect(doc.year).toBe(2026);
    expect(doc.months).toHaveLength(12);
  });

  it('answers an unknown option with exit 2 and, with --json, one error document', () => {
    const r = zhucun('calendar', '2026', '--bogus', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: expect.stringContaining('--bogus') });
    expect(r.err).toContain('zhucun calendar');
  });

  it('answers an unknown subcommand with exit 2 and the usage', () => {
    const r = zhucun('nonsense');
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage: zhucun');
  });
});
