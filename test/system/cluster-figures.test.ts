/**
 * The county figures on a real 3-master cluster: each cadre's bitmaps and leave are read within their own hash
 * slot (cadres spread over every node), and the figures equal the per-cadre computation.
 */
import { describe, expect, it } from 'vitest';
import { CheckinRepo, type YearBits } from '../../src/attendance/ledger.js';
import { loadMonthFigures } from '../../src/attendance/month-figures.js';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { addDays } from '../../src/kit/dates.js';
import { LeaveRepo } from '../../src/leave/repo.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Keys } from '../../src/redis/keys.js';
import { Tx } from '../../src/redis/tx.js';
import { refLeaveByDay, refMonth, refYear } from '../attendance/reference-figures.js';
import { useClusterConnection } from '../helpers/cluster.js';
import { approvedLeave } from '../helpers/leave-request.js';

const shared = useClusterConnection();
const keys = new Keys('figures');

describe('county figures on a cluster', () => {
  it('reads each cadre within their slot and counts as the per-cadre computation', async () => {
    const { redis } = shared.conn;
    const policy = defaultPolicy();
    const calendar = new HolidayCalendar();
    const ids = Array.from({ length: 40 }, (_, i) => `k${i}`);
    const tx = new Tx();
    const leaves = new LeaveRepo(redis, keys);
    ids.forEach((id, i) => {
      for (let d = 280; d < 345; d++) if ((d * (i + 3)) % 5 < 3) tx.setbit(keys.presence(id, 2026), d, 1);
      if (i % 3 === 0) tx.setbit(keys.selfReported(id, 2026), 300 + i, 1);
      if (i % 4 === 0) {
        const start = addDays('2026-11-02', i);
        leaves.save(tx, approvedLeave(`Q${i}`, id, start, addDays(start, i % 4), { type: i % 8 ? '病假' : '公差' }));
      }
    });
    await tx.commit(redis);
    const now = new Date('2026-12-10T10:00:00+08:00');
    const months = ['2026-12', '2026-11'];
    const term = { start: '2026-01-01', end: '2027-12-31' };
    const cadres = ids.map((userid) => ({ userid, termStart: term.start, termEnd: term.end }));
    const got = await loadMonthFigures({ redis, keys, policy, calendar }, cadres, { now, months });
    expect([...got.keys()]).toEqual(ids);
    const ledger = new CheckinRepo(redis, keys);
    const env = { today: '2026-12-10', policy, calendar };
    for (const id of ids) {
      const bits = new Map<number, YearBits>([[2026, (await ledger.yearBits([id], 2026)).get(id)!]]);
      const requests = (await leaves.ofUsers([id])).get(id)!;
      const data = { term, bits, leaves: requests };
      const f = got.get(id)!;
      expect(f.months).toEqual(months.map((m) => refMonth(data, m, env)));
      expect(f.year).toEqual(refYear(data, env, '2026-12-10'));
      expect(new Map(f.leave)).toEqual(refLeaveByDay(requests, policy, '2026-11-01', '2026-12-31'));
    }
    expect([...got.values()].some((f) => f.leave.size > 0)).toBe(true);
  });
});
