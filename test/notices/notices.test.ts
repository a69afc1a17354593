/**
 * Numbered notices: the triggers of the daily job, the cadre's answer, 销号, escalation, the hand-issued notice,
 * the refusals (which change nothing), the overdue answer told to the reviewers, and the read function for points.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import rectifyReply from '../../handlers/rectify-reply.js';
import { closeNotice, escalateNotice, issueNotice } from '../../handlers/notices.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Outbound } from '../../src/core/outbound.js';
import { noticeTriggers } from '../../src/jobs/notice-triggers.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { formatNo, readNo } from '../../src/notices/notice.js';
import { NoticeRepo } from '../../src/notices/repo.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import { newProblem } from '../../src/problems/problem.js';
import { ProblemRepo } from '../../src/problems/repo.js';
import { Tx } from '../../src/redis/tx.js';
import { RedisRunCoordinator } from '../../src/schedule/coordinator.js';
import { JobRunner } from '../../src/schedule/runner.js';
import { RecordingOutbox, sampleRosterData, testDeps } from '../helpers/deps.js';
import { testBot } from '../helpers/bot.js';
import { dataSnapshot } from '../helpers/leave-bot.js';
import { approvedLeave } from '../helpers/leave-request.js';
import { useTestRedis } from '../helpers/redis.js';
import { trail } from '../audit/helpers.js';

const t = useTestRedis();
const b = testBot(t, {
  commands: [rectifyReply, closeNotice, escalateNotice, issueNotice],
  start: '2026-05-29T11:00:00+08:00',
});
const repo = new NoticeRepo(t.redis, t.keys);
const text = (m: Outbound | undefined) => (m?.body.type === 'text' ? m.body.content : '');
const to = (m: Outbound) => (m.to.kind === 'user' ? m.to.userIds[0] : '');

/** The notices' keys (a run records itself as the job's last run, which is not a notice). */
async function noticeData() {
  const all = await dataSnapshot(t);
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.includes('{notices}')));
}

async function runJob(iso: string, policy?: Policy) {
  const ctx = testDeps(t, { clock: fixedClock(new Date(iso)), outbox: new RecordingOutbox(), policy });
  return new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0)).runManual(noticeTriggers);
}

beforeAll(async () => {
  // Three cadres of 北堡村 (新田乡: supervisors LiZhenHua, WangHaiYan), term from 28 April, no reports at all.
  const data = sampleRosterData();
  const ids = ['LiXiaoYan', 'ZhaoWenBo', 'SunLiJuan'];
  await b.setup({ ...data, cadres: data.cadres.filter((c) => ids.includes(c.userid)) });
  const roster = await b.deps.roster.get();
  const tx = new Tx();
  // 超假: leave ended 22 May, never reported back.
  new LeaveRepo(t.redis, t.keys).save(tx, approvedLeave('Q1001', 'LiXiaoYan', '2026-05-20', '2026-05-22'));
  // A problem ZhaoWenBo raised on 28 April that nobody answered.
  const zhao = roster.cadres.get('ZhaoWenBo')!;
  new ProblemRepo(t.redis, t.keys).save(
    tx,
    newProblem(
      'P1001',
      roster,
      zhao,
      '村道塌方需要修复',
      { routed: ['LiZhenHua'], listed: [] },
      new Date('2026-04-28T10:00:00+08:00'),
    ),
  );
  await tx.commit(t.redis);
});

describe('numbers', () => {
  it('are written T/Z/J, the year and three digits, and read back from what people type', () => {
    expect(formatNo('rectify', 2026, 14)).toBe('Z2026-014');
    expect(readNo('z2026-14')).toBe('Z2026-014');
    expect(readNo('Ｊ２０２６－００３'.replace('－', '-'))).toBe('J2026-003');
    expect(readNo('Q1001')).toBeUndefined();
  });
});

describe('notice-triggers', () => {
  it('issues a numbered notice per trigger: 六个一, 超假, the unanswered problem; no-report stays off', async () => {
    const r = await runJob('2026-05-29T10:30:00+08:00');
    const all = await repo.issuedBetween('2026-05-01', '2026-05-31');
    expect(all.map((n) => `${n.no} ${n.trigger} ${n.userId} ${n.state}`).sort()).toEqual([
      'T2026-001 problemUnanswered ZhaoWenBo issued',
      'Z2026-001 sixOnes LiXiaoYan open',
      'Z2026-002 leaveOverdue LiXiaoYan open',
      'Z2026-003 sixOnes ZhaoWenBo open',
      'Z2026-004 sixOnes SunLiJuan open',
    ]);
    const leave = all.find((n) => n.trigger === 'leaveOverdue')!;
    expect(leave).toMatchObject({
      reviewer: 'township',
      deadline: '2026-06-05',
      issuedBy: 'job:notice-triggers',
      reason: '假期 Q1001 已于5月22日结束，7 天后仍未销假（超假）',
      township: { id: 'xintian', name: '新田乡' },
    });
    // The notice to the cadre and to both township supervisors, each showing the number.
    const leaveMsgs = r.sent.filter((m) => m.key.startsWith(`notice:${leave.no}:`));
    expect(leaveMsgs.map(to).sort()).toEqual(['LiXiaoYan', 'LiZhenHua', 'WangHaiYan']);
    for (const m of leaveMsgs) expect(text(m)).toContain(`【整改单 ${leave.no}】`);
    expect(text(leaveMsgs.find((m) => to(m) === 'LiXiaoYan'))).toContain(`「整改说明 ${leave.no} 内容」`);
    // A 提醒单 has no reviewer: the cadre alone.
    expect(r.sent.filter((m) => m.key.startsWith('notice:T2026-001:')).map(to)).toEqual(['ZhaoWenBo']);
    const six = all.find((n) => n.no === 'Z2026-003')!;
    expect(six.facts[0]).toBe('已完成 0 项，未完成：#走访、#党课、#实事、#村民说事、#计划、#承诺。');
    // Audited, once per notice.
    expect(
      (await trail(t))
        .filter((e) => e.kind === 'notice.issue')
        .map((e) => e.ref)
        .sort(),
    ).toEqual(all.map((n) => n.no).sort());
    // Once only.
    expect((await runJob('2026-05-30T10:30:00+08:00')).sent).toEqual([]);
  });

  it('issues the no-report notice only when the policy turns it on', async () => {
    const on = defaultPolicy();
    on.notices.triggers.noReport.enabled = true;
    const r = await runJob('2026-05-30T11:00:00+08:00', on);
    const issued = (await repo.issuedBetween('2026-05-30', '2026-05-30')).filter((n) => n.trigger === 'noReport');
    expect(issued.map((n) => n.no).sort()).toEqual(['T2026-002', 'T2026-003', 'T2026-004']);
    expect(text(r.sent.find((m) => m.key === `notice:${issued[0]!.no}:${issued[0]!.userId}`))).toContain(
      '已连续 4 周没有工作汇报',
    );
  });

  it('nothing in quiet hours, and a dry run records nothing', async () => {
    const before = await noticeData();
    const on = defaultPolicy();
    on.notices.triggers.leaveOverdue.days = 1;
    on.notices.triggers.noReport.enabled = true;
    on.notices.triggers.noReport.weeks = 1;
    expect((await runJob('2026-05-31T22:00:00+08:00', on)).sent).toEqual([]);
    const ctx = testDeps(t, {
      clock: fixedClock(new Date('2026-06-10T10:30:00+08:00')),
      outbox: new RecordingOutbox(),
    });
    await new JobRunner(ctx, new RedisRunCoordinator(ctx.redis, ctx.keys, ctx.clock, () => 0)).runManual(
      noticeTriggers,
      { dryRun: true },
    );
    expect(await noticeData()).toEqual(before);
  });
});

describe('answer, 销号 and escalation in chat', () => {
  it('the cadre answers by number; the township supervisors get the answer', async () => {
    b.clock.set('2026-05-30T09:00:00+08:00');
    b.outbox.queued.length = 0;
    expect(await b.ask('LiXiaoYan', '整改说明 Z2026-002 家中老人住院，已于5月29日返村并补办续假手续')).toBe(
      '已收到您对整改单 Z2026-002 的整改说明，已转给乡镇（街道）负责同志审核。',
    );
    const n = (await repo.get('Z2026-002'))!;
    expect(n.state).toBe('answered');
    expect(n.answer?.text).toBe('家中老人住院，已于5月29日返村并补办续假手续');
    expect(b.outbox.queued.map(to).sort()).toEqual(['LiZhenHua', 'WangHaiYan']);
    expect(text(b.outbox.queued[0])).toContain('【整改单 Z2026-002】北堡村李晓燕的整改说明：');
    // Without a number: the latest open one (Z2026-001 is older than Z2026-002, which is answered but open too).
    expect(await b.ask('LiXiaoYan', '整改说明 Z2026-099 我会注意')).toBe(
      'Z2026-099 不是您待回复的通知单，请核对编号。',
    );
  });

  it('refuses bad numbers and the wrong people, changing nothing', async () => {
    const before = await dataSnapshot(t);
    expect(await b.ask('LiZhenHua', '销号 Z2026-999')).toBe('没有编号为 Z2026-999 的通知单，请核对编号。');
    expect(await b.ask('LiZhenHua', '销号 T2026-001')).toBe('T2026-001 是提醒单，无需审核，不能销号或升级。');
    expect(await b.ask('LiZhenHua', '销号 abc')).toContain('请写上通知单编号');
    expect(await b.ask('ZhangGuoDong', '销号 Z2026-002')).toBe(
      'Z2026-002 由乡镇（街道）负责同志审核，您不能销号或升级。',
    );
    expect(await b.ask('WuJianZhong', '升级 Z2026-002 逾期')).toBe(
      'Z2026-002 由乡镇（街道）负责同志审核，您不能销号或升级。',
    );
    expect(await b.ask('LiZhenHua', '升级 Z2026-002')).toContain('请写明升级原因');
    expect(await dataSnapshot(t)).toEqual(before);
  });

  it('销号 closes the notice and tells the cadre; a decided notice is refused', async () => {
    b.outbox.queued.length = 0;
    expect(await b.ask('LiZhenHua', '销号 Z2026-002 情况属实，已补办手续')).toBe('整改单 Z2026-002（李晓燕）已销号。');
    const n = (await repo.get('Z2026-002'))!;
    expect(n.state).toBe('closed');
    expect(n.decision).toMatchObject({ kind: 'close', by: 'LiZhenHua', text: '情况属实，已补办手续' });
    expect(n.steps.map((s) => `${s.kind}:${s.by}`)).toEqual([
      'issue:job:notice-triggers',
      'answer:LiXiaoYan',
      'close:LiZhenHua',
    ]);
    expect(b.outbox.queued.map(to)).toEqual(['LiXiaoYan']);
    expect(text(b.outbox.queued[0])).toContain('经乡镇（街道）负责同志审核，已销号');
    expect(await b.ask('WangHaiYan', '销号 Z2026-002')).toBe('Z2026-002 已销号，不能再次审核。');
    expect((await trail(t)).some((e) => e.kind === 'notice.close' && e.ref === 'Z2026-002')).toBe(true);
  });

  it('升级 turns a 整改单 into a 警示单 for the organisation department; a 警示单 goes no higher', async () => {
    b.outbox.queued.length = 0;
    expect(await b.ask('WangHaiYan', '升级 Z2026-003 到期未完成六个一，也未说明')).toBe(
      '整改单 Z2026-003（赵文博）已升级为警示单 J2026-001，已发给本人和县委组织部。',
    );
    const from = (await repo.get('Z2026-003'))!;
    const j = (await repo.get('J2026-001'))!;
    expect(from).toMatchObject({
      state: 'escalated',
      decision: { kind: 'escalate', by: 'WangHaiYan', to: 'J2026-001' },
    });
    expect(j).toMatchObject({
      kind: 'warn',
      reviewer: 'org',
      from: 'Z2026-003',
      trigger: 'escalation',
      issuedBy: 'WangHaiYan',
      state: 'open',
      deadline: '2026-06-06',
      reason: '整改单 Z2026-003 审核后升级：到期未完成六个一，也未说明',
    });
    expect(j.facts.at(-1)).toBe('原通知单：Z2026-003。');
    expect(b.outbox.queued.map(to).sort()).toEqual(['ChangXiaoMin', 'WuJianZhong', 'ZhaoWenBo']);
    expect(await b.ask('LiZhenHua', '销号 J2026-001')).toBe('J2026-001 由县委组织部审核，您不能销号或升级。');
    expect(await b.ask('WuJianZhong', '升级 J2026-001 再次')).toBe(
      'J2026-001 是警示单，已是最高一级，不能再升级；可发送「销号 J2026-001」。',
    );
    expect(await b.ask('ZhaoWenBo', '整改说明 已补齐六个一，附汇报')).toBe(
      '已收到您对警示单 J2026-001 的整改说明，已转给县委组织部审核。',
    );
    expect(await b.ask('WuJianZhong', '销号 J2026-001')).toBe('警示单 J2026-001（赵文博）已销号。');
  });
});

describe('开具 by the organisation department', () => {
  it('issues a numbered notice by hand to the cadre and its reviewers', async () => {
    b.outbox.queued.length = 0;
    expect(await b.ask('WuJianZhong', '开具 整改单 李晓燕 5月两次工作日不在村且未请假')).toBe(
      '已开具整改单 Z2026-005（李晓燕，北堡村），已发给本人和乡镇（街道）负责同志。',
    );
    expect(await repo.get('Z2026-005')).toMatchObject({
      trigger: 'manual',
      issuedBy: 'WuJianZhong',
      reason: '5月两次工作日不在村且未请假',
      post: '委员',
    });
    expect(b.outbox.queued.map(to).sort()).toEqual(['LiXiaoYan', 'LiZhenHua', 'WangHaiYan']);
    expect(await b.ask('WuJianZhong', '开具 提醒 孙丽娟 注意按时汇报')).toBe(
      '已开具提醒单 T2026-005（孙丽娟，北堡村），已发给本人。',
    );
  });

  it('refuses a wrong kind, an unknown name, a missing reason and anyone but the department', async () => {
    const before = await dataSnapshot(t);
    expect(await b.ask('WuJianZhong', '开具 处分单 李晓燕 原因')).toContain('“处分单”不是通知单种类');
    expect(await b.ask('WuJianZhong', '开具 整改单 李小燕 原因')).toBe('名单上没有“李小燕”，请核对姓名。');
    expect(await b.ask('WuJianZhong', '开具 整改单 李晓燕')).toContain('请写明开具原因');
    expect(await b.ask('LiZhenHua', '开具 整改单 李晓燕 原因')).not.toContain('已开具');
    expect(await dataSnapshot(t)).toEqual(before);
  });
});

describe('overdue answers', () => {
  it('tells the reviewers once when the deadline passed without an answer', async () => {
    // Z2026-001 and Z2026-004 (六个一, due 5 June) were never answered.
    const r = await runJob('2026-06-06T10:30:00+08:00');
    const overdue = r.sent.filter((m) => m.key.startsWith('notice-overdue:'));
    expect(overdue.map((m) => m.key).sort()).toEqual([
      'notice-overdue:Z2026-001:LiZhenHua',
      'notice-overdue:Z2026-001:WangHaiYan',
      'notice-overdue:Z2026-004:LiZhenHua',
      'notice-overdue:Z2026-004:WangHaiYan',
    ]);
    expect(text(overdue[0])).toContain('回复期限（6月5日）已过，尚未收到整改说明');
    expect((await repo.get('Z2026-001'))?.overdueNotified).toBeDefined();
    // The next day: only the hand-issued Z2026-005 (due 6 June) is newly overdue.
    const next = await runJob('2026-06-07T10:30:00+08:00');
    expect(next.sent.filter((m) => m.key.startsWith('notice-overdue:')).map((m) => m.key)).toEqual([
      'notice-overdue:Z2026-005:LiZhenHua',
      'notice-overdue:Z2026-005:WangHaiYan',
    ]);
  });
});

describe('reading notices for the points scheme', () => {
  it('gives number, kind, date and state per person and for everyone over a period', async () => {
    expect(await repo.noticesOfPerson('ZhaoWenBo', '2026-05-01', '2026-05-31')).toEqual([
      {
        number: 'T2026-001',
        kind: 'remind',
        userId: 'ZhaoWenBo',
        issuedOn: '2026-05-29',
        state: 'issued',
        trigger: 'problemUnanswered',
      },
      expect.objectContaining({ number: 'Z2026-003', state: 'escalated' }),
      expect.objectContaining({ number: 'J2026-001', kind: 'warn', state: 'closed' }),
      expect.objectContaining({ number: 'T2026-003', trigger: 'noReport' }),
    ]);
    expect(await repo.noticesOfPerson('ZhaoWenBo', '2026-06-01', '2026-06-30')).toEqual([]);
    const all = await repo.noticesInPeriod('2026-05-29', '2026-05-29');
    expect(all.map((e) => e.number).sort()).toEqual(['T2026-001', 'Z2026-001', 'Z2026-002', 'Z2026-003', 'Z2026-004']);
  });

  it('answers 积分 as its notice source: the notices of each person in the half year of the half year, one person or many', async () => {
    const period = { start: '2026-04-28', end: '2026-10-27' };
    const one = await repo.ofUsers(['ZhaoWenBo'], period);
    expect(one.get('ZhaoWenBo')?.map((n) => n.number)).toEqual(['T2026-001', 'Z2026-003', 'J2026-001', 'T2026-003']);
    expect(one.get('ZhaoWenBo')?.[0]).toEqual({
      number: 'T2026-001',
      kind: 'remind',
      issuedOn: '2026-05-29',
      state: 'issued',
    });
    const many = await repo.ofUsers(['ZhaoWenBo', 'SunLiJuan'], period);
    expect(many.get('ZhaoWenBo')).toEqual(one.get('ZhaoWenBo'));
    expect(many.has('LiXiaoYan')).toBe(false);
    expect((await repo.ofUsers(['ZhaoWenBo'], { start: '2026-06-01', end: '2026-06-30' })).size).toBe(0);
  });
});
