/**
 * Visits (到村调研) through the real bot core on real Redis: `到村 村名 [内容]` and the page opened for a visit,
 * the automatic LOCATION report, the geofence (recorded inside, refused outside with the distance), the note, a
 * photo sent next, `走访记录` within each role's scope, `汇报` from a leader who is no cadre, and bad input that
 * changes no data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../handlers/index.js';
import type { Update } from '../../src/core/update.js';
import { VisitRepo } from '../../src/visits/repo.js';
import { testBot } from '../helpers/bot.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { sampleRosterData } from '../helpers/deps.js';
import { dataSnapshot } from '../helpers/leave-bot.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const b = testBot(t, { commands: createRegistry(), start: '2026-12-07T10:00:00+08:00', idPrefix: 'visit' });
const roster = sampleRosterData();
const village = (id: string) => roster.villages.find((v) => v.id === id)!;
/** A point `metres` north of a village's centre. */
const near = (id: string, metres = 300) => ({ lat: village(id).lat + metres / 111_195, lng: village(id).lng });
const repo = new VisitRepo(t.redis, t.keys);

function locate(
  userId: string,
  source: 'page' | 'auto' | 'message',
  point: { lat: number; lng: number },
  o: { visit?: string; precision?: number } = {},
) {
  const u: Update = {
    id: b.nextId(),
    channel: source === 'page' ? 'page' : 'app',
    userId,
    chatType: 'single',
    kind: 'location',
    location: {
      ...point,
      source,
      ...(source === 'message' ? { label: '村委会' } : { precision: o.precision ?? 20 }),
      ...(o.visit ? { visit: o.visit } : {}),
    },
    time: b.clock.now(),
  };
  return b.bot.handle(u).then((r) => r.reply);
}

function image(userId: string) {
  const u: Update = {
    id: b.nextId(),
    channel: 'app',
    userId,
    chatType: 'single',
    kind: 'image',
    media: { mediaId: `media-${b.nextId()}` },
    time: b.clock.now(),
  };
  return b.bot.handle(u).then((r) => r.reply);
}

beforeAll(() => b.setup());

describe('到村 and the page opened for a visit', () => {
  it('answers a visiting leader with the page link for the village, and records the visit inside the fence with the note', async () => {
    // 刘雅琴 is known only from `people`: the 县财政局 deputy in charge, whose cadres serve in 北堡村 and 城小村.
    const reply = await b.say('LiuYaQin', '到村 北堡村 调研指导冬季取暖和产业项目');
    expect(reply?.card?.url).toBe(`${b.deps.checkinLink}?visit=beibao`);
    expect(reply?.text).toContain('到北堡村调研');
    expect(await repo.ofUser('LiuYaQin')).toEqual([]);

    const page = await locate('LiuYaQin', 'page', near('beibao'), { visit: 'beibao' });
    expect(page?.meta?.counts).toBe(true);
    expect(page?.text).toMatch(
      /^已记录您到北堡村调研（V\d+，12月7日 10:00，距村部 300 米）。调研内容：调研指导冬季取暖和产业项目。/,
    );
    const [v] = await repo.ofUser('LiuYaQin');
    expect(v).toMatchObject({
      village: 'beibao',
      source: 'page',
      distanceM: 300,
      note: '调研指导冬季取暖和产业项目',
      units: [{ unit: '县财政局', as: 'deputy' }],
    });
    expect((await repo.ofVillage('beibao')).map((x) => x.no)).toContain(v!.no);
    expect((await repo.ofUnit('县财政局')).map((x) => x.no)).toEqual([v!.no]);
    // Opened again the same day: not recorded twice.
    const again = await locate('LiuYaQin', 'page', near('beibao', 100), { visit: 'beibao' });
    expect(again?.text).toContain(`今天到北堡村调研已经记录（${v!.no}）`);
    expect(await repo.ofUser('LiuYaQin')).toHaveLength(1);
  });

  it('refuses a visit outside the geofence, saying how far away, and records nothing', async () => {
    const before = await dataSnapshot(t);
    const reply = await locate('ZhaoGuoLiang', 'page', near('niucun', 5000), { visit: 'niucun' });
    expect(reply?.meta?.counts).toBeFalsy();
    expect(reply?.text).toBe(
      '您现在距牛村村部约 5.0 公里，不在村范围内（1.0 公里），没有记录到村调研。请到村里后再打开签到页定位。',
    );
    // Inside, but too imprecise to say so.
    const rough = await locate('ZhaoGuoLiang', 'page', near('niucun', 600), { visit: 'niucun', precision: 800 });
    expect(rough?.text).toContain('定位精度不足（误差约 800 米）');
    expect(await dataSnapshot(t)).toEqual(before);
  });

  it('records a visit from an automatic LOCATION report at the nearest village, once a day, and adds the note later', async () => {
    // 杜宏伟: 县财政局 main leader (and its supervisor), 四包一 contact of 北堡村.
    const first = await locate('DuHongWei', 'auto', near('beibao', 200));
    expect(first?.text).toMatch(/^已根据自动上报的位置记录您到北堡村调研（V\d+，12月7日 10:00）/);
    const [v] = await repo.ofUser('DuHongWei');
    expect(v).toMatchObject({ village: 'beibao', source: 'auto', units: [{ unit: '县财政局', as: 'mainLeader' }] });
    // Later reports the same day, and reports outside every village, answer nothing and record nothing.
    b.clock.advance(10 * MINUTE);
    const before = await dataSnapshot(t);
    expect(await locate('DuHongWei', 'auto', near('beibao', 100))).toBeNull();
    expect(await locate('DuHongWei', 'auto', { lat: 35.3, lng: 111.0 })).toBeNull();
    expect(await dataSnapshot(t)).toEqual(before);
    // The note, afterwards.
    expect(await b.ask('DuHongWei', '到村 北堡村 听取村两委汇报，研究冬季用电')).toBe(
      `已把调研内容补记到今天到北堡村的记录（${v!.no}）。`,
    );
    expect((await repo.get('DuHongWei', v!.no))?.note).toBe('听取村两委汇报，研究冬季用电');
  });

  it('attaches a photo sent within the window to the visit, and not later', async () => {
    b.clock.advance(HOUR);
    expect(await locate('ZhaoGuoLiang', 'page', near('liuhe'), { visit: 'liuhe' })).toMatchObject({
      meta: { counts: true },
    });
    const [v] = await repo.ofUser('ZhaoGuoLiang');
    b.clock.advance(5 * MINUTE);
    expect((await image('ZhaoGuoLiang'))?.text).toBe(`照片已附到到村调研记录 ${v!.no}（共 1 张）。`);
    expect((await repo.get('ZhaoGuoLiang', v!.no))?.photos).toHaveLength(1);
    b.clock.advance(20 * MINUTE);
    expect((await image('ZhaoGuoLiang'))?.text).toContain('照片须在到村调研记录后 10 分钟内发送');
    expect((await repo.get('ZhaoGuoLiang', v!.no))?.photos).toHaveLength(1);
  });

  it('never takes a point picked on the map as a visit, and leaves a cadre’s location to the check-in', async () => {
    const before = await dataSnapshot(t);
    expect((await locate('SunJianMin', 'message', near('nanzhuang')))?.text).toContain(
      '在地图上选的位置不能记录到村调研',
    );
    expect(await dataSnapshot(t)).toEqual(before);
    expect((await locate('LiXiaoYan', 'page', near('beibao')))?.text).toMatch(/^签到成功/);
    expect(await repo.ofUser('LiXiaoYan')).toEqual([]);
  });

  it('refuses bad input with a sentence and changes no data', async () => {
    const before = await dataSnapshot(t);
    expect(await b.ask('LiuYaQin', '到村')).toContain('请写明到哪个村');
    expect(await b.ask('LiuYaQin', '到村 新天村')).toContain('名册中没有「新天村」这个村');
    expect(await b.ask('LiuYaQin', `到村 牛村 ${'很'.repeat(501)}`)).toBe('调研内容最多 500 字，请精简后再发送。');
    expect(await b.ask('LiXiaoYan', '到村 北堡村')).toContain('驻村干部请用「签到」');
    // The page opened for a village that is not on the roster (a forged session).
    expect((await locate('LiuYaQin', 'page', near('beibao'), { visit: 'nowhere' }))?.text).toContain('不在名册中');
    expect(await dataSnapshot(t)).toEqual(before);
  });

  it('lists 到村 and 走访记录 in 帮助 for those who can use them only', async () => {
    const deputy = await b.ask('LiuYaQin', '帮助');
    expect(deputy).toContain('到村');
    expect(deputy).toContain('走访记录');
    const cadre = await b.ask('LiXiaoYan', '帮助');
    expect(cadre).not.toContain('到村 村名');
    expect(cadre).toContain('走访记录');
  });
});

describe('汇报 from a leader who is no cadre', () => {
  it('points a sending-unit leader and a person known only from people to 到村, never "not on the roster"', async () => {
    const unit = await b.ask('DuHongWei', '汇报 今天到北堡村调研指导冬季取暖工作');
    expect(unit).toContain('「到村 村名 调研内容」');
    expect(unit).toContain('「汇报 姓名」');
    expect(unit).not.toContain('名册中没有');
    const county = await b.ask('ZhaoGuoLiang', '汇报 今天到北堡村调研指导冬季取暖工作');
    expect(county).toContain('「到村 村名 调研内容」');
    expect(county).not.toContain('名册');
    // Reading a cadre's reports still works for the unit's leader, and a name not on the roster is said so.
    expect(await b.ask('DuHongWei', '汇报 李晓燕')).not.toContain('到村');
    expect(await b.ask('DuHongWei', '汇报 李小燕')).toContain('名册中没有名为「李小燕」的驻村干部');
  });
});

describe('走访记录', () => {
  it('shows each role its own scope', async () => {
    // The organisation department: every village and unit, a line each, within one WeCom reply.
    const org = await b.ask('WuJianZhong', '走访记录');
    expect(org).toContain('【北堡村】2 次，最近：今天 10:00');
    expect(org).toContain('【柳河村】1 次');
    expect(org).toMatch(/尚无记录：牛村、香邑村、城小村、东城村、西台神村、隘口村、南庄村/);
    expect(org).toContain(
      '【县财政局】杜宏伟（主要领导）本任期已到村 1 次，刘雅琴（分管领导）本半年已到村 1 次，逾期 1 项',
    );
    expect(org).toContain('【县人社局】黄志勇（主要领导）本任期未到村，朱丽红（分管领导）本半年未到村，逾期 1 项');
    expect(Buffer.byteLength(org)).toBeLessThanOrEqual(2048);
    // One unit in detail: the periods, and what is overdue.
    const unitDetail = await b.ask('WuJianZhong', '走访记录 县财政局');
    expect(unitDetail).toContain('【县财政局】\n· 主要领导杜宏伟本任期（4月28日至2027年4月27日）已到村 1 次');
    expect(unitDetail).toContain('· 分管领导刘雅琴本半年（10月28日至2027年4月27日）已到村 1 次');
    expect(unitDetail).toContain('· 逾期：分管领导刘雅琴（4月28日至10月27日）未到村');
    // One village in detail: each visit with its note and photos.
    const beibao = await b.ask('WuJianZhong', '走访记录 北堡村');
    expect(beibao).toContain('· 今天 10:00 刘雅琴（县财政局分管领导）：调研指导冬季取暖和产业项目');
    expect(beibao).toContain('杜宏伟（县财政局主要领导）：听取村两委汇报，研究冬季用电');
    expect(await b.ask('WuJianZhong', '走访记录 柳河村')).toContain('赵国良（县委副书记）（照片 1 张）');

    // A township supervisor: the township's villages (新田乡), not 凤城乡's.
    const township = await b.ask('WangHaiYan', '走访记录');
    expect(township).toContain('【北堡村】2 次');
    expect(township).not.toContain('香邑村');

    // A sending-unit leader: the unit and the villages its cadres serve in.
    const unit = await b.ask('YaoWenBin', '走访记录');
    expect(unit).toContain('【县农业农村局】');
    expect(unit).not.toContain('【县财政局】');
    expect(unit).toContain('尚无记录：牛村、西台神村');
    expect(unit).not.toContain('柳河村');

    // A contact: their villages (孙建民: 南庄村, 西台神村, 隘口村).
    const contact = await b.ask('SunJianMin', '走访记录');
    expect(contact).toContain('南庄村');
    expect(contact).not.toContain('北堡村');

    // A cadre: their own village only, no unit obligations.
    const cadre = await b.ask('LiXiaoYan', '走访记录');
    expect(cadre).toContain('【北堡村】共 2 次');
    expect(cadre).not.toContain('牛村');
    expect(cadre).not.toContain('派出单位领导到村情况');
  });

  it('narrows to a village or unit in scope and refuses one outside it', async () => {
    const one = await b.ask('WuJianZhong', '走访记录 县财政局');
    expect(one).toContain('【县财政局】');
    expect(one).toContain('【北堡村】');
    expect(one).not.toContain('【牛村】');
    expect(await b.ask('YaoWenBin', '走访记录 北堡村')).toContain('不在您可以查看的范围内');
    expect((await b.sayInGroup('WuJianZhong', '走访记录'))?.text).toContain('只在与本助手的单聊中回复');
  });
});
