/**
 * A race drawn on the land, from each bloc's arrival days per land cell (`runRace(…, { cells: true })`):
 * where each bloc can be within so many days (isochrones), who gets where first (the partition of the
 * land by first arrival), and the fronts between first arrivals (where two blocs' first-arrival areas
 * meet: where their forces would meet if both advanced at once). Outlines are traced on the grid.
 */
import type { Position } from 'geojson';
import type { ControlModel } from '../control/model.js';
import { joinByEnds, type KeyedSegment } from '../geo/join-lines.js';
import { sharedEdgeOfShapes, traceCellsOutline } from '../geo/land-grid.js';
import { haversineKm, type MultiPolygonCoords } from '../geo/measure.js';

export interface Isochrone {
  bloc: string;
  days: number;
  areaKm2: number;
  coordinates: MultiPolygonCoords;
}

export interface ArrivalMap {
  isochrones: Isochrone[];
  /** The land each bloc reaches before any other (cells nobody reaches are in none). */
  firstArrival: { bloc: string; areaKm2: number; coordinates: MultiPolygonCoords }[];
  /** Lines between two blocs' first-arrival areas. */
  fronts: { sides: [string, string]; lengthKm: number; lines: Position[][] }[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Cells a bloc reaches within each number of days, as outlines on the land (traced on the grid). */
export function isochrones(model: ControlModel, cellDays: Record<string, Float64Array>, thresholds: readonly number[]): Isochrone[] {
  const out: Isochrone[] = [];
  const area = model.grid.areaKm2;
  for (const [bloc, days] of Object.entries(cellDays)) {
    for (const t of thresholds) {
      const cells: number[] = [];
      let km2 = 0;
      for (let c = 0; c < days.length; c++) {
        if (days[c]! <= t) {
          cells.push(c);
          km2 += area[c]!;
        }
      }
      out.push({ bloc, days: t, areaKm2: round1(km2), coordinates: traceCellsOutline(model.grid, cells) });
    }
  }
  return out;
}

/** The bloc (index into the keys of `cellDays`) reaching each cell first; -1 nobody. Ties go to the first listed. */
function firstArrivalCells(cellDays: Record<string, Float64Array>, cellCount: number): Int16Array {
  const first = new Int16Array(cellCount).fill(-1);
  const best = new Float64Array(cellCount).fill(Infinity);
  Object.values(cellDays).forEach((days, k) => {
    for (let c = 0; c < cellCount; c++) {
      if (days[c]! < best[c]!) {
        best[c] = days[c]!;
        first[c] = k;
      }
    }
  });
  return first;
}

export function arrivalMap(model: ControlModel, cellDays: Record<string, Float64Array>, thresholds: readonly number[]): ArrivalMap {
  const g = model.grid;
  const blocs = Object.keys(cellDays);
  const first = firstArrivalCells(cellDays, g.cells.length);
  const cellsOf = blocs.map((): number[] => []);
  const area = new Float64Array(blocs.length);
  const segments = new Map<number, KeyedSegment<number>[]>();
  for (let c = 0; c < g.cells.length; c++) {
    const k = first[c]!;
    if (k < 0) continue;
    cellsOf[k]!.push(c);
    area[k]! += g.areaKm2[c]!;
    for (let j = 0; j < 6; j++) {
      const n = g.neighbors[c * 6 + j]!;
      if (n <= c) continue;
      const m = first[n]!;
      if (m < 0 || m === k) continue;
      const e = sharedEdgeOfShapes(g, c, n);
      if (!e) continue;
      const key = Math.min(k, m) * blocs.length + Math.max(k, m);
      const list = segments.get(key);
      if (list) list.push(e);
      else segments.set(key, [e]);
    }
  }
  const fronts = [...segments].map(([key, segs]) => {
    let km = 0;
    for (const { p, q } of segs) km += haversineKm(p[0]!, p[1]!, q[0]!, q[1]!);
    return { sides: [blocs[Math.floor(key / blocs.length)]!, blocs[key % blocs.length]!] as [string, string], lengthKm: round1(km), lines: joinByEnds(segs) };
  });
  return {
    isochrones: isochrones(model, cellDays, thresholds),
    firstArrival: cellsOf.flatMap((cells, k) => (cells.length ? [{ bloc: blocs[k]!, areaKm2: round1(area[k]!), coordinates: traceCellsOutline(g, cells) }] : [])),
    fronts,
  };
}

/** The map as GeoJSON features: kinds "first-arrival", "arrival-front" and "isochrone". */
export function arrivalMapFeatures(map: ArrivalMap): { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }[] {
  return [
    ...map.firstArrival.map((x) => ({ type: 'Feature' as const, geometry: { type: 'MultiPolygon', coordinates: x.coordinates }, properties: { kind: 'first-arrival', bloc: x.bloc, areaKm2: x.areaKm2 } })),
    ...map.fronts.map((f) => ({ type: 'Feature' as const, geometry: { type: 'MultiLineString', coordinates: f.lines }, properties: { kind: 'arrival-front', sides: f.sides, lengthKm: f.lengthKm } })),
    ...map.isochrones.map((x) => ({ type: 'Feature' as const, geometry: { type: 'MultiPolygon', coordinates: x.coordinates }, properties: { kind: 'isochrone', bloc: x.bloc, days: x.days, areaKm2: x.areaKm2 } })),
  ];
}
