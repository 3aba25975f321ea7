/**
 * Backups to and from files, and copies between stores, on top of Store.dumpTables/restoreTables. A
 * backup is written to a temporary name and renamed when whole, so a crash never leaves a file that
 * looks like a backup but is not one.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { backupLines, readBackupLines, type TableChunk } from './backup-format.js';
import type { Store } from './store.js';
import { ConflictError } from '../core/errors.js';

export interface BackupProgress {
  (table: string, rows: number): void;
}

/** The chunks as they are, their rows counted into `counts` (and reported) on the way. */
async function* counted(chunks: AsyncIterable<TableChunk>, progress?: BackupProgress, counts: Record<string, number> = {}): AsyncIterable<TableChunk> {
  for await (const c of chunks) {
    counts[c.table] = (counts[c.table] ?? 0) + c.rows.length;
    progress?.(c.table, counts[c.table]!);
    yield c;
  }
}

/** Write a backup of `store` to `file` (gzip'd JSON Lines). Gives the rows per table. */
export async function backupStore(store: Store, file: string, progress?: BackupProgress): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const tmp = `${file}.partial-${process.pid}`;
  const source = backupLines({ createdAt: new Date().toISOString(), source: store.location, store: store.kind }, counted(store.dumpTables(), progress, counts));
  try {
    await pipeline(Readable.from(source), createGzip({ level: 6 }), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return counts;
}

/** Restore a backup file into an empty store, all or nothing. */
export async function restoreStore(store: Store, file: string, progress?: BackupProgress): Promise<Record<string, number>> {
  const gunzip = createGunzip();
  const input = createReadStream(file).pipe(gunzip);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    return await store.restoreTables(counted(readBackupLines(lines, file), progress));
  } catch (err) {
    // zlib's own words ("incorrect header check") do not say what to do.
    if ((err as { code?: string }).code?.startsWith('Z_')) throw new ConflictError(`${file} is not a Frontline backup (not gzip'd JSON Lines, or damaged): give a file written by frontline db backup`);
    throw err;
  } finally {
    lines.close();
    input.destroy();
  }
}

/**
 * Copy every row of `from` into the empty store `to`, then check that the two hold the same rows
 * (rowDigest of both).
 */
export async function copyStore(from: Store, to: Store, progress?: BackupProgress): Promise<{ counts: Record<string, number>; sha256: string }> {
  const counts = await to.restoreTables(counted(from.dumpTables(), progress));
  const [a, b] = await Promise.all([rowDigest(from), rowDigest(to)]);
  if (a !== b) throw new Error(`the copy in ${to.location} differs from ${from.location}: it was written, but do not rely on it; report this as a bug`);
  return { counts, sha256: a };
}

/** A digest of every row, one per line, whatever the batches: comparable between stores. */
export async function rowDigest(store: Store): Promise<string> {
  const hash = createHash('sha256');
  for await (const c of store.dumpTables()) for (const r of c.rows) hash.update(`${c.table}\t${JSON.stringify(r)}\n`);
  return hash.digest('hex');
}
