/**
 * 我的考勤 and `zhucun attendance` of a closed month read the figures it was closed with: check-ins added
 * afterwards change the live figures, not what either shows.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import attendance from '../../handlers/attendance.js';
import { run as attendanceCli } from '../../src/cli/attendance.js';
import type { CliIO } from '../../src/cli/io.js';
import { closeMonth } from '../../src/close/close.js';
import type { Update } from '../../src/core/update.js';
import { silentLogger } from '../../src/log.js';
import { checkIn, days } from '../attendance/seed.js';
import { testBot } from '../helpers/bot.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const { bot, deps } = testBot(t, { commands: [attendance], start: '2026-11-18T09:00:00+08:00' });
const POLICY = fileURLToPath(new URL('../../config/policy.yaml', import.meta.url));

let n = 0;
async function ask(text: string): Promise<string> {
  n += 1;
  const update: Update = {
    id: `close-att${n}`,
    channel: 'app',
    userId: 'LiXiaoYan',
    chatType: 'single',
    kind: 'text',
    text,
    time: deps.clock.now(),
  };
  return (await bot.handle(update)).reply?.text ?? '';
}

async function cli(): Promise<{ present: number }> {
  let out = '';
  const io: CliIO = { out: (s) => (out += s), err: () => {}, log: silentLogger, env: { ZHUCUN_POLICY: POLICY } };
  const open = async () => ({ redis: t.redis, keys: t.keys, roster: deps.roster, close: async () => {} });
  const args = ['LiXiaoYan', '--month', '2026-10', '--now', '2026-11-18T09:00', '--json'];
  expect(await attendanceCli(args, io, open)).toBe(0);
  return JSON.parse(out) as { present: number };
}

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
  await checkIn(t, 'LiXiaoYan', days('2026-10-12', '2026-10-16'));
});

describe('a closed month in 我的考勤 and zhucun attendance', () => {
  it('shows the figures the month was closed with, not late data', async () => {
    await closeMonth(deps, await deps.roster.get(), '2026-10', { now: deps.clock.now(), actor: 'cli:ops@host' });
    expect(await ask('考勤 2026-10')).toContain('在村 5 天');
    expect((await cli()).present).toBe(5);
    await checkIn(t, 'LiXiaoYan', days('2026-10-19', '2026-10-23'));
    expect(await ask('考勤 2026-10')).toContain('在村 5 天');
    expect((await cli()).present).toBe(5);
    // November is open: its data counts at once.
    await checkIn(t, 'LiXiaoYan', days('2026-11-02', '2026-11-03'));
    expect(await ask('我的考勤')).toContain('在村 2 天');
  });
});
