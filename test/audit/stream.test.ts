/**
 * The trail's stream: ids whose time is the entry's own (so a window reads only its part of the stream), ids
 * that keep growing when a clock is set back, one reading of each action however often it was written, and
 * windows, people and kinds.
 */
import { Keys } from '../../src/redis/keys.js';
import { describe, expect, it } from 'vitest';
import { appendAudit, stageAudit } from '../../src/audit/trail.js';
import { readAudit } from '../../src/audit/read.js';
import { Tx } from '../../src/redis/tx.js';
import { useTestRedis } from '../helpers/redis.js';
import { entryAt, rawStream, trail } from './helpers.js';

const t = useTestRedis();

describe('the audit stream', () => {
  it('gives each entry a stream id at its own time, and keeps ids growing when the clock goes back', async () => {
    await appendAudit(t.redis, t.keys, entryAt('2026-11-18T09:00:00+08:00', 'a'));
    const tx = new Tx();
    stageAudit(tx, t.keys, entryAt('2026-11-18T09:05:00+08:00', 'b'));
    stageAudit(tx, t.keys, entryAt('2026-11-18T09:05:00+08:00', 'c'));
    await tx.commit(t.redis);
    // A clock set back (the sandbox's "back to now", a corrected server clock): recorded, at the last time.
    await appendAudit(t.redis, t.keys, entryAt('2026-11-18T08:00:00+08:00', 'd'));
    await appendAudit(t.redis, t.keys, entryAt('2026-11-18T09:10:00+08:00', 'e'));

    const at = (iso: string) => new Date(iso).getTime();
    expect(await rawStream(t)).toEqual([
      { ms: at('2026-11-18T09:00:00+08:00'), id: 'a' },
      { ms: at('2026-11-18T09:05:00+08:00'), id: 'b' },
      { ms: at('2026-11-18T09:05:00+08:00'), id: 'c' },
      { ms: at('2026-11-18T09:05:00+08:00'), id: 'd' },
      { ms: at('2026-11-18T09:10:00+08:00'), id: 'e' },
    ]);
    // The entry itself keeps the time it was made, and the reader lists the entries in that time's order.
    expect((await trail(t)).find((e) => e.id === 'd')?.at).toBe(at('2026-11-18T08:00:00+08:00'));
    expect((await trail(t)).map((e) => e.id)).toEqual(['d', 'a', 'b', 'c', 'e']);
    // A window is by the entries' own times: 'd' (08:00, stored among 09:05) is not in one from 09:00.
    const since = at('2026-11-18T09:00:00+08:00');
    expect((await trail(t, { since })).map((e) => e.id)).toEqual(['a', 'b', 'c', 'e']);
    // And one up to 08:30 holds 'd', though its stream id is later.
    expect((await trail(t, { until: at('2026-11-18T08:30:00+08:00') })).map((e) => e.id)).toEqual(['d']);
  });

  it("records an entry older than the stream's last id when retention has emptied the stream", async () => {
    const keys = new Keys(`${t.keys.ns}trim`);
    await appendAudit(t.redis, keys, entryAt('2026-11-20T09:00:00+08:00', 'kept-id'));
    await t.redis.xtrim(keys.audit(), 'MAXLEN', 0);
    const tx = new Tx();
    stageAudit(tx, keys, entryAt('2026-11-20T08:00:00+08:00', 'after-trim'));
    await tx.commit(t.redis);
    expect((await readAudit(t.redis, keys)).entries.map((e) => e.id)).toEqual(['after-trim']);
    await t.redis.del(keys.audit());
  });

  it('reads an action written twice (a commit retried after being partly applied) once, the first', async () => {
    await appendAudit(t.redis, t.keys, entryAt('2026-11-19T10:00:00+08:00', 'twice', { summary: 'first' }));
    await appendAudit(t.redis, t.keys, entryAt('2026-11-19T10:00:01+08:00', 'twice', { summary: 'again' }));
    expect((await rawStream(t)).filter((r) => r.id === 'twice')).toHaveLength(2);
    const read = (await trail(t)).filter((e) => e.id === 'twice');
    expect(read.map((e) => e.summary)).toEqual(['first']);
  });

  it('reads a window by time, and people (who acted or whom it concerned) and kinds', async () => {
    await appendAudit(
      t.redis,
      t.keys,
      entryAt('2026-11-20T10:00:00+08:00', 'w1', { kind: 'leave.reject', actor: 'WangHaiYan', subject: 'LiXiaoYan' }),
    );
    await appendAudit(
      t.redis,
      t.keys,
      entryAt('2026-11-21T10:00:00+08:00', 'w2', { kind: 'announce.send', actor: 'WuJianZhong' }),
    );
    const since = new Date('2026-11-20T00:00:00+08:00').getTime();
    const until = new Date('2026-11-20T23:59:59.999+08:00').getTime();
    expect((await trail(t, { since })).map((e) => e.id)).toEqual(['w1', 'w2']);
    expect((await trail(t, { since, until })).map((e) => e.id)).toEqual(['w1']);
    expect((await trail(t, { users: ['LiXiaoYan'] })).map((e) => e.id)).toEqual(['w1']);
    expect((await trail(t, { users: ['WuJianZhong'] })).map((e) => e.id)).toEqual(['w2']);
    expect((await trail(t, { kinds: ['announce.send', 'leave.reject'] })).map((e) => e.id)).toEqual(['w1', 'w2']);
  });

  it('reads a long trail in pages, and counts stream entries that are not audit entries', async () => {
    const tx = new Tx();
    const start = new Date('2026-11-25T00:00:00+08:00').getTime();
    for (let i = 0; i < 1_200; i++) stageAudit(tx, t.keys, entryAt(new Date(start + i * 1000).toISOString(), `p${i}`));
    await tx.commit(t.redis);
    await t.redis.xadd(t.keys.audit(), `${start + 2_000_000}-0`, 'e', 'not json');
    const read = await readAudit(t.redis, t.keys, { since: start });
    expect(read.entries.map((e) => e.id)).toEqual(Array.from({ length: 1_200 }, (_, i) => `p${i}`));
    expect(read.unreadable).toBe(1);
  });
});
