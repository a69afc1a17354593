/**
 * The county roll-up reads a closed month as it was closed: data added to October after its close changes
 * neither October's roll-up nor November's "below target last month".
 */
import { describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../../src/calendar/calendar.js';
import { closeMonth } from '../../src/close/close.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Roster } from '../../src/roster/roster.js';
import { loadRollup } from '../../src/rollup/service.js';
import { checkIn, days } from '../attendance/seed.js';
import { sampleRosterData } from '../helpers/deps.js';
import { useTestRedis } from '../helpers/redis.js';

const t = useTestRedis();
const roster = new Roster(sampleRosterData());
const src = { redis: t.redis, keys: t.keys, policy: defaultPolicy(), calendar: new HolidayCalendar() };
const NOW = new Date('2026-11-18T09:00:00+08:00');
const gaocun = { county: false, townships: ['gaocun'] };

describe('the roll-up of a closed month', () => {
  it('keeps the figures October was closed with', async () => {
    await checkIn(t, 'FanWeiDong', days('2026-10-08', '2026-10-10'));
    await closeMonth(src, roster, '2026-10', { now: NOW, actor: 'cli:ops@host' });
    const october = await loadRollup(src, roster, gaocun, '2026-10', NOW);
    const november = await loadRollup(src, roster, gaocun, '2026-11', NOW);
    expect(october.townships[0]!.presentDays).toBe(3);
    expect(november.total.belowLastMonth).toBe(8);

    // Late data: he was in the village every day of October after all.
    await checkIn(t, 'FanWeiDong', days('2026-10-01', '2026-10-31'));
    expect((await loadRollup(src, roster, gaocun, '2026-10', NOW)).townships[0]!.presentDays).toBe(3);
    expect((await loadRollup(src, roster, gaocun, '2026-11', NOW)).total.belowLastMonth).toBe(8);
  });
});
