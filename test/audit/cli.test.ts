/**
 * `zhucun audit`: newest last, one line per action (time in Asia/Shanghai, kind, actor, channel or address,
 * item, person, summary) or one JSON array; windows by date, time or duration, people and kinds; usage errors
 * with exit 2. A window reads only its part of the stream.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/audit.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { appendAudit, AUDIT_KINDS } from '../../src/audit/trail.js';
import { silentLogger } from '../../src/log.js';
import { useTestRedis } from '../helpers/redis.js';
import { entryAt } from './helpers.js';

const t = useTestRedis();
const NOW = new Date('2026-11-22T12:00:00+08:00');
let opened = 0;
const open = async () => {
  opened++;
  return { redis: t.redis, keys: t.keys, close: async () => {} };
};

async function audit(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), log: silentLogger, env: {} };
  const code = await run(argv, io, open, () => NOW);
  return { code, out, err, lines: out.trimEnd().split('\n') };
}

beforeAll(async () => {
  // Not an audit entry, long before the rest: only a reading of the whole stream meets it.
  await t.redis.xadd(t.keys.audit(), `${new Date('2026-01-01T00:00:00+08:00').getTime()}-0`, 'e', '{broken');
  const add = (at: string, id: string, extra: Parameters<typeof entryAt>[2]) =>
    appendAudit(t.redis, t.keys, entryAt(at, id, extra));
  await add('2026-11-10T08:00:00+08:00', 'u1:leave.approve:Q1001', {
    actor: 'LiZhenHua',
    ref: 'Q1001',
    subject: 'LiXiaoYan',
    summary: '事假 3 天，11月25日至27日；第 1 步（共 2 步）',
  });
  await add('2026-11-16T09:30:05+08:00', 'export.sheet:2026-10:x', {
    kind: 'export.sheet',
    actor: 'admin',
    channel: 'admin',
    ip: '203.0.113.7',
    ref: '2026-10',
    summary: '考勤表 2026年10月，31 名干部',
  });
  await add('2026-11-20T18:00:00+08:00', 'u9:announce.send:N1001', {
    kind: 'announce.send',
    actor: 'WuJianZhong',
    ref: 'N1001',
    summary: '北堡村，4 人：明天开会',
  });
  // The same action again (a retried commit): shown once.
  await add('2026-11-20T18:00:01+08:00', 'u9:announce.send:N1001', { kind: 'announce.send', actor: 'WuJianZhong' });
  await add('2026-11-21T10:00:00+08:00', 'u12:leave.reject:Q1002', {
    kind: 'leave.reject',
    actor: 'WangHaiYan',
    ref: 'Q1002',
    subject: 'ZhaoWenBo',
    summary: '事假 1 天，12月2日；第 1 步（共 1 步）；原因：近期有检查',
  });
});

describe('zhucun audit', () => {
  it('prints one aligned line per action, oldest first, each action once', async () => {
    const r = await audit();
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      '2026-11-10 08:00:00  leave.approve  LiZhenHua    app                Q1001    LiXiaoYan  事假 3 天，11月25日至27日；第 1 步（共 2 步）',
      '2026-11-16 09:30:05  export.sheet   admin        admin/203.0.113.7  2026-10  -          考勤表 2026年10月，31 名干部',
      '2026-11-20 18:00:00  announce.send  WuJianZhong  app                N1001    -          北堡村，4 人：明天开会',
      '2026-11-21 10:00:00  leave.reject   WangHaiYan   app                Q1002    ZhaoWenBo  事假 1 天，12月2日；第 1 步（共 1 步）；原因：近期有检查',
    ]);
    // The whole stream was read: the broken entry is met and reported.
    expect(r.err).toBe('1 stream entry is not an audit entry; skipped\n');
  });

  it('--since a date, a time or a duration, --until a date (the whole day); reads only the window', async () => {
    const refs = async (...argv: string[]) => (await audit(...argv)).lines.map((l) => l.split(/\s+/)[5]);
    expect(await refs('--since', '2026-11-16')).toEqual(['2026-10', 'N1001', 'Q1002']);
    expect(await refs('--since', '2026-11-16T09:30:06')).toEqual(['N1001', 'Q1002']);
    expect(await refs('--since', '7d')).toEqual(['2026-10', 'N1001', 'Q1002']);
    expect(await refs('--since', '5d')).toEqual(['N1001', 'Q1002']);
    expect(await refs('--since', '30h')).toEqual(['Q1002']);
    expect((await audit('--since', '24h')).out).toBe('no audit entries match\n');
    expect(await refs('--until', '2026-11-20')).toEqual(['Q1001', '2026-10', 'N1001']);
    expect(await refs('--since', '2026-11-16', '--until', '2026-11-16')).toEqual(['2026-10']);
    // The broken entry lies before the window: not read, so not reported.
    expect((await audit('--since', '2026-11-01')).err).toBe('');
  });

  it('--user (who acted or whom it concerned) and --kind (kinds or families, comma-separated or repeated)', async () => {
    const refs = async (...argv: string[]) => (await audit(...argv)).lines.map((l) => l.split(/\s+/)[5]);
    expect(await refs('--user', 'LiZhenHua')).toEqual(['Q1001']);
    expect(await refs('--user', 'ZhaoWenBo')).toEqual(['Q1002']);
    expect(await refs('--user', 'LiXiaoYan,admin')).toEqual(['Q1001', '2026-10']);
    expect(await refs('--kind', 'leave')).toEqual(['Q1001', 'Q1002']);
    expect(await refs('--kind', 'export.sheet,announce.send')).toEqual(['2026-10', 'N1001']);
    expect(await refs('--kind', 'leave.reject', '--kind', 'export')).toEqual(['2026-10', 'Q1002']);
    expect(await refs('--kind', 'leave', '--user', 'WangHaiYan', '--since', '2026-11-21')).toEqual(['Q1002']);
    expect((await audit('--user', 'NoSuchPerson')).out).toBe('no audit entries match\n');
  });

  it('--json prints one JSON array with the time in Asia/Shanghai', async () => {
    const r = await audit('--json', '--kind', 'announce.send');
    expect(JSON.parse(r.out)).toEqual([
      {
        kind: 'announce.send',
        actor: 'WuJianZhong',
        channel: 'app',
        at: new Date('2026-11-20T18:00:00+08:00').getTime(),
        id: 'u9:announce.send:N1001',
        ref: 'N1001',
        summary: '北堡村，4 人：明天开会',
        time: '2026-11-20T18:00:00+08:00',
      },
    ]);
    expect(JSON.parse((await audit('--json', '--user', 'nobody')).out)).toEqual([]);
  });

  it('refuses a wrong command line with a usage error before opening anything', async () => {
    const before = opened;
    const refused = async (...argv: string[]) => {
      const err = await audit(...argv).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UsageError);
      return (err as Error).message;
    };
    const unknownKind = await refused('--kind', 'leave.aprove');
    expect(unknownKind).toContain('unknown kind "leave.aprove"');
    for (const k of AUDIT_KINDS) expect(unknownKind).toContain(k);
    expect(await refused('--since', 'yesterday')).toMatch(/^--since: not a date, time or duration: yesterday/);
    expect(await refused('--since', '2026-02-30')).toContain('--since: not a date');
    expect(await refused('--until', '7x')).toContain('--until: not a date');
    expect(await refused('--since', '2026-11-20', '--until', '2026-11-19')).toContain('is after');
    expect(await refused('--user', '')).toContain('--user needs a userid');
    expect(await refused('--kind', '')).toContain('unknown kind');
    expect(await refused('--bogus')).toContain('usage: zhucun audit');
    expect(await refused('Q1001')).toContain('usage: zhucun audit');
    expect(opened).toBe(before);
  });

  it('is a subcommand of zhucun: a usage error exits 2', async () => {
    expect(await main(['audit', '--kind', 'nonsense'], { LOG_LEVEL: 'silent' })).toBe(2);
    expect(await main(['audit', '--since', 'soon'], { LOG_LEVEL: 'silent' })).toBe(2);
  });
});
