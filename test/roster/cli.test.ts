import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { run, type OpenRosterStore } from '../../src/cli/roster.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { Keys } from '../../src/redis/keys.js';
import { loadRosterFile, parseRoster } from '../../src/roster/load.js';
import { RosterStore } from '../../src/roster/store.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys } = useTestRedis();
const samplePath = fileURLToPath(new URL('../../config/roster.sample.yaml', import.meta.url));
const sample = await loadRosterFile(samplePath);
const dir = await mkdtemp(join(tmpdir(), 'zhucun-roster-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

let out = '';
let err = '';
let opened = 0;
const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), log: pino({ enabled: false }), env: {} };
const openWith =
  (k: Keys): OpenRosterStore =>
  async () => {
    opened += 1;
    // The test's client is shared by the whole file and closed by useTestRedis.
    return { store: new RosterStore(redis, k), close: async () => {} };
  };
const open = openWith(keys);
const cli = (...argv: string[]) => run(argv, io, open);

beforeEach(() => {
  out = '';
  err = '';
  opened = 0;
});

describe('zhucun roster', () => {
  it('imports the sample and prints a summary', async () => {
    expect(await cli('import', samplePath)).toBe(0);
    expect(out).toMatch(
      /3 townships, 9 villages, 4 work groups, 31 cadres, 11 supervisors, 3 groups, 15 other people, 9 villages with four contacts, 8 sending units with leaders, 5 mentors/,
    );
    expect(out).toContain('sample data');
    expect((await new RosterStore(redis, keys).get()).data).toEqual(sample);
  });

  it('imports with --json and prints one document with the counts', async () => {
    expect(await cli('import', samplePath, '--json')).toBe(0);
    expect(JSON.parse(out)).toEqual({
      imported: true,
      sample: true,
      counts: {
        townships: 3,
        workGroups: 4,
        villages: 9,
        cadres: 31,
        supervisors: 11,
        groups: 3,
        people: 15,
        contacts: 9,
        sendingUnits: 8,
        mentors: 5,
      },
      // What the import changed (src/roster/plan.ts); test/roster/diff-cli.test.ts covers it.
      changes: expect.objectContaining({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
      warnings: [],
    });
  });

  it('exports the imported roster as YAML that parses back to the same roster, and as JSON', async () => {
    await cli('import', samplePath);
    out = '';
    expect(await cli('export')).toBe(0);
    expect(parseRoster(out, 'exported.yaml')).toEqual(sample);
    out = '';
    expect(await cli('export', '--json')).toBe(0);
    expect(JSON.parse(out)).toEqual(sample);
  });

  it('refuses an invalid file and leaves the previous roster as it was', async () => {
    await cli('import', samplePath);
    const before = await redis.get(keys.roster());
    const broken = join(dir, 'broken.yaml');
    const doc = parse(await readFile(samplePath, 'utf8'));
    doc.cadres[0].village = 'nowhere';
    doc.cadres.push({ ...doc.cadres[1], userid: 'NewPerson', name: '新人' });
    // JSON is YAML too; the file's format does not matter to the check.
    await writeFile(broken, JSON.stringify(doc));
    out = '';
    opened = 0;

    expect(await cli('import', broken)).toBe(1);
    expect(err).toContain(`${broken}: cadres[0] (userid "WangJianGuo"): village: "nowhere" is not in villages`);
    expect(out).toBe('');
    expect(opened).toBe(0);
    expect(await redis.get(keys.roster())).toBe(before);

    err = '';
    expect(await cli('import', broken, '--json')).toBe(1);
    expect(JSON.parse(out)).toEqual({
      imported: false,
      problems: [expect.stringContaining('"nowhere" is not in villages')],
    });
    expect(await redis.get(keys.roster())).toBe(before);
  });

  it('checks a file without connecting to Redis', async () => {
    // The sample has sending units without a leader (issue 12: an error of `roster check`); with one each, valid.
    const led = join(dir, 'led.yaml');
    const units = [...new Set(sample.cadres.map((c) => c.sendingUnit))];
    const leaders = units.map((u, i) => ({ userid: `Leader${i}`, name: `领导${i}`, kind: 'sending-unit', scope: u }));
    await writeFile(led, JSON.stringify({ ...sample, supervisors: [...sample.supervisors, ...leaders] }));
    expect(await cli('check', led)).toBe(0);
    expect(out).toContain('is valid: 3 townships');
    out = '';
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'townships: []\nvillages: []\n');
    expect(await cli('check', bad, '--json')).toBe(1);
    expect(JSON.parse(out).valid).toBe(false);
    expect(err).toContain(`${bad}: townships: `);
    expect(opened).toBe(0);
  });

  it('says so when there is nothing to export', async () => {
    const empty = new Keys(`${keys.ns}empty`);
    expect(await run(['export'], io, openWith(empty))).toBe(1);
    expect(err).toContain('no roster has been imported yet');
    expect(out).toBe('');
  });

  it('treats a wrong command line as a usage error', async () => {
    await expect(cli('frobnicate')).rejects.toBeInstanceOf(UsageError);
    await expect(cli('import')).rejects.toThrow('import takes exactly one FILE');
    await expect(cli('export', 'x.yaml')).rejects.toBeInstanceOf(UsageError);
    await expect(cli('check', samplePath, '--force')).rejects.toBeInstanceOf(UsageError);
    expect(await cli('--help')).toBe(0);
    expect(out).toContain('usage: zhucun roster');
  });
});
