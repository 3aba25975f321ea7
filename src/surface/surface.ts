/**
 * The movement surface: an H3 lattice over a country's land (resolution 7 by default, ~5 km² a cell)
 * where every cell has a terrain class and a speed, and every step to a nearby cell a travel time in
 * hours, or Infinity where the step is forbidden. One module, one build, for the control engine's
 * partition of the land (docs/control.md) and, later, the race (issue 18).
 *
 * Pure: plain data in (the land, road lines with speeds, river lines, lake polygons, crossings), typed
 * arrays out; no I/O. The app layer (src/control/load.ts) gathers the inputs and caches the result.
 *
 * Rules (docs/control.md, "The movement surface"):
 * - Steps go from a cell to its 6 neighbours and to the 6 cells of the second ring between two of them
 *   (the "diagonals", √3 as far): 12 directions, so travel times across open country are within ~4% of
 *   straight-line ones in every direction (6 directions alone are up to 15% off).
 * - A step's time is its great-circle length times the mean of the two cells' paces (hours per km):
 *   half the way at each cell's speed.
 * - Terrain classes: open country (every land cell, `offroadKmh`), road (a cell a road line crosses
 *   takes the fastest such road's speed), water (a cell whose centre is in a lake).
 * - Rivers are barriers: a step whose segment crosses a river line is forbidden, unless a crossing
 *   (bridge, dam, ford) lies within `crossingRadiusKm` of the step's midpoint.
 * - Lakes are barriers: a water cell can be entered (its land is somebody's) but not left, except within
 *   `crossingRadiusKm` of a crossing (a dam's crest); a diagonal step may not pass between two water cells.
 */
import * as h3 from 'h3-js';
import { buildLandGrid, cellAt, type LandGrid } from '../geo/land-grid.js';
import { haversineKm, pointInMultiPolygon, bboxOfMultiPolygon, type MultiPolygonCoords, type Position } from '../geo/measure.js';

export const TERRAIN_CLASSES = ['open', 'road', 'water'] as const;
export type TerrainClass = (typeof TERRAIN_CLASSES)[number];
/** Steps per cell: 6 neighbours, then 6 diagonals. */
export const STEPS = 12;

export interface SurfaceRoad {
  coordinates: readonly Position[];
  speedKmh: number;
}
export interface SurfaceRiver {
  name?: string;
  coordinates: readonly Position[];
}
export interface SurfaceLake {
  name?: string;
  polygon: MultiPolygonCoords;
}
export interface Crossing {
  id: string;
  name: string;
  kind: 'bridge' | 'dam' | 'ford' | 'road';
  lon: number;
  lat: number;
}

export interface SurfaceInput {
  land: MultiPolygonCoords;
  resolution?: number;
  roads?: readonly SurfaceRoad[];
  rivers?: readonly SurfaceRiver[];
  lakes?: readonly SurfaceLake[];
  crossings?: readonly Crossing[];
  /** Speed across open country, km/h (default 6: on foot, or vehicles off-road). */
  offroadKmh?: number;
  /** How near a step's midpoint a crossing must be to let it over a river or out of a lake (default 4 km). */
  crossingRadiusKm?: number;
  /**
   * Where a road line crosses a river, count a bridge there (for real road networks such as OSM's, where a
   * road over a river is on a bridge); off for networks drawn place to place (the demo's), whose straight
   * lines cut meanders that the real roads do not.
   */
  bridgesWhereRoadsCross?: boolean;
}

export interface SurfaceParameters {
  resolution: number;
  offroadKmh: number;
  crossingRadiusKm: number;
  bridgesWhereRoadsCross: boolean;
  steps: number;
}

export interface SurfaceCounts {
  cells: number;
  roadCells: number;
  waterCells: number;
  roads: number;
  rivers: number;
  lakes: number;
  crossings: number;
  /** Crossings found where roads cross rivers (bridgesWhereRoadsCross). */
  roadBridges: number;
  /** Undirected steps forbidden by a river; steps over a river opened by a crossing. */
  riverStepsBlocked: number;
  riverStepsOpened: number;
}

export interface MovementSurface {
  grid: LandGrid;
  /** Index into TERRAIN_CLASSES per cell. */
  terrain: Uint8Array;
  speedKmh: Float32Array;
  /** The cell each step leads to (cells × STEPS, -1 none). */
  stepTarget: Int32Array;
  /** Hours for each step (cells × STEPS), Infinity where forbidden or missing. */
  stepHours: Float32Array;
  crossings: Crossing[];
  params: SurfaceParameters;
  counts: SurfaceCounts;
}

const BIN = 0.05;

/** Build the surface (Syria at resolution 7: ~34,000 cells, ~1.5 s, mostly the land grid). */
export function buildSurface(input: SurfaceInput, grid?: LandGrid): MovementSurface {
  const params: SurfaceParameters = {
    resolution: grid?.resolution ?? input.resolution ?? 7,
    offroadKmh: input.offroadKmh ?? 6,
    crossingRadiusKm: input.crossingRadiusKm ?? 4,
    bridgesWhereRoadsCross: input.bridgesWhereRoadsCross ?? false,
    steps: STEPS,
  };
  if (!(params.offroadKmh > 0)) throw new RangeError(`offroadKmh ${params.offroadKmh}: use a speed above 0`);
  const g = grid ?? buildLandGrid(input.land, params.resolution);
  const n = g.cells.length;
  const terrain = new Uint8Array(n);
  const speed = new Float32Array(n).fill(params.offroadKmh);
  let roadCells = 0;
  // Roads: sample each segment every ~a fifth of a cell's width; a cell takes its fastest road.
  const sampleKm = Math.max(0.05, h3.getHexagonEdgeLengthAvg(params.resolution, h3.UNITS.km) / 3);
  for (const r of input.roads ?? []) {
    const c = r.coordinates;
    for (let k = 0; k + 1 < c.length; k++) {
      const a = c[k]!, b = c[k + 1]!;
      const km = haversineKm(a[0]!, a[1]!, b[0]!, b[1]!);
      const steps = Math.max(1, Math.ceil(km / sampleKm));
      for (let s = 0; s <= steps; s++) {
        const t = s / steps;
        const cell = cellAt(g, a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!));
        if (cell < 0) continue;
        if (terrain[cell] === 0) {
          terrain[cell] = 1;
          roadCells++;
        }
        if (r.speedKmh > speed[cell]!) speed[cell] = r.speedKmh;
      }
    }
  }
  // Lakes: cells whose centre is in one are water (a lake overrides a road drawn across it).
  let waterCells = 0;
  for (const lake of input.lakes ?? []) {
    const bb = bboxOfMultiPolygon(lake.polygon);
    for (let c = 0; c < n; c++) {
      const x = g.lon[c]!, y = g.lat[c]!;
      if (x < bb[0] || x > bb[2] || y < bb[1] || y > bb[3] || !pointInMultiPolygon(x, y, lake.polygon)) continue;
      if (terrain[c] !== 2) waterCells++;
      if (terrain[c] === 1) roadCells--;
      terrain[c] = 2;
      speed[c] = params.offroadKmh;
    }
  }
  // River segments, binned.
  const river = new SegmentIndex();
  for (const r of input.rivers ?? []) for (let k = 0; k + 1 < r.coordinates.length; k++) river.add(r.coordinates[k]!, r.coordinates[k + 1]!);
  const crossings: Crossing[] = [...(input.crossings ?? [])];
  let roadBridges = 0;
  if (params.bridgesWhereRoadsCross && river.size) {
    for (const r of input.roads ?? [])
      for (let k = 0; k + 1 < r.coordinates.length; k++)
        for (const p of river.crossingPoints(r.coordinates[k]!, r.coordinates[k + 1]!)) {
          crossings.push({ id: `road-bridge-${roadBridges}`, name: 'road over a river', kind: 'road', lon: p[0], lat: p[1] });
          roadBridges++;
        }
  }
  const nearCrossing = crossingFinder(crossings, params.crossingRadiusKm);
  // Steps.
  const stepTarget = new Int32Array(n * STEPS).fill(-1);
  const stepHours = new Float32Array(n * STEPS).fill(Infinity);
  let blocked = 0, opened = 0;
  const riverCache = new Map<number, boolean>();
  const ring = new Int32Array(STEPS), pairs = new Int32Array(12);
  for (let c = 0; c < n; c++) {
    stepSlots(g, c, ring, pairs);
    for (let k = 0; k < STEPS; k++) {
      const t = ring[k]!;
      if (t < 0) continue;
      stepTarget[c * STEPS + k] = t;
      const x0 = g.lon[c]!, y0 = g.lat[c]!, x1 = g.lon[t]!, y1 = g.lat[t]!;
      const mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
      // Out of a lake only at a crossing; a diagonal may not pass between two water cells.
      if (terrain[c] === 2 && !nearCrossing(mx, my)) continue;
      if (k >= 6) {
        const a = pairs[(k - 6) * 2]!, b = pairs[(k - 6) * 2 + 1]!;
        if (terrain[a] === 2 && terrain[b] === 2) continue;
      }
      const key = c < t ? c * n + t : t * n + c;
      let crosses = riverCache.get(key);
      if (crosses === undefined) {
        crosses = river.size > 0 && river.crosses([x0, y0], [x1, y1]);
        riverCache.set(key, crosses);
        if (crosses) {
          if (nearCrossing(mx, my)) opened++;
          else blocked++;
        }
      }
      if (crosses && !nearCrossing(mx, my)) continue;
      const km = haversineKm(x0, y0, x1, y1);
      stepHours[c * STEPS + k] = km * (0.5 / speed[c]! + 0.5 / speed[t]!);
    }
  }
  return {
    grid: g,
    terrain,
    speedKmh: speed,
    stepTarget,
    stepHours,
    crossings,
    params,
    counts: {
      cells: n,
      roadCells,
      waterCells,
      roads: input.roads?.length ?? 0,
      rivers: input.rivers?.length ?? 0,
      lakes: input.lakes?.length ?? 0,
      crossings: input.crossings?.length ?? 0,
      roadBridges,
      riverStepsBlocked: blocked,
      riverStepsOpened: opened,
    },
  };
}

/**
 * A cell's 12 step targets: slots 0–5 its neighbours on the land (the grid's own slots), slot 6 + k a
 * diagonal: the second-ring cell next to two neighbouring neighbours a and b (the two cells next to both a
 * and b are the cell itself and that diagonal). `pairs` gets the a, b of each diagonal (for the water
 * rule). -1 where there is none on the land.
 */
function stepSlots(g: LandGrid, c: number, out: Int32Array, pairs: Int32Array): void {
  out.fill(-1);
  pairs.fill(-1);
  const nb = g.neighbors;
  for (let k = 0; k < 6; k++) out[k] = nb[c * 6 + k]!;
  let d = 6;
  for (let i = 0; i < 6; i++) {
    const a = nb[c * 6 + i]!;
    if (a < 0) continue;
    for (let j = i + 1; j < 6; j++) {
      const b = nb[c * 6 + j]!;
      if (b < 0) continue;
      let adjacent = false;
      for (let k = 0; k < 6; k++) if (nb[a * 6 + k] === b) adjacent = true;
      if (!adjacent) continue;
      // The common neighbour of a and b other than c.
      let diag = -1;
      for (let k = 0; k < 6 && diag < 0; k++) {
        const x = nb[a * 6 + k]!;
        if (x < 0 || x === c || x === b) continue;
        for (let m = 0; m < 6; m++) if (nb[b * 6 + m] === x) diag = x;
      }
      if (diag >= 0 && d < STEPS) {
        out[d] = diag;
        pairs[(d - 6) * 2] = a;
        pairs[(d - 6) * 2 + 1] = b;
        d++;
      }
    }
  }
}

function crossingFinder(crossings: readonly Crossing[], radiusKm: number): (lon: number, lat: number) => boolean {
  if (!crossings.length) return () => false;
  const dLat = radiusKm / 110.574;
  return (lon: number, lat: number): boolean => {
    for (const c of crossings) {
      if (Math.abs(c.lat - lat) > dLat) continue;
      if (haversineKm(lon, lat, c.lon, c.lat) <= radiusKm) return true;
    }
    return false;
  };
}

/** Line segments binned on a grid of BIN degrees, for "does this segment cross any of them". */
class SegmentIndex {
  private readonly bins = new Map<number, number[]>();
  private readonly segs: number[] = [];
  get size(): number {
    return this.segs.length / 4;
  }
  add(p: Position, q: Position): void {
    const i = this.segs.length / 4;
    this.segs.push(p[0]!, p[1]!, q[0]!, q[1]!);
    for (const k of binsOf(p[0]!, p[1]!, q[0]!, q[1]!)) {
      const l = this.bins.get(k);
      if (l) l.push(i);
      else this.bins.set(k, [i]);
    }
  }
  crosses(p: Position, q: Position): boolean {
    return this.crossingPoints(p, q, true).length > 0;
  }
  crossingPoints(p: Position, q: Position, first = false): [number, number][] {
    const out: [number, number][] = [];
    const seen = new Set<number>();
    for (const k of binsOf(p[0]!, p[1]!, q[0]!, q[1]!)) {
      for (const i of this.bins.get(k) ?? []) {
        if (seen.has(i)) continue;
        seen.add(i);
        const s = this.segs;
        const x = segmentIntersection(p[0]!, p[1]!, q[0]!, q[1]!, s[4 * i]!, s[4 * i + 1]!, s[4 * i + 2]!, s[4 * i + 3]!);
        if (x) {
          out.push(x);
          if (first) return out;
        }
      }
    }
    return out;
  }
}

function binsOf(x0: number, y0: number, x1: number, y1: number): number[] {
  const out: number[] = [];
  const i0 = Math.floor(Math.min(x0, x1) / BIN), i1 = Math.floor(Math.max(x0, x1) / BIN);
  const j0 = Math.floor(Math.min(y0, y1) / BIN), j1 = Math.floor(Math.max(y0, y1) / BIN);
  for (let i = i0; i <= i1; i++) for (let j = j0; j <= j1; j++) out.push(i * 100003 + j);
  return out;
}

/** Where segments p0p1 and q0q1 cross (planar in lon/lat; touching counts), or null. */
export function segmentIntersection(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): [number, number] | null {
  const rx = bx - ax, ry = by - ay, sx = dx - cx, sy = dy - cy;
  const den = rx * sy - ry * sx;
  if (den === 0) return null; // parallel (collinear overlaps do not happen between a step and a river)
  const t = ((cx - ax) * sy - (cy - ay) * sx) / den;
  const u = ((cx - ax) * ry - (cy - ay) * rx) / den;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return [ax + t * rx, ay + t * ry];
}
