/**
 * A movement surface as bytes and back, so the app layer can keep it on disk (src/control/load.ts) and
 * load it in milliseconds instead of building it again (~2 s for Syria at resolution 7). Pure: bytes in,
 * bytes out. A small JSON header, then each typed array 8-byte aligned.
 */
import * as h3 from 'h3-js';
import type { LandGrid } from '../geo/land-grid.js';
import type { MultiPolygonCoords } from '../geo/measure.js';
import type { Crossing, MovementSurface, SurfaceCounts, SurfaceParameters } from './surface.js';

const MAGIC = 'FRONTLINE-SURFACE-1\n';
type Arr = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;
const CTORS = { Float64Array, Float32Array, Int32Array, Uint32Array, Uint8Array } as const;

interface Header {
  key: string;
  resolution: number;
  landAreaKm2: number;
  land: MultiPolygonCoords;
  params: SurfaceParameters;
  counts: SurfaceCounts;
  crossings: Crossing[];
  arrays: { name: string; type: keyof typeof CTORS; length: number; offset: number }[];
}

export function surfaceToBytes(s: MovementSurface, key: string): Buffer {
  const g = s.grid;
  const lo = new Uint32Array(g.cells.length), hi = new Uint32Array(g.cells.length);
  g.cells.forEach((c, i) => {
    const [l, h] = h3.h3IndexToSplitLong(c);
    lo[i] = l;
    hi[i] = h;
  });
  const arrays: Record<string, Arr> = { lo, hi, lon: g.lon, lat: g.lat, areaKm2: g.areaKm2, neighbors: g.neighbors, border: g.border, terrain: s.terrain, speedKmh: s.speedKmh, stepTarget: s.stepTarget, stepHours: s.stepHours };
  const entries: Header['arrays'] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(arrays)) {
    entries.push({ name, type: a.constructor.name as keyof typeof CTORS, length: a.length, offset });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header: Header = { key, resolution: g.resolution, landAreaKm2: g.landAreaKm2, land: g.land, params: s.params, counts: s.counts, crossings: s.crossings, arrays: entries };
  const head = Buffer.from(JSON.stringify(header));
  const headLen = Math.ceil((MAGIC.length + 4 + head.length) / 8) * 8;
  const out = Buffer.alloc(headLen + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(head.length, MAGIC.length);
  head.copy(out, MAGIC.length + 4);
  for (const e of entries) {
    const a = arrays[e.name]!;
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, headLen + e.offset);
  }
  return out;
}

/** The surface in `bytes`, or null when they are not a surface or were built for another key. */
export function surfaceFromBytes(bytes: Buffer, key: string): MovementSurface | null {
  let buf = bytes;
  if (buf.length < MAGIC.length + 4 || buf.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) return null;
  if (buf.byteOffset % 8) buf = Buffer.from(buf);
  const len = buf.readUInt32LE(MAGIC.length);
  const h = JSON.parse(buf.subarray(MAGIC.length + 4, MAGIC.length + 4 + len).toString('utf8')) as Header;
  if (h.key !== key) return null;
  const headLen = Math.ceil((MAGIC.length + 4 + len) / 8) * 8;
  const a: Record<string, Arr> = {};
  for (const e of h.arrays) {
    const Ctor = CTORS[e.type];
    if (!Ctor) return null;
    a[e.name] = new Ctor(buf.buffer as ArrayBuffer, buf.byteOffset + headLen + e.offset, e.length);
  }
  const lo = a.lo as Uint32Array, hi = a.hi as Uint32Array;
  const cells: string[] = new Array(lo.length);
  for (let i = 0; i < lo.length; i++) cells[i] = h3.splitLongToH3Index(lo[i]!, hi[i]!);
  const grid: LandGrid = {
    resolution: h.resolution,
    cells,
    indexOf: new Map(cells.map((c, i) => [c, i])),
    lon: a.lon as Float64Array,
    lat: a.lat as Float64Array,
    areaKm2: a.areaKm2 as Float64Array,
    neighbors: a.neighbors as Int32Array,
    land: h.land,
    landAreaKm2: h.landAreaKm2,
    border: a.border as Uint8Array,
  };
  return { grid, terrain: a.terrain as Uint8Array, speedKmh: a.speedKmh as Float32Array, stepTarget: a.stepTarget as Int32Array, stepHours: a.stepHours as Float32Array, crossings: h.crossings, params: h.params, counts: h.counts };
}
