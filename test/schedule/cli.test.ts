import { beforeAll, describe, expect, it } from 'vitest';
import { run, type JobsCliConnection } from '../../src/cli/jobs.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { silentLogger } from '../../src/log.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const outbox = new RecordingOutbox();
let closed = 0;
const open = async (): Promise<JobsCliConnection> => ({
  ctx: testDeps(t, { outbox }),
  close: async () => void (closed += 1),
});

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIO = { out: (s) => (out += s), err: () => {}, log: silentLogger, env: {} };
  const code = await run(argv, io, open);
  return { code, out };
}

beforeAll(async () => {
  await t.redis.set(t.keys.roster(), JSON.stringify(sampleRosterData()));
});

describe('zhucun jobs', () => {
  it('list --json gives each job with its schedule and next run', async () => {
    const { code, out } = await cli('list', '--json', '--now', '2026-11-18T09:00');
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { jobs: { id: string; schedule: string; next: string; last: unknown }[] };
    expect(doc.jobs.map((j) => [j.id, j.schedule, j.next, j.last])).toEqual([
      ['morning-remind', '30 9 * * *', '2026-11-18T01:30:00.000Z', null],
      ['leave-overdue', '30 8 * * *', '2026-11-19T00:30:00.000Z', null],
      ['daily-digest', '0 18 * * *', '2026-11-18T10:00:00.000Z', null],
      ['weekly-digest', '30 8 * * 1', '2026-11-23T00:30:00.000Z', null],
      ['team-digest', '0 8 * * 1', '2026-11-23T00:00:00.000Z', null],
      ['warning-ladder', '0 10 * * *', '2026-11-18T02:00:00.000Z', null],
      ['report-prompt', '0 16 * * 5', '2026-11-20T08:00:00.000Z', null],
      ['announce-renudge', '*/10 * * * *', '2026-11-18T01:10:00.000Z', null],
      ['checkin-sync', '*/10 * * * *', '2026-11-18T01:10:00.000Z', null],
      ['holiday-watch', '0 9 * * 1', '2026-11-23T01:00:00.000Z', null],
      ['retention', '30 3 * * *', '2026-11-18T19:30:00.000Z', null],
      ['selfreport-confirm', '0 19 * * *', '2026-11-18T11:00:00.000Z', null],
      ['month-close', '0 7 * * *', '2026-11-18T23:00:00.000Z', null],
      ['ops-watch', '*/5 * * * *', '2026-11-18T01:05:00.000Z', null],
      ['backup', '0 2 * * *', '2026-11-18T18:00:00.000Z', null],
      ['visit-due', '0 9 * * *', '2026-11-19T01:00:00.000Z', null],
      ['notice-triggers', '30 10 * * *', '2026-11-18T02:30:00.000Z', null],
      ['unit-summary', '0 9 * * *', '2026-11-19T01:00:00.000Z', null],
      ['monthly-sheet', '30 8 1 * *', '2026-12-01T00:30:00.000Z', null],
    ]);
  });

  it('run --dry-run prints recipients and texts and sends nothing', async () => {
    const { code, out } = await cli('run', 'morning-remind', '--now', '2026-11-18T09:30', '--dry-run');
    expect(code).toBe(0);
    expect(out).toContain('morning-remind at 2026-11-18 09:30 — dry run');
    expect(out).toContain('→ 王建国 (WangJianGuo)  [reminder] remind:WangJianGuo:2026-11-18');
    expect(out).toContain('    （为什么收到：每天09:30提醒尚未签到的同志');
    expect(out).toMatch(/31 message\(s\) would be sent, 0 dropped\n$/);
    expect(outbox.queued).toEqual([]);
  });

  it('shows what the burden rules drop', async () => {
    const { out } = await cli('run', 'morning-remind', '--now', '2026-11-18T22:00:00+08:00', '--dry-run', '--json');
    const doc = JSON.parse(out) as { messages: unknown[]; dropped: { reason: string }[]; dryRun: boolean };
    expect(doc.dryRun).toBe(true);
    expect(doc.messages).toEqual([]);
    expect(doc.dropped).toHaveLength(31);
    expect(new Set(doc.dropped.map((d) => d.reason))).toEqual(new Set(['quiet-hours']));
  });

  it('run queues the messages and list then shows the last run', async () => {
    const { out } = await cli('run', 'morning-remind', '--now', '2026-11-18T09:30', '--json');
    const doc = JSON.parse(out) as { messages: { key: string; to: string[]; purpose: string; text: string }[] };
    expect(doc.messages).toHaveLength(31);
    expect(outbox.queued.map((m) => m.key)).toEqual(doc.messages.map((m) => m.key));
    const list = await cli('list', '--now', '2026-11-18T09:31');
    expect(list.out).toMatch(
      /morning-remind\s+30 9 \* \* \*\s+next 2026-11-19 09:30\s+last 2026-11-18 09:30 \(manual, 31 sent, 0 dropped\)/,
    );
    expect(list.out).toMatch(/holiday-watch .* last never/);
  });

  it('refuses an unknown job, a bad time and a missing action, and always closes', async () => {
    const before = closed;
    await expect(cli('run', 'no-such-job')).rejects.toThrow(UsageError);
    await expect(cli('run', 'morning-remind', '--now', 'yesterday')).rejects.toThrow(UsageError);
    await expect(cli()).rejects.toThrow(UsageError);
    await expect(cli('list', 'x')).rejects.toThrow(UsageError);
    expect(closed).toBe(before);
    await cli('list');
    expect(closed).toBe(before + 1);
  });
});
