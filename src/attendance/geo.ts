/**
 * Great-circle distance (haversine) between two WGS-84 points, in metres. Precise to well under a metre at
 * village scale, which is what a geofence of a few hundred metres needs.
 */
const EARTH_RADIUS_M = 6_371_008.8;

export interface Point {
  lat: number;
  lng: number;
}

export function distanceMetres(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** True when `p` lies within `radius` metres of the centre (the boundary counts as inside). */
export function insideFence(p: Point, centre: Point, radius: number): boolean {
  return distanceMetres(p, centre) <= radius;
}
