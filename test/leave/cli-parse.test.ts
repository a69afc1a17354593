import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/parse.js';
import type { CliIO } from '../../src/cli/io.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { silentLogger } from '../../src/log.js';
import { RosterStore } from '../../src/roster/store.js';
import { useTestRedis } from '../helpers/redis.js';
import { dataSnapshot, leaveBot, leaveRegistry } from '../helpers/leave-bot.js';

const t = useTestRedis();
const NOW = '2026-11-20T09:00:00+08:00';
const b = leaveBot(t, NOW);
let opened = 0;

beforeAll(async () => {
  await b.setup();
  // LiXiaoYan already has Q1001 for 25–27 November, waiting on the township.
  expect((await b.say('LiXiaoYan', '请假 事假 11月25日至27日 家中有事'))?.text).toContain('Q1001');
});

async function parse(...argv: string[]): Promise<{ code: number; out: string; doc: unknown }> {
  let out = '';
  const io: CliIO = {
    out: (s) => (out += s),
    err: () => undefined,
    log: silentLogger,
    env: { ZHUCUN_POLICY: 'config/policy.yaml' },
  };
  const open = async () => {
    opened++;
    return {
      roster: new RosterStore(t.redis, t.keys),
      leave: new LeaveRepo(t.redis, t.keys),
      close: async () => undefined,
    };
  };
  const code = await run(argv, io, open, leaveRegistry());
  return { code, out, doc: argv.includes('--json') ? JSON.parse(out) : undefined };
}

describe('zhucun parse', () => {
  it('shows a leave request as one flat JSON document, without a user reading nothing', async () => {
    const r = await parse('请假 事假 11月25日至27日 家中有事', '--now', NOW, '--json');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `${JSON.stringify({ command: 'leave', type: '事假', start: '2026-11-25', end: '2026-11-27', days: 3, reason: '家中有事' }, null, 2)}\n`,
    );
    expect(opened).toBe(0);
  });

  it('recognises a sentence without 请假 at the start', async () => {
    const r = await parse('明天请一天病假 感冒发烧', '--now', NOW, '--json');
    expect(r.doc).toEqual({
      command: 'leave',
      type: '病假',
      start: '2026-11-21',
      end: '2026-11-21',
      days: 1,
      reason: '感冒发烧',
    });
  });

  it('gives the fields and the sentence of a refusal by the policy', async () => {
    const long = await parse('请假 事假 12月1日至12月15日 回老家', '--now', NOW, '--json');
    expect(long.doc).toEqual({
      command: 'leave',
      type: '事假',
      start: '2026-12-01',
      end: '2026-12-15',
      days: 15,
      reason: '回老家',
      error: '事假单次最长 10 天，您申请了 15 天。请缩短日期后重新发送；确需更长时间，请联系县委组织部。',
    });
    const past = await parse('请假 病假 11月10日 发烧', '--now', NOW, '--json');
    expect(past.doc).toMatchObject({ start: '2026-11-10', error: expect.stringContaining('太早') });
    const noType = await parse('请假 明天', '--now', NOW, '--json');
    expect(noType.doc).toMatchObject({
      command: 'leave',
      start: '2026-11-21',
      error: expect.stringContaining('请问请什么假？'),
    });
  });

  it('with a user, checks overlap with their leave and who may ask, changing nothing', async () => {
    const before = await dataSnapshot(t);
    const overlap = await parse('请假 病假 11月26日 发烧', '--now', NOW, '--user', 'LiXiaoYan', '--json');
    expect(overlap.doc).toMatchObject({
      command: 'leave',
      start: '2026-11-26',
      error: expect.stringContaining('与您的请假 Q1001'),
    });
    const fine = await parse('请假 病假 11月30日 发烧', '--now', NOW, '--user', 'LiXiaoYan', '--json');
    expect(fine.doc).not.toHaveProperty('error');
    const supervisor = await parse('请假 事假 明天', '--now', NOW, '--user', 'LiZhenHua', '--json');
    expect(supervisor.doc).toMatchObject({
      command: 'leave',
      type: '事假',
      error: expect.stringContaining('「请假」仅供驻村干部使用'),
    });
    expect(opened).toBe(3);
    expect(await dataSnapshot(t)).toEqual(before);
  });

  it('other commands give their id and the rest of the text; nothing recognised gives null', async () => {
    expect((await parse('同意 Q1001 注意安全', '--json')).doc).toEqual({
      command: 'leave-approve',
      text: 'Q1001 注意安全',
    });
    expect((await parse('销假 11月26日', '--json')).doc).toEqual({ command: 'leave-return', text: '11月26日' });
    expect((await parse('你好', '--json')).doc).toEqual({ command: null });
  });

  it('prints key: value lines without --json', async () => {
    const r = await parse('撤回 Q1001');
    expect(r.out).toBe('command: leave-withdraw\ntext: Q1001\n');
  });

  it('refuses a command line without text or with a bad --now', async () => {
    await expect(parse('--json')).rejects.toThrow(/usage: zhucun parse/);
    await expect(parse('请假', '--now', 'yesterday')).rejects.toThrow(/--now/);
  });
});
