import { describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { BurdenGuard } from '../../src/schedule/burden.js';
import { useTestRedis } from '../helpers/redis.js';
import { Keys } from '../../src/redis/keys.js';

const t = useTestRedis();
let n = 0;
/** A guard on a fresh namespace inside the file's, so each test starts with empty counters. */
function guard(): { g: BurdenGuard; keys: Keys } {
  const keys = new Keys(`${t.keys.ns}:b${++n}`);
  return { g: new BurdenGuard(t.redis, keys, defaultPolicy().push), keys };
}
const msg = (key: string, purpose: string, ...userIds: string[]): Outbound => ({
  key,
  to: { kind: 'user', userIds },
  body: { type: 'text', content: key },
  purpose,
});
const sh = (s: string) => new Date(`2026-11-18T${s}+08:00`);

describe('burden rules', () => {
  it('drops reminders in quiet hours and counts them, never queues them for later', async () => {
    const { g } = guard();
    const r = await g.apply([msg('r1', 'reminder', 'a'), msg('r2', 'reminder', 'b')], sh('21:30:00'));
    expect(r.send).toEqual([]);
    expect(r.dropped).toEqual([
      { key: 'r1', userId: 'a', reason: 'quiet-hours' },
      { key: 'r2', userId: 'b', reason: 'quiet-hours' },
    ]);
    expect(await g.droppedCounts('2026-11-18')).toEqual({ 'quiet-hours': 2, budget: 0 });
  });

  it('lets each person have the daily budget of reminders, then drops and counts', async () => {
    const { g, keys } = guard();
    const r = await g.apply(
      [msg('r1', 'reminder', 'a'), msg('r2', 'reminder', 'a'), msg('r3', 'reminder', 'a'), msg('r4', 'reminder', 'b')],
      sh('09:30:00'),
    );
    expect(r.send.map((m) => m.key)).toEqual(['r1', 'r2', 'r4']);
    expect(r.dropped).toEqual([{ key: 'r3', userId: 'a', reason: 'budget' }]);
    const later = await g.apply([msg('r5', 'reminder', 'a')], sh('15:00:00'));
    expect(later.dropped).toEqual([{ key: 'r5', userId: 'a', reason: 'budget' }]);
    expect(await g.droppedCounts('2026-11-18')).toEqual({ 'quiet-hours': 0, budget: 2 });
    expect(await t.redis.hget(keys.pushBudget('2026-11-18'), 'a')).toBe('2');
    // A new day, a new budget.
    const tomorrow = await g.apply([msg('r6', 'reminder', 'a')], new Date('2026-11-19T09:30:00+08:00'));
    expect(tomorrow.send.map((m) => m.key)).toEqual(['r6']);
  });

  it('trims a reminder to several people to those with budget left', async () => {
    const { g } = guard();
    await g.apply([msg('x1', 'reminder', 'a'), msg('x2', 'reminder', 'a')], sh('10:00:00'));
    const r = await g.apply([msg('both', 'reminder', 'a', 'b')], sh('10:00:00'));
    expect(r.send).toEqual([{ ...msg('both', 'reminder', 'b') }]);
    expect(r.dropped).toEqual([{ key: 'both', userId: 'a', reason: 'budget' }]);
  });

  it('never holds back announcements, approvals or digests, and they use no budget', async () => {
    const { g } = guard();
    const others = [
      msg('n1', 'announcement', 'a'),
      msg('p1', 'approval', 'a'),
      msg('d1', 'digest', 'a'),
      msg('n2', 'announcement', 'a'),
    ];
    expect((await g.apply(others, sh('22:00:00'))).send).toEqual(others);
    expect((await g.apply(others, sh('10:00:00'))).send).toEqual(others);
    const r = await g.apply([msg('r1', 'reminder', 'a'), msg('r2', 'reminder', 'a')], sh('10:00:00'));
    expect(r.send).toHaveLength(2);
  });

  it('charges a repeated run once and counts a drop once', async () => {
    const { g } = guard();
    const batch = [msg('r1', 'reminder', 'a'), msg('r2', 'reminder', 'a'), msg('r3', 'reminder', 'a')];
    const first = await g.apply(batch, sh('09:30:00'));
    const second = await g.apply(batch, sh('09:31:00'));
    expect(second).toEqual(first);
    expect(await g.droppedCounts('2026-11-18')).toEqual({ 'quiet-hours': 0, budget: 1 });
  });

  it('previews without changing the counters', async () => {
    const { g, keys } = guard();
    const batch = [msg('r1', 'reminder', 'a'), msg('r2', 'reminder', 'a'), msg('r3', 'reminder', 'a')];
    const preview = await g.preview(batch, sh('09:30:00'));
    expect(preview.send.map((m) => m.key)).toEqual(['r1', 'r2']);
    expect(preview.dropped).toEqual([{ key: 'r3', userId: 'a', reason: 'budget' }]);
    expect((await g.preview(batch, sh('23:00:00'))).dropped.map((d) => d.reason)).toEqual([
      'quiet-hours',
      'quiet-hours',
      'quiet-hours',
    ]);
    expect(await t.redis.exists(keys.pushBudget('2026-11-18'), keys.pushDropped('2026-11-18'))).toBe(0);
    expect(await g.apply(batch, sh('09:30:00'))).toEqual(preview);
  });
});
