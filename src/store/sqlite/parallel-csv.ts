/**
 * A large CSV export read by several connections at once. SQLite builds each line (see scanEventCsv);
 * that costs a few microseconds an event, one core's worth, so an export of millions of events is split
 * into parts of consecutive days, worker threads write the parts' lines, and the parts are emitted in
 * order. Parts are handed out a few at a time so that memory stays bounded whatever the export's size.
 *
 * Consistency: every worker opens its own read transaction. The caller checks that nothing was committed
 * between its own check and the moment every worker had its snapshot (`ready`), so all parts come from
 * one state of the store; if something was, it falls back to one connection.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { QUOTED_LINES_SOURCES } from '../../core/csv-cell.js';

/** The worker is plain CommonJS given as text: it then runs the same under tsx, vitest and the build. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('cache_size = -32768');
// Pages read through a memory map, not a read() call each: lines come in date order, so pages are
// visited out of storage order, and the system calls were a third of the time.
db.pragma('mmap_size = 2147483648');
db.exec('BEGIN');
db.prepare('SELECT 1 FROM events LIMIT 1').get();
const stmt = db.prepare(workerData.sql).pluck();
parentPort.postMessage({ type: 'ready' });
// Text that a spreadsheet would run as a formula is neutralized here (neutralizeQuotedLines, the same
// patterns), then encoded and moved, not copied, to the main thread: it only writes bytes.
const f = workerData.formula;
const may = new RegExp(f.may), start = new RegExp(f.start), fix = new RegExp(f.replace, 'g');
const send = (type, part, text, rows) => {
  if (may.test(text) || start.test(text)) text = text.replace(fix, f.replacement);
  const bytes = new Uint8Array(Buffer.from(text));
  parentPort.postMessage({ type, part, bytes, rows }, [bytes.buffer]);
};
parentPort.on('message', (m) => {
  if (m.type === 'close') { db.close(); parentPort.close(); return; }
  let text = '';
  let rows = 0;
  for (const line of stmt.iterate(...workerData.args, m.from, m.to)) {
    text += line;
    rows++;
    if (text.length > 1048576) { send('chunk', m.part, text, rows); text = ''; rows = 0; }
  }
  send('done', m.part, text, rows);
});
`;

export interface CsvPart {
  /** First and last day number of the part, inclusive. */
  from: number;
  to: number;
}

/** Consecutive days grouped into parts of about `target` events each (a busier day is a part alone). */
export function splitByDay(dayCounts: readonly (readonly [number, number])[], target: number): CsvPart[] {
  const parts: CsvPart[] = [];
  let from: number | null = null;
  let to = 0;
  let n = 0;
  for (const [day, count] of dayCounts) {
    if (from === null) from = day;
    to = day;
    n += count;
    if (n >= target) {
      parts.push({ from, to });
      from = null;
      n = 0;
    }
  }
  if (from !== null) parts.push({ from, to });
  return parts;
}

/** How many worker threads an export uses: one per core, at most four, none on a single core. */
export function exportWorkers(): number {
  const n = Math.min(4, availableParallelism());
  return n >= 2 ? n : 0;
}

/** Lines of UTF-8 text: whole lines only, so each chunk decodes on its own. */
export interface CsvChunk {
  bytes: Uint8Array;
  rows: number;
}

/**
 * Run `sql` (whose last two parameters are a part's first and last day) over `parts` in `workers`
 * threads; yields the chunks of text in part order. `ready` is called once every worker has its
 * snapshot; if it returns false, nothing is yielded and the result is false.
 */
export async function* parallelCsv(
  path: string,
  sql: string,
  args: readonly unknown[],
  parts: readonly CsvPart[],
  workers: number,
  ready: () => boolean,
): AsyncGenerator<CsvChunk, boolean> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const pool = Array.from({ length: Math.min(workers, parts.length) }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, sql, args, formula: QUOTED_LINES_SOURCES } }));
  const done: boolean[] = parts.map(() => false);
  const chunks: CsvChunk[][] = parts.map(() => []);
  const idle: Worker[] = [];
  let failure: Error | null = null;
  let readyCount = 0;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const sleep = (): Promise<void> => new Promise<void>((resolve) => (wake = resolve));
  for (const w of pool) {
    w.on('message', (m: { type: 'ready' } | { type: 'chunk' | 'done'; part: number; bytes: Uint8Array; rows: number }) => {
      if (m.type === 'ready') readyCount++;
      else {
        if (m.rows) chunks[m.part]!.push({ bytes: m.bytes, rows: m.rows });
        if (m.type === 'done') {
          done[m.part] = true;
          idle.push(w);
        }
      }
      notify();
    });
    w.on('error', (e: Error) => {
      failure = e;
      notify();
    });
  }
  try {
    while (readyCount < pool.length && !failure) await sleep();
    if (failure) throw failure;
    if (!ready()) return false;
    idle.push(...pool);
    // Parts are handed out at most `window` ahead of the one being written: bounded memory.
    const window = pool.length * 2;
    let nextToGive = 0;
    for (let next = 0; next < parts.length; next++) {
      for (;;) {
        while (idle.length && nextToGive < parts.length && nextToGive < next + window) {
          const p = nextToGive++;
          idle.pop()!.postMessage({ type: 'part', part: p, from: parts[p]!.from, to: parts[p]!.to });
        }
        if (failure) throw failure;
        const queue = chunks[next]!;
        while (queue.length) yield queue.shift()!;
        if (done[next]) break;
        await sleep();
      }
    }
    return true;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
