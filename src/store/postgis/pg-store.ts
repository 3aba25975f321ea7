/**
 * The team store: PostgreSQL + PostGIS through node-postgres (a pool of connections). It keeps the same
 * tables as the SQLite store and passes the same contract suite; what differs is concurrency. Several
 * servers and commands write at once, so every write runs in a transaction that locks the rows it
 * reads (SELECT … FOR UPDATE) before deciding create, update or unchanged, and a version check cannot
 * race another writer. Values always travel as parameters, never inside SQL text.
 */
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { dayNumber, fromDayNumber } from '../../core/dates.js';
import { ConflictError, isLockConflict, NotFoundError, UnavailableError, UsageError } from '../../core/errors.js';
import { foldName } from '../../core/names.js';
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
  StabilizationKind,
  Store,
  WriteContext,
} from '../store.js';
import { EVENT_COLUMNS, eventCsvLineWriter, selectColumns, type EventColumn, eventToRow, PROVENANCE_INDEX, rowToEvent, sameEventRow, SELECT_EVENT, type EventCsvField, type EventRow } from '../event-row.js';
import { decodeCursor, pageOf } from '../event-cursor.js';
import { queryStatuses } from '../event-status.js';
import { currentEntry, unchanged } from '../record-versions.js';
import { PG_MIGRATIONS } from './migrations.js';
import { BACKUP_TABLES, DUMP_ORDER, TABLE_ORDER, type TableChunk } from '../backup-format.js';

type SmallKind = 'actor' | 'bloc' | 'zone' | 'document' | 'objective' | 'scenario' | 'control-area' | 'boundary' | StabilizationKind;
type EventFilter = Omit<EventQuery, 'limit' | 'after'>;
/** Something that runs a query: the pool (one statement, its own transaction) or a client inside one. */
type Db = pg.Pool | pg.PoolClient;

const now = (): string => new Date().toISOString();

/** 64-bit integers (counts, sequence numbers) come back as numbers: they stay far below 2^53 here. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** The PostgreSQL type of each event column, for inserting many rows as arrays (unnest). */
const EVENT_PG_TYPES = EVENT_COLUMNS.map((c) => (['day', 'geo_precision', 'fatalities', 'fatalities_low', 'fatalities_high'].includes(c) ? 'int4' : c === 'lon' || c === 'lat' ? 'float8' : 'text'));

const GUARDED = new WeakSet<pg.PoolClient>();

/** The first day of an event's period, as SQL. Day 0 (1970-01-01) was a Thursday: (day + 3) mod 7 is the number of days since Monday. */
function periodKeySql(period: 'day' | 'week' | 'month'): string {
  return period === 'day' ? 'e.day' : period === 'week' ? 'e.day - (((e.day + 3) % 7) + 7) % 7' : "(date_trunc('month', DATE '1970-01-01' + e.day)::date - DATE '1970-01-01')";
}

/** Rows per multi-row insert: large enough to amortise the round trip, small enough for one message. */
const INSERT_BATCH = 5000;

export interface PgStoreOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** Apply migrations on open (default true). */
  migrate?: boolean;
  /**
   * How long (ms) one read of events (a page, a count, a scan's statement) may run before PostgreSQL
   * cancels it (statement_timeout, default 30,000); the caller then gets an UnavailableError (503).
   * Writes and imports are not limited.
   */
  readTimeoutMs?: number;
}

/** The default statement_timeout of event reads (ms). */
export const PG_READ_TIMEOUT_MS = 30_000;

/**
 * How API and command writes wait for other writers on PostgreSQL: each transaction waits at most
 * `lockTimeoutMs` for a lock (lock_timeout); a lock timeout, deadlock or serialization failure is tried
 * again after ~`backoffMs` (doubling, jittered), `attempts` times in all, then UnavailableError → 503.
 * An import's own long transaction is not limited: it waits for the short ones.
 */
export interface LockPolicy {
  lockTimeoutMs: number;
  attempts: number;
  backoffMs: number;
}
export const LOCK_DEFAULTS: LockPolicy = { lockTimeoutMs: 2000, attempts: 3, backoffMs: 50 };

/** Open (and migrate) the store at a postgres:// URL. */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: TYPES, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  // An idle connection dropped by a restarting server must not crash the process: the next query
  // opens a new one (or answers "unavailable" while the server is away).
  pool.on('error', () => undefined);
  // Event reads go through a pool of their own whose connections carry a statement_timeout: a read that
  // runs too long is cancelled by the server, and writes (imports, index builds) are never cut short.
  const readTimeoutMs = options.readTimeoutMs ?? PG_READ_TIMEOUT_MS;
  const reads = new pg.Pool({ connectionString: url, max: Math.max(2, Math.ceil((options.max ?? 10) / 2)), types: TYPES, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, statement_timeout: readTimeoutMs });
  reads.on('error', () => undefined);
  const store = new PgStore(pool, redactUrl(url), reads, readTimeoutMs);
  try {
    if (options.migrate ?? true) await store.migrate();
  } catch (err) {
    await store.close();
    const code = (err as { code?: string }).code;
    const where = store.location;
    if (code === '3D000') throw new UsageError(`${where}: no such database; create it first (createdb NAME, as a PostgreSQL user who may)`);
    if (code === '28P01' || code === '28000') throw new UsageError(`${where}: PostgreSQL refused the user or password in the URL`);
    if (code === '42501' || code === '58P01' || code === '0A000') throw new UsageError(`${where}: PostGIS is not installed in this database, and this user may not install it: as a superuser, run CREATE EXTENSION postgis in it (Debian: apt install postgresql-15-postgis-3)`);
    throw err;
  }
  return store;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Errors that mean the server is away or restarting, not that the request was wrong. */
function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && (/^(08|57P)/.test(e.code) || ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(e.code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/.test(e?.message ?? '');
}

function translate(err: unknown, where: string): never {
  // 57014: cancelled by statement_timeout (event reads): the server is not broken, the read was too long.
  if ((err as { code?: string })?.code === '57014') throw new UnavailableError(`the read ran past its time limit on the PostgreSQL server at ${where} and was cancelled: ask for less (a shorter date range, a box, a type or an actor), or try again when the server is less busy`);
  if (isUnavailable(err)) throw new UnavailableError(`the PostgreSQL server at ${where} cannot be reached just now (${(err as Error).message}); try again in a moment`);
  throw err;
}

export class PgStore implements Store {
  readonly kind = 'postgis';
  readonly pool: pg.Pool;
  /** Where the store is, for people (the URL without its password). */
  readonly location: string;

  /** The pool event reads use (statement_timeout set on its connections). */
  readonly reads: pg.Pool;
  readonly readTimeoutMs: number;

  constructor(pool: pg.Pool, location: string, reads: pg.Pool = pool, readTimeoutMs = PG_READ_TIMEOUT_MS) {
    this.pool = pool;
    this.location = location;
    this.reads = reads;
    this.readTimeoutMs = readTimeoutMs;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
    if (this.reads !== this.pool) await this.reads.end().catch(() => undefined);
  }

  /** One statement through the pool (or a client), its errors made into what a user can act on. */
  private async q<R extends pg.QueryResultRow = Record<string, unknown>>(db: Db, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await db.query<R>(text, values);
    } catch (err) {
      translate(err, this.location);
    }
  }

  private async rows(db: Db, text: string, values: unknown[] = []): Promise<EventRow[]> {
    try {
      return (await db.query<EventRow>({ text, values, rowMode: 'array' })).rows;
    } catch (err) {
      translate(err, this.location);
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      const c = await this.pool.connect();
      // A connection that dies while checked out (between two statements of a transaction) emits
      // 'error'; unheard, that would end the process. The statement that follows fails and says so.
      if (!GUARDED.has(c)) {
        c.on('error', () => undefined);
        GUARDED.add(c);
      }
      return c;
    } catch (err) {
      translate(err, this.location);
    }
  }

  /** How a write transaction waits for other writers' locks (docs/server.md, "Limits"). */
  lockPolicy: LockPolicy = { ...LOCK_DEFAULTS };

  /**
   * Run `fn` in a transaction of its own, or in the one `within` holds (an import's). It waits at most
   * `lockTimeoutMs` for a row another transaction holds (lock_timeout); that, a deadlock or a
   * serialization failure rolls it back, and it is tried again after a short pause, `attempts` times in
   * all; then UnavailableError (503 with Retry-After: 1), never a 500.
   */
  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>, within?: pg.PoolClient): Promise<T> {
    if (within) return fn(within);
    const { lockTimeoutMs, attempts, backoffMs } = this.lockPolicy;
    for (let attempt = 1; ; attempt++) {
      const c = await this.connect();
      let broken = false;
      let conflict: unknown;
      try {
        await this.q(c, `BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
        const out = await fn(c);
        await this.q(c, 'COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => (broken = true));
        if (!isLockConflict(err)) {
          if (isUnavailable(err)) broken = true;
          throw err instanceof UnavailableError || !isUnavailable(err) ? err : translate(err, this.location);
        }
        conflict = err;
      } finally {
        c.release(broken);
      }
      // Rolled back and the connection given back: pause (jittered, so two writers do not meet again), retry.
      if (attempt >= attempts) {
        const code = (conflict as { code?: string }).code;
        const what = code === '55P03' ? `another writer held a lock it needs for more than ${lockTimeoutMs / 1000} s` : code === '40P01' ? 'it deadlocked with another writer' : 'it clashed with another writer';
        throw new UnavailableError(`the store is busy: ${what}, ${attempts} times; nothing was written, try again in a moment`, 1);
      }
      await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
    }
  }

  async migrate(): Promise<number[]> {
    return this.tx(async (c) => {
      // One migrator at a time, whichever process starts first.
      await this.q(c, 'SELECT pg_advisory_xact_lock(727274)');
      await this.q(c, 'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)');
      const applied = new Set((await this.q<{ version: number }>(c, 'SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const known = Math.max(...PG_MIGRATIONS.map((m) => m.version));
      const newest = Math.max(0, ...applied);
      if (newest > known) throw new ConflictError(`this database was written by a newer Frontline (schema ${newest}, this one knows ${known}): upgrade Frontline`);
      const done: number[] = [];
      for (const m of PG_MIGRATIONS) {
        if (applied.has(m.version)) continue;
        await this.q(c, m.sql);
        await this.q(c, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now()]);
        done.push(m.version);
      }
      return done;
    });
  }

  // ---- versioned writes --------------------------------------------------------------------------------

  private async archive(c: Db, kind: RecordKind, id: string, version: number, op: HistoryEntry['op'], at: string, by: string, reason: string | null, doc: string): Promise<void> {
    await this.q(c, 'INSERT INTO history (kind, id, version, op, at, by, reason, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [kind, id, version, op, at, by, reason, doc]);
  }

  /** Optimistic concurrency: the record is locked, then its version compared with the one its writer read. */
  private async checkVersion(c: Db, kind: RecordKind, items: readonly { id: string }[], expected: number, lockSql: string, args: (id: string) => unknown[]): Promise<void> {
    if (items.length !== 1) throw new ConflictError(`a version check needs exactly one ${kind} record (got ${items.length})`);
    const r = await this.q<{ version: number }>(c, lockSql, args(items[0]!.id));
    const current = r.rows[0]?.version ?? 0;
    if (current !== expected) throw new ConflictError(`${kind} "${items[0]!.id}" is at version ${current}, not ${expected} as read: someone else changed it; reload it and edit again`);
  }

  private putSmall<T extends { id: string }>(kind: SmallKind, items: T[], ctx: WriteContext, within?: pg.PoolClient): Promise<PutResult> {
    const at = ctx.at ?? now();
    return this.tx(async (c) => {
      if (ctx.expectVersion !== undefined) await this.checkVersion(c, kind, items, ctx.expectVersion, 'SELECT version FROM records WHERE kind = $1 AND id = $2 FOR UPDATE', (id) => [kind, id]);
      const result: PutResult = { created: 0, updated: 0, unchanged: 0 };
      for (const item of items) {
        const doc = JSON.stringify(item);
        const ins = await this.q(c, 'INSERT INTO records (kind, id, version, changed_at, changed_by, doc) VALUES ($1, $2, 1, $3, $4, $5) ON CONFLICT (kind, id) DO NOTHING', [kind, item.id, at, ctx.by, doc]);
        if (ins.rowCount === 1) {
          result.created++;
          continue;
        }
        const old = (await this.q<{ version: number; changed_at: string; changed_by: string; doc: string }>(c, 'SELECT version, changed_at, changed_by, doc FROM records WHERE kind = $1 AND id = $2 FOR UPDATE', [kind, item.id])).rows[0]!;
        if (unchanged(old.doc, doc, item)) {
          result.unchanged++;
          continue;
        }
        await this.archive(c, kind, item.id, old.version, old.version === 1 ? 'create' : 'update', old.changed_at, old.changed_by, null, old.doc);
        await this.q(c, 'UPDATE records SET version = $3, changed_at = $4, changed_by = $5, doc = $6 WHERE kind = $1 AND id = $2', [kind, item.id, old.version + 1, at, ctx.by, doc]);
        result.updated++;
      }
      return result;
    }, within);
  }

  private async listSmall<T>(kind: SmallKind): Promise<T[]> {
    return (await this.q<{ doc: string }>(this.pool, 'SELECT doc FROM records WHERE kind = $1 ORDER BY id', [kind])).rows.map((r) => JSON.parse(r.doc) as T);
  }

  private async getSmall<T>(kind: SmallKind, id: string): Promise<T | null> {
    const r = (await this.q<{ doc: string }>(this.pool, 'SELECT doc FROM records WHERE kind = $1 AND id = $2', [kind, id])).rows[0];
    return r ? (JSON.parse(r.doc) as T) : null;
  }

  /** One area's records, read by the area in their JSON (these kinds stay small). */
  private async listByArea<T>(kind: SmallKind, area?: string): Promise<T[]> {
    if (area === undefined) return this.listSmall(kind);
    return (await this.q<{ doc: string }>(this.pool, "SELECT doc FROM records WHERE kind = $1 AND (doc::jsonb ->> 'area') = $2 ORDER BY id", [kind, area])).rows.map((r) => JSON.parse(r.doc) as T);
  }

  putActors(actors: Actor[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('actor', actors, ctx);
  }
  listActors(): Promise<Actor[]> {
    return this.listSmall('actor');
  }
  putBlocs(blocs: Bloc[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('bloc', blocs, ctx);
  }
  listBlocs(): Promise<Bloc[]> {
    return this.listSmall('bloc');
  }
  putZones(zones: Zone[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('zone', zones, ctx);
  }
  listZones(): Promise<Zone[]> {
    return this.listSmall('zone');
  }
  putControlAreas(areas: ControlArea[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('control-area', areas, ctx);
  }
  listControlAreas(): Promise<ControlArea[]> {
    return this.listSmall('control-area');
  }
  putBoundaries(boundaries: Boundary[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('boundary', boundaries, ctx);
  }
  listBoundaries(): Promise<Boundary[]> {
    return this.listSmall('boundary');
  }
  putDocuments(docs: SourceDocument[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('document', docs, ctx);
  }
  getDocument(id: string): Promise<SourceDocument | null> {
    return this.getSmall('document', id);
  }
  putObjectives(objectives: Objective[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('objective', objectives, ctx);
  }
  listObjectives(): Promise<Objective[]> {
    return this.listSmall('objective');
  }
  putScenarios(scenarios: Scenario[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('scenario', scenarios, ctx);
  }
  listScenarios(): Promise<Scenario[]> {
    return this.listSmall('scenario');
  }
  putStabilizationAreas(areas: StabilizationArea[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('stabilization-area', areas, ctx);
  }
  listStabilizationAreas(): Promise<StabilizationArea[]> {
    return this.listSmall('stabilization-area');
  }
  putIndicators(indicators: Indicator[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('indicator', indicators, ctx);
  }
  listIndicators(area?: string): Promise<Indicator[]> {
    return this.listByArea('indicator', area);
  }
  putProjects(projects: Project[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('project', projects, ctx);
  }
  listProjects(area?: string): Promise<Project[]> {
    return this.listByArea('project', area);
  }
  putCouncils(councils: Council[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('council', councils, ctx);
  }
  listCouncils(area?: string): Promise<Council[]> {
    return this.listByArea('council', area);
  }
  putUsers(users: User[], ctx: WriteContext): Promise<PutResult> {
    return this.putSmall('user', users, ctx);
  }
  listUsers(): Promise<User[]> {
    return this.listSmall('user');
  }
  getUser(id: string): Promise<User | null> {
    return this.getSmall('user', id);
  }

  async createSession(x: { tokenHash: string; user: string; csrf: string; expiresAt: string }): Promise<void> {
    await this.q(this.pool, 'INSERT INTO auth_sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [x.tokenHash, x.user, x.csrf, now(), x.expiresAt]);
  }
  async getSession(tokenHash: string): Promise<{ user: string; csrf: string; expiresAt: string } | null> {
    const r = await this.q<{ user: string; csrf: string; expiresAt: string }>(this.pool, 'SELECT user_id AS "user", csrf, expires_at AS "expiresAt" FROM auth_sessions WHERE token_hash = $1', [tokenHash]);
    return r.rows[0] ?? null;
  }
  async deleteSessions(q: { tokenHash?: string; user?: string }): Promise<number> {
    if (q.tokenHash) return (await this.q(this.pool, 'DELETE FROM auth_sessions WHERE token_hash = $1', [q.tokenHash])).rowCount ?? 0;
    if (q.user) return (await this.q(this.pool, 'DELETE FROM auth_sessions WHERE user_id = $1', [q.user])).rowCount ?? 0;
    return 0;
  }
  async createToken(t: { tokenHash: string; user: string; name: string }): Promise<void> {
    await this.q(this.pool, 'INSERT INTO auth_tokens (token_hash, user_id, name, created_at) VALUES ($1, $2, $3, $4)', [t.tokenHash, t.user, t.name, now()]);
  }
  async getToken(tokenHash: string): Promise<{ user: string; name: string; revokedAt: string | null } | null> {
    const r = await this.q<{ user: string; name: string; revokedAt: string | null }>(this.pool, 'SELECT user_id AS "user", name, revoked_at AS "revokedAt" FROM auth_tokens WHERE token_hash = $1', [tokenHash]);
    return r.rows[0] ?? null;
  }
  async revokeTokens(q: { tokenHash?: string; user?: string }): Promise<number> {
    if (q.tokenHash) return (await this.q(this.pool, 'UPDATE auth_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL', [now(), q.tokenHash])).rowCount ?? 0;
    if (q.user) return (await this.q(this.pool, 'UPDATE auth_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [now(), q.user])).rowCount ?? 0;
    return 0;
  }

  async setRelations(relations: Relation[], ctx: WriteContext): Promise<void> {
    const at = ctx.at ?? now();
    await this.tx(async (c) => {
      await this.q(c, 'LOCK TABLE relations IN EXCLUSIVE MODE');
      const old = (await this.q<{ doc: string }>(c, 'SELECT doc FROM relations ORDER BY seq')).rows;
      const oldDoc = JSON.stringify(old.map((r) => JSON.parse(r.doc) as unknown));
      const newDoc = JSON.stringify(relations);
      if (oldDoc === newDoc) return;
      const version = (await this.q<{ v: number }>(c, "SELECT COALESCE(MAX(version), 0) AS v FROM history WHERE kind = 'bloc' AND id = '@relations'")).rows[0]!.v + 1;
      // The set of relations is versioned as one record, '@relations', in the history of blocs.
      await this.archive(c, 'bloc', '@relations', version, version === 1 ? 'create' : 'update', at, ctx.by, ctx.reason ?? null, newDoc);
      await this.q(c, 'DELETE FROM relations');
      if (relations.length) await this.q(c, 'INSERT INTO relations (doc) SELECT doc FROM unnest($1::text[]) WITH ORDINALITY AS t(doc, n) ORDER BY n', [relations.map((r) => JSON.stringify(r))]);
    });
  }
  async listRelations(): Promise<Relation[]> {
    return (await this.q<{ doc: string }>(this.pool, 'SELECT doc FROM relations ORDER BY seq')).rows.map((r) => JSON.parse(r.doc) as Relation);
  }

  // ---- places ------------------------------------------------------------------------------------------

  putPlaces(places: Place[], ctx: WriteContext, within?: pg.PoolClient): Promise<PutResult> {
    const at = ctx.at ?? now();
    return this.tx(async (c) => {
      const result: PutResult = { created: 0, updated: 0, unchanged: 0 };
      const indexNames = async (seq: number, p: Place): Promise<void> => {
        await this.q(c, 'DELETE FROM place_names WHERE place_seq = $1', [seq]);
        const keys = [...new Set([p.name, ...p.names].map(foldName))].filter(Boolean);
        if (keys.length) await this.q(c, 'INSERT INTO place_names (folded, place_seq) SELECT unnest($1::text[]), $2', [keys, seq]);
      };
      if (ctx.expectVersion !== undefined) await this.checkVersion(c, 'place', places, ctx.expectVersion, 'SELECT version FROM places WHERE id = $1 FOR UPDATE', (id) => [id]);
      for (const p of places) {
        const doc = JSON.stringify(p);
        const ins = await this.q<{ seq: number }>(
          c,
          'INSERT INTO places (id, name, kind, country, lon, lat, population, version, changed_at, changed_by, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING seq',
          [p.id, p.name, p.kind, p.country ?? null, p.lon, p.lat, p.population, at, ctx.by, doc],
        );
        if (ins.rows[0]) {
          await indexNames(ins.rows[0].seq, p);
          result.created++;
          continue;
        }
        const old = (await this.q<{ seq: number; version: number; changed_at: string; changed_by: string; doc: string }>(c, 'SELECT seq, version, changed_at, changed_by, doc FROM places WHERE id = $1 FOR UPDATE', [p.id])).rows[0]!;
        if (unchanged(old.doc, doc, p)) {
          result.unchanged++;
          continue;
        }
        await this.archive(c, 'place', p.id, old.version, old.version === 1 ? 'create' : 'update', old.changed_at, old.changed_by, null, old.doc);
        await this.q(c, 'UPDATE places SET name = $1, kind = $2, country = $3, lon = $4, lat = $5, population = $6, version = $7, changed_at = $8, changed_by = $9, doc = $10 WHERE seq = $11', [
          p.name, p.kind, p.country ?? null, p.lon, p.lat, p.population, old.version + 1, at, ctx.by, doc, old.seq,
        ]);
        await indexNames(old.seq, p);
        result.updated++;
      }
      return result;
    }, within);
  }

  async getPlace(id: string): Promise<Place | null> {
    const r = (await this.q<{ doc: string }>(this.pool, 'SELECT doc FROM places WHERE id = $1', [id])).rows[0];
    return r ? (JSON.parse(r.doc) as Place) : null;
  }

  async listPlaces(q: PlaceQuery = {}): Promise<Place[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const p = (v: unknown): string => `$${args.push(v)}`;
    if (q.bbox) where.push(`p.geom && ST_MakeEnvelope(${p(q.bbox[0])}, ${p(q.bbox[1])}, ${p(q.bbox[2])}, ${p(q.bbox[3])}, 4326)`);
    if (q.country) where.push(`p.country = ${p(q.country)}`);
    if (q.kind) where.push(`p.kind = ${p(q.kind)}`);
    if (q.name) {
      // Exact folded match, or a prefix: "Deir" finds Deir ez-Zor and Deir Hafer.
      const key = foldName(q.name);
      where.push(`p.seq IN (SELECT place_seq FROM place_names WHERE folded = ${p(key)} OR folded LIKE ${p(`${key.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)})`);
    }
    const sql = `SELECT p.doc FROM places p${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY p.population IS NULL, p.population DESC, p.id LIMIT ${p(q.limit ?? 100_000)}`;
    return (await this.q<{ doc: string }>(this.pool, sql, args)).rows.map((r) => JSON.parse(r.doc) as Place);
  }

  // ---- control -----------------------------------------------------------------------------------------

  putControlObservations(obs: ControlObservation[], ctx: WriteContext, within?: pg.PoolClient): Promise<PutResult> {
    const at = ctx.at ?? now();
    return this.tx(async (c) => {
      const result: PutResult = { created: 0, updated: 0, unchanged: 0 };
      if (ctx.expectVersion !== undefined) await this.checkVersion(c, 'control', obs, ctx.expectVersion, 'SELECT version FROM control_observations WHERE id = $1 FOR UPDATE', (id) => [id]);
      for (const o of obs) {
        if (!(await this.q(c, 'SELECT 1 FROM places WHERE id = $1', [o.place])).rowCount) throw new NotFoundError(`control observation ${o.id}: place "${o.place}" is not in the store; import the place first`);
        const doc = JSON.stringify(o);
        const retracted = Boolean(o.retracted);
        const ins = await this.q(
          c,
          'INSERT INTO control_observations (id, place, actor, status, from_date, confidence, retracted, version, changed_at, changed_by, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10) ON CONFLICT (id) DO NOTHING',
          [o.id, o.place, o.actor, o.status, o.from, o.confidence, retracted, at, ctx.by, doc],
        );
        if (ins.rowCount === 1) {
          result.created++;
          continue;
        }
        const old = (await this.q<{ seq: number; version: number; changed_at: string; changed_by: string; doc: string }>(c, 'SELECT seq, version, changed_at, changed_by, doc FROM control_observations WHERE id = $1 FOR UPDATE', [o.id])).rows[0]!;
        if (unchanged(old.doc, doc, o)) {
          result.unchanged++;
          continue;
        }
        await this.archive(c, 'control', o.id, old.version, old.version === 1 ? 'create' : 'update', old.changed_at, old.changed_by, null, old.doc);
        await this.q(c, 'UPDATE control_observations SET place = $1, actor = $2, status = $3, from_date = $4, confidence = $5, retracted = $6, version = $7, changed_at = $8, changed_by = $9, doc = $10 WHERE seq = $11', [
          o.place, o.actor, o.status, o.from, o.confidence, retracted, old.version + 1, at, ctx.by, doc, old.seq,
        ]);
        result.updated++;
      }
      return result;
    }, within);
  }

  async listControlObservations(q: ControlQuery = {}): Promise<ControlObservation[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.place) where.push(`place = $${args.push(q.place)}`);
    if (q.until) where.push(`from_date <= $${args.push(q.until)}`);
    if (!q.includeRetracted) where.push('NOT retracted');
    const sql = `SELECT doc FROM control_observations${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY from_date, id`;
    return (await this.q<{ doc: string }>(this.pool, sql, args)).rows.map((r) => JSON.parse(r.doc) as ControlObservation);
  }

  async retractControlObservation(id: string, ctx: WriteContext & { reason: string }): Promise<void> {
    const at = ctx.at ?? now();
    await this.tx(async (c) => {
      const r = (await this.q<{ doc: string }>(c, 'SELECT doc FROM control_observations WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!r) throw new NotFoundError(`no control observation "${id}"`);
      const o = JSON.parse(r.doc) as ControlObservation;
      if (o.retracted) throw new ConflictError(`control observation "${id}" is already retracted (${o.retracted.reason})`);
      await this.putControlObservations([{ ...o, retracted: { reason: ctx.reason, by: ctx.by, at } }], { ...ctx, at }, c);
    });
  }

  // ---- events ------------------------------------------------------------------------------------------

  async putEvents(events: ConflictEvent[], ctx: WriteContext): Promise<PutResult> {
    const { created, updated, unchanged: same } = await this.putEventsIn(events, ctx);
    return { created, updated, unchanged: same };
  }

  /**
   * Writes events: new ids go in as one multi-row insert per few thousand; only the rest (ids already
   * stored, or repeated in the batch) are read, locked and compared one by one, in batch order. In an
   * import, a clash with a row this same transaction wrote is a duplicate of the file.
   */
  private putEventsIn(events: ConflictEvent[], ctx: WriteContext, within?: pg.PoolClient, inImport = false): Promise<ImportWriteResult> {
    const at = ctx.at ?? now();
    const cols = EVENT_COLUMNS.join(', ');
    return this.tx(async (c) => {
      const result: ImportWriteResult = { created: 0, updated: 0, unchanged: 0, duplicateEvents: [] };
      if (ctx.expectVersion !== undefined) await this.checkVersion(c, 'event', events, ctx.expectVersion, 'SELECT version FROM events WHERE id = $1 FOR UPDATE', (id) => [id]);
      const rows = events.map((e) => eventToRow(e, dayNumber(e.date)));
      const firstIndex = new Map<string, number>();
      events.forEach((e, i) => firstIndex.has(e.id) || firstIndex.set(e.id, i));
      const inserted = new Set<number>();
      const firsts = [...firstIndex.values()];
      for (let s = 0; s < firsts.length; s += INSERT_BATCH) {
        const part = firsts.slice(s, s + INSERT_BATCH);
        const arrays = EVENT_COLUMNS.map((_, k) => part.map((i) => rows[i]![k]));
        const sql = `INSERT INTO events (${cols}, version, changed_at, changed_by) SELECT u.*, 1, $${arrays.length + 1}, $${arrays.length + 2} FROM unnest(${arrays.map((_, k) => `$${k + 1}::${EVENT_PG_TYPES[k]}[]`).join(', ')}) AS u ON CONFLICT (id) DO NOTHING RETURNING id`;
        const got = await this.q<{ id: string }>(c, sql, [...arrays, at, ctx.by]);
        for (const r of got.rows) inserted.add(firstIndex.get(r.id)!);
      }
      result.created = inserted.size;
      for (let i = 0; i < events.length; i++) {
        if (inserted.has(i)) continue;
        const e = events[i]!;
        const row = rows[i]!;
        const old = (await this.rows(c, `SELECT e.seq, e.version, e.changed_at, e.changed_by, (e.xmin = pg_current_xact_id()::xid) AS mine, ${SELECT_EVENT} FROM events e WHERE e.id = $1 FOR UPDATE`, [e.id]))[0]!;
        const [seq, version, changedAt, changedBy, mine] = old as [number, number, string, string, boolean];
        const oldRow = old.slice(5) as EventRow;
        if (inImport && mine) {
          const first = JSON.parse(oldRow[PROVENANCE_INDEX] as string) as { line?: number };
          result.duplicateEvents.push({ index: i, firstLine: first.line ?? null });
          continue;
        }
        if (sameEventRow(oldRow, row)) {
          result.unchanged++;
          continue;
        }
        await this.archive(c, 'event', e.id, version, version === 1 ? 'create' : 'update', changedAt, changedBy, null, JSON.stringify(rowToEvent(oldRow)));
        await this.q(c, `UPDATE events SET ${EVENT_COLUMNS.map((col, k) => `${col} = $${k + 1}`).join(', ')}, version = $${EVENT_COLUMNS.length + 1}, changed_at = $${EVENT_COLUMNS.length + 2}, changed_by = $${EVENT_COLUMNS.length + 3} WHERE seq = $${EVENT_COLUMNS.length + 4}`, [
          ...row, version + 1, at, ctx.by, seq,
        ]);
        result.updated++;
      }
      return result;
    }, within);
  }

  async getEvent(id: string): Promise<ConflictEvent | null> {
    const r = (await this.rows(this.pool, `SELECT ${SELECT_EVENT} FROM events e WHERE e.id = $1`, [id]))[0];
    return r ? rowToEvent(r) : null;
  }

  /** The WHERE clause of an event query, its values as parameters ($1 …) in `args`. */
  private eventWhere(q: Omit<EventQuery, 'limit'>, args: unknown[]): string {
    const where: string[] = [];
    const p = (v: unknown): string => `$${args.push(v)}`;
    if (q.bbox) {
      const [w, s, e, n] = q.bbox;
      where.push(`e.geom && ST_MakeEnvelope(${p(w)}, ${p(s)}, ${p(e)}, ${p(n)}, 4326)`);
    }
    if (q.since) where.push(`e.day >= ${p(dayNumber(q.since))}`);
    if (q.until) where.push(`e.day <= ${p(dayNumber(q.until))}`);
    if (q.type) where.push(`e.type = ${p(q.type)}`);
    if (q.subType) where.push(`e.sub_type = ${p(q.subType)}`);
    if (q.actor) {
      const a = p(q.actor);
      where.push(`(e.actor1_id = ${a} OR e.actor2_id = ${a})`);
    }
    if (q.actors) {
      const a = p([...q.actors]);
      where.push(`(e.actor1_id = ANY(${a}::text[]) OR e.actor2_id = ANY(${a}::text[]))`);
    }
    if (q.place) where.push(`e.place = ${p(q.place)}`);
    // Reviewed events only, unless the query asks for drafts or retracted ones (queryStatuses).
    const statuses = queryStatuses(q);
    where.push(statuses.length === 1 ? `e.status = ${p(statuses[0])}` : `e.status = ANY(${p(statuses)}::text[])`);
    if (q.text) {
      const t = p(`%${q.text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      where.push(`(lower(e.notes) LIKE ${t} OR lower(e.location) LIKE ${t} OR lower(e.actor1) LIKE ${t} OR lower(e.actor2) LIKE ${t})`);
    }
    if (q.after) {
      const cur = decodeCursor(q.after);
      where.push(`(e.day, e.seq) > (${p(cur.day)}, ${p(cur.key)})`);
    }
    return where.length ? ` WHERE ${where.join(' AND ')}` : '';
  }

  async queryEvents(q: EventQuery): Promise<EventPage> {
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 100_000));
    const args: unknown[] = [];
    const where = this.eventWhere(q, args);
    const sql = `SELECT ${SELECT_EVENT}, e.seq FROM events e${where} ORDER BY e.day, e.seq LIMIT $${args.push(limit + 1)}`;
    return pageOf(await this.rows(this.reads, sql, args), limit);
  }

  async countEvents(q: EventFilter): Promise<number> {
    const args: unknown[] = [];
    return (await this.q<{ n: number }>(this.reads, `SELECT COUNT(*) AS n FROM events e${this.eventWhere(q, args)}`, args)).rows[0]!.n;
  }

  async countEventsBy(field: 'type' | 'subType', q: EventFilter): Promise<Record<string, number>> {
    const col = field === 'type' ? 'e.type' : 'e.sub_type';
    const args: unknown[] = [];
    const r = await this.q<{ k: string; n: number }>(this.reads, `SELECT ${col} AS k, COUNT(*) AS n FROM events e${this.eventWhere(q, args)} GROUP BY ${col} ORDER BY n DESC, k`, args);
    return Object.fromEntries(r.rows.map((x) => [x.k, x.n]));
  }

  async countEventsByPeriod(period: 'day' | 'week' | 'month', q: EventFilter): Promise<PeriodCount[]> {
    const key = periodKeySql(period);
    const args: unknown[] = [];
    const r = await this.q<{ k: number; n: number }>(this.reads, `SELECT ${key} AS k, COUNT(*) AS n FROM events e${this.eventWhere(q, args)} GROUP BY k ORDER BY k`, args);
    return r.rows.map((x) => ({ start: fromDayNumber(x.k), count: x.n }));
  }

  async summarizeEventsByPeriod(period: 'day' | 'week' | 'month', q: EventFilter): Promise<PeriodSummary[]> {
    const args: unknown[] = [];
    const r = await this.q<{ k: number; type: string; n: number; f: number }>(this.reads, `SELECT ${periodKeySql(period)} AS k, e.type AS type, COUNT(*) AS n, COALESCE(SUM(e.fatalities), 0)::int8 AS f FROM events e${this.eventWhere(q, args)} GROUP BY 1, 2 ORDER BY 1, 2`, args);
    return r.rows.map((x) => ({ start: fromDayNumber(x.k), type: x.type, count: x.n, fatalities: x.f }));
  }

  async countEventsByCell(cellDegrees: number, q: EventFilter): Promise<CellCount[]> {
    if (!(cellDegrees > 0 && cellDegrees <= 90)) throw new ConflictError(`a grid cell of ${cellDegrees}° is not usable: give a size between 0 and 90 degrees`);
    const args: unknown[] = [];
    const where = this.eventWhere(q, args);
    // Multiplying by the inverse (10 for 0.1°) puts points on a cell edge where people expect them.
    const inv = `$${args.push(1 / cellDegrees)}::float8`;
    const r = await this.q<{ c: number; r: number; n: number }>(this.reads, `SELECT floor(e.lon * ${inv})::int8 AS c, floor(e.lat * ${inv})::int8 AS r, COUNT(*) AS n FROM events e${where} GROUP BY 1, 2 ORDER BY 2, 1`, args);
    return r.rows.map((x) => ({ col: x.c, row: x.r, lon: x.c * cellDegrees, lat: x.r * cellDegrees, count: x.n }));
  }

  async sumFatalities(q: EventFilter): Promise<number> {
    const args: unknown[] = [];
    return (await this.q<{ n: number }>(this.reads, `SELECT COALESCE(SUM(e.fatalities), 0)::int8 AS n FROM events e${this.eventWhere(q, args)}`, args)).rows[0]!.n;
  }

  /** Every matching row from one snapshot (a read-only repeatable-read transaction and a cursor). */
  async *scanEvents(q: EventFilter, order: 'date' | 'storage' = 'date', columns?: readonly EventColumn[]): AsyncIterable<EventRow[]> {
    const args: unknown[] = [];
    const sql = `SELECT ${selectColumns(columns)} FROM events e${this.eventWhere(q, args)} ORDER BY ${order === 'date' ? 'e.day, e.seq' : 'e.seq'}`;
    const c = await this.connect();
    let broken = false;
    try {
      await this.q(c, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // Each FETCH is a statement: none may run past the read time limit (the scan as a whole may).
      await this.q(c, `SET LOCAL statement_timeout = ${Math.max(0, Math.round(this.readTimeoutMs))}`);
      await this.q(c, `DECLARE scan NO SCROLL CURSOR FOR ${sql}`, args);
      for (;;) {
        const batch = await this.rows(c, 'FETCH 4096 FROM scan');
        if (!batch.length) break;
        yield batch;
      }
    } catch (err) {
      broken = isUnavailable(err) || err instanceof UnavailableError;
      throw err;
    } finally {
      await c.query('ROLLBACK').catch(() => (broken = true));
      c.release(broken);
    }
  }

  async *scanEventCsv(q: EventFilter, fields: readonly EventCsvField[], order: 'date' | 'storage' = 'date'): AsyncIterable<{ bytes: Uint8Array; rows: number }> {
    const line = eventCsvLineWriter(fields);
    for await (const batch of this.scanEvents(q, order)) {
      let text = '';
      for (const r of batch) text += line(r);
      yield { bytes: Buffer.from(text), rows: batch.length };
    }
  }

  async *streamEvents(q: EventFilter, pageSize = 5000): AsyncIterable<ConflictEvent> {
    let after: string | undefined;
    for (;;) {
      const page = await this.queryEvents({ ...q, limit: pageSize, ...(after ? { after } : {}) });
      yield* page.events;
      if (!page.next) return;
      after = page.next;
    }
  }

  async retractEvent(id: string, ctx: WriteContext & { reason: string }): Promise<void> {
    const at = ctx.at ?? now();
    await this.tx(async (c) => {
      const r = (await this.rows(c, `SELECT ${SELECT_EVENT} FROM events e WHERE e.id = $1 FOR UPDATE`, [id]))[0];
      if (!r) throw new NotFoundError(`no event "${id}"`);
      const e = rowToEvent(r);
      if (e.status === 'retracted') throw new ConflictError(`event "${id}" is already retracted`);
      const attributes = { ...e.attributes, 'frontline:retracted_reason': ctx.reason };
      await this.putEventsIn([{ ...e, status: 'retracted', attributes }], { ...ctx, at }, c);
    });
  }

  // ---- history -----------------------------------------------------------------------------------------

  async listAudit(q: { limit?: number; before?: string; kind?: RecordKind; by?: string } = {}): Promise<AuditEntry[]> {
    // Superseded versions live in history, current ones in their tables: the trail is both, by time.
    const cur = (kind: string, table: string): string =>
      `SELECT '${kind}'::text COLLATE "C" AS kind, id, version, CASE WHEN version = 1 THEN 'create' ELSE 'update' END AS op, changed_at AS at, changed_by AS by, NULL::text AS reason FROM ${table}`;
    const union = [
      'SELECT kind, id, version, op, at, by, reason FROM history',
      "SELECT kind, id, version, CASE WHEN version = 1 THEN 'create' ELSE 'update' END, changed_at, changed_by, NULL::text FROM records",
      cur('event', 'events'),
      cur('place', 'places'),
      cur('control', 'control_observations'),
    ].join(' UNION ALL ');
    const where: string[] = [];
    const args: unknown[] = [];
    for (const [col, op, v] of [['at', '<', q.before], ['kind', '=', q.kind], ['by', '=', q.by]] as const) {
      if (v !== undefined) where.push(`${col} ${op} $${args.push(v)}`);
    }
    const limit = Math.max(1, Math.min(10_000, q.limit ?? 100));
    const sql = `SELECT * FROM (${union}) AS a${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, kind, id, version DESC LIMIT $${args.push(limit)}`;
    return (await this.q<AuditEntry>(this.pool, sql, args)).rows.map((r) => ({ ...r, reason: r.reason ?? null }));
  }

  async history(kind: RecordKind, id: string): Promise<HistoryEntry[]> {
    const past = (await this.q<{ version: number; op: HistoryEntry['op']; at: string; by: string; reason: string | null; doc: string }>(this.pool, 'SELECT version, op, at, by, reason, doc FROM history WHERE kind = $1 AND id = $2 ORDER BY version', [kind, id])).rows.map(
      (r): HistoryEntry => ({ kind, id, version: r.version, op: r.op, at: r.at, by: r.by, reason: r.reason ?? null, record: JSON.parse(r.doc) as unknown }),
    );
    const table: Partial<Record<RecordKind, string>> = { place: 'places', control: 'control_observations' };
    const t = table[kind];
    const current = (
      kind === 'event'
        ? await this.q(this.pool, 'SELECT version, changed_at, changed_by FROM events WHERE id = $1', [id])
        : t
          ? await this.q(this.pool, `SELECT version, changed_at, changed_by, doc FROM ${t} WHERE id = $1`, [id])
          : await this.q(this.pool, 'SELECT version, changed_at, changed_by, doc FROM records WHERE kind = $1 AND id = $2', [kind, id])
    ).rows[0] as { version: number; changed_at: string; changed_by: string; doc?: string } | undefined;
    if (current) {
      const record = (kind === 'event' ? await this.getEvent(id) : JSON.parse(current.doc!)) as Record<string, unknown>;
      past.push(currentEntry(kind, id, current.version, current.changed_at, current.changed_by, record));
    }
    return past;
  }

  // ---- imports -----------------------------------------------------------------------------------------

  async beginImport(meta: ImportMeta): Promise<ImportSession> {
    const id = `imp-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
    // One transaction on one connection for the whole import: a crash, a kill or a lost connection
    // leaves the store exactly as it was (the server rolls back what was never committed).
    const c = await this.connect();
    try {
      await this.q(c, 'BEGIN');
      await this.q(c, "INSERT INTO imports (id, file, format, by, strict, started_at, status) VALUES ($1, $2, $3, $4, $5, $6, 'running')", [id, meta.file, meta.format, meta.by, meta.strict, now()]);
    } catch (err) {
      c.release(true);
      throw err;
    }
    let open = true;
    const ensureOpen = (): void => {
      if (!open) throw new ConflictError(`import ${id} is already finished`);
    };
    const finish = async (sql: string): Promise<void> => {
      open = false;
      let broken = false;
      try {
        await this.q(c, sql);
      } catch (err) {
        broken = true;
        throw err;
      } finally {
        c.release(broken);
      }
    };
    return {
      id,
      write: async (batch: ImportBatch, ctx: WriteContext): Promise<ImportWriteResult> => {
        ensureOpen();
        const total: ImportWriteResult = { created: 0, updated: 0, unchanged: 0, duplicateEvents: [] };
        const add = (r: PutResult): void => {
          total.created += r.created;
          total.updated += r.updated;
          total.unchanged += r.unchanged;
        };
        if (batch.places?.length) add(await this.putPlaces(batch.places, ctx, c));
        if (batch.zones?.length) add(await this.putSmall('zone', batch.zones, ctx, c));
        if (batch.controlAreas?.length) add(await this.putSmall('control-area', batch.controlAreas, ctx, c));
        if (batch.boundaries?.length) add(await this.putSmall('boundary', batch.boundaries, ctx, c));
        if (batch.documents?.length) add(await this.putSmall('document', batch.documents, ctx, c));
        if (batch.control?.length) add(await this.putControlObservations(batch.control, ctx, c));
        if (batch.events?.length) {
          const r = await this.putEventsIn(batch.events, ctx, c, true);
          add(r);
          total.duplicateEvents = r.duplicateEvents;
        }
        const rejects = batch.rejects ?? [];
        if (rejects.length) {
          await this.q(c, 'INSERT INTO import_rejects (import_id, line, field, reason, raw) SELECT $1, * FROM unnest($2::int4[], $3::text[], $4::text[], $5::text[])', [
            id, rejects.map((r) => r.line), rejects.map((r) => r.field), rejects.map((r) => r.reason), rejects.map((r) => r.raw),
          ]);
        }
        return total;
      },
      commit: async (counts: Record<string, number>): Promise<void> => {
        ensureOpen();
        await this.q(c, "UPDATE imports SET status = 'committed', finished_at = $1, counts = $2 WHERE id = $3", [now(), JSON.stringify(counts), id]);
        await finish('COMMIT');
      },
      rollback: async (): Promise<void> => {
        if (!open) return;
        await finish('ROLLBACK').catch(() => undefined);
      },
    };
  }

  async listImports(): Promise<ImportRecord[]> {
    const r = await this.q<Record<string, unknown>>(this.pool, 'SELECT * FROM imports ORDER BY started_at, id');
    return r.rows.map((x) => ({
      id: x.id as string,
      file: x.file as string,
      format: x.format as string,
      by: x.by as string,
      strict: x.strict as boolean,
      startedAt: x.started_at as string,
      finishedAt: (x.finished_at as string | null) ?? null,
      status: x.status as ImportRecord['status'],
      counts: JSON.parse(x.counts as string) as Record<string, number>,
    }));
  }

  async listRejects(importId: string): Promise<ImportReject[]> {
    return (await this.q<ImportReject>(this.pool, 'SELECT line, field, reason, raw FROM import_rejects WHERE import_id = $1 ORDER BY line, seq', [importId])).rows;
  }

  async schemaVersion(): Promise<number> {
    return (await this.q<{ v: number }>(this.pool, 'SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0]!.v;
  }

  async *dumpTables(): AsyncIterable<TableChunk> {
    const c = await this.connect();
    let broken = false;
    try {
      // One snapshot for every table: a backup taken while people write is still consistent.
      await this.q(c, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      for (const table of TABLE_ORDER) {
        await this.q(c, `DECLARE dump NO SCROLL CURSOR FOR SELECT ${BACKUP_TABLES[table].join(', ')} FROM ${table} ORDER BY ${DUMP_ORDER[table] ?? 'seq'}`);
        for (;;) {
          const rows = await this.rows(c, 'FETCH 5000 FROM dump');
          if (!rows.length) break;
          yield { table, rows };
        }
        await this.q(c, 'CLOSE dump');
      }
    } catch (err) {
      broken = isUnavailable(err) || err instanceof UnavailableError;
      throw err;
    } finally {
      await c.query('ROLLBACK').catch(() => (broken = true));
      c.release(broken);
    }
  }

  async restoreTables(chunks: AsyncIterable<TableChunk>): Promise<Record<string, number>> {
    return this.tx(async (c) => {
      await this.q(c, 'LOCK TABLE events, places, records, history IN EXCLUSIVE MODE');
      const held = (await this.q<{ n: number }>(c, 'SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM places) + (SELECT COUNT(*) FROM records) + (SELECT COUNT(*) FROM history) AS n')).rows[0]!.n;
      if (held) throw new ConflictError(`${this.location} already holds records: restore into a new, empty database`);
      const counts: Record<string, number> = {};
      for await (const { table, rows } of chunks) {
        const cols = BACKUP_TABLES[table];
        for (let s = 0; s < rows.length; s += INSERT_BATCH) {
          const part = rows.slice(s, s + INSERT_BATCH).map((r) => Object.fromEntries(cols.map((col, i) => [col, r[i]])));
          // json_populate_recordset types each value by its column; WITH ORDINALITY keeps the rows' order.
          const sql = `INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.map((col) => `r.${col}`).join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json) WITH ORDINALITY AS r ORDER BY ordinality${table === 'places' ? ' RETURNING seq, doc' : ''}`;
          const got = await this.q<{ seq: number; doc: string }>(c, sql, [JSON.stringify(part)]);
          if (table === 'places') {
            const seqs: number[] = [];
            const keys: string[] = [];
            for (const r of got.rows) {
              const p = JSON.parse(r.doc) as Place;
              for (const key of new Set([p.name, ...p.names].map(foldName))) {
                if (!key) continue;
                seqs.push(r.seq);
                keys.push(key);
              }
            }
            if (keys.length) await this.q(c, 'INSERT INTO place_names (folded, place_seq) SELECT * FROM unnest($1::text[], $2::int8[])', [keys, seqs]);
          }
        }
        counts[table] = (counts[table] ?? 0) + rows.length;
      }
      return counts;
    });
  }

  async getMeta(key: string): Promise<string | null> {
    return (await this.q<{ value: string }>(this.pool, 'SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value ?? null;
  }
  async setMeta(key: string, value: string): Promise<void> {
    await this.q(this.pool, 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }
}
