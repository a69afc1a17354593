import { beforeAll, describe, expect, it } from 'vitest';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { leaveBot, recordingLogger } from '../helpers/leave-bot.js';

const t = useTestRedis();
const logged = recordingLogger();
// Friday 20 November 2026.
const b = leaveBot(t, '2026-11-20T09:00:00+08:00', { log: logged.log });

beforeAll(() => b.setup());

const cardOf = (key: string) => {
  const m = b.outbox.queued.find((q) => q.key === key);
  return m?.body.type === 'card' ? (m.body.card.description ?? '') : '';
};
const skipWarnings = () =>
  logged.lines.filter((l) => l.msg === 'leave approval step has nobody on the roster; skipped');

describe('a step of the chain with nobody on the roster is skipped, and everyone is told', () => {
  it('three days of a cadre whose sending unit has no leader: the reply, the card and the log say so', async () => {
    const reply = await b.say('ZhaoWenBo', '请假 事假 11月23日至25日 家中有事');
    expect(reply?.text).toContain('现等待乡镇(街道)负责同志李振华、王海燕审批。（派出单位未配置审批人，此步跳过）');
    expect(await b.repo.get('Q1001')).toMatchObject({ steps: [{ kind: 'township' }], skipped: ['sending-unit'] });
    expect(cardOf('leave:Q1001:step:0')).toContain('（派出单位未配置审批人，此步跳过）');
    expect(skipWarnings()).toEqual([
      expect.objectContaining({ level: 40, no: 'Q1001', role: 'sending-unit', cadre: 'ZhaoWenBo' }),
    ]);
  });

  it('a long leave without an organisation-department approver goes without that step, and every card says so', async () => {
    const data = sampleRosterData();
    await b.deps.roster.replace({ ...data, supervisors: data.supervisors.filter((s) => s.kind !== 'org-department') });
    try {
      const reply = await b.say('LiXiaoYan', '请假 病假 12月1日至12月5日 住院');
      expect(reply?.text).toContain('之后还需派出单位领导审批。（县委组织部未配置审批人，此步跳过）');
      expect(cardOf('leave:Q1002:step:0')).toContain('（县委组织部未配置审批人，此步跳过）');
      await b.say('LiZhenHua', '同意 Q1002');
      expect(cardOf('leave:Q1002:step:1')).toContain('（县委组织部未配置审批人，此步跳过）');
      expect(skipWarnings().at(-1)).toMatchObject({ level: 40, no: 'Q1002', role: 'org' });
    } finally {
      await b.setup();
    }
  });

  it('a chain with every role present says nothing of skipping', async () => {
    const reply = await b.say('LiuFang', '请假 事假 12月8日至9日 办证');
    expect(reply?.text).not.toContain('跳过');
    expect(cardOf('leave:Q1003:step:0')).not.toContain('跳过');
  });
});
