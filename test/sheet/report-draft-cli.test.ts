import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/report-draft.js';
import { silentLogger } from '../../src/log.js';
import { RosterStore } from '../../src/roster/store.js';
import { checkIn, days } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { paragraphs } from '../helpers/docx.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const POLICY = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'zhucun-draft-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const open = async () => ({
  redis: t.redis,
  keys: t.keys,
  roster: new RosterStore(t.redis, t.keys),
  close: async () => {},
});

function capture() {
  let out = '';
  const io: CliIO = { out: (s) => (out += s), err: () => undefined, log: silentLogger, env: { ZHUCUN_POLICY: POLICY } };
  return { io, out: () => out };
}

beforeAll(async () => {
  await new RosterStore(t.redis, t.keys).replace(sampleRosterData());
  await checkIn(t, 'WangJianGuo', days('2026-10-08', '2026-10-09'));
});

describe('zhucun report-draft', () => {
  it('writes the draft of --month and prints one JSON document with --json', async () => {
    const file = join(dir, 'draft.docx');
    const c = capture();
    const argv = ['--month', '2026-10', '--now', '2026-11-18T09:00:00+08:00', '--out', file, '--json'];
    expect(await run(argv, c.io, open)).toBe(0);
    const bytes = await readFile(file);
    expect(JSON.parse(c.out())).toEqual({
      file,
      month: '2026-10',
      cadres: 31,
      noticesIssued: 0,
      noticesClosed: 0,
      bytes: bytes.length,
    });
    const text = await paragraphs(bytes);
    expect(text[0]).toBe('侯马市（示例）驻村干部2026年10月在岗履职情况通报');
    expect(text[3]).toContain('在村 2 人天');
  });

  it('refuses a command line without --out or with a malformed month, writing nothing', async () => {
    await expect(run(['--month', '2026-10'], capture().io, open)).rejects.toBeInstanceOf(UsageError);
    const file = join(dir, 'bad.docx');
    await expect(run(['--month', '2026-13', '--out', file], capture().io, open)).rejects.toBeInstanceOf(UsageError);
    await expect(readFile(file)).rejects.toThrow();
  });
});
