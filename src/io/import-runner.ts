/**
 * The one way rows get into a store: validate every row, keep the bad ones as rejects with their reasons
 * (or, with `strict`, refuse the whole file), and write the good ones in one transaction, so that a crash
 * or a kill mid-import leaves the store exactly as it was. (SQLite stages the batches outside the store
 * and writes them in one short transaction at commit, so other writers are not locked out while the file
 * is read: decision 0023.)
 */
import { ImportError } from '../core/errors.js';
import type { ImportBatch, ImportReject, Store } from '../store/store.js';
import { clip, type RowResult } from './convert.js';

export interface ImportProgress {
  rows: number;
}

export interface ImportOptions {
  store: Store;
  file: string;
  format: string;
  /** All-or-nothing: any bad row and nothing is written. */
  strict?: boolean;
  by?: string;
  batchSize?: number;
  /** Passed to the store (ImportMeta.expectedEvents). */
  expectedEvents?: number;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportSummary {
  importId: string | null;
  file: string;
  format: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first rejects, for the terminal; all of them are kept in the store with the import. */
  rejects: (ImportReject & { file: string })[];
  /** Rows taken after a documented repair (e.g. a polygon ring closed), each with what was done. */
  repairs: { file: string; line: number; repair: string }[];
  committed: boolean;
  seconds: number;
}

/** A row as the runner sees it: its line, a converter result, a key that must be unique in the file. */
export interface SourceRow<T> {
  line: number;
  raw: string;
  result: RowResult<T>;
  /** What the converter repaired in this row (it is imported; the repairs are reported). */
  repairs?: string[];
}

export interface RowSource<T> {
  rows: AsyncIterable<SourceRow<T>>;
  /** Ids must be unique within one file: a second row with the same id is a reject, not an overwrite. */
  keyOf: (item: T) => string;
  toBatch: (items: T[]) => ImportBatch;
  /**
   * Events: the store finds ids used twice in one import (ImportWriteResult.duplicateEvents), so no set of
   * millions of ids is kept here. Other kinds are small and checked in memory.
   */
  storeFindsDuplicates?: boolean;
  /** Checked before anything is written (e.g. that the places a control file names exist). */
  check?: (item: T) => Promise<string | null> | string | null;
}

const SAMPLE = 50;

export async function runImport<T>(opts: ImportOptions, source: RowSource<T>): Promise<ImportSummary> {
  const started = performance.now();
  const { store, file, format } = opts;
  const strict = opts.strict ?? false;
  const by = opts.by ?? 'import';
  const batchSize = opts.batchSize ?? 5000;
  const summary: ImportSummary = {
    importId: null,
    file,
    format,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    rejects: [],
    repairs: [],
    committed: false,
    seconds: 0,
  };
  const session = await store.beginImport({ file, format, by, strict, ...(opts.expectedEvents ? { expectedEvents: opts.expectedEvents } : {}) });
  summary.importId = session.id;
  const seen = new Map<string, number>();
  let batch: T[] = [];
  let batchRows: { line: number; raw: string }[] = [];
  let rejectBatch: ImportReject[] = [];
  const flush = async (): Promise<void> => {
    if (strict && summary.rejected > 0) {
      batch = [];
      batchRows = [];
      rejectBatch = [];
      return;
    }
    if (!batch.length && !rejectBatch.length) return;
    const r = await session.write({ ...source.toBatch(batch), rejects: rejectBatch }, { by });
    summary.created += r.created;
    summary.updated += r.updated;
    summary.unchanged += r.unchanged;
    const written = batch;
    const rows = batchRows;
    batch = [];
    batchRows = [];
    rejectBatch = [];
    for (const d of r.duplicateEvents) {
      const at = rows[d.index]!;
      reject(at.line, 'id', `duplicate id "${clip(source.keyOf(written[d.index]!))}"${d.firstLine !== null ? ` (first on line ${d.firstLine})` : ''}`, at.raw);
    }
    // Those rejects are written with the next batch, or by the last flush.
  };
  const reject = (line: number, field: string | null, reason: string, raw: string): void => {
    summary.rejected++;
    const r = { line, field, reason, raw: clip(raw, 2000) };
    rejectBatch.push(r);
    if (summary.rejects.length < SAMPLE) summary.rejects.push({ ...r, file });
  };
  try {
    for await (const row of source.rows) {
      summary.rows++;
      if (!row.result.ok) {
        const first = row.result.errors[0]!;
        const reason = row.result.errors.map((e) => `${e.field} ${e.reason}`).join('; ');
        reject(row.line, first.field, reason, row.raw);
      } else {
        const item = row.result.value;
        const key = source.storeFindsDuplicates ? '' : source.keyOf(item);
        const firstLine = source.storeFindsDuplicates ? undefined : seen.get(key);
        const problem = firstLine !== undefined ? `duplicate id "${clip(key)}" (first on line ${firstLine})` : await source.check?.(item);
        if (problem) {
          reject(row.line, firstLine !== undefined ? 'id' : null, problem, row.raw);
        } else {
          if (!source.storeFindsDuplicates) seen.set(key, row.line);
          batch.push(item);
          batchRows.push({ line: row.line, raw: row.raw });
          for (const repair of row.repairs ?? []) summary.repairs.push({ file, line: row.line, repair });
        }
      }
      if (batch.length + rejectBatch.length >= batchSize) await flush();
      if (opts.onProgress && summary.rows % 1000 === 0) opts.onProgress({ rows: summary.rows });
    }
    await flush();
    await flush(); // the duplicates the last batch revealed
    if (summary.rows === 0) throw new ImportError('has a header but no rows: nothing to import', { file });
    if (strict && summary.rejected > 0) {
      await session.rollback();
      summary.created = summary.updated = summary.unchanged = 0;
    } else {
      const written = await session.commit({
        rows: summary.rows,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
      });
      if (written) Object.assign(summary, { created: written.created, updated: written.updated, unchanged: written.unchanged });
      summary.committed = true;
    }
  } catch (err) {
    await session.rollback();
    throw err;
  } finally {
    summary.seconds = (performance.now() - started) / 1000;
  }
  return summary;
}
