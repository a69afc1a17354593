import { beforeAll, describe, expect, it } from 'vitest';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { dataSnapshot, leaveBot } from '../helpers/leave-bot.js';

const t = useTestRedis();
// Friday 20 November 2026.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00');

beforeAll(async () => {
  await b.setup();
  // Q1001: LiXiaoYan, 25–27 November, waiting on the township.
  expect((await b.say('LiXiaoYan', '请假 事假 11月25日至27日 家中有事'))?.text).toContain('Q1001');
});

/** Runs `act` and checks it changed no data and queued no message; returns the reply text. */
async function refused(act: () => Promise<{ text?: string } | null>): Promise<string> {
  const before = await dataSnapshot(t);
  const queued = b.outbox.queued.length;
  const reply = await act();
  expect(await dataSnapshot(t)).toEqual(before);
  expect(b.outbox.queued.length).toBe(queued);
  return reply?.text ?? '';
}

describe('a request that cannot go is explained and nothing is saved', () => {
  it('no type: asks, listing the policy types', async () => {
    const text = await refused(() => b.say('LiXiaoYan', '请假 明天 家里有事'));
    expect(text).toContain('请问请什么假？可选：事假、病假、婚假、丧假、产假、陪产假、公差、培训、会议');
  });

  it('an unknown type: says so and lists the types', async () => {
    const text = await refused(() => b.say('LiXiaoYan', '请假 年假 12月1日'));
    expect(text).toContain('「年假」不是规定的请假类型');
    expect(text).toContain('事假、病假');
  });

  it('no dates', async () => {
    expect(await refused(() => b.say('LiXiaoYan', '请假 事假 家中有事'))).toContain('请问哪几天？');
  });

  it('end before start', async () => {
    expect(await refused(() => b.say('LiXiaoYan', '请假 事假 12月5日至12月3日'))).toContain(
      '结束日期12月3日早于开始日期12月5日',
    );
  });

  it("longer than the type's maximum", async () => {
    // From 12月2日: two working days after the pending Q1001 (11月25日至27日), so it is judged on its own.
    const text = await refused(() => b.say('LiXiaoYan', '请假 事假 12月2日至12月16日 回老家'));
    expect(text).toContain('事假单次最长 10 天，您申请了 15 天');
  });

  it('starting too far in the past', async () => {
    const text = await refused(() => b.say('LiXiaoYan', '请假 病假 11月10日 发烧'));
    expect(text).toContain('最多只能从 7 天前（11月13日）开始补请');
  });

  it('overlapping a pending leave', async () => {
    const text = await refused(() => b.say('LiXiaoYan', '请假 病假 11月27日至29日 住院'));
    expect(text).toContain('与您的请假 Q1001（事假 11月25日至27日，3天，审批中）重叠');
  });

  it('from someone who is not a cadre', async () => {
    const text = await refused(() => b.say('LiZhenHua', '请假 事假 明天 家中有事'));
    expect(text).toContain('「请假」仅供驻村干部使用');
  });

  it('with nobody to approve it, the organisation department included: tells them to contact it', async () => {
    const data = sampleRosterData();
    // Without the township and the organisation department (ZhaoWenBo's sending unit has no leader either), no
    // level up is left to take the step.
    const supervisors = data.supervisors.filter((s) => s.scope !== 'xintian' && s.kind !== 'org-department');
    await b.deps.roster.replace({ ...data, supervisors });
    try {
      const text = await refused(() => b.say('ZhaoWenBo', '明天请一天病假 感冒发烧'));
      expect(text).toContain('名册中没有可以审批您请假的负责同志（县委组织部也未设审批人）');
      expect(text).toContain('请直接联系县委组织部请假');
    } finally {
      await b.setup();
    }
  });
});

describe('only the right person may act', () => {
  it('an approver of a later step is told whom the request waits on', async () => {
    const text = await refused(() => b.say('DuHongWei', '同意 Q1001'));
    expect(text).toBe('请假 Q1001 现在等待乡镇（街道）负责同志李振华、王海燕审批，您不是这一步的审批人。');
  });

  it('a team leader who is not an approver is told the same', async () => {
    expect(await refused(() => b.say('WangJianGuo', '同意 Q1001'))).toContain('您不是这一步的审批人');
  });

  it('a cadre cannot approve', async () => {
    expect(await refused(() => b.say('ZhaoWenBo', '同意 Q1001'))).toContain('「同意」仅供');
  });

  it('someone else cannot withdraw', async () => {
    expect(await refused(() => b.say('ZhaoWenBo', '撤回 Q1001'))).toBe('只有申请人本人可以撤回请假 Q1001。');
  });

  it('an unknown number', async () => {
    expect(await refused(() => b.say('LiZhenHua', '同意 Q9999'))).toContain('没有找到请假申请 Q9999');
  });

  it('a mistyped number never withdraws the only pending leave', async () => {
    // LiXiaoYan has exactly one pending request (Q1001): only a bare 撤回 may mean it.
    for (const text of ['撤回 N 1001', '撤回 N1001通知', '撤回 那条假'])
      expect(await refused(() => b.say('LiXiaoYan', text))).toMatch(/请写明要撤回的/);
    expect((await b.repo.get('Q1001'))!.status).toBe('pending');
  });
});

describe('withdrawal and decisions on ended requests', () => {
  it('the requester withdraws; the waiting approvers are told', async () => {
    b.outbox.queued.length = 0;
    const reply = await b.say('LiXiaoYan', '撤回 Q1001');
    expect(reply?.text).toBe('已撤回请假 Q1001（事假 11月25日至27日，3天）。');
    expect((await b.repo.get('Q1001'))!.status).toBe('withdrawn');
    expect(await b.repo.inbox('LiZhenHua')).toEqual([]);
    expect(b.outbox.queued).toEqual([
      {
        key: 'leave:Q1001:withdrawn',
        to: { kind: 'user', userIds: ['LiZhenHua', 'WangHaiYan'] },
        body: {
          type: 'text',
          content:
            '李晓燕已撤回请假 Q1001（事假 11月25日至27日，3天），无需再审批。\n（为什么收到：您是李晓燕所在乡镇（街道）的负责同志，这条请假原本等您审批）',
        },
        purpose: 'approval',
      },
    ]);
  });

  it('a click after the withdrawal changes nothing and the button says so', async () => {
    const before = await dataSnapshot(t);
    const reply = await b.click('LiZhenHua', 'leave-approve:Q1001', 'leave-Q1001-0');
    expect(reply).toEqual({ replaceButton: '已撤回', text: '请假 Q1001 已撤回，无需再处理。' });
    expect(await dataSnapshot(t)).toEqual(before);
  });

  it('approving by text after the withdrawal is refused', async () => {
    expect(await refused(() => b.say('LiZhenHua', '同意 Q1001'))).toBe('请假 Q1001 已撤回，无需再处理。');
  });

  it('withdrawing twice is refused', async () => {
    expect(await refused(() => b.say('LiXiaoYan', '撤回 Q1001'))).toBe('请假 Q1001 已撤回，无需撤回。');
  });

  it('a rejection ends it: requester told, team leader copied, no next card; a second click is harmless', async () => {
    expect((await b.say('LiXiaoYan', '请假 事假 12月7日至8日 办证'))?.text).toContain('Q1002');
    b.outbox.queued.length = 0;
    const reply = await b.click('WangHaiYan', 'leave-reject:Q1002', 'leave-Q1002-0');
    expect(reply?.replaceButton).toBe('已驳回');
    const r = await b.repo.get('Q1002');
    expect(r!.status).toBe('rejected');
    expect(b.outbox.queued.map((m) => [m.key, m.to])).toEqual([
      ['leave:Q1002:rejected', { kind: 'user', userIds: ['LiXiaoYan'] }],
      ['leave:Q1002:copy', { kind: 'user', userIds: ['WangJianGuo'] }],
    ]);
    const again = await refusedClick('WangHaiYan', 'leave-reject:Q1002', 'leave-Q1002-0');
    expect(again).toEqual({ replaceButton: '已驳回', text: expect.stringContaining('这一步已由王海燕驳回') });
    const other = await refusedClick('LiZhenHua', 'leave-approve:Q1002', 'leave-Q1002-0');
    expect(other?.replaceButton).toBe('已驳回');
  });

  it('a rejection by text keeps the reason for the requester', async () => {
    expect((await b.say('LiXiaoYan', '请假 事假 12月10日 办证'))?.text).toContain('Q1003');
    b.outbox.queued.length = 0;
    // The core reads text with full-width punctuation folded (NFKC), so the comma comes back half-width.
    expect((await b.say('LiZhenHua', '驳回 Q1003 近期有检查，请改期'))?.text).toContain('理由：近期有检查,请改期');
    expect(b.outbox.queued[0]!.body).toEqual({
      type: 'text',
      content: expect.stringContaining('李振华驳回，理由：近期有检查,请改期'),
    });
  });
});

async function refusedClick(userId: string, key: string, taskId: string) {
  const before = await dataSnapshot(t);
  const queued = b.outbox.queued.length;
  const reply = await b.click(userId, key, taskId);
  expect(await dataSnapshot(t)).toEqual(before);
  expect(b.outbox.queued.length).toBe(queued);
  return reply;
}
