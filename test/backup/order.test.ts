/**
 * The order a backup reads keys in keeps related records together: a closed month's mark (in the policy
 * history) is read before its figures, so a snapshot taken while a month is being closed never holds a closed
 * month without its figures; de-duplication records come before the data they vouch for.
 */
import { describe, expect, it } from 'vitest';
import { phaseOf } from '../../src/backup/select.js';

describe('the read order of a backup', () => {
  it('reads the closed months before their figures, and seen records before the data', () => {
    const order = ['seen', 'markers', 'closings', 'data'];
    const rank = (rel: string) => order.indexOf(phaseOf(rel));
    expect(rank('{policy}:closed')).toBeLessThan(rank('{close:2026-11}:figures'));
    expect(rank('{policy}:versions')).toBe(rank('{policy}:closed'));
    expect(rank('{u:LiXiaoYan}:seen:m1')).toBeLessThan(rank('{u:LiXiaoYan}:checkins:2026-11'));
    expect(rank('{ob:ann:N1:x}:sent')).toBeLessThan(rank('{outbox}:outbox:wait'));
  });
});
