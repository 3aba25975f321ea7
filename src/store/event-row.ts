/**
 * An event as a flat row, in EVENT_COLUMNS order: how stores keep events and how bulk readers (exports,
 * in-memory indexes) receive them without building an object per event.
 *
 * Events are stored one column per field, not as one JSON document: exports and scans then read plain
 * values, and only the small nested parts (sources, attributes, provenance) are JSON. Parsing a whole JSON
 * document per row capped the ACLED export at ~160,000 rows/s (measured on 200,000 generated rows).
 */
import { neutralizeCell } from '../core/csv-cell.js';
import type { ConflictEvent } from '../core/schemas.js';

export const EVENT_COLUMNS = [
  'id', 'day', 'date', 'date_precision', 'date_end', 'type', 'sub_type', 'disorder_type',
  'actor1', 'actor1_id', 'assoc_actor1', 'actor2', 'actor2_id', 'assoc_actor2',
  'country', 'admin1', 'admin2', 'admin3', 'location', 'place', 'lon', 'lat', 'geo_precision',
  'fatalities', 'fatalities_low', 'fatalities_high', 'notes', 'tags', 'status', 'origin_format', 'origin_id',
  'sources', 'attributes', 'provenance',
] as const;

export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** The SELECT list for some columns (checked against EVENT_COLUMNS: never user text), or all of them. */
export function selectColumns(columns?: readonly EventColumn[]): string {
  if (!columns) return SELECT_EVENT;
  for (const c of columns) if (!(EVENT_COLUMNS as readonly string[]).includes(c)) throw new Error(`no event column "${c}"`);
  return columns.map((c) => `e.${c}`).join(', ');
}

/** The position of the provenance column: two rows that differ only there hold the same event. */
export const PROVENANCE_INDEX = EVENT_COLUMNS.indexOf('provenance');
export const SELECT_EVENT = EVENT_COLUMNS.map((c) => `e.${c}`).join(', ');

/** JSON with object keys sorted, so that equal values always give equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export type EventRow = (string | number | null)[];

export function eventToRow(e: ConflictEvent, day: number): EventRow {
  return [
    e.id, day, e.date, e.datePrecision, e.dateEnd ?? null, e.type, e.subType, e.disorderType ?? null,
    e.actor1, e.actor1Id, e.assocActor1, e.actor2, e.actor2Id, e.assocActor2,
    e.country, e.admin1, e.admin2, e.admin3, e.location, e.place, e.lon, e.lat, e.geoPrecision,
    e.fatalities.best, e.fatalities.low, e.fatalities.high, e.notes, e.tags, e.status, e.origin?.format ?? null, e.origin?.id ?? null,
    stableStringify(e.sources), stableStringify(e.attributes), stableStringify(e.provenance),
  ];
}

export function rowToEvent(r: EventRow): ConflictEvent {
  const s = (i: number): string => r[i] as string;
  const n = (i: number): number | null => r[i] as number | null;
  const e: ConflictEvent = {
    id: s(0),
    date: s(2),
    datePrecision: s(3) as ConflictEvent['datePrecision'],
    type: s(5),
    subType: s(6),
    actor1: s(8),
    actor1Id: r[9] as string | null,
    assocActor1: s(10),
    actor2: s(11),
    actor2Id: r[12] as string | null,
    assocActor2: s(13),
    country: s(14),
    admin1: s(15),
    admin2: s(16),
    admin3: s(17),
    location: s(18),
    place: r[19] as string | null,
    lon: r[20] as number,
    lat: r[21] as number,
    geoPrecision: r[22] as number,
    fatalities: { best: n(23), low: n(24), high: n(25) },
    notes: s(26),
    sources: JSON.parse(s(31)) as ConflictEvent['sources'],
    tags: s(27),
    status: s(28) as ConflictEvent['status'],
    attributes: JSON.parse(s(32)) as Record<string, string>,
    provenance: JSON.parse(s(33)) as ConflictEvent['provenance'],
  };
  if (r[4] !== null) e.dateEnd = s(4);
  if (r[7] !== null) e.disorderType = s(7);
  if (r[29] !== null) e.origin = { format: s(29), id: s(30) };
  return e;
}

/** True when two stored rows hold the same event, provenance aside. */
export function sameEventRow(a: EventRow, b: EventRow): boolean {
  for (let i = 0; i < a.length; i++) if (i !== PROVENANCE_INDEX && a[i] !== b[i]) return false;
  return true;
}

/**
 * One field of a CSV line that the store writes itself (see Store.scanEventCsv): a format says what goes
 * in each column, the store turns it into its own query. Text is quoted as RFC 4180 wants, like csvLine.
 */
export type EventCsvField =
  /** A column; with `markDrafts`, drafts' text starts with it (an export that includes drafts says so). */
  | { column: (typeof EVENT_COLUMNS)[number]; markDrafts?: string }
  /** The id the event had in this format (origin id), else its Frontline id. */
  | { idIn: string }
  | { attribute: string }
  | { sourceNames: string }
  | { sourceScale: true }
  /** 'acled' is "18 June 2017"; 'year' is 2017. */
  | { date: 'acled' | 'year' }
  /** ACLED's time_precision code: 1 day, 2 week, 3 month or year. */
  | { precision: 'acled' };

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const COLUMN_INDEX = new Map<string, number>(EVENT_COLUMNS.map((c, i) => [c, i]));
/** Columns written bare (never quoted), as the SQLite store's format() writes them: numbers, codes, ids. */
const BARE_COLUMNS = new Set(['id', 'lon', 'lat', 'geo_precision', 'fatalities', 'fatalities_low', 'fatalities_high', 'day']);

/**
 * Builds CSV lines from stored rows in JavaScript, byte for byte what the SQLite store writes in SQL
 * (scanEventCsv): for a store whose server cannot format lines itself. Text is always quoted, empty
 * text as "", quotes doubled, formula starts neutralized; numbers, dates, codes and ids go bare.
 */
export function eventCsvLineWriter(fields: readonly EventCsvField[]): (r: EventRow) => string {
  // Text that a spreadsheet would run as a formula gets its leading quote (neutralizeCell), as in SQL.
  const quote = (s: string): string => `"${neutralizeCell(s).replace(/"/g, '""')}"`;
  const parts = fields.map((f): ((r: EventRow) => string) => {
    if ('date' in f) {
      const i = COLUMN_INDEX.get('date')!;
      if (f.date === 'year') return (r) => (r[i] as string).slice(0, 4);
      return (r) => {
        const d = r[i] as string;
        return `${Number(d.slice(8, 10))} ${MONTH_NAMES[Number(d.slice(5, 7)) - 1] ?? ''} ${d.slice(0, 4)}`;
      };
    }
    if ('precision' in f) {
      const i = COLUMN_INDEX.get('date_precision')!;
      return (r) => (r[i] === 'day' ? '1' : r[i] === 'week' ? '2' : '3');
    }
    if ('idIn' in f) {
      const [fmt, oid, id] = [COLUMN_INDEX.get('origin_format')!, COLUMN_INDEX.get('origin_id')!, COLUMN_INDEX.get('id')!];
      return (r) => String(r[fmt] === f.idIn ? r[oid] : r[id]);
    }
    if ('attribute' in f) {
      const i = COLUMN_INDEX.get('attributes')!;
      return (r) => quote(String((JSON.parse(r[i] as string) as Record<string, unknown>)[f.attribute] ?? ''));
    }
    if ('sourceNames' in f) {
      const i = COLUMN_INDEX.get('sources')!;
      return (r) => quote((JSON.parse(r[i] as string) as { name?: string }[]).flatMap((s) => (s.name === undefined || s.name === null ? [] : [s.name])).join(f.sourceNames));
    }
    if ('sourceScale' in f) {
      const i = COLUMN_INDEX.get('sources')!;
      return (r) => quote(String((JSON.parse(r[i] as string) as { scale?: string }[]).find((s) => s.scale !== undefined && s.scale !== null)?.scale ?? ''));
    }
    const i = COLUMN_INDEX.get(f.column);
    if (i === undefined) throw new Error(`no event column "${f.column}"`);
    if (BARE_COLUMNS.has(f.column)) return (r) => (r[i] === null ? '' : String(r[i]));
    if (f.markDrafts !== undefined) {
      const [mark, status] = [f.markDrafts, COLUMN_INDEX.get('status')!];
      return (r) => quote(`${r[status] === 'draft' ? mark : ''}${r[i] === null ? '' : String(r[i])}`);
    }
    return (r) => quote(r[i] === null ? '' : String(r[i]));
  });
  return (r) => `${parts.map((p) => p(r)).join(',')}\n`;
}
