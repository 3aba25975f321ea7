/**
 * Areas and distances on the sphere, the same formulas everywhere so that the parts of a partition add up
 * to the whole: an area is a sum over a ring's edges (Turf's `area`, radius 6,378,137 m), so pieces that
 * share edges add up exactly to the polygon they were cut from.
 */
export type Position = [number, number] | number[];
export type Ring = Position[];
export type PolygonCoords = Ring[];
export type MultiPolygonCoords = PolygonCoords[];

const RADIUS_M = 6378137;
const RAD = Math.PI / 180;

/** Signed area of a ring in km² (counter-clockwise positive); the ring may be closed or not. */
export function ringSignedAreaKm2(ring: readonly Position[]): number {
  let n = ring.length;
  if (n > 1 && ring[0]![0] === ring[n - 1]![0] && ring[0]![1] === ring[n - 1]![1]) n--;
  if (n < 3) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[i]!;
    const middle = ring[(i + 1) % n]!;
    const upper = ring[(i + 2) % n]!;
    total += (upper[0]! - lower[0]!) * RAD * Math.sin(middle[1]! * RAD);
  }
  // Turf's sign convention is clockwise positive; flip it so counter-clockwise (RFC 7946 outer) is.
  return (-total * RADIUS_M * RADIUS_M) / 2 / 1e6;
}

/** Area of a polygon (outer ring minus holes) in km², whatever the rings' winding. */
export function polygonAreaKm2(polygon: readonly (readonly Position[])[]): number {
  let a = 0;
  polygon.forEach((ring, i) => {
    const r = Math.abs(ringSignedAreaKm2(ring));
    a += i === 0 ? r : -r;
  });
  return a;
}

export function multiPolygonAreaKm2(mp: readonly (readonly (readonly Position[])[])[]): number {
  let a = 0;
  for (const p of mp) a += polygonAreaKm2(p);
  return a;
}

const EARTH_KM = 6371.0088;

/** Great-circle distance in km. */
export function haversineKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * An equirectangular projection to km around a reference latitude: straight-line distances within a
 * country (a few hundred km) are within ~1% of great-circle ones, and cost a multiplication.
 */
export interface LocalProjection {
  kx: number;
  ky: number;
}
export function localProjection(refLat: number): LocalProjection {
  return { kx: 111.32 * Math.cos(refLat * RAD), ky: 110.574 };
}

/** Point in polygon (even-odd over all rings), planar in lon/lat. */
export function pointInPolygon(lon: number, lat: number, polygon: readonly (readonly Position[])[]): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i]![0]!;
      const yi = ring[i]![1]!;
      const xj = ring[j]![0]!;
      const yj = ring[j]![1]!;
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function pointInMultiPolygon(lon: number, lat: number, mp: readonly (readonly (readonly Position[])[])[]): boolean {
  for (const p of mp) if (pointInPolygon(lon, lat, p)) return true;
  return false;
}

export type BBox4 = [number, number, number, number];
export function bboxOfMultiPolygon(mp: readonly (readonly (readonly Position[])[])[]): BBox4 {
  const b: BBox4 = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of mp)
    for (const r of p)
      for (const c of r) {
        if (c[0]! < b[0]) b[0] = c[0]!;
        if (c[1]! < b[1]) b[1] = c[1]!;
        if (c[0]! > b[2]) b[2] = c[0]!;
        if (c[1]! > b[3]) b[3] = c[1]!;
      }
  return b;
}

/**
 * Clip a ring by a convex polygon (Sutherland–Hodgman). Where the ring is concave across the clip the
 * result has zero-width bridges, which add nothing to its area: good for areas, not for drawing.
 */
export function clipRingConvex(ring: readonly Position[], clip: readonly Position[]): Position[] {
  // The clip polygon, open and counter-clockwise.
  let c = clip[0]![0] === clip[clip.length - 1]![0] && clip[0]![1] === clip[clip.length - 1]![1] ? clip.slice(0, -1) : clip.slice();
  if (planarSignedArea(c) < 0) c = c.reverse();
  let out: Position[] = ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1] ? ring.slice(0, -1) : ring.slice();
  for (let e = 0; e < c.length && out.length; e++) {
    const a = c[e]!;
    const b = c[(e + 1) % c.length]!;
    const inside = (p: Position): boolean => (b[0]! - a[0]!) * (p[1]! - a[1]!) - (b[1]! - a[1]!) * (p[0]! - a[0]!) >= 0;
    const cross = (p: Position, q: Position): Position => {
      const x1 = p[0]!, y1 = p[1]!, x2 = q[0]!, y2 = q[1]!;
      const dx = b[0]! - a[0]!, dy = b[1]! - a[1]!;
      const t = (dx * (y1 - a[1]!) - dy * (x1 - a[0]!)) / (dy * (x2 - x1) - dx * (y2 - y1));
      return [x1 + t * (x2 - x1), y1 + t * (y2 - y1)];
    };
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i]!;
      const prev = input[(i + input.length - 1) % input.length]!;
      const ci = inside(cur);
      if (ci) {
        if (!inside(prev)) out.push(cross(prev, cur));
        out.push(cur);
      } else if (inside(prev)) out.push(cross(prev, cur));
    }
  }
  return out;
}

function planarSignedArea(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    s += p[0]! * q[1]! - q[0]! * p[1]!;
  }
  return s / 2;
}
