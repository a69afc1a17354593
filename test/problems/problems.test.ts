import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../handlers/index.js';
import { readAudit } from '../../src/audit/read.js';
import type { Outbound } from '../../src/core/outbound.js';
import { Registry } from '../../src/core/registry.js';
import { dailyDigest } from '../../src/jobs/daily-digest.js';
import { weeklyDigest } from '../../src/jobs/weekly-digest.js';
import { ProblemRepo } from '../../src/problems/repo.js';
import type { JobContext } from '../../src/schedule/job.js';
import { testBot } from '../helpers/bot.js';
import { DAY, MINUTE } from '../helpers/clock.js';
import { testDeps } from '../helpers/deps.js';
import { dataSnapshot } from '../helpers/leave-bot.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
// Monday 7 December 2026, 09:00.
const b = testBot(t, { commands: new Registry(commands), start: '2026-12-07T09:00:00+08:00' });
const repo = new ProblemRepo(t.redis, t.keys);
const jobs: JobContext = testDeps(t, { clock: b.clock });

beforeAll(() => b.setup());

const XINTIAN_ROUTED = ['WangJianGuo', 'LiZhenHua', 'WangHaiYan'];

function numberIn(reply: string): string {
  const m = /P\d{4,}/.exec(reply);
  if (!m) throw new Error(`no problem number in: ${reply}`);
  return m[0];
}
const text = (m: Outbound | undefined) => (m?.body.type === 'text' ? m.body.content : '');
/** The messages queued since `from` (an index into the outbox). */
const sentSince = (from: number) => b.outbox.queued.slice(from);

async function raise(userId: string, words: string): Promise<string> {
  return numberIn(await b.ask(userId, `问题 ${words}`));
}

describe('a problem raised with 问题', () => {
  it('is numbered, stored for the village, sent at once to the 领队 and the township, and audited', async () => {
    const from = b.outbox.queued.length;
    const reply = await b.ask('LiXiaoYan', '问题 村东灌溉水渠渗漏，需协调维修');
    const no = numberIn(reply);
    expect(reply).toContain('王建国、李振华、王海燕');
    // The contacts not routed at once (county leader, organisation department, sending unit) get the weekly list.
    expect(reply).toContain('赵国良、武建中、杜宏伟将在每周的问题清单中看到');
    const p = await repo.get(no);
    expect(p).toMatchObject({
      no,
      userId: 'LiXiaoYan',
      village: 'beibao',
      township: 'xintian',
      text: '村东灌溉水渠渗漏，需协调维修',
      status: 'open',
      routed: XINTIAN_ROUTED,
      listed: ['ZhaoGuoLiang', 'WuJianZhong', 'DuHongWei'],
      steps: [{ kind: 'create', by: 'LiXiaoYan', at: b.clock.now().toISOString() }],
    });
    expect(await t.redis.sismember(t.keys.problemsOpen(), no)).toBe(1);
    expect(await t.redis.sismember(t.keys.problemsOfVillage('beibao'), no)).toBe(1);
    const sent = sentSince(from);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: { kind: 'user', userIds: XINTIAN_ROUTED }, purpose: 'problem' });
    expect(text(sent[0])).toContain(`【民情问题 ${no}】新田乡北堡村 李晓燕`);
    expect(text(sent[0])).toContain('村东灌溉水渠渗漏');
    const audit = await readAudit(t.redis, t.keys, { kinds: ['problem.create'] });
    const entry = audit.entries.find((e) => e.ref === no);
    expect(entry).toMatchObject({ actor: 'LiXiaoYan', subject: 'LiXiaoYan' });
    // The audit trail is read outside the chain: it never holds the problem's words.
    expect(entry?.summary).not.toContain('水渠');
  });

  it('routes as the policy says: the four contacts at once, nobody left for the weekly list', async () => {
    const policy = {
      ...b.deps.policy,
      problems: { ...b.deps.policy.problems, routeTo: ['countyLeader', 'sendingUnit'] },
    };
    const other = testBot(t, {
      commands: new Registry(commands),
      start: b.clock.now(),
      policy: policy as typeof b.deps.policy,
      idPrefix: 'routes',
    });
    const no = numberIn(await other.ask('ZhangZhiQiang', '问题 牛村村道塌方一处'));
    expect(await repo.get(no)).toMatchObject({
      routed: ['ZhaoGuoLiang', 'YaoWenBin'],
      listed: ['LiZhenHua', 'WuJianZhong'],
    });
    expect(other.outbox.queued[0]?.to).toEqual({ kind: 'user', userIds: ['ZhaoGuoLiang', 'YaoWenBin'] });
  });
});

describe('a problem raised by #困难 in a report', () => {
  it('files the report as before and raises a problem from its words, tags left out', async () => {
    const from = b.outbox.queued.length;
    const reply = await b.ask('ZhaoWenBo', '汇报 #困难 村小学取暖锅炉老化，今冬恐难正常供暖');
    expect(reply).toMatch(/汇报已记录，编号 H\d+/);
    expect(reply).toContain('困难已转给 王建国、李振华、王海燕');
    const no = numberIn(reply);
    const report = /H\d+/.exec(reply)![0];
    expect(await t.redis.hget(t.keys.reports('ZhaoWenBo'), report)).toContain('#困难');
    expect(await repo.get(no)).toMatchObject({
      report,
      text: '村小学取暖锅炉老化，今冬恐难正常供暖',
      userId: 'ZhaoWenBo',
    });
    const sent = sentSince(from);
    expect(sent.map((m) => m.to)).toEqual([{ kind: 'user', userIds: XINTIAN_ROUTED }]);
    expect(text(sent[0])).toContain('村小学取暖锅炉老化');
  });
});

describe("a problem's whole life", () => {
  it('is answered, handed on, added to and closed, each step kept with who and when', async () => {
    const no = await raise('SunLiJuan', '饮水井水量不足，下游五十多户用水紧张');

    // 回复 by the 领队: the cadre gets the answer.
    b.clock.advance(30 * MINUTE);
    let from = b.outbox.queued.length;
    expect(await b.ask('WangJianGuo', `回复 ${no} 已联系乡水利站，本周内到现场查看`)).toBe(
      `已回复问题 ${no}，孙丽娟会收到。`,
    );
    let sent = sentSince(from);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toEqual({ kind: 'user', userIds: ['SunLiJuan'] });
    expect(text(sent[0])).toContain('【问题回复');
    expect(text(sent[0])).toContain('已联系乡水利站');

    // 转办 to a target that is not one: refused with the valid ones, nothing changes.
    const before = await dataSnapshot(t);
    const refused = await b.ask('LiZhenHua', `转办 ${no} 县气象局`);
    expect(refused).toContain('「县气象局」不是可以转办的对象');
    expect(refused).toContain('县水利局');
    expect(refused).toContain('新田乡');
    expect(await dataSnapshot(t)).toEqual(before);

    // 转办 to a sending unit: its main leader and deputy get the problem with its history.
    b.clock.advance(DAY);
    from = b.outbox.queued.length;
    expect(await b.ask('LiZhenHua', `转办 ${no} 县水利局`)).toContain('已转给 县水利局（彭晓军、蒋慧芳）');
    sent = sentSince(from);
    const toUnit = sent.find((m) => m.to.kind === 'user' && m.to.userIds.includes('PengXiaoJun'));
    expect(toUnit?.to).toEqual({ kind: 'user', userIds: ['PengXiaoJun', 'JiangHuiFang'] });
    expect(text(toUnit)).toContain('饮水井水量不足');
    expect(text(toUnit)).toContain('王建国 回复：已联系乡水利站');
    expect(text(toUnit)).toContain('李振华 转办给 县水利局');
    expect(sent.find((m) => m.to.kind === 'user' && m.to.userIds[0] === 'SunLiJuan')).toBeDefined();

    // 补充 by the cadre: those handling it are told.
    from = b.outbox.queued.length;
    expect(await b.ask('SunLiJuan', `补充 ${no} 今天又有两户反映没水`)).toContain(`已补充到问题 ${no}`);
    sent = sentSince(from);
    expect(sent[0]!.to).toEqual({ kind: 'user', userIds: [...XINTIAN_ROUTED, 'PengXiaoJun', 'JiangHuiFang'] });
    expect(text(sent[0])).toContain('今天又有两户反映没水');

    // Whoever it was handed on to acts on it: 办结 closes it, the cadre hears the result.
    b.clock.advance(DAY);
    from = b.outbox.queued.length;
    expect(await b.ask('PengXiaoJun', `办结 ${no} 已打新井一眼，供水恢复`)).toBe(`问题 ${no} 已办结，已告知 孙丽娟。`);
    sent = sentSince(from);
    expect(sent.map((m) => m.to)).toEqual([{ kind: 'user', userIds: ['SunLiJuan'] }]);
    expect(text(sent[0])).toContain('已打新井一眼，供水恢复');

    const p = await repo.get(no);
    expect(p?.status).toBe('closed');
    expect(p?.closedAt).toBe(b.clock.now().toISOString());
    expect(p?.steps.map((s) => [s.kind, s.by])).toEqual([
      ['create', 'SunLiJuan'],
      ['reply', 'WangJianGuo'],
      ['handover', 'LiZhenHua'],
      ['add', 'SunLiJuan'],
      ['close', 'PengXiaoJun'],
    ]);
    expect(new Set(p?.steps.map((s) => s.at)).size).toBe(4); // reply and create 30 minutes apart; the rest a day
    expect(await t.redis.sismember(t.keys.problemsOpen(), no)).toBe(0);
    const kinds = (await readAudit(t.redis, t.keys)).entries.filter((e) => e.ref === no).map((e) => e.kind);
    expect(kinds).toEqual(['problem.create', 'problem.reply', 'problem.handover', 'problem.add', 'problem.close']);

    // Closed: no more steps.
    expect(await b.ask('WangJianGuo', `回复 ${no} 再看看`)).toContain('办结，不能再办理');
  });

  it('hands on to a township and to a person by name, refuses an ambiguous or empty target', async () => {
    const no = await raise('LiuFang', '村里到镇上的客运班车停运');
    expect(await b.ask('WangJianGuo', `转办 ${no} 凤城乡`)).toContain('已转给 凤城乡（张国栋）');
    expect(await b.ask('ZhangGuoDong', `转办 ${no} 蔡振宇 请协调班车`)).toBe(
      `问题 ${no} 已转给 蔡振宇，对方会收到问题和办理经过。`,
    );
    const p = await repo.get(no);
    expect(p?.handedTo).toEqual(['ZhangGuoDong', 'CaiZhenYu']);
    expect(p?.steps.at(-1)).toMatchObject({ kind: 'handover', text: '请协调班车', to: { kind: 'person' } });
    expect(await b.ask('CaiZhenYu', `回复 ${no} 下周恢复班车`)).toContain('已回复');
    expect(await b.ask('CaiZhenYu', `转办 ${no}`)).toContain(`请在编号 ${no} 后写上内容`);
  });
});

describe('who may act and read', () => {
  it('refuses someone outside the chain, changing nothing', async () => {
    const no = await raise('LiXiaoYan', '两户低保户房屋漏雨，需要危房改造资金');
    const before = await dataSnapshot(t);
    const queued = b.outbox.queued.length;
    // Another township's supervisor, a sending unit's leader, another cadre of the village, a member of the
    // organisation department who is not the village's contact: none of them is in the chain.
    for (const who of ['ZhangGuoDong', 'HouZhiGang', 'ZhaoWenBo', 'ChangXiaoMin']) {
      expect(await b.ask(who, `回复 ${no} 我来看看`)).toBe(`问题 ${no} 没有转给您，只有收到这个问题的同志可以办理。`);
      expect(await b.ask(who, `办结 ${no} 好了`)).toContain('没有转给您');
      expect(await b.ask(who, `转办 ${no} 县水利局`)).toContain('没有转给您');
    }
    expect(await b.ask('ZhaoWenBo', `补充 ${no} 我也补充`)).toContain('只有提出问题的驻村干部可以补充');
    expect(await b.ask('WangJianGuo', `补充 ${no} 我也补充`)).toContain('只有提出问题的驻村干部可以补充');
    expect(await dataSnapshot(t)).toEqual(before);
    expect(b.outbox.queued.length).toBe(queued);
  });

  it("lists a village's open problems to its readers only", async () => {
    const no = await raise('LiXiaoYan', '村集体苹果滞销约二十吨');
    for (const who of ['ZhaoWenBo', 'LiZhenHua', 'ChangXiaoMin', 'WangJianGuo', 'DuHongWei']) {
      const list = await b.ask(who, '问题 北堡村');
      expect(list).toContain(no);
      expect(list).toContain('村集体苹果滞销约二十吨');
    }
    for (const who of ['ZhangGuoDong', 'HouZhiGang', 'ZhangZhiQiang']) {
      const list = await b.ask(who, '问题 北堡村');
      expect(list).toContain('只有办理人、本村驻村干部、乡镇（街道）负责同志和组织部可以查看');
      expect(list).not.toContain('苹果');
    }
  });

  it('lists the asker’s own and handled problems with 问题 alone', async () => {
    const no = await raise('HeJing', '柳河村便桥护栏损坏');
    const own = await b.ask('HeJing', '问题');
    expect(own).toContain('您提出的未办结问题');
    expect(own).toContain(no);
    const handled = await b.ask('WangHaiYan', '问题');
    expect(handled).toContain('转给您办理的未办结问题');
    expect(handled).toContain(`${no}\u3000柳河村`);
    expect(await b.ask('ZhangGuoDong', '问题')).not.toContain(no);
  });
});

describe('privacy in a group', () => {
  it('answers with counts only, and takes no problem text or step there', async () => {
    const no = await raise('ChenHaoRan', '牛村饮用水管冻裂');
    const mine = (await b.sayInGroup('WangJianGuo', '问题'))?.text ?? '';
    expect(mine).toMatch(/您有 \d+ 个未办结的问题/);
    expect(mine).not.toContain('P1');
    const village = (await b.sayInGroup('LiZhenHua', '问题 牛村'))?.text ?? '';
    expect(village).toMatch(/^牛村有 \d+ 个未办结的问题/);
    expect(village).not.toContain('冻裂');
    expect(village).not.toContain(no);

    const before = await dataSnapshot(t);
    expect((await b.sayInGroup('WangJianGuo', `回复 ${no} 马上处理`))?.text).toContain('只在与本助手的单聊中回复');
    expect((await b.sayInGroup('ChenHaoRan', `补充 ${no} 更严重了`))?.text).toContain('只在与本助手的单聊中回复');
    expect((await b.sayInGroup('ChenHaoRan', '问题 村口路灯不亮'))?.text).toContain('只在与本助手的单聊中登记');
    expect(await dataSnapshot(t)).toEqual(before);
  });
});

describe('numbers and bad input', () => {
  it('gives two problems raised at once distinct numbers', async () => {
    const [a, c] = await Promise.all([
      b.ask('GuoYongHong', '问题 柳河村灌渠堵塞'),
      b.ask('MaJunJie', '问题：柳河村村道积水'),
    ]);
    const [x, y] = [numberIn(a), numberIn(c)];
    expect(x).not.toBe(y);
    expect((await repo.get(x))?.userId).toBe('GuoYongHong');
    expect((await repo.get(y))?.text).toBe('柳河村村道积水');
  });

  it('refuses an unknown number, a missing number, an empty text or a non-cadre raising one, changing nothing', async () => {
    const no = await raise('YangHaiTao', '牛村农田灌溉泵站故障');
    const before = await dataSnapshot(t);
    const queued = b.outbox.queued.length;
    expect(await b.ask('WangJianGuo', '回复 P9999 你好')).toContain('没有找到问题 P9999');
    expect(await b.ask('WangJianGuo', '回复 你好')).toContain('请写上问题编号和内容');
    expect(await b.ask('WangJianGuo', `回复 ${no}`)).toContain(`请在编号 ${no} 后写上内容`);
    expect(await b.ask('WangJianGuo', `办结 ${no}  `)).toContain('后写上内容');
    expect(await b.ask('YangHaiTao', `补充 ${no}`)).toContain('后写上内容');
    expect(await b.ask('LiZhenHua', '问题 修一下路')).toContain('只有驻村干部可以登记问题');
    expect(await b.ask('YangHaiTao', `问题 ${'长'.repeat(1001)}`)).toContain('内容太长');
    // A sentence that merely starts with the word is no problem raised.
    expect(await b.ask('YangHaiTao', '问题整改已经完成')).toContain('“问题”后空一格');
    expect(await dataSnapshot(t)).toEqual(before);
    expect(b.outbox.queued.length).toBe(queued);
  });

  it('lists the new commands in 帮助', async () => {
    const help = await b.ask('WangJianGuo', '帮助');
    for (const word of ['问题', '回复', '转办', '办结', '补充']) expect(help).toContain(word);
  });
});

describe('overdue problems in the digests', () => {
  it('go to the township daily and the organisation department weekly; the contacts get their weekly list', async () => {
    b.clock.set('2026-12-10T10:00:00+08:00');
    const no = await raise('GuoYongHong', '柳河村河堤一段松动，汛前需加固');
    // 32 days later, a Monday, the problem is overdue (the policy's default limit is 30 days).
    b.clock.set('2027-01-11T09:00:00+08:00');
    const now = b.clock.now();
    const daily = dailyDigest.plan(now, await dailyDigest.load(jobs, now));
    const township = daily.find((m) => m.key.endsWith(':problems') && m.key.includes(':xintian:'));
    expect(township?.to).toEqual({ kind: 'user', userIds: ['LiZhenHua', 'WangHaiYan'] });
    const body = text(township);
    expect(body).toContain('【超期未办结问题】新田乡');
    expect(body).toContain(`${no}\u3000柳河村 郭永红（已 32 天）`);
    // Both supervisors are in its chain: they read its text.
    expect(body).toContain('河堤一段松动');
    // A township without overdue problems gets no such message.
    expect(daily.some((m) => m.key === 'digest:daily:fengcheng:2027-01-11:problems')).toBe(false);

    // The weekly digest of the same Monday.
    const weekly = weeklyDigest.plan(now, await weeklyDigest.load(jobs, now));
    const org = weekly.find((m) => m.key.endsWith(':problems:org'));
    expect(org?.to).toEqual({ kind: 'user', userIds: ['WuJianZhong', 'ChangXiaoMin'] });
    expect(text(org)).toContain('超过 30 天未办结');
    expect(text(org)).toContain(`${no}\u3000柳河村 郭永红（已 32 天）：柳河村河堤一段松动`);
    // 柳河村's sending-unit contact (彭晓军, 县水利局) was not sent it at once: it is on his weekly list.
    const peng = weekly.find((m) => m.key.endsWith(':problems:PengXiaoJun'));
    expect(peng?.to).toEqual({ kind: 'user', userIds: ['PengXiaoJun'] });
    expect(text(peng)).toContain('河堤一段松动');
    // A closed problem is on no list.
    expect(weekly.map(text).join('\n')).not.toContain('饮水井水量不足');
  });
});
