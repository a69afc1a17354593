import { beforeAll, describe, expect, it } from 'vitest';
import { knownPerson } from '../../../src/core/middleware/known-person.js';
import { testDeps } from '../../helpers/deps.js';
import { useTestRedis } from '../../helpers/redis.js';
import { clickUpdate, counter, rosterData, textUpdate, turn } from './support.js';

const t = useTestRedis();
const deps = testDeps(t);

beforeAll(async () => {
  await deps.roster.replace(rosterData);
});

describe('knownPerson', () => {
  it('puts the writer and the roster on the context and goes on', async () => {
    const ctx = turn(textUpdate('签到'), { deps });
    const next = counter();
    await knownPerson(ctx, next.next);
    expect(next.calls()).toBe(1);
    expect(ctx.person).toMatchObject({ userid: 'c1', name: '示例甲', roles: ['cadre'] });
    expect(ctx.roster?.villages.get('bb')?.name).toBe('北堡村');
  });

  it('tells someone not on the roster whom to ask, and stops', async () => {
    const ctx = turn(textUpdate('签到', { userId: 'stranger' }), { deps });
    const next = counter();
    await knownPerson(ctx, next.next);
    expect(next.calls()).toBe(0);
    expect(ctx.reply?.text).toContain('组织部示例');
    expect(ctx.person).toBeUndefined();
  });

  it('answers a stranger’s card click, since they did click', async () => {
    const ctx = turn(clickUpdate('leave-approve:Q1', 'stranger'), { deps });
    await knownPerson(ctx, counter().next);
    expect(ctx.reply?.text).toContain('组织部示例');
  });

  it('stays silent for what a stranger did not send: other events and automatic locations', async () => {
    const stranger = { userId: 'stranger', text: undefined };
    const entered = turn(textUpdate('', { ...stranger, kind: 'event', event: { type: 'enter_agent' } }), { deps });
    const located = turn(
      textUpdate('', { ...stranger, kind: 'location', location: { lat: 1, lng: 1, source: 'auto' } }),
      { deps },
    );
    const next = counter();
    for (const ctx of [entered, located]) {
      ctx.reply = { text: 'unchanged?' };
      await knownPerson(ctx, next.next);
      expect(ctx.reply).toBeNull();
    }
    expect(next.calls()).toBe(0);
  });
});
