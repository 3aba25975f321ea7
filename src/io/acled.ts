/**
 * ACLED CSV, in and out, with ACLED's exact column names (ACLED Codebook 2023 / the API's CSV export).
 * Columns Frontline has no field for are kept in `attributes`, so an export gives back what came in.
 */
import { parseFlexibleDate, precisionFromAcled } from '../core/dates.js';
import type { EventCsvField } from '../store/event-row.js';
import type { ConflictEvent, Provenance } from '../core/schemas.js';
import { canonicalEventType, canonicalSubEventType, disorderTypeOf } from '../core/taxonomy.js';
import { clip, coordField, idField, intField, RowErrors, type RowResult } from './convert.js';

export const ACLED_COLUMNS = [
  'event_id_cnty', 'event_date', 'year', 'time_precision', 'disorder_type', 'event_type', 'sub_event_type',
  'actor1', 'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2', 'interaction', 'civilian_targeting',
  'iso', 'region', 'country', 'admin1', 'admin2', 'admin3', 'location', 'latitude', 'longitude', 'geo_precision',
  'source', 'source_scale', 'notes', 'fatalities', 'tags', 'timestamp',
] as const;

/** Older ACLED exports lack these; everything else must be present. */
const OPTIONAL = new Set(['disorder_type', 'civilian_targeting', 'tags', 'timestamp', 'admin3', 'iso', 'region', 'inter1', 'inter2', 'interaction', 'source_scale', 'year']);
export const ACLED_REQUIRED = ACLED_COLUMNS.filter((c) => !OPTIONAL.has(c));

/** The columns ACLED has that the model keeps verbatim in attributes. */
const ATTRIBUTE_COLUMNS = ['inter1', 'inter2', 'interaction', 'civilian_targeting', 'iso', 'region', 'timestamp'] as const;
const KNOWN = new Set<string>(ACLED_COLUMNS);

export interface AcledRowContext {
  /** Actor names to actor ids (see actorResolver). */
  resolveActor: (name: string) => string | null;
  provenance: Provenance;
}

/**
 * `columns` is the file's header: columns that are not ACLED's (newer exports add some, users add their
 * own) are kept in attributes rather than dropped.
 */
export function acledRowToEvent(raw: (col: string) => string, ctx: AcledRowContext, columns: readonly string[] = []): RowResult<ConflictEvent> {
  const errs = new RowErrors();
  const get = (col: string): string => raw(col).trim();
  const id = idField(errs, 'event_id_cnty', get('event_id_cnty'));
  const rawDate = get('event_date');
  const date = parseFlexibleDate(rawDate);
  if (!date) errs.add('event_date', rawDate ? `"${clip(rawDate)}" is not a real date (expected "18 June 2017" or 2017-06-18)` : 'is empty');
  const year = get('year');
  if (date && year && year !== date.slice(0, 4)) errs.add('year', `${year} does not match event_date ${date}`);
  const tp = intField(errs, 'time_precision', get('time_precision'), { required: true });
  const precision = tp === null ? null : precisionFromAcled(tp);
  if (tp !== null && !precision) errs.add('time_precision', `${tp} is not an ACLED time precision (1 day, 2 week, 3 month)`);
  const rawType = get('event_type');
  const type = canonicalEventType(rawType);
  if (!type) errs.add('event_type', `"${clip(rawType)}" is not an ACLED event type`);
  const rawSub = get('sub_event_type');
  const subType = type ? canonicalSubEventType(type, rawSub) : null;
  if (type && !subType) errs.add('sub_event_type', `"${clip(rawSub)}" is not a sub-event type of ${type}`);
  const actor1 = raw('actor1');
  if (!actor1.trim()) errs.add('actor1', 'is empty; every event has a first actor');
  const lat = coordField(errs, 'latitude', get('latitude'), 90);
  const lon = coordField(errs, 'longitude', get('longitude'), 180);
  const geo = intField(errs, 'geo_precision', get('geo_precision'), { min: 1, max: 3, required: true });
  const fatalities = intField(errs, 'fatalities', get('fatalities'), { min: 0 });
  if (!errs.ok || !id || !date || !precision || !type || !subType || lat === null || lon === null || geo === null) {
    return { ok: false, errors: errs.errors };
  }
  const attributes: Record<string, string> = {};
  for (const c of ATTRIBUTE_COLUMNS) {
    const v = raw(c);
    if (v !== '') attributes[c] = v;
  }
  for (const c of columns) {
    if (KNOWN.has(c) || !c) continue;
    const v = raw(c);
    if (v !== '') attributes[c] = v;
  }
  const scale = get('source_scale');
  const actor2 = raw('actor2');
  const event: ConflictEvent = {
    id,
    date,
    datePrecision: precision,
    type,
    subType,
    disorderType: get('disorder_type') || disorderTypeOf(type),
    actor1,
    actor1Id: ctx.resolveActor(actor1),
    assocActor1: raw('assoc_actor_1'),
    actor2,
    actor2Id: actor2.trim() ? ctx.resolveActor(actor2) : null,
    assocActor2: raw('assoc_actor_2'),
    country: raw('country'),
    admin1: raw('admin1'),
    admin2: raw('admin2'),
    admin3: raw('admin3'),
    location: raw('location'),
    place: null,
    lon,
    lat,
    geoPrecision: geo,
    fatalities: { best: fatalities, low: null, high: null },
    notes: raw('notes'),
    sources: splitSources(get('source'), scale),
    tags: raw('tags'),
    status: 'reviewed',
    attributes,
    origin: { format: 'acled', id },
    provenance: ctx.provenance,
  };
  return { ok: true, value: event };
}

function splitSources(raw: string, scale: string): ConflictEvent['sources'] {
  return raw
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => (scale ? { name, scale } : { name }));
}

/**
 * What goes in each ACLED column on export, for the store to write the lines itself (Store.scanEventCsv).
 * Columns ACLED has and the model keeps in attributes come back from there.
 */
export const ACLED_EXPORT_FIELDS: Record<(typeof ACLED_COLUMNS)[number], EventCsvField> = {
  event_id_cnty: { idIn: 'acled' },
  event_date: { date: 'acled' },
  year: { date: 'year' },
  time_precision: { precision: 'acled' },
  disorder_type: { column: 'disorder_type' },
  event_type: { column: 'type' },
  sub_event_type: { column: 'sub_type' },
  actor1: { column: 'actor1' },
  assoc_actor_1: { column: 'assoc_actor1' },
  inter1: { attribute: 'inter1' },
  actor2: { column: 'actor2' },
  assoc_actor_2: { column: 'assoc_actor2' },
  inter2: { attribute: 'inter2' },
  interaction: { attribute: 'interaction' },
  civilian_targeting: { attribute: 'civilian_targeting' },
  iso: { attribute: 'iso' },
  region: { attribute: 'region' },
  country: { column: 'country' },
  admin1: { column: 'admin1' },
  admin2: { column: 'admin2' },
  admin3: { column: 'admin3' },
  location: { column: 'location' },
  latitude: { column: 'lat' },
  longitude: { column: 'lon' },
  geo_precision: { column: 'geo_precision' },
  source: { sourceNames: '; ' },
  source_scale: { sourceScale: true },
  notes: { column: 'notes' },
  fatalities: { column: 'fatalities' },
  tags: { column: 'tags' },
  timestamp: { attribute: 'timestamp' },
};
