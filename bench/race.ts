/**
 * Issue 4's benchmark: the road graph and the race on the real OSM extracts in ../shared/data/osm and on
 * a synthetic road-like graph of ~2,000,000 directed edges laid over Syria, against pgRouting's
 * pgr_drivingDistance on the same graph, costs and sources, in the same run.
 *
 *   npm run bench:race                    # everything
 *   npm run bench:race -- --no-pgrouting  # without the peer
 */
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bloc, ControlObservation, Place, Relation } from '../src/core/schemas.js';
import { ControlModel } from '../src/control/model.js';
import type { MultiPolygonCoords } from '../src/geo/measure.js';
import { pointInMultiPolygon } from '../src/geo/measure.js';
import { readOsmRoads } from '../src/io/osm.js';
import { buildRoadGraph, graphBytes, type WayInput } from '../src/routing/graph.js';
import { readGraphCache, writeGraphCache } from '../src/routing/graph-cache.js';
import { arrivalMap, isochrones } from '../src/routing/arrival-map.js';
import { DEFAULT_RACE_PARAMETERS, RaceContext, runRace } from '../src/routing/race.js';
import { blocCostTable, relationsOf } from '../src/routing/territory.js';
import { multiSourceSearch } from '../src/routing/search.js';
import { pgMissing, startPg } from '../tools/pg-server.js';
import { mulberry32 } from './generate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}bench/out/`;
const SHARED_OSM = join(ROOT, '..', 'shared', 'data', 'osm');
const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log('usage: npm run bench:race [-- --side 710] [--no-pgrouting]\n  Road graphs and the race: Frontline vs pgRouting. Writes bench/out/race-results.json.');
  process.exit(0);
}
const SIDE = Number(argv[argv.indexOf('--side') + 1] ?? 0) || 710;
const PGR = !argv.includes('--no-pgrouting');
mkdirSync(OUT, { recursive: true });
const ms = (t: number): number => Math.round((performance.now() - t) * 10) / 10;
const peakMb = (): number => Math.round(process.memoryUsage().rss / 1e6);

// ---- 1. the real extracts -----------------------------------------------------------------------------
const extracts: Record<string, unknown>[] = [];
if (existsSync(SHARED_OSM)) {
  for (const f of ['gh-andorra.osm.pbf', 'gh-north-bayreuth.osm.gz', 'gh-campo-grande.osm.gz', 'gh-krems.osm.gz']) {
    const t = performance.now();
    const osm = await readOsmRoads(join(SHARED_OSM, f));
    const { graph } = buildRoadGraph(osm.ways, osm.coord);
    const buildMs = ms(t);
    const cache = `${OUT}${f}.roads`;
    writeGraphCache(cache, graph, { source: f, builtAt: new Date().toISOString() });
    const tl = performance.now();
    readGraphCache(cache);
    extracts.push({ file: f, nodes: graph.nodeCount, edges: graph.edgeCount, buildMs, cacheLoadMs: ms(tl), bytesPerEdge: Math.round((graphBytes(graph) / graph.edgeCount) * 10) / 10 });
    console.log(JSON.stringify(extracts.at(-1)));
  }
}

// ---- 2. a synthetic road-like graph over Syria ------------------------------------------------------------
// A SIDE×SIDE lattice of junctions: every row and column a road; every 10th a secondary, every 50th a
// trunk, the rest tracks and residential streets; positions jittered so that no two roads are straight.
const rand = mulberry32(4);
const LON0 = 35.8, LAT0 = 32.4, SPAN_LON = 6.4, SPAN_LAT = 4.8;
const coords = new Float64Array(SIDE * SIDE * 2);
for (let r = 0; r < SIDE; r++)
  for (let c = 0; c < SIDE; c++) {
    const i = r * SIDE + c;
    coords[2 * i] = LON0 + ((c + (rand() - 0.5) * 0.4) / SIDE) * SPAN_LON;
    coords[2 * i + 1] = LAT0 + ((r + (rand() - 0.5) * 0.4) / SIDE) * SPAN_LAT;
  }
const cls = (k: number): string => (k % 50 === 0 ? 'trunk' : k % 10 === 0 ? 'secondary' : k % 3 === 0 ? 'track' : 'residential');
const ways: WayInput[] = [];
for (let r = 0; r < SIDE; r++) ways.push({ id: r, refs: Array.from({ length: SIDE }, (_, c) => r * SIDE + c), tags: { highway: cls(r) } });
for (let c = 0; c < SIDE; c++) ways.push({ id: SIDE + c, refs: Array.from({ length: SIDE }, (_, r) => r * SIDE + c), tags: { highway: cls(c) } });
let t = performance.now();
const { graph } = buildRoadGraph(ways, (id) => (id >= 0 && id < SIDE * SIDE ? [coords[2 * id]!, coords[2 * id + 1]!] : undefined));
const synthBuildMs = ms(t);
const cacheFile = `${OUT}synthetic.roads`;
writeGraphCache(cacheFile, graph, { source: 'synthetic', builtAt: new Date().toISOString() });
t = performance.now();
readGraphCache(cacheFile);
const synthLoadMs = ms(t);
console.log(`synthetic graph: ${graph.nodeCount} nodes, ${graph.edgeCount} edges, built in ${synthBuildMs} ms, cache load ${synthLoadMs} ms, ${(graphBytes(graph) / graph.edgeCount).toFixed(1)} bytes/edge`);

// Control over it: 3,000 places at random junctions, 6 blocs, alternating hostile/allied relations.
const land = [[[[LON0, LAT0], [LON0 + SPAN_LON, LAT0], [LON0 + SPAN_LON, LAT0 + SPAN_LAT], [LON0, LAT0 + SPAN_LAT], [LON0, LAT0]]]] as MultiPolygonCoords;
const BLOCS = 6;
const blocs: Bloc[] = Array.from({ length: BLOCS }, (_, b) => ({ id: `b${b}`, name: `Bloc ${b}`, members: [{ actor: `a${b}` }] }));
const relations: Relation[] = [];
for (let a = 0; a < BLOCS; a++) for (let b = a + 1; b < BLOCS; b++) relations.push({ a: `b${a}`, b: `b${b}`, kind: (a + b) % 4 === 0 ? 'deconflicted' : 'hostile' });
const places: Place[] = [];
const observations: ControlObservation[] = [];
for (let i = 0; i < 3000; i++) {
  const v = Math.floor(rand() * graph.nodeCount);
  const lon = graph.lon[v]!, lat = graph.lat[v]!;
  if (!pointInMultiPolygon(lon, lat, land)) continue;
  // Blocs hold bands of the country (as fronts do), with some mixing.
  const b = Math.min(BLOCS - 1, Math.floor(((lon - LON0) / SPAN_LON) * BLOCS + (rand() - 0.5)));
  places.push({ id: `p${i}`, name: `P${i}`, names: [], kind: 'village', lon, lat, population: 1000, geonamesId: null, sources: [] });
  observations.push({ id: `o${i}`, place: `p${i}`, actor: `a${Math.max(0, b)}`, status: rand() < 0.05 ? 'contested' : 'held', from: '2017-01-01', source: { name: 'synthetic' }, confidence: 0.8 });
}
// On 15 June one place in thirty changes hands, to a neighbouring bloc: races on 1 and 20 June differ.
for (const [i, p] of places.entries()) {
  if (rand() >= 1 / 30) continue;
  const b = Number(observations[i]!.actor.slice(1));
  observations.push({ id: `c${i}`, place: p.id, actor: `a${b === 0 ? 1 : b - 1}`, status: 'held', from: '2017-06-15', source: { name: 'synthetic' }, confidence: 0.8 });
}
t = performance.now();
const model = new ControlModel({ land, places, observations, blocs, relations, radiusKm: 40 });
const ctx = new RaceContext(graph, model);
const contextMs = ms(t);
const objectives = Array.from({ length: 8 }, (_, i) => {
  const p = places[Math.floor((i + 0.5) * (places.length / 8))]!;
  return { name: p.name, lon: p.lon, lat: p.lat, placeId: p.id };
});
// One bloc's search: costs for the date, then the multi-source search.
const date = '2017-06-01', nextDate = '2017-06-20';
const bloc = 2;
// The race's own costs (its cost table written out edge by edge, as a race searches them); pgRouting
// gets the same numbers.
const table = blocCostTable(ctx, ctx.kindsFor(date), `b${bloc}`, relationsOf(ctx, `b${bloc}`, date), DEFAULT_RACE_PARAMETERS);
const kept = ctx.costsFor(`b${bloc}`, table);
// A copy: the context's own array is rewritten by the races that follow.
const cost = kept.cost.slice(), range = kept.range;
const race0 = runRace(ctx, date, [], DEFAULT_RACE_PARAMETERS, { blocs: [`b${bloc}`] });
const sources: number[] = [];
for (const id of race0.starts[`b${bloc}`]!) {
  const p = places[model.placeIndexOf(id)]!;
  for (const { edge } of ctx.snap(p.lon, p.lat, 15)?.edges ?? []) sources.push(graph.target[edge]!);
}
const uniqueSources = [...new Set(sources)];
let best = Infinity;
let ours: Float64Array = new Float64Array();
for (let k = 0; k < 3; k++) {
  t = performance.now();
  ours = multiSourceSearch(graph, cost, uniqueSources, undefined, undefined, range).dist;
  best = Math.min(best, ms(t));
}
console.log(`one bloc's search: ${best} ms from ${uniqueSources.length} sources`);
// A complete race: every bloc, all objectives, the partition of the network; then its map (first-arrival
// areas, the fronts between them, isochrone polygons for 1, 3, 7 and 30 days). Timed as one, and in parts,
// three ways (docs/routing.md, "What a race keeps"):
// - on a new date: control changed since the context's last race (1 and 20 June, alternately), so whose
//   land each road is in is worked out again and each bloc's costs are mended where it changed;
// - the same race again: nothing changed, kinds and costs kept;
// - a race on a new date with every bloc's advance rate changed (a what-if): every bloc's costs are written
//   out again, the most a race with a context already built can cost.
const LEVELS = [1, 3, 7, 30];
const round1 = (x: number): number => Math.round(x * 10) / 10;
const complete = (c: RaceContext, d: string, params = DEFAULT_RACE_PARAMETERS): { result: ReturnType<typeof runRace>; map: ReturnType<typeof arrivalMap>; raceMs: number; mapMs: number; totalMs: number } => {
  const t0 = performance.now();
  const result = runRace(c, d, objectives, params, { cells: true });
  const t1 = performance.now();
  const map = arrivalMap(model, result.cellDays!, LEVELS);
  const t2 = performance.now();
  return { result, map, raceMs: t1 - t0, mapMs: t2 - t1, totalMs: t2 - t0 };
};
// The grid's cell shapes (vertices, border pieces) are built once per control model, like the links above,
// by the first map drawn.
let last = complete(ctx, date);
const isoFirstMs = round1(last.mapMs);
// Fifteen runs of each: this machine's speed drifts by up to a factor of two within minutes; the best and
// the median are both reported.
const stats = (runs: number[]): { best: number; median: number } => ({ best: round1(Math.min(...runs)), median: round1([...runs].sort((x, y) => x - y)[runs.length >> 1]!) });
const newDate: number[] = [], sameDate: number[] = [], raceOnly: number[] = [], mapOnly: number[] = [], isoOnly: number[] = [];
let iso = isochrones(model, last.result.cellDays!, LEVELS);
for (let k = 0; k < 15; k++) {
  last = complete(ctx, k % 2 ? date : nextDate);
  newDate.push(last.totalMs);
  raceOnly.push(last.raceMs);
  mapOnly.push(last.mapMs);
}
for (let k = 0; k < 15; k++) {
  last = complete(ctx, date);
  sameDate.push(last.totalMs);
  t = performance.now();
  iso = isochrones(model, last.result.cellDays!, LEVELS);
  isoOnly.push(performance.now() - t);
}
const { result, map } = last;
const allNew: number[] = [];
for (let k = 0; k < 15; k++) {
  const rates = Object.fromEntries(blocs.map((b) => [b.id, 4 + k / 10]));
  allNew.push(complete(ctx, k % 2 ? date : nextDate, { ...DEFAULT_RACE_PARAMETERS, advanceKmPerDay: rates }).totalMs);
}
const completeAll = stats(allNew);
const completeNew = stats(newDate), completeSame = stats(sameDate);
const raceMs = stats(raceOnly).best, mapMs = stats(mapOnly).best, isoMs = stats(isoOnly).best;
console.log(`complete race (${result.parameters.blocs.length} blocs, ${objectives.length} objectives, partition, first-arrival areas, ${map.fronts.length} fronts, ${map.isochrones.length} isochrones), of 15 each:`);
console.log(`  on a new date: best ${completeNew.best} ms, median ${completeNew.median} ms (the race alone ${raceMs} ms, its map ${mapMs} ms)`);
console.log(`  the same race again: best ${completeSame.best} ms, median ${completeSame.median} ms`);
console.log(`  on a new date with every bloc's rate changed: best ${completeAll.best} ms, median ${completeAll.median} ms`);
console.log(`isochrone polygons alone (${iso.length}): ${isoMs} ms (the first map, building the grid's cell shapes once: ${isoFirstMs} ms)`);

// ---- 3. pgRouting on the same graph, costs and sources ---------------------------------------------------
let pgr: { version: string; queryMs: number; loadMs: number; compared: number; mismatches: number } | null = null;
if (PGR) {
  const missing = pgMissing(['postgis', 'pgrouting']);
  if (missing) throw new Error(`pgRouting is not installed (${missing}); run with --no-pgrouting`);
  const pg = startPg({ settings: { shared_buffers: '1GB', work_mem: '512MB' } });
  try {
    const version = pg.psql('CREATE EXTENSION postgis; CREATE EXTENSION pgrouting; SELECT pgr_version();').trim();
    const file = `${pg.dir}/edges.csv`;
    // Sources as one virtual node (0) with free edges to each: one single-source search equals the
    // multi-source one, and pgr_drivingDistance's equicost is not needed.
    const rows: string[] = [];
    let id = 1;
    for (let u = 0; u < graph.nodeCount; u++)
      for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) if (cost[e] !== Infinity) rows.push(`${id++},${u + 1},${graph.target[e]! + 1},${cost[e]}`);
    for (const s of uniqueSources) rows.push(`${id++},0,${s + 1},0`);
    writeFileSync(file, rows.join('\n'));
    chmodSync(pg.dir, 0o755);
    chmodSync(file, 0o644);
    t = performance.now();
    pg.psql(`CREATE TABLE e (id bigint, source bigint, target bigint, cost float8); COPY e FROM '${file}' CSV; ANALYZE e;`);
    const loadMs = ms(t);
    let queryMs = Infinity;
    for (let k = 0; k < 2; k++) {
      t = performance.now();
      pg.psql(`DROP TABLE IF EXISTS dd; CREATE TABLE dd AS SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost FROM e', 0, 1e12, true);`);
      queryMs = Math.min(queryMs, ms(t));
    }
    const theirs = new Float64Array(graph.nodeCount).fill(Infinity);
    for (const line of pg.psql('SELECT node, agg_cost FROM dd').split('\n')) {
      if (!line) continue;
      const [n, c] = line.split('|').map(Number) as [number, number];
      if (n > 0) theirs[n - 1] = c;
    }
    let mismatches = 0;
    let compared = 0;
    for (let v = 0; v < graph.nodeCount; v++) {
      if (ours[v] === Infinity && theirs[v] === Infinity) continue;
      compared++;
      if (!(Math.abs(ours[v]! - theirs[v]!) <= 1e-9 * Math.max(1, theirs[v]!))) mismatches++;
    }
    pgr = { version, queryMs, loadMs, compared, mismatches };
    console.log(`pgRouting ${version}: pgr_drivingDistance ${queryMs} ms (loading ${loadMs} ms not counted); ${mismatches} of ${compared} node distances differ`);
  } finally {
    pg.stop();
  }
}

const results = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  extracts,
  synthetic: {
    nodes: graph.nodeCount,
    edges: graph.edgeCount,
    buildMs: synthBuildMs,
    cacheLoadMs: synthLoadMs,
    bytesPerEdge: Math.round((graphBytes(graph) / graph.edgeCount) * 10) / 10,
    peakRssMb: peakMb(),
    raceContextMs: contextMs,
    oneBlocSearchMs: best,
    sources: uniqueSources.length,
    completeRaceNewDateMs: completeNew.best,
    completeRaceNewDateMedianMs: completeNew.median,
    completeRaceSameDateMs: completeSame.best,
    completeRaceSameDateMedianMs: completeSame.median,
    completeRaceAllCostsNewMs: completeAll.best,
    completeRaceAllCostsNewMedianMs: completeAll.median,
    raceSearchesAndPartitionMs: raceMs,
    arrivalMapMs: mapMs,
    fronts: map.fronts.length,
    isochronePolygonsMs: isoMs,
    isochroneCellShapesOnceMs: isoFirstMs,
    blocs: result.parameters.blocs.length,
  },
  pgrouting: pgr,
  speedup: pgr ? Math.round((pgr.queryMs / best) * 10) / 10 : null,
};
writeFileSync(`${OUT}race-results.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
