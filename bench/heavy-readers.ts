/**
 * Issue 15, item 5: does one heavy reader starve everyone? A server process on a store of the demo plus
 * many synthetic events (200,000 by default), measured from outside:
 *
 * 1. idle: GET /api/meta one after another (the light route the app asks first);
 * 2. heavy: ten parallel GET /api/events?limit=100000 while /api/meta is asked one after another —
 *    how long it waits, and the server's resident memory before and at its peak;
 * 3. mixed: 50 connections (autocannon) on GET /api/events?limit=500 beside 10 writers, 15 s.
 *
 *   npx tsx bench/heavy-readers.ts                       # this checkout
 *   npx tsx bench/heavy-readers.ts --root /tmp/before    # another checkout's server (e.g. git archive of main)
 *   npx tsx bench/heavy-readers.ts --events 100000 --seconds 10 --store pg
 *
 * The store is kept in bench/out/ (built once per size). Writes bench/out/heavy-readers-<store>.json.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fillEvents, memoryOf, percentile, probe } from './heavy-lib.js';
import { runWriters, sleep } from './reliability-lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out');
const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : dflt;
};

async function main(): Promise<void> {
  const events = Number(arg('events', '200000'));
  const seconds = Number(arg('seconds', '15'));
  const kind = arg('store', 'sqlite');
  const root = resolve(arg('root', ROOT));
  mkdirSync(OUT, { recursive: true });
  let db: string;
  let stopPg = async (): Promise<void> => undefined;
  if (kind === 'pg') {
    const { startPg } = await import('../tools/pg-server.js');
    const { openPgStore } = await import('../src/store/postgis/pg-store.js');
    const { copyStore } = await import('../src/store/backup.js');
    const pgs = startPg({ tcp: true });
    const pgUrl = pgs.url('postgres');
    const pgm = (await import('pg')).default;
    const admin = new pgm.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE heavy');
    await admin.end();
    db = pgUrl.replace(/\/postgres(\?|$)/, '/heavy$1');
    const c = new pgm.Client({ connectionString: db });
    await c.connect();
    await c.query('CREATE EXTENSION postgis');
    await c.end();
    const lite = await sqliteStoreOf(events);
    const { openSqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
    const pg = await openPgStore(db);
    await copyStore(openSqliteStore(lite, { readonly: true }), pg);
    await pg.close();
    stopPg = async () => pgs.stop();
  } else {
    db = await sqliteStoreOf(events);
  }
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', '--root', root, '--db', db, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  await new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && ok());
    child.once('exit', (code) => fail(new Error(`the server stopped (exit ${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  try {
    const result: Record<string, unknown> = { store: kind, events, root, at: new Date().toISOString() };
    // 1. Idle.
    for (let i = 0; i < 20; i++) await (await fetch(`${base}/api/meta`)).arrayBuffer();
    const idle = probe(base, '/api/meta', 5);
    await sleep(3000);
    await idle.stop();
    result.idle = { meta: summary(idle.latencies), memory: await memoryOf(pid) };
    console.log('idle', JSON.stringify(result.idle));

    // 2. Ten parallel heavy readers.
    const before = await memoryOf(pid);
    let peak = before.rssMb;
    const sampler = setInterval(() => void memoryOf(pid).then((m) => (peak = Math.max(peak, m.rssMb))).catch(() => undefined), 25);
    const meta = probe(base, '/api/meta', 10);
    const t0 = performance.now();
    const heavy = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const t = performance.now();
        try {
          const r = await fetch(`${base}/api/events?limit=100000`);
          // Counted as it comes, not parsed here: parsing 85 MB would stall this process's own probe
          // (test/server/heavy.test.ts checks what the answers hold).
          let bytes = 0;
          const reader = r.body?.getReader();
          for (let c = await reader?.read(); c && !c.done; c = await reader!.read()) bytes += c.value.length;
          return { status: r.status, ms: performance.now() - t, bytes, retryAfter: r.headers.get('retry-after') };
        } catch (err) {
          return { status: 'network', ms: performance.now() - t, bytes: 0, retryAfter: null, error: String(err) };
        }
      }),
    );
    const heavyMs = performance.now() - t0;
    await sleep(300);
    await meta.stop();
    clearInterval(sampler);
    result.heavy = {
      wallMs: Math.round(heavyMs),
      requests: heavy.map((h) => ({ ...h, ms: Math.round(h.ms) })),
      meta: summary(meta.latencies),
      metaStatuses: meta.statuses,
      metaErrors: meta.errors.slice(0, 3),
      memory: { beforeMb: round(before.rssMb), peakMb: round(peak), deltaMb: round(peak - before.rssMb) },
    };
    console.log('heavy', JSON.stringify(result.heavy));

    // 3. Mixed: 50 readers on a page of 500 beside 10 writers.
    let stop = false;
    const writing = runWriters(base, 10, `heavy-${Date.now()}`, () => stop);
    const meta2 = probe(base, '/api/meta', 20);
    const reads = await autocannon({ url: base, connections: 50, duration: seconds, requests: [{ method: 'GET', path: '/api/events?limit=500' }] });
    stop = true;
    const w = await writing;
    await meta2.stop();
    result.mixed = {
      seconds,
      readers: { requests: reads.requests.total, perSecond: reads.requests.average, p50: reads.latency.p50, p99: reads.latency.p99, max: reads.latency.max, errors: reads.errors, timeouts: reads.timeouts, non2xx: reads.non2xx, statuses: statusCounts(reads) },
      writers: { writes: w.acked.size, p50: round(percentile(w.latencies, 50)), p99: round(percentile(w.latencies, 99)), statuses: w.statuses },
      meta: summary(meta2.latencies),
    };
    console.log('mixed', JSON.stringify(result.mixed));
    writeFileSync(join(OUT, `heavy-readers-${kind}.json`), JSON.stringify(result, null, 2));
  } finally {
    child.kill('SIGKILL');
    await stopPg();
  }
}

const round = (x: number): number => Math.round(x * 10) / 10;
function summary(xs: number[]): { n: number; p50: number; p99: number; max: number } {
  return { n: xs.length, p50: round(percentile(xs, 50)), p99: round(percentile(xs, 99)), max: round(Math.max(...xs)) };
}
function statusCounts(r: autocannon.Result): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r as unknown as Record<string, unknown>)) if (/^\dxx$/.test(k) && typeof v === 'number' && v) out[k] = v;
  return out;
}

/** The demo plus `events` synthetic events in bench/out (built once). */
async function sqliteStoreOf(events: number): Promise<string> {
  const db = join(OUT, `heavy-${events}.db`);
  if (existsSync(db)) return db;
  const { openSqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
  const { loadDemo } = await import('../src/demo/load-demo.js');
  const tmp = `${db}.tmp`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const t = performance.now();
  const store = openSqliteStore(tmp);
  await loadDemo(store, 'bench', { roadsCache: `${tmp}.roads` });
  await fillEvents(store, events);
  await store.close();
  const { renameSync } = await import('node:fs');
  renameSync(tmp, db);
  console.log(`built ${db} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return db;
}

if (argv.includes('--serve')) {
  // The child: a server from `--root`'s sources on the store, until killed.
  const root = resolve(arg('root', ROOT));
  const { openStore } = (await import(pathToFileURL(join(root, 'src/store/open-store.ts')).href)) as typeof import('../src/store/open-store.js');
  const { createApp } = (await import(pathToFileURL(join(root, 'src/server/app.ts')).href)) as typeof import('../src/server/app.js');
  const store = await openStore(arg('db', ''));
  const server = createApp({ store, limits: { writesPerMinute: 1e9 }, ...(JSON.parse(arg('options', '{}')) as object) });
  await new Promise<void>((r) => server.listen(Number(arg('port', '0')), '127.0.0.1', () => r()));
  await server.warm();
  process.stdout.write(`ready ${(server.address() as { port: number }).port}\n`);
} else {
  await main();
}
