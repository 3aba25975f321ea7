/**
 * One backup format for both stores: the rows of every table (current records, their whole history,
 * imports and their rejects, users' tokens and sessions, settings), as gzip'd JSON Lines. Both stores
 * keep the same tables with the same columns, so a backup of one restores into the other: that is how a
 * user graduates from the SQLite file to PostgreSQL (`frontline db copy`) without losing a version.
 *
 * Derived data is not written: the spatial indexes and folded place names are rebuilt on restore.
 * The last line holds the row counts and a SHA-256 of everything before it: a cut or altered file is
 * refused before anything is written.
 */
import { createHash } from 'node:crypto';
import { ConflictError } from '../core/errors.js';
import { EVENT_COLUMNS } from './event-row.js';

export const BACKUP_FORMAT = 'frontline-backup';
export const BACKUP_VERSION = 1;

/** Every table a backup holds, its columns in order. Rows keep their storage order (events: import order). */
export const BACKUP_TABLES = {
  meta: ['key', 'value'],
  records: ['kind', 'id', 'version', 'changed_at', 'changed_by', 'doc'],
  history: ['kind', 'id', 'version', 'op', 'at', 'by', 'reason', 'doc'],
  places: ['id', 'name', 'kind', 'country', 'lon', 'lat', 'population', 'version', 'changed_at', 'changed_by', 'doc'],
  control_observations: ['id', 'place', 'actor', 'status', 'from_date', 'confidence', 'retracted', 'version', 'changed_at', 'changed_by', 'doc'],
  events: [...EVENT_COLUMNS, 'version', 'changed_at', 'changed_by'],
  relations: ['doc'],
  imports: ['id', 'file', 'format', 'by', 'strict', 'started_at', 'finished_at', 'status', 'counts'],
  import_rejects: ['import_id', 'line', 'field', 'reason', 'raw'],
  auth_sessions: ['token_hash', 'user_id', 'csrf', 'created_at', 'expires_at'],
  auth_tokens: ['token_hash', 'user_id', 'name', 'created_at', 'revoked_at'],
} as const satisfies Record<string, readonly string[]>;

export type BackupTable = keyof typeof BACKUP_TABLES;
/** In restore order: places before the observations that name them, imports before their rejects. */
export const TABLE_ORDER = Object.keys(BACKUP_TABLES) as BackupTable[];
/**
 * The order rows are dumped in, the same in both stores so that two dumps of the same data are the same
 * bytes (`db copy` checks that): storage order (null: SQLite's rowid, PostgreSQL's seq) or a key.
 */
export const DUMP_ORDER: Record<BackupTable, string | null> = {
  meta: 'key', records: 'kind, id', history: 'kind, id, version', places: null, control_observations: null, events: null,
  relations: null, imports: 'id', import_rejects: null, auth_sessions: 'token_hash', auth_tokens: 'token_hash',
};
/** Columns kept as true/false in a backup (SQLite stores them as 0/1). */
export const BOOLEAN_COLUMNS: Partial<Record<BackupTable, string>> = { control_observations: 'retracted', imports: 'strict' };

export interface TableChunk {
  table: BackupTable;
  rows: unknown[][];
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  /** The store it was taken from (a path, or a URL without password) and its kind. */
  source: string;
  store: string;
  tables: Record<BackupTable, readonly string[]>;
}

export interface BackupTrailer {
  end: true;
  counts: Record<string, number>;
  sha256: string;
}

/** Lines of a backup from the chunks of a dump, the trailer last (with the digest of all lines before it). */
export async function* backupLines(header: Omit<BackupHeader, 'format' | 'version' | 'tables'>, chunks: AsyncIterable<TableChunk>): AsyncIterable<string> {
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  const emit = (obj: unknown): string => {
    const line = `${JSON.stringify(obj)}\n`;
    hash.update(line);
    return line;
  };
  yield emit({ format: BACKUP_FORMAT, version: BACKUP_VERSION, tables: BACKUP_TABLES, ...header } satisfies BackupHeader);
  for await (const c of chunks) {
    counts[c.table] = (counts[c.table] ?? 0) + c.rows.length;
    yield emit({ t: c.table, rows: c.rows });
  }
  yield `${JSON.stringify({ end: true, counts, sha256: hash.digest('hex') } satisfies BackupTrailer)}\n`;
}

/**
 * The chunks of a backup, read from its lines. Each line is checked as it comes (known table, rows of
 * the right width); the trailer's counts and digest are checked at the end, and a mismatch throws there,
 * so a store restoring inside one transaction rolls the whole restore back.
 */
export async function* readBackupLines(lines: AsyncIterable<string>, file: string): AsyncIterable<TableChunk> {
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  let lineNo = 0;
  let header: BackupHeader | null = null;
  let trailer: BackupTrailer | null = null;
  const fail = (why: string): never => {
    throw new ConflictError(`${file}:${lineNo}: ${why}`);
  };
  for await (const raw of lines) {
    lineNo++;
    if (!raw.trim()) continue;
    if (trailer) fail('lines after the end of the backup: the file was altered');
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return fail('not a line of a Frontline backup (not JSON): is this the right file, and whole?');
    }
    if (!header) {
      if (v.format !== BACKUP_FORMAT) fail(`not a Frontline backup (it has no "format": "${BACKUP_FORMAT}")`);
      if (typeof v.version !== 'number' || v.version > BACKUP_VERSION) fail(`a backup of format ${String(v.version)}, newer than this Frontline reads (${BACKUP_VERSION}): upgrade Frontline`);
      const tables = v.tables as Record<string, unknown> | undefined;
      for (const t of TABLE_ORDER) if (JSON.stringify(tables?.[t]) !== JSON.stringify(BACKUP_TABLES[t])) fail(`table ${t} has other columns than this Frontline keeps: restore it with the Frontline version that wrote it`);
      header = v as unknown as BackupHeader;
      hash.update(`${raw}\n`);
      continue;
    }
    if (v.end === true) {
      trailer = v as unknown as BackupTrailer;
      continue;
    }
    const table = v.t as BackupTable;
    if (!TABLE_ORDER.includes(table)) fail(`unknown table "${String(v.t)}"`);
    const rows = v.rows;
    const width = BACKUP_TABLES[table].length;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r) || r.length !== width)) fail(`rows of ${table} must be arrays of ${width} values`);
    hash.update(`${raw}\n`);
    counts[table] = (counts[table] ?? 0) + (rows as unknown[]).length;
    yield { table, rows: rows as unknown[][] };
  }
  if (!header) fail('an empty file, not a backup');
  if (!trailer) fail('the backup ends before its last line: the file was cut short (copy it again, whole)');
  if (trailer!.sha256 !== hash.digest('hex')) fail('the backup does not match its checksum: the file was altered or damaged');
  for (const t of new Set([...Object.keys(counts), ...Object.keys(trailer!.counts)])) {
    if ((counts[t] ?? 0) !== (trailer!.counts[t] ?? 0)) fail(`table ${t}: ${counts[t] ?? 0} rows read, the backup says ${trailer!.counts[t] ?? 0}`);
  }
}
