/**
 * Issue 15 item 2's probe: API writers while a CLI import writes to the same store.
 *
 *   npx tsx bench/lock-probe.ts [--writers 20] [--imports 1] [--postgis] [--no-build]
 *
 * A real `frontline serve` process on a new SQLite file holding the demo (or, with --postgis, a new PostgreSQL database
 * on a throwaway cluster), `writers` loops creating events through the API, and meanwhile `imports`
 * runs of `frontline import ucdp` (the UCDP Syria file of ../shared, 9,692 rows) as their own
 * processes on the same store, one after another. Prints the writers' answers by status, their latency,
 * whether every acknowledged write is stored, and whether each import committed in full. The figures
 * in docs/server.md ("Limits") come from this script.
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runWriters, sleep, startServer, verifyWrites, type WriteLog } from './reliability-lib.js';
import { loadDemo } from '../src/demo/load-demo.js';
import { copyStore } from '../src/store/backup.js';
import { openStore } from '../src/store/open-store.js';
import { openPgStore } from '../src/store/postgis/pg-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { pgMissing, startPg } from '../tools/pg-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const UCDP_FILE = join(ROOT, '..', 'shared', 'data', 'ucdp', 'ged_syria_2016-01-01_2017-07-31.csv');

export interface ProbeResult {
  statuses: Record<string, number>;
  acked: number;
  missing: number;
  p50: number;
  p99: number;
  max: number;
  imports: { code: number; seconds: number; err: string }[];
  /** Events of the UCDP file in the store at the end (9,692 when the import committed). */
  imported: number;
  /** The distinct error lines of the server's log. */
  serverErrors: string[];
}

/** Run `frontline import ucdp FILE --db DB` as its own process: exit code, seconds and standard error. */
export function runCliImport(db: string, file: string): Promise<{ code: number; seconds: number; err: string }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(ROOT, 'bin', 'frontline.js'), 'import', 'ucdp', file, '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code: code ?? -1, seconds: (performance.now() - t) / 1000, err }));
  });
}

const percentile = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** Writers through a running server on `db` while `imports` CLI imports run one after another. */
export async function probe(db: string, port: number, o: { writers: number; imports: number; prefix: string; file?: string }): Promise<ProbeResult> {
  const before = await openStore(db);
  // What the store held, and of it the events earlier writer runs made (they all say "Load test").
  const [held, heldWritten] = await Promise.all([before.countEvents({ includeRetracted: true }), before.countEvents({ includeRetracted: true, text: 'Load test' })]).finally(() => before.close());
  const server = await startServer(db, port);
  try {
    let stop = false;
    const log: WriteLog = { acked: new Map(), statuses: {}, latencies: [] };
    const writing = runWriters(server.base, o.writers, o.prefix, () => stop, log);
    await sleep(300); // the writers are going before the import starts
    const imports = [];
    for (let i = 0; i < o.imports; i++) imports.push(await runCliImport(db, o.file ?? UCDP_FILE));
    await sleep(300);
    stop = true;
    await writing;
    const v = await verifyWrites(db, o.prefix, log.acked);
    const store = await openStore(db);
    let imported: number;
    try {
      // The writers' events all say "Load test"; everything else new came from the import.
      imported = (await store.countEvents({ includeRetracted: true })) - held - ((await store.countEvents({ includeRetracted: true, text: 'Load test' })) - heldWritten);
    } finally {
      await store.close();
    }
    return {
      statuses: log.statuses, acked: v.acked, missing: v.missing.length,
      p50: percentile(log.latencies, 50), p99: percentile(log.latencies, 99), max: percentile(log.latencies, 100),
      imports, imported,
      serverErrors: [...new Set(server.log().split('\n').filter((l) => /error/i.test(l)))].slice(0, 5),
    };
  } finally {
    await server.kill();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values: a } = parseArgs({ options: { writers: { type: 'string', default: '20' }, imports: { type: 'string', default: '1' }, postgis: { type: 'boolean' }, 'no-build': { type: 'boolean' } } });
  if (!existsSync(UCDP_FILE)) throw new Error(`${UCDP_FILE} is missing: the probe needs ../shared/data`);
  if (!a['no-build']) execSync('npx tsc -p tsconfig.json', { cwd: ROOT, stdio: 'inherit' });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const o = { writers: Number(a.writers), imports: Number(a.imports), prefix: `probe${Date.now()}` };
  let r: ProbeResult;
  if (a.postgis) {
    const missing = pgMissing(['postgis']);
    if (missing) throw new Error(`--postgis needs ${missing}`);
    const pg = startPg({ tcp: true, settings: { fsync: 'on', synchronous_commit: 'on' } });
    try {
      pg.psql('CREATE DATABASE probe');
      pg.psql('CREATE EXTENSION postgis', 'probe');
      const url = pg.url('probe');
      const demo = openSqliteStore(':memory:');
      await loadDemo(demo, 'demo');
      const store = await openPgStore(url);
      await copyStore(demo, store);
      await Promise.all([store.close(), demo.close()]);
      r = await probe(url, port, o);
    } finally {
      pg.stop();
    }
  } else {
    const db = join(mkdtempSync(join(tmpdir(), 'fl-probe-')), 'probe.db');
    const demo = openSqliteStore(db);
    await loadDemo(demo, 'demo', { roadsCache: `${db}.roads` });
    await demo.close();
    r = await probe(db, port, o);
  }
  console.log(JSON.stringify(r, null, 2));
}
