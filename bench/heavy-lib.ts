/**
 * Issue 15 (item 5), shared by the heavy-readers benchmark (bench/heavy-readers.ts) and its tests
 * (test/server/heavy.test.ts): a store filled quickly with many synthetic events through the store's
 * import session, and a probe that times a light route while heavy requests run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConflictEvent } from '../src/core/schemas.js';
import type { Store } from '../src/store/store.js';
import { fromDayNumber, dayNumber } from '../src/core/dates.js';
import { demoPlaces, mulberry32 } from './generate.js';

const TYPES: [string, string][] = [
  ['Battles', 'Armed clash'],
  ['Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  ['Explosions/Remote violence', 'Air/drone strike'],
  ['Violence against civilians', 'Attack'],
  ['Protests', 'Peaceful protest'],
];
const ACTORS: [string, string][] = [
  ['Military Forces of Syria (2000-)', 'saa'],
  ['Islamic State', 'isis'],
  ['SDF: Syrian Democratic Forces', 'sdf'],
  ['Hayat Tahrir al-Sham', 'hts'],
];

/** `count` events round the demo's places over 2011–2023, seeded: the same seed gives the same events. */
export function* syntheticEvents(count: number, seed = 15, batch = 10_000): Generator<ConflictEvent[]> {
  const rand = mulberry32(seed);
  const places = demoPlaces();
  const first = dayNumber('2011-03-15');
  const span = dayNumber('2023-12-31') - first;
  let out: ConflictEvent[] = [];
  for (let i = 0; i < count; i++) {
    const p = places[Math.floor(rand() * places.length)]!;
    const [type, subType] = TYPES[Math.floor(rand() * TYPES.length)]!;
    const [a1, a1Id] = ACTORS[Math.floor(rand() * ACTORS.length)]!;
    const [a2, a2Id] = ACTORS[Math.floor(rand() * ACTORS.length)]!;
    const date = fromDayNumber(first + Math.floor(rand() * span));
    out.push({
      id: `SYN${String(i).padStart(7, '0')}`, date, datePrecision: 'day', type, subType, actor1: a1, actor1Id: a1Id, assocActor1: '', actor2: a2, actor2Id: a2Id,
      assocActor2: '', country: 'Syria', admin1: p.admin1, admin2: '', admin3: '', location: p.name, place: null,
      lon: Math.round((p.lon + (rand() - 0.5) * 0.1) * 1e4) / 1e4, lat: Math.round((p.lat + (rand() - 0.5) * 0.1) * 1e4) / 1e4, geoPrecision: 1,
      fatalities: { best: Math.floor(rand() * 6), low: null, high: null }, notes: `On ${date}, ${a1} and ${a2} near ${p.name}: synthetic event ${i} "quoted" \\ for the heavy-reader benchmark.`,
      sources: [{ name: 'synthetic' }], tags: '', status: 'reviewed', attributes: {},
      provenance: { kind: 'file', file: 'synthetic.csv', line: i + 2, format: 'acled' },
    });
    if (out.length === batch) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** Add `count` synthetic events to the store in one import (bulk mode on SQLite): a few seconds per 100,000. */
export async function fillEvents(store: Store, count: number, seed = 15): Promise<void> {
  const session = await store.beginImport({ file: 'synthetic.csv', format: 'acled', by: 'bench', strict: true, expectedEvents: count });
  try {
    for (const events of syntheticEvents(count, seed)) await session.write({ events }, { by: 'bench' });
    await session.commit({ events: count });
  } catch (err) {
    await session.rollback();
    throw err;
  }
}

export interface Probe {
  /** Latencies (ms) of the light requests made, in order. */
  latencies: number[];
  /** Answers by status ("network" when none came). */
  statuses: Record<string, number>;
  /** Why the "network" ones failed. */
  errors: string[];
  stop(): Promise<void>;
}

/** GET `path` one after another (a pause of `gapMs` between) until stopped: how long a light route waits. */
export function probe(base: string, path: string, gapMs = 20): Probe {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errors: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = performance.now();
      let status: string;
      try {
        const r = await fetch(base + path);
        await r.arrayBuffer();
        status = String(r.status);
      } catch (err) {
        status = 'network';
        errors.push(String((err as { cause?: unknown }).cause ?? err));
      }
      latencies.push(performance.now() - t);
      statuses[status] = (statuses[status] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
  return {
    latencies,
    statuses,
    errors,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

export function percentile(xs: readonly number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** Resident memory of a process now, and its peak so far (MB), from /proc (Linux). */
export async function memoryOf(pid: number): Promise<{ rssMb: number; peakMb: number }> {
  const { readFileSync } = await import('node:fs');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export interface ChildServer {
  base: string;
  pid: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A server on the store (a SQLite file or a postgres:// URL) in a process of its own, so that what it
 * does is measured apart from the clients: `options` are createApp's (JSON), `root` a checkout whose
 * sources it runs (this one by default).
 */
export async function spawnServer(db: string, options: Record<string, unknown> = {}, root?: string): Promise<ChildServer> {
  const script = fileURLToPath(new URL('./heavy-readers.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', script, '--serve', '--db', db, '--port', '0', '--options', JSON.stringify(options), ...(root ? ['--root', root] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const port = await new Promise<number>((ok, fail) => {
    proc.stdout!.on('data', (c: Buffer) => {
      const m = /ready (\d+)/.exec(c.toString());
      if (m) ok(Number(m[1]));
    });
    proc.once('exit', (code) => fail(new Error(`the server stopped (exit ${code}): ${log.slice(-2000)}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    pid: proc.pid!,
    proc,
    stop: () =>
      new Promise<void>((r) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return r();
        proc.once('exit', () => r());
        proc.kill('SIGKILL');
      }),
  };
}
