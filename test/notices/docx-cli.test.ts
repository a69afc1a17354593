/**
 * The printable notice (.docx, read back from word/document.xml in order) and `zhucun notices`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/notices.js';
import { silentLogger } from '../../src/log.js';
import { noticeDocx } from '../../src/notices/docx.js';
import { closed, issue, withAnswer } from '../../src/notices/notice.js';
import { NoticeRepo } from '../../src/notices/repo.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import { RosterStore } from '../../src/roster/store.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const dir = await mkdtemp(join(tmpdir(), 'zhucun-notices-'));
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
  const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), log: silentLogger, env: {} };
  return { io, out: () => out, err: () => err };
}

/** The `<w:t>` texts of a .docx, in document order. */
async function texts(bytes: Buffer): Promise<string[]> {
  const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  const roster = new RosterStore(t.redis, t.keys);
  await roster.replace(sampleRosterData());
  const r = await roster.get();
  const policy = defaultPolicy();
  const now = new Date('2026-11-03T10:00:00+08:00');
  const draft = {
    kind: 'rectify' as const,
    cadre: r.cadres.get('LiXiaoYan')!,
    trigger: 'attendance' as const,
    triggerId: 'attendance:LiXiaoYan:2026-10:rectify',
    reason: '10月在村 15 天，低于当月目标 18 天（差 3 天）',
    facts: ['10月在村 15 天，月目标 18 天。'],
    issuedBy: 'job:warning-ladder',
  };
  const z = issue(draft, 'Z2026-014', { now, roster: r, policy });
  const answered = withAnswer(
    z,
    '10月下旬参加县里培训未登记，已补办请假',
    'LiXiaoYan',
    new Date('2026-11-05T09:00:00+08:00'),
  );
  const done = closed(answered, 'LiZhenHua', new Date('2026-11-06T15:00:00+08:00'), '情况属实');
  const t2 = issue({ ...draft, kind: 'remind', triggerId: 'x', reason: '提醒' }, 'T2026-001', {
    now,
    roster: r,
    policy,
  });
  const tx = new Tx();
  const repo = new NoticeRepo(t.redis, t.keys);
  repo.save(tx, done);
  repo.save(tx, t2);
  await tx.commit(t.redis);
});

describe('the .docx of a notice', () => {
  it('prints title, number, recipient, facts, requirement, deadline, issuer and date, answer and review in order', async () => {
    const n = (await new NoticeRepo(t.redis, t.keys).get('Z2026-014'))!;
    const words = await texts(await noticeDocx(n, await new RosterStore(t.redis, t.keys).get()));
    const joined = words.join('|');
    const order = [
      '驻村干部整改通知单',
      '编号：',
      'Z2026-014',
      '姓名：',
      '李晓燕（县财政局派驻新田乡北堡村，委员）',
      '事实：',
      '10月在村 15 天，低于当月目标 18 天（差 3 天）。',
      '10月在村 15 天，月目标 18 天。',
      '要求：',
      '请写明原因和整改措施，回复「整改说明 Z2026-014 内容」，由乡镇（街道）负责同志审核销号。',
      '期限：',
      '请于2026年11月10日前回复。',
      '开具：',
      '县委组织部（系统按规则自动开具），2026年11月3日',
      '整改说明：',
      '10月下旬参加县里培训未登记，已补办请假（李晓燕，11月5日 09:00）',
      '审核意见：',
      '已销号（李振华，11月6日 15:00）：情况属实',
    ];
    expect(words).toEqual(order);
    expect(joined.indexOf('Z2026-014')).toBeLessThan(joined.indexOf('李晓燕'));
  });
});

describe('zhucun notices', () => {
  it('lists a month with each notice state (--json)', async () => {
    const c = capture();
    expect(await run(['--month', '2026-11', '--json'], c.io, open)).toBe(0);
    const doc = JSON.parse(c.out()) as { month: string; notices: { number: string; state: string }[] };
    expect(doc.month).toBe('2026-11');
    expect(doc.notices.map((n) => `${n.number} ${n.state}`).sort()).toEqual(['T2026-001 issued', 'Z2026-014 closed']);
    const plain = capture();
    expect(await run(['--month', '2026-10'], plain.io, open)).toBe(0);
    expect(plain.out()).toBe('notices issued in 2026-10: 0\n');
  });

  it('writes one notice as .docx; an unknown number fails, a bad command line is a usage error', async () => {
    const file = join(dir, 'z.docx');
    const c = capture();
    expect(await run(['docx', 'z2026-14', '--out', file], c.io, open)).toBe(0);
    expect(c.out()).toBe(`wrote ${file}: Z2026-014\n`);
    expect((await texts(await readFile(file)))[2]).toBe('Z2026-014');
    const missing = capture();
    expect(await run(['docx', 'Z2026-099', '--out', file], missing.io, open)).toBe(1);
    expect(missing.err()).toBe('no notice Z2026-099\n');
    await expect(run(['docx'], capture().io, open)).rejects.toBeInstanceOf(UsageError);
    await expect(run(['print'], capture().io, open)).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--month', '2026-13'], capture().io, open)).rejects.toThrow();
  });
});
