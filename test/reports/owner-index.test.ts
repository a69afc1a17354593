/**
 * The report-number owner index in buckets of a hundred numbers (src/reports/repo.ts): a new report is found by
 * number through its bucket, each bucket stays a small listpack, and a number indexed before the buckets (in the
 * single hash) is still found.
 */
import { describe, expect, it } from 'vitest';
import { OWNER_BUCKET, ownerBucket, ReportRepo } from '../../src/reports/repo.js';
import { Tx } from '../../src/redis/tx.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const repo = new ReportRepo(t.redis, t.keys);
const report = (no: string, userId: string) => ({
  no,
  userId,
  text: `汇报 ${no}`,
  tags: [],
  households: 0,
  createdAt: '2026-03-02T10:00:00.000Z',
});

describe('the report owner index', () => {
  it('files numbers by hundreds, finds them, and still finds numbers of the single hash', async () => {
    expect(ownerBucket(t.keys, 'H1234')).toBe(`${t.keys.owner('report')}:12`);
    expect(ownerBucket(t.keys, 'HX')).toBe(t.keys.owner('report'));
    const tx = new Tx();
    for (let n = 1001; n <= 1250; n++) repo.save(tx, report(`H${n}`, `u${n % 7}`));
    await tx.commit(t.redis);
    expect(await t.redis.exists(t.keys.owner('report'))).toBe(0);
    expect(await t.redis.hlen(`${t.keys.owner('report')}:10`)).toBe(OWNER_BUCKET - 1);
    expect(await t.redis.object('ENCODING', `${t.keys.owner('report')}:11`)).toBe('listpack');
    expect((await repo.get('h1234'))?.userId).toBe('u2');
    expect(await repo.get('H1251')).toBeUndefined();

    // Indexed by the release before the buckets: in the single hash.
    await t.redis.hset(t.keys.owner('report'), 'H0900', 'u-old');
    await t.redis.hset(t.keys.reports('u-old'), 'H0900', JSON.stringify(report('H0900', 'u-old')));
    expect(await repo.get('H0900')).toMatchObject({ no: 'H0900', userId: 'u-old', text: '汇报 H0900' });
  });
});
