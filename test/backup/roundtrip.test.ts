/**
 * The snapshot file itself: every Redis type the bot uses comes back byte for byte (binary presence bitmaps
 * included) with its remaining time to live and its stream ids; transient keys stay out; the file is written
 * with mode 0600 through a temporary file; taking and restoring are recorded in the audit trail.
 */
import { formatStamp, SCHEMA_VERSION } from '../../src/migrate/version.js';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/backup/format.js';
import { readNamespace } from '../../src/backup/read.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { takeBackup } from '../../src/backup/take.js';
import { wipeNamespace } from '../../src/redis/wipe.js';
import { Keys } from '../../src/redis/keys.js';
import { testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const k = t.keys;
const NOW = new Date('2026-11-18T02:00:00+08:00');
const target = { ...t, keys: new Keys(`${k.ns}r`) };
afterAll(() => wipeNamespace(t.redis, target.keys.ns));

async function populate(): Promise<void> {
  const r = t.redis;
  await r.set(k.storeKind(), 'production');
  await r.set(k.schemaVersion(), formatStamp({ version: SCHEMA_VERSION, minReader: 0, by: 'test' }));
  // A presence bitmap: not valid UTF-8.
  await r.setbit(k.presence('LiXiaoYan', 2026), 5, 1);
  await r.setbit(k.presence('LiXiaoYan', 2026), 300, 1);
  await r.hset(k.leaves('LiXiaoYan'), 'Q1001', JSON.stringify({ no: 'Q1001', reason: '家中有事' }));
  await r.sadd(k.inbox('LiZhenHua'), 'Q1001', 'B1002');
  await r.zadd(`${k.queuePrefix()}:outbox:delayed`, 1_700_000_000_000, 'job-1', '3.5', 'job-2');
  await r.rpush(`${k.queuePrefix()}:outbox:wait`, 'a', 'b', 'c');
  await r.xadd(k.audit(), '1780000000000-0', 'e', '{"kind":"leave.approve"}');
  await r.xadd(k.audit(), '1780000000001-3', 'e', '{"kind":"leave.reject"}');
  await r.set(k.seen('LiXiaoYan', 'u1'), '{"reply":null,"outbound":[]}', 'EX', 3600);
  await r.set(k.outboxSent('leave:Q1001:card'), '1', 'EX', 7200);
  await r.set(k.outboxCancelled('ann:N1:x'), '1');
  // Transient: none of these is in a snapshot.
  await r.set(`${k.ns}:{u:LiXiaoYan}:busy:u2`, 'x', 'PX', 10_000);
  await r.set(k.accessToken('ww1', '1000002'), 'token');
  await r.set(k.tokenLock('ww1', '1000002'), 'x');
  await r.set(k.jsTicket('ww1', '1000002', 'agent'), 'ticket');
  await r.zadd(k.rateBucket('user:LiXiaoYan'), 1, 'a');
  await r.set(`${k.rateLimit('checkin')}:127.0.0.1`, '3');
  await r.set(k.checkinState('nonce'), 'x');
  await r.set(k.checkinSession('token'), 'LiXiaoYan');
  await r.set(k.oauthCode('code'), 'x');
  await r.set(k.sandboxSeedLock(), 'x');
  await r.set(`${k.ns}:{store}:migrate:lock`, 'x');
  await r.set(`${k.queuePrefix()}:outbox:7:lock`, 'x');
  await r.set(k.lease('longconn'), 'host:1:token', 'PX', 15_000);
  await r.set(k.leaseFence('longconn'), '7');
}

describe('a snapshot', () => {
  it('holds every data key by type and leaves the transient ones out', async () => {
    await populate();
    const names = (await readNamespace(t.redis, k)).map((r) => r.k);
    expect(names).toEqual(
      [
        '{audit}:stream',
        '{ob:ann:N1:x}:cancelled',
        '{ob:leave:Q1001:card}:sent',
        '{outbox}:outbox:delayed',
        '{outbox}:outbox:wait',
        '{store}:kind',
        '{store}:schema',
        '{u:LiXiaoYan}:leaves',
        '{u:LiXiaoYan}:presence:2026',
        '{u:LiXiaoYan}:seen:u1',
        '{u:LiZhenHua}:inbox',
      ].sort(),
    );
  });

  // The audit entries are recent (within retention.auditYears), so the restore's retention step keeps them.
  it('is written with mode 0600, no temporary file left, and restores into another namespace byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zc-backup-'));
    const file = join(dir, 'snap.jsonl.gz');
    const taken = await takeBackup(t.redis, k, { file, now: NOW, actor: 'cli:test@host', channel: 'cli' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['snap.jsonl.gz']);
    const { header } = parseSnapshot(await readFile(file), SCHEMA_VERSION);
    expect(header).toMatchObject({
      format: 'zhucun-backup',
      formatVersion: 1,
      schemaVersion: SCHEMA_VERSION,
      storeKind: 'production',
      namespace: k.ns,
      takenAt: NOW.toISOString(),
      keys: 11,
    });
    expect(header.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(taken.header).toEqual(header);

    const ctx = { ...testDeps(target), clock: { now: () => NOW } };
    const result = await restoreBackup(await readFile(file), ctx, {
      replace: false,
      target: 'production',
      name: 'snap.jsonl.gz',
      actor: 'cli:test@host',
      channel: 'cli',
    });
    expect(result.written).toBe(11);
    const tk = target.keys;
    expect(await t.redis.getBuffer(tk.presence('LiXiaoYan', 2026))).toEqual(
      await t.redis.getBuffer(k.presence('LiXiaoYan', 2026)),
    );
    expect(await t.redis.zrange(`${tk.queuePrefix()}:outbox:delayed`, 0, -1, 'WITHSCORES')).toEqual([
      'job-2',
      '3.5',
      'job-1',
      '1700000000000',
    ]);
    expect(await t.redis.lrange(`${tk.queuePrefix()}:outbox:wait`, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(await t.redis.smembers(tk.inbox('LiZhenHua'))).toEqual(expect.arrayContaining(['Q1001', 'B1002']));
    const ttl = await t.redis.pttl(tk.seen('LiXiaoYan', 'u1'));
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    expect(await t.redis.pttl(tk.outboxCancelled('ann:N1:x'))).toBe(-1);
    expect(await t.redis.exists(`${tk.ns}:{u:LiXiaoYan}:busy:u2`, tk.accessToken('ww1', '1000002'))).toBe(0);

    // Same data: the source's records equal the target's, the audit stream apart (one more entry each).
    const strip = (rs: Awaited<ReturnType<typeof readNamespace>>) =>
      rs.filter((r) => r.k !== '{audit}:stream').map(({ ttl: _ttl, ...r }) => r);
    expect(strip(await readNamespace(t.redis, tk))).toEqual(strip(await readNamespace(t.redis, k)));

    const audit = async (keys: Keys) =>
      (await t.redis.xrange(keys.audit(), '-', '+')).map(
        ([id, f]) => [id, JSON.parse(f[1]!) as { kind: string }] as const,
      );
    const source = await audit(k);
    const restored = await audit(tk);
    expect(source.map(([, e]) => e.kind)).toEqual(['leave.approve', 'leave.reject', 'backup.take']);
    // The stream's own ids come back; the restore is recorded after them.
    expect(restored.slice(0, 2)).toEqual(source.slice(0, 2));
    expect(restored[2]![1]).toMatchObject({ kind: 'backup.restore', actor: 'cli:test@host', ref: 'snap.jsonl.gz' });
  });
});
