/**
 * The nearest place to a point, within a radius, in well under a microsecond: places are binned on a
 * square grid (in km, an equirectangular projection round the places' mean latitude), and each bin keeps
 * the few places that can be nearest to any point inside it. A bin's candidates are the places within
 * d0 + 2r of its centre, where d0 is the distance from the centre to its nearest place and r the bin's
 * half-diagonal: by the triangle inequality no other place can be nearest to a point of the bin.
 */
import KDBush from 'kdbush';
import { localProjection, type LocalProjection } from './measure.js';

export interface PlaceLocator {
  /** Index of the nearest place within the radius, or -1. */
  nearest(lon: number, lat: number): number;
  readonly radiusKm: number;
  readonly projection: LocalProjection;
}

export function buildPlaceLocator(lon: ArrayLike<number>, lat: ArrayLike<number>, radiusKm: number, binKm = 5): PlaceLocator {
  const n = lon.length;
  let latSum = 0;
  for (let i = 0; i < n; i++) latSum += lat[i]!;
  const proj = localProjection(n ? latSum / n : 0);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x[i] = lon[i]! * proj.kx;
    y[i] = lat[i]! * proj.ky;
    x0 = Math.min(x0, x[i]!); y0 = Math.min(y0, y[i]!); x1 = Math.max(x1, x[i]!); y1 = Math.max(y1, y[i]!);
  }
  if (!n) return { nearest: () => -1, radiusKm, projection: proj };
  const index = new KDBush(n);
  for (let i = 0; i < n; i++) index.add(x[i]!, y[i]!);
  index.finish();
  // The nearest place to (px, py) within `limit`, by k-d tree searches of growing radius: the first
  // search that finds anything holds the nearest (everything it missed is farther than its radius).
  const nearestBySearch = (px: number, py: number, limit: number): { i: number; d: number } => {
    for (let r = binKm; ; r *= 2) {
      const found = index.within(px, py, Math.min(r, limit));
      if (found.length) {
        let best = -1;
        let bestD = Infinity;
        for (const i of found) {
          const d = Math.hypot(x[i]! - px, y[i]! - py);
          if (d < bestD || (d === bestD && i < best)) {
            bestD = d;
            best = i;
          }
        }
        return { i: best, d: bestD };
      }
      if (r >= limit) return { i: -1, d: Infinity };
    }
  };
  // The grid covers the places' box grown by the radius (at most 50 km: beyond it, points are answered
  // by the k-d tree directly).
  const margin = Math.min(radiusKm, 50);
  const gx0 = x0 - margin, gy0 = y0 - margin;
  const cols = Math.max(1, Math.ceil((x1 - x0 + 2 * margin) / binKm));
  const rows = Math.max(1, Math.ceil((y1 - y0 + 2 * margin) / binKm));
  const half = (binKm * Math.SQRT2) / 2;
  const start = new Int32Array(cols * rows + 1);
  const lists: number[][] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const cx = gx0 + (c + 0.5) * binKm, cy = gy0 + (r + 0.5) * binKm;
      const { d: d0 } = nearestBySearch(cx, cy, radiusKm + half);
      if (d0 === Infinity) {
        lists.push([]);
        continue;
      }
      lists.push(index.within(cx, cy, Math.min(d0 + 2 * half, radiusKm + half)).sort((a, b) => a - b));
    }
  let total = 0;
  lists.forEach((l, k) => {
    start[k] = total;
    total += l.length;
  });
  start[lists.length] = total;
  const flat = new Int32Array(total);
  let o = 0;
  for (const l of lists) for (const i of l) flat[o++] = i;
  const r2 = radiusKm * radiusKm;
  return {
    radiusKm,
    projection: proj,
    nearest(lonP: number, latP: number): number {
      const px = lonP * proj.kx, py = latP * proj.ky;
      const c = Math.floor((px - gx0) / binKm), r = Math.floor((py - gy0) / binKm);
      if (c < 0 || r < 0 || c >= cols || r >= rows) {
        const far = nearestBySearch(px, py, radiusKm);
        return far.d < radiusKm ? far.i : -1;
      }
      const k = r * cols + c;
      let best = -1;
      let bestD = r2;
      for (let j = start[k]!; j < start[k + 1]!; j++) {
        const i = flat[j]!;
        const dx = x[i]! - px, dy = y[i]! - py;
        const d = dx * dx + dy * dy;
        // Ties go to the lower index, whatever the bin: the same answer as a brute-force search.
        if (d < bestD || (d === bestD && i < best)) {
          bestD = d;
          best = i;
        }
      }
      return best;
    },
  };
}
