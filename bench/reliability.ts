/**
 * The reliability runs of issue 6 (docs/reliability.md): for SQLite and for PostgreSQL + PostGIS, a load
 * run (50 readers through autocannon on the main read endpoints and 10 writers, 60 s), a kill -9 of the
 * server during writes, for PostgreSQL an outage of the database under the running server, and (issue 15)
 * 20 API writers while `frontline import ucdp` runs beside the server on the same store (bench/lock-probe.ts;
 * needs ../shared/data). Each run ends by checking every acknowledged write against the store.
 *
 *   npm run reliability [-- --seconds 60 --connections 50 --writers 10 --no-postgis]
 *
 * Writes bench/out/reliability-results.json and prints the tables for docs/reliability.md. The demo is
 * the data (copied into PostgreSQL with `db copy`'s code); the server runs as its own process.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { probe, UCDP_FILE, type ProbeResult } from './lock-probe.js';
import { killRun, loadRun, outageRun, startServer, type KillResult, type LoadResult, type OutageResult } from './reliability-lib.js';
import { copyStore } from '../src/store/backup.js';
import { openPgStore } from '../src/store/postgis/pg-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { loadDemo } from '../src/demo/load-demo.js';
import { pgMissing, startPg } from '../tools/pg-server.js';

const { values: a } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, connections: { type: 'string', default: '50' }, writers: { type: 'string', default: '10' }, 'no-postgis': { type: 'boolean' }, help: { type: 'boolean' } } });
if (a.help) {
  console.log('usage: npm run reliability [-- --seconds 60 --connections 50 --writers 10 --no-postgis]\n  Load, kill -9 and database-outage runs on a real server; writes bench/out/reliability-results.json.');
  process.exit(0);
}
// The server runs from the build (bin/frontline.js → dist): build it so the run measures this checkout.
execSync('npm run build', { stdio: ['ignore', 'ignore', 'inherit'] });
const seconds = Number(a.seconds);
const connections = Number(a.connections);
const writers = Number(a.writers);
const OUT = new URL('./out/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const dir = `${OUT}reliability-${process.pid}`;
mkdirSync(dir, { recursive: true });
const port = (): number => 20_000 + Math.floor(Math.random() * 20_000);

const sqliteDb = `${dir}/demo.db`;
const demo = openSqliteStore(sqliteDb);
await loadDemo(demo, 'demo', { roadsCache: `${sqliteDb}.roads` });

const results: { machine: string; seconds: number; connections: number; writers: number; stores: Record<string, { load: LoadResult; kill: KillResult; outage?: OutageResult; importBeside?: ProbeResult }> } = {
  machine: `${availableParallelism()} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}`,
  seconds, connections, writers, stores: {},
};

async function runAll(name: string, db: string, pg?: { halt(): void; resume(): void }): Promise<void> {
  console.error(`${name}: load, ${seconds} s, ${connections} readers + ${writers} writers …`);
  const server = await startServer(db, port());
  const load = await loadRun(server, db, { seconds, connections, writers, prefix: `load-${name}` });
  await server.kill();
  console.error(`${name}: kill -9 during writes …`);
  const kill = await killRun(db, port(), { writers, killAfterMs: 3000, prefix: `kill-${name}` });
  let outage: OutageResult | undefined;
  if (pg) {
    console.error(`${name}: PostgreSQL stopped for 5 s under the server …`);
    const s = await startServer(db, port());
    outage = await outageRun(s, db, pg, { writers, downMs: 5000, prefix: `outage-${name}` });
    await s.kill();
  }
  let importBeside: ProbeResult | undefined;
  if (existsSync(UCDP_FILE)) {
    console.error(`${name}: frontline import ucdp (9,692 rows) beside 20 API writers …`);
    importBeside = await probe(db, port(), { writers: 20, imports: 1, prefix: `import-${name}` });
  } else console.error(`${name}: no ${UCDP_FILE}: the import-beside-writers run is skipped`);
  results.stores[name] = { load, kill, ...(outage ? { outage } : {}), ...(importBeside ? { importBeside } : {}) };
}

await runAll('sqlite', sqliteDb);
const missing = a['no-postgis'] ? 'skipped (--no-postgis)' : pgMissing(['postgis']);
if (!missing) {
  const pg = startPg({ tcp: true, settings: { fsync: 'on', synchronous_commit: 'on' } });
  try {
    pg.psql('CREATE DATABASE reliability');
    const url = pg.url('reliability');
    const store = await openPgStore(url);
    await copyStore(demo, store);
    await store.close();
    await runAll('postgis', url, pg);
  } finally {
    pg.stop();
  }
} else console.error(`PostGIS runs skipped: ${missing}`);
await demo.close();

writeFileSync(`${OUT}reliability-results.json`, `${JSON.stringify(results, null, 2)}\n`);
const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : '–');
console.log(`\n| store | reads/s | read p50 ms | read p99 ms | read errors / non-2xx | writes/s | write p50 ms | write p99 ms | acknowledged | stored (checksum equal) |`);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [name, r] of Object.entries(results.stores)) {
  const l = r.load;
  console.log(`| ${name} | ${f(l.readers.perSecond, 0)} | ${f(l.readers.p50)} | ${f(l.readers.p99)} | ${l.readers.errors} / ${l.readers.non2xx} | ${f(l.writers.perSecond, 0)} | ${f(l.writers.p50)} | ${f(l.writers.p99)} | ${l.verification.acked} | ${l.verification.present} (${l.verification.storedChecksum === l.verification.ackedChecksum ? 'yes' : 'NO'}) |`);
}
console.log(`\n| store | kill -9 after | writes acknowledged | cut by the kill | stored | half-written | integrity | restarted |`);
console.log('|---|---:|---:|---:|---:|---:|---|---|');
for (const [name, r] of Object.entries(results.stores)) {
  const k = r.kill;
  console.log(`| ${name} | 3 s | ${k.acked} | ${k.statuses.network ?? 0} | ${k.verification.present} (+${k.verification.unacknowledged} in flight) | ${k.verification.broken} | ${k.verification.integrity} | ${k.restarted ? 'yes' : 'NO'} |`);
}
for (const [name, r] of Object.entries(results.stores)) {
  if (!r.outage) continue;
  const o = r.outage;
  console.log(`\n${name} outage (5 s): answers meanwhile ${JSON.stringify(o.during)}; first acknowledged write ${f(o.recoverySeconds, 2)} s after the database returned; server alive: ${o.serverAlive}; acknowledged ${o.verification.acked}, stored ${o.verification.present}, checksum ${o.verification.storedChecksum === o.verification.ackedChecksum ? 'equal' : 'DIFFERENT'}.`);
}
const probes = Object.entries(results.stores).filter(([, r]) => r.importBeside);
if (probes.length) {
  console.log(`\n| store | import rows stored | import s | writes answered | 200 | 503 | 500 | acknowledged stored | write p50 ms | p99 ms | max ms |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const [name, r] of probes) {
    const p = r.importBeside!;
    const n = Object.values(p.statuses).reduce((a, b) => a + b, 0);
    console.log(`| ${name} | ${p.imported} | ${f(p.imports[0]?.seconds ?? NaN)} | ${n} | ${p.statuses['200'] ?? 0} | ${p.statuses['503'] ?? 0} | ${p.statuses['500'] ?? 0} | ${p.acked - p.missing} of ${p.acked} | ${f(p.p50)} | ${f(p.p99)} | ${f(p.max)} |`);
  }
}
