/**
 * Where a store's road graph lives: a binary cache file beside the store (docs/routing.md), named in the
 * store's metadata, so every command and the server load the same graph in milliseconds.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../core/errors.js';
import { readOsmRoads, type Progress } from '../io/osm.js';
import type { Store } from '../store/store.js';
import { buildRoadGraph, graphBytes, type BuildReport, type RoadGraph } from './graph.js';
import { readGraphCache, writeGraphCache, type GraphMeta } from './graph-cache.js';

export const ROADS_META_KEY = 'roads.cache';

export interface RoadsImport {
  file: string;
  cache: string;
  nodes: number;
  edges: number;
  bytes: number;
  bytesPerEdge: number;
  osm: { nodes: number; ways: number; relations: number; highwayWays: number };
  build: BuildReport;
  seconds: number;
}

/** Build the graph from a road file and keep it as the store's road network (replacing any before). */
export async function importRoads(store: Store, file: string, cache: string, onProgress?: Progress): Promise<RoadsImport> {
  const t = performance.now();
  const osm = await readOsmRoads(file, onProgress);
  const { graph, report } = buildRoadGraph(osm.ways, osm.coord);
  if (!graph.edgeCount) throw new UsageError(`${file}: no drivable roads found (${osm.counts.highwayWays} highway ways, none of a vehicle class): nothing was changed`);
  const meta: GraphMeta = { source: basename(file), builtAt: new Date().toISOString(), osm: osm.counts, build: report };
  writeGraphCache(cache, graph, meta);
  await store.setMeta(ROADS_META_KEY, cache);
  const bytes = graphBytes(graph);
  return { file, cache, nodes: graph.nodeCount, edges: graph.edgeCount, bytes, bytesPerEdge: Math.round((bytes / graph.edgeCount) * 10) / 10, osm: osm.counts, build: report, seconds: (performance.now() - t) / 1000 };
}

export async function loadRoads(store: Store): Promise<{ graph: RoadGraph; meta: GraphMeta; cache: string }> {
  const cache = await store.getMeta(ROADS_META_KEY);
  if (!cache) throw new UsageError('the store has no road network: run `frontline roads import FILE` (an OSM extract) or `frontline demo`');
  if (!existsSync(cache)) throw new UsageError(`the road network's cache ${cache} is gone: run \`frontline roads import FILE\` again`);
  return { ...readGraphCache(cache), cache };
}
