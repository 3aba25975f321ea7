/**
 * Position along a Hilbert curve over a 65,536 × 65,536 grid. Points close on the ground get close
 * positions, so arrays ordered by it keep neighbours near each other in memory.
 */
export function hilbertIndex(x: number, y: number): number {
  let d = 0;
  for (let s = 1 << 15; s > 0; s >>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = s - 1 - x;
        y = s - 1 - y;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return d;
}

/** An order of the points (indices) along the Hilbert curve over their bounding box. */
export function hilbertOrder(lon: ArrayLike<number>, lat: ArrayLike<number>): Uint32Array {
  const n = lon.length;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, lon[i]!);
    x1 = Math.max(x1, lon[i]!);
    y0 = Math.min(y0, lat[i]!);
    y1 = Math.max(y1, lat[i]!);
  }
  const sx = 65535 / (x1 - x0 || 1), sy = 65535 / (y1 - y0 || 1);
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) key[i] = hilbertIndex(Math.floor((lon[i]! - x0) * sx), Math.floor((lat[i]! - y0) * sy));
  // Ties (points in one grid cell) keep their input order, so the result is deterministic.
  return Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => key[a]! - key[b]! || a - b);
}
