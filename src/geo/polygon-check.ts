/**
 * Checks a polygon from a user's file before it is used: rings that are not closed are closed and
 * windings are set to RFC 7946's (outer counter-clockwise, holes clockwise), each repair reported; a ring
 * that crosses itself or has fewer than three distinct corners is an error, since no repair of it would
 * be what the analyst meant.
 */
import { ringSignedAreaKm2, type MultiPolygonCoords, type Position } from './measure.js';

export interface PolygonCheck {
  /** The repaired geometry, as a MultiPolygon; null when there were errors. */
  coordinates: MultiPolygonCoords | null;
  repairs: string[];
  errors: string[];
}

export function checkPolygonGeometry(geometry: unknown): PolygonCheck {
  const repairs: string[] = [];
  const errors: string[] = [];
  const g = geometry as { type?: unknown; coordinates?: unknown } | null;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
    return { coordinates: null, repairs, errors: ['geometry must be a Polygon or MultiPolygon with coordinates'] };
  }
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  const out: MultiPolygonCoords = [];
  polys.forEach((poly, pi) => {
    if (!Array.isArray(poly) || poly.length === 0) {
      errors.push(`polygon ${pi + 1} has no rings`);
      return;
    }
    const rings: Position[][] = [];
    poly.forEach((ringRaw: unknown, ri) => {
      const where = `polygon ${pi + 1}, ring ${ri + 1}`;
      if (!Array.isArray(ringRaw) || !ringRaw.every((p) => Array.isArray(p) && p.length >= 2 && p.every((x: unknown) => typeof x === 'number' && Number.isFinite(x)))) {
        errors.push(`${where}: positions must be [longitude, latitude] numbers`);
        return;
      }
      let ring = (ringRaw as number[][]).map((p) => [p[0]!, p[1]!]);
      if (ring.some(([x, y]) => x! < -180 || x! > 180 || y! < -90 || y! > 90)) {
        errors.push(`${where}: a position is outside longitude -180..180 / latitude -90..90 (are longitude and latitude swapped?)`);
        return;
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
        ring = [...ring, [first[0]!, first[1]!]];
        repairs.push(`${where} was not closed: closed it`);
      }
      const distinct = new Set(ring.slice(0, -1).map((p) => `${p[0]},${p[1]}`)).size;
      if (distinct < 3) {
        errors.push(`${where} has ${distinct} distinct corners; a ring needs at least 3`);
        return;
      }
      const crossing = selfIntersection(ring);
      if (crossing) {
        errors.push(`${where} crosses itself near (${crossing[0].toFixed(5)}, ${crossing[1].toFixed(5)}): fix the ring, or split it into two polygons`);
        return;
      }
      const ccw = ringSignedAreaKm2(ring) > 0;
      if (ccw !== (ri === 0)) {
        ring.reverse();
        repairs.push(`${where} was wound ${ccw ? 'counter-clockwise' : 'clockwise'}: rewound it (${ri === 0 ? 'outer rings run counter-clockwise' : 'holes run clockwise'})`);
      }
      rings.push(ring);
    });
    if (rings.length === poly.length) out.push(rings);
  });
  return { coordinates: errors.length ? null : out, repairs, errors };
}

/** The first point where two non-adjacent edges of a closed ring meet, or null. */
export function selfIntersection(ring: readonly Position[]): [number, number] | null {
  const n = ring.length - 1; // edges; the ring is closed
  for (let i = 0; i < n; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    const minX = Math.min(a[0]!, b[0]!), maxX = Math.max(a[0]!, b[0]!), minY = Math.min(a[1]!, b[1]!), maxY = Math.max(a[1]!, b[1]!);
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the first and last edges share the closing point
      const c = ring[j]!;
      const d = ring[j + 1]!;
      if (Math.max(c[0]!, d[0]!) < minX || Math.min(c[0]!, d[0]!) > maxX || Math.max(c[1]!, d[1]!) < minY || Math.min(c[1]!, d[1]!) > maxY) continue;
      const p = segmentsMeet(a, b, c, d);
      if (p) return p;
    }
  }
  return null;
}

function segmentsMeet(a: Position, b: Position, c: Position, d: Position): [number, number] | null {
  const d1x = b[0]! - a[0]!, d1y = b[1]! - a[1]!, d2x = d[0]! - c[0]!, d2y = d[1]! - c[1]!;
  const den = d1x * d2y - d1y * d2x;
  if (den === 0) {
    // Parallel: they meet only if collinear and overlapping.
    const cross = (c[0]! - a[0]!) * d1y - (c[1]! - a[1]!) * d1x;
    if (cross !== 0) return null;
    const len = d1x * d1x + d1y * d1y;
    const t0 = ((c[0]! - a[0]!) * d1x + (c[1]! - a[1]!) * d1y) / len;
    const t1 = ((d[0]! - a[0]!) * d1x + (d[1]! - a[1]!) * d1y) / len;
    if (Math.max(t0, t1) < 0 || Math.min(t0, t1) > 1) return null;
    return [c[0]!, c[1]!];
  }
  const t = ((c[0]! - a[0]!) * d2y - (c[1]! - a[1]!) * d2x) / den;
  const u = ((c[0]! - a[0]!) * d1y - (c[1]! - a[1]!) * d1x) / den;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return [a[0]! + t * d1x, a[1]! + t * d1y];
}
