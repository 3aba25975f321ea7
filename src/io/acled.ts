/**
 * ACLED CSV, in and out, with ACLED's exact column names (ACLED Codebook 2023 / the API's CSV export).
 * Columns Frontline has no field for are kept in `attributes`, so an export gives back what came in.
 */
import { formatAcledDate, parseFlexibleDate, precisionFromAcled, precisionToAcled } from '../core/dates.js';
import { resolveActorName, type AliasIndex } from '../core/actors.js';
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
  aliases: AliasIndex;
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
    const v = get(c);
    if (v) attributes[c] = v;
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
    actor1Id: resolveActorName(ctx.aliases, actor1),
    assocActor1: raw('assoc_actor_1'),
    actor2,
    actor2Id: actor2.trim() ? resolveActorName(ctx.aliases, actor2) : null,
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

/** One ACLED row for an event, in ACLED_COLUMNS order. */
export function eventToAcledRow(e: ConflictEvent): string[] {
  const a = e.attributes;
  const row: Record<(typeof ACLED_COLUMNS)[number], string> = {
    event_id_cnty: e.origin?.format === 'acled' ? e.origin.id : e.id,
    event_date: formatAcledDate(e.date),
    year: e.date.slice(0, 4),
    time_precision: String(precisionToAcled(e.datePrecision)),
    disorder_type: e.disorderType ?? '',
    event_type: e.type,
    sub_event_type: e.subType,
    actor1: e.actor1,
    assoc_actor_1: e.assocActor1,
    inter1: a.inter1 ?? '',
    actor2: e.actor2,
    assoc_actor_2: e.assocActor2,
    inter2: a.inter2 ?? '',
    interaction: a.interaction ?? '',
    civilian_targeting: a.civilian_targeting ?? '',
    iso: a.iso ?? '',
    region: a.region ?? '',
    country: e.country,
    admin1: e.admin1,
    admin2: e.admin2,
    admin3: e.admin3,
    location: e.location,
    latitude: String(e.lat),
    longitude: String(e.lon),
    geo_precision: String(e.geoPrecision),
    source: e.sources.map((s) => s.name).join('; '),
    source_scale: e.sources.find((s) => s.scale)?.scale ?? '',
    notes: e.notes,
    fatalities: e.fatalities.best === null ? '' : String(e.fatalities.best),
    tags: e.tags,
    timestamp: a.timestamp ?? '',
  };
  return ACLED_COLUMNS.map((c) => row[c]);
}
