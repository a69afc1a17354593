/**
 * The `zhucun` command as a user runs it (`npx zhucun …` runs bin/zhucun.js): exit codes and, with --json,
 * exactly one JSON document on stdout — errors included.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
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

  it('stops quietly when the reader of its output goes away (`zhucun calendar 2026 | head -1`)', async () => {
    const child = spawn(process.execPath, ['bin/zhucun.js', 'calendar', '2026'], {
      env: { ...process.env, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Like `head -1` that has its line before the output is written: the pipe is closed when it writes.
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(err).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 60_000);

  it('answers an unknown subcommand with exit 2 and the usage', () => {
    const r = zhucun('nonsense');
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage: zhucun');
  });
});
