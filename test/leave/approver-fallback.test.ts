/**
 * A level of the approval chain with nobody on the roster for the cadre goes to the next level up (team leader
 * → township → sending unit → organisation department), never dropped; with nobody at the top either, the
 * request is refused. (Rewritten from the old skipped-step tests, which asserted that such a step was skipped.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Tx } from '../../src/redis/tx.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { dataSnapshot, leaveBot, recordingLogger } from '../helpers/leave-bot.js';

const t = useTestRedis();
const logged = recordingLogger();
// Friday 20 November 2026.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00', { log: logged.log });

beforeAll(() => b.setup());

const cardOf = (key: string) => {
  const m = b.outbox.queued.find((q) => q.key === key);
  return m?.body.type === 'card' ? (m.body.card.description ?? '') : '';
};
const levelUpWarnings = () =>
  logged.lines.filter((l) => l.msg === 'leave approval level has nobody on the roster; the next level up decides');

/** Replace the roster without some supervisors for the duration of `act`. */
async function withoutSupervisors(drop: (s: { kind: string; scope: string }) => boolean, act: () => Promise<void>) {
  const data = sampleRosterData();
  await b.deps.roster.replace({ ...data, supervisors: data.supervisors.filter((s) => !drop(s)) });
  try {
    await act();
  } finally {
    await b.setup();
  }
}

describe('a level with nobody on the roster goes to the next level up', () => {
  it('three days of a cadre whose sending unit has no leader: the organisation department decides that step', async () => {
    const reply = await b.say('ZhaoWenBo', '请假 事假 11月23日至25日 家中有事');
    expect(reply?.text).toContain('现等待乡镇（街道）负责同志李振华、王海燕审批，之后还需县委组织部审批。');
    expect(reply?.text).toContain('派出单位未设审批人，由县委组织部审批。');
    expect(reply?.text).not.toContain('跳过');
    expect((await b.repo.get('Q1001'))!.steps).toEqual([
      { kind: 'township', approvers: ['LiZhenHua', 'WangHaiYan'] },
      { kind: 'org', approvers: ['WuJianZhong', 'ChangXiaoMin'], covers: ['sending-unit'] },
    ]);
    expect(levelUpWarnings()).toEqual([
      expect.objectContaining({ level: 40, no: 'Q1001', covers: ['sending-unit'], by: 'org', cadre: 'ZhaoWenBo' }),
    ]);
    await b.say('LiZhenHua', '同意 Q1001');
    const card = cardOf('leave:Q1001:step:1');
    expect(card).toContain('第2步，共2步；李振华已同意');
    expect(card).toContain('派出单位未设审批人，由县委组织部审批。');
    expect(await b.repo.inbox('WuJianZhong')).toEqual(['Q1001']);
  });

  it('a long leave of that cadre asks the organisation department once, for both levels', async () => {
    const reply = await b.say('ZhaoWenBo', '请假 病假 12月7日至12月11日 住院');
    expect(reply?.text).toContain('之后还需县委组织部审批。');
    expect((await b.repo.get('Q1002'))!.steps.map((s) => [s.kind, s.covers])).toEqual([
      ['township', undefined],
      ['org', ['sending-unit']],
    ]);
  });

  it('a township without a supervisor: its step goes to the sending unit, and the first card says so', async () => {
    await withoutSupervisors(
      (s) => s.kind === 'township' && s.scope === 'xintian',
      async () => {
        const reply = await b.say('LiXiaoYan', '请假 事假 11月23日 办证');
        expect(reply?.text).toContain('现等待派出单位领导杜宏伟审批。');
        expect(reply?.text).toContain('乡镇（街道）未设审批人，由派出单位领导审批。');
        expect((await b.repo.get('Q1003'))!.steps).toEqual([
          { kind: 'sending-unit', approvers: ['DuHongWei'], covers: ['township'] },
        ]);
        expect(cardOf('leave:Q1003:step:0')).toContain('乡镇（街道）未设审批人，由派出单位领导审批。');
      },
    );
  });

  it('a township and a sending unit both without anyone: the organisation department takes both', async () => {
    await withoutSupervisors(
      (s) => s.kind === 'township' && s.scope === 'xintian',
      async () => {
        await b.say('SunLiJuan', '请假 事假 11月24日 办证');
        expect((await b.repo.get('Q1004'))!.steps).toEqual([
          { kind: 'org', approvers: ['WuJianZhong', 'ChangXiaoMin'], covers: ['township', 'sending-unit'] },
        ]);
        expect(cardOf('leave:Q1004:step:0')).toContain('乡镇（街道）、派出单位未设审批人，由县委组织部审批。');
      },
    );
  });

  it('with nobody in the organisation department, a leave that needs it is refused and an error logged', async () => {
    await withoutSupervisors(
      (s) => s.kind === 'org-department',
      async () => {
        const before = await dataSnapshot(t);
        const queued = b.outbox.queued.length;
        const reply = await b.say('LiXiaoYan', '请假 病假 12月14日至12月18日 住院');
        expect(reply?.text).toBe(
          '名册中没有可以审批您请假的负责同志（县委组织部也未设审批人），暂时无法提交。请直接联系县委组织部请假，并请其完善名册。',
        );
        expect(await dataSnapshot(t)).toEqual(before);
        expect(b.outbox.queued.length).toBe(queued);
        expect(logged.lines.find((l) => l.level === 50)).toMatchObject({
          cadre: 'LiXiaoYan',
          role: 'org',
          msg: 'leave has no approver at any level up to the organisation department',
        });
      },
    );
  });

  it('a chain with every role present says nothing of a level taken over', async () => {
    const reply = await b.say('LiuFang', '请假 事假 12月8日至9日 办证');
    expect(reply?.text).not.toContain('未设审批人');
    expect(cardOf('leave:Q1005:step:0')).not.toContain('未设审批人');
  });

  it('an old request stored with skipped steps is still read, and its later cards still say so', async () => {
    const old: LeaveRequest = {
      no: 'Q0999',
      userId: 'ZhaoWenBo',
      type: '事假',
      class: 'absent',
      start: '2026-12-21',
      end: '2026-12-22',
      days: 2,
      reason: '旧申请',
      createdAt: '2026-11-19T01:00:00.000Z',
      status: 'pending',
      steps: [
        { kind: 'township', approvers: ['LiZhenHua'] },
        { kind: 'org', approvers: ['WuJianZhong'] },
      ],
      skipped: ['sending-unit'],
    };
    const tx = new Tx();
    b.repo.save(tx, old);
    await tx.commit(t.redis);
    await b.say('LiZhenHua', '同意 Q0999');
    expect(cardOf('leave:Q0999:step:1')).toContain('（派出单位未配置审批人，此步跳过）');
  });
});
