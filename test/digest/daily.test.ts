import { describe, expect, it } from 'vitest';
import type { CheckinRecord } from '../../src/attendance/record.js';
import {
  dailyModel,
  dailyTotals,
  dayIsOver,
  waitingOn,
  waitingSince,
  type DailyCadre,
  type DailyInput,
} from '../../src/digest/daily.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { dailyGroup, dailySupervisors, monthText, waited } from '../../templates/digest.js';

const ON_TRACK = { present: 12, target: 22, needed: 10, remaining: 13, status: 'on-track' as const };

function cadre(name: string, records: Partial<CheckinRecord>[] = [], extra: Partial<DailyCadre> = {}): DailyCadre {
  return {
    userid: name,
    name,
    village: '北堡村',
    records: records.map((r, i) => ({
      id: `${name}${i}`,
      at: '2026-11-18T00:30:00.000Z',
      source: 'page',
      trust: 'verified',
      direction: 'in',
      inside: true,
      counts: true,
      ...r,
    })),
    reportsToday: 0,
    month: ON_TRACK,
    ...extra,
  };
}

function input(now: string, date = '2026-11-18'): DailyInput {
  return {
    township: { id: 'xintian', name: '新田乡' },
    date,
    now: new Date(now),
    cadres: [
      cadre('甲一', [{}]),
      cadre('乙二'),
      cadre('丙三', [{ counts: false, inside: false, distanceM: 850 }]),
      cadre('丁四', [], { leave: { no: 'Q1', type: '病假', start: '2026-11-18', end: '2026-11-20' } }),
      cadre('戊五', [{ source: 'message', trust: 'self-reported' }], { reportsToday: 2 }),
    ],
    pending: [],
  };
}

const TEXT = { time: '18:00', backfillHours: 48 };

describe('daily digest model', () => {
  it('says 暂无数据 for those without a check-in while the day is not over', () => {
    const m = dailyModel(input('2026-11-18T18:00:00+08:00'));
    expect(m.dayOver).toBe(false);
    expect([m.checkedIn, m.expected, m.selfReported]).toEqual([2, 4, 1]);
    expect(m.missing.map((c) => c.name)).toEqual(['乙二', '丙三']);
    expect(m.missing[1]!.outside).toBe(850);
    const text = dailySupervisors(m, TEXT);
    expect(text).toContain('**暂无数据 2 人**');
    expect(text).toContain('48 小时内补登');
    expect(text).not.toContain('未签到');
    expect(text).toContain('丙三（北堡村）<font color="comment">有签到，但在村外约 850 米</font>');
  });

  it('says 未签到 once the day is over (a run after midnight, or a past date)', () => {
    for (const m of [dailyModel(input('2026-11-19T00:05:00+08:00')), dailyModel(input('2026-11-25T18:00:00+08:00'))]) {
      expect(m.dayOver).toBe(true);
      const text = dailySupervisors(m, TEXT);
      expect(text).toContain('**未签到 2 人**');
      expect(text).toContain('全天签到');
      expect(text).not.toContain('暂无数据');
    }
    expect(dayIsOver('2026-11-18', new Date('2026-11-18T23:59:59+08:00'))).toBe(false);
    expect(dayIsOver('2026-11-18', new Date('2026-11-19T00:00:00+08:00'))).toBe(true);
  });

  it('marks a day backed only by a self-reported location', () => {
    const text = dailySupervisors(dailyModel(input('2026-11-18T18:00:00+08:00')), TEXT);
    expect(text).toContain('其中 1 人仅有<font color="warning">自报位置</font>');
    expect(text).toContain('戊五（北堡村）08:30 <font color="warning">自报位置（地图上自选）</font>');
  });

  it('gives the group totals without names', () => {
    const text = dailyGroup(dailyTotals(dailyModel(input('2026-11-18T18:00:00+08:00'))), TEXT);
    expect(text).toContain('今日签到 <font color="info">2</font>/4（截至 18:00），请假 1 人，汇报 2 篇');
    for (const name of ['甲一', '乙二', '丙三', '丁四', '戊五']) expect(text).not.toContain(name);
    expect(text.split('\n').at(-1)).toBe('（本群是新田乡驻村工作群，每天18:00收到本乡镇（街道）合计情况）');
  });
});

describe('self-reported locations waiting for confirmation', () => {
  const withPending = (): DailyInput => {
    const i = input('2026-11-18T18:00:00+08:00');
    i.cadres.push(
      cadre('己六', [
        { source: 'message', trust: 'self-reported', counts: false, distanceM: 300, review: { status: 'pending' } },
      ]),
      cadre('庚七', [{ source: 'message', trust: 'self-reported', review: { status: 'confirmed' } }]),
      cadre('辛八', [{ source: 'message', trust: 'self-reported', counts: false, review: { status: 'rejected' } }]),
    );
    return i;
  };

  it('lists the pending ones apart, not as missing, and a confirmed one as 已确认', () => {
    const m = dailyModel(withPending());
    expect(m.awaiting.map((a) => a.name)).toEqual(['己六']);
    expect(m.missing.map((c) => c.name)).toEqual(['乙二', '丙三', '辛八']);
    expect([m.checkedIn, m.expected]).toEqual([3, 7]);
    const text = dailySupervisors(m, TEXT);
    expect(text).toContain('另有 <font color="warning">1</font> 人的自报位置待确认：己六');
    expect(text).toContain('**自报位置待确认 1 人**');
    expect(text).toContain('己六（北堡村）08:30 <font color="warning">自报位置</font>，距村部 300 米');
    expect(text).toContain('庚七（北堡村）08:30 自报位置（地图上自选）<font color="comment">·已确认</font>');
    expect(text).toContain('辛八（北堡村）<font color="comment">有自报位置，未计入</font>');
    // Only the unconfirmed self-reported day (戊五) is "未经定位核实".
    expect(text).toContain('其中 1 人仅有');
    const group = dailyGroup(dailyTotals(m), TEXT);
    expect(group).toContain('自报位置待确认 <font color="warning">1</font> 人，确认后计入');
    expect(group).not.toContain('己六');
  });
});

describe('flagged check-ins', () => {
  const flaggedInput = (): DailyInput => {
    const i = input('2026-11-18T18:00:00+08:00');
    i.cadres[0] = cadre('甲一', [{ flagged: { kind: 'speed', speedKmh: 840, since: '2026-11-17T15:10:00.000Z' } }]);
    return i;
  };

  it('lists them by name for the supervisors, with the speed and the previous position’s time', () => {
    const m = dailyModel(flaggedInput());
    expect(m.flagged).toEqual([
      { name: '甲一', village: '北堡村', at: '08:30', source: 'page', speedKmh: 840, since: '11-17 23:10' },
    ]);
    const text = dailySupervisors(m, TEXT);
    expect(text).toContain('**<font color="warning">位置存疑</font> 1 条**');
    expect(text).toContain('甲一（北堡村）08:30 签到页定位，自 11-17 23:10 的位置起需时速约 840 公里');
    expect(dailySupervisors(dailyModel(input('2026-11-18T18:00:00+08:00')), TEXT)).not.toContain('位置存疑');
  });

  it('gives the group only their number', () => {
    const text = dailyGroup(dailyTotals(dailyModel(flaggedInput())), TEXT);
    expect(text).toContain('位置存疑的签到 <font color="warning">1</font> 条');
    expect(text).not.toContain('甲一');
    expect(dailyGroup(dailyTotals(dailyModel(input('2026-11-18T18:00:00+08:00'))), TEXT)).not.toContain('位置存疑');
  });
});

describe('waiting approvals', () => {
  const base: LeaveRequest = {
    no: 'Q1',
    userId: 'u',
    type: '事假',
    class: 'absent',
    start: '2026-11-20',
    end: '2026-11-22',
    days: 3,
    reason: '',
    createdAt: '2026-11-18T01:00:00.000Z',
    status: 'pending',
    steps: [
      { kind: 'township', approvers: ['S1'] },
      { kind: 'sending-unit', approvers: ['U1'] },
    ],
  };
  const second: LeaveRequest = {
    ...base,
    steps: [{ ...base.steps[0]!, decision: 'approved', by: 'S1', at: '2026-11-18T04:00:00.000Z' }, base.steps[1]!],
  };

  it('waits since creation on the first step and since the last decision on a later one', () => {
    expect(waitingSince(base)).toBe('2026-11-18T01:00:00.000Z');
    expect(waitingSince(second)).toBe('2026-11-18T04:00:00.000Z');
  });

  it('lists only requests whose current step is the supervisors’', () => {
    expect(waitingOn([base, second, { ...base, no: 'Q2', status: 'approved' }], ['S1']).map((r) => r.no)).toEqual([
      'Q1',
    ]);
    expect(waitingOn([base, second], ['U1'])).toEqual([second]);
  });

  it('says how long in plain words', () => {
    expect([waited(20), waited(60), waited(5 * 60 + 59), waited(47 * 60), waited(50 * 60)]).toEqual([
      '不到 1 小时',
      '1 小时',
      '5 小时',
      '47 小时',
      '2 天',
    ]);
  });
});

describe('month line', () => {
  it('shows the target, and the forecast when it is not on track', () => {
    expect(monthText(ON_TRACK)).toBe('12/22 天');
    expect(monthText({ present: 9, target: 22, needed: 13, remaining: 13, status: 'at-risk' })).toBe(
      '9/22 天 <font color="warning">有风险：还需 13 天，本月剩 13 天</font>',
    );
    expect(monthText({ present: 9, target: null, needed: null, remaining: 13, status: 'pending' })).toBe(
      '9 天（目标待定）',
    );
  });
});
