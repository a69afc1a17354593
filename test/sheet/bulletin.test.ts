/**
 * The monthly 通报 draft (.docx), read back from word/document.xml paragraph by paragraph for a prepared month:
 * October 2026, two cadres with days in the village, notices issued and closed in the month and around it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { closed, issue, type Notice } from '../../src/notices/notice.js';
import { NoticeRepo } from '../../src/notices/repo.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Tx } from '../../src/redis/tx.js';
import { Roster } from '../../src/roster/roster.js';
import { exportBulletin } from '../../src/sheet/bulletin.js';
import { checkIn, days, leave } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { paragraphs } from '../helpers/docx.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const NOW = new Date('2026-11-18T09:00:00+08:00');
const roster = new Roster(sampleRosterData());
const policy = defaultPolicy();
const src = { redis: t.redis, keys: t.keys, policy, calendar: new HolidayCalendar() };

function notice(no: string, userid: string, issuedAt: string, reason: string): Notice {
  const kind = no.startsWith('T') ? 'remind' : no.startsWith('Z') ? 'rectify' : 'warn';
  return issue(
    {
      kind,
      cadre: roster.cadres.get(userid)!,
      trigger: 'manual',
      triggerId: `manual:${no}`,
      reason,
      facts: [reason],
      issuedBy: 'WuJianZhong',
    },
    no,
    { now: new Date(issuedAt), roster, policy },
  );
}

beforeAll(async () => {
  await checkIn(t, 'LiXiaoYan', ['2026-10-03', ...days('2026-10-08', '2026-10-16')]);
  await checkIn(t, 'LiXiaoYan', ['2026-10-17'], 'message');
  await leave(t, 'LiXiaoYan', '病假', '2026-10-19', '2026-10-21');
  await leave(t, 'LiXiaoYan', '公差', '2026-10-22', '2026-10-23');
  await checkIn(t, 'ZhaoWenBo', days('2026-10-08', '2026-10-09'));
  const at = (s: string) => new Date(`${s}+08:00`);
  const docs = [
    // Issued in September, closed in October.
    closed(
      notice('J2026-001', 'FanWeiDong', '2026-09-20T10:00:00+08:00', '九月原因'),
      'WuJianZhong',
      at('2026-10-05T11:00:00'),
      '已整改',
    ),
    // Issued and closed in October.
    closed(
      notice('Z2026-014', 'ZhaoWenBo', '2026-10-09T10:00:00+08:00', '十月原因甲'),
      'LiZhenHua',
      at('2026-10-20T15:00:00'),
      '属实',
    ),
    // Issued in October, still as issued.
    notice('T2026-001', 'LiXiaoYan', '2026-10-12T10:00:00+08:00', '十月原因乙'),
    // Issued in November: not in October's draft.
    notice('Z2026-015', 'LiXiaoYan', '2026-11-02T10:00:00+08:00', '十一月原因'),
  ];
  const tx = new Tx();
  const repo = new NoticeRepo(t.redis, t.keys);
  for (const d of docs) repo.save(tx, d);
  await tx.commit(t.redis);
});

describe('the monthly 通报 draft', () => {
  it('reads in order: title, county, townships in roster order, notices issued and closed', async () => {
    const out = await exportBulletin(src, roster, '2026-10', NOW);
    expect(out).toMatchObject({ cadres: 31, issued: 2, closed: 2 });
    const text = await paragraphs(out.bytes);

    // October 2026: 31 days, 7 of them off (国庆); 24 eligible days each, 21 for 李晓燕 (3 days of sick leave).
    // Presence on eligible days: 李晓燕 9 verified, 1 self-reported, 2 of 公差 (her holiday day is not in the
    // rate); 赵文博 2. Everyone missed September's target; only 李晓燕 and 赵文博 have any day in October.
    const xintian = roster.cadresOfTownship('xintian').length;
    const fengcheng = roster.cadresOfTownship('fengcheng').length;
    const gaocun = roster.cadresOfTownship('gaocun').length;
    expect(xintian + fengcheng + gaocun).toBe(31);
    const eligible = 31 * 24 - 3;
    const pct = (a: number, b: number) => `${Math.round((a / b) * 1000) / 10}%`;
    expect(text).toEqual([
      '侯马市（示例）驻村干部2026年10月在岗履职情况通报',
      '（草稿：由系统根据考勤、请假和通知单数据生成，请核实、修改后印发。）',
      '一、全县总体情况',
      `2026年10月，全县在岗驻村干部 31 名，在村 14 人天，应在村 ${eligible} 人天，在村率 ${pct(14, eligible)}；` +
        '已达到月目标 0 名，未达到 31 名；上月未达到月目标 31 名。',
      '二、各乡镇（街道）情况',
      '各乡镇（街道）按名册顺序排列，不作排名。',
      ...['乡镇（街道）', '驻村干部', '在村人天', '应在村人天', '在村率', '达到月目标', '未达到', '待定', '上月未达到'],
      ...[
        '新田乡',
        `${xintian}`,
        '14',
        `${xintian * 24 - 3}`,
        pct(14, xintian * 24 - 3),
        '0',
        `${xintian}`,
        '0',
        `${xintian}`,
      ],
      ...['凤城乡', `${fengcheng}`, '0', `${fengcheng * 24}`, '0%', '0', `${fengcheng}`, '0', `${fengcheng}`],
      ...['高村乡', `${gaocun}`, '0', `${gaocun * 24}`, '0%', '0', `${gaocun}`, '0', `${gaocun}`],
      '三、通知单情况',
      '本月发出通知单 2 份（提醒单 1 份，整改单 1 份，警示单 0 份），销号 2 份。',
      '（一）本月发出的通知单',
      'Z2026-014 整改单：新田乡北堡村 赵文博，10月9日发出，十月原因甲（已销号）。',
      'T2026-001 提醒单：新田乡北堡村 李晓燕，10月12日发出，十月原因乙（已送达）。',
      '（二）本月销号的通知单',
      'J2026-001 警示单：高村乡西台神村 范卫东，9月20日发出，10月5日销号。',
      'Z2026-014 整改单：新田乡北堡村 赵文博，10月9日发出，10月20日销号。',
      '县委组织部',
      '　　年　　月　　日',
    ]);
    // No per-person figures: a cadre's name appears only in the notice lists.
    const figures = text.slice(0, text.indexOf('三、通知单情况')).join('');
    for (const c of roster.data.cadres) expect(figures).not.toContain(c.name);
  });

  it('says the running month is counted to today and names no notice when there is none', async () => {
    const text = await paragraphs((await exportBulletin(src, roster, '2026-12', NOW)).bytes);
    expect(text[3]).toMatch(/^2026年12月（截至2026年11月18日），全县在岗驻村干部 31 名/);
    expect(text).toContain('按计划');
    expect(text.filter((p) => p === '无。')).toHaveLength(2);
  });
});
