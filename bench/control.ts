/**
 * Issue 3's benchmark: the control engine on the demo and on a synthetic country (6,000 places, 40,000
 * control intervals over 2017, Syria's outline), and attribution of 2,000,000 events against PostGIS
 * doing the same work (Voronoi polygons of the places + ST_Contains + the interval join, GiST-indexed),
 * in the same run.
 *
 *   npm run bench:control                  # everything
 *   npm run bench:control -- --no-postgis  # without the PostGIS peer
 *
 * PostGIS: needs Debian's postgresql-15 and postgresql-15-postgis-3; the benchmark starts a throwaway
 * server (tools/pg-server.ts; as the postgres user when run as root) and stops it at the end.
 */
import { Writable } from 'node:stream';
import { loadavg } from 'node:os';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pgMissing, startPg } from '../tools/pg-server.js';
import { fileURLToPath } from 'node:url';
import { addDays, dayNumber } from '../src/core/dates.js';
import type { Bloc, ControlObservation, Place, Relation } from '../src/core/schemas.js';
import { areaFeatures } from '../src/control/geojson.js';
import { loadControlModel } from '../src/control/load.js';
import { ControlModel } from '../src/control/model.js';
import { controlReport } from '../src/control/report.js';
import { main } from '../src/cli/main.js';
import { forgetSurfaces } from '../src/control/surface-inputs.js';
import { partition, partitionBuffers } from '../src/surface/partition.js';
import { pointInMultiPolygon, type MultiPolygonCoords } from '../src/geo/measure.js';
import { loadDemo } from '../src/demo/load-demo.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { mulberry32 } from './generate.js';
import { markdownControlReport } from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}bench/out/`;
const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log('usage: npm run bench:control [-- --events 2000000] [--no-postgis]\n  Areas, series and attribution: Frontline vs PostGIS. Writes bench/out/control-results.json.');
  process.exit(0);
}
const EVENTS = Number(argv[argv.indexOf('--events') + 1] ?? 0) || 2_000_000;
const POSTGIS = !argv.includes('--no-postgis');
mkdirSync(OUT, { recursive: true });
console.log(`load average at the start (2 cores shared): ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

function time<T>(f: () => T): { ms: number; value: T } {
  const t = performance.now();
  const value = f();
  return { ms: performance.now() - t, value };
}
function best<T>(n: number, f: () => T): { ms: number; value: T } {
  let r = time(f);
  for (let i = 1; i < n; i++) {
    const x = time(f);
    if (x.ms < r.ms) r = x;
  }
  return r;
}
const r2 = (x: number): number => Math.round(x * 100) / 100;

// ---- 1. the demo ---------------------------------------------------------------------------------------
const demoDb = `${OUT}control-demo.db`;
rmSync(demoDb, { force: true });
const demoStore = openSqliteStore(demoDb);
await loadDemo(demoStore);
const tLoad = performance.now();
// The engine before issue 17 (nearest place within 30 km, resolution 6), kept as --method nearest.
const demo = await loadControlModel(demoStore, { method: 'nearest', resolution: 6 });
const demoBuildMs = performance.now() - tLoad;
const demoState = best(5, () => demo.stateAt('2017-06-01'));
const demoPolygons = best(3, () => areaFeatures(demo, demo.stateAt('2017-06-01')));
const demoFront = best(3, () => demo.frontLines(demo.stateAt('2017-06-01')));
const demoSeries = best(3, () => demo.series('2017-01-01', '2017-07-31', 7));
console.log(`demo (nearest, resolution 6): model ${demoBuildMs.toFixed(0)} ms, state ${demoState.ms.toFixed(2)} ms, polygons ${demoPolygons.ms.toFixed(0)} ms, front lines ${demoFront.ms.toFixed(1)} ms, weekly series Jan–Jul ${demoSeries.ms.toFixed(1)} ms`);

// ---- 1b. the two area methods side by side on the demo ---------------------------------------------------
// Each timing on a fresh model (no per-date cache yet) unless it says "again"; the surface cache on disk is
// emptied first, so "model, first" includes building the surface.
const cacheDir = `${OUT}surface-cache`;
rmSync(cacheDir, { recursive: true, force: true });
process.env.FRONTLINE_CACHE_DIR = cacheDir;
type Side = { modelFirstMs: number; modelMs: number; cells: number; atMs: number; atAgainMs: number; reportMs: number; seriesMs: number; seriesAgainMs: number; unheldMaxPct: number; sharesJan1: Record<string, number>; sharesJul30: Record<string, number> };
async function side(method: 'nearest' | 'cost-distance', resolution: number): Promise<Side> {
  const tFirst = performance.now();
  await loadControlModel(demoStore, { method, resolution });
  const modelFirstMs = performance.now() - tFirst;
  // A fresh model as a new process would load it: the surface from the disk cache, not from memory.
  const fresh = async () => {
    forgetSurfaces();
    return loadControlModel(demoStore, { method, resolution });
  };
  const tm = performance.now();
  let m = await fresh();
  const modelMs = performance.now() - tm;
  const at = time(() => m.stateAt('2017-06-01'));
  const atAgain = best(5, () => m.stateAt('2017-06-01'));
  m = await fresh();
  const report = time(() => controlReport(m, '2017-06-01'));
  m = await fresh();
  const series = time(() => m.series('2017-01-01', '2017-07-30', 7));
  const seriesAgain = best(3, () => m.series('2017-01-01', '2017-07-30', 7));
  const unheldMaxPct = Math.max(...series.value.filter((r) => r.bloc === 'unassigned').map((r) => r.sharePct));
  const shares = (d: string) => Object.fromEntries(series.value.filter((r) => r.date === d).map((r) => [r.bloc, r.sharePct]));
  return { modelFirstMs: Math.round(modelFirstMs), modelMs: Math.round(modelMs), cells: m.grid.cells.length, atMs: r2(at.ms), atAgainMs: r2(atAgain.ms), reportMs: r2(report.ms), seriesMs: Math.round(series.ms), seriesAgainMs: Math.round(seriesAgain.ms), unheldMaxPct, sharesJan1: shares('2017-01-01'), sharesJul30: shares('2017-07-30') };
}
const methods = { nearest: await side('nearest', 6), costDistance: await side('cost-distance', 7) };
await demoStore.close();
// `frontline control at DATE --json` as the CLI runs it (open the store, load the model with the surface
// from the disk cache, the state, the report, the JSON), in this process: Node's own start not counted.
const cliMs: number[] = [];
const sink = new Writable({ write: (_c, _e, done) => done() });
for (let i = 0; i < 3; i++) {
  forgetSurfaces();
  const t = performance.now();
  const code = await main(['node', 'frontline', '--db', demoDb, 'control', 'at', '2017-06-01', '--json'], sink, sink);
  if (code !== 0) throw new Error(`control at exited ${code}`);
  cliMs.push(performance.now() - t);
}
console.log('\n| demo, Jan–Jul 2017 | nearest within 30 km, res 6 (before) | cost-distance on the surface, res 7 |');
console.log('|---|---|---|');
const row = (label: string, f: (s: Side) => string | number): void => console.log(`| ${label} | ${f(methods.nearest)} | ${f(methods.costDistance)} |`);
row('cells', (s) => s.cells.toLocaleString('en-US'));
row('model, first load (surface built)', (s) => `${s.modelFirstMs} ms`);
row('model, next loads (a new process: surface from the disk cache)', (s) => `${s.modelMs} ms`);
row('control at 2017-06-01: state, first', (s) => `${s.atMs} ms`);
row('control at 2017-06-01: state, again (cached)', (s) => `${s.atAgainMs} ms`);
row('control at 2017-06-01: the --json report, first', (s) => `${s.reportMs} ms`);
row('control series, 31 weeks, first (goal ≤ 3 s)', (s) => `${s.seriesMs} ms`);
row('control series, 31 weeks, again', (s) => `${s.seriesAgainMs} ms`);
row('largest unheld share on any week (goal ≤ 2%)', (s) => `${s.unheldMaxPct}%`);
console.log(`\n\`frontline control at 2017-06-01 --json\` in process (store opened, model loaded with the surface from the disk cache, report written; Node's start not counted), best of 3: ${Math.min(...cliMs).toFixed(0)} ms`);

// ---- 2. a synthetic country ----------------------------------------------------------------------------
const land = JSON.parse(readFileSync(`${ROOT}data/demo/boundary.geojson`, 'utf8')).features[0].geometry;
const landCoords = (land.type === 'Polygon' ? [land.coordinates] : land.coordinates) as MultiPolygonCoords;
const rand = mulberry32(2017);
const PLACES = 6000;
const places: Place[] = [];
while (places.length < PLACES) {
  const lon = 35.7 + rand() * 6.7, lat = 32.3 + rand() * 5.1;
  if (!pointInMultiPolygon(lon, lat, landCoords)) continue;
  const i = places.length;
  places.push({ id: `p${i}`, name: `Place ${i}`, names: [], kind: 'village', lon, lat, population: Math.floor(200 + rand() ** 4 * 200000), geonamesId: null, sources: [] });
}
const BLOCS = 6;
const blocs: Bloc[] = Array.from({ length: BLOCS }, (_, b) => ({ id: `b${b}`, name: `Bloc ${b}`, members: [{ actor: `a${b}x` }, { actor: `a${b}y` }] }));
const relations: Relation[] = [];
for (let a = 0; a < BLOCS; a++) for (let b = a + 1; b < BLOCS; b++) relations.push({ a: `b${a}`, b: `b${b}`, kind: (a + b) % 3 === 0 ? 'allied' : 'hostile' });
// 40,000 intervals: every place starts held on 2017-01-01, then ~5.7 changes each at random days of 2017.
const observations: ControlObservation[] = [];
const INTERVALS = 40_000;
for (const p of places) observations.push({ id: `${p.id}-0`, place: p.id, actor: `a${Math.floor(rand() * BLOCS)}x`, status: 'held', from: '2017-01-01', source: { name: 'synthetic' }, confidence: 0.8 });
for (let k = observations.length; k < INTERVALS; k++) {
  const p = places[Math.floor(rand() * PLACES)]!;
  const b = Math.floor(rand() * BLOCS);
  observations.push({ id: `${p.id}-${k}`, place: p.id, actor: `a${b}${rand() < 0.5 ? 'x' : 'y'}`, status: rand() < 0.1 ? 'contested' : 'held', from: addDays('2017-01-02', Math.floor(rand() * 363)), source: { name: 'synthetic' }, confidence: 0.8 });
}
const tModel = performance.now();
const synth = new ControlModel({ land: landCoords, places, observations, blocs, relations, radiusKm: 1000, method: 'nearest' });
const synthBuildMs = performance.now() - tModel;
const synthState = best(5, () => synth.stateAt('2017-06-01'));
const synthPolygons = best(3, () => areaFeatures(synth, synth.stateAt('2017-06-01')));
const synthSeries = best(3, () => synth.series('2017-01-01', '2017-12-31', 7));
console.log(`synthetic (nearest): model ${synthBuildMs.toFixed(0)} ms (${synth.grid.cells.length} cells), state ${synthState.ms.toFixed(2)} ms, polygons ${synthPolygons.ms.toFixed(0)} ms, weekly series over 2017 ${synthSeries.ms.toFixed(0)} ms`);
const tCost = performance.now();
const synthCost = new ControlModel({ land: landCoords, places, observations, blocs, relations, radiusKm: 1000, resolution: 7 });
const synthCostBuildMs = performance.now() - tCost;
const synthCostState = time(() => synthCost.stateAt('2017-06-01'));
const synthCostSeries = time(() => synthCost.series('2017-01-01', '2017-12-31', 7));
console.log(`synthetic (cost-distance, plain surface, resolution 7): model ${synthCostBuildMs.toFixed(0)} ms (${synthCost.grid.cells.length} cells), state ${synthCostState.ms.toFixed(1)} ms, weekly series over 2017 (53 distinct states) ${synthCostSeries.ms.toFixed(0)} ms`);

// ---- 2b. the partition alone on large lattices: cells vs time -------------------------------------------
// A hexagonal lattice in axial coordinates (12 step directions as on the surface), random terrain (1 cell
// in 20 a road at 60 km/h, the rest 6 km/h), a river across it with a crossing every 100 cells, 6,000 seeds.
const scaling: { cells: number; ms: number; msPerMillion: number }[] = [];
for (const side of [500, 1000, 1414]) {
  const W = side, H = side, n = W * H;
  const steps = 12;
  // Axial neighbours, then the diagonals between them (√3 as far).
  const dq = [1, 0, -1, -1, 0, 1, 2, 1, -1, -2, -1, 1];
  const dr = [0, 1, 1, 0, -1, -1, -1, 1, 2, 1, -1, -2];
  const stepTarget = new Int32Array(n * steps).fill(-1);
  const stepHours = new Float32Array(n * steps).fill(Infinity);
  const pace = new Float32Array(n);
  const rl = mulberry32(side);
  for (let c = 0; c < n; c++) pace[c] = rl() < 0.05 ? 1 / 60 : 1 / 6;
  const riverCol = Math.floor(W / 2);
  for (let r = 0; r < H; r++)
    for (let q = 0; q < W; q++) {
      const c = r * W + q;
      for (let k = 0; k < steps; k++) {
        const q2 = q + dq[k]!, r2_ = r + dr[k]!;
        if (q2 < 0 || r2_ < 0 || q2 >= W || r2_ >= H) continue;
        const t = r2_ * W + q2;
        stepTarget[c * steps + k] = t;
        const crossesRiver = (q < riverCol) !== (q2 < riverCol) && r % 100 !== 0;
        if (crossesRiver) continue;
        const km = k < 6 ? 2.4 : 2.4 * Math.sqrt(3);
        stepHours[c * steps + k] = km * (pace[c]! + pace[t]!) / 2;
      }
    }
  const seeds = Array.from({ length: 6000 }, (_, i) => ({ cell: Math.floor(rl() * n), label: i % BLOCS }));
  const lattice = { cellCount: n, steps, stepTarget, stepHours };
  const buf = partitionBuffers(n, steps);
  partition(lattice, seeds, Infinity, buf); // warm-up
  const t = best(3, () => partition(lattice, seeds, Infinity, buf));
  scaling.push({ cells: n, ms: Math.round(t.ms), msPerMillion: Math.round(t.ms / (n / 1e6)) });
  console.log(`partition of a ${n.toLocaleString('en-US')}-cell lattice, 6,000 seeds: ${t.ms.toFixed(0)} ms`);
}

// ---- 3. attribution of 2M events -----------------------------------------------------------------------
const evLon = new Float64Array(EVENTS), evLat = new Float64Array(EVENTS), evDay = new Int32Array(EVENTS);
const d0 = dayNumber('2017-01-01');
for (let i = 0; i < EVENTS; i++) {
  // Events cluster round places (within ~5 km), on any day of 2017.
  const p = places[Math.floor(rand() ** 2 * PLACES)]!;
  evLon[i] = p.lon + (rand() - 0.5) * 0.1;
  evLat[i] = p.lat + (rand() - 0.5) * 0.1;
  evDay[i] = d0 + Math.floor(rand() * 365);
}
const attribution = best(3, () => synth.attributeMany(evLon, evLat, evDay));
console.log(`attribution of ${EVENTS.toLocaleString('en-US')} events: ${attribution.ms.toFixed(0)} ms`);

// ---- 4. PostGIS doing the same -------------------------------------------------------------------------
let postgis: { seconds: number; loadSeconds: number; mismatches: number; compared: number; version: string } | null = null;
if (POSTGIS) postgis = runPostgis();

const results = {
  measuredAt: new Date().toISOString(),
  loadAverage: loadavg().map((x) => r2(x)),
  node: process.version,
  demo: { places: demo.places.length, cells: demo.grid.cells.length, modelMs: Math.round(demoBuildMs), stateMs: r2(demoState.ms), polygonsMs: Math.round(demoPolygons.ms), frontLinesMs: r2(demoFront.ms), weeklySeriesJanJulMs: r2(demoSeries.ms) },
  synthetic: { places: PLACES, intervals: INTERVALS, cells: synth.grid.cells.length, modelMs: Math.round(synthBuildMs), stateMs: r2(synthState.ms), polygonsMs: Math.round(synthPolygons.ms), weeklySeriesYearMs: Math.round(synthSeries.ms) },
  attribution: { events: EVENTS, frontlineMs: Math.round(attribution.ms), postgis, speedup: postgis ? r2((postgis.seconds * 1000) / attribution.ms) : null },
  areaMethods: { ...methods, cliControlAtMs: Math.round(Math.min(...cliMs)) },
  syntheticCostDistance: { cells: synthCost.grid.cells.length, modelMs: Math.round(synthCostBuildMs), stateMs: r2(synthCostState.ms), weeklySeriesYearMs: Math.round(synthCostSeries.ms) },
  partitionScaling: scaling,
};
writeFileSync(`${OUT}control-results.json`, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\n${markdownControlReport(results)}`);

function runPostgis(): { seconds: number; loadSeconds: number; mismatches: number; compared: number; version: string } {
  const missing = pgMissing(['postgis']);
  if (missing) throw new Error(`PostGIS is not installed (${missing}): apt-get install postgresql-15 postgresql-15-postgis-3, or run with --no-postgis`);
  const pg = startPg({ settings: { shared_buffers: '1GB', work_mem: '256MB', max_parallel_workers_per_gather: '2' } });
  const psql = pg.psql;
  const dir = pg.dir;
  try {
    const version = psql('CREATE EXTENSION postgis; SELECT postgis_lib_version();').trim();
    // Positions in the same km projection Frontline uses for "nearest", so both answer the same question.
    const { kx, ky } = synth.locator.projection;
    const files = { places: `${dir}/places.csv`, intervals: `${dir}/intervals.csv`, events: `${dir}/events.csv` };
    writeFileSync(files.places, places.map((p, i) => `${i},${p.lon * kx},${p.lat * ky}`).join('\n'));
    const rows: string[] = [];
    places.forEach((p, i) => {
      const ch = synth.timeline.raw(p.id);
      if (!ch) return;
      for (let k = 0; k < ch.days.length; k++) {
        const bloc = synth.blocIndexOfActorIndex(ch.actors[k]!, ch.days[k]!);
        rows.push(`${i},${ch.days[k]},${k + 1 < ch.days.length ? ch.days[k + 1] : 1e9},${bloc}`);
      }
    });
    writeFileSync(files.intervals, rows.join('\n'));
    let csv = '';
    const parts: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      csv += `${i},${evLon[i]! * kx},${evLat[i]! * ky},${evDay[i]}\n`;
      if (csv.length > 1 << 22) {
        parts.push(csv);
        csv = '';
      }
    }
    parts.push(csv);
    writeFileSync(files.events, parts.join(''));
    chmodSync(dir, 0o755);
    for (const f of Object.values(files)) chmodSync(f, 0o644);
    const tLoad = performance.now();
    psql(`
      CREATE TABLE places (id int PRIMARY KEY, geom geometry(Point));
      CREATE TEMP TABLE p_in (id int, x float8, y float8);
      COPY p_in FROM '${files.places}' CSV;
      INSERT INTO places SELECT id, ST_MakePoint(x, y) FROM p_in;
      CREATE TABLE intervals (place int, from_day int, to_day int, bloc int);
      COPY intervals FROM '${files.intervals}' CSV;
      CREATE INDEX ON intervals (place, from_day);
      CREATE TABLE events (id int, geom geometry(Point), day int);
      CREATE TEMP TABLE e_in (id int, x float8, y float8, day int);
      COPY e_in FROM '${files.events}' CSV;
      INSERT INTO events SELECT id, ST_MakePoint(x, y), day FROM e_in;
      CREATE INDEX ON events USING gist (geom);
      -- Voronoi cells of the places (the nearest-place rule), each joined back to its place.
      CREATE TABLE cells AS
        SELECT p.id AS place, v.geom FROM (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(geom)))).geom FROM places) v
        JOIN places p ON ST_Contains(v.geom, p.geom);
      CREATE INDEX ON cells USING gist (geom);
      ANALYZE;`);
    const loadSeconds = (performance.now() - tLoad) / 1000;
    const t = performance.now();
    psql(`CREATE TABLE attributed AS
      SELECT e.id, i.bloc FROM events e
      JOIN cells c ON ST_Contains(c.geom, e.geom)
      JOIN intervals i ON i.place = c.place AND e.day >= i.from_day AND e.day < i.to_day;`);
    const seconds = (performance.now() - t) / 1000;
    const theirs = new Int32Array(EVENTS).fill(-1);
    for (const line of psql('SELECT id, bloc FROM attributed').split('\n')) {
      if (!line) continue;
      const [id, bloc] = line.split('|').map(Number) as [number, number];
      theirs[id] = bloc;
    }
    const ours = attribution.value;
    let mismatches = 0;
    for (let i = 0; i < EVENTS; i++) if (ours[i] !== theirs[i]) mismatches++;
    console.log(`PostGIS ${version}: attribution ${seconds.toFixed(1)} s (load and index ${loadSeconds.toFixed(1)} s), ${mismatches} answers differ from Frontline's`);
    return { seconds: r2(seconds), loadSeconds: r2(loadSeconds), mismatches, compared: EVENTS, version };
  } finally {
    pg.stop();
  }
}
