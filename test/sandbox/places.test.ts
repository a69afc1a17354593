/**
 * The sandbox's places: "在村里" is inside the person's village fence, "在县城" outside every fence of the
 * sample county, and the map's bounds hold every village and the town. Distances by the bot's own geofence.
 */
import { describe, expect, it } from 'vitest';
import { distanceMetres, insideFence } from '../../src/attendance/geo.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import { Roster } from '../../src/roster/roster.js';
import { COUNTY_TOWN, countyMap, inVillage, presetsFor } from '../../src/sandbox/places.js';
import { sampleRosterData } from '../helpers/deps.js';

const roster = new Roster(sampleRosterData());
const radius = defaultPolicy().checkin.geofenceRadiusMetres;

describe('location presets', () => {
  it('puts "in the village" a few metres from the centre of every village, inside its fence', () => {
    for (const v of roster.data.villages) {
      const p = inVillage(v);
      expect(distanceMetres(p, v)).toBeGreaterThan(5);
      expect(distanceMetres(p, v)).toBeLessThan(50);
      expect(insideFence(p, v, v.radius ?? radius)).toBe(true);
    }
  });

  it('puts the county town outside every village fence, by more than 400 m', () => {
    for (const v of roster.data.villages) {
      expect(insideFence(COUNTY_TOWN, v, v.radius ?? radius)).toBe(false);
      expect(distanceMetres(COUNTY_TOWN, v) - (v.radius ?? radius)).toBeGreaterThan(400);
    }
  });

  it('gives a cadre their village and the town, a township supervisor each village of the township, a visiting leader the villages they visit', () => {
    const cadre = presetsFor(roster, roster.person('LiXiaoYan')!);
    expect(cadre.map((p) => p.label)).toEqual(['在村里（北堡村）', '在县城']);
    expect(cadre[0]!.address).toBe('侯马市新田乡北堡村村委会附近');
    const supervisor = presetsFor(roster, roster.person('LiZhenHua')!);
    expect(supervisor.map((p) => p.id)).toEqual([
      'village:beibao',
      'village:niucun',
      'village:liuhe',
      'village:nanzhuang',
      'town',
    ]);
    // A visiting leader: the villages they are a contact of (四包一) and where their unit's cadres serve.
    const contacted = new Set(roster.contactRolesOf('ZhaoGuoLiang').map((r) => r.village));
    expect(contacted.size).toBeGreaterThan(0);
    expect(presetsFor(roster, roster.person('ZhaoGuoLiang')!).map((p) => p.id)).toEqual([
      ...roster.data.villages.filter((v) => contacted.has(v.id)).map((v) => `village:${v.id}`),
      'town',
    ]);
    const units = new Set(roster.data.cadres.filter((c) => c.sendingUnit === '县财政局').map((c) => c.village));
    expect(presetsFor(roster, roster.person('LiuYaQin')!).map((p) => p.id)).toEqual(
      expect.arrayContaining([...units].map((v) => `village:${v}`)),
    );
  });

  it('draws every village with its fence radius inside the map bounds', () => {
    const map = countyMap(roster, radius);
    expect(map.villages).toHaveLength(9);
    expect(map.villages.find((v) => v.id === 'aikou')!.radius).toBe(1500);
    for (const p of [...map.villages, map.town]) {
      expect(p.lat).toBeGreaterThan(map.bounds.south);
      expect(p.lat).toBeLessThan(map.bounds.north);
      expect(p.lng).toBeGreaterThan(map.bounds.west);
      expect(p.lng).toBeLessThan(map.bounds.east);
    }
  });
});
