/**
 * The embedded store: one SQLite file through better-sqlite3. WAL for readers during writes, foreign keys
 * on, every write in a transaction. better-sqlite3 is synchronous; the async interface is kept so the
 * PostGIS adapter can share it.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { dayNumber, fromDayNumber } from '../../core/dates.js';
import { ConflictError, isLockConflict, NotFoundError, UnavailableError } from '../../core/errors.js';
import { foldName } from '../../core/names.js';
import { neutralizeQuotedLines } from '../../core/csv-cell.js';
import type {
  Actor,
  Bloc,
  ConflictEvent,
  ControlObservation,
  ControlArea,
  Boundary,
  Council,
  Indicator,
  Objective,
  Place,
  Project,
  Relation,
  Scenario,
  SourceDocument,
  StabilizationArea,
  User,
  Zone,
} from '../../core/schemas.js';
import type {
  AuditEntry,
  StabilizationKind,
  CellCount,
  ControlQuery,
  EventPage,
  EventQuery,
  HistoryEntry,
  ImportBatch,
  ImportMeta,
  ImportRecord,
  ImportReject,
  ImportSession,
  ImportWriteResult,
  PeriodCount,
  PeriodSummary,
  PlaceQuery,
  PutResult,
  RecordKind,
  Store,
  WriteContext,
} from '../store.js';
import { EVENT_COLUMNS, eventToRow, MONTH_NAMES, selectColumns, type EventColumn, PROVENANCE_INDEX, rowToEvent, sameEventRow, SELECT_EVENT, type EventCsvField, type EventRow } from '../event-row.js';
import { decodeCursor, pageOf } from '../event-cursor.js';
import { queryStatuses } from '../event-status.js';
import { BACKUP_TABLES, BOOLEAN_COLUMNS, DUMP_ORDER, TABLE_ORDER, type BackupTable, type TableChunk } from '../backup-format.js';
import { currentEntry, unchanged } from '../record-versions.js';
import { buildEventColumnsByDay, countByCell, countByPeriod, forEachMatch, type EventColumns, type EventColumnsFilter, type EventColumnsInput } from '../../core/event-columns.js';
import { exportWorkers, parallelCsv, splitByDay, type CsvChunk, type CsvPart } from './parallel-csv.js';
import { EVENT_INDEX_NAMES, EVENT_INDEXES, EVENT_RTREE_INSERT_TRIGGER, EVENT_RTREE_VALUES, MIGRATIONS } from './migrations.js';

/** Below this many expected events an import updates the indexes as it goes. */
const BULK_MIN_EVENTS = 50_000;

type Row = Record<string, unknown>;
type SmallKind = 'actor' | 'bloc' | 'zone' | 'document' | 'objective' | 'scenario' | 'control-area' | 'boundary' | StabilizationKind;

const now = (): string => new Date().toISOString();

export interface SqliteStoreOptions {
  /** Open an existing file read-only (no migrations are run). */
  readonly?: boolean;
  /**
   * CSV exports of at least `minEvents` events are written by worker threads, in parts of about
   * `partEvents` events (defaults 100,000 and 20,000; see parallel-csv.ts).
   */
  parallelExport?: { minEvents: number; partEvents: number };
  /** How writes wait for another connection's lock (defaults: BUSY_DEFAULTS; docs/server.md, "Limits"). */
  busy?: Partial<BusyOptions>;
}

/**
 * Another connection (a CLI import, a second server) may hold SQLite's one write lock. Each attempt
 * waits for it at most `timeoutMs` (SQLite's busy timeout: a synchronous wait, so kept short in a server
 * whose one thread serves everyone); then the write is tried again after an asynchronous pause that
 * doubles from `backoffMs` up to `maxBackoffMs`, until `retryMs` have gone by since the write began. Past
 * that the write fails with UnavailableError (the server answers 503 with Retry-After: 1); nothing of it
 * was written. While one write of a process waits for the lock, that process's other writes wait behind
 * it without polling (one waiter per connection, not one per request).
 */
export interface BusyOptions {
  timeoutMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  retryMs: number;
}
export const BUSY_DEFAULTS: BusyOptions = { timeoutMs: 25, backoffMs: 10, maxBackoffMs: 250, retryMs: 8000 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The store methods that write. Each runs through SqliteStore.retryingBusy: tried again while another
 * connection holds the lock. (None of them calls another of them: a write that waits for the lock makes
 * the connection's other writes wait behind it.)
 */
const WRITE_METHODS = [
  'putActors', 'putBlocs', 'putZones', 'putControlAreas', 'putBoundaries', 'putDocuments', 'putObjectives', 'putScenarios',
  'putStabilizationAreas', 'putIndicators', 'putProjects', 'putCouncils', 'putUsers', 'createSession', 'deleteSessions',
  'createToken', 'revokeTokens', 'setRelations', 'putPlaces', 'putControlObservations', 'retractControlObservation',
  'putEvents', 'retractEvent', 'setMeta',
] as const;

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const busy = { ...BUSY_DEFAULTS, ...options.busy };
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false, timeout: busy.timeoutMs });
  const store = new SqliteStore(db, options.readonly ?? false, busy);
  if (options.parallelExport) store.parallelExport = options.parallelExport;
  return store;
}

export function migrate(db: Database.Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newlyApplied: number[] = [];
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
    })();
    newlyApplied.push(m.version);
  }
  const newest = Math.max(0, ...applied);
  const known = Math.max(...MIGRATIONS.map((m) => m.version));
  if (newest > known) {
    throw new ConflictError(`this database was written by a newer Frontline (schema ${newest}, this one knows ${known}): upgrade Frontline`);
  }
  return newlyApplied;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  get location(): string {
    return this.db.name;
  }
  parallelExport = { minEvents: 100_000, partEvents: 20_000 };
  readonly busy: BusyOptions;
  /** Set while one write of this connection waits for another connection's lock; the others wait on it. */
  private lockWait: Promise<void> | null = null;

  constructor(db: Database.Database, readonly = false, busy: Partial<BusyOptions> = {}) {
    this.db = db;
    this.busy = { ...BUSY_DEFAULTS, ...busy };
    // Every connection waits a little for a lock before SQLITE_BUSY (better-sqlite3's default is 5 s of
    // blocking the event loop); the rest of the waiting is retryingBusy's, asynchronous.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(this.busy.timeoutMs))}`);
    for (const m of WRITE_METHODS) {
      const self = this as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      const write = self[m]!.bind(this);
      self[m] = (...a: unknown[]) => this.retryingBusy(() => write(...a));
    }
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    if (!readonly) migrate(db);
  }

  /**
   * Run `fn` in a transaction, or inside the one already open (an import session's). Not a nested
   * savepoint: a SAVEPOINT per batch inside a long transaction makes R*Tree inserts slow down as the tree
   * grows (measured: 40,000 events in 8 batches took 3.4 s with savepoints, 0.48 s without).
   */
  private atomically(fn: () => void): void {
    if (this.db.inTransaction) fn();
    // IMMEDIATE: the write lock is taken at BEGIN, where SQLite's busy timeout applies. A deferred
    // transaction that reads first and then writes cannot wait for the lock (upgrading it would risk a
    // deadlock, so SQLite answers SQLITE_BUSY at once, whatever the busy timeout).
    else this.db.transaction(fn).immediate();
  }

  /**
   * Run a write; while another connection holds the lock (SQLITE_BUSY / SQLITE_LOCKED), try it again
   * with a growing pause, up to `busy.retryMs`; then UnavailableError. See BusyOptions.
   */
  async retryingBusy<T>(fn: () => Promise<T> | T): Promise<T> {
    const started = Date.now();
    if (this.lockWait) await this.lockWait;
    let release: (() => void) | null = null;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await fn();
        } catch (err) {
          if (!isLockConflict(err)) throw err;
          if (Date.now() - started >= this.busy.retryMs) {
            throw new UnavailableError(`the store is busy: another program (an import?) has held its write lock for ${((Date.now() - started) / 1000).toFixed(1)} s; nothing was written, try again in a moment`, 1);
          }
          if (!release) {
            if (this.lockWait) {
              // Another write of this connection is already waiting: wait behind it, then try again.
              await this.lockWait;
              continue;
            }
            this.lockWait = new Promise<void>((r) => (release = r));
          }
          await sleep(Math.min(this.busy.maxBackoffMs, this.busy.backoffMs * 2 ** attempt));
        }
      }
    } finally {
      if (release) {
        this.lockWait = null;
        (release as () => void)();
      }
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // ---- versioned writes --------------------------------------------------------------------------------

  private archive(kind: RecordKind, id: string, version: number, op: HistoryEntry['op'], at: string, by: string, reason: string | null, doc: string): void {
    this.db
      .prepare('INSERT INTO history (kind, id, version, op, at, by, reason, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(kind, id, version, op, at, by, reason, doc);
  }

  /** Optimistic concurrency: refuse the write when the record is no longer at the version its writer read. */
  private checkVersion(kind: RecordKind, items: readonly { id: string }[], expected: number, current: (id: string) => number): void {
    if (items.length !== 1) throw new ConflictError(`a version check needs exactly one ${kind} record (got ${items.length})`);
    const now = current(items[0]!.id);
    if (now !== expected) throw new ConflictError(`${kind} "${items[0]!.id}" is at version ${now}, not ${expected} as read: someone else changed it; reload it and edit again`);
  }

  private putSmall<T extends { id: string }>(kind: SmallKind, items: T[], ctx: WriteContext): PutResult {
    const at = ctx.at ?? now();
    const get = this.db.prepare('SELECT version, changed_at, changed_by, doc FROM records WHERE kind = ? AND id = ?');
    const upsert = this.db.prepare(
      'INSERT INTO records (kind, id, version, changed_at, changed_by, doc) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, changed_at = excluded.changed_at, changed_by = excluded.changed_by, doc = excluded.doc',
    );
    const result: PutResult = { created: 0, updated: 0, unchanged: 0 };
    this.atomically(() => {
      if (ctx.expectVersion !== undefined) this.checkVersion(kind, items, ctx.expectVersion, (id) => (get.get(kind, id) as { version: number } | undefined)?.version ?? 0);
      for (const item of items) {
        const doc = JSON.stringify(item);
        const old = get.get(kind, item.id) as { version: number; changed_at: string; changed_by: string; doc: string } | undefined;
        if (!old) {
          upsert.run(kind, item.id, 1, at, ctx.by, doc);
          result.created++;
        } else if (unchanged(old.doc, doc, item)) {
          result.unchanged++;
        } else {
          this.archive(kind, item.id, old.version, old.version === 1 ? 'create' : 'update', old.changed_at, old.changed_by, null, old.doc);
          upsert.run(kind, item.id, old.version + 1, at, ctx.by, doc);
          result.updated++;
        }
      }
    });
    return result;
  }

  private listSmall<T>(kind: SmallKind): T[] {
    return (this.db.prepare('SELECT doc FROM records WHERE kind = ? ORDER BY id').all(kind) as { doc: string }[]).map((r) => JSON.parse(r.doc) as T);
  }

  private getSmall<T>(kind: SmallKind, id: string): T | null {
    const r = this.db.prepare('SELECT doc FROM records WHERE kind = ? AND id = ?').get(kind, id) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as T) : null;
  }

  async putActors(actors: Actor[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('actor', actors, ctx);
  }
  async listActors(): Promise<Actor[]> {
    return this.listSmall('actor');
  }
  async putBlocs(blocs: Bloc[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('bloc', blocs, ctx);
  }
  async listBlocs(): Promise<Bloc[]> {
    return this.listSmall('bloc');
  }
  async putZones(zones: Zone[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('zone', zones, ctx);
  }
  async listZones(): Promise<Zone[]> {
    return this.listSmall('zone');
  }
  async putControlAreas(areas: ControlArea[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('control-area', areas, ctx);
  }
  async listControlAreas(): Promise<ControlArea[]> {
    return this.listSmall('control-area');
  }
  async putBoundaries(boundaries: Boundary[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('boundary', boundaries, ctx);
  }
  async listBoundaries(): Promise<Boundary[]> {
    return this.listSmall('boundary');
  }
  async putDocuments(docs: SourceDocument[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('document', docs, ctx);
  }
  async getDocument(id: string): Promise<SourceDocument | null> {
    return this.getSmall('document', id);
  }
  async putObjectives(objectives: Objective[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('objective', objectives, ctx);
  }
  async listObjectives(): Promise<Objective[]> {
    return this.listSmall('objective');
  }
  async putScenarios(scenarios: Scenario[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('scenario', scenarios, ctx);
  }
  async listScenarios(): Promise<Scenario[]> {
    return this.listSmall('scenario');
  }

  async putStabilizationAreas(areas: StabilizationArea[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('stabilization-area', areas, ctx);
  }
  async listStabilizationAreas(): Promise<StabilizationArea[]> {
    return this.listSmall('stabilization-area');
  }
  async putIndicators(indicators: Indicator[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('indicator', indicators, ctx);
  }
  async listIndicators(area?: string): Promise<Indicator[]> {
    return this.listByArea<Indicator>('indicator', area);
  }
  async putProjects(projects: Project[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('project', projects, ctx);
  }
  async listProjects(area?: string): Promise<Project[]> {
    return this.listByArea<Project>('project', area);
  }
  async putCouncils(councils: Council[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('council', councils, ctx);
  }
  async listCouncils(area?: string): Promise<Council[]> {
    return this.listByArea<Council>('council', area);
  }
  /** One area's records, read by the area in their JSON (these kinds stay small: thousands, not millions). */
  private listByArea<T>(kind: SmallKind, area?: string): T[] {
    if (area === undefined) return this.listSmall(kind);
    return (this.db.prepare("SELECT doc FROM records WHERE kind = ? AND json_extract(doc, '$.area') = ? ORDER BY id").all(kind, area) as { doc: string }[]).map((r) => JSON.parse(r.doc) as T);
  }

  async putUsers(users: User[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('user', users, ctx);
  }
  async listUsers(): Promise<User[]> {
    return this.listSmall('user');
  }
  async getUser(id: string): Promise<User | null> {
    return this.getSmall('user', id);
  }
  async createSession(x: { tokenHash: string; user: string; csrf: string; expiresAt: string }): Promise<void> {
    this.db.prepare('INSERT INTO auth_sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(x.tokenHash, x.user, x.csrf, now(), x.expiresAt);
  }
  async getSession(tokenHash: string): Promise<{ user: string; csrf: string; expiresAt: string } | null> {
    const r = this.db.prepare('SELECT user_id AS user, csrf, expires_at AS expiresAt FROM auth_sessions WHERE token_hash = ?').get(tokenHash) as { user: string; csrf: string; expiresAt: string } | undefined;
    return r ?? null;
  }
  async deleteSessions(q: { tokenHash?: string; user?: string }): Promise<number> {
    if (q.tokenHash) return this.db.prepare('DELETE FROM auth_sessions WHERE token_hash = ?').run(q.tokenHash).changes;
    if (q.user) return this.db.prepare('DELETE FROM auth_sessions WHERE user_id = ?').run(q.user).changes;
    return 0;
  }
  async createToken(t: { tokenHash: string; user: string; name: string }): Promise<void> {
    this.db.prepare('INSERT INTO auth_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)').run(t.tokenHash, t.user, t.name, now());
  }
  async getToken(tokenHash: string): Promise<{ user: string; name: string; revokedAt: string | null } | null> {
    const r = this.db.prepare('SELECT user_id AS user, name, revoked_at AS revokedAt FROM auth_tokens WHERE token_hash = ?').get(tokenHash) as { user: string; name: string; revokedAt: string | null } | undefined;
    return r ?? null;
  }
  async revokeTokens(q: { tokenHash?: string; user?: string }): Promise<number> {
    if (q.tokenHash) return this.db.prepare('UPDATE auth_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(now(), q.tokenHash).changes;
    if (q.user) return this.db.prepare('UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now(), q.user).changes;
    return 0;
  }

  async setRelations(relations: Relation[], ctx: WriteContext): Promise<void> {
    const at = ctx.at ?? now();
    this.atomically(() => {
      const old = this.db.prepare('SELECT doc FROM relations ORDER BY rowid').all() as { doc: string }[];
      const oldDoc = JSON.stringify(old.map((r) => JSON.parse(r.doc) as unknown));
      const newDoc = JSON.stringify(relations);
      if (oldDoc === newDoc) return;
      const version = (this.db.prepare("SELECT COALESCE(MAX(version), 0) AS v FROM history WHERE kind = 'bloc' AND id = '@relations'").get() as { v: number }).v + 1;
      // The set of relations is versioned as one record, '@relations', in the history of blocs.
      this.archive('bloc', '@relations', version, version === 1 ? 'create' : 'update', at, ctx.by, ctx.reason ?? null, newDoc);
      this.db.prepare('DELETE FROM relations').run();
      const ins = this.db.prepare('INSERT INTO relations (doc) VALUES (?)');
      for (const r of relations) ins.run(JSON.stringify(r));
    });
  }
  async listRelations(): Promise<Relation[]> {
    return (this.db.prepare('SELECT doc FROM relations ORDER BY rowid').all() as { doc: string }[]).map((r) => JSON.parse(r.doc) as Relation);
  }

  // ---- places ------------------------------------------------------------------------------------------

  async putPlaces(places: Place[], ctx: WriteContext): Promise<PutResult> {
    return this.putPlacesSync(places, ctx);
  }

  private putPlacesSync(places: Place[], ctx: WriteContext): PutResult {
    const at = ctx.at ?? now();
    const get = this.db.prepare('SELECT rowid, version, changed_at, changed_by, doc FROM places WHERE id = ?');
    const insert = this.db.prepare(
      'INSERT INTO places (id, name, kind, country, lon, lat, population, version, changed_at, changed_by, doc) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)',
    );
    const update = this.db.prepare(
      'UPDATE places SET name = ?, kind = ?, country = ?, lon = ?, lat = ?, population = ?, version = ?, changed_at = ?, changed_by = ?, doc = ? WHERE rowid = ?',
    );
    const delNames = this.db.prepare('DELETE FROM place_names WHERE place_rowid = ?');
    const addName = this.db.prepare('INSERT INTO place_names (folded, place_rowid) VALUES (?, ?)');
    const rtree = this.db.prepare('INSERT OR REPLACE INTO places_rtree VALUES (?, ?, ?, ?, ?)');
    const result: PutResult = { created: 0, updated: 0, unchanged: 0 };
    const indexNames = (rowid: number, p: Place): void => {
      delNames.run(rowid);
      for (const key of new Set([p.name, ...p.names].map(foldName))) if (key) addName.run(key, rowid);
      rtree.run(rowid, p.lon, p.lon, p.lat, p.lat);
    };
    this.atomically(() => {
      if (ctx.expectVersion !== undefined) this.checkVersion('place', places, ctx.expectVersion, (id) => (get.get(id) as { version: number } | undefined)?.version ?? 0);
      for (const p of places) {
        const doc = JSON.stringify(p);
        const old = get.get(p.id) as { rowid: number; version: number; changed_at: string; changed_by: string; doc: string } | undefined;
        if (!old) {
          const info = insert.run(p.id, p.name, p.kind, p.country ?? null, p.lon, p.lat, p.population, at, ctx.by, doc);
          indexNames(Number(info.lastInsertRowid), p);
          result.created++;
        } else if (unchanged(old.doc, doc, p)) {
          result.unchanged++;
        } else {
          this.archive('place', p.id, old.version, old.version === 1 ? 'create' : 'update', old.changed_at, old.changed_by, null, old.doc);
          update.run(p.name, p.kind, p.country ?? null, p.lon, p.lat, p.population, old.version + 1, at, ctx.by, doc, old.rowid);
          indexNames(old.rowid, p);
          result.updated++;
        }
      }
    });
    return result;
  }

  async getPlace(id: string): Promise<Place | null> {
    const r = this.db.prepare('SELECT doc FROM places WHERE id = ?').get(id) as { doc: string } | undefined;
    return r ? (JSON.parse(r.doc) as Place) : null;
  }

  async listPlaces(q: PlaceQuery = {}): Promise<Place[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    let from = 'places p';
    if (q.bbox) {
      from += ' JOIN places_rtree r ON r.rowid = p.rowid';
      where.push('r.min_lon >= ? AND r.max_lon <= ? AND r.min_lat >= ? AND r.max_lat <= ?');
      args.push(q.bbox[0], q.bbox[2], q.bbox[1], q.bbox[3]);
    }
    if (q.country) {
      where.push('p.country = ?');
      args.push(q.country);
    }
    if (q.kind) {
      where.push('p.kind = ?');
      args.push(q.kind);
    }
    if (q.name) {
      // Exact folded match first; else a prefix match, so "Deir" finds Deir ez-Zor and Deir Hafer.
      const key = foldName(q.name);
      where.push('p.rowid IN (SELECT place_rowid FROM place_names WHERE folded = ? OR (folded >= ? AND folded < ?))');
      args.push(key, key, `${key}\uffff`);
    }
    const sql = `SELECT p.doc FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY p.population IS NULL, p.population DESC, p.id LIMIT ?`;
    args.push(q.limit ?? 100_000);
    return (this.db.prepare(sql).all(...args) as { doc: string }[]).map((r) => JSON.parse(r.doc) as Place);
  }

  // ---- control -----------------------------------------------------------------------------------------

  async putControlObservations(obs: ControlObservation[], ctx: WriteContext): Promise<PutResult> {
    return this.putControlSync(obs, ctx);
  }

  private putControlSync(obs: ControlObservation[], ctx: WriteContext): PutResult {
    const at = ctx.at ?? now();
    const get = this.db.prepare('SELECT rowid, version, changed_at, changed_by, doc FROM control_observations WHERE id = ?');
    const placeExists = this.db.prepare('SELECT 1 FROM places WHERE id = ?');
    const insert = this.db.prepare(
      'INSERT INTO control_observations (id, place, actor, status, from_date, confidence, retracted, version, changed_at, changed_by, doc) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)',
    );
    const update = this.db.prepare(
      'UPDATE control_observations SET place = ?, actor = ?, status = ?, from_date = ?, confidence = ?, retracted = ?, version = ?, changed_at = ?, changed_by = ?, doc = ? WHERE rowid = ?',
    );
    const result: PutResult = { created: 0, updated: 0, unchanged: 0 };
    this.atomically(() => {
      if (ctx.expectVersion !== undefined) this.checkVersion('control', obs, ctx.expectVersion, (id) => (get.get(id) as { version: number } | undefined)?.version ?? 0);
      for (const o of obs) {
        if (!placeExists.get(o.place)) throw new NotFoundError(`control observation ${o.id}: place "${o.place}" is not in the store; import the place first`);
        const doc = JSON.stringify(o);
        const old = get.get(o.id) as { rowid: number; version: number; changed_at: string; changed_by: string; doc: string } | undefined;
        const retracted = o.retracted ? 1 : 0;
        if (!old) {
          insert.run(o.id, o.place, o.actor, o.status, o.from, o.confidence, retracted, at, ctx.by, doc);
          result.created++;
        } else if (unchanged(old.doc, doc, o)) {
          result.unchanged++;
        } else {
          this.archive('control', o.id, old.version, old.version === 1 ? 'create' : 'update', old.changed_at, old.changed_by, null, old.doc);
          update.run(o.place, o.actor, o.status, o.from, o.confidence, retracted, old.version + 1, at, ctx.by, doc, old.rowid);
          result.updated++;
        }
      }
    });
    return result;
  }

  async listControlObservations(q: ControlQuery = {}): Promise<ControlObservation[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.place) {
      where.push('place = ?');
      args.push(q.place);
    }
    if (q.until) {
      where.push('from_date <= ?');
      args.push(q.until);
    }
    if (!q.includeRetracted) where.push('retracted = 0');
    const sql = `SELECT doc FROM control_observations${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY from_date, id`;
    return (this.db.prepare(sql).all(...args) as { doc: string }[]).map((r) => JSON.parse(r.doc) as ControlObservation);
  }

  async retractControlObservation(id: string, ctx: WriteContext & { reason: string }): Promise<void> {
    const r = this.db.prepare('SELECT doc FROM control_observations WHERE id = ?').get(id) as { doc: string } | undefined;
    if (!r) throw new NotFoundError(`no control observation "${id}"`);
    const o = JSON.parse(r.doc) as ControlObservation;
    if (o.retracted) throw new ConflictError(`control observation "${id}" is already retracted (${o.retracted.reason})`);
    const at = ctx.at ?? now();
    this.putControlSync([{ ...o, retracted: { reason: ctx.reason, by: ctx.by, at } }], { ...ctx, at });
  }

  // ---- events ------------------------------------------------------------------------------------------

  async putEvents(events: ConflictEvent[], ctx: WriteContext): Promise<PutResult> {
    const { created, updated, unchanged } = this.putEventsSync(events, ctx);
    return { created, updated, unchanged };
  }

  private eventStatements?: {
    insert: Database.Statement;
    get: Database.Statement;
    update: Database.Statement;
  };

  /** `importedAfter`: rows above this rowid were written by the running import, so a clash with one is a duplicate. */
  private putEventsSync(events: ConflictEvent[], ctx: WriteContext, importedAfter?: number): ImportWriteResult {
    const at = ctx.at ?? now();
    const cols = EVENT_COLUMNS.join(', ');
    const marks = EVENT_COLUMNS.map(() => '?').join(', ');
    this.eventStatements ??= {
      insert: this.db.prepare(`INSERT INTO events (${cols}, version, changed_at, changed_by) VALUES (${marks}, 1, ?, ?) ON CONFLICT (id) DO NOTHING`),
      get: this.db.prepare(`SELECT e.rowid, e.version, e.changed_at, e.changed_by, ${SELECT_EVENT} FROM events e WHERE e.id = ?`).raw(),
      update: this.db.prepare(`UPDATE events SET ${EVENT_COLUMNS.map((c) => `${c} = ?`).join(', ')}, version = ?, changed_at = ?, changed_by = ? WHERE rowid = ?`),
    };
    const { insert, get, update } = this.eventStatements;
    const result: ImportWriteResult = { created: 0, updated: 0, unchanged: 0, duplicateEvents: [] };
    this.eventsGeneration++;
    this.atomically(() => {
      if (ctx.expectVersion !== undefined) this.checkVersion('event', events, ctx.expectVersion, (id) => (this.db.prepare('SELECT version FROM events WHERE id = ?').get(id) as { version: number } | undefined)?.version ?? 0);
      for (let i = 0; i < events.length; i++) {
        const e = events[i]!;
        const row = eventToRow(e, dayNumber(e.date));
        // The common case, a new id, costs one statement; only a clash reads the old version.
        if (insert.run(...row, at, ctx.by).changes === 1) {
          result.created++;
          continue;
        }
        const old = get.get(e.id) as [number, number, string, string, ...EventRow];
        const [rowid, version, changedAt, changedBy] = old;
        const oldRow = old.slice(4) as EventRow;
        if (importedAfter !== undefined && rowid > importedAfter) {
          const first = JSON.parse(oldRow[PROVENANCE_INDEX] as string) as { line?: number };
          result.duplicateEvents.push({ index: i, firstLine: first.line ?? null });
          continue;
        }
        if (sameEventRow(oldRow, row)) {
          result.unchanged++;
          continue;
        }
        this.archive('event', e.id, version, version === 1 ? 'create' : 'update', changedAt, changedBy, null, JSON.stringify(rowToEvent(oldRow)));
        update.run(...row, version + 1, at, ctx.by, rowid);
        result.updated++;
      }
    });
    return result;
  }

  async getEvent(id: string): Promise<ConflictEvent | null> {
    const r = this.db.prepare(`SELECT ${SELECT_EVENT} FROM events e WHERE e.id = ?`).raw().get(id) as EventRow | undefined;
    return r ? rowToEvent(r) : null;
  }

  private eventWhere(q: Omit<EventQuery, 'limit'>): { from: string; where: string[]; args: unknown[] } {
    const where: string[] = [];
    const args: unknown[] = [];
    let from = 'events e';
    const minDay = q.since ? dayNumber(q.since) : null;
    const maxDay = q.until ? dayNumber(q.until) : null;
    // With a box, the R*Tree answers space and time, and its auxiliary columns carry the exact
    // coordinates, type, actors and status: those filters run inside it and only matching rows are read
    // from the events table. (Its box bounds are float32, rounded outward; days are exact in float32.)
    const t = q.bbox ? 'r' : 'e';
    if (q.bbox) {
      from = 'events_rtree r JOIN events e ON e.rowid = r.rowid';
      where.push('r.max_lon >= ? AND r.min_lon <= ? AND r.max_lat >= ? AND r.min_lat <= ?');
      args.push(q.bbox[0], q.bbox[2], q.bbox[1], q.bbox[3]);
      where.push('r.lon BETWEEN ? AND ? AND r.lat BETWEEN ? AND ?');
      args.push(q.bbox[0], q.bbox[2], q.bbox[1], q.bbox[3]);
    }
    const day = q.bbox ? 'r.min_day' : 'e.day';
    if (minDay !== null) {
      where.push(`${day} >= ?`);
      args.push(minDay);
    }
    if (maxDay !== null) {
      where.push(`${day} <= ?`);
      args.push(maxDay);
    }
    if (q.type) {
      where.push(`${t}.type = ?`);
      args.push(q.type);
    }
    if (q.subType) {
      where.push('e.sub_type = ?');
      args.push(q.subType);
    }
    if (q.actor) {
      where.push(`(${t}.actor1_id = ? OR ${t}.actor2_id = ?)`);
      args.push(q.actor, q.actor);
    }
    if (q.actors) {
      const marks = q.actors.map(() => '?').join(', ');
      where.push(`(${t}.actor1_id IN (${marks}) OR ${t}.actor2_id IN (${marks}))`);
      args.push(...q.actors, ...q.actors);
    }
    if (q.place) {
      where.push('e.place = ?');
      args.push(q.place);
    }
    // Reviewed events only, unless the query asks for drafts or retracted ones (queryStatuses).
    const statuses = queryStatuses(q);
    where.push(statuses.length === 1 ? `${t}.status = ?` : `${t}.status IN (${statuses.map(() => '?').join(', ')})`);
    args.push(...statuses);
    if (q.text) {
      // Searched inside the fields people type about, never spliced into SQL.
      const pattern = `%${q.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        "(lower(e.notes) LIKE ? ESCAPE '\\' OR lower(e.location) LIKE ? ESCAPE '\\' OR lower(e.actor1) LIKE ? ESCAPE '\\' OR lower(e.actor2) LIKE ? ESCAPE '\\')",
      );
      args.push(pattern, pattern, pattern, pattern);
    }
    if (q.after) {
      const c = decodeCursor(q.after);
      // A row-value comparison lets SQLite seek the day index; an OR of two terms made it rescan.
      where.push('(e.day, e.rowid) > (?, ?)');
      args.push(c.day, c.key);
    }
    return { from, where, args };
  }

  async queryEvents(q: EventQuery): Promise<EventPage> {
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 100_000));
    // A server keeps the column index warm (eventColumns()); then a first page is found in memory and
    // only its rows are read. A one-off command does not build it for one query: SQL and the R*Tree answer.
    const columns = q.after ? null : this.freshColumns();
    const filter = columns ? this.columnsFilter(q) : null;
    if (columns && filter) {
      const keys: number[] = [];
      forEachMatch(columns, filter, (i) => keys.push(columns.key[i]!) <= limit);
      const rows = this.db.prepare(`SELECT ${SELECT_EVENT}, e.rowid FROM events e WHERE e.rowid IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(keys)) as EventRow[];
      const byKey = new Map(rows.map((r) => [r[r.length - 1] as number, r]));
      const ordered = keys.map((k) => byKey.get(k)!);
      return pageOf(ordered, limit);
    }
    const { from, where, args } = this.eventWhere(q);
    const sql = `SELECT ${SELECT_EVENT}, e.rowid FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.day, e.rowid LIMIT ?`;
    return pageOf(this.db.prepare(sql).raw().all(...args, limit + 1) as EventRow[], limit);
  }

  async countEvents(q: Omit<EventQuery, 'limit' | 'after'>): Promise<number> {
    const { from, where, args } = this.eventWhere(q);
    const sql = `SELECT COUNT(*) AS n FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return (this.db.prepare(sql).get(...args) as { n: number }).n;
  }

  async countEventsBy(field: 'type' | 'subType', q: Omit<EventQuery, 'limit' | 'after'>): Promise<Record<string, number>> {
    const col = field === 'type' ? 'e.type' : 'e.sub_type';
    const { from, where, args } = this.eventWhere(q);
    const sql = `SELECT ${col} AS k, COUNT(*) AS n FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY ${col} ORDER BY n DESC, k`;
    const out: Record<string, number> = {};
    for (const r of this.db.prepare(sql).all(...args) as { k: string; n: number }[]) out[r.k] = r.n;
    return out;
  }

  /** Bumped by every event write on this connection; other connections' commits show in data_version. */
  private eventsGeneration = 0;
  private columnsCache: { generation: number; dataVersion: number; columns: EventColumns } | null = null;

  /**
   * The in-memory column index of all events, built on first use (about a second per million events)
   * and rebuilt when events change, here or through another connection.
   */
  eventColumns(): EventColumns {
    const fresh = this.freshColumns();
    if (fresh) return fresh;
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    // The table is read in storage order (fast) and each event placed by day: (day, rowid) order, the
    // order of query results and cursors.
    const dayCounts = this.db.prepare('SELECT day, COUNT(*) FROM events GROUP BY day').raw().all() as [number, number][];
    const rows = this.db.prepare('SELECT day, lon, lat, type, sub_type, actor1_id, actor2_id, status, rowid FROM events').raw().iterate() as Iterable<EventColumnsInput>;
    const columns = buildEventColumnsByDay(dayCounts, rows);
    this.columnsCache = { generation: this.eventsGeneration, dataVersion, columns };
    return columns;
  }

  /** The column index if it is built and up to date, without building it. */
  private freshColumns(): EventColumns | null {
    const c = this.columnsCache;
    if (!c || c.generation !== this.eventsGeneration) return null;
    return c.dataVersion === (this.db.pragma('data_version', { simple: true }) as number) ? c.columns : null;
  }

  /** The column index answers filters on time, space, type, actors and status; text and place go to SQL. */
  private columnsFilter(q: Omit<EventQuery, 'limit' | 'after'>): EventColumnsFilter | null {
    if (q.text || q.place) return null;
    const actors = [...(q.actors ?? []), ...(q.actor ? [q.actor] : [])];
    return {
      ...(q.since ? { minDay: dayNumber(q.since) } : {}),
      ...(q.until ? { maxDay: dayNumber(q.until) } : {}),
      ...(q.bbox ? { bbox: q.bbox } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.subType ? { subType: q.subType } : {}),
      ...(q.actor || q.actors ? { actors } : {}),
      // The index's default is the store's: reviewed events only.
      ...(q.status || q.includeDrafts || q.includeRetracted ? { statuses: queryStatuses(q) } : {}),
    };
  }

  async countEventsByPeriod(period: 'day' | 'week' | 'month', q: Omit<EventQuery, 'limit' | 'after'>): Promise<PeriodCount[]> {
    const filter = this.columnsFilter(q);
    if (filter) {
      const start =
        period === 'day' ? (d: number) => d : period === 'week' ? (d: number) => d - ((d + 3) % 7) : (d: number) => dayNumber(`${fromDayNumber(d).slice(0, 7)}-01`);
      const counts = countByPeriod(this.eventColumns(), filter, start);
      return [...counts].sort((a, b) => a[0] - b[0]).map(([k, count]) => ({ start: fromDayNumber(k), count }));
    }
    const key = periodKeySql(period);
    const { from, where, args } = this.eventWhere(q);
    const sql = `SELECT ${key} AS k, COUNT(*) AS n FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY k ORDER BY k`;
    return (this.db.prepare(sql).all(...args) as { k: number; n: number }[]).map((r) => ({ start: fromDayNumber(r.k), count: r.n }));
  }

  async summarizeEventsByPeriod(period: 'day' | 'week' | 'month', q: Omit<EventQuery, 'limit' | 'after'>): Promise<PeriodSummary[]> {
    const { from, where, args } = this.eventWhere(q);
    const sql = `SELECT ${periodKeySql(period)} AS k, e.type AS type, COUNT(*) AS n, COALESCE(SUM(e.fatalities), 0) AS f FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY k, e.type ORDER BY k, e.type`;
    return (this.db.prepare(sql).all(...args) as { k: number; type: string; n: number; f: number }[]).map((r) => ({ start: fromDayNumber(r.k), type: r.type, count: r.n, fatalities: r.f }));
  }

  async countEventsByCell(cellDegrees: number, q: Omit<EventQuery, 'limit' | 'after'>): Promise<CellCount[]> {
    if (!(cellDegrees > 0 && cellDegrees <= 90)) throw new ConflictError(`a grid cell of ${cellDegrees}° is not usable: give a size between 0 and 90 degrees`);
    const filter = this.columnsFilter(q);
    if (filter) {
      return [...countByCell(this.eventColumns(), filter, cellDegrees).values()]
        .sort((a, b) => a.row - b.row || a.col - b.col)
        .map((c) => ({ col: c.col, row: c.row, lon: c.col * cellDegrees, lat: c.row * cellDegrees, count: c.count }));
    }
    const { from, where, args } = this.eventWhere(q);
    // floor() by hand: SQLite before 3.44 has no floor(), and CAST truncates towards zero.
    const fl = (x: string): string => `(CAST(${x} AS INTEGER) - (${x} < CAST(${x} AS INTEGER)))`;
    // Multiplying by the inverse (10 for 0.1°) puts points on a cell edge where people expect them.
    // It is a checked finite number, so it is safe to write into the SQL (it is used six times).
    const inverse = String(1 / Number(cellDegrees));
    const sql = `SELECT ${fl(`e.lon * ${inverse}`)} AS c, ${fl(`e.lat * ${inverse}`)} AS r, COUNT(*) AS n FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} GROUP BY c, r ORDER BY r, c`;
    return (this.db.prepare(sql).all(...args) as { c: number; r: number; n: number }[]).map((x) => ({
      col: x.c,
      row: x.r,
      lon: x.c * cellDegrees,
      lat: x.r * cellDegrees,
      count: x.n,
    }));
  }

  async sumFatalities(q: Omit<EventQuery, 'limit' | 'after'>): Promise<number> {
    const { from, where, args } = this.eventWhere(q);
    const sql = `SELECT COALESCE(SUM(e.fatalities), 0) AS n FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
    return (this.db.prepare(sql).get(...args) as { n: number }).n;
  }

  async *scanEvents(q: Omit<EventQuery, 'limit' | 'after'>, order: 'date' | 'storage' = 'date', columns?: readonly EventColumn[]): AsyncIterable<EventRow[]> {
    const { from, where, args } = this.eventWhere(q);
    const sql = `SELECT ${selectColumns(columns)} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order === 'date' ? 'e.day, e.rowid' : 'e.rowid'}`;
    let batch: EventRow[] = [];
    for (const row of this.db.prepare(sql).raw().iterate(...args)) {
      batch.push(row as EventRow);
      if (batch.length === 4096) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  async *scanEventCsv(q: Omit<EventQuery, 'limit' | 'after'>, fields: readonly EventCsvField[], order: 'date' | 'storage' = 'date'): AsyncIterable<CsvChunk> {
    const { from, where, args } = this.eventWhere(q);
    // One format() call per line (see csvFieldSql): a chain of || and replace() per field cost SQLite
    // twice as much.
    const parts = fields.map(csvFieldSql);
    const line = `format('${parts.map((p) => p.spec).join(',')}' || char(10), ${parts.flatMap((p) => p.values).join(', ')})`;
    const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const orderBy = order === 'date' ? 'e.day, e.rowid' : 'e.rowid';
    const workers = this.db.memory || this.db.inTransaction || !onlyTimeFilters(q) ? 0 : exportWorkers();
    if (workers) {
      // Parts of ~20,000 events: enough to keep a worker busy, small enough to hold a few in memory. The
      // day index alone counts them (retracted events included: a part may come out a little short). In
      // storage order, parts are ranges of rowids, read in sequence.
      const days = [q.since ? dayNumber(q.since) : -1e9, q.until ? dayNumber(q.until) : 1e9];
      let split: CsvPart[];
      let total: number;
      if (order === 'date') {
        const dayCounts = this.db.prepare('SELECT day, COUNT(*) FROM events WHERE day BETWEEN ? AND ? GROUP BY day ORDER BY day').raw().all(...days) as [number, number][];
        total = dayCounts.reduce((n, [, c]) => n + c, 0);
        split = splitByDay(dayCounts, this.parallelExport.partEvents);
      } else {
        const r = this.db.prepare('SELECT MIN(rowid) AS lo, MAX(rowid) AS hi, COUNT(*) AS n FROM events WHERE day BETWEEN ? AND ?').get(...days) as { lo: number | null; hi: number | null; n: number };
        total = r.n;
        split = [];
        if (r.lo !== null && r.hi !== null) {
          const step = Math.max(1, Math.ceil(((r.hi - r.lo + 1) / Math.max(1, r.n)) * this.parallelExport.partEvents));
          for (let a = r.lo; a <= r.hi; a += step) split.push({ from: a, to: Math.min(r.hi, a + step - 1) });
        }
      }
      if (total >= this.parallelExport.minEvents) {
        const generation = this.eventsGeneration;
        const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
        const sameState = (): boolean => generation === this.eventsGeneration && dataVersion === (this.db.pragma('data_version', { simple: true }) as number);
        const partSql = `SELECT ${line} FROM ${from} WHERE ${[...where, order === 'date' ? 'e.day BETWEEN ? AND ?' : 'e.rowid BETWEEN ? AND ?'].join(' AND ')} ORDER BY ${orderBy}`;
        const run = parallelCsv(this.db.name, partSql, args, split, workers, sameState);
        for (;;) {
          const r = await run.next();
          if (r.done) {
            if (r.value) return;
            break; // the store changed while the workers started: one connection, one snapshot
          }
          yield r.value;
        }
      }
    }
    const sql = `SELECT ${line} FROM ${from}${filter} ORDER BY ${orderBy}`;
    let chunk = '';
    let rows = 0;
    for (const text of this.db.prepare(sql).pluck().iterate(...args)) {
      chunk += text as string;
      rows++;
      if (chunk.length > 1 << 20) {
        yield { bytes: Buffer.from(neutralizeQuotedLines(chunk)), rows };
        chunk = '';
        rows = 0;
      }
    }
    if (rows) yield { bytes: Buffer.from(neutralizeQuotedLines(chunk)), rows };
  }

  async *streamEvents(q: Omit<EventQuery, 'limit' | 'after'>, pageSize = 5000): AsyncIterable<ConflictEvent> {
    let after: string | undefined;
    for (;;) {
      const page = await this.queryEvents({ ...q, limit: pageSize, ...(after ? { after } : {}) });
      yield* page.events;
      if (!page.next) return;
      after = page.next;
    }
  }

  async retractEvent(id: string, ctx: WriteContext & { reason: string }): Promise<void> {
    const e = await this.getEvent(id);
    if (!e) throw new NotFoundError(`no event "${id}"`);
    if (e.status === 'retracted') throw new ConflictError(`event "${id}" is already retracted`);
    const at = ctx.at ?? now();
    const attributes = { ...e.attributes, 'frontline:retracted_reason': ctx.reason };
    this.putEventsSync([{ ...e, status: 'retracted', attributes }], { ...ctx, at });
  }

  // ---- history -----------------------------------------------------------------------------------------

  async listAudit(q: { limit?: number; before?: string; kind?: RecordKind; by?: string } = {}): Promise<AuditEntry[]> {
    // Superseded versions live in history, current ones in their tables: the trail is both, by time.
    const cur = (kind: string, table: string, extra = ''): string => `SELECT '${kind}' AS kind, id, version, CASE WHEN version = 1 THEN 'create' ELSE 'update' END AS op, changed_at AS at, changed_by AS by, NULL AS reason FROM ${table}${extra}`;
    const union = [
      'SELECT kind, id, version, op, at, by, reason FROM history',
      "SELECT kind, id, version, CASE WHEN version = 1 THEN 'create' ELSE 'update' END, changed_at, changed_by, NULL FROM records",
      cur('event', 'events'),
      cur('place', 'places'),
      cur('control', 'control_observations'),
    ].join(' UNION ALL ');
    const where: string[] = [];
    const args: (string | number)[] = [];
    for (const [col, op, v] of [['at', '<', q.before], ['kind', '=', q.kind], ['by', '=', q.by]] as const) {
      if (v === undefined) continue;
      where.push(`${col} ${op} ?`);
      args.push(v);
    }
    const limit = Math.max(1, Math.min(10_000, q.limit ?? 100));
    const rows = this.db.prepare(`SELECT * FROM (${union})${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, kind, id, version DESC LIMIT ${limit}`).all(...args) as AuditEntry[];
    // A retraction is recorded in the record itself (its status): the current version says so.
    return rows.map((r) => ({ ...r, reason: r.reason ?? null }));
  }

  async history(kind: RecordKind, id: string): Promise<HistoryEntry[]> {
    const past = (this.db.prepare('SELECT version, op, at, by, reason, doc FROM history WHERE kind = ? AND id = ? ORDER BY version').all(kind, id) as Row[]).map(
      (r): HistoryEntry => ({
        kind,
        id,
        version: r.version as number,
        op: r.op as HistoryEntry['op'],
        at: r.at as string,
        by: r.by as string,
        reason: (r.reason as string | null) ?? null,
        record: JSON.parse(r.doc as string) as unknown,
      }),
    );
    const table: Partial<Record<RecordKind, string>> = { place: 'places', control: 'control_observations' };
    const t = table[kind];
    const current = (
      kind === 'event'
        ? this.db.prepare('SELECT version, changed_at, changed_by FROM events WHERE id = ?').get(id)
        : t
          ? this.db.prepare(`SELECT version, changed_at, changed_by, doc FROM ${t} WHERE id = ?`).get(id)
          : this.db.prepare('SELECT version, changed_at, changed_by, doc FROM records WHERE kind = ? AND id = ?').get(kind, id)
    ) as { version: number; changed_at: string; changed_by: string; doc?: string } | undefined;
    if (current) {
      const record = (kind === 'event' ? await this.getEvent(id) : JSON.parse(current.doc!)) as Record<string, unknown>;
      past.push(currentEntry(kind, id, current.version, current.changed_at, current.changed_by, record));
    }
    return past;
  }

  // ---- imports -----------------------------------------------------------------------------------------

  async beginImport(meta: ImportMeta): Promise<ImportSession> {
    if (this.db.inTransaction) throw new ConflictError('the store connection is inside a transaction (a backup being read?); start the import when it is done');
    const id = `imp-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
    const startedAt = now();
    // Staged, then published (decision 0023): the batches go to a private temporary database of their own
    // (ATTACH '': a file SQLite deletes when it is detached or the process dies), which takes no lock on
    // the store, so other writers go on while the file is read and checked. commit() then writes it all
    // to the store in one short IMMEDIATE transaction. A crash, a kill or a rollback before that leaves
    // the store exactly as it was, and nothing of a running import is visible.
    const stage = `stage_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    this.db.exec(`ATTACH DATABASE '' AS ${stage}`);
    try {
      this.db.exec(`
        CREATE TABLE ${stage}.staged_events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, line INTEGER, doc TEXT NOT NULL);
        CREATE TABLE ${stage}.staged_docs (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, doc TEXT NOT NULL);
        CREATE TABLE ${stage}.staged_rejects (seq INTEGER PRIMARY KEY, line INTEGER, field TEXT, reason TEXT, raw TEXT);`);
    } catch (err) {
      this.db.exec(`DETACH DATABASE ${stage}`);
      throw err;
    }
    const stageEvent = this.db.prepare(`INSERT INTO ${stage}.staged_events (id, line, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING`);
    const stagedLine = this.db.prepare(`SELECT line FROM ${stage}.staged_events WHERE id = ?`).pluck();
    const stageDoc = this.db.prepare(`INSERT INTO ${stage}.staged_docs (kind, doc) VALUES (?, ?)`);
    const stageReject = this.db.prepare(`INSERT INTO ${stage}.staged_rejects (line, field, reason, raw) VALUES (?, ?, ?, ?)`);
    const stored = this.db.prepare(`SELECT ${SELECT_EVENT} FROM events e WHERE e.id = ?`).raw();
    let open = true;
    let writeCtx: WriteContext = { by: meta.by };
    // The session's methods run later, outside this call: they need the store itself, not `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const store = this;
    const ensureOpen = (): void => {
      if (!open) throw new ConflictError(`import ${id} is already finished`);
    };
    const detach = (): void => {
      open = false;
      if (!store.db.open) return;
      try {
        store.db.exec(`DETACH DATABASE ${stage}`);
      } catch {
        // a statement still open on it: the temporary file goes when the connection closes
      }
    };
    /** Write what was staged to the store (inside the IMMEDIATE transaction commit() holds). */
    const publish = (counts: Record<string, number>): PutResult => {
      const result: PutResult = { created: 0, updated: 0, unchanged: 0 };
      const add = (r: PutResult): void => {
        result.created += r.created;
        result.updated += r.updated;
        result.unchanged += r.unchanged;
      };
      const startRowid = (store.db.prepare('SELECT COALESCE(MAX(rowid), 0) AS m FROM events').get() as { m: number }).m;
      // Bulk loading: when the import is at least as large as what is stored, building the secondary
      // indexes and the R*Tree once at the end beats updating them row by row. The DDL is part of the
      // transaction, so a failure puts them back as they were.
      const existing = (store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
      const bulk = (meta.expectedEvents ?? 0) >= Math.max(BULK_MIN_EVENTS, existing);
      if (bulk) {
        for (const name of EVENT_INDEX_NAMES) store.db.exec(`DROP INDEX ${name}`);
        store.db.exec('DROP TRIGGER events_rtree_insert');
      }
      const docPage = store.db.prepare(`SELECT seq, kind, doc FROM ${stage}.staged_docs WHERE seq > ? ORDER BY seq LIMIT 5000`);
      for (let after = 0; ; ) {
        const page = docPage.all(after) as { seq: number; kind: string; doc: string }[];
        if (!page.length) break;
        after = page.at(-1)!.seq;
        // Consecutive records of one kind are written together, in the order they were staged.
        for (let i = 0; i < page.length; ) {
          const kind = page[i]!.kind;
          let j = i;
          while (j < page.length && page[j]!.kind === kind) j++;
          const items = page.slice(i, j).map((r) => JSON.parse(r.doc) as never);
          if (kind === 'place') add(store.putPlacesSync(items, writeCtx));
          else if (kind === 'control') add(store.putControlSync(items, writeCtx));
          else add(store.putSmall(kind as SmallKind, items as { id: string }[], writeCtx));
          i = j;
        }
      }
      const eventPage = store.db.prepare(`SELECT seq, doc FROM ${stage}.staged_events WHERE seq > ? ORDER BY seq LIMIT 5000`);
      for (let after = 0; ; ) {
        const page = eventPage.all(after) as { seq: number; doc: string }[];
        if (!page.length) break;
        after = page.at(-1)!.seq;
        add(store.putEventsSync(page.map((r) => JSON.parse(r.doc) as ConflictEvent), writeCtx));
      }
      if (bulk) {
        for (const sql of EVENT_INDEXES) store.db.exec(sql);
        store.db.prepare(`INSERT INTO events_rtree SELECT ${EVENT_RTREE_VALUES('events')} FROM events WHERE rowid > ?`).run(startRowid);
        store.db.exec(EVENT_RTREE_INSERT_TRIGGER);
      }
      // What was written is what the record keeps (another writer may have changed a record since it was staged).
      const recorded = { ...counts };
      for (const k of ['created', 'updated', 'unchanged'] as const) if (k in recorded) recorded[k] = result[k];
      store.db
        .prepare("INSERT INTO imports (id, file, format, by, strict, started_at, finished_at, status, counts) VALUES (?, ?, ?, ?, ?, ?, ?, 'committed', ?)")
        .run(id, meta.file, meta.format, meta.by, meta.strict ? 1 : 0, startedAt, now(), JSON.stringify(recorded));
      store.db.prepare(`INSERT INTO import_rejects (import_id, line, field, reason, raw) SELECT ?, line, field, reason, raw FROM ${stage}.staged_rejects ORDER BY seq`).run(id);
      return result;
    };
    return {
      id,
      async write(batch: ImportBatch, ctx: WriteContext): Promise<ImportWriteResult> {
        ensureOpen();
        writeCtx = ctx;
        // Counts as the store stands now; commit() returns (and records) what it finally wrote.
        const total: ImportWriteResult = { created: 0, updated: 0, unchanged: 0, duplicateEvents: [] };
        // A transaction on the staging database alone: the store itself is neither locked nor written.
        store.db.transaction(() => {
          const docs: [string, readonly unknown[] | undefined][] = [
            ['place', batch.places], ['zone', batch.zones], ['control-area', batch.controlAreas], ['boundary', batch.boundaries], ['document', batch.documents], ['control', batch.control],
          ];
          for (const [kind, items] of docs) for (const item of items ?? []) stageDoc.run(kind, JSON.stringify(item));
          const events = batch.events ?? [];
          for (let i = 0; i < events.length; i++) {
            const e = events[i]!;
            const line = e.provenance?.kind === 'file' ? (e.provenance.line ?? null) : null;
            if (stageEvent.run(e.id, line, JSON.stringify(e)).changes === 0) {
              total.duplicateEvents.push({ index: i, firstLine: (stagedLine.get(e.id) as number | null) ?? null });
              continue;
            }
            const old = stored.get(e.id) as EventRow | undefined;
            if (!old) total.created++;
            else if (sameEventRow(old, eventToRow(e, dayNumber(e.date)))) total.unchanged++;
            else total.updated++;
          }
          for (const r of batch.rejects ?? []) stageReject.run(r.line, r.field, r.reason, r.raw);
        })();
        return total;
      },
      async commit(counts: Record<string, number>): Promise<PutResult> {
        ensureOpen();
        try {
          return await store.retryingBusy(() => store.db.transaction(publish).immediate(counts));
        } finally {
          detach();
        }
      },
      async rollback(): Promise<void> {
        if (!open) return;
        detach();
      },
    };
  }

  async listImports(): Promise<ImportRecord[]> {
    return (this.db.prepare('SELECT * FROM imports ORDER BY started_at, id').all() as Row[]).map((r) => ({
      id: r.id as string,
      file: r.file as string,
      format: r.format as string,
      by: r.by as string,
      strict: r.strict === 1,
      startedAt: r.started_at as string,
      finishedAt: (r.finished_at as string | null) ?? null,
      status: r.status as ImportRecord['status'],
      counts: JSON.parse(r.counts as string) as Record<string, number>,
    }));
  }

  async listRejects(importId: string): Promise<ImportReject[]> {
    return this.db.prepare('SELECT line, field, reason, raw FROM import_rejects WHERE import_id = ? ORDER BY line, rowid').all(importId) as ImportReject[];
  }

  async schemaVersion(): Promise<number> {
    return (this.db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  }

  async *dumpTables(): AsyncIterable<TableChunk> {
    // A read transaction is the snapshot: WAL lets writers on other connections go on meanwhile.
    const own = !this.db.inTransaction;
    if (own) this.db.exec('BEGIN');
    try {
      for (const table of TABLE_ORDER) {
        const cols = BACKUP_TABLES[table];
        const bool = BOOLEAN_COLUMNS[table];
        const b = bool ? cols.indexOf(bool as never) : -1;
        const order = DUMP_ORDER[table] ?? 'rowid';
        let rows: unknown[][] = [];
        for (const r of this.db.prepare(`SELECT ${cols.join(', ')} FROM ${table} ORDER BY ${order}`).raw().iterate() as Iterable<unknown[]>) {
          if (b >= 0) r[b] = r[b] === 1;
          rows.push(r);
          if (rows.length === 5000) {
            yield { table, rows };
            rows = [];
          }
        }
        if (rows.length) yield { table, rows };
      }
    } finally {
      if (own && this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  async restoreTables(chunks: AsyncIterable<TableChunk>): Promise<Record<string, number>> {
    if (this.db.inTransaction) throw new ConflictError('the store is busy with an import: restore into it when that is done');
    const held = this.db.prepare('SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM places) + (SELECT COUNT(*) FROM records) + (SELECT COUNT(*) FROM history) AS n').get() as { n: number };
    if (held.n) throw new ConflictError(`${this.db.name} already holds records: restore into a new, empty store (give another --db)`);
    const counts: Record<string, number> = {};
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const inserts = new Map<BackupTable, Database.Statement>();
      const addName = this.db.prepare('INSERT INTO place_names (folded, place_rowid) VALUES (?, ?)');
      const rtree = this.db.prepare('INSERT INTO places_rtree VALUES (?, ?, ?, ?, ?)');
      for await (const { table, rows } of chunks) {
        const cols = BACKUP_TABLES[table];
        if (!inserts.has(table)) inserts.set(table, this.db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`));
        const ins = inserts.get(table)!;
        const bool = BOOLEAN_COLUMNS[table];
        const b = bool ? cols.indexOf(bool as never) : -1;
        for (const r of rows) {
          const values = b >= 0 ? r.map((v, i) => (i === b ? (v ? 1 : 0) : v)) : r;
          const info = ins.run(...values);
          if (table === 'places') {
            // Derived: the folded spellings and the R*Tree entry, as putPlaces makes them.
            const p = JSON.parse(r[10] as string) as Place;
            const rowid = Number(info.lastInsertRowid);
            for (const key of new Set([p.name, ...p.names].map(foldName))) if (key) addName.run(key, rowid);
            rtree.run(rowid, p.lon, p.lon, p.lat, p.lat);
          }
        }
        counts[table] = (counts[table] ?? 0) + rows.length;
      }
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.eventsGeneration++;
    }
    return counts;
  }

  async getMeta(key: string): Promise<string | null> {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value ?? null;
  }
  async setMeta(key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Text columns the events table declares NOT NULL: read as they are (format() writes NULL as "(NULL)"). */
const NOT_NULL_TEXT = new Set(['id', 'date', 'type', 'sub_type', 'actor1', 'assoc_actor1', 'actor2', 'assoc_actor2', 'country', 'admin1', 'admin2', 'admin3', 'location', 'notes', 'tags', 'status']);

/**
 * One CSV field as an SQL expression that is never NULL, put into its line by format() in scanEventCsv.
 * Column names come from the field spec, never from users, and are checked; string literals are escaped.
 */

function csvValueSql(f: EventCsvField): string {
  let x: string;
  if ('column' in f) {
    if (!(EVENT_COLUMNS as readonly string[]).includes(f.column)) throw new ConflictError(`no event column "${f.column}"`);
    // REAL columns: SQLite would write 35.0 where JavaScript writes 35.
    x =
      f.column === 'lon' || f.column === 'lat'
        ? `(CASE WHEN e.${f.column} = CAST(e.${f.column} AS INTEGER) THEN CAST(CAST(e.${f.column} AS INTEGER) AS TEXT) ELSE CAST(e.${f.column} AS TEXT) END)`
        : NOT_NULL_TEXT.has(f.column)
          ? `e.${f.column}`
          : `COALESCE(CAST(e.${f.column} AS TEXT), '')`;
    if (f.markDrafts !== undefined) x = `(CASE WHEN e.status = 'draft' THEN ${sqlString(f.markDrafts)} || ${x} ELSE ${x} END)`;
  } else if ('idIn' in f) {
    x = `(CASE WHEN e.origin_format = ${sqlString(f.idIn)} THEN e.origin_id ELSE e.id END)`;
  } else if ('attribute' in f) {
    x = `COALESCE(json_extract(e.attributes, ${sqlString(`$."${f.attribute.replace(/"/g, '')}"`)}), '')`;
  } else if ('sourceNames' in f) {
    x = `(CASE json_array_length(e.sources) WHEN 0 THEN '' WHEN 1 THEN COALESCE(e.sources ->> '$[0].name', '') ELSE COALESCE((SELECT group_concat(json_extract(value, '$.name'), ${sqlString(f.sourceNames)}) FROM json_each(e.sources)), '') END)`;
  } else if ('sourceScale' in f) {
    // The first source's scale is nearly always there; only without it are the others searched.
    x = `COALESCE(e.sources ->> '$[0].scale', (SELECT value ->> 'scale' FROM json_each(e.sources) WHERE value ->> 'scale' IS NOT NULL LIMIT 1), '')`;
  } else if ('date' in f) {
    x = 'substr(e.date, 1, 4)';
  } else {
    x = "(CASE e.date_precision WHEN 'day' THEN '1' WHEN 'week' THEN '2' ELSE '3' END)";
  }
  return x;
}

/** The first day of an event's period, as SQL. Day 0 (1970-01-01) was a Thursday: (day + 3) mod 7 is the number of days since Monday. */
function periodKeySql(period: 'day' | 'week' | 'month'): string {
  return period === 'day' ? 'e.day' : period === 'week' ? 'e.day - (((e.day + 3) % 7) + 7) % 7' : "CAST(julianday(date(e.day * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER)";
}

/** An export filtered on time (and status) only: the large ones, which worker threads write. */
function onlyTimeFilters(q: Omit<EventQuery, 'limit' | 'after'>): boolean {
  const timeOnly = new Set(['since', 'until', 'status', 'includeDrafts', 'includeRetracted']);
  return Object.entries(q).every(([k, v]) => v === undefined || timeOnly.has(k));
}

/** Month names padded to nine characters, for substr(): one call where a CASE tried up to twelve. */
const MONTHS_PADDED = MONTH_NAMES.map((m) => m.padEnd(9)).join('');

/**
 * One field of a line for format(): its conversion and the SQL giving its values. Dates, codes, numbers
 * and ids (letters, digits and _ . : - / only) go as they are; text goes in "%w", which doubles its
 * double quotes: text is always quoted, empty text as "". Text that a spreadsheet would run as a formula
 * gets its leading quote afterwards, on whole chunks of lines (neutralizeQuotedLines, in scanEventCsv
 * and the export's workers): a CASE per text field made SQLite's lines 30–50% slower, the pass over the
 * chunks costs about a tenth (300,000 rows, decision 0027).
 */
function csvFieldSql(f: EventCsvField): { spec: string; values: string[] } {
  if ('date' in f && f.date === 'acled') {
    // "18 June 2017": the day without its leading zero, the month's name, the year.
    return { spec: '%d %s %s', values: ['CAST(substr(e.date, 9, 2) AS INTEGER)', `rtrim(substr('${MONTHS_PADDED}', substr(e.date, 6, 2) * 9 - 8, 9))`, 'substr(e.date, 1, 4)'] };
  }
  const bare = 'date' in f || 'precision' in f || 'idIn' in f || ('column' in f && ['id', 'lon', 'lat', 'geo_precision', 'fatalities', 'fatalities_low', 'fatalities_high', 'day'].includes(f.column));
  return { spec: bare ? '%s' : '"%w"', values: [csvValueSql(f)] };
}
