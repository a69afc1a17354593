/**
 * `zhucun person export USERID`: one person's own data as one JSON document (PIPL right of access), from the
 * real repositories on the real Redis; another person's data stays out.
 */
import { appendAudit } from '../../src/audit/trail.js';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeCheckin } from '../../src/attendance/checkin.js';
import { CheckinRepo } from '../../src/attendance/ledger.js';
import { AnnounceRepo } from '../../src/announce/repo.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/person.js';
import { silentLogger } from '../../src/log.js';
import { Tx } from '../../src/redis/tx.js';
import { RosterStore } from '../../src/roster/store.js';
import { PushLogRepo } from '../../src/schedule/push-log.js';
import { leave } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const ME = 'LiXiaoYan';
const OTHER = 'WangJianGuo';
let closed = 0;
const open = async () => ({
  redis: t.redis,
  keys: t.keys,
  roster: new RosterStore(t.redis, t.keys),
  close: async () => void (closed += 1),
});

function capture() {
  let out = '';
  let err = '';
  const io: CliIO = { out: (s) => (out += s), err: (s) => (err += s), log: silentLogger, env: {} };
  return { io, out: () => out, err: () => err };
}

async function checkin(userId: string, date: string, lat: number) {
  const ledger = new CheckinRepo(t.redis, t.keys);
  const record = judgeCheckin(
    {
      id: `page:${userId}:${date}`,
      at: new Date(`${date}T09:00:00+08:00`),
      source: 'page',
      direction: 'in',
      point: { lat, lng: 111.3 },
      accuracyM: 15,
    },
    { lat: 35.66, lng: 111.3 },
    { defaultRadius: 1000, selfReported: 'count', maxSpeedKmh: 120 },
  );
  const tx = new Tx();
  ledger.add(tx, userId, date, await ledger.day(userId, date), record);
  await tx.commit(t.redis);
}

beforeAll(async () => {
  await new RosterStore(t.redis, t.keys).replace(sampleRosterData());
  await checkin(ME, '2026-10-30', 35.661);
  await checkin(ME, '2026-11-02', 35.662);
  await checkin(OTHER, '2026-11-02', 35.9);
  await leave(t, ME, '病假', '2026-11-05', '2026-11-06');
  await leave(t, OTHER, '事假', '2026-11-09', '2026-11-09');
  await t.redis.hset(
    t.keys.backfills(ME),
    'B1001',
    JSON.stringify({ no: 'B1001', userId: ME, date: '2026-11-03', reason: '没信号', status: 'pending' }),
  );
  await t.redis.hset(t.keys.reports(ME), 'H1001', JSON.stringify({ no: 'H1001', userId: ME, text: '走访农户三户' }));
  await t.redis.hset(
    t.keys.warnings(),
    `${ME}:2026-10:rectify`,
    '2026-11-01T02:00:00.000Z',
    `${OTHER}:2026-10:warn`,
    '2026-11-01T02:00:00.000Z',
  );
  const ann = new AnnounceRepo(t.redis, t.keys);
  const tx = new Tx();
  const base = {
    scope: { kind: 'all' },
    sender: 'WuJianZhong',
    senderName: '吴建中',
    createdAt: '2026-11-10T01:00:00.000Z',
  };
  ann.save(tx, { ...base, no: 'N1001', text: '关于防汛的通知', recipients: [ME, OTHER] } as never);
  ann.save(tx, { ...base, no: 'N1002', text: '仅发王建国', recipients: [OTHER] } as never);
  ann.markRead(tx, 'N1001', ME, new Date('2026-11-10T03:00:00.000Z'));
  await tx.commit(t.redis);
  const msg = (key: string, to: string) => ({
    key,
    to: { kind: 'user' as const, userIds: [to] },
    body: { type: 'text' as const, content: 'x' },
    purpose: 'reminder' as const,
  });
  await new PushLogRepo(t.redis, t.keys).record(new Date('2026-11-18T01:30:00.000Z'), [
    msg(`remind:${ME}:2026-11-18`, ME),
    msg(`remind:${OTHER}:2026-11-18`, OTHER),
  ]);
  // A decision about her and one about someone else, in the audit trail.
  const entry = (id: string, subject: string) => ({
    kind: 'leave.approve' as const,
    actor: 'LiZhenHua',
    channel: 'app' as const,
    at: new Date('2026-11-05T02:00:00.000Z').getTime(),
    id,
    ref: id,
    subject,
  });
  await appendAudit(t.redis, t.keys, entry('Q2001', ME));
  await appendAudit(t.redis, t.keys, entry('Q2002', OTHER));
});

describe('zhucun person export', () => {
  it("prints all of one person's data, and nobody else's, as JSON on stdout", async () => {
    const c = capture();
    expect(await run(['export', ME], c.io, open)).toBe(0);
    const doc = JSON.parse(c.out());
    expect(doc.userid).toBe(ME);
    expect(doc.roster.person).toMatchObject({ userid: ME, name: '李晓燕', roles: expect.arrayContaining(['cadre']) });
    expect(Object.keys(doc.checkins)).toEqual(['2026-10-30', '2026-11-02']);
    expect(doc.checkins['2026-11-02'][0]).toMatchObject({ source: 'page', lat: 35.662 });
    expect(doc.presence['2026']).toEqual({ present: ['2026-10-30', '2026-11-02'], selfReported: [] });
    expect(doc.leaves.map((l: { type: string }) => l.type)).toEqual(['病假']);
    expect(doc.backfills).toEqual([expect.objectContaining({ no: 'B1001' })]);
    expect(doc.reports).toEqual([expect.objectContaining({ no: 'H1001', text: '走访农户三户' })]);
    expect(doc.warnings).toEqual([{ month: '2026-10', stage: 'rectify', at: '2026-11-01T02:00:00.000Z' }]);
    expect(doc.announcements).toEqual([
      expect.objectContaining({ no: 'N1001', text: '关于防汛的通知', readAt: '2026-11-10T03:00:00.000Z' }),
    ]);
    expect(doc.pushes).toEqual([expect.objectContaining({ key: `remind:${ME}:2026-11-18`, purpose: 'reminder' })]);
    // Her periods in post, and what the audit trail says about her (the export itself is recorded too).
    expect(doc.assignments).toEqual([expect.objectContaining({ userid: ME, village: 'beibao', to: null })]);
    expect(doc.audit.map((e: { ref?: string }) => e.ref)).toContain('Q2001');
    const text = c.out();
    expect(text).not.toContain('35.9');
    expect(text).not.toContain(OTHER);
    expect(text).not.toContain('事假');
    expect(text).not.toContain('仅发王建国');
    expect(text).not.toContain(`${OTHER}:2026-10:warn`);
  });

  it('--out writes the document to a file only its owner can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'person-export-'));
    const file = join(dir, 'me.json');
    const c = capture();
    expect(await run(['export', ME, '--out', file], c.io, open)).toBe(0);
    expect(c.out()).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).userid).toBe(ME);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(c.err()).toContain(file);
  });

  it('refuses an unknown person, a malformed id and a wrong command line, and always closes', async () => {
    const before = closed;
    const c = capture();
    expect(await run(['export', 'NoSuchPerson'], c.io, open)).toBe(1);
    expect(c.err()).toContain('NoSuchPerson');
    expect(c.out()).toBe('');
    await expect(run(['export', 'a*b'], capture().io, open)).rejects.toThrow(UsageError);
    await expect(run(['export'], capture().io, open)).rejects.toThrow(UsageError);
    await expect(run(['delete', ME], capture().io, open)).rejects.toThrow(UsageError);
    expect(closed).toBe(before + 1);
  });
});
