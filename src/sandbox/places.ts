/**
 * Where a person can "be" in the sandbox: the preset points (in their village, in the county town) and the
 * small map of the county the page draws, all from the roster. No map tiles are available offline, so the map
 * is the villages as dots with their geofences, in a plain equirectangular projection.
 */
import type { Person, Roster } from '../roster/roster.js';
import type { Village } from '../roster/schema.js';
import * as T from '../../templates/sandbox.js';

export interface Place {
  id: string;
  label: string;
  /** What a location message carries as `Label`. */
  address: string;
  lat: number;
  lng: number;
}

/**
 * Centre of Houma's town (the sample county): the square by the city government. More than a kilometre from
 * every sample village, so "在县城" is outside every geofence.
 */
export const COUNTY_TOWN = { lat: 35.615, lng: 111.36 };

/**
 * A point a few metres from the village centre (about 25 m north-east), so a check-in "in the village" is
 * plainly inside the fence without sitting exactly on the centre.
 */
export function inVillage(v: Pick<Village, 'lat' | 'lng'>): { lat: number; lng: number } {
  return { lat: round(v.lat + 0.0002), lng: round(v.lng + 0.00015) };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function county(roster: Roster): string {
  return (roster.data.county ?? '').replace(/（.*?）|\(.*?\)/g, '');
}

/**
 * The villages a person belongs to or looks after: a cadre's own, a township supervisor's township's, and the
 * villages a visiting leader goes to (those they are a contact of, and where their sending unit's cadres serve).
 */
export function villagesOf(roster: Roster, person: Person): Village[] {
  if (person.cadre) return [roster.villageOf(person.cadre)];
  const townships = new Set((person.supervisor ?? []).filter((s) => s.kind === 'township').map((s) => s.scope));
  const visited = new Set(roster.contactRolesOf(person.userid).map((r) => r.village));
  const units = new Set(roster.unitRolesOf(person.userid).map((r) => r.unit));
  for (const c of roster.data.cadres) if (units.has(c.sendingUnit)) visited.add(c.village);
  return roster.data.villages.filter((v) => townships.has(v.township) || visited.has(v.id));
}

/** The preset places of a person: each of their villages (a cadre has one), then the county town. */
export function presetsFor(roster: Roster, person: Person): Place[] {
  const c = county(roster);
  const villages: Place[] = villagesOf(roster, person).map((v) => ({
    id: `village:${v.id}`,
    label: T.place.inVillage(v.name),
    address: T.place.village(c, roster.townships.get(v.township)?.name ?? '', v.name),
    ...inVillage(v),
  }));
  return [...villages, { id: 'town', label: T.place.inTown, address: T.place.town(c), ...COUNTY_TOWN }];
}

export interface CountyMap {
  villages: { id: string; name: string; township: string; lat: number; lng: number; radius: number }[];
  town: { label: string; lat: number; lng: number };
  /** South-west and north-east corners with a margin, for the page's projection. */
  bounds: { south: number; west: number; north: number; east: number };
}

/** The villages, their fences and the town, with bounds that hold them all. */
export function countyMap(roster: Roster, defaultRadius: number): CountyMap {
  const villages = roster.data.villages.map((v) => ({
    id: v.id,
    name: v.name,
    township: v.township,
    lat: v.lat,
    lng: v.lng,
    radius: v.radius ?? defaultRadius,
  }));
  const lats = [COUNTY_TOWN.lat, ...villages.map((v) => v.lat)];
  const lngs = [COUNTY_TOWN.lng, ...villages.map((v) => v.lng)];
  const margin = 0.02;
  return {
    villages,
    town: { label: T.place.townMarker, ...COUNTY_TOWN },
    bounds: {
      south: Math.min(...lats) - margin,
      west: Math.min(...lngs) - margin,
      north: Math.max(...lats) + margin,
      east: Math.max(...lngs) + margin,
    },
  };
}
