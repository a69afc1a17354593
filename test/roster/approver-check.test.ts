/** `zhucun roster check` reports a township or sending unit without anyone to approve leave as an ERROR. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/roster.js';
import type { CliIO } from '../../src/cli/io.js';
import { approverGaps } from '../../src/roster/approvers.js';
import { loadRosterFile } from '../../src/roster/load.js';
import { RosterStore } from '../../src/roster/store.js';
import { useTestRedis } from '../helpers/redis.js';

const { redis, keys } = useTestRedis();
const samplePath = fileURLToPath(new URL('../../config/roster.sample.yaml', import.meta.url));
const sample = await loadRosterFile(samplePath);
const dir = await mkdtemp(join(tmpdir(), 'zhucun-approvers-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

let out = '';
let err = '';
const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), log: pino({ enabled: false }), env: {} };
const cli = (...argv: string[]) =>
  run(argv, io, async () => ({ store: new RosterStore(redis, keys), close: async () => {} }));

beforeEach(() => {
  out = '';
  err = '';
});

describe('roster check: every level that approves leave has someone', () => {
  it('names each sending unit without a leader, with the cadres concerned, and fails', async () => {
    expect(await cli('check', samplePath)).toBe(1);
    const errors = err.split('\n').filter((l) => l.startsWith('ERROR'));
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBe(
      `ERROR ${samplePath}: sending unit "县人社局" has no leader (kind sending-unit): its step of the leave of 赵文博, 孙丽娟, 冯雪梅, 任保平, 田晓丽 goes up to the organisation department`,
    );
    expect(err).toContain('sending unit "县水利局"');
    expect(err).toContain('sending unit "县交通局"');
    expect(err).toContain('sending unit "县自然资源局"');
    expect(out).toBe(`${samplePath}: 4 approval levels have nobody to approve leave (see the ERROR lines)\n`);
  });

  it('names a township without a supervisor and a county without an organisation department', async () => {
    const file = join(dir, 'no-xintian.yaml');
    const supervisors = sample.supervisors.filter((s) => s.scope !== 'xintian' && s.kind !== 'org-department');
    // Without them, the four contacts and the mentors would name people no longer on the roster.
    await writeFile(file, JSON.stringify({ ...sample, supervisors, contacts: undefined, mentors: undefined }));
    expect(await cli('check', file, '--json')).toBe(1);
    expect(err).toContain(
      `ERROR ${file}: township "xintian" (新田乡) has no supervisor (kind township): its step of the leave of 王建国, 李晓燕, 赵文博, 孙丽娟, 张志强 and 6 more goes up to the sending unit`,
    );
    expect(err).toContain(`ERROR ${file}: nobody in the organisation department (kind org-department)`);
    const json = JSON.parse(out);
    expect(json.valid).toBe(false);
    expect(json.approverErrors.map((g: { kind: string }) => g.kind)).toEqual([
      'township',
      'sending-unit',
      'sending-unit',
      'sending-unit',
      'sending-unit',
      'org-department',
    ]);
  });

  it('import still imports such a roster (the next level up decides meanwhile), printing the same errors', async () => {
    expect(await cli('import', samplePath)).toBe(0);
    expect(err).toContain('ERROR');
    expect((await new RosterStore(redis, keys).get()).data.cadres).toHaveLength(sample.cadres.length);
  });

  it('finds nothing when every level has someone', () => {
    const units = [...new Set(sample.cadres.map((c) => c.sendingUnit))];
    const leaders = units.map((u, i) => ({
      userid: `L${i}`,
      name: `领导${i}`,
      kind: 'sending-unit' as const,
      scope: u,
    }));
    expect(approverGaps({ ...sample, supervisors: [...sample.supervisors, ...leaders] })).toEqual([]);
  });
});
