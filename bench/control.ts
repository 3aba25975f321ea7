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
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pgMissing, startPg } from '../tools/pg-server.js';
import { fileURLToPath } from 'node:url';
import { addDays, dayNumber } from '../src/core/dates.js';
import type { Bloc, ControlObservation, Place, Relation } from '../src/core/schemas.js';
import { areaFeatures } from '../src/control/geojson.js';
import { loadControlModel } from '../src/control/load.js';
import { ControlModel } from '../src/control/model.js';
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
const demo = await loadControlModel(demoStore);
const demoBuildMs = performance.now() - tLoad;
const demoState = best(5, () => demo.stateAt('2017-06-01'));
const demoPolygons = best(3, () => areaFeatures(demo, demo.stateAt('2017-06-01')));
const demoFront = best(3, () => demo.frontLines(demo.stateAt('2017-06-01')));
const demoSeries = best(3, () => demo.series('2017-01-01', '2017-07-31', 7));
await demoStore.close();
console.log(`demo: model ${demoBuildMs.toFixed(0)} ms, state ${demoState.ms.toFixed(2)} ms, polygons ${demoPolygons.ms.toFixed(0)} ms, front lines ${demoFront.ms.toFixed(1)} ms, weekly series Jan–Jul ${demoSeries.ms.toFixed(1)} ms`);

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
const synth = new ControlModel({ land: landCoords, places, observations, blocs, relations, radiusKm: 1000 });
const synthBuildMs = performance.now() - tModel;
const synthState = best(5, () => synth.stateAt('2017-06-01'));
const synthPolygons = best(3, () => areaFeatures(synth, synth.stateAt('2017-06-01')));
const synthSeries = best(3, () => synth.series('2017-01-01', '2017-12-31', 7));
console.log(`synthetic: model ${synthBuildMs.toFixed(0)} ms (${synth.grid.cells.length} cells), state ${synthState.ms.toFixed(2)} ms, polygons ${synthPolygons.ms.toFixed(0)} ms, weekly series over 2017 ${synthSeries.ms.toFixed(0)} ms`);

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
  node: process.version,
  demo: { places: demo.places.length, cells: demo.grid.cells.length, modelMs: Math.round(demoBuildMs), stateMs: r2(demoState.ms), polygonsMs: Math.round(demoPolygons.ms), frontLinesMs: r2(demoFront.ms), weeklySeriesJanJulMs: r2(demoSeries.ms) },
  synthetic: { places: PLACES, intervals: INTERVALS, cells: synth.grid.cells.length, modelMs: Math.round(synthBuildMs), stateMs: r2(synthState.ms), polygonsMs: Math.round(synthPolygons.ms), weeklySeriesYearMs: Math.round(synthSeries.ms) },
  attribution: { events: EVENTS, frontlineMs: Math.round(attribution.ms), postgis, speedup: postgis ? r2((postgis.seconds * 1000) / attribution.ms) : null },
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
