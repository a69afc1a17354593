import { describe, expect, it } from 'vitest';
import type { BackfillRefusal } from '../../src/attendance/backfill-check.js';
import { refusal } from '../../templates/backfill.js';

describe('each back-fill refusal has its sentence', () => {
  const cases: [BackfillRefusal, string][] = [
    [{ code: 'backfill_no_date' }, '请写明补登哪一天和原因，例如「补登 昨天 山里没信号」。'],
    [
      { code: 'backfill_range', start: '2026-11-18', end: '2026-11-19' },
      '补登一次只能补一天，请每天分别发送，例如「补登 昨天 山里没信号」。',
    ],
    [{ code: 'backfill_no_reason' }, '请写明补登原因，例如「补登 昨天 山里没信号」。'],
    [{ code: 'backfill_future', date: '2026-11-21' }, '不能补登今天以后的日子。'],
    [
      { code: 'backfill_expired', date: '2026-11-17', hours: 48 },
      '只能补登 48 小时以内漏签的日子，这一天已超过期限。如有特殊情况，请联系乡镇（街道）负责同志。',
    ],
    [
      { code: 'backfill_outside_term', date: '2026-04-27', termStart: '2026-04-28', termEnd: '2027-04-27' },
      '4月27日不在您的驻村任期（2026年4月28日至2027年4月27日）内，不能补登。',
    ],
    [
      { code: 'backfill_on_leave', date: '2026-11-19', leave: 'Q1001', type: '事假' },
      '11月19日在您已批准的请假 Q1001（事假）期间，不需要补登。如当天已提前返岗，请先发「销假 Q1001 最后一天休假的日期」，再补登。',
    ],
    [{ code: 'backfill_present', date: '2026-11-19' }, '11月19日已经计为在村，不需要补登。'],
    [{ code: 'backfill_pending', date: '2026-11-19', no: 'B1001' }, '11月19日已有补登申请 B1001 在等待确认。'],
    [
      { code: 'backfill_no_confirmer' },
      '您所在乡镇（街道）没有可以确认补登的领队或乡镇（街道）负责同志，请联系县委组织部完善名册。',
    ],
  ];
  it.each(cases)('%o', (r, sentence) => {
    expect(refusal(r)).toBe(sentence);
  });
});
