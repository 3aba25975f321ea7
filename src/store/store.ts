/**
 * The one storage interface. Analysis code never sees SQL: it asks a Store. Every adapter (SQLite now,
 * PostGIS for teams) passes the same contract suite (src/store/contract.ts).
 */
import type { IsoDate } from '../core/dates.js';
import type { EventColumn, EventCsvField, EventRow } from './event-row.js';
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
  StabilizationArea,
  Relation,
  Scenario,
  SourceDocument,
  User,
  Zone,
} from '../core/schemas.js';

/** Who makes a write, and why: every write records it (edits never overwrite silently). */
export interface WriteContext {
  by: string;
  reason?: string;
  /**
   * For a write of one record: the version the writer read (0 for a new one). If the store holds another,
   * the write is refused with a ConflictError and nothing changes (optimistic concurrency).
   */
  expectVersion?: number;
  /** ISO timestamp; the store fills it in when absent. */
  at?: string;
}

export type RecordKind = 'event' | 'place' | 'control' | 'zone' | 'actor' | 'bloc' | 'document' | 'objective' | 'scenario' | 'control-area' | 'boundary' | StabilizationKind;
/** Stabilization records (issue 8): areas, their indicators, projects and councils. */
export type StabilizationKind = 'stabilization-area' | 'indicator' | 'project' | 'council' | 'user';

export interface HistoryEntry {
  kind: RecordKind;
  id: string;
  version: number;
  op: 'create' | 'update' | 'retract';
  at: string;
  by: string;
  reason: string | null;
  record: unknown;
}

export interface AuditEntry {
  at: string;
  by: string;
  kind: RecordKind;
  id: string;
  version: number;
  op: 'create' | 'update' | 'retract';
  reason: string | null;
}

export interface PutResult {
  created: number;
  updated: number;
  unchanged: number;
}

import type { BBox } from '../core/bbox.js';
import type { TableChunk } from './backup-format.js';
export type { BBox };

export interface EventQuery {
  since?: IsoDate;
  until?: IsoDate;
  bbox?: BBox;
  /** An actor id: matches either side of the event. */
  actor?: string;
  /** Several actor ids (e.g. a bloc's members): matches when either side is one of them. */
  actors?: readonly string[];
  type?: string;
  subType?: string;
  /** Words to find in notes, location or actor names (case-insensitive substring). */
  text?: string;
  place?: string;
  /**
   * Only events of this status (the review queue asks for 'draft'). Without it a query reads reviewed
   * events only: drafts are not events until an analyst accepts them, so no reader (map, counts, charts,
   * exports, briefings, attribution) sees them unless it asks (docs/server.md, decision 0028).
   */
  status?: ConflictEvent['status'];
  /** Drafts too, marked by their status: for callers who may review them (analysts, personal mode). */
  includeDrafts?: boolean;
  includeRetracted?: boolean;
  limit?: number;
  /** Opaque cursor from a previous page's `next`. */
  after?: string;
}

export interface EventPage {
  events: ConflictEvent[];
  next: string | null;
}

export interface PeriodCount {
  start: IsoDate;
  count: number;
}

export interface PeriodSummary {
  start: IsoDate;
  type: string;
  count: number;
  fatalities: number;
}

export interface CellCount {
  /** Cell column and row: the cell spans [col × size, (col + 1) × size) in longitude, likewise in latitude. */
  col: number;
  row: number;
  lon: number;
  lat: number;
  count: number;
}

export interface PlaceQuery {
  country?: string;
  kind?: string;
  bbox?: BBox;
  /** A name in any spelling; matched after transliteration folding. */
  name?: string;
  limit?: number;
}

export interface ControlQuery {
  place?: string;
  until?: IsoDate;
  includeRetracted?: boolean;
}

export interface ImportReject {
  line: number;
  field: string | null;
  reason: string;
  raw: string;
}

export interface ImportMeta {
  file: string;
  format: string;
  by: string;
  strict: boolean;
  /** A guess at how many events the import brings (from the file's size): lets a store choose bulk loading. */
  expectedEvents?: number;
}

export interface ImportRecord extends ImportMeta {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'committed' | 'rolled-back';
  counts: Record<string, number>;
}

export interface ImportBatch {
  events?: ConflictEvent[];
  places?: Place[];
  control?: ControlObservation[];
  zones?: Zone[];
  controlAreas?: ControlArea[];
  boundaries?: Boundary[];
  documents?: SourceDocument[];
  rejects?: ImportReject[];
}

/**
 * One import, all-or-nothing: nothing written through it is visible, or survives a crash, until commit.
 * Bad rows are kept as rejects in the same transaction, so a committed import never loses a row.
 */
export interface ImportWriteResult extends PutResult {
  /**
   * Events of this batch whose id an earlier row of the same import already used: not written, for the
   * importer to reject. The store finds them, so an import of millions of rows keeps no id set in memory.
   */
  duplicateEvents: { index: number; firstLine: number | null }[];
}

export interface ImportSession {
  readonly id: string;
  /** Created/updated/unchanged as the store stood when the batch was written (SQLite stages it: see commit). */
  write(batch: ImportBatch, ctx: WriteContext): Promise<ImportWriteResult>;
  /**
   * Make the import visible, whole. A store that stages the batches (SQLite) writes them now and returns
   * what it wrote, which may differ from write()'s counts if another writer changed a record meanwhile.
   */
  commit(counts: Record<string, number>): Promise<PutResult | void>;
  rollback(): Promise<void>;
}

export interface Store {
  readonly kind: string;
  /** Where the store is, for people: a file path, or a server URL without its password. */
  readonly location: string;
  close(): Promise<void>;

  putActors(actors: Actor[], ctx: WriteContext): Promise<PutResult>;
  listActors(): Promise<Actor[]>;
  putBlocs(blocs: Bloc[], ctx: WriteContext): Promise<PutResult>;
  listBlocs(): Promise<Bloc[]>;
  /** Relations are few and read as a whole; this replaces the set and keeps the old one in history. */
  setRelations(relations: Relation[], ctx: WriteContext): Promise<void>;
  listRelations(): Promise<Relation[]>;

  putPlaces(places: Place[], ctx: WriteContext): Promise<PutResult>;
  getPlace(id: string): Promise<Place | null>;
  listPlaces(q?: PlaceQuery): Promise<Place[]>;

  putControlObservations(obs: ControlObservation[], ctx: WriteContext): Promise<PutResult>;
  /** Sorted by date, then id, so later observations come last. */
  listControlObservations(q?: ControlQuery): Promise<ControlObservation[]>;
  retractControlObservation(id: string, ctx: WriteContext & { reason: string }): Promise<void>;

  putZones(zones: Zone[], ctx: WriteContext): Promise<PutResult>;
  listZones(): Promise<Zone[]>;
  /** Analysts' control maps (polygons held by an actor over a period). */
  putControlAreas(areas: ControlArea[], ctx: WriteContext): Promise<PutResult>;
  listControlAreas(): Promise<ControlArea[]>;
  /** Land boundaries (the country a scenario covers). */
  putBoundaries(boundaries: Boundary[], ctx: WriteContext): Promise<PutResult>;
  listBoundaries(): Promise<Boundary[]>;
  putDocuments(docs: SourceDocument[], ctx: WriteContext): Promise<PutResult>;
  getDocument(id: string): Promise<SourceDocument | null>;
  putObjectives(objectives: Objective[], ctx: WriteContext): Promise<PutResult>;
  listObjectives(): Promise<Objective[]>;
  putScenarios(scenarios: Scenario[], ctx: WriteContext): Promise<PutResult>;
  listScenarios(): Promise<Scenario[]>;

  putStabilizationAreas(areas: StabilizationArea[], ctx: WriteContext): Promise<PutResult>;
  listStabilizationAreas(): Promise<StabilizationArea[]>;
  putIndicators(indicators: Indicator[], ctx: WriteContext): Promise<PutResult>;
  listIndicators(area?: string): Promise<Indicator[]>;
  putProjects(projects: Project[], ctx: WriteContext): Promise<PutResult>;
  listProjects(area?: string): Promise<Project[]>;
  putCouncils(councils: Council[], ctx: WriteContext): Promise<PutResult>;
  listCouncils(area?: string): Promise<Council[]>;

  /** Users (their password hashes only), versioned like every record. */
  putUsers(users: User[], ctx: WriteContext): Promise<PutResult>;
  listUsers(): Promise<User[]>;
  getUser(id: string): Promise<User | null>;
  /** Sessions and API tokens, keyed by a hash of the secret (the secret itself is never stored). */
  createSession(s: { tokenHash: string; user: string; csrf: string; expiresAt: string }): Promise<void>;
  getSession(tokenHash: string): Promise<{ user: string; csrf: string; expiresAt: string } | null>;
  deleteSessions(q: { tokenHash?: string; user?: string }): Promise<number>;
  createToken(t: { tokenHash: string; user: string; name: string }): Promise<void>;
  getToken(tokenHash: string): Promise<{ user: string; name: string; revokedAt: string | null } | null>;
  revokeTokens(q: { tokenHash?: string; user?: string }): Promise<number>;

  putEvents(events: ConflictEvent[], ctx: WriteContext): Promise<PutResult>;
  getEvent(id: string): Promise<ConflictEvent | null>;
  queryEvents(q: EventQuery): Promise<EventPage>;
  countEvents(q: Omit<EventQuery, 'limit' | 'after'>): Promise<number>;
  countEventsBy(field: 'type' | 'subType', q: Omit<EventQuery, 'limit' | 'after'>): Promise<Record<string, number>>;
  /**
   * Matching events per period: ISO weeks start on Monday, months on the 1st. Periods without events are
   * left out; the answer is sorted by start.
   */
  countEventsByPeriod(period: 'day' | 'week' | 'month', q: Omit<EventQuery, 'limit' | 'after'>): Promise<PeriodCount[]>;
  /**
   * Matching events per period and event type, with the sum of best fatality estimates (unknown: 0):
   * what the weekly charts draw, counted by the store. Sorted by start, then type.
   */
  summarizeEventsByPeriod(period: 'day' | 'week' | 'month', q: Omit<EventQuery, 'limit' | 'after'>): Promise<PeriodSummary[]>;
  /** Matching events per square cell of `cellDegrees`, keyed by the cell's south-west corner. */
  countEventsByCell(cellDegrees: number, q: Omit<EventQuery, 'limit' | 'after'>): Promise<CellCount[]>;
  /** The sum of best fatality estimates over matching events (unknown counts as 0). */
  sumFatalities(q: Omit<EventQuery, 'limit' | 'after'>): Promise<number>;
  /**
   * Every matching event as a flat row (see event-row.ts), without building objects: the bulk path for
   * exports and in-memory indexes. `order: 'date'` sorts by date, then in the order they were stored;
   * 'storage' is the order the store keeps them in (import order), which is the fastest to read. With
   * `columns`, rows hold only those, in that order (a map needs ten of the thirty-four). Rows come in batches; while a scan
   * is open the SQLite connection is busy, so finish (or break out of) it before writing.
   */
  scanEvents(q: Omit<EventQuery, 'limit' | 'after'>, order?: 'date' | 'storage', columns?: readonly EventColumn[]): AsyncIterable<EventRow[]>;
  /**
   * Every matching event as a CSV line built by the store from `fields`, in chunks of whole lines of
   * UTF-8: the fastest export path (no value crosses into JavaScript one column at a time; a store may
   * write the chunks on several threads). `order: 'date'` (the default) sorts by date, then the order
   * events were stored in; 'storage' is the order they were stored (imported) in, fastest to read.
   */
  scanEventCsv(q: Omit<EventQuery, 'limit' | 'after'>, fields: readonly EventCsvField[], order?: 'date' | 'storage'): AsyncIterable<{ bytes: Uint8Array; rows: number }>;
  /** Every matching event, in date order, a page at a time. */
  streamEvents(q: Omit<EventQuery, 'limit' | 'after'>, pageSize?: number): AsyncIterable<ConflictEvent>;
  retractEvent(id: string, ctx: WriteContext & { reason: string }): Promise<void>;

  /** Every version of a record, oldest first, the current one last. */
  history(kind: RecordKind, id: string): Promise<HistoryEntry[]>;
  /** Every write, newest first (who, when, which record, which version, why): the audit trail. */
  listAudit(q?: { limit?: number; before?: string; kind?: RecordKind; by?: string }): Promise<AuditEntry[]>;

  beginImport(meta: ImportMeta): Promise<ImportSession>;
  listImports(): Promise<ImportRecord[]>;
  listRejects(importId: string): Promise<ImportReject[]>;

  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;

  /**
   * Every row of every table (backup-format.ts), from one consistent snapshot, in storage order: for
   * backups and for copying to another store. Derived indexes are left out.
   */
  dumpTables(): AsyncIterable<TableChunk>;
  /** The newest schema migration applied to this store. */
  schemaVersion(): Promise<number>;
  /**
   * Writes a dump into this store, which must hold no records yet, in one transaction: if the chunks
   * throw (a cut or altered backup) or anything fails, nothing is kept. Gives the rows written per table.
   */
  restoreTables(chunks: AsyncIterable<TableChunk>): Promise<Record<string, number>>;
}
