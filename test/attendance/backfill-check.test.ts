import { describe, expect, it } from 'vitest';
import type { Backfill } from '../../src/attendance/backfill.js';
import {
  checkBackfill,
  newBackfill,
  readBackfillAsk,
  type BackfillFacts,
} from '../../src/attendance/backfill-check.js';
import type { CheckinRecord } from '../../src/attendance/record.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Roster } from '../../src/roster/roster.js';
import { sampleRosterData } from '../helpers/deps.js';

// Friday 20 November 2026, 09:00 in Shanghai. The sample cadres serve 2026-04-28 to 2027-04-27.
const now = new Date('2026-11-20T09:00:00+08:00');
const policy = defaultPolicy(); // back-fill window: 48 hours after the end of the day
const roster = new Roster(sampleRosterData());
const cadre = roster.cadres.get('ZhangZhiQiang')!;
const confirmers = ['WangJianGuo', 'LiZhenHua', 'WangHaiYan'];
const none: BackfillFacts = { leaves: [], day: [], backfills: [] };

const leave = (extra: Partial<LeaveRequest>): LeaveRequest => ({
  no: 'Q1001',
  userId: cadre.userid,
  type: '事假',
  class: 'absent',
  start: '2026-11-18',
  end: '2026-11-19',
  days: 2,
  reason: '',
  createdAt: '2026-11-17T00:00:00.000Z',
  status: 'approved',
  steps: [],
  ...extra,
});
const record = (counts: boolean): CheckinRecord => ({
  id: 'u1',
  at: '2026-11-19T01:00:00.000Z',
  source: 'page',
  trust: 'self-reported',
  direction: counts ? 'in' : 'out',
  inside: counts,
  counts,
});
const backfill = (extra: Partial<Backfill>): Backfill => ({
  no: 'B1001',
  userId: cadre.userid,
  date: '2026-11-19',
  reason: '没信号',
  confirmers,
  createdAt: '2026-11-19T12:00:00.000Z',
  status: 'pending',
  ...extra,
});
/** The sample roster without anyone who could confirm a back-fill in 新田乡. */
const nobodyToConfirm = () => {
  const data = sampleRosterData();
  return new Roster({
    ...data,
    supervisors: data.supervisors.filter((s) => !(s.kind === 'township' && s.scope === 'xintian')),
    cadres: data.cadres.map((c) => ({ ...c, teamLeader: false })),
  });
};

describe('readBackfillAsk: one day and a reason', () => {
  it.each([
    ['昨天 山里没信号', { date: '2026-11-19', reason: '山里没信号' }],
    ['山里没信号，11月18日', { date: '2026-11-18', reason: '山里没信号' }],
    ['今天：一直没信号', { date: '2026-11-20', reason: '一直没信号' }],
    ['山里没信号', { code: 'backfill_no_date' }],
    ['11月18日至19日 山里没信号', { code: 'backfill_range', start: '2026-11-18', end: '2026-11-19' }],
    ['昨天', { code: 'backfill_no_reason' }],
    ['昨天 ，。', { code: 'backfill_no_reason' }],
  ])('%s', (text, expected) => {
    expect(readBackfillAsk(text, now)).toEqual(expected);
  });
});

describe('checkBackfill: the first broken rule, or the draft with its confirmers', () => {
  const ask = (date: string) => ({ date, reason: '山里没信号' });
  const term = { termStart: '2026-04-28', termEnd: '2027-04-27' };
  const cases: [string, string, Partial<BackfillFacts>, Record<string, unknown>, Date?, Roster?][] = [
    ['yesterday, nothing in the way', '2026-11-19', {}, { date: '2026-11-19', reason: '山里没信号', confirmers }],
    ['today (no signal all day)', '2026-11-20', {}, { date: '2026-11-20', confirmers }],
    ['tomorrow', '2026-11-21', {}, { code: 'backfill_future', date: '2026-11-21' }],
    ['two days back, 48 hours after its end not yet passed', '2026-11-18', {}, { date: '2026-11-18' }],
    [
      'two days back, one minute past the window',
      '2026-11-18',
      {},
      { code: 'backfill_expired', date: '2026-11-18', hours: 48 },
      new Date('2026-11-21T00:01:00+08:00'),
    ],
    [
      'two days back, exactly at the end of the window',
      '2026-11-18',
      {},
      { date: '2026-11-18' },
      new Date('2026-11-21T00:00:00+08:00'),
    ],
    ['three days back', '2026-11-17', {}, { code: 'backfill_expired', date: '2026-11-17', hours: 48 }],
    [
      'the day before the term',
      '2026-04-27',
      {},
      { code: 'backfill_outside_term', date: '2026-04-27', ...term },
      new Date('2026-04-28T09:00:00+08:00'),
    ],
    ['the first day of the term', '2026-04-28', {}, { date: '2026-04-28' }, new Date('2026-04-29T09:00:00+08:00')],
    [
      'the day after the term',
      '2027-04-28',
      {},
      { code: 'backfill_outside_term', date: '2027-04-28', ...term },
      new Date('2027-04-28T09:00:00+08:00'),
    ],
    [
      'inside an approved leave',
      '2026-11-19',
      { leaves: [leave({})] },
      { code: 'backfill_on_leave', date: '2026-11-19', leave: 'Q1001', type: '事假' },
    ],
    [
      'inside a pending leave (not yet leave)',
      '2026-11-19',
      { leaves: [leave({ status: 'pending' })] },
      { date: '2026-11-19' },
    ],
    [
      'after the return from leave (销假)',
      '2026-11-19',
      { leaves: [leave({ returnedOn: '2026-11-18', returnedAt: 'x' })] },
      { date: '2026-11-19' },
    ],
    [
      'already counted',
      '2026-11-19',
      { day: [record(false), record(true)] },
      { code: 'backfill_present', date: '2026-11-19' },
    ],
    ['only a 签退 that day', '2026-11-19', { day: [record(false)] }, { date: '2026-11-19' }],
    [
      'already asked and pending',
      '2026-11-19',
      { backfills: [backfill({})] },
      { code: 'backfill_pending', date: '2026-11-19', no: 'B1001' },
    ],
    [
      'asked before and rejected',
      '2026-11-19',
      { backfills: [backfill({ status: 'rejected' })] },
      { date: '2026-11-19', confirmers },
    ],
    [
      'pending for another day',
      '2026-11-19',
      { backfills: [backfill({ date: '2026-11-18' })] },
      { date: '2026-11-19' },
    ],
    [
      'nobody on the roster to confirm',
      '2026-11-19',
      {},
      { code: 'backfill_no_confirmer' },
      undefined,
      nobodyToConfirm(),
    ],
  ];
  it.each(cases)('%s', (_name, date, facts, expected, at = now, r = roster) => {
    const got = checkBackfill(ask(date), { ...none, ...facts }, { now: at, policy, roster: r, cadre });
    if ('code' in expected) expect(got).toEqual(expected);
    else expect(got).toMatchObject(expected);
  });

  it('the window follows the policy', () => {
    const short = { ...policy, checkin: { ...policy.checkin, backfillHours: 6 } };
    expect(checkBackfill(ask('2026-11-19'), none, { now, policy: short, roster, cadre })).toEqual({
      code: 'backfill_expired',
      date: '2026-11-19',
      hours: 6,
    });
  });
});

describe('newBackfill', () => {
  it('is a pending request of the draft, created now', () => {
    const draft = { date: '2026-11-19', reason: '山里没信号', confirmers };
    expect(newBackfill('B1007', cadre, draft, now)).toEqual({
      no: 'B1007',
      userId: 'ZhangZhiQiang',
      date: '2026-11-19',
      reason: '山里没信号',
      confirmers,
      createdAt: '2026-11-20T01:00:00.000Z',
      status: 'pending',
    });
  });
});
