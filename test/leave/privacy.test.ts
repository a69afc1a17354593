import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../helpers/redis.js';
import { dataSnapshot, leaveAndBackfillRegistry, leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 20 November 2026.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00', { registry: leaveAndBackfillRegistry() });

beforeAll(() => b.setup());

describe('leave and back-fill answers name a person, so they stay out of group chats', () => {
  it('请假 @-mentioned in a group chat is refused with a sentence, and nothing is saved or sent', async () => {
    const before = await dataSnapshot(t);
    const reply = await b.sayInGroup('LiXiaoYan', '请假 事假 11月25日至27日 家中有事');
    expect(reply?.text).toBe(
      '「请假」涉及个人情况，只在与本助手的单聊中回复，不发到群里。请在企业微信里打开「驻村工作助手」应用后再发送。',
    );
    expect(await dataSnapshot(t)).toEqual(before);
    expect(b.outbox.queued).toEqual([]);
  });

  it('the same request in the one-to-one chat goes through', async () => {
    expect((await b.say('LiXiaoYan', '请假 事假 11月25日至27日 家中有事'))?.text).toContain('请假申请 Q1001 已提交');
  });

  it('同意 in a group chat is refused and decides nothing', async () => {
    const before = await dataSnapshot(t);
    expect((await b.sayInGroup('LiZhenHua', '同意 Q1001'))?.text).toContain('「同意」涉及个人情况');
    expect(await dataSnapshot(t)).toEqual(before);
  });

  it('every leave and back-fill command is private', () => {
    const ids = [
      'leave',
      'leave-approve',
      'leave-reject',
      'leave-withdraw',
      'leave-return',
      'my-leave',
      'backfill',
      'backfill-confirm',
      'backfill-reject',
    ];
    const registry = leaveAndBackfillRegistry();
    expect(ids.filter((id) => registry.get(id)?.privateOnly !== true)).toEqual([]);
  });
});
