import { describe, expect, it } from 'vitest';
import type { Backfill } from '../../src/attendance/backfill.js';
import { backfillDecision } from '../../src/attendance/backfill-decision.js';

const now = new Date('2026-11-20T09:00:00+08:00');
const pending: Backfill = {
  no: 'B1001',
  userId: 'ZhangZhiQiang',
  date: '2026-11-19',
  reason: '山里没信号',
  confirmers: ['WangJianGuo', 'LiZhenHua'],
  createdAt: '2026-11-19T12:00:00.000Z',
  status: 'pending',
};

describe('backfillDecision', () => {
  it('a confirmer confirms: the back-fill records who and when, and the day gets a confirmed record from noon', () => {
    expect(backfillDecision(pending, 'LiZhenHua', 'confirmed', now, '')).toEqual({
      ok: true,
      decided: { ...pending, status: 'confirmed', by: 'LiZhenHua', at: '2026-11-20T01:00:00.000Z', comment: '' },
      record: {
        id: 'backfill:B1001',
        at: '2026-11-19T04:00:00.000Z',
        source: 'backfill',
        trust: 'confirmed',
        direction: 'in',
        inside: true,
        counts: true,
        notes: ['山里没信号'],
      },
    });
  });

  it('a rejection keeps its reason and adds no record', () => {
    expect(backfillDecision(pending, 'WangJianGuo', 'rejected', now, '当天在县城开会')).toEqual({
      ok: true,
      decided: {
        ...pending,
        status: 'rejected',
        by: 'WangJianGuo',
        at: '2026-11-20T01:00:00.000Z',
        comment: '当天在县城开会',
      },
    });
  });

  const confirmed = { ...pending, status: 'confirmed' as const };
  const rejected = { ...pending, status: 'rejected' as const };
  it.each([
    ['someone not among its confirmers, even the cadre', pending, 'ZhangZhiQiang', { code: 'backfill_not_yours' }],
    ['a back-fill already confirmed', confirmed, 'LiZhenHua', { code: 'backfill_decided', status: 'confirmed' }],
    ['a back-fill already rejected', rejected, 'WangJianGuo', { code: 'backfill_decided', status: 'rejected' }],
    ['a stranger to a decided one (not yours comes first)', rejected, 'ZhouMin', { code: 'backfill_not_yours' }],
  ])('refuses %s', (_name, b, by, refusal) => {
    expect(backfillDecision(b, by, 'confirmed', now, '')).toEqual({ ok: false, refusal });
  });
});
