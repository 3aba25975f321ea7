/**
 * Issue 2's benchmark: Frontline's SQLite store against the sqlite3 shell (the ceiling for a SQLite store)
 * and DuckDB, side by side on the same generated ACLED files.
 *
 *   npm run bench                         # 1,000,000 and 2,000,000 rows
 *   npm run bench -- --rows 200000        # a quick run
 *
 * Needs /usr/bin/sqlite3 and /usr/bin/time (Debian packages sqlite3 and time). Writes bench/out/.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addDays, fromDayNumber, dayNumber } from '../src/core/dates.js';
import { ActorSchema } from '../src/core/schemas.js';
import { exportTo } from '../src/io/index.js';
import { ACLED_COLUMNS } from '../src/io/acled.js';
import { EVENT_RTREE_VALUES, MIGRATIONS } from '../src/store/sqlite/migrations.js';
import { EVENT_COLUMNS } from '../src/store/event-row.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { BENCH_ACTORS, demoPlaces, generateAcled, mulberry32 } from './generate.js';
import { markdownReport } from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}bench/out/`;
const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};
if (argv.includes('--help')) {
  console.log('usage: npm run bench [-- --rows 1000000,2000000] [--queries 200]\n  Generates ACLED-shaped files in bench/out/, then measures import, queries, counts and export\n  against the sqlite3 shell and DuckDB. Needs /usr/bin/sqlite3 and /usr/bin/time.');
  process.exit(0);
}
const SIZES = arg('rows', '1000000,2000000').split(',').map(Number);
if (SIZES.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error('--rows takes whole numbers of at least 1000, separated by commas');
const QUERIES = Number(arg('queries', '200'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

/** Run a command under /usr/bin/time: wall seconds and peak resident memory of the whole process. */
function timed(cmd: string, args: string[], input?: string): { seconds: number; peakMb: number; stdout: string } {
  const marker = `${OUT}time.txt`;
  const stdout = execFileSync('/usr/bin/time', ['-o', marker, '-f', '%e %M', cmd, ...args], { input, maxBuffer: 1 << 28, encoding: 'utf8' });
  const [s, kb] = readFileSync(marker, 'utf8').trim().split(/\s+/).slice(-2).map(Number) as [number, number];
  return { seconds: s, peakMb: kb / 1024, stdout };
}

function eventsDdl(): { table: string; indexes: string[] } {
  const sql = MIGRATIONS[0]!.sql;
  const table = /CREATE TABLE events \([\s\S]*?\n\);/.exec(sql)![0];
  const indexes = [...sql.matchAll(/CREATE INDEX events_[^;]*;/g)].map((m) => m[0]);
  return { table, indexes };
}

async function benchSize(rows: number): Promise<Record<string, unknown>> {
  const csv = `${OUT}acled-${rows}.csv`;
  if (!existsSync(csv)) {
    const t = performance.now();
    await generateAcled(csv, rows);
    console.log(`generated ${csv} (${(statSync(csv).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const mb = statSync(csv).size / 1e6;

  // 1. Frontline: the CLI import, in its own process so that its peak memory is its own.
  const db = `${OUT}frontline-${rows}.db`;
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const prep = openSqliteStore(db);
  await prep.putActors(ActorSchema.array().parse(JSON.parse(readFileSync(`${ROOT}data/demo/actors.json`, 'utf8'))), { by: 'bench' });
  await prep.close();
  const fl = timed(process.execPath, [`${ROOT}bin/frontline.js`, '--db', db, 'import', 'acled', csv, '--no-progress', '--json']);
  const flSummary = JSON.parse(fl.stdout) as { created: number; rejected: number };
  if (flSummary.created !== rows) throw new Error(`Frontline imported ${flSummary.created} of ${rows} rows`);

  // 2. The ceiling: sqlite3's .import into a staging table, then the same events table, indexes and R*Tree.
  const ceilingDb = `${OUT}sqlite3-${rows}.db`;
  rmSync(ceilingDb, { force: true });
  const { table, indexes } = eventsDdl();
  const script = [
    'PRAGMA journal_mode = WAL;',
    'PRAGMA synchronous = NORMAL;',
    `CREATE TABLE staging (${ACLED_COLUMNS.map((c) => `${c} TEXT`).join(', ')});`,
    `.import --csv --skip 1 ${csv} staging`,
    'BEGIN;',
    table,
    `INSERT INTO events (${EVENT_COLUMNS.join(', ')}, version, changed_at, changed_by)
     SELECT event_id_cnty, CAST(julianday(event_date) - 2440587.5 AS INTEGER), event_date,
            CASE time_precision WHEN '1' THEN 'day' WHEN '2' THEN 'week' ELSE 'month' END, NULL,
            event_type, sub_event_type, disorder_type, actor1, actor1, assoc_actor_1, actor2, actor2, assoc_actor_2,
            country, admin1, admin2, admin3, location, NULL, CAST(longitude AS REAL), CAST(latitude AS REAL), CAST(geo_precision AS INTEGER),
            CAST(fatalities AS INTEGER), NULL, NULL, notes, tags, 'reviewed', 'acled', event_id_cnty,
            json_array(json_object('name', source, 'scale', source_scale)),
            json_object('inter1', inter1, 'inter2', inter2, 'interaction', interaction, 'iso', iso, 'region', region, 'timestamp', timestamp),
            json_object('kind', 'file', 'file', 'acled.csv', 'line', rowid + 1, 'format', 'acled'),
            1, 'now', 'bench'
     FROM staging;`,
    ...indexes,
    'CREATE VIRTUAL TABLE events_rtree USING rtree(rowid, min_lon, max_lon, min_lat, max_lat, min_day, max_day, +lon REAL, +lat REAL, +type TEXT, +actor1_id TEXT, +actor2_id TEXT, +status TEXT);',
    `INSERT INTO events_rtree SELECT ${EVENT_RTREE_VALUES('events')} FROM events;`,
    'DROP TABLE staging;',
    'COMMIT;',
    'SELECT COUNT(*) FROM events;',
  ].join('\n');
  const sq = timed('/usr/bin/sqlite3', [ceilingDb], script);
  if (Number(sq.stdout.trim().split('\n').pop()) !== rows) throw new Error(`sqlite3 loaded ${sq.stdout.trim()} rows`);

  // 3. DuckDB's read_csv into a plain table, in a child process for its peak memory.
  const duckFile = `${OUT}duckdb-${rows}.duckdb`;
  rmSync(duckFile, { force: true });
  const dk = timed(process.execPath, ['--import', 'tsx', `${ROOT}bench/duckdb-load.ts`, duckFile, csv]);

  // 4. Queries: bbox 0.5° + 91 days + actor + type, on both stores, checked to return the same events.
  const store = openSqliteStore(db, { readonly: true });
  const duck = await (await DuckDBInstance.create(duckFile, { access_mode: 'READ_ONLY' })).connect();
  const rand = mulberry32(91);
  // Query round the ten busiest places, where analysts look and where a query returns hundreds of events.
  const places = demoPlaces().sort((a, b) => b.weight - a.weight).slice(0, 10);
  const actorIds: [string, string][] = [['saa', BENCH_ACTORS[0]!], ['isis', BENCH_ACTORS[1]!], ['sdf', BENCH_ACTORS[2]!]];
  const types = ['Battles', 'Explosions/Remote violence'];
  const first = dayNumber('2011-03-15');
  const span = dayNumber('2023-10-01') - first;
  const fq: number[] = [];
  const fqWarm: number[] = [];
  const dq: number[] = [];
  const sizes: number[] = [];
  const querySet: Parameters<typeof store.queryEvents>[0][] = [];
  let mismatches = 0;
  const duckSql = `SELECT * FROM events WHERE longitude BETWEEN $1 AND $2 AND latitude BETWEEN $3 AND $4 AND event_date BETWEEN $5::DATE AND $6::DATE
                   AND (actor1 = $7 OR actor2 = $7) AND event_type = $8`;
  const prepared = await duck.prepare(duckSql);
  for (let i = 0; i < QUERIES + 10; i++) {
    const p = places[Math.floor(rand() * places.length)]!;
    const since = fromDayNumber(first + Math.floor(rand() * span));
    const until = addDays(since, 90);
    const [actorId, actorName] = actorIds[Math.floor(rand() * actorIds.length)]!;
    const type = types[Math.floor(rand() * types.length)]!;
    const bbox: [number, number, number, number] = [p.lon - 0.25, p.lat - 0.25, p.lon + 0.25, p.lat + 0.25];
    let t = performance.now();
    const page = await store.queryEvents({ bbox, since, until, actor: actorId, type, limit: 100_000 });
    const tf = performance.now() - t;
    t = performance.now();
    prepared.bindDouble(1, bbox[0]);
    prepared.bindDouble(2, bbox[2]);
    prepared.bindDouble(3, bbox[1]);
    prepared.bindDouble(4, bbox[3]);
    prepared.bindVarchar(5, since);
    prepared.bindVarchar(6, until);
    prepared.bindVarchar(7, actorName);
    prepared.bindVarchar(8, type);
    const res = await prepared.runAndReadAll();
    const rowsD = res.getRows();
    const td = performance.now() - t;
    if (i < 10) continue; // warm-up
    querySet.push({ bbox, since, until, actor: actorId, type, limit: 100_000 });
    fq.push(tf);
    dq.push(td);
    sizes.push(page.events.length);
    if (rowsD.length !== page.events.length) mismatches++;
  }

  // 5. The same queries once the in-memory column index is built, as a server keeps it.
  const tIndex = performance.now();
  store.eventColumns();
  const columnsSeconds = (performance.now() - tIndex) / 1000;
  for (const [i, q] of querySet.entries()) {
    const t = performance.now();
    const page = await store.queryEvents(q);
    fqWarm.push(performance.now() - t);
    if (page.events.length !== sizes[i]) mismatches++;
  }

  // 6. Weekly counts for a box over all time; counts on a 0.1° grid over a year.
  const box: [number, number, number, number] = [places[0]!.lon - 0.5, places[0]!.lat - 0.5, places[0]!.lon + 0.5, places[0]!.lat + 0.5];
  const rep = async (f: () => Promise<unknown>, n = 15): Promise<number> => {
    const ts: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await f();
      ts.push(performance.now() - t);
    }
    return median(ts.slice(2));
  };
  const weeklyF = await rep(() => store.countEventsByPeriod('week', { bbox: box }));
  const weeklyD = await rep(() => duck.runAndReadAll(`SELECT date_trunc('week', event_date) AS w, COUNT(*) FROM events WHERE longitude BETWEEN ${box[0]} AND ${box[2]} AND latitude BETWEEN ${box[1]} AND ${box[3]} GROUP BY w ORDER BY w`));
  const wF = await store.countEventsByPeriod('week', { bbox: box });
  const wD = (await duck.runAndReadAll(`SELECT COUNT(*) AS n FROM events WHERE longitude BETWEEN ${box[0]} AND ${box[2]} AND latitude BETWEEN ${box[1]} AND ${box[3]}`)).getRowObjects()[0]!.n;
  const gridF = await rep(() => store.countEventsByCell(0.1, { since: '2016-01-01', until: '2016-12-31' }));
  const gridD = await rep(() => duck.runAndReadAll(`SELECT floor(longitude * 10) AS c, floor(latitude * 10) AS r, COUNT(*) FROM events WHERE event_date BETWEEN DATE '2016-01-01' AND DATE '2016-12-31' GROUP BY c, r`));
  const gF = await store.countEventsByCell(0.1, { since: '2016-01-01', until: '2016-12-31' });
  const gD = (await duck.runAndReadAll(`SELECT COUNT(*) AS n FROM (SELECT floor(longitude * 10) AS c, floor(latitude * 10) AS r FROM events WHERE event_date BETWEEN DATE '2016-01-01' AND DATE '2016-12-31' GROUP BY c, r)`)).getRowObjects()[0]!.n;

  // 7. Export of every row to ACLED CSV (written to a file, as a user would).
  const outCsv = `${OUT}export-${rows}.csv`;
  const { createWriteStream } = await import('node:fs');
  const exportOnce = async (order: 'date' | 'storage'): Promise<{ rows: number; seconds: number }> => {
    const ws = createWriteStream(outCsv);
    const t0 = performance.now();
    const n = await exportTo(store, 'acled', { order, write: (c) => (ws.write(c) ? undefined : new Promise<void>((r) => ws.once('drain', () => r()))) });
    await new Promise<void>((r) => ws.end(() => r()));
    return { rows: n, seconds: (performance.now() - t0) / 1000 };
  };
  const { rows: exported, seconds: exportSeconds } = await exportOnce('date');
  const storedExport = await exportOnce('storage');
  const t = performance.now();
  await duck.run(`COPY events TO '${OUT}duck-export-${rows}.csv' (HEADER)`);
  const duckExportSeconds = (performance.now() - t) / 1000;
  await store.close();
  duck.closeSync();

  return {
    rows,
    csvMb: Math.round(mb),
    import: {
      frontline: { seconds: fl.seconds, rowsPerSecond: Math.round(rows / fl.seconds), peakMb: Math.round(fl.peakMb) },
      sqlite3: { seconds: sq.seconds, rowsPerSecond: Math.round(rows / sq.seconds), peakMb: Math.round(sq.peakMb) },
      duckdb: { seconds: dk.seconds, rowsPerSecond: Math.round(rows / dk.seconds), peakMb: Math.round(dk.peakMb) },
      frontlineShareOfCeiling: +(sq.seconds / fl.seconds).toFixed(2),
    },
    query: {
      queries: fq.length,
      medianResultRows: median(sizes),
      frontlineMedianMs: +median(fq).toFixed(3),
      frontlineP95Ms: +p95(fq).toFixed(3),
      frontlineWarmMedianMs: +median(fqWarm).toFixed(3),
      frontlineWarmP95Ms: +p95(fqWarm).toFixed(3),
      duckdbMedianMs: +median(dq).toFixed(3),
      duckdbP95Ms: +p95(dq).toFixed(3),
      resultMismatches: mismatches,
    },
    columnIndexBuildSeconds: +columnsSeconds.toFixed(2),
    weeklyCountsBox: { frontlineMs: +weeklyF.toFixed(2), duckdbMs: +weeklyD.toFixed(2), sameTotal: wF.reduce((a, w) => a + w.count, 0) === Number(wD) },
    grid01Year: { frontlineMs: +gridF.toFixed(2), duckdbMs: +gridD.toFixed(2), sameCells: gF.length === Number(gD) },
    export: { rows: exported, seconds: +exportSeconds.toFixed(2), rowsPerSecond: Math.round(exported / exportSeconds), storedOrderSeconds: +storedExport.seconds.toFixed(2), storedOrderRowsPerSecond: Math.round(storedExport.rows / storedExport.seconds), duckdbCopySeconds: +duckExportSeconds.toFixed(2) },
  };
}

mkdirSync(OUT, { recursive: true });
const results = [];
for (const n of SIZES) {
  console.log(`\n=== ${n.toLocaleString('en-US')} rows ===`);
  const r = await benchSize(n);
  console.log(JSON.stringify(r, null, 2));
  results.push(r);
}
writeFileSync(`${OUT}results.json`, JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
console.log(`\nwrote ${OUT}results.json\n\n${markdownReport(results as unknown as Parameters<typeof markdownReport>[0])}`);
