import { beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/core/bot.js';
import { parsePolicy } from '../../src/policy/policy.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { textUpdate } from '../helpers/bot.js';
import { leaveRegistry } from '../helpers/leave-bot.js';

const t = useTestRedis();
// A county that grants 探亲假 (a leave type the defaults do not have) and calls it 回乡探亲 as well.
const policy = parsePolicy('leave:\n  types:\n    探亲假: { class: absent, maxDays: 20, aliases: [回乡探亲] }\n');
const deps = testDeps(t, {
  clock: { now: () => new Date('2026-11-20T09:00:00+08:00') },
  outbox: new RecordingOutbox(),
  policy,
});
const bot = new Bot(deps, leaveRegistry());
const registry = leaveRegistry();

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
});

describe('recognising a leave sentence without 请假', () => {
  it('reads the county policy’s leave types, not the defaults', async () => {
    const r = await bot.handle(textUpdate('rp1', 'LiXiaoYan', '11月23日起探亲假两天 看望父母', new Date()));
    expect(r.reply?.text).toContain('Q1001');
  });

  it('matches by the county’s own type names through the registry', () => {
    expect(registry.matchText('下周一回乡探亲 两天', { deps: { policy } })?.spec.id).toBe('leave');
    expect(registry.matchText('下周一回乡探亲 两天', { deps: { policy: parsePolicy('') } })).toBeUndefined();
  });
});
