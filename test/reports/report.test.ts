import { beforeAll, describe, expect, it } from 'vitest';
import help from '../../handlers/help.js';
import myReports from '../../handlers/my-reports.js';
import report from '../../handlers/report.js';
import reportEdit from '../../handlers/report-edit.js';
import reportImage from '../../handlers/report-image.js';
import sixOnes from '../../handlers/six-ones.js';
import type { Update } from '../../src/core/update.js';
import { parseReport, withoutTags } from '../../src/reports/report.js';
import { ownerBucket, ReportRepo } from '../../src/reports/repo.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';
import { testBot } from '../helpers/bot.js';
import { DAY, HOUR, MINUTE } from '../helpers/clock.js';

const t = useTestRedis();
const { bot, deps, clock, outbox } = testBot(t, {
  commands: [help, report, reportImage, myReports, reportEdit, sixOnes],
  start: '2026-05-10T09:00:00+08:00',
});
const repo = new ReportRepo(t.redis, t.keys);

let seq = 0;
function text(userId: string, content: string): Update {
  return {
    id: `r${++seq}`,
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'text',
    text: content,
    time: clock.now(),
  };
}
function image(userId: string, mediaId: string, id = `img${++seq}`): Update {
  return {
    id,
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'image',
    media: { mediaId, url: `http://img/${mediaId}` },
    time: clock.now(),
  };
}
async function say(userId: string, content: string): Promise<string> {
  return (await bot.handle(text(userId, content))).reply?.text ?? '';
}
function numberIn(reply: string): string {
  const m = /H\d{4,}/.exec(reply);
  if (!m) throw new Error(`no report number in: ${reply}`);
  return m[0];
}
function problemIn(reply: string): string {
  const m = /P\d{4,}/.exec(reply);
  if (!m) throw new Error(`no problem number in: ${reply}`);
  return m[0];
}
const stored = async (userId: string, no: string) =>
  JSON.parse((await t.redis.hget(t.keys.reports(userId), no)) ?? 'null');

beforeAll(async () => {
  await deps.roster.replace(sampleRosterData());
});

describe('parseReport', () => {
  it('reads tags anywhere and as a leading word, with household counts', () => {
    expect(parseReport('#走访 3户 了解春耕用种 #困难')).toMatchObject({ tags: ['走访', '困难'], households: 3 });
    expect(parseReport('走访：看望独居老人三户')).toMatchObject({ tags: ['走访'], households: 1 });
    expect(parseReport('走访：三户，看望独居老人')).toMatchObject({ tags: ['走访'], households: 3 });
    expect(parseReport('走访:今天走访了12户')).toMatchObject({ tags: ['走访'], households: 12 });
    expect(parseReport('#走访 看望王大爷')).toMatchObject({ tags: ['走访'], households: 1 });
    expect(parseReport('＃村民说事 议定修路方案')).toMatchObject({ tags: ['村民说事'], households: 0 });
    expect(parseReport('计划：本月完成入户走访')).toMatchObject({ tags: ['计划'], households: 0 });
    expect(parseReport('今天整理档案，明天计划走访').tags).toEqual([]);
  });

  it('lists a report without its tags when they are shown apart', () => {
    expect(withoutTags('#走访 3户 了解春耕用种')).toBe('了解春耕用种');
    expect(withoutTags('走访：三户，看望独居老人 #困难')).toBe('看望独居老人');
    expect(withoutTags('＃党课')).toBe('＃党课');
  });
});

describe('汇报', () => {
  it('stores a report with a number, tags and households, and indexes its owner', async () => {
    const reply = await say('LiXiaoYan', '汇报 #走访 3户 了解春耕用种情况');
    const no = numberIn(reply);
    expect(reply).toContain('#走访（3户）');
    expect(await stored('LiXiaoYan', no)).toMatchObject({
      no,
      userId: 'LiXiaoYan',
      text: '#走访 3户 了解春耕用种情况',
      tags: ['走访'],
      households: 3,
      createdAt: clock.now().toISOString(),
    });
    expect(await t.redis.hget(ownerBucket(t.keys, no), no)).toBe('LiXiaoYan');
  });

  it('files a sentence starting with a tag word as a report without 汇报', async () => {
    const reply = await say('ZhaoWenBo', '走访：入户看望两位独居老人 2户');
    const no = numberIn(reply);
    expect(await stored('ZhaoWenBo', no)).toMatchObject({ tags: ['走访'], households: 2 });
    const lecture = numberIn(await say('ZhaoWenBo', '汇报 党课:给村里党员讲了一次党课'));
    expect(await stored('ZhaoWenBo', lecture)).toMatchObject({ tags: ['党课'] });
  });

  it('keeps the text as written: full-width punctuation and line breaks', async () => {
    const no = numberIn(await say('ZhaoWenBo', '／汇报　＃实事：修好村口路灯，\n群众反映很好。'));
    expect(await stored('ZhaoWenBo', no)).toMatchObject({
      text: '＃实事：修好村口路灯，\n群众反映很好。',
      tags: ['实事'],
    });
  });

  it('refuses an empty report and stores nothing', async () => {
    const before = await t.redis.hlen(t.keys.reports('HeJing'));
    expect(await say('HeJing', '汇报')).toContain('请写上汇报内容');
    expect(await t.redis.hlen(t.keys.reports('HeJing'))).toBe(before);
  });

  it('raises #困难 as a problem, sent at once to the township team leader and supervisors', async () => {
    const reply = await say('LiXiaoYan', '汇报 #困难 村里灌溉水渠渗漏，需协调维修');
    numberIn(reply);
    expect(reply).toContain('王建国');
    const problem = problemIn(reply);
    const sent = outbox.queued.find((m) => m.key === `problem:${problem}:0:routed`);
    expect(sent).toMatchObject({
      to: { kind: 'user', userIds: ['WangJianGuo', 'LiZhenHua', 'WangHaiYan'] },
      purpose: 'problem',
    });
    expect(sent?.body).toMatchObject({ type: 'text' });
    const content = sent?.body.type === 'text' ? sent.body.content : '';
    expect(content).toContain('李晓燕');
    expect(content).toContain('新田乡北堡村');
    expect(content).toContain('灌溉水渠渗漏');
  });

  it('does not send a team leader his own difficulty', async () => {
    const problem = problemIn(await say('WangJianGuo', '汇报 #困难 村委会办公电脑损坏'));
    const sent = outbox.queued.find((m) => m.key === `problem:${problem}:0:routed`);
    expect(sent?.to).toEqual({ kind: 'user', userIds: ['LiZhenHua', 'WangHaiYan'] });
  });

  it('sends nothing for a report without #困难', async () => {
    const before = outbox.queued.length;
    await say('LiXiaoYan', '汇报 整理村级档案');
    expect(outbox.queued.length).toBe(before);
  });
});

describe('photos after a report', () => {
  it('attaches images sent within 10 minutes, once per delivery', async () => {
    const no = numberIn(await say('SunLiJuan', '汇报 #实事 帮村里修好了路灯'));
    clock.advance(2 * MINUTE);
    expect((await bot.handle(image('SunLiJuan', 'M1', 'img-a'))).reply?.text).toContain(`已附到汇报 ${no}（共 1 张）`);
    const again = await bot.handle(image('SunLiJuan', 'M1', 'img-a'));
    expect(again.duplicate).toBe(true);
    clock.advance(5 * MINUTE);
    expect((await bot.handle(image('SunLiJuan', 'M2'))).reply?.text).toContain('共 2 张');
    const r = await repo.get(no);
    expect(r?.images.map((i) => i.mediaId)).toEqual(['M1', 'M2']);
    expect(r?.images[0]).toMatchObject({ url: 'http://img/M1' });
  });

  it('gives a hint for an image long after the report, and attaches nothing', async () => {
    const no = numberIn(await say('ChenHaoRan', '汇报 #计划 制定本月工作计划'));
    clock.advance(11 * MINUTE);
    expect((await bot.handle(image('ChenHaoRan', 'M3'))).reply?.text).toContain('请先发送「汇报 内容」');
    expect((await repo.get(no))?.images).toEqual([]);
  });

  it('gives a hint for an image without any report', async () => {
    expect((await bot.handle(image('LiuFang', 'M4'))).reply?.text).toContain('照片不是必需的');
  });
});

describe('我的汇报', () => {
  it('lists the latest 10 reports, newest first, with numbers and tags', async () => {
    const nos: string[] = [];
    for (let i = 1; i <= 12; i++) {
      clock.advance(MINUTE);
      nos.push(numberIn(await say('YangHaiTao', `汇报 ${i % 2 ? '#走访 2户 ' : ''}第${i}条日志`)));
    }
    const reply = await say('YangHaiTao', '我的汇报');
    expect(reply).toContain('共 12 条，显示最近 10 条');
    const listed = [...reply.matchAll(/H\d{4,}/g)].map((m) => m[0]);
    expect(listed).toEqual(nos.slice(2).reverse());
    expect(reply).toContain('#走访（2户）');
    expect(reply).toContain('第12条日志');
    expect(reply).not.toContain('第2条日志');
  });

  it('says so when there are none', async () => {
    expect(await say('GuoYongHong', '我的汇报')).toContain('您还没有汇报');
  });

  it('is refused for someone who is not a cadre (core role check)', async () => {
    expect(await say('LiZhenHua', '我的汇报')).toContain('仅供驻村干部使用');
  });
});

describe('修改汇报', () => {
  it('corrects a report within 24 hours, re-reading its tags', async () => {
    const no = numberIn(await say('MaJunJie', '汇报 #走访 3户 了解用种情况'));
    clock.advance(23 * HOUR);
    const reply = await say('MaJunJie', `修改汇报 ${no.toLowerCase()} #走访 4户 了解春耕用种情况`);
    expect(reply).toContain(`汇报 ${no} 已更正`);
    expect(await stored('MaJunJie', no)).toMatchObject({
      text: '#走访 4户 了解春耕用种情况',
      households: 4,
      editedAt: clock.now().toISOString(),
    });
    expect(await say('MaJunJie', '我的汇报')).toContain('已修改');
  });

  it('refuses after 24 hours and changes nothing', async () => {
    const no = numberIn(await say('MaJunJie', '汇报 #党课 讲党课'));
    const before = await t.redis.hget(t.keys.reports('MaJunJie'), no);
    clock.advance(DAY + MINUTE);
    expect(await say('MaJunJie', `修改汇报 ${no} #党课 讲了一次党课`)).toContain('已超过 24 小时');
    expect(await t.redis.hget(t.keys.reports('MaJunJie'), no)).toBe(before);
  });

  it("refuses someone else's report and changes nothing", async () => {
    const no = numberIn(await say('MaJunJie', '汇报 #实事 修路'));
    const before = await t.redis.hget(t.keys.reports('MaJunJie'), no);
    expect(await say('HeJing', `修改汇报 ${no} 改掉`)).toContain('不是您提交的');
    expect(await t.redis.hget(t.keys.reports('MaJunJie'), no)).toBe(before);
    expect(await t.redis.hlen(t.keys.reports('HeJing'))).toBe(0);
  });

  it('refuses an unknown number and a missing text', async () => {
    expect(await say('MaJunJie', '修改汇报 H99999 新内容')).toContain('没有找到汇报 H99999');
    expect(await say('MaJunJie', '修改汇报 H1001')).toContain('用法：修改汇报 编号 新内容');
  });

  it('raises a difficulty added by a correction as a problem, once', async () => {
    const no = numberIn(await say('MaJunJie', '汇报 水渠渗漏'));
    const before = outbox.queued.filter((m) => m.purpose === 'problem').length;
    const first = await say('MaJunJie', `修改汇报 ${no} #困难 水渠渗漏，需协调维修`);
    const problem = problemIn(first);
    await say('MaJunJie', `修改汇报 ${no} #困难 水渠渗漏严重，需协调维修`);
    const sent = outbox.queued.filter((m) => m.purpose === 'problem');
    expect(sent).toHaveLength(before + 1);
    expect(sent.at(-1)?.key).toBe(`problem:${problem}:0:routed`);
  });
});
