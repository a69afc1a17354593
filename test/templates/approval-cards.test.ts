import { beforeAll, describe, expect, it } from 'vitest';
import type { Outbound } from '../../src/core/outbound.js';
import { useTestRedis } from '../helpers/redis.js';
import { leaveAndBackfillRegistry, leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 20 November 2026.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00', { registry: leaveAndBackfillRegistry() });

beforeAll(() => b.setup());

function queued(key: string): Outbound {
  const m = b.outbox.queued.find((q) => q.key === key);
  if (!m) throw new Error(`nothing queued under ${key}: ${b.outbox.queued.map((q) => q.key).join(', ')}`);
  return m;
}

const leaveFields = [
  { key: '申请人', value: '李晓燕（北堡村）' },
  { key: '类型', value: '事假' },
  { key: '日期', value: '11月25日至27日' },
  // Issue 12: the card names the counting rule.
  { key: '天数', value: '按扣除法定假日计 3 天' },
  { key: '事由', value: '家中有事' },
];
const leaveButtons = [
  { text: '同意', style: 1, key: 'leave-approve:Q1001' },
  { text: '驳回', style: 3, key: 'leave-reject:Q1001' },
];

describe('the approval cards, whole', () => {
  it('each step of a leave gets a card with 同意 and 驳回', async () => {
    await b.say('LiXiaoYan', '请假 事假 11月25日至27日 家中有事');
    expect(queued('leave:Q1001:step:0')).toEqual({
      key: 'leave:Q1001:step:0',
      to: { kind: 'user', userIds: ['LiZhenHua', 'WangHaiYan'] },
      purpose: 'approval',
      body: {
        type: 'card',
        card: {
          kind: 'button_interaction',
          taskId: 'leave-Q1001-0',
          title: '请假审批 Q1001',
          description:
            '李晓燕申请事假，请审批（第1步，共2步）。也可回复「同意 Q1001」或「驳回 Q1001 原因」。\n' +
            '本月已请假 3 天（含本次，已批准和审批中）。\n' +
            '（为什么收到：您是李晓燕所在乡镇（街道）的负责同志，按本县请假审批规定由您审批）',
          fields: leaveFields,
          buttons: leaveButtons,
        },
      },
    });
    await b.say('LiZhenHua', '同意 Q1001');
    expect(queued('leave:Q1001:step:1')).toEqual({
      key: 'leave:Q1001:step:1',
      to: { kind: 'user', userIds: ['DuHongWei'] },
      purpose: 'approval',
      body: {
        type: 'card',
        card: {
          kind: 'button_interaction',
          taskId: 'leave-Q1001-1',
          title: '请假审批 Q1001',
          description:
            '李晓燕申请事假，请审批（第2步，共2步；李振华已同意）。也可回复「同意 Q1001」或「驳回 Q1001 原因」。\n' +
            '本月已请假 3 天（含本次，已批准和审批中）。\n' +
            '（为什么收到：您是李晓燕派出单位的领导，按本县请假审批规定由您审批）',
          fields: leaveFields,
          buttons: leaveButtons,
        },
      },
    });
  });

  it('a back-fill gets a card with 确认 and 驳回', async () => {
    await b.say('ZhangZhiQiang', '补登 昨天 山里没信号');
    expect(queued('backfill:B1001')).toEqual({
      key: 'backfill:B1001',
      to: { kind: 'user', userIds: ['WangJianGuo', 'LiZhenHua', 'WangHaiYan'] },
      purpose: 'approval',
      body: {
        type: 'card',
        card: {
          kind: 'button_interaction',
          taskId: 'backfill-B1001',
          title: '补登申请 B1001',
          description:
            '张志强（牛村）申请补登 11月19日 的签到。也可回复「确认补登 B1001」或「驳回补登 B1001 原因」。\n' +
            '（为什么收到：您是张志强所在乡镇（街道）的领队或负责同志，补登须由您确认）',
          fields: [
            { key: '日期', value: '2026-11-19' },
            { key: '原因', value: '山里没信号' },
          ],
          buttons: [
            { text: '确认', style: 1, key: 'backfill-confirm:B1001' },
            { text: '驳回', style: 3, key: 'backfill-reject:B1001' },
          ],
        },
      },
    });
  });
});
