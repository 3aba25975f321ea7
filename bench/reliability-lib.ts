/**
 * The proofs of issue 6, shared by the reliability script (bench/reliability.ts: full-length runs, the
 * figures in docs/reliability.md) and the tests (test/server/faults.test.ts: short, bounded runs):
 *
 * - load: many readers (autocannon) and several writers at once on a real server process; every
 *   acknowledged write must then be in the store, byte for byte (count and checksum);
 * - kill -9 of the server during sustained writes: after a restart, every acknowledged write is there
 *   and no record is half written;
 * - PostgreSQL stopped and started again under a running server: it answers 503 meanwhile, never 500,
 *   never dies, and takes writes again when the database is back.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventSchema } from '../src/core/schemas.js';
import { openStore } from '../src/store/open-store.js';
import { rowToEvent } from '../src/store/event-row.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  base: string;
  proc: ChildProcess;
  /** What the server wrote to standard error (its log). */
  log: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Start `frontline serve` on the store as its own process, and wait until it answers. */
export async function startServer(db: string, port: number): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'frontline.js'), '--db', db, 'serve', '--port', String(port), '--writes-per-minute', '100000000'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? join(ROOT, 'node_modules', '.cache') },
  });
  let log = '';
  proc.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server stopped at start (exit ${proc.exitCode}): ${log}`);
    try {
      if ((await fetch(`${base}/api/meta`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`the server did not answer within 30 s: ${log}`);
    await sleep(100);
  }
  return {
    base,
    proc,
    log: () => log,
    kill: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill(signal);
      }),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A new event as the web app's form sends it. */
function newEvent(id: string, n: number): Record<string, unknown> {
  return {
    id, date: `2017-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`, datePrecision: 'day', type: 'Battles', subType: 'Armed clash',
    actor1: 'Writer test', actor1Id: null, assocActor1: '', actor2: '', actor2Id: null, assocActor2: '', country: 'Syria', admin1: '', admin2: '', admin3: '',
    location: 'Load test', place: null, lon: 38 + (n % 100) / 50, lat: 35 + (n % 70) / 50, geoPrecision: 1, fatalities: { best: n % 7, low: null, high: null },
    notes: `write ${id} <script>alert(1)</script> ' OR 1=1 --`, sources: [{ name: 'reliability' }], tags: '', attributes: {},
  };
}

export interface WriteLog {
  /** Acknowledged writes (200): id → the notes written. */
  acked: Map<string, string>;
  /** Answers by status, and "network" for a request that got no answer. */
  statuses: Record<string, number>;
  latencies: number[];
}

/**
 * `writers` loops, each creating events one after another until `stop()` says so. Only a 200 counts as
 * acknowledged; everything else is tallied by status.
 */
export async function runWriters(base: string, writers: number, prefix: string, stop: () => boolean, log: WriteLog = { acked: new Map(), statuses: {}, latencies: [] }): Promise<WriteLog> {
  const one = async (w: number): Promise<void> => {
    for (let n = 0; !stop(); n++) {
      const id = `${prefix}-w${w}-${n}`;
      const body = newEvent(id, n);
      const t = performance.now();
      let status: string;
      try {
        const r = await fetch(`${base}/api/events/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: body }) });
        await r.arrayBuffer();
        status = String(r.status);
        if (r.status === 200) {
          log.acked.set(id, body.notes as string);
          log.latencies.push(performance.now() - t);
        } else if (r.status === 503) {
          await sleep(50); // as a client would, told to retry later
        }
      } catch {
        status = 'network';
        await sleep(20); // the server is gone: do not spin
      }
      log.statuses[status] = (log.statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => one(w)));
  return log;
}

export interface Verification {
  acked: number;
  present: number;
  missing: string[];
  /** Events of this run in the store that were never acknowledged (in flight when the server died). */
  unacknowledged: number;
  /** SHA-256 of the acknowledged (id, notes) pairs, and of the same pairs as stored. */
  ackedChecksum: string;
  storedChecksum: string;
  /** Stored events of this run that do not parse as whole events. */
  broken: number;
  /** SQLite's integrity_check, or "n/a". */
  integrity: string;
}

/** Open the store directly (the server stopped or still running) and compare it with what was acknowledged. */
export async function verifyWrites(db: string, prefix: string, acked: Map<string, string>): Promise<Verification> {
  const store = await openStore(db);
  try {
    const stored = new Map<string, string>();
    let broken = 0;
    for await (const batch of store.scanEvents({ includeRetracted: true, text: 'Load test' })) {
      for (const row of batch) {
        const e = rowToEvent(row);
        if (!e.id.startsWith(`${prefix}-`)) continue;
        if (!EventSchema.safeParse(e).success) broken++;
        stored.set(e.id, e.notes);
      }
    }
    const missing = [...acked.keys()].filter((id) => stored.get(id) !== acked.get(id));
    const checksum = (pairs: [string, string][]): string => createHash('sha256').update(pairs.sort(([a], [b]) => (a < b ? -1 : 1)).map(([a, b]) => `${a}\t${b}\n`).join('')).digest('hex');
    let integrity = 'n/a';
    if (store.kind === 'sqlite') {
      const db = (store as unknown as { db: { pragma(s: string, o: { simple: true }): unknown } }).db;
      integrity = String(db.pragma('integrity_check', { simple: true }));
    }
    return {
      acked: acked.size,
      present: acked.size - missing.length,
      missing,
      unacknowledged: [...stored.keys()].filter((id) => !acked.has(id)).length,
      ackedChecksum: checksum([...acked]),
      storedChecksum: checksum([...stored].filter(([id]) => acked.has(id))),
      broken,
      integrity,
    };
  } finally {
    await store.close();
  }
}

/** The read endpoints people use most, as the web app asks them. */
export const READ_PATHS = [
  '/api/events?since=2017-06-01&until=2017-10-31&limit=500',
  '/api/events/weekly?since=2017-01-01&until=2017-12-31',
  '/api/control?date=2017-10-20',
  '/api/control.geojson?date=2017-06-18',
  '/api/place?id=raqqa&date=2017-10-20',
  '/api/places?name=Deir',
  '/api/meta',
];

export interface LoadResult {
  seconds: number;
  readers: { connections: number; requests: number; perSecond: number; p50: number; p99: number; errors: number; non2xx: number };
  writers: { count: number; writes: number; perSecond: number; p50: number; p99: number; statuses: Record<string, number> };
  verification: Verification;
}

const percentile = (xs: number[], p: number): number => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** Readers and writers at once for `seconds`, then the store checked against what was acknowledged. */
export async function loadRun(server: ServerProcess, db: string, o: { seconds: number; connections: number; writers: number; prefix: string }): Promise<LoadResult> {
  let stop = false;
  const writing = runWriters(server.base, o.writers, o.prefix, () => stop);
  const reads = await autocannon({ url: server.base, connections: o.connections, duration: o.seconds, requests: READ_PATHS.map((path) => ({ method: 'GET', path })) });
  stop = true;
  const w = await writing;
  const verification = await verifyWrites(db, o.prefix, w.acked);
  return {
    seconds: o.seconds,
    readers: { connections: o.connections, requests: reads.requests.total, perSecond: reads.requests.average, p50: reads.latency.p50, p99: reads.latency.p99, errors: reads.errors, non2xx: reads.non2xx },
    writers: { count: o.writers, writes: w.acked.size, perSecond: w.acked.size / o.seconds, p50: percentile(w.latencies, 50), p99: percentile(w.latencies, 99), statuses: w.statuses },
    verification,
  };
}

export interface KillResult {
  acked: number;
  statuses: Record<string, number>;
  verification: Verification;
  /** The restarted server answers reads and takes writes again. */
  restarted: boolean;
}

/** Writers at full speed, kill -9 of the server after `killAfterMs`, restart, check. */
export async function killRun(db: string, port: number, o: { writers: number; killAfterMs: number; prefix: string }): Promise<KillResult> {
  const server = await startServer(db, port);
  let stop = false;
  const writing = runWriters(server.base, o.writers, o.prefix, () => stop);
  await sleep(o.killAfterMs);
  await server.kill('SIGKILL');
  await sleep(200);
  stop = true;
  const w = await writing;
  const again = await startServer(db, port);
  const verification = await verifyWrites(db, o.prefix, w.acked);
  const after = await runWriters(again.base, 1, `${o.prefix}-after`, (() => {
    let n = 0;
    return () => n++ >= 3;
  })());
  await again.kill();
  return { acked: w.acked.size, statuses: w.statuses, verification, restarted: after.acked.size === 3 };
}

export interface OutageResult {
  /** Answers while PostgreSQL was down, by status ("network": no answer at all). */
  during: Record<string, number>;
  /** Seconds from PostgreSQL's return to the first acknowledged write. */
  recoverySeconds: number;
  serverAlive: boolean;
  verification: Verification;
}

/**
 * Writers and a reader on a server over PostgreSQL; the database is stopped as a crash would stop it,
 * kept down for `downMs`, and started again.
 */
export async function outageRun(server: ServerProcess, db: string, pg: { halt(): void; resume(): void }, o: { writers: number; downMs: number; prefix: string }): Promise<OutageResult> {
  let down = false;
  let stop = false;
  const during: Record<string, number> = {};
  const reader = (async () => {
    while (!stop) {
      let status: string;
      try {
        const r = await fetch(`${server.base}/api/events?since=2017-06-01&until=2017-06-30&limit=50`);
        await r.arrayBuffer();
        status = String(r.status);
      } catch {
        status = 'network';
      }
      if (down) during[`read ${status}`] = (during[`read ${status}`] ?? 0) + 1;
      await sleep(25);
    }
  })();
  const log: WriteLog = { acked: new Map(), statuses: {}, latencies: [] };
  const writing = runWriters(server.base, o.writers, o.prefix, () => stop, log);
  await sleep(800);
  const atHalt = { ...log.statuses };
  down = true;
  pg.halt();
  await sleep(o.downMs);
  down = false;
  for (const [k, v] of Object.entries(log.statuses)) if (v - (atHalt[k] ?? 0)) during[`write ${k}`] = v - (atHalt[k] ?? 0);
  pg.resume();
  const back = performance.now();
  const ackedAtReturn = log.acked.size;
  let recovered = NaN;
  while (performance.now() - back < 30_000) {
    if (log.acked.size > ackedAtReturn) {
      recovered = (performance.now() - back) / 1000;
      break;
    }
    await sleep(20);
  }
  await sleep(500);
  stop = true;
  await Promise.all([writing, reader]);
  const verification = await verifyWrites(db, o.prefix, log.acked);
  return { during, recoverySeconds: recovered, serverAlive: server.proc.exitCode === null && server.proc.signalCode === null, verification };
}
