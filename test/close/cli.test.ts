/**
 * `zhucun policy` and `zhucun close` on the real Redis: check a file without registering it, register it once
 * (with its audit entry), show and list the history, close a past month once and refuse an open one.
 */
import { readAudit } from '../../src/audit/read.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as closeCli } from '../../src/cli/close.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run as policyCli } from '../../src/cli/policy.js';
import { silentLogger } from '../../src/log.js';
import { RosterStore } from '../../src/roster/store.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const POLICY = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'zhucun-policy-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const open = async () => ({
  redis: t.redis,
  keys: t.keys,
  roster: new RosterStore(t.redis, t.keys),
  close: async () => {},
});

function capture() {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (s) => (out += s),
    err: (s) => (err += s),
    log: silentLogger,
    env: { ZHUCUN_POLICY: POLICY },
  };
  return { io, out: () => out, err: () => err };
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

beforeAll(() => new RosterStore(t.redis, t.keys).replace(sampleRosterData()));

describe('zhucun policy', () => {
  it('checks, registers once, shows and lists the dated versions', async () => {
    const base = await file('base.yaml', 'effectiveFrom: 2026-09-01\n');
    const twenty = await file('twenty.yaml', 'effectiveFrom: 2026-12-01\nmonthly:\n  minimum: 20\n');
    const now = ['--now', '2026-11-18T09:00'];
    expect(await policyCli(['register', base, ...now], capture().io, open)).toBe(0);

    const check = capture();
    expect(await policyCli(['check', twenty, ...now, '--json'], check.io, open)).toBe(0);
    expect(JSON.parse(check.out())).toMatchObject({
      valid: true,
      registered: false,
      effectiveFrom: '2026-12-01',
      refused: null,
      changes: ['monthly.minimum: 22 → 20'],
    });
    // Checking registered nothing.
    const before = capture();
    await policyCli(['history', '--json', ...now], before.io, open);
    expect((JSON.parse(before.out()) as { versions: unknown[] }).versions).toHaveLength(1);

    const reg = capture();
    expect(await policyCli(['register', twenty, ...now], reg.io, open)).toBe(0);
    expect(reg.out()).toMatch(/^.*twenty\.yaml: registered [0-9a-f]{16}, in force from 2026-12-01\n$/);
    const again = capture();
    expect(await policyCli(['register', twenty, ...now], again.io, open)).toBe(0);
    expect(again.out()).toContain('registered already as');

    const shown = capture();
    expect(await policyCli(['show', '--date', '2026-12-01', '--json'], shown.io, open)).toBe(0);
    expect(JSON.parse(shown.out())).toMatchObject({
      effectiveFrom: '2026-12-01',
      policy: { monthly: { minimum: 20 } },
    });
    const text = capture();
    expect(await policyCli(['show', '--date', '2026-11-30'], text.io, open)).toBe(0);
    expect(text.out()).toContain('effectiveFrom: 2026-09-01\nmonthly:\n  minimum: 22\n');

    const audit = await t.redis.xrange(t.keys.audit(), '-', '+');
    const entries = audit.map(([, f]) => JSON.parse(f[1]!) as { kind: string; actor: string; summary: string });
    expect(entries.map((e) => e.kind)).toEqual(['policy.change', 'policy.change']);
    expect(entries[1]!.actor).toMatch(/^cli:.+@.+$/);
    expect(entries[1]!.summary).toBe('effective from 2026-12-01: monthly.minimum: 22 → 20');
  });

  it('says what is wrong with a file, and refuses a bad command line', async () => {
    const bad = await file('bad.yaml', 'effectiveFrom: next month\n');
    const c = capture();
    expect(await policyCli(['check', bad], c.io, open)).toBe(1);
    expect(c.err()).toBe('bad.yaml: effectiveFrom: must be a date written YYYY-MM-DD, e.g. "2026-12-01"\n');
    await expect(policyCli(['check'], capture().io, open)).rejects.toThrow(UsageError);
    await expect(policyCli(['show', '--date', '2026-13-01'], capture().io, open)).rejects.toThrow(UsageError);
  });
});

describe('zhucun close', () => {
  it('closes a past month once, refuses an open one, and then refuses a policy dated inside it', async () => {
    const now = ['--now', '2026-11-18T09:00'];
    const open1 = capture();
    expect(await closeCli(['2026-11', ...now], open1.io, open)).toBe(1);
    expect(open1.err()).toBe(
      'zhucun close: 2026-11 is not over yet (today is 2026-11-18); a month closes after 2026-11-30\n',
    );
    const done = capture();
    expect(await closeCli(['2026-10', ...now, '--json'], done.io, open)).toBe(0);
    expect(JSON.parse(done.out())).toMatchObject({ month: '2026-10', status: 'closed', cadres: 31 });
    const again = capture();
    expect(await closeCli(['2026-10', ...now], again.io, open)).toBe(0);
    expect(again.out()).toMatch(/^2026-10 was closed already at .* \(31 cadre\(s\)\); nothing changed\n$/);
    await expect(closeCli(['October', ...now], capture().io, open)).rejects.toThrow(UsageError);
    // Recorded once in the audit trail, by whom and with what.
    const closes = (await readAudit(t.redis, t.keys, { kinds: ['month.close'] })).entries;
    expect(closes).toEqual([
      expect.objectContaining({ ref: '2026-10', channel: 'cli', summary: expect.stringContaining('31 cadres') }),
    ]);
    // A time still to come would close a month whose last days have not happened.
    await expect(closeCli(['2026-11', '--now', '2099-01-05T09:00'], capture().io, open)).rejects.toThrow(
      /--now may not be later than the present time/,
    );

    const late = await file('late.yaml', 'effectiveFrom: 2026-10-20\nmonthly:\n  minimum: 18\n');
    const refused = capture();
    expect(await policyCli(['register', late, ...now], refused.io, open)).toBe(1);
    expect(refused.err()).toContain('effectiveFrom 2026-10-20 is not after 2026-10, which is closed');
  });
});
