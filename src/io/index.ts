/**
 * Importers and exporters by format name: what the CLI and the server call. Each import validates every
 * row, quarantines or refuses bad ones (see import-runner.ts), and writes in one transaction.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { actorResolver, buildAliasIndex } from '../core/actors.js';
import { UsageError } from '../core/errors.js';
import polygonClipping, { type Geom as PcGeom } from 'polygon-clipping';
import type { Boundary, ConflictEvent, ControlArea, ControlObservation, Place, Zone } from '../core/schemas.js';
import { multiPolygonAreaKm2, type MultiPolygonCoords } from '../geo/measure.js';
import type { EventQuery, ImportBatch, Store } from '../store/store.js';
import { ACLED_COLUMNS, ACLED_EXPORT_FIELDS, ACLED_REQUIRED, acledRowToEvent } from './acled.js';
import { CONTROL_COLUMNS, CONTROL_NUMERIC, CONTROL_REQUIRED, controlRowToObservation, observationToControlRow } from './control-csv.js';
import { csvLine, readCsvRecords } from './csv.js';
import { csvRows } from './csv-source.js';
import { COLLECTION_TAIL, collectionHead, controlFeature, eventFeature, geojsonRows, inferKind, placeFeature, readFeatureCollection, zoneFeature, type GeoJsonKind, type GeoJsonRecord } from './geojson.js';
import { HXL_EVENT_COLUMNS, HXL_NUMERIC, HXL_REQUIRED, hxlRowToEvent } from './hxl.js';
import { markControlChanged } from '../control/load.js';
import { runImport, type ImportOptions, type ImportSummary, type SourceRow } from './import-runner.js';
import { geonamesRowToPlace, PLACE_COLUMNS, PLACE_NUMERIC, PLACE_REQUIRED, placeRowToPlace, placeToRow } from './places.js';
import { UCDP_COLUMNS, UCDP_NUMERIC, UCDP_REQUIRED, ucdpRowToEvent, eventToUcdpRow } from './ucdp.js';

export const IMPORT_FORMATS = ['acled', 'ucdp', 'hxl', 'geojson', 'places', 'control'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['acled', 'ucdp', 'hxl', 'geojson', 'places', 'control'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface FileImportOptions extends Omit<ImportOptions, 'store' | 'file' | 'format'> {
  /** For GeoJSON: what the features are, when the file does not say. */
  kind?: GeoJsonKind;
  onBytes?: (bytes: number, total: number) => void;
}

const eventsBatch = (items: ConflictEvent[]): { events: ConflictEvent[] } => ({ events: items });

export async function importFile(store: Store, format: ImportFormat, file: string, opts: FileImportOptions = {}): Promise<ImportSummary> {
  const summary = await importRecords(store, format, file, opts);
  // Places, observations, zones and control maps feed the control model that servers keep in memory.
  if (summary.committed && summary.created + summary.updated > 0 && !['acled', 'ucdp', 'hxl'].includes(format) && opts.kind !== 'events') await markControlChanged(store);
  return summary;
}

async function importRecords(store: Store, format: ImportFormat, file: string, opts: FileImportOptions): Promise<ImportSummary> {
  const base = { store, file, format, ...opts };
  const prov = (line: number, fmt: string = format) => ({ kind: 'file' as const, file: basename(file), line, format: fmt });
  const csvOpts = opts.onBytes ? { onBytes: opts.onBytes } : {};
  switch (format) {
    case 'acled':
    case 'ucdp':
    case 'hxl': {
      const resolveActor = actorResolver(buildAliasIndex(await store.listActors()));
      const fileKey = createHash('sha1').update(basename(file)).digest('hex').slice(0, 8);
      const rows = csvRows<ConflictEvent>({
        ...csvOpts,
        file,
        formatName: format === 'acled' ? 'an ACLED CSV' : format === 'ucdp' ? 'a UCDP GED CSV' : 'an HXL-tagged events CSV',
        required: format === 'acled' ? ACLED_REQUIRED : format === 'ucdp' ? UCDP_REQUIRED : HXL_REQUIRED,
        hashtagRow: format === 'hxl',
        convert: (get, line, columns) =>
          format === 'acled'
            ? acledRowToEvent(get, { resolveActor, provenance: prov(line) }, columns)
            : format === 'ucdp'
              ? ucdpRowToEvent(get, { resolveActor, provenance: prov(line) }, columns)
              : hxlRowToEvent(get, line, { resolveActor, provenance: prov(line), fallbackId: (l) => `hxl-${fileKey}-${l}` }),
      });
      // ACLED and UCDP rows run 300–700 bytes; a low guess only means the indexes are updated as rows come.
      const expectedEvents = Math.floor(fileSize(file) / 700);
      return runImport({ ...base, expectedEvents }, { rows, keyOf: (e) => e.id, toBatch: eventsBatch, storeFindsDuplicates: true });
    }
    case 'control': {
      const places = new Set((await store.listPlaces()).map((p) => p.id));
      const actors = new Set((await store.listActors()).map((a) => a.id));
      const rows = csvRows<ControlObservation>({ ...csvOpts, file, formatName: 'a Frontline control CSV', required: CONTROL_REQUIRED, convert: (get, line) => controlRowToObservation(get, prov(line)) });
      return runImport(base, {
        rows,
        keyOf: (o) => o.id,
        toBatch: (control) => ({ control }),
        check: (o) =>
          !places.has(o.place)
            ? `place "${o.place}" is not in the store: import it first (frontline import places)`
            : !actors.has(o.actor)
              ? `actor "${o.actor}" is not in the store: add it to the actors first`
              : null,
      });
    }
    case 'places': {
      const rows = isGeonamesDump(file) ? geonamesDumpRows(file, csvOpts.onBytes) : csvRows<Place>({ ...csvOpts, file, formatName: 'a Frontline places CSV', required: PLACE_REQUIRED, convert: (get, line) => placeRowToPlace(get, prov(line)) });
      return runImport(base, { rows, keyOf: (p) => p.id, toBatch: (places) => ({ places }) });
    }
    case 'geojson': {
      const { features, kind: declared } = readFeatureCollection(file);
      const kind = opts.kind ?? declared ?? inferKind(features);
      const places = kind === 'control' ? new Set((await store.listPlaces()).map((p) => p.id)) : null;
      const actors = kind === 'control' || kind === 'control-areas' ? new Set((await store.listActors()).map((a) => a.id)) : null;
      const overlaps = kind === 'control-areas' ? controlAreaOverlaps(await store.listControlAreas()) : null;
      const rows = geojsonRows(features, kind, basename(file));
      return runImport({ ...base, format: `geojson-${kind}` }, {
        rows: toAsync(rows),
        keyOf: (r) => (r as { id: string }).id,
        toBatch: (items) => geojsonBatch(kind, items),
        check: (r) => {
          if (places && !places.has((r as ControlObservation).place)) return `place "${(r as ControlObservation).place}" is not in the store: import it first`;
          if (actors && !actors.has((r as ControlObservation | ControlArea).actor)) return `actor "${(r as ControlArea).actor}" is not in the store: add it to the actors first`;
          return overlaps ? overlaps(r as ControlArea) : null;
        },
      });
    }
  }
}

function geojsonBatch(kind: GeoJsonKind, items: GeoJsonRecord[]): ImportBatch {
  switch (kind) {
    case 'events':
      return { events: items as ConflictEvent[] };
    case 'places':
      return { places: items as Place[] };
    case 'zones':
      return { zones: items as Zone[] };
    case 'control':
      return { control: items as ControlObservation[] };
    case 'control-areas':
      return { controlAreas: items as ControlArea[] };
    case 'boundary':
      return { boundaries: items as Boundary[] };
  }
}

/**
 * Two analysts' polygons that overlap in space and in time would each claim the same land: refused, with
 * the other polygon named, so the analyst fixes one of them (a shared border is not an overlap).
 */
function controlAreaOverlaps(existing: ControlArea[]): (a: ControlArea) => string | null {
  const accepted = existing.map((a) => ({ a, coords: multiPolygonOf(a.geometry) }));
  return (a) => {
    const coords = multiPolygonOf(a.geometry);
    for (const o of accepted) {
      if (o.a.id === a.id) continue;
      const overlapInTime = a.from <= (o.a.to ?? '9999-12-31') && o.a.from <= (a.to ?? '9999-12-31');
      if (!overlapInTime) continue;
      const shared = multiPolygonAreaKm2(polygonClipping.intersection(coords as PcGeom, o.coords as PcGeom) as MultiPolygonCoords);
      if (shared > 0.01) return `overlaps control area "${o.a.id}" by ${shared.toFixed(2)} km² while both are in force: fix one of the polygons or their dates`;
    }
    accepted.push({ a, coords });
    return null;
  };
}

function multiPolygonOf(g: ControlArea['geometry']): MultiPolygonCoords {
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as MultiPolygonCoords;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // the reader says what is wrong with the path
  }
}

async function* toAsync<T>(it: Iterable<T>): AsyncGenerator<T> {
  yield* it;
}

function isGeonamesDump(file: string): boolean {
  return /\.txt$/i.test(file) || /\.tsv$/i.test(file);
}

async function* geonamesDumpRows(file: string, onBytes?: (b: number, t: number) => void): AsyncGenerator<SourceRow<Place>> {
  for await (const rec of readCsvRecords(file, { delimiter: '\t', noQuotes: true, ...(onBytes ? { onBytes } : {}) })) {
    const result = geonamesRowToPlace(rec.fields, { kind: 'file', file: basename(file), line: rec.line, format: 'geonames' });
    if (result) yield { line: rec.line, raw: rec.raw, result };
  }
}

// ---- export -------------------------------------------------------------------------------------------

export interface ExportOptions {
  query?: Omit<EventQuery, 'limit' | 'after'>;
  /**
   * Events in date order (the default), or in the order they were stored: for a file imported whole,
   * its own order (ACLED's downloads come newest first), and the fastest export. ACLED format only.
   */
  order?: 'date' | 'storage';
  /**
   * Called with each chunk of text, or of UTF-8 bytes holding whole lines (the ACLED export's bulk path);
   * return a promise to apply back-pressure.
   */
  write: (chunk: string | Uint8Array) => void | Promise<void>;
}

/**
 * How a draft is marked in the CSV formats, which have no status column: at the start of its notes
 * (ACLED notes, UCDP where_description, HXL #description). GeoJSON carries the status itself. Drafts
 * are only exported when the query asks for them (includeDrafts).
 */
export const DRAFT_MARK = '[DRAFT] ';

/** Write the store's records in a format; returns how many records were written. */
export async function exportTo(store: Store, format: ExportFormat, opts: ExportOptions): Promise<number> {
  const { write } = opts;
  const q = opts.query ?? {};
  let n = 0;
  // Rows are gathered into chunks of ~1 MB: one write per row would make the export syscall-bound.
  let buf = '';
  const push = async (s: string): Promise<void> => {
    buf += s;
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  };
  switch (format) {
    case 'acled':
    case 'ucdp':
    case 'hxl': {
      if (format === 'hxl') {
        await push(csvLine(HXL_EVENT_COLUMNS.map((c) => c[0])) + csvLine(HXL_EVENT_COLUMNS.map((c) => c[1])));
      } else {
        await push(csvLine(format === 'acled' ? ACLED_COLUMNS : UCDP_COLUMNS));
      }
      if (format === 'acled') {
        // The bulk path: the store writes the lines; only chunks of bytes reach JavaScript, and go out as
        // they are.
        // Drafts, when asked for, say so at the start of their notes (ACLED has no status column).
        const fields = ACLED_COLUMNS.map((c) => (c === 'notes' && q.includeDrafts ? { ...ACLED_EXPORT_FIELDS.notes, markDrafts: DRAFT_MARK } : ACLED_EXPORT_FIELDS[c]));
        await write(buf);
        buf = '';
        for await (const chunk of store.scanEventCsv(q, fields, opts.order ?? 'date')) {
          await write(chunk.bytes);
          n += chunk.rows;
        }
        break;
      }
      const toRow = format === 'ucdp' ? eventToUcdpRow : (e: ConflictEvent) => HXL_EVENT_COLUMNS.map((c) => c[2](e));
      const numeric = format === 'ucdp' ? UCDP_NUMERIC : HXL_NUMERIC;
      for await (const e of store.streamEvents(q)) {
        await push(csvLine(toRow(e.status === 'draft' ? { ...e, notes: `${DRAFT_MARK}${e.notes}` } : e), numeric));
        n++;
      }
      break;
    }
    case 'geojson': {
      await push(collectionHead('events'));
      for await (const e of store.streamEvents(q)) {
        await push(`${n ? ',\n' : ''}${JSON.stringify(eventFeature(e))}`);
        n++;
      }
      await push(COLLECTION_TAIL);
      break;
    }
    case 'places': {
      await push(csvLine(PLACE_COLUMNS));
      for (const p of await store.listPlaces()) {
        await push(csvLine(placeToRow(p), PLACE_NUMERIC));
        n++;
      }
      break;
    }
    case 'control': {
      await push(csvLine(CONTROL_COLUMNS));
      for (const o of await store.listControlObservations()) {
        await push(csvLine(observationToControlRow(o), CONTROL_NUMERIC));
        n++;
      }
      break;
    }
  }
  if (buf) await write(buf);
  return n;
}

/** GeoJSON of places, zones or control observations (events stream through exportTo). */
export async function exportGeoJson(store: Store, kind: Exclude<GeoJsonKind, 'events'>): Promise<{ text: string; count: number }> {
  const features =
    kind === 'places'
      ? (await store.listPlaces()).map(placeFeature)
      : kind === 'zones'
        ? (await store.listZones()).map(zoneFeature)
        : await (async () => {
            const places = new Map((await store.listPlaces()).map((p) => [p.id, p]));
            return (await store.listControlObservations()).map((o) => controlFeature(o, places.get(o.place)));
          })();
  return { text: `${collectionHead(kind)}${features.map((f) => JSON.stringify(f)).join(',\n')}${COLLECTION_TAIL}`, count: features.length };
}

export function assertFormat<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`unknown ${what} "${value}": use one of ${allowed.join(', ')}`);
  return value as T;
}

export type { ImportSummary };
