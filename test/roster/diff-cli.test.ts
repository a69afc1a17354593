/** `zhucun roster diff` and the refusals of `import`: what an import would change, and nothing changed. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/roster.js';
import { fixedClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log.js';
import { exportRoster } from '../../src/roster/load.js';
import type { RosterData } from '../../src/roster/schema.js';
import { RosterStore } from '../../src/roster/store.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys } = useTestRedis();
const store = new RosterStore(redis, keys, fixedClock('2026-12-06T09:00:00+08:00'));
const dir = await mkdtemp(join(tmpdir(), 'zhucun-diff-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const sample = sampleRosterData();

let out = '';
let err = '';
const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), log: silentLogger, env: {} };
const cli = (...argv: string[]) => run(argv, io, async () => ({ store, close: async () => {} }));
beforeEach(() => {
  out = '';
  err = '';
});

async function file(name: string, data: RosterData): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, exportRoster(data));
  return path;
}

describe('zhucun roster diff', () => {
  it('before any import: every cadre and place is added, as of the clock or --now', async () => {
    const path = await file('sample.yaml', sample);
    expect(await cli('diff', path, '--json')).toBe(0);
    const { changes } = JSON.parse(out) as {
      changes: { date: string; added: unknown[]; townships: { added: string[] } };
    };
    expect(changes.date).toBe('2026-12-06');
    expect(changes.added).toHaveLength(31);
    expect(changes.townships.added).toEqual(['xintian (新田乡)', 'fengcheng (凤城乡)', 'gaocun (高村乡)']);
    out = '';
    expect(await cli('diff', path, '--now', '2026-11-01T08:00')).toBe(0);
    expect(out).toMatch(
      /^.*sample\.yaml: changes as of 2026-11-01\n {2}added {4}WangJianGuo 王建国: 北堡村 from 2026-04-28\n/,
    );
    expect(out).toContain('  + village aikou (隘口村)\n');
    expect(await redis.get(keys.roster())).toBeNull();
  });

  it('says so when nothing changes', async () => {
    const path = await file('same.yaml', sample);
    expect(await cli('import', path)).toBe(0);
    out = '';
    expect(await cli('diff', path)).toBe(0);
    expect(out).toBe(
      `${path}: changes as of 2026-12-06: none\n  0 added, 0 ended, 0 moved, 0 term changes, 0 other cadre changes, 0 other entries added or removed\n`,
    );
  });

  it('refuses a file naming someone never on the roster, with the entry; import then changes nothing', async () => {
    const path = await file('ghost.yaml', {
      ...sample,
      departures: [{ userid: 'Ghost', on: '2026-12-01', reason: 'recalled' }],
    });
    expect(await cli('diff', path)).toBe(1);
    expect(err).toBe(`${path}: departures[0] (userid "Ghost"): userid: "Ghost" was never on the roster\n`);
    err = '';
    expect(await cli('diff', path, '--json')).toBe(1);
    expect(JSON.parse(out)).toEqual({ valid: false, problems: [err.trim()] });

    const before = [
      await redis.get(keys.roster()),
      await redis.hgetall(keys.assignments()),
      await redis.xlen(keys.audit()),
    ];
    out = '';
    expect(await cli('import', path, '--json')).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ imported: false });
    expect([
      await redis.get(keys.roster()),
      await redis.hgetall(keys.assignments()),
      await redis.xlen(keys.audit()),
    ]).toEqual(before);
  });

  it('takes exactly one file and a valid --now', async () => {
    await expect(cli('diff')).rejects.toThrow(UsageError);
    await expect(cli('diff', 'a.yaml', 'b.yaml')).rejects.toThrow(UsageError);
    await expect(cli('diff', await file('x.yaml', sample), '--now', 'yesterday')).rejects.toThrow(/--now: not a time/);
  });
});
