/**
 * A prepared month for the digest tests (sample data, invented people): the sample roster plus one cadre who
 * arrived on 2 November (六个一 running), check-ins of every kind on 18 November 2026 in 新田乡, presence so far
 * this month, leave approved and waiting, reports, and open warnings.
 */
import { CheckinRepo } from '../../src/attendance/ledger.js';
import type { CheckinRecord, CheckinSource } from '../../src/attendance/record.js';
import { TRUST } from '../../src/attendance/record.js';
import { dayOfYear, eachDate } from '../../src/kit/dates.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import type { RedisClient } from '../../src/redis/client.js';
import type { Keys } from '../../src/redis/keys.js';
import { Tx } from '../../src/redis/tx.js';
import { ReportRepo } from '../../src/reports/repo.js';
import type { ReportTag } from '../../src/reports/report.js';
import type { RosterData } from '../../src/roster/schema.js';
import { RectifyReplyRepo } from '../../src/warnings/replies.js';
import { WarningRepo } from '../../src/warnings/store.js';
import { sampleRosterData } from '../helpers/deps.js';

export const NOW = new Date('2026-11-18T18:00:00+08:00');
export const TODAY = '2026-11-18';

/** The sample roster with a new cadre in 柳河村 (term from 2 November). */
export function datasetRoster(): RosterData {
  const data = sampleRosterData();
  data.cadres.push({
    ...data.cadres.find((c) => c.userid === 'HeJing')!,
    userid: 'QinXiaoYu',
    name: '秦晓雨',
    termStart: '2026-11-02',
    termEnd: '2027-11-01',
    teamLeader: false,
  });
  return data;
}

/** Days present from 1 November up to the 17th, per cadre (everyone else: 15). */
const PRESENT_DAYS: Record<string, number> = {
  WangJianGuo: 17,
  ZhaoWenBo: 3,
  YangHaiTao: 10,
  ChenHaoRan: 12,
  QinXiaoYu: 14,
  GaoLiXin: 13,
  JiaLiPing: 10,
  BaiJianJun: 11,
  WeiSiYuan: 9,
  TianXiaoLi: 12,
};

function record(id: string, at: string, source: CheckinSource, extra: Partial<CheckinRecord> = {}): CheckinRecord {
  return {
    id,
    at: new Date(at).toISOString(),
    source,
    trust: TRUST[source],
    direction: 'in',
    inside: true,
    counts: true,
    ...extra,
  };
}

function leave(
  no: string,
  userId: string,
  type: string,
  cls: LeaveRequest['class'],
  start: string,
  end: string,
  extra: Partial<LeaveRequest> = {},
): LeaveRequest {
  return {
    no,
    userId,
    type,
    class: cls,
    start,
    end,
    days: eachDate(start, end).length,
    reason: '示例',
    createdAt: '2026-11-10T02:00:00.000Z',
    status: 'approved',
    steps: [
      {
        kind: 'township',
        approvers: ['LiZhenHua', 'WangHaiYan'],
        decision: 'approved',
        by: 'LiZhenHua',
        at: '2026-11-10T03:00:00.000Z',
      },
    ],
    ...extra,
  };
}

const REPORTS: { userId: string; at: string; tags: ReportTag[]; households?: number }[] = [
  { userId: 'GuoYongHong', at: '2026-11-18T10:00:00+08:00', tags: ['走访'] },
  { userId: 'GuoYongHong', at: '2026-11-18T16:30:00+08:00', tags: [] },
  { userId: 'MaJunJie', at: '2026-11-18T12:00:00+08:00', tags: [] },
  // After the digest's time: not counted in it.
  { userId: 'MaJunJie', at: '2026-11-18T20:00:00+08:00', tags: [] },
  { userId: 'WangJianGuo', at: '2026-11-10T17:00:00+08:00', tags: [] },
  { userId: 'WangJianGuo', at: '2026-11-13T17:00:00+08:00', tags: [] },
  { userId: 'ZhouMingHui', at: '2026-11-12T17:00:00+08:00', tags: [] },
  { userId: 'QinXiaoYu', at: '2026-11-05T17:00:00+08:00', tags: ['计划'] },
  { userId: 'QinXiaoYu', at: '2026-11-11T17:00:00+08:00', tags: ['走访'], households: 60 },
  { userId: 'QinXiaoYu', at: '2026-11-14T17:00:00+08:00', tags: ['村民说事'] },
];

/** Write the dataset into Redis (the roster is stored by the caller). */
export async function seedDataset(redis: RedisClient, keys: Keys, roster: RosterData): Promise<void> {
  // Presence so far this month, straight into the bitmaps: the ledger's detail is only needed for today.
  const bits: Promise<unknown>[] = [];
  for (const c of roster.cadres) {
    const n = PRESENT_DAYS[c.userid] ?? 15;
    const from = c.termStart > '2026-11-01' ? c.termStart : '2026-11-01';
    for (const d of eachDate(from, '2026-11-17').slice(0, n))
      bits.push(redis.setbit(keys.presence(c.userid, 2026), dayOfYear(d), 1));
  }
  await Promise.all(bits);

  const tx = new Tx();
  const ledger = new CheckinRepo(redis, keys);
  const today: [string, CheckinRecord][] = [
    ['WangJianGuo', record('d1', '2026-11-18T08:10:00+08:00', 'page')],
    ['LiXiaoYan', record('d2', '2026-11-18T09:02:00+08:00', 'message')],
    ['LiuFang', record('d3', '2026-11-18T07:45:00+08:00', 'auto')],
    [
      'ChenHaoRan',
      record('d4', '2026-11-18T08:40:00+08:00', 'page', { inside: false, counts: false, distanceM: 2300 }),
    ],
    ['GuoYongHong', record('d5', '2026-11-18T08:30:00+08:00', 'page')],
    ['MaJunJie', record('d6', '2026-11-18T08:05:00+08:00', 'page')],
    ['QinXiaoYu', record('d7', '2026-11-18T08:20:00+08:00', 'page')],
    ['ZhouMingHui', record('d8', '2026-11-18T08:00:00+08:00', 'page')],
  ];
  for (const [u, r] of today) ledger.add(tx, u, TODAY, [], r);

  const leaves = new LeaveRepo(redis, keys);
  leaves.save(tx, leave('Q1001', 'SunLiJuan', '事假', 'absent', '2026-11-17', '2026-11-19'));
  leaves.save(tx, leave('Q1002', 'HeJing', '公差', 'present', '2026-11-16', '2026-11-20'));
  leaves.save(tx, leave('Q1003', 'ZhaoWenBo', '病假', 'excused', '2026-11-12', '2026-11-13'));
  // Waiting on the township: since 13:00 today (5 hours), and since the 16th (2 days).
  const waiting = [{ kind: 'township' as const, approvers: ['LiZhenHua', 'WangHaiYan'] }];
  leaves.save(
    tx,
    leave('Q1004', 'ZhangZhiQiang', '事假', 'absent', '2026-11-20', '2026-11-20', {
      status: 'pending',
      createdAt: '2026-11-18T05:00:00.000Z',
      steps: waiting,
    }),
  );
  leaves.save(
    tx,
    leave('Q1005', 'YangHaiTao', '事假', 'absent', '2026-11-23', '2026-11-24', {
      status: 'pending',
      createdAt: '2026-11-16T01:30:00.000Z',
      steps: waiting,
    }),
  );
  // Approved by the township, now with the sending unit: not waiting on the township.
  leaves.save(
    tx,
    leave('Q1006', 'LiuFang', '事假', 'absent', '2026-11-25', '2026-11-27', {
      status: 'pending',
      steps: [
        {
          kind: 'township',
          approvers: ['LiZhenHua', 'WangHaiYan'],
          decision: 'approved',
          by: 'LiZhenHua',
          at: '2026-11-17T01:00:00.000Z',
        },
        { kind: 'sending-unit', approvers: ['YaoWenBin'] },
      ],
    }),
  );

  const reports = new ReportRepo(redis, keys);
  REPORTS.forEach((r, i) => {
    const no = `H${1001 + i}`;
    reports.save(tx, {
      no,
      userId: r.userId,
      text: '示例汇报',
      tags: r.tags,
      households: r.households ?? (r.tags.includes('走访') ? 1 : 0),
      createdAt: new Date(r.at).toISOString(),
    });
  });

  const warnings = new WarningRepo(redis, keys);
  warnings.record(tx, 'ZhaoWenBo', '2026-10', 'rectify', new Date('2026-11-02T10:00:00+08:00'));
  warnings.record(tx, 'YangHaiTao', '2026-10', 'rectify', new Date('2026-11-02T10:00:00+08:00'));
  warnings.record(tx, 'RenBaoPing', '2026-11', 'warn', new Date('2026-11-16T10:00:00+08:00'));
  // A 提醒 is private to the cadre: stored, but never in a digest.
  warnings.record(tx, 'WangJianGuo', '2026-11', 'remind', new Date('2026-11-10T10:00:00+08:00'));
  new RectifyReplyRepo(redis, keys).save(tx, 'YangHaiTao', '2026-10', {
    text: '10月参加县里培训较多，本月补足',
    at: '2026-11-03T09:00:00.000Z',
  });
  await tx.commit(redis);
}
