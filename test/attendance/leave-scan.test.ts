/**
 * Reading the approved leave straight from the stored text (`scanApproved`) gives what parsing the requests
 * whole and picking the approved ones gives, whatever the requests hold: quotes, backslashes and field names in
 * the free text, nested values with fields of the same names (a judgement's combined `start` and `end`), fields
 * of unexpected kinds; text it does not take is left to JSON.parse (undefined), never misread. The county read
 * hands each cadre what the leave repo reads of their hash, packed archive included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAttendance } from '../../src/attendance/bulk-read.js';
import type { LeaveSpan } from '../../src/attendance/days.js';
import { LEAVE_ARCHIVE, LeaveRepo, packLeaves, requestsOfHash } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { Tx } from '../../src/redis/tx.js';
import { approvedLeave } from '../helpers/leave-request.js';
import { useTestRedis } from '../helpers/redis.js';
import { scanApproved as scanBytes } from '../../src/attendance/leave-scan.js';

const scanApproved = (text: string) => scanBytes(Buffer.from(text, 'utf8'));

/** The straightforward reading: every request parsed, the approved ones' fields the figures read. */
function expected(text: string): LeaveSpan[] {
  const out: LeaveSpan[] = [];
  for (const r of JSON.parse(`[${text}]`) as Record<string, unknown>[]) {
    if (r.status !== 'approved') continue;
    out.push({
      no: r.no,
      type: r.type,
      class: r.class,
      start: r.start,
      end: r.end,
      status: 'approved',
      ...(typeof r.returnedOn === 'string' ? { returnedOn: r.returnedOn } : {}),
      ...(r.halfStart === true ? { halfStart: true as const } : {}),
      ...(r.halfEnd === true ? { halfEnd: true as const } : {}),
    } as LeaveSpan);
  }
  return out;
}

// Text that looks like the fields read, to be found where it must not be.
const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '"start":"2020-01-01"',
    '\\"status\\":\\"approved\\"',
    '{"end":"2030-01-01"}',
    '\\',
    '\\\\',
    '"',
    '病假',
    '}',
    ']',
    ',"no":"X"',
  ),
);
const date = fc
  .integer({ min: 0, max: 2000 })
  .map((n) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10));
const value = fc.oneof(tricky, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tricky, { maxLength: 2 }));

const request = fc
  .record(
    {
      no: fc.oneof(fc.string(), fc.constant('Q1'), fc.integer()),
      userId: tricky,
      type: fc.oneof(fc.constantFrom('事假', '病假', '公差', 'a"b', 'c\\d'), tricky),
      class: fc.constantFrom('present', 'excused', 'absent'),
      start: date,
      end: date,
      halfStart: fc.oneof(fc.constant(true), fc.constant(false), fc.constant('true'), fc.constant(null)),
      halfEnd: fc.oneof(fc.constant(true), fc.constant(false), fc.constant(1)),
      days: fc.integer({ min: 0, max: 30 }),
      reason: tricky,
      status: fc.constantFrom('approved', 'approved', 'pending', 'rejected', 'withdrawn', 'approve"d'),
      steps: fc.array(
        fc.record({ kind: tricky, approvers: fc.array(tricky, { maxLength: 2 }), decision: tricky, comment: tricky }),
        { maxLength: 3 },
      ),
      judged: fc.record({
        rule: tricky,
        days: fc.integer(),
        combined: fc.record({ with: fc.array(tricky, { maxLength: 2 }), start: date, end: date, days: fc.integer() }),
        monthDays: fc.integer(),
      }),
      returnedOn: fc.oneof(date, fc.constant(null), fc.integer()),
      extra: value,
    },
    { requiredKeys: ['start', 'end'] },
  )
  // Now and then a field of another kind, or a key in another place.
  .chain((r) =>
    fc.constantFrom(
      r,
      { ...r, start: 5 },
      { status: r.status, ...r, no: undefined },
      { judged: r.judged, ...r, status: 'approved' },
      { ...r, status: 'approved', 'st\\u0061rt': '1999-01-01' },
    ),
  );

describe('reading approved leave from the stored text', () => {
  it('equals parsing the requests whole, or leaves the text to JSON.parse', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 5 }), (requests) => {
        const text = requests.map((r) => JSON.stringify(r)).join(',');
        const got = scanApproved(text);
        const want = expected(text);
        if (got !== undefined) expect(got).toEqual(want);
        // Only text with something unexpected in what is read is left over.
        const plain = requests.every(
          (r) =>
            !JSON.stringify(r).includes('\\u0061') &&
            ['no', 'type', 'class', 'start', 'end'].every((k) => typeof (r as Record<string, unknown>)[k] === 'string'),
        );
        if (plain) expect(got).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the requests as the product stores them', () => {
    const r = {
      no: 'Q7',
      userId: 'u1',
      type: '病假',
      class: 'excused',
      start: '2026-03-02',
      end: '2026-03-06',
      halfEnd: true,
      days: 4.5,
      reason: '发烧，"住院"\\观察',
      createdAt: '2026-03-01T02:00:00.000Z',
      status: 'approved',
      steps: [{ kind: 'township', approvers: ['s1'], decision: 'approved', by: 's1' }],
      judged: {
        rule: 'calendar',
        days: 4.5,
        combined: { with: ['Q6'], start: '2026-02-27', end: '2026-03-06', days: 8 },
      },
      returnedOn: '2026-03-05',
    };
    const text = [r, { ...r, no: 'Q8', status: 'pending' }, { ...r, no: 'Q9', halfEnd: undefined }]
      .map((x) => JSON.stringify(x))
      .join(',');
    expect(scanApproved(text)).toEqual([
      {
        no: 'Q7',
        type: '病假',
        class: 'excused',
        start: '2026-03-02',
        end: '2026-03-06',
        status: 'approved',
        returnedOn: '2026-03-05',
        halfEnd: true,
      },
      {
        no: 'Q9',
        type: '病假',
        class: 'excused',
        start: '2026-03-02',
        end: '2026-03-06',
        status: 'approved',
        returnedOn: '2026-03-05',
      },
    ]);
    expect(scanApproved('')).toEqual([]);
    // White space, a cut text, a field of another kind: left to JSON.parse.
    expect(scanApproved(JSON.stringify(r, null, 1))).toBeUndefined();
    expect(scanApproved(JSON.stringify(r).slice(0, 40))).toBeUndefined();
    expect(scanApproved(JSON.stringify({ ...r, no: 7 }))).toBeUndefined();
    expect(scanApproved(`${JSON.stringify(r)},`)).toBeUndefined();
    // A key written with an escape may name a field read here (JSON.parse takes the last of the same name).
    const escaped = `${JSON.stringify(r).slice(0, -1)},"st\\u0061rt":"1999-01-01"}`;
    expect(expected(escaped)[0]!.start).toBe('1999-01-01');
    expect(scanApproved(escaped)).toBeUndefined();
  });
});

const t = useTestRedis();

describe('the county read of leave', () => {
  it('hands each cadre the approved requests the leave repo reads, free text and packed archive included', async () => {
    const keys = t.keys;
    const repo = new LeaveRepo(t.redis, keys);
    const base = approvedLeave('Q1', 'a', '2026-03-02', '2026-03-06');
    const odd: LeaveRequest[] = [
      { ...base, reason: '发烧，"住院"\\观察 {"start":"2020-01-01"}', halfEnd: true, returnedOn: '2026-03-05' },
      {
        ...base,
        no: 'Q2',
        type: '事"假',
        judged: {
          rule: 'calendar',
          days: 2,
          combined: { with: ['Q1'], start: '2026-01-01', end: '2026-12-31', days: 9 },
          monthDays: 3,
        },
      },
      { ...base, no: 'Q3', status: 'pending' },
    ];
    const tx = new Tx();
    for (const r of odd) repo.save(tx, r);
    // Cadre b: a request of their own and, packed, an ended one and an older version of the same number.
    const b = approvedLeave('Q4', 'b', '2026-04-01', '2026-04-02');
    const ended = approvedLeave('Q5', 'b', '2026-02-01', '2026-02-03', { returnedAt: '2026-02-04T01:00:00.000Z' });
    repo.save(tx, b);
    tx.hset(keys.leaves('b'), LEAVE_ARCHIVE, packLeaves([ended, { ...b, start: '2026-03-30' }]));
    await tx.commit(t.redis);

    const got = new Map<string, unknown>();
    const reads = ['a', 'b', 'c'].map((userid) => ({ userid, years: [2026] }));
    await readAttendance(t.redis, keys, reads, (userid, d) => got.set(userid, d.leaves));
    const want = async (userid: string) =>
      expected(
        requestsOfHash(await t.redis.hgetall(keys.leaves(userid)))
          .map((r) => JSON.stringify(r))
          .join(','),
      );
    expect(got.get('a')).toEqual(await want('a'));
    expect((got.get('a') as LeaveSpan[]).map((r) => r.no).sort()).toEqual(['Q1', 'Q2']);
    expect(got.get('b')).toEqual(await want('b'));
    expect((got.get('b') as LeaveSpan[]).find((r) => r.no === 'Q4')?.start).toBe('2026-04-01');
    expect(got.get('c')).toEqual([]);
  });
});
