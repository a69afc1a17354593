/**
 * A day of a cadre's sample history turned into what the bot would receive: a check-in through the check-in
 * page, a location message or the automatic location report, or, in a township using WeCom 打卡, a 打卡
 * record. A day "elsewhere" is a check-in from the county town, recorded and never counted.
 */
import type { CheckinRecord } from '../fakewecom/state.js';
import type { Roster } from '../roster/roster.js';
import type { Cadre, Village } from '../roster/schema.js';
import * as T from '../../templates/sandbox.js';
import { COUNTY_TOWN } from './places.js';
import type { SeedStep } from './seed-step.js';

/** An instant `minutes` after midnight of a Shanghai date (UTC+8 all year: no daylight saving there). */
export const at = (date: string, minutes: number) =>
  new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000).toISOString();

/** A point within about 300 m of the village centre. */
function near(v: Village, rnd: () => number): { lat: number; lng: number } {
  const r = () => (rnd() - 0.5) * 0.005;
  return { lat: Math.round((v.lat + r()) * 1e6) / 1e6, lng: Math.round((v.lng + r()) * 1e6) / 1e6 };
}

/**
 * Append one cadre's check-ins of `present` days (in the village) and `elsewhere` days (the county town) to
 * `out`, each between 07:40 and 09:30: 打卡 records in a township that uses them, otherwise two in three from
 * the check-in page, the rest location messages and automatic reports.
 */
export function visitSteps(
  roster: Roster,
  c: Cadre,
  days: { present: readonly string[]; elsewhere: readonly string[] },
  rnd: () => number,
  out: { checkins: SeedStep[]; wecom: CheckinRecord[] },
): void {
  const village = roster.villageOf(c);
  const township = roster.townshipOf(c);
  const visits = [
    ...days.present.map((d) => ({ d, outside: false })),
    ...days.elsewhere.map((d) => ({ d, outside: true })),
  ];
  for (const { d, outside } of visits) {
    const minutes = 7 * 60 + 40 + Math.floor(rnd() * 110);
    const point = outside ? COUNTY_TOWN : near(village, rnd);
    if (township.usesWecomCheckin) {
      out.wecom.push({
        userid: c.userid,
        checkin_type: '上班打卡',
        checkin_time: Math.floor(Date.parse(at(d, minutes)) / 1000),
        exception_type: outside ? '地点异常' : '',
        groupname: township.name,
        location_title: outside ? '' : T.seed.wecomCheckinPlace(village.name),
        lat: Math.round(point.lat * 1e6),
        lng: Math.round(point.lng * 1e6),
      });
      continue;
    }
    const r = rnd();
    const source = r < 0.65 ? 'page' : r < 0.85 ? 'message' : 'auto';
    const label = source === 'message' ? T.seed.wecomCheckinPlace(village.name) : undefined;
    out.checkins.push({
      at: at(d, minutes),
      user: c.userid,
      location: { ...point, source, ...(label ? { label } : {}) },
    });
  }
}
