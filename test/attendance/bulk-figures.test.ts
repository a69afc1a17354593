/**
 * The county-wide fast path of the figures (typed day flags, shared spans and targets, pipelined reads of
 * bitmaps and of the approved-leave index) gives exactly the figures of the straightforward per-cadre
 * computation (`reference-figures.ts`), for random presence, self-reported and pending days, leave of every
 * class (half days, 销假, requests not approved), terms with spans in post, every monthly rule and annual period.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountMonth } from '../../src/attendance/accounting.js';
import { accountYear } from '../../src/attendance/annual.js';
import { accountYearWords } from '../../src/attendance/year-words.js';
import { accountMonthWords } from '../../src/attendance/month-words.js';
import { CHUNK, readAllHistories } from '../../src/attendance/bulk-read.js';
import { FiguresCache } from '../../src/attendance/cache.js';
import type { CadreAttendance } from '../../src/attendance/days.js';
import { yearAnchor } from '../../src/attendance/figures.js';
import { loadMonthFigures } from '../../src/attendance/month-figures.js';
import { CheckinRepo, type YearBits } from '../../src/attendance/ledger.js';
import type { Term } from '../../src/attendance/targets.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { monthFiguresFor } from '../../src/close/read.js';
import { addDays, localDate, monthDates, startOfLocalDay } from '../../src/kit/dates.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import type { LeaveRequest } from '../../src/leave/workflow.js';
import { defaultPolicy, type Policy } from '../../src/policy/policy.js';
import { Keys } from '../../src/redis/keys.js';
import { Tx } from '../../src/redis/tx.js';
import { useTestRedis } from '../helpers/redis.js';
import { refLeaveByDay, refMonth, refYear } from './reference-figures.js';

const t = useTestRedis();
const calendar = new HolidayCalendar();
const FIRST = '2025-01-01';
const YEARS = [2025, 2026, 2027];

function policyOf(rule: Policy['monthly']['rule'], period: Policy['annual']['period']): Policy {
  const p = defaultPolicy();
  return { ...p, monthly: { ...p.monthly, rule }, annual: { ...p.annual, period } };
}
const POLICIES = (['prorate', 'subtract', 'fixed'] as const).flatMap((rule) =>
  (['term', 'calendar'] as const).map((period) => policyOf(rule, period)),
);

const date = (max = 1094) => fc.integer({ min: 0, max }).map((n) => addDays(FIRST, n));

const term: fc.Arbitrary<Term> = fc
  .tuple(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 800 }), fc.array(fc.integer({ min: 0, max: 800 })))
  .map(([start, length, cuts]) => {
    const s = addDays(FIRST, start);
    const e = addDays(s, length);
    if (cuts.length < 2) return { start: s, end: e };
    // Days in post: pairs of cut points inside the term, in order.
    const points = [...new Set(cuts.map((c) => c % (length + 1)))].sort((a, b) => a - b);
    const spans: { start: string; end: string }[] = [];
    for (let i = 0; i + 1 < points.length; i += 2)
      spans.push({ start: addDays(s, points[i]!), end: addDays(s, points[i + 1]!) });
    return spans.length ? { start: s, end: e, spans } : { start: s, end: e };
  });

const bitmap = fc.uint8Array({ minLength: 0, maxLength: 46 }).map((a) => Buffer.from(a));

const yearBits: fc.Arbitrary<YearBits> = fc
  .tuple(bitmap, bitmap, fc.option(bitmap, { nil: undefined }))
  .map(([present, selfReported, pending]) => ({ present, selfReported, ...(pending ? { pending } : {}) }));

let no = 0;
const leaveRequest = (userId: string): fc.Arbitrary<LeaveRequest> =>
  fc
    .record({
      start: date(),
      length: fc.integer({ min: 0, max: 25 }),
      type: fc.constantFrom('事假', '病假', '公差', '培训', '婚假', '不认识的假'),
      cls: fc.constantFrom('present', 'excused', 'absent') as fc.Arbitrary<LeaveRequest['class']>,
      status: fc.constantFrom('approved', 'approved', 'approved', 'pending', 'rejected', 'withdrawn'),
      halfStart: fc.boolean(),
      halfEnd: fc.boolean(),
      returned: fc.option(fc.integer({ min: -2, max: 25 }), { nil: undefined }),
    })
    .map((r) => {
      no += 1;
      const end = addDays(r.start, r.length);
      return {
        no: `Q${no}`,
        userId,
        type: r.type,
        class: r.cls,
        start: r.start,
        end,
        ...(r.halfStart ? { halfStart: true as const } : {}),
        ...(r.halfEnd ? { halfEnd: true as const } : {}),
        days: r.length + 1,
        reason: '测试',
        createdAt: '2025-01-01T00:00:00.000Z',
        status: r.status as LeaveRequest['status'],
        steps: [],
        ...(r.returned !== undefined ? { returnedOn: addDays(r.start, r.returned) } : {}),
      };
    });

const attendance: fc.Arbitrary<CadreAttendance & { leaves: LeaveRequest[] }> = fc.record({
  term,
  bits: fc
    .tuple(...YEARS.map(() => fc.option(yearBits, { nil: undefined })))
    .map((list) => new Map(list.flatMap((b, i) => (b ? [[YEARS[i]!, b] as const] : [])))),
  leaves: fc.array(leaveRequest('u'), { maxLength: 6 }),
});

describe('the fast figures equal the per-cadre computation', () => {
  it('month and year figures of random cadres, with one cache shared by all of them', () => {
    const caches = new Map<Policy, FiguresCache>();
    fc.assert(
      fc.property(
        attendance,
        date(),
        fc.integer({ min: 0, max: 35 }),
        fc.constantFrom(...POLICIES),
        (data, today, monthIndex, policy) => {
          const month = `${2025 + Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}`;
          const cache = caches.get(policy) ?? new FiguresCache(calendar, policy);
          caches.set(policy, cache);
          const now = startOfLocalDay(today);
          const env = { now, today, policy, calendar, cache };
          const byDay = accountMonth(data, month, env);
          expect(byDay).toEqual(refMonth(data, month, { today, policy, calendar }));
          expect(accountMonthWords(data, month, env)).toEqual(byDay);
          const at = yearAnchor(data.term, today, monthDates(month).at(-1)!);
          const year = accountYear(data, env, at);
          expect(year).toEqual(refYear(data, { today, policy, calendar }, at));
          expect(accountYearWords(data, env, at)).toEqual(year);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

/** Write a cadre's bits as the ledger does (SETBIT per day) and their leave through `LeaveRepo.save`. */
async function store(keys: Keys, userid: string, bits: CadreAttendance['bits'], leaves: LeaveRequest[]) {
  const tx = new Tx();
  for (const [year, b] of bits) {
    const write = (key: string, buf: Buffer | undefined) => {
      for (let i = 0; i < (buf?.length ?? 0) * 8; i++) if (buf![i >> 3]! & (0x80 >> (i & 7))) tx.setbit(key, i, 1);
    };
    write(keys.presence(userid, year), b.present);
    write(keys.selfReported(userid, year), b.selfReported);
    write(keys.selfReportPending(userid, year), b.pending);
  }
  const repo = new LeaveRepo(t.redis, keys);
  for (const r of leaves) repo.save(tx, { ...r, userId: userid });
  await tx.commit(t.redis);
}

/** Each cadre's figures computed on their own from their own reads, as before the fast path. */
async function reference(
  keys: Keys,
  policy: Policy,
  cadres: { userid: string; term: Term }[],
  now: Date,
  months: string[],
) {
  const today = localDate(now);
  const ledger = new CheckinRepo(t.redis, keys);
  const leaveRepo = new LeaveRepo(t.redis, keys);
  const [first, last] = [monthDates(months.at(-1)!)[0]!, monthDates(months[0]!).at(-1)!];
  const out = new Map<string, unknown>();
  for (const c of cadres) {
    const bits = new Map<number, YearBits>();
    for (const y of YEARS) bits.set(y, (await ledger.yearBits([c.userid], y)).get(c.userid)!);
    // In the order of their numbers: when two approved leaves of one class overlap, the day shows the earlier's type.
    const leaves = (await leaveRepo.ofUsers([c.userid]))
      .get(c.userid)!
      .sort((a, b) => Number(a.no.slice(1)) - Number(b.no.slice(1)));
    const data = { term: c.term, bits, leaves };
    const env = { today, policy, calendar };
    const list = months.map((m) => refMonth(data, m, env));
    out.set(c.userid, {
      userid: c.userid,
      month: list[0],
      months: list,
      year: refYear(data, env, yearAnchor(c.term, today, monthDates(months[0]!).at(-1)!)),
      leave: refLeaveByDay(leaves, policy, first, last),
      periods: [],
    });
  }
  return out;
}

describe('the county read equals one read per cadre', () => {
  it('random cadres written as the product writes them, read in pipelines and by the roll-up reader', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(attendance, fc.boolean()), { minLength: 1, maxLength: 12 }),
        date(1060),
        fc.constantFrom(...POLICIES),
        async (list, today, policy) => {
          const keys = new Keys(`${t.keys.ns}r${run++}`);
          const cadres = list.map(([a], i) => ({ userid: `c${i}`, term: { start: a.term.start, end: a.term.end } }));
          // Some cadres have nothing stored at all.
          for (const [i, [a, empty]] of list.entries()) if (!empty) await store(keys, `c${i}`, a.bits, a.leaves);
          const now = new Date(`${today}T10:00:00+08:00`);
          const month = today.slice(0, 7);
          const months = [month, monthDates(month)[0]! > FIRST ? addDays(`${month}-01`, -1).slice(0, 7) : month];
          const src = { redis: t.redis, keys, policy, calendar };
          const roster = cadres.map((c) => ({ userid: c.userid, termStart: c.term.start, termEnd: c.term.end }));
          const want = await reference(keys, policy, cadres, now, [...new Set(months)]);
          const got = await loadMonthFigures(src, roster, { now, months: [...new Set(months)] });
          expect(new Map([...got].map(([k, v]) => [k, { ...v, leave: new Map(v.leave) }]))).toEqual(want);
          const read = await monthFiguresFor(src, roster, { now, months: [...new Set(months)] });
          expect([...read.figures.keys()]).toEqual(cadres.map((c) => c.userid));
          for (const [id, f] of read.figures) expect(f).toEqual(want.get(id));
        },
      ),
      { numRuns: 30 },
    );
  });

  it(`more cadres than one pipeline holds (${CHUNK}): every chunk lands on its own cadres`, async () => {
    const keys = new Keys(`${t.keys.ns}big`);
    const policy = defaultPolicy();
    const n = CHUNK + 150;
    const cadres = Array.from({ length: n }, (_, i) => ({
      userid: `b${i}`,
      term: { start: '2026-01-01', end: '2027-12-31' },
    }));
    const pipe = t.redis.pipeline();
    const leaves = new Tx();
    const repo = new LeaveRepo(t.redis, keys);
    const first = new Map<number, LeaveRequest>();
    for (const [i, c] of cadres.entries()) {
      // A different pattern per cadre: its number's bits, spread over the year; every seventh has a leave.
      const present = Buffer.alloc(46);
      for (let d = 0; d < 340; d++)
        if (((i >> (d % 11)) & 1) === 1 || d % 13 === i % 13) present[d >> 3]! |= 0x80 >> (d & 7);
      pipe.set(keys.presence(c.userid, 2026), present);
      if (i % 7 === 0) {
        const start = addDays('2026-11-01', i % 40);
        const request: LeaveRequest = {
          no: `L${i}`,
          userId: c.userid,
          type: i % 2 ? '病假' : '公差',
          class: 'absent',
          start,
          end: addDays(start, i % 5),
          days: 1,
          reason: '',
          createdAt: '',
          status: 'approved',
          steps: [],
        };
        repo.save(leaves, request);
        first.set(i, request);
      }
    }
    await pipe.exec();
    await leaves.commit(t.redis);
    const now = new Date('2026-12-10T10:00:00+08:00');
    const months = ['2026-12', '2026-11'];
    const roster = cadres.map((c) => ({ userid: c.userid, termStart: c.term.start, termEnd: c.term.end }));
    const got = await loadMonthFigures({ redis: t.redis, keys, policy, calendar }, roster, { now, months });
    const want = await reference(keys, policy, cadres, now, months);
    expect(got.size).toBe(n);
    for (const [id, f] of got) expect({ ...f, leave: new Map(f.leave) }).toEqual(want.get(id));

    // Read again after leave changed (what a read keeps from the last one must never be stale): a leave
    // withdrawn, a second one approved, a first one for a cadre that had none; and under another policy.
    const change = new Tx();
    for (const [i, c] of cadres.entries()) {
      const leave = (type: string, start: string, status: LeaveRequest['status'], no: string): LeaveRequest => ({
        no,
        userId: c.userid,
        type,
        class: 'excused',
        start,
        end: addDays(start, 2),
        days: 3,
        reason: '',
        createdAt: '',
        status,
        steps: [],
      });
      const had = first.get(i);
      if (had && i % 2 === 0) repo.save(change, { ...had, status: 'withdrawn' }, { previous: had });
      if (i % 7 === 0 && i % 2 === 1) repo.save(change, leave('事假', '2026-12-03', 'approved', `M${i}`));
      if (i % 11 === 1) repo.save(change, leave('病假', '2026-11-20', 'approved', `M${i}`));
    }
    await change.commit(t.redis);
    // Compared for the cadres whose leave changed and a spread of the others (one read per cadre is slow, and this
    // file runs beside timing-sensitive ones).
    const sample = cadres.filter((_, i) => i % 7 === 0 || i % 11 === 1 || i % 50 === 0);
    for (const p of [policy, POLICIES[3]!]) {
      const again = await loadMonthFigures({ redis: t.redis, keys, policy: p, calendar }, roster, { now, months });
      const wantAgain = await reference(keys, p, sample, now, months);
      expect(again.size).toBe(n);
      expect(wantAgain.size).toBe(sample.length);
      for (const [id, w] of wantAgain) {
        const f = again.get(id)!;
        expect({ ...f, leave: new Map(f.leave) }).toEqual(w);
      }
    }
  });
});

describe("the county's assignment histories", () => {
  it('are read whole over many pages, each next page asked for while the last is decoded', async () => {
    const keys = new Keys(`${t.keys.ns}hist`);
    const n = 5321;
    const want = new Map<string, unknown[]>();
    const pipe = t.redis.pipeline();
    for (let i = 0; i < n; i++) {
      const history = [
        {
          userid: `h${i}`,
          termStart: '2026-01-01',
          termEnd: '2027-12-31',
          from: addDays('2026-01-01', i % 300),
          to: null,
        },
      ];
      want.set(`h${i}`, history);
      pipe.hset(keys.assignments(), `h${i}`, JSON.stringify(history));
    }
    await pipe.exec();
    const got = await readAllHistories(t.redis, keys);
    expect(got.size).toBe(n);
    expect(new Map([...got].sort(([a], [b]) => a.localeCompare(b)))).toEqual(
      new Map([...want].sort(([a], [b]) => a.localeCompare(b))),
    );
    expect(await readAllHistories(t.redis, new Keys(`${t.keys.ns}none`))).toEqual(new Map());

    // A second read reuses what did not change and never what did: a changed, a new and a removed history.
    const moved = [{ ...(want.get('h7')![0] as object), to: '2026-06-30', end: 'moved' }];
    want.set('h7', moved);
    want.set('hnew', [{ ...moved[0]!, userid: 'hnew', to: null }]);
    want.delete('h8');
    await t.redis.hset(keys.assignments(), 'h7', JSON.stringify(moved), 'hnew', JSON.stringify(want.get('hnew')));
    await t.redis.hdel(keys.assignments(), 'h8');
    const again = await readAllHistories(t.redis, keys);
    expect(new Map([...again].sort(([a], [b]) => a.localeCompare(b)))).toEqual(
      new Map([...want].sort(([a], [b]) => a.localeCompare(b))),
    );
    expect(again.get('h9')).toBe(got.get('h9'));
    expect(Object.isFrozen(again.get('h7')![0])).toBe(true);
  });
});
