import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../helpers/redis.js';
import { dataSnapshot, leaveAndBackfillRegistry, leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 20 November 2026.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00', { registry: leaveAndBackfillRegistry() });

beforeAll(() => b.setup());

/** Runs `act` and checks it changed no data and queued no message; returns the reply text. */
async function unchanged(act: () => Promise<{ text?: string } | null>): Promise<string> {
  const before = await dataSnapshot(t);
  const queued = b.outbox.queued.length;
  const reply = await act();
  expect(await dataSnapshot(t)).toEqual(before);
  expect(b.outbox.queued.length).toBe(queued);
  return reply?.text ?? '';
}

describe('a back-fill waiting on the same supervisor does not confuse 同意 and 驳回', () => {
  it('with only back-fill B1001 waiting, 同意 says no leave waits and points to the back-fill', async () => {
    expect((await b.say('LiXiaoYan', '补登 昨天 山里没信号'))?.text).toContain('补登申请 B1001 已提交');
    expect(await unchanged(() => b.say('LiZhenHua', '同意'))).toBe(
      '目前没有等待您审批的请假。另有补登申请 B1001 等您确认，请发「确认补登 B1001」。',
    );
  });

  it('with B1001 and Q1001 waiting, 同意 alone decides the one leave', async () => {
    expect((await b.say('LiXiaoYan', '请假 事假 11月25日 家中有事'))?.text).toContain('Q1001');
    expect((await b.say('LiZhenHua', '同意'))?.text).toContain('已同意李晓燕的请假 Q1001');
    expect((await b.repo.get('Q1001'))!.status).toBe('approved');
  });

  it('同意 B1001 and 驳回 B1001 point to the back-fill commands and change nothing', async () => {
    expect((await b.say('ZhaoWenBo', '请假 事假 11月26日 办证'))?.text).toContain('Q1002');
    expect(await unchanged(() => b.say('LiZhenHua', '同意 B1001'))).toBe(
      'B1001 是补登申请，不是请假，「同意」「驳回」只处理请假。确认请发「确认补登 B1001」。',
    );
    expect(await unchanged(() => b.say('LiZhenHua', '驳回 b1001 当天在县城'))).toBe(
      'B1001 是补登申请，不是请假，「同意」「驳回」只处理请假。驳回请发「驳回补登 B1001 原因」。',
    );
  });

  it('the back-fill is still there to confirm', async () => {
    expect((await b.say('LiZhenHua', '确认补登 B1001'))?.text).toContain('已确认 李晓燕 11月19日 的补登');
  });
});
