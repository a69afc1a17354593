/**
 * `我的积分` and `积分` through the bot core on the real Redis: a cadre's events of the current half year (term
 * halves by default: 2026-10-28 to 2027-04-27 for the sample roster) traced to presence, a closed problem, a
 * leader's visit, 超假 and a notice given by a notices source built here; supervisors' scopes; lists ordered by
 * village and name, never by score.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import help from '../../handlers/help.js';
import myPoints from '../../handlers/my-points.js';
import points from '../../handlers/points.js';
import { closeProblem, problem } from '../../handlers/problems.js';
import { Tx } from '../../src/redis/tx.js';
import { VisitRepo } from '../../src/visits/repo.js';
import type { NoticeRecord } from '../../src/points/notices.js';
import { checkIn, days, leave } from '../attendance/seed.js';
import { testBot } from '../helpers/bot.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const b = testBot(t, { commands: [help, myPoints, points, problem, closeProblem], start: '2026-11-05T10:00:00+08:00' });
const NOTICES: Record<string, NoticeRecord[]> = {
  LiXiaoYan: [{ number: 'Z2026-014', kind: 'rectify', issuedOn: '2026-11-03', state: 'open' }],
};

beforeAll(async () => {
  await b.setup();
  // The notices' store is not part of this module: a source made for the test answers for it.
  b.deps.notices = {
    ofUsers: async (ids) => new Map(ids.map((id) => [id, NOTICES[id] ?? []])),
  };
  await checkIn(t, 'LiXiaoYan', days('2026-11-01', '2026-11-24'));
  await checkIn(t, 'ZhaoWenBo', days('2026-11-01', '2026-11-24'));
  await checkIn(t, 'ZhaoWenBo', ['2026-11-25']);
  // Leave to Friday 30 October, back on Monday 2 November: one working day over.
  await leave(t, 'LiXiaoYan', '事假', '2026-10-29', '2026-10-30', { returnedOn: '2026-11-02' });
  expect(await b.ask('LiXiaoYan', '问题 村东水渠漏水，需要维修')).toContain('P1001');
  b.clock.set('2026-11-06T10:00:00+08:00');
  expect(await b.ask('LiZhenHua', '办结 P1001 水利站已修好')).toContain('P1001');
  const tx = new Tx();
  new VisitRepo(t.redis, t.keys).save(tx, {
    no: 'V1001',
    userId: 'DuHongWei',
    village: 'beibao',
    at: new Date('2026-11-10T10:00:00+08:00').toISOString(),
    source: 'page',
    distanceM: 120,
    photos: [],
    units: [],
  });
  await tx.commit(t.redis);
  b.clock.set('2026-11-25T10:00:00+08:00');
});

describe('我的积分', () => {
  it('lists the events behind every point of the current half year', async () => {
    const text = await b.ask('LiXiaoYan', '我的积分');
    const lines = text.split('\n');
    expect(lines[0]).toBe('您的积分（10月28日至2027年4月27日，截至11月25日）：合计+1分。');
    const detail = lines.slice(lines.indexOf('明细：') + 1, lines.indexOf('明细：') + 7);
    expect(detail).toEqual([
      '11月2日　−2　超假（Q9001）',
      '11月3日　−3　整改单Z2026-014',
      '11月6日　+3　问题P1001已办结',
      '11月10日　+1　杜宏伟到村调研（V1001）',
      '11月23日　+1　2026年11月在村超出月目标（22天）',
      '11月24日　+1　2026年11月在村超出月目标（22天）',
    ]);
    expect(text).toContain('· 超出月目标的在村天数：2次，+2分，本半年最多20分');
    expect(text).not.toContain('尚未接入');
  });

  it('shows another half year when asked, and refuses words that are not one', async () => {
    const text = await b.ask('LiXiaoYan', '我的积分 上半年');
    expect(text.split('\n')[0]).toBe('您的积分（4月28日至10月27日，截至10月27日）：合计0分。');
    expect(text).toContain('这半年还没有计分的记录。');
    expect(await b.ask('LiXiaoYan', '我的积分 2028H1')).toContain('没有2028H1');
    expect(await b.ask('LiXiaoYan', '我的积分 去年')).toContain('请这样写');
  });

  it('says so when the notices are not known, instead of counting none', async () => {
    const saved = b.deps.notices;
    delete b.deps.notices;
    try {
      const text = await b.ask('LiXiaoYan', '我的积分');
      expect(text).toContain('合计+4分');
      expect(text).toContain('提醒单、整改单、警示单尚未接入，未计入积分。');
    } finally {
      b.deps.notices = saved;
    }
  });

  it('is for one-to-one chats and for cadres only', async () => {
    expect((await b.sayInGroup('LiXiaoYan', '我的积分'))?.text).not.toContain('合计');
    expect(await b.ask('LiZhenHua', '我的积分')).not.toContain('合计');
  });
});

describe('积分 (supervisors)', () => {
  it('lists the township by village and name, never by score', async () => {
    const text = await b.ask('LiZhenHua', '积分');
    const rows = text.split('\n').filter((l) => /分\u3000/.test(l));
    const names = rows.map((r) => r.split('\u3000')[1]);
    // 赵文博 (+4: one more day, the same visit) has more points than 李晓燕 (+1), and is still listed after her: 北堡村 by name.
    expect(rows.find((r) => r.includes('赵文博'))).toContain('+4分');
    expect(names.slice(0, 4)).toEqual(['李晓燕', '孙丽娟', '王建国', '赵文博']);
    expect(rows.every((r, i) => i < 4 === r.startsWith('北堡村'))).toBe(true);
    const villages = [...new Set(rows.map((r) => r.split('\u3000')[0]))];
    expect(villages).toEqual(['北堡村', '牛村', '柳河村']);
  });

  it("shows a cadre's events within the scope and refuses those outside it", async () => {
    expect(await b.ask('LiZhenHua', '积分 李晓燕')).toContain('北堡村　李晓燕的积分');
    // 杜宏伟 leads 县财政局: 李晓燕 is the unit's cadre, 赵文博 (县人社局) is not.
    expect(await b.ask('DuHongWei', '积分 李晓燕')).toContain('11月10日　+1');
    expect(await b.ask('DuHongWei', '积分 赵文博')).toContain('不在您负责的范围内');
    expect(await b.ask('ZhangGuoDong', '积分 李晓燕')).toContain('不在您负责的范围内');
    expect(await b.ask('WuJianZhong', '积分 新田乡')).toContain('北堡村　李晓燕　+1分');
    expect(await b.ask('WuJianZhong', '积分 无此人')).toContain('名册中没有');
  });

  it('is not for cadres, nor for a 领队 about the peers', async () => {
    expect(await b.ask('LiXiaoYan', '积分 赵文博')).not.toContain('赵文博的积分');
    expect(await b.ask('WangJianGuo', '积分 李晓燕')).not.toContain('李晓燕的积分');
  });
});
