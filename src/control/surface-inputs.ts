/**
 * The movement surface of a store, gathered and cached (the app layer round the pure src/surface/):
 * - roads: the store's road graph when one is loaded (`frontline roads import`, or the demo's), else the
 *   demo's road lines when the demo is loaded; each road at its class's speed (src/routing/road-classes.ts);
 * - water: rivers and lakes from a GeoJSON file (features of kind "river" and "lake"): the store's meta
 *   `surface.water` (a path), else the demo's data/demo/water.geojson when the demo is loaded;
 * - crossings: bridges, dams and fords (points, kind "bridge" | "dam" | "ford"): the meta `surface.crossings`,
 *   else the demo's data/demo/crossings.geojson; where a real road network (not the demo's place-to-place
 *   lines) crosses a river, a bridge is assumed there.
 * Built once per set of inputs: kept in memory, and on disk in $FRONTLINE_CACHE_DIR (default
 * ~/.cache/frontline/) keyed by a hash of every input, so a command loads it in milliseconds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MultiPolygonCoords, Position } from '../geo/measure.js';
import { readGraphCache } from '../routing/graph-cache.js';
import { DEFAULT_SPEED_KMH, ROAD_CLASSES, roadClassOf } from '../routing/road-classes.js';
import { ROADS_META_KEY } from '../routing/roads-store.js';
import type { Store } from '../store/store.js';
import { surfaceFromBytes, surfaceToBytes } from '../surface/serialize.js';
import { buildSurface, type Crossing, type MovementSurface, type SurfaceInput, type SurfaceLake, type SurfaceRiver, type SurfaceRoad } from '../surface/surface.js';

const DEMO_DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));
export const WATER_META_KEY = 'surface.water';
export const CROSSINGS_META_KEY = 'surface.crossings';
const DEMO_META_KEY = 'demo.loaded';
/** Bumped when the surface's rules change, so old cache files are not reused. */
const SURFACE_VERSION = 1;

const memo = new Map<string, MovementSurface>();

/** Forget the surfaces kept in memory (the disk cache stays): what a new process sees. */
export function forgetSurfaces(): void {
  memo.clear();
}

interface Fc {
  features: { geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> | null }[];
}

function readFc(path: string, what: string): Fc {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Fc;
  } catch (err) {
    throw new Error(`${what} ${path}: not readable GeoJSON (${(err as Error).message})`);
  }
}

export async function loadSurface(store: Store, boundaryId: string, land: MultiPolygonCoords, resolution: number): Promise<{ surface: MovementSurface; sources: Record<string, string> }> {
  const demo = Boolean(await store.getMeta(DEMO_META_KEY));
  const sources: Record<string, string> = { boundary: boundaryId };
  const sig: unknown[] = [SURFACE_VERSION, resolution, land];
  const input: SurfaceInput = { land, resolution };
  // Roads.
  const graphPath = await store.getMeta(ROADS_META_KEY);
  if (graphPath && existsSync(graphPath)) {
    const { graph, meta } = readGraphCache(graphPath);
    const st = statSync(graphPath);
    sig.push(['graph', graphPath, st.size, st.mtimeMs]);
    const roads: SurfaceRoad[] = [];
    const seen = new Uint8Array(graph.pieceOffsets.length);
    for (let e = 0; e < graph.edgeCount; e++) {
      const p = graph.piece[e]!;
      if (seen[p]) continue;
      seen[p] = 1;
      const coords: Position[] = [];
      for (let k = graph.pieceOffsets[p]!; k < graph.pieceOffsets[p + 1]!; k++) coords.push([graph.pieceLon[k]!, graph.pieceLat[k]!]);
      roads.push({ coordinates: coords, speedKmh: DEFAULT_SPEED_KMH[ROAD_CLASSES[graph.roadClass[e]!]!] });
    }
    input.roads = roads;
    // The demo's roads are drawn place to place: their straight lines are no evidence of a bridge.
    input.bridgesWhereRoadsCross = meta.source !== 'roads.geojson';
    sources.roads = `road graph ${meta.source} (${roads.length} pieces)`;
  } else if (demo) {
    const fc = readFc(`${DEMO_DIR}roads.geojson`, 'demo roads');
    input.roads = fc.features.flatMap((f) => {
      const cls = roadClassOf(String(f.properties?.highway ?? ''));
      if (f.geometry?.type !== 'LineString' || cls < 0) return [];
      return [{ coordinates: f.geometry.coordinates as Position[], speedKmh: DEFAULT_SPEED_KMH[ROAD_CLASSES[cls]!] }];
    });
    sig.push(['demo-roads', input.roads]);
    sources.roads = `data/demo/roads.geojson (${input.roads.length} roads)`;
  } else sources.roads = 'none';
  // Water.
  const waterPath = (await store.getMeta(WATER_META_KEY)) ?? (demo ? `${DEMO_DIR}water.geojson` : null);
  if (waterPath && existsSync(waterPath)) {
    const fc = readFc(waterPath, 'water');
    const rivers: SurfaceRiver[] = [];
    const lakes: SurfaceLake[] = [];
    for (const f of fc.features) {
      const kind = f.properties?.kind, name = String(f.properties?.name ?? '');
      const g = f.geometry;
      if (!g) continue;
      if (kind === 'river' && (g.type === 'LineString' || g.type === 'MultiLineString')) {
        for (const line of (g.type === 'LineString' ? [g.coordinates] : g.coordinates) as Position[][]) rivers.push({ name, coordinates: line });
      } else if (kind === 'lake' && (g.type === 'Polygon' || g.type === 'MultiPolygon')) {
        lakes.push({ name, polygon: (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPolygonCoords });
      }
    }
    input.rivers = rivers;
    input.lakes = lakes;
    sig.push(['water', rivers, lakes]);
    sources.water = `${waterPath.startsWith(DEMO_DIR) ? 'data/demo/water.geojson' : waterPath} (${rivers.length} river lines, ${lakes.length} lakes)`;
  } else sources.water = 'none';
  // Crossings.
  const crossPath = (await store.getMeta(CROSSINGS_META_KEY)) ?? (demo ? `${DEMO_DIR}crossings.geojson` : null);
  if (crossPath && existsSync(crossPath)) {
    const fc = readFc(crossPath, 'crossings');
    const crossings: Crossing[] = [];
    for (const f of fc.features) {
      const p = f.properties ?? {};
      if (f.geometry?.type !== 'Point') continue;
      const [lon, lat] = f.geometry.coordinates as [number, number];
      const kind = p.kind === 'dam' || p.kind === 'ford' ? p.kind : 'bridge';
      crossings.push({ id: String(p.id ?? crossings.length), name: String(p.name ?? ''), kind, lon, lat });
    }
    input.crossings = crossings;
    sig.push(['crossings', crossings]);
    sources.crossings = `${crossPath.startsWith(DEMO_DIR) ? 'data/demo/crossings.geojson' : crossPath} (${crossings.length})`;
  } else sources.crossings = 'none';
  const key = createHash('sha256').update(JSON.stringify(sig)).digest('hex');
  let surface = memo.get(key);
  if (!surface) {
    const dir = process.env.FRONTLINE_CACHE_DIR ?? join(homedir(), '.cache', 'frontline');
    const file = join(dir, `surface-${key.slice(0, 20)}.bin`);
    if (existsSync(file)) {
      try {
        surface = surfaceFromBytes(readFileSync(file), key) ?? undefined;
      } catch {
        surface = undefined; // a damaged cache file: built again below
      }
    }
    if (!surface) {
      surface = buildSurface(input);
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(`${file}.${process.pid}.tmp`, surfaceToBytes(surface, key));
        renameSync(`${file}.${process.pid}.tmp`, file);
      } catch {
        // No writable cache directory: the surface is built again next time, nothing else changes.
      }
    }
    memo.set(key, surface);
    if (memo.size > 4) memo.delete(memo.keys().next().value!);
  }
  return { surface, sources };
}
