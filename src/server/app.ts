/**
 * The HTTP server behind the web app: the app's files and a JSON API over the store and the engines.
 * Routes are thin: validate the query (zod), call the engine, shape the answer. Everything is served from
 * this machine; nothing is fetched from anywhere else. docs/api.md lists the routes.
 */
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { z } from 'zod';
import { dayNumber, fromDayNumber, isIsoDate } from '../core/dates.js';
import { ConflictError, FrontlineError, isLockConflict, NotFoundError, UnavailableError, UsageError } from '../core/errors.js';
import { foldName } from '../core/names.js';
import { placeMatcher } from '../core/fuzzy.js';
import { resolveActor, resolveBloc, resolveEventType, resolveObjectivePlace, resolveSubType } from '../core/lookup.js';
import { dataRange, dateWarnings, type DataRange } from '../control/data-range.js';
import { areaFeatures, contestedFeatures, diffFeatures, frontLineFeatures, placeFeatures, zoneFeatures } from '../control/geojson.js';
import { compileControlFilter } from '../control/event-filter.js';
import { resolveArea } from '../stabilize/areas.js';
import { CONTROL_GENERATION_KEY, loadControlModel, markControlChanged } from '../control/load.js';
import type { ControlModel } from '../control/model.js';
import { controlReport } from '../control/report.js';
import { eventFeature } from '../io/geojson.js';
import { edgeGeometry } from '../routing/graph.js';
import { arrivalMap, arrivalMapFeatures } from '../routing/arrival-map.js';
import { DEFAULT_RACE_PARAMETERS, RaceContext, runRace } from '../routing/race.js';
import { exposureTo, positionsOf, withScenario } from '../routing/exposure.js';
import { loadRoads } from '../routing/roads-store.js';
import type { RecordKind, Store, WriteContext } from '../store/store.js';
import type { EventColumn, EventRow } from '../store/event-row.js';
import { decodeCursor } from '../store/event-cursor.js';
import type { ConflictEvent, Scenario, User } from '../core/schemas.js';
import { extractWithStore, listDrafts, rejectDraft, reviewDraft } from '../extract/review.js';
import { MAX_DOCUMENT_CHARS } from '../extract/text.js';
import { CONTROL_STATUSES, ControlObservationSchema, EventSchema, IdSchema, ROLES, ZoneSchema } from '../core/schemas.js';
import { openApiDocument, referencePage } from './openapi.js';
import { confinePath } from './confine.js';
import { blocColors, isCombatantBloc } from '../core/bloc-colors.js';
import { GIS_FORMATS, GIS_KINDS, gisBytes, gisLayers, writeGis } from '../io/gis-export.js';
import { publicationMapSvg } from '../control/map-svg.js';
import { basemapFeatures } from './basemap.js';
import { BusyError, HeavyQueue, type HeavyLimits } from './queue.js';
import { ClientGoneError, dayWindows, DEFAULT_STREAM_LIMITS, Deadline, EVENT_PAGE, sendChunks, StreamedJson, writeChunk, yieldToLoop, type StreamLimits } from './stream.js';
import { EXPORT_FORMATS, exportTo, IMPORT_FORMATS, importFile } from '../io/index.js';
import { GEOJSON_KINDS } from '../io/geojson.js';
import { allowed, checkSignIn, hashPassword, hashSecret, identify, newSecret, RateLimiter, SESSION_COOKIE, SESSION_DAYS, SignInBackoff, type Access, type Caller } from './auth.js';
import { clientAddress, hostCheck, trustedProxies } from './network.js';
import { ACLED_TAXONOMY } from '../core/taxonomy.js';
import { stabilizationBoard } from '../stabilize/board.js';
import { briefHtml } from '../stabilize/brief.js';
import { parseWeights } from '../stabilize/priorities.js';

export interface AppOptions {
  store: Store;
  /** Mark session cookies Secure (behind an HTTPS reverse proxy). */
  secureCookies?: boolean;
  /** The built web app (dist/web); without it only the API is served. */
  webRoot?: string;
  /** Writes a user (or, without one, an address) may make per minute (default 600), and sign-in attempts per address (default 10). */
  limits?: { writesPerMinute?: number; loginsPerMinute?: number };
  /** Folders POST /api/import may read files from (by path); none: only uploaded content is taken. */
  importDirs?: string[];
  /** How often (ms) to look whether another process changed control in the shared store (default 2000). */
  sharedCheckMs?: number;
  /**
   * Host names (optionally name:port) the server answers to besides its own (the loopback names and the
   * address it is bound to): a proxy's public name. Any other Host header gets 421 (DNS rebinding).
   */
  allowedHosts?: string[];
  /** Addresses or subnets of reverse proxies whose X-Forwarded-For names the client; none: it is ignored. */
  trustProxy?: string[];
  /**
   * Heavy requests (event pages over 1,000, the map's and charts' scans, exports): how many run at once,
   * wait, and for how long; their deadline and how long a client may leave a chunk unread (docs/server.md).
   */
  heavy?: Partial<HeavyLimits & StreamLimits>;
  /** Event pages of up to 1,000 (GET /api/events): how many are read at once, and wait (default 4, 64, 10 s). */
  pages?: Partial<HeavyLimits>;
}

const DateSchema = z.string().refine(isIsoDate, 'must be a date as YYYY-MM-DD');
const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2' };

/** The event columns the map and the charts read, and each one's position in a row. */
const MAP_COLUMNS = ['id', 'day', 'date', 'type', 'sub_type', 'actor1', 'actor2', 'location', 'fatalities', 'lon', 'lat', 'status', 'place'] as const satisfies readonly EventColumn[];
const C = Object.fromEntries(MAP_COLUMNS.map((c, i) => [c, i])) as Record<(typeof MAP_COLUMNS)[number], number>;

/** Repeated texts as indexes into a list. */
class Dict {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.push(s) - 1;
      this.index.set(s, i);
    }
    return i;
  }
}

/** An answer already serialized (kept in a cache): sent as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds, for a Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

function query<T extends z.ZodRawShape>(url: URL, shape: T): z.infer<z.ZodObject<T>> {
  const r = z.object(shape).strict().safeParse(Object.fromEntries(url.searchParams));
  if (!r.success) throw new HttpError(400, r.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return r.data;
}

function parseBody<T extends z.ZodRawShape>(body: unknown, shape: T): z.infer<z.ZodObject<T>> {
  const r = z.object(shape).strict().safeParse(body);
  if (!r.success) throw new HttpError(400, r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return r.data;
}

/** A JSON request body, refused (413) past `limit` bytes without reading the rest. */
function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped (not kept), so that the client gets its 413: cutting
    // the connection would leave it with a reset and no reason.
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => {
      if (size > limit) return reject(new HttpError(413, `the body is over ${limit.toLocaleString('en')} bytes: send less (a document is at most ${MAX_DOCUMENT_CHARS.toLocaleString('en')} characters)`));
      try {
        resolveBody(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** A name a write is recorded under in personal mode. */
const User = z.string().min(1).max(100).regex(/^[\p{L}\p{N} ._@-]+$/u, 'letters, digits, space and . _ @ -').optional();

// What each route accepts: the same shapes validate requests and make the OpenAPI document.
const QUERY = {
  'events': {
      since: DateSchema.optional(),
      until: DateSchema.optional(),
      type: z.string().max(80).optional(),
      subType: z.string().max(80).optional(),
      text: z.string().max(200).optional(),
      actor: z.string().max(200).optional(),
      bloc: z.string().max(200).optional(),
      heldBy: z.string().max(200).optional(),
      zone: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(EVENT_PAGE.max).default(EVENT_PAGE.default),
      /** The `next` of the previous page. */
      after: z.string().max(200).optional(),
      /** Drafts too, each marked (status "draft"): for analysts and admins only (403 otherwise). */
      drafts: z.enum(['1']).optional(),
    },
  '/api/control': { date: DateSchema, bloc: z.string().optional() },
  '/api/control.geojson': { date: DateSchema },
  '/api/events/history': { id: z.string().min(1).max(300), drafts: z.enum(['1']).optional() },
  '/api/control/series': { from: DateSchema, to: DateSchema, step: z.enum(['day', 'week']).default('week') },
  '/api/control/diff.geojson': { from: DateSchema, to: DateSchema },
  '/api/place': { id: z.string().min(1).max(200), date: DateSchema },
  '/api/places': { name: z.string().min(1).max(200) },
  '/api/race': {
    date: DateSchema,
    objective: z.string().min(1).max(200),
    /** Only these blocs race (comma-separated ids). */
    blocs: z.string().max(500).optional(),
    /** A stored scenario's overrides apply. */
    scenario: z.string().max(200).optional(),
    /** What-if: places held by other actors from the date, as PLACE:ACTOR,… (not saved). */
    hold: z.string().max(2000).optional(),
    /** Also the isochrones (1, 3, 7 days) and the first-arrival partition, as GeoJSON. */
    map: z.enum(['1']).optional(),
  },
  'stabilization': { date: DateSchema, withdraw: z.string().max(100).optional(), weights: z.string().max(200).optional(), area: z.string().max(200).optional(), window: z.coerce.number().int().min(1).max(3650).optional() },
  '/api/audit': { limit: z.coerce.number().int().min(1).max(10_000).default(100), before: z.string().max(40).optional(), kind: z.string().max(40).optional(), by: z.string().max(200).optional() },
  '/api/drafts': { limit: z.coerce.number().int().min(1).max(5000).optional() },
  /** Control on a date as a map for publication (SVG): `bbox` is west,south,east,north. */
  '/api/map.svg': { date: DateSchema.optional(), bbox: z.string().regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'four numbers west,south,east,north').optional(), title: z.string().max(200).optional() },
  /** GIS layers (docs/formats.md): control on a date (default the data's last day), events or zones. */
  '/api/export/gis': {
    format: z.enum(GIS_FORMATS),
    kind: z.enum(GIS_KINDS).default('control'),
    date: DateSchema.optional(),
    since: DateSchema.optional(),
    until: DateSchema.optional(),
  },
  '/api/export': {
    format: z.enum(EXPORT_FORMATS),
    since: DateSchema.optional(),
    until: DateSchema.optional(),
    type: z.string().max(80).optional(),
    text: z.string().max(200).optional(),
    actor: z.string().max(200).optional(),
    /** Drafts too, marked (notes prefixed "[DRAFT] " in CSV, status in GeoJSON): analysts only. */
    drafts: z.enum(['1']).optional(),
  },
  '/api/imports/rejects': { id: z.string().min(1).max(100) },
  '/api/exposure': { date: DateSchema, bloc: z.string().min(1).max(200), within: z.coerce.number().positive().max(3650).optional(), admin1: z.string().max(200).optional() },
  '/api/documents': { id: z.string().min(1).max(300) },
};
const BODY = {
  '/api/extract': {
        text: z.string().max(MAX_DOCUMENT_CHARS),
        published: DateSchema,
        source: z.string().max(200).optional(),
        title: z.string().max(500).optional(),
        url: z.string().max(2000).optional(),
        format: z.enum(['text', 'html', 'markdown']).optional(),
        save: z.boolean().optional(),
        user: User,
      },
  '/api/drafts/accept': { id: z.string().min(1).max(300), changes: EventSchema.partial().omit({ id: true, provenance: true, status: true }).optional(), user: User },
  '/api/drafts/reject': { id: z.string().min(1).max(300), reason: z.string().min(1).max(1000), user: User },
  /** A draft corrected and kept a draft (for another look, or another analyst to accept). */
  '/api/drafts/edit': { id: z.string().min(1).max(300), changes: EventSchema.partial().omit({ id: true, provenance: true, status: true }), user: User },
  '/api/login': { user: z.string().min(1).max(200), password: z.string().min(1).max(1000) },
  '/api/tokens': { name: z.string().min(1).max(100) },
  '/api/users': { id: IdSchema, name: z.string().min(1).max(200), role: z.enum(ROLES), password: z.string().min(10).max(1000) },
  '/api/events/create': { event: EventSchema.omit({ provenance: true }).partial({ id: true }) },
  '/api/events/edit': { id: z.string().min(1).max(300), version: z.number().int().min(1), changes: EventSchema.partial().omit({ id: true, provenance: true, status: true }), reason: z.string().max(1000).optional() },
  '/api/events/retract': { id: z.string().min(1).max(300), reason: z.string().min(1).max(1000) },
  '/api/control/observations': { place: IdSchema, actor: IdSchema, status: z.enum(CONTROL_STATUSES), from: DateSchema, source: z.string().min(1).max(500), confidence: z.number().min(0).max(1).optional(), notes: z.string().max(2000).optional() },
  '/api/zones': { zone: ZoneSchema.omit({ provenance: true }).partial({ id: true }) },
  '/api/import': {
    format: z.enum(IMPORT_FORMATS),
    /** A file in one of the server's import folders… */
    path: z.string().min(1).max(1000).optional(),
    /** …or the file itself (at most 20 MB of text). */
    content: z.string().max(20_000_000).optional(),
    kind: z.enum(GEOJSON_KINDS).optional(),
    strict: z.boolean().optional(),
  },
};

export function createApp(opts: AppOptions): Server & { routes: RouteSpec[]; warm: () => Promise<void> } {
  const { store } = opts;
  // The engines are built once and kept: a request then costs milliseconds.
  let model: Promise<ControlModel> | null = null;
  // Another server process (or a command) sharing the store may change control: its mark in the meta is
  // looked at every two seconds at most, and a new mark means the model is built again.
  let generation: string | null | undefined;
  let checkedAt = 0;
  const getModel = async (): Promise<ControlModel> => {
    if (Date.now() - checkedAt >= (opts.sharedCheckMs ?? 2000)) {
      checkedAt = Date.now();
      const g = await store.getMeta(CONTROL_GENERATION_KEY);
      if (generation !== undefined && g !== generation) {
        model = null;
        race = null;
      }
      generation = g;
    }
    return (model ??= loadControlModel(store));
  };
  // The store's data range, worked out again with each new control model (a write or another process).
  const ranges = new WeakMap<ControlModel, Promise<DataRange>>();
  const rangeOf = (m: ControlModel): Promise<DataRange> => {
    let r = ranges.get(m);
    if (!r) ranges.set(m, (r = dataRange(store)));
    return r;
  };
  /** After a control write here: rebuild this process's model, and tell the others. */
  const controlChanged = async (): Promise<void> => {
    model = null;
    race = null;
    await markControlChanged(store);
    generation = await store.getMeta(CONTROL_GENERATION_KEY);
  };
  let basemap: RawJson | null = null;
  let areaCache: { model: ControlModel | null; byDate: Map<string, RawJson> } = { model: null, byDate: new Map() };
  let race: Promise<RaceContext> | null = null;
  const getRace = (): Promise<RaceContext> => (race ??= (async () => new RaceContext((await loadRoads(store)).graph, await getModel()))());

  // Heavy requests take turns (src/server/queue.ts), and so do event pages (cheap, but many at once
  // would keep the light routes waiting); light ones never wait for them (issue 15).
  const queues = { heavy: new HeavyQueue(opts.heavy), pages: new HeavyQueue({ running: 4, waiting: 64, waitMs: 10_000, ...opts.pages }) };
  const streamLimits: StreamLimits = { ...DEFAULT_STREAM_LIMITS, ...(opts.heavy?.deadlineMs !== undefined ? { deadlineMs: opts.heavy.deadlineMs } : {}), ...(opts.heavy?.drainMs !== undefined ? { drainMs: opts.heavy.drainMs } : {}) };
  /** `work` in a turn of the heavy queue, with its deadline; a full queue is a 503 with Retry-After. */
  const inTurn = async <T>(work: (deadline: Deadline) => Promise<T>, res?: ServerResponse, queue = queues.heavy): Promise<T> => {
    // A client that leaves while waiting gives its place up.
    const gone = new AbortController();
    const onClose = (): void => gone.abort();
    res?.once('close', onClose);
    let release: () => void;
    try {
      release = await queue.enter(gone.signal);
    } catch (err) {
      if (err instanceof BusyError) throw new HttpError(503, err.message, err.retryAfter);
      throw err;
    } finally {
      res?.off('close', onClose);
    }
    try {
      return await work(new Deadline(streamLimits.deadlineMs));
    } finally {
      release();
    }
  };
  /** A streamed answer, in a turn if heavy; a client gone mid-way ends it quietly. */
  const sendStreamed = async (res: ServerResponse, body: StreamedJson, contentType: string): Promise<void> => {
    const send = (deadline: Deadline): Promise<void> => sendChunks(res, body.chunks(deadline), { 'content-type': contentType, 'cache-control': 'no-store' }, streamLimits.drainMs);
    try {
      await inTurn(send, res, queues[body.queue]);
    } catch (err) {
      if (!(err instanceof ClientGoneError)) throw err;
      res.destroy();
    }
  };
  const tooLong = (d: Deadline): HttpError => new HttpError(503, `the request read the store for over ${d.ms / 1000} s and was stopped: ask for less (a shorter date range, a box, a type or an actor)`, 5);

  /**
   * Filters as people type them: an actor by any alias, a type or sub-type in any case; an unknown value
   * is a 400 that lists the close ones (src/core/lookup.ts), never an empty answer.
   */
  const canonicalFilters = async <Q extends { actor?: string | undefined; type?: string | undefined; subType?: string | undefined }>(q: Q): Promise<Q> => {
    const type = q.type ? resolveEventType(q.type) : undefined;
    return {
      ...q,
      ...(q.actor ? { actor: resolveActor(await store.listActors(), q.actor) } : {}),
      ...(type ? { type } : {}),
      ...(q.subType ? { subType: resolveSubType(q.subType, type) } : {}),
    };
  };

  // Event filters shared by the event routes: the store's own, plus those that need control (who held
  // the location on the event's date, inside a zone) and a bloc's actors.
  const eventQuery = async (url: URL) => {
    const q = await canonicalFilters(query(url, QUERY['events']));
    const m = q.heldBy || q.zone || q.bloc ? await getModel() : null;
    let filter: ReturnType<typeof compileControlFilter> | null = null;
    try {
      if (m && (q.heldBy || q.zone)) filter = compileControlFilter(m, { ...(q.heldBy ? { heldBy: q.heldBy } : {}), ...(q.zone ? { zone: q.zone } : {}) });
    } catch (err) {
      throw new HttpError(400, (err as Error).message);
    }
    let blocActors: string[] | null = null;
    if (q.bloc) {
      const id = resolveBloc(m!.blocs, q.bloc);
      blocActors = m!.blocs.find((x) => x.id === id)!.members.map((x) => x.actor);
    }
    const base = { ...(q.since ? { since: q.since } : {}), ...(q.until ? { until: q.until } : {}), ...(q.type ? { type: q.type } : {}), ...(q.subType ? { subType: q.subType } : {}), ...(q.text ? { text: q.text } : {}), ...(q.actor ? { actor: q.actor } : {}), ...(filter?.bbox ? { bbox: filter.bbox } : {}), ...(q.drafts ? { includeDrafts: true } : {}) };
    return { q: { ...base, limit: q.limit }, filter, blocActors, after: q.after };
  };

  // Every filtered event as a row of the columns the map and the charts use (MAP_COLUMNS order, the C
  // index), without building an event object per row.
  const scanFiltered = async (url: URL, each: (row: EventRow) => void, deadline: Deadline): Promise<void> => {
    const { q, filter, blocActors } = await eventQuery(url);
    const { limit: _limit, ...rest } = q;
    const scan = { ...rest, ...(blocActors ? { actors: blocActors } : {}) };
    // SQLite reads on this thread: a scan of every event is read in date windows of ~8,000 events (sized
    // by the events of each day in the date range) with the event loop free between them, and stops at
    // the deadline. PostgreSQL's scan already waits for the database between batches.
    const windows = store.kind === 'sqlite' ? dayWindows(await store.countEventsByPeriod('day', { ...(rest.since ? { since: rest.since } : {}), ...(rest.until ? { until: rest.until } : {}) }), 8192) : [{}];
    for (const w of windows) {
      for await (const rows of store.scanEvents({ ...scan, ...w }, 'date', MAP_COLUMNS)) {
        for (const r of rows) {
          if (r[C.status] === 'retracted') continue;
          if (filter && !filter.test({ lon: r[C.lon], lat: r[C.lat], date: r[C.date], place: r[C.place] } as unknown as ConflictEvent)) continue;
          each(r);
        }
        if (deadline.passed) throw tooLong(deadline);
      }
      if (windows.length > 1) await yieldToLoop();
    }
  };

  const routes: Record<string, (url: URL) => Promise<unknown>> = {
    '/api/meta': async () => {
      const m = await getModel();
      const [scenarios, zones, actors, observations] = await Promise.all([store.listScenarios(), store.listZones(), store.listActors(), store.listControlObservations()]);
      const holders = new Set(observations.map((o) => o.actor));
      const first = m.timeline.firstDay;
      // One palette for the map, the charts and the briefings (src/core/bloc-colors.ts).
      const palette = blocColors(m.blocs);
      const kindOf = new Map(actors.map((a) => [a.id, a.kind]));
      return {
        scenario: scenarios[0] ?? null,
        scenarios: scenarios.map((x) => ({ id: x.id, name: x.name })),
        firstDate: first === null ? null : fromDayNumber(first),
        // The store's last day of data (observations, events, a scenario's end), as the CLI defaults to.
        lastDate: (await rangeOf(m)).last,
        blocs: m.blocs.map((b) => ({ id: b.id, name: b.name, color: palette[b.id]!, racer: isCombatantBloc(b, (id) => kindOf.get(id), holders) })),
        zones: zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind })),
        objectives: (await store.listObjectives()).map((o) => ({ id: o.id, name: o.name })),
        taxonomy: ACLED_TAXONOMY,
        actors: actors.map((a) => ({ id: a.id, name: a.name })),
      };
    },
    '/api/control': async (url) => {
      const q = query(url, QUERY['/api/control']);
      const m = await getModel();
      // A date outside the data is said (control is carried forward, not known), as in the CLI.
      return { ...controlReport(m, q.date, q.bloc ? resolveBloc(m.blocs, q.bloc) : undefined), warnings: dateWarnings(q.date, await rangeOf(m)) };
    },
    '/api/control.geojson': async (url) => {
      const q = query(url, QUERY['/api/control.geojson']);
      const m = await getModel();
      // The map asks the same dates again and again (stepping, going back): the polygons of a date are
      // kept while the control model they came from is the current one.
      if (areaCache.model !== m) areaCache = { model: m, byDate: new Map() };
      const hit = areaCache.byDate.get(q.date);
      if (hit) return hit;
      const s = m.stateAt(q.date);
      // Neighbouring dates often hold the same map: a digest of the features lets the app skip a redraw.
      const features = JSON.stringify([...areaFeatures(m, s), ...contestedFeatures(m, s), ...frontLineFeatures(m.frontLines(s), q.date), ...zoneFeatures(m, s), ...placeFeatures(m, s)]);
      const hash = createHash('sha1').update(features).digest('base64url').slice(0, 16);
      const out = new RawJson(`{"type":"FeatureCollection","frontline":${JSON.stringify({ kind: 'control', date: q.date, hash })},"features":${features}}`);
      if (areaCache.byDate.size >= 256) areaCache.byDate.delete(areaCache.byDate.keys().next().value!);
      areaCache.byDate.set(q.date, out);
      return out;
    },
    '/api/events': async (url) => {
      const { q, filter, blocActors, after } = await eventQuery(url);
      if (after !== undefined) {
        try {
          decodeCursor(after);
        } catch (err) {
          throw new HttpError(400, `after: ${(err as Error).message}`);
        }
      }
      const base = { ...q, ...(blocActors ? { actors: blocActors } : {}) };
      // Pages follow the store's cursor (date, then storage order), stable under concurrent writes. A page
      // is read a chunk at a time, each chunk on its way to the client before the next is read (never one
      // big string). With a control filter, chunks are read until the page is full, each no larger than
      // what is missing, so the cursor always points just after the last event given. At the deadline the
      // page ends early: fewer events, and `next` where it stopped.
      return new StreamedJson(async function* (deadline) {
        let head = '{"type":"FeatureCollection","features":[';
        let given = 0;
        let cursor: string | undefined = after;
        let next: string | null = null;
        for (;;) {
          const page = await store.queryEvents({ ...base, limit: Math.min(EVENT_PAGE.chunk, q.limit - given), ...(cursor ? { after: cursor } : {}) });
          const events = filter ? page.events.filter(filter.test) : page.events;
          if (events.length) {
            yield head + (given ? ',' : '') + events.map((e) => JSON.stringify(eventFeature(e))).join(',');
            head = '';
          }
          given += events.length;
          next = page.next;
          if (!next || given >= q.limit || deadline.passed) break;
          cursor = next;
        }
        yield `${head}],"next":${JSON.stringify(next)},"truncated":${next !== null}}`;
      }, q.limit > EVENT_PAGE.light ? 'heavy' : 'pages');
    },
    // The map's view of the filtered events, as columns (what it draws and lists; details on request).
    // A scan of every filtered event: a heavy request (it takes a turn).
    '/api/events/map': (url) => inTurn(async (deadline) => {
      // Columns, with the repeated texts (types, actors, places) as indexes into lists: a third of the
      // bytes of plain columns, and as much less to build, send and parse.
      const dict = { type: new Dict(), subType: new Dict(), actor: new Dict(), location: new Dict() };
      const out = { id: [] as string[], day: [] as number[], type: [] as number[], subType: [] as number[], actor1: [] as number[], actor2: [] as number[], location: [] as number[], best: [] as (number | null)[], lon: [] as number[], lat: [] as number[], draft: [] as number[] };
      await scanFiltered(url, (r) => {
        if (r[C.status] === 'draft') out.draft.push(out.id.length); // the rows that are drafts (?drafts=1)
        out.id.push(r[C.id] as string);
        out.day.push(r[C.day] as number);
        out.type.push(dict.type.of(r[C.type] as string));
        out.subType.push(dict.subType.of(r[C.sub_type] as string));
        out.actor1.push(dict.actor.of(r[C.actor1] as string));
        out.actor2.push(dict.actor.of((r[C.actor2] as string) ?? ''));
        out.location.push(dict.location.of((r[C.location] as string) ?? ''));
        out.best.push((r[C.fatalities] as number | null) ?? null); // unknown stays unknown, not 0
        out.lon.push(Math.round((r[C.lon] as number) * 1e5) / 1e5);
        out.lat.push(Math.round((r[C.lat] as number) * 1e5) / 1e5);
      }, deadline);
      return { ...out, dict: { type: dict.type.list, subType: dict.subType.list, actor: dict.actor.list, location: dict.location.list } };
    }),
    // Per week (Monday to Sunday) of the filtered events: how many of each type, and the killed.
    '/api/events/weekly': (url) => inTurn(async (deadline) => {
      const weeks = new Map<string, { week: string; byType: Record<string, number>; events: number; fatalities: number }>();
      const { q, filter, blocActors } = await eventQuery(url);
      if (!filter) {
        // No control filter: the store counts (an aggregate query, not a scan of every event).
        const { limit: _limit, ...rest } = q;
        for (const x of await store.summarizeEventsByPeriod('week', { ...rest, ...(blocActors ? { actors: blocActors } : {}) })) {
          const w = weeks.get(x.start) ?? { week: x.start, byType: {}, events: 0, fatalities: 0 };
          w.byType[x.type] = x.count;
          w.events += x.count;
          w.fatalities += x.fatalities;
          weeks.set(x.start, w);
        }
        return { weeks: [...weeks.values()] };
      }
      await scanFiltered(url, (r) => {
        const d = r[C.day] as number;
        const week = fromDayNumber(d - ((((d + 3) % 7) + 7) % 7)); // the Monday (day 0 was a Thursday)
        const w = weeks.get(week) ?? { week, byType: {}, events: 0, fatalities: 0 };
        const t = r[C.type] as string;
        w.byType[t] = (w.byType[t] ?? 0) + 1;
        w.events++;
        w.fatalities += (r[C.fatalities] as number | null) ?? 0;
        weeks.set(week, w);
      }, deadline);
      return { weeks: [...weeks.values()].sort((a, b) => (a.week < b.week ? -1 : 1)) };
    }),
    '/api/events/history': async (url) => {
      const q = query(url, QUERY['/api/events/history']);
      const h = await store.history('event', q.id);
      // A draft, or a rejected one (never reviewed), is not an event: only for those who ask with
      // drafts=1 (analysts: the gate checks), as in every other read.
      const draft = h.every((v) => (v.record as ConflictEvent | null)?.status !== 'reviewed');
      if (!h.length || (draft && !q.drafts)) throw new HttpError(404, `no event "${q.id}"${h.length ? ' (a draft: an analyst sees it with drafts=1)' : ''}`);
      return { id: q.id, versions: h.map((v) => ({ version: v.version, op: v.op, at: v.at, by: v.by, reason: v.reason })), current: await store.getEvent(q.id) };
    },
    '/api/control/series': async (url) => {
      const q = query(url, QUERY['/api/control/series']);
      if (q.from > q.to) throw new HttpError(400, 'from: must not be after to');
      return { from: q.from, to: q.to, step: q.step, rows: (await getModel()).series(q.from, q.to, q.step === 'day' ? 1 : 7) };
    },
    '/api/control/diff.geojson': async (url) => {
      const q = query(url, QUERY['/api/control/diff.geojson']);
      const m = await getModel();
      const d = m.diff(m.stateAt(q.from), m.stateAt(q.to));
      // Names beside the ids: the compare view shows "Syrian opposition and HTS" and "Darat Izza", not ids.
      const placeName = (id: string): string => m.places[m.placeIndexOf(id)]?.name ?? id;
      const blocs = d.blocs.map((b) => ({ ...b, name: m.blocNames[m.blocIds.indexOf(b.bloc)] ?? b.bloc, placesGainedNames: b.placesGained.map(placeName), placesLostNames: b.placesLost.map(placeName) }));
      return { type: 'FeatureCollection', features: diffFeatures(m, d), from: d.from, to: d.to, blocs };
    },
    '/api/place': async (url) => {
      const q = query(url, QUERY['/api/place']);
      const m = await getModel();
      const i = m.placeIndexOf(q.id);
      if (i < 0) throw new HttpError(404, `no place "${q.id}"`);
      const p = m.places[i]!;
      const t = m.timeline.raw(p.id);
      const history = (t?.days ?? []).map((d, k) => ({ from: fromDayNumber(d), actor: m.timeline.actors[t!.actors[k]!]!, status: ['held', 'contested', 'besieged'][t!.statuses[k]!] ?? 'held' })).filter((h, k, all) => k === 0 || h.actor !== all[k - 1]!.actor || h.status !== all[k - 1]!.status);
      const r = 0.15; // ~15 km round it, the 90 days before the date
      const nearQuery = { since: fromDayNumber(dayNumber(q.date) - 90), until: q.date, bbox: [p.lon - r, p.lat - r, p.lon + r, p.lat + r] as [number, number, number, number] };
      // The count is all of them; the list, the first 200 in date order.
      const [near, nearCount] = await Promise.all([store.queryEvents({ ...nearQuery, limit: 200 }), store.countEvents(nearQuery)]);
      const areas = (await store.listStabilizationAreas()).filter((a) => resolveArea(a, m.places).places.includes(i));
      const board = areas.length ? await stabilizationBoard(store, q.date, { areas: areas.map((a) => a.id), exposure: false, model: m }) : null;
      return {
        place: p,
        holder: m.timeline.holdingAt(p.id, q.date),
        history,
        eventCount: nearCount,
        events: near.events.map((e) => ({ id: e.id, date: e.date, type: e.type, subType: e.subType, location: e.location, fatalities: e.fatalities.best })),
        stabilization: board?.areas.map((a) => ({ id: a.id, name: a.name, holding: a.holding, priority: a.priority.score, councils: a.councils.map((c) => c.name), projects: a.projects.length, incidents: a.protection.incidents })) ?? [],
      };
    },
    '/api/places': async (url) => {
      const q = query(url, QUERY['/api/places']);
      // Any spelling, inside a name, or within a few letters when nothing has it (src/core/fuzzy.ts).
      return placeMatcher(await store.listPlaces())
        .search(q.name, { limit: 20 })
        .map(({ item: p }) => ({ id: p.id, name: p.name, names: p.names, lon: p.lon, lat: p.lat, population: p.population, kind: p.kind }));
    },
    // Land, borders and country names round the scenario (Natural Earth via world-atlas), kept.
    '/api/basemap.geojson': async () => {
      if (!basemap) {
        const m = await getModel();
        const lons = m.places.map((p) => p.lon);
        const lats = m.places.map((p) => p.lat);
        const box: [number, number, number, number] = lons.length ? [Math.min(...lons) - 4, Math.min(...lats) - 4, Math.max(...lons) + 4, Math.max(...lats) + 4] : [-180, -90, 180, 90];
        basemap = new RawJson(JSON.stringify(basemapFeatures(box)));
      }
      return basemap;
    },
    '/api/roads.geojson': async () => {
      let graph;
      try {
        graph = (await getRace()).graph;
      } catch {
        race = null;
        return { type: 'FeatureCollection', features: [] }; // no road network in this store
      }
      // One line per road piece (both directions share it), with its class.
      const seen = new Set<number>();
      const features: unknown[] = [];
      for (let e = 0; e < graph.edgeCount && features.length < 50_000; e++) {
        if (seen.has(graph.piece[e]!)) continue;
        seen.add(graph.piece[e]!);
        features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: edgeGeometry(graph, e) }, properties: { class: graph.roadClass[e] } });
      }
      return { type: 'FeatureCollection', features };
    },
    '/api/race': async (url) => {
      const q = query(url, QUERY['/api/race']);
      let ctx = await getRace();
      // A what-if: a stored scenario and/or places given to other actors from the date, never saved.
      const actorIds = q.hold ? new Set((await store.listActors()).map((a) => a.id)) : new Set<string>();
      const holds = (q.hold ?? '').split(',').filter(Boolean).map((h) => {
        const [place, actor] = h.split(':');
        if (!place || !actor || !ctx.model.places.some((p) => p.id === place)) throw new HttpError(400, `hold: "${h}" must be PLACE:ACTOR with a place id of the store`);
        if (!actorIds.has(actor)) throw new HttpError(400, `hold: no actor "${actor}" in the store (see /api/meta for the actors)`);
        return { kind: 'control' as const, place, actor, status: 'held' as const, from: q.date };
      });
      let scenario: Scenario | undefined;
      if (q.scenario || holds.length) {
        const stored = q.scenario ? (await store.listScenarios()).find((x) => x.id === q.scenario) : undefined;
        if (q.scenario && !stored) throw new HttpError(400, `scenario: no scenario "${q.scenario}"`);
        scenario = { id: 'what-if', name: 'what-if', description: '', baseDate: q.date, ...(stored ?? {}), overrides: [...(stored?.overrides ?? []), ...holds] };
        ctx = new RaceContext(ctx.graph, await loadControlModel(store, { scenario }));
      }
      // An objective /api/meta lists (by id or name), or a place by id or any spelling of its name.
      const { name: objectiveName, place: p } = resolveObjectivePlace(await store.listObjectives(), ctx.model.places, q.objective);
      // Blocs by id or name, any case; an unknown one is a 400 naming the close ones.
      const blocs = q.blocs ? q.blocs.split(',').filter(Boolean).map((b) => resolveBloc(ctx.model.blocs, b, 'blocs')) : undefined;
      const r = runRace(ctx, q.date, [{ name: objectiveName, lon: p.lon, lat: p.lat, placeId: p.id }], withScenario(DEFAULT_RACE_PARAMETERS, scenario), {
        ...(blocs ? { blocs } : {}),
        positions: positionsOf(scenario),
        cells: Boolean(q.map),
      });
      const { cellDays, ...result } = r;
      if (!cellDays) return result;
      // On the map: who gets where first, the fronts between them, and how far each bloc gets in 1, 3 and 7 days.
      return { ...result, map: { type: 'FeatureCollection', features: arrivalMapFeatures(arrivalMap(ctx.model, cellDays, [1, 3, 7])) } };
    },
    // The race run the other way: how soon each hostile bloc could reach each place a bloc holds.
    '/api/exposure': async (url) => {
      const q = query(url, QUERY['/api/exposure']);
      const ctx = await getRace();
      const m = ctx.model;
      const bloc = resolveBloc(m.blocs, q.bloc);
      const b = m.blocIds.indexOf(bloc);
      const state = m.stateAt(q.date);
      const held = m.places.filter((p, i) => state.placeBloc[i] === b && (!q.admin1 || foldName(p.admin1 ?? '') === foldName(q.admin1)));
      const { hostile, rows } = exposureTo(ctx, q.date, bloc, held.map((p) => ({ id: p.id, name: p.name, lon: p.lon, lat: p.lat, placeId: p.id })), DEFAULT_RACE_PARAMETERS);
      const within = q.within ?? Infinity;
      const places = rows
        .map((r, i) => ({ place: r.id, name: r.name, population: held[i]!.population, firstThreat: r.firstThreat, days: r.days, threats: r.threats }))
        .filter((r) => r.days !== null && r.days <= within)
        .sort((x, y) => x.days! - y.days!);
      return { date: q.date, bloc, hostile, withinDays: q.within ?? null, held: held.length, places };
    },
    '/api/documents': async (url) => {
      const q = query(url, QUERY['/api/documents']);
      const d = await store.getDocument(q.id);
      if (!d) throw new HttpError(404, `no document "${q.id}"`);
      return d;
    },
  };

  const posts: Record<string, (body: unknown, url: URL, caller: Caller, res: ServerResponse) => Promise<unknown>> = {
    '/api/extract': async (body, _url, caller) => {
      const b = parseBody(body, BODY['/api/extract']);
      const { save, user, ...req } = b;
      return extractWithStore(store, req, { save: Boolean(save), by: who(caller, user) });
    },
    '/api/drafts/accept': async (body, _url, caller) => {
      const b = parseBody(body, BODY['/api/drafts/accept']);
      return reviewDraft(store, b.id, { accept: true, ...(b.changes ? { changes: b.changes } : {}) }, who(caller, b.user));
    },
    '/api/drafts/edit': async (body, _url, caller) => {
      const b = parseBody(body, BODY['/api/drafts/edit']);
      return reviewDraft(store, b.id, { accept: false, changes: b.changes }, who(caller, b.user));
    },
    '/api/drafts/reject': async (body, _url, caller) => {
      const b = parseBody(body, BODY['/api/drafts/reject']);
      await rejectDraft(store, b.id, b.reason, who(caller, b.user));
      return { id: b.id, rejected: true };
    },
  };
  const boardQuery = (url: URL) => {
    const q = query(url, QUERY['stabilization']);
    let weights;
    try {
      weights = parseWeights(q.weights);
    } catch (err) {
      throw new HttpError(400, `weights: ${(err as Error).message}`);
    }
    return { q, opts: { weights, ...(q.withdraw ? { withdraw: q.withdraw } : {}), ...(q.area ? { areas: [q.area] } : {}), ...(q.window ? { windowDays: q.window } : {}) } };
  };
  const board = async (url: URL) => {
    const { q, opts } = boardQuery(url);
    try {
      return await stabilizationBoard(store, q.date, { ...opts, model: await getModel(), race: getRace });
    } catch (err) {
      if (err instanceof RangeError) throw new HttpError(400, err.message);
      throw err;
    }
  };
  const by = (caller: Caller): WriteContext => ({ by: caller.user!.id });
  Object.assign(posts, {
    '/api/login': async (body: unknown, _url: URL, _caller: Caller, res: ServerResponse) => {
      const b = parseBody(body, BODY['/api/login']);
      const wait = signInBackoff.take(b.user);
      if (wait > 0) throw new HttpError(429, `too many failed sign-ins on this account: try again in ${Math.ceil(wait / 1000)} s`, Math.ceil(wait / 1000));
      // One answer, after the same work, for an unknown user, a disabled one and a wrong password.
      let user: User | null | undefined;
      try {
        user = checkSignIn(await store.getUser(b.user), b.password);
      } finally {
        signInBackoff.settle(b.user, user === undefined ? null : user !== null); // a store failure proves nothing either way
      }
      if (!user) throw new HttpError(401, 'wrong user or password');
      const secret = newSecret(), csrf = newSecret();
      await store.createSession({ tokenHash: hashSecret(secret), user: user.id, csrf, expiresAt: new Date(Date.now() + SESSION_DAYS * 864e5).toISOString() });
      res.setHeader('set-cookie', `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_DAYS * 86400}${opts.secureCookies ? '; Secure' : ''}`);
      return { user: user.id, name: user.name, role: user.role, csrf };
    },
    '/api/logout': async (_body: unknown, _url: URL, caller: Caller, res: ServerResponse) => {
      if (caller.sessionHash) await store.deleteSessions({ tokenHash: caller.sessionHash });
      res.setHeader('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return { loggedOut: true };
    },
    '/api/tokens': async (body: unknown, _url: URL, caller: Caller) => {
      const b = parseBody(body, BODY['/api/tokens']);
      const secret = newSecret();
      await store.createToken({ tokenHash: hashSecret(secret), user: caller.user!.id, name: b.name });
      return { token: secret, name: b.name, note: 'shown once: keep it; send it as "Authorization: Bearer TOKEN"' };
    },
    '/api/tokens/revoke': async (_body: unknown, _url: URL, caller: Caller) => ({ revoked: await store.revokeTokens({ user: caller.user!.id }) }),
    '/api/users': async (body: unknown, _url: URL, caller: Caller) => {
      const b = parseBody(body, BODY['/api/users']);
      const r = await store.putUsers([{ id: b.id, name: b.name, role: b.role, passwordHash: hashPassword(b.password), disabled: false }], { ...by(caller), expectVersion: 0 });
      teamSeen = true;
      return { id: b.id, role: b.role, created: r.created === 1 };
    },
    '/api/events/create': async (body: unknown, _url: URL, caller: Caller) => {
      const e = parseBody(body, BODY['/api/events/create']).event;
      const event = EventSchema.parse({ ...e, id: e.id ?? `web-${newSecret().slice(0, 12)}`, status: 'reviewed', provenance: { kind: 'user', user: caller.user!.id, at: new Date().toISOString() } });
      await store.putEvents([event], { ...by(caller), expectVersion: 0, reason: 'entered in the web app' });
      return event;
    },
    '/api/events/edit': async (body: unknown, _url: URL, caller: Caller) => {
      const b = parseBody(body, BODY['/api/events/edit']);
      const cur = await store.getEvent(b.id);
      if (!cur) throw new HttpError(404, `no event "${b.id}"`);
      const next = EventSchema.safeParse({ ...cur, ...b.changes });
      if (!next.success) throw new HttpError(400, next.error.issues.map((i) => `changes.${i.path.join('.')}: ${i.message}`).join('; '));
      await store.putEvents([next.data], { ...by(caller), expectVersion: b.version, reason: b.reason ?? 'corrected in the web app' });
      return next.data;
    },
    '/api/import': async (body: unknown, _url: URL, caller: Caller) => {
      const b = parseBody(body, BODY['/api/import']);
      if ((b.path === undefined) === (b.content === undefined)) throw new HttpError(400, 'give either path (a file in an import folder) or content (the file itself)');
      // Uploaded content goes to a private temporary folder under a name the server makes, never the client's.
      const tmp = b.content !== undefined ? mkdtempSync(join(tmpdir(), 'frontline-upload-')) : null;
      try {
        const file = tmp ? join(tmp, `upload.${b.format === 'geojson' ? 'geojson' : 'csv'}`) : confinePath(b.path!, opts.importDirs ?? []);
        if (tmp) writeFileSync(file, b.content!, { mode: 0o600 });
        const r = await importFile(store, b.format, file, { strict: Boolean(b.strict), by: by(caller).by, ...(b.kind ? { kind: b.kind } : {}) });
        if (b.format === 'control' || b.format === 'places' || b.format === 'geojson') {
          // importFile has marked the change for other processes; this one rebuilds its model.
          model = null;
          race = null;
          generation = await store.getMeta(CONTROL_GENERATION_KEY);
        }
        const name = tmp ? 'upload' : b.path!;
        return { ...r, file: name, rejects: r.rejects.slice(0, 200).map((x) => ({ ...x, file: name })), repairs: r.repairs.slice(0, 200).map((x) => ({ ...x, file: name })) };
      } finally {
        if (tmp) rmSync(tmp, { recursive: true, force: true });
      }
    },
    '/api/events/retract': async (body: unknown, _url: URL, caller: Caller) => {
      const b = parseBody(body, BODY['/api/events/retract']);
      await store.retractEvent(b.id, { ...by(caller), reason: b.reason });
      return { id: b.id, retracted: true };
    },
    '/api/control/observations': async (body: unknown, _url: URL, caller: Caller) => {
      const o = parseBody(body, BODY['/api/control/observations']);
      const obs = ControlObservationSchema.parse({ id: `${o.place}:${o.from}:${o.actor}:${caller.user!.id}`, place: o.place, actor: o.actor, status: o.status, from: o.from, source: { name: o.source }, confidence: o.confidence ?? 0.8, ...(o.notes ? { notes: o.notes } : {}), provenance: { kind: 'user', user: caller.user!.id, at: new Date().toISOString() } });
      await store.putControlObservations([obs], by(caller));
      await controlChanged();
      return obs;
    },
    '/api/zones': async (body: unknown, _url: URL, caller: Caller) => {
      const zb = parseBody(body, BODY['/api/zones']).zone;
      const zone = ZoneSchema.parse({ ...zb, id: zb.id ?? `zone-${newSecret().slice(0, 10)}`, provenance: { kind: 'user', user: caller.user!.id, at: new Date().toISOString() } });
      await store.putZones([zone], by(caller));
      await controlChanged();
      return zone;
    },
  });
  routes['/api/audit'] = async (url) => {
    const q = query(url, QUERY['/api/audit']);
    return { entries: await store.listAudit({ limit: q.limit, ...(q.before ? { before: q.before } : {}), ...(q.kind ? { kind: q.kind as RecordKind } : {}), ...(q.by ? { by: q.by } : {}) }) };
  };
  routes['/api/stabilization'] = board;
  // The briefing as an HTML page (the web app shows it in a sandboxed frame: no scripts run in it).
  const pages: Record<string, (url: URL) => Promise<string>> = {
    '/api/stabilization/brief.html': async (url) => {
      const b = await board(url);
      const [m, blocs, indicators, observations] = await Promise.all([getModel(), store.listBlocs(), store.listIndicators(), store.listControlObservations()]);
      return briefHtml({ board: b, model: m, blocs, indicators, observations });
    },
  };
  routes['/api/drafts'] = async (url) => {
    const q = query(url, QUERY['/api/drafts']);
    return { drafts: await listDrafts(store, q.limit ?? 500) };
  };

  /** What each route needs (DESIGN: every route declares it). GET routes read unless said otherwise. */
  const POST_ACCESS: Record<string, Access> = {
    '/api/login': 'public',
    '/api/logout': 'public',
    '/api/tokens': 'viewer',
    '/api/tokens/revoke': 'viewer',
    '/api/users': 'admin',
    '/api/extract': 'analyst',
    '/api/drafts/accept': 'analyst',
    '/api/drafts/reject': 'analyst',
    '/api/drafts/edit': 'analyst',
    '/api/events/create': 'analyst',
    '/api/events/edit': 'analyst',
    '/api/events/retract': 'analyst',
    '/api/control/observations': 'analyst',
    '/api/zones': 'analyst',
  };
  const GET_ACCESS: Record<string, Access> = { '/api/me': 'public', '/api/audit': 'analyst', '/api/drafts': 'analyst', '/api/imports': 'admin', '/api/imports/rejects': 'admin' };
  routes['/api/imports'] = async () => ({ imports: await store.listImports() });
  routes['/api/imports/rejects'] = async (url) => ({ rejects: await store.listRejects(query(url, QUERY['/api/imports/rejects']).id) });
  /** GET routes that write their own answer (a file as it streams). */
  const streams: Record<string, (url: URL, res: ServerResponse) => Promise<void>> = {
    '/api/map.svg': async (url, res) => {
      const q = query(url, QUERY['/api/map.svg']);
      const m = await getModel();
      const bbox = q.bbox ? (q.bbox.split(',').map(Number) as [number, number, number, number]) : undefined;
      const last = m.timeline.lastDay;
      const date = q.date ?? (last === null ? new Date().toISOString().slice(0, 10) : fromDayNumber(last));
      let svg: string;
      try {
        svg = publicationMapSvg(m, { date, ...(bbox ? { bbox } : {}), ...(q.title ? { title: q.title } : {}) });
      } catch (err) {
        if (err instanceof RangeError) throw new HttpError(400, err.message);
        throw err;
      }
      // An image, never a page: no script runs in it even when opened on its own.
      res.writeHead(200, { 'content-type': 'image/svg+xml; charset=utf-8', 'content-disposition': `attachment; filename="frontline-map-${date}.svg"`, 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'", 'cache-control': 'no-store' });
      res.end(svg);
    },
    '/api/export/gis': async (url, res) => {
      const q = query(url, QUERY['/api/export/gis']);
      let exp;
      try {
        exp = await gisLayers(store, q.kind, { ...(q.date ? { date: q.date } : {}), query: { ...(q.since ? { since: q.since } : {}), ...(q.until ? { until: q.until } : {}) } });
      } catch (err) {
        if (err instanceof RangeError) throw new HttpError(400, err.message);
        throw err;
      }
      let bytes: Uint8Array;
      if (q.format === 'gpkg') {
        // A GeoPackage is an SQLite file: written to a temporary file, sent, removed.
        const dir = mkdtempSync(join(tmpdir(), 'frontline-gpkg-'));
        try {
          writeGis('gpkg', join(dir, 'x.gpkg'), exp);
          bytes = readFileSync(join(dir, 'x.gpkg'));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } else bytes = gisBytes(q.format, exp);
      const type = { gpkg: 'application/geopackage+sqlite3', kml: 'application/vnd.google-earth.kml+xml', fgb: 'application/octet-stream' }[q.format];
      res.writeHead(200, { 'content-type': type, 'content-disposition': `attachment; filename="frontline-${q.kind}.${q.format}"`, 'content-length': bytes.byteLength, 'cache-control': 'no-store' });
      res.end(bytes);
    },
    '/api/export': async (url, res) => {
      const q = await canonicalFilters(query(url, QUERY['/api/export']));
      const { format, drafts, ...rest } = q;
      const filters = { ...rest, ...(drafts ? { includeDrafts: true } : {}) };
      const ext = format === 'geojson' ? 'geojson' : 'csv';
      // A heavy request: it waits its turn, and goes out chunk by chunk as the client takes them (a client
      // that stops reading is cut off after the drain limit, giving its turn up).
      await inTurn(async () => {
        res.writeHead(200, {
          'content-type': format === 'geojson' ? 'application/geo+json' : 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="frontline-${format}.${ext}"`,
          'cache-control': 'no-store',
        });
        try {
          await exportTo(store, format, { query: filters, write: (chunk) => writeChunk(res, chunk, streamLimits.drainMs) });
        } catch (err) {
          if (!(err instanceof ClientGoneError)) throw err;
          return void res.destroy();
        }
        res.end();
      }, res);
    },
  };
  routes['/api/me'] = async () => ({});
  // The mode is the store's, not this process's: a first user added by another process (`frontline users
  // add`) ends personal mode at the next request. Users are disabled, never deleted, so team mode once
  // seen stays (failing closed); only while the store has no users is it asked again, on every request
  // (an indexed look-up that finds nothing: microseconds on SQLite, one round trip on PostgreSQL).
  let teamSeen = false;
  const isPersonal = async (): Promise<boolean> => {
    if (!teamSeen) teamSeen = (await store.listUsers()).length > 0;
    return !teamSeen;
  };
  const publicRead = async (): Promise<boolean> => (await store.getMeta('settings.read')) !== 'private';
  const loginLimit = new RateLimiter(opts.limits?.loginsPerMinute ?? 10, 60_000);
  const signInBackoff = new SignInBackoff();
  const proxies = trustedProxies(opts.trustProxy ?? []);
  const writeLimit = new RateLimiter(opts.limits?.writesPerMinute ?? 600, 60_000);

  const webRoot = opts.webRoot && existsSync(join(opts.webRoot, 'index.html')) ? resolve(opts.webRoot) : null;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      try {
        const misdirected = hostOk(req);
        if (misdirected) throw new HttpError(421, misdirected);
        const url = requestUrl(req.url);
        const caller = await identify(req, store, await isPersonal());
        const gate = async (access: Access): Promise<void> => {
          if (allowed(caller, access, await publicRead())) return;
          throw caller.user ? new HttpError(403, `this needs the ${access === 'read' ? 'viewer' : access} role; you are ${caller.user.role}`) : new HttpError(401, 'sign in first (POST /api/login), or send an API token');
        };
        if (req.method === 'POST') {
          const post = posts[url.pathname];
          if (!post) throw new HttpError(url.pathname.startsWith('/api/') && routes[url.pathname] ? 405 : 404, `no POST route ${url.pathname} (see docs/api.md)`);
          await gate(POST_ACCESS[url.pathname] ?? 'admin');
          if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'send JSON (content-type: application/json)');
          // A cookie session proves itself on writes with its CSRF token; another site cannot read it.
          if (caller.via === 'cookie' && req.headers['x-csrf-token'] !== caller.csrf) throw new HttpError(403, 'missing or wrong x-csrf-token (it is given at login and by GET /api/me)');
          const ip = clientAddress(req, proxies);
          if (url.pathname === '/api/login' && !loginLimit.take(ip)) throw new HttpError(429, 'too many sign-in attempts: wait a minute');
          if (url.pathname !== '/api/login' && !writeLimit.take(caller.user?.id ?? ip)) throw new HttpError(429, 'too many writes: slow down');
          const body = await readJsonBody(req, url.pathname === '/api/import' ? 25_000_000 : MAX_DOCUMENT_CHARS * 4);
          const out = JSON.stringify(await post(body, url, caller, res));
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(out);
          return;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'GET, HEAD, or POST on the write routes');
        if (url.pathname === '/api/me') {
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify({ user: caller.user ? { id: caller.user.id, name: caller.user.name, role: caller.user.role } : null, via: caller.via, csrf: caller.csrf ?? null, publicRead: await publicRead() }));
          return;
        }
        if (url.pathname.startsWith('/api/')) await gate(GET_ACCESS[url.pathname] ?? 'read');
        // Drafts are not events until reviewed: only those who may review them see them, and only when
        // they ask (decision 0028).
        if (url.pathname.startsWith('/api/') && url.searchParams.has('drafts')) await gate('analyst');

        const page = pages[url.pathname];
        if (page) {
          const body = await page(url);
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'" });
          res.end(body);
          return;
        }
        const stream = streams[url.pathname];
        if (stream) return void (await stream(url, res));
        const route = routes[url.pathname];
        if (route) {
          const result = await route(url);
          if (result instanceof StreamedJson) return void (await sendStreamed(res, result, url.pathname.endsWith('.geojson') ? 'application/geo+json' : 'application/json'));
          const body = result instanceof RawJson ? result.text : JSON.stringify(result);
          res.writeHead(200, { 'content-type': url.pathname.endsWith('.geojson') ? 'application/geo+json' : 'application/json', 'cache-control': 'no-store' });
          res.end(body);
          return;
        }
        if (url.pathname.startsWith('/api/')) throw new HttpError(404, `no route ${url.pathname} (see docs/api.md)`);
        if (!webRoot) throw new HttpError(404, 'the web app is not built: run npm run build');
        // Static files, confined to the web root whatever the path says.
        const path = resolve(webRoot, `.${decodePath(url.pathname === '/' ? '/index.html' : url.pathname)}`);
        if (path !== webRoot && !path.startsWith(webRoot + sep)) throw new HttpError(403, 'outside the app');
        if (!existsSync(path) || !statSync(path).isFile()) throw new HttpError(404, `no file ${url.pathname}`);
        res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' });
        createReadStream(path).pipe(res);
      } catch (err) {
        const status = err instanceof HttpError ? err.status : err instanceof UnavailableError || isLockConflict(err) ? 503 : err instanceof ConflictError ? 409 : err instanceof NotFoundError ? 404 : err instanceof UsageError ? 400 : err instanceof FrontlineError ? 422 : 500;
        // No stack traces to clients: a 500 says only that it failed; the log has the rest.
        const message = status === 500 ? 'the server failed on this request (see its log)' : err instanceof Error ? err.message : String(err);
        if (status === 500) console.error(err);
        // RFC 9457 problem details (with "error" kept for older clients).
        if (res.headersSent) return void res.destroy(); // a stream already under way can only be cut
        res.writeHead(status, { 'content-type': 'application/problem+json', ...(status === 503 ? { 'retry-after': String(err instanceof UnavailableError ? err.retryAfterSeconds : 1) } : {}), ...(err instanceof HttpError && err.retryAfter ? { 'retry-after': String(err.retryAfter) } : {}) });
        res.end(JSON.stringify({ type: 'about:blank', title: STATUS_TEXT[status] ?? 'Error', status, detail: message, error: message }));
      }
    })();
  });
  const hostOk = hostCheck(server, opts.allowedHosts ?? []);
  const queryOf = (path: string): z.ZodRawShape | undefined => (QUERY as Record<string, z.ZodRawShape>)[path] ?? (['/api/events', '/api/events/map', '/api/events/weekly'].includes(path) ? QUERY.events : path.startsWith('/api/stabilization') ? QUERY.stabilization : undefined);
  const docs = (): Record<string, unknown> => openApiDocument(table.map((r) => ({ ...r, ...(r.method === 'GET' && queryOf(r.path) ? { query: queryOf(r.path)! } : {}), ...(r.method === 'POST' && (BODY as Record<string, z.ZodRawShape>)[r.path] ? { body: (BODY as Record<string, z.ZodRawShape>)[r.path]! } : {}) })), '0.1.0');
  routes['/api/openapi.json'] = async () => docs();
  pages['/api/docs'] = async () => referencePage(docs());
  GET_ACCESS['/api/openapi.json'] = 'public';
  GET_ACCESS['/api/docs'] = 'public';
  const table: RouteSpec[] = [
    ...Object.keys(routes).map((path) => ({ method: 'GET' as const, path, access: GET_ACCESS[path] ?? ('read' as Access) })),
    ...Object.keys(pages).map((path) => ({ method: 'GET' as const, path, access: GET_ACCESS[path] ?? ('read' as Access) })),
    ...Object.keys(streams).map((path) => ({ method: 'GET' as const, path, access: GET_ACCESS[path] ?? ('read' as Access) })),
    ...Object.keys(posts).map((path) => ({ method: 'POST' as const, path, access: POST_ACCESS[path] ?? ('admin' as Access) })),
  ];
  /**
   * Build what the first page asks for (the control model, the roads linked to it, the basemap) before
   * anyone comes: `frontline serve` calls it once listening, so the first visitor does not wait for it.
   */
  const warm = async (): Promise<void> => {
    await getModel();
    await routes['/api/basemap.geojson']!(new URL('http://localhost/'));
    await getRace().catch(() => undefined); // a store without roads has no race
  };
  return Object.assign(server, { routes: table, warm });
}

export interface RouteSpec {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type', 421: 'Misdirected Request', 422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** For every answer. The app's pages satisfy this CSP (MapLibre's workers are blob: URLs). */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; child-src 'self' blob:; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'SAMEORIGIN',
};

/** The request's URL (path and query); a target that is not one is the client's error (400), not ours. */
function requestUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://localhost');
  } catch {
    throw new HttpError(400, 'the request target is not a URL path (send /path?query)');
  }
}

/** A URL path's percent-encoding decoded; bad encoding (a lone %, a cut UTF-8 sequence) is a 400. */
function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HttpError(400, `the path is not valid percent-encoding (each % must be followed by two hex digits, and the bytes must be UTF-8): ${path.slice(0, 200)}`);
  }
}

/** The name a write is recorded under: the signed-in user, or in personal mode the name given. */
function who(caller: Caller, given: string | undefined): string {
  return caller.via === 'personal' ? (given ?? 'local') : caller.user!.id;
}
