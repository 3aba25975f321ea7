/**
 * UCDP GED CSV (GED 23.1 column set), in and out. UCDP's own ids, dyads, death counts by side and source
 * fields are kept in `attributes` so that an export writes them back unchanged.
 */
import { parseFlexibleDate, precisionFromUcdp, precisionToUcdp } from '../core/dates.js';
import { IdSchema, type ConflictEvent, type Provenance } from '../core/schemas.js';
import { eventTypeFromUcdp, ucdpViolenceTypeOf } from '../core/taxonomy.js';
import { clip, coordField, intField, RowErrors, type RowResult } from './convert.js';
import { columnPositions } from './csv.js';

export const UCDP_COLUMNS = [
  'id', 'relid', 'year', 'active_year', 'code_status', 'type_of_violence', 'conflict_dset_id', 'conflict_new_id',
  'conflict_name', 'dyad_dset_id', 'dyad_new_id', 'dyad_name', 'side_a_dset_id', 'side_a_new_id', 'side_a',
  'side_b_dset_id', 'side_b_new_id', 'side_b', 'number_of_sources', 'source_article', 'source_office',
  'source_date', 'source_headline', 'source_original', 'where_prec', 'where_coordinates', 'where_description',
  'adm_1', 'adm_2', 'latitude', 'longitude', 'geom_wkt', 'priogrid_gid', 'country', 'country_id', 'region',
  'event_clarity', 'date_prec', 'date_start', 'date_end', 'deaths_a', 'deaths_b', 'deaths_civilians',
  'deaths_unknown', 'best', 'high', 'low', 'gwnoa', 'gwnob',
] as const;

/** Columns of numbers: a negative number there is a number, not a formula (csvLine). */
export const UCDP_NUMERIC = columnPositions(UCDP_COLUMNS, [
  'id', 'year', 'active_year', 'type_of_violence', 'conflict_dset_id', 'conflict_new_id', 'dyad_dset_id', 'dyad_new_id',
  'side_a_dset_id', 'side_a_new_id', 'side_b_dset_id', 'side_b_new_id', 'number_of_sources', 'where_prec', 'latitude',
  'longitude', 'priogrid_gid', 'country_id', 'event_clarity', 'date_prec', 'deaths_a', 'deaths_b', 'deaths_civilians',
  'deaths_unknown', 'best', 'high', 'low', 'gwnoa', 'gwnob',
]);

export const UCDP_REQUIRED = [
  'id', 'year', 'type_of_violence', 'conflict_name', 'dyad_name', 'side_a', 'side_b', 'source_article',
  'where_coordinates', 'latitude', 'longitude', 'where_prec', 'date_start', 'date_end', 'date_prec', 'best', 'high', 'low',
] as const;

/** Columns mapped onto model fields; every other GED column is kept verbatim in attributes. */
const MAPPED = new Set([
  'id', 'year', 'type_of_violence', 'side_a', 'side_b', 'source_article', 'where_coordinates', 'adm_1', 'adm_2',
  'latitude', 'longitude', 'country', 'date_prec', 'date_start', 'date_end', 'best', 'high', 'low', 'where_description',
]);

/** UCDP where_prec (1 exact … 7 international waters) to ACLED's three-step geo_precision. */
function geoPrecisionFromUcdp(wherePrec: number): number {
  return wherePrec <= 1 ? 1 : wherePrec <= 3 ? 2 : 3;
}
function wherePrecFromGeo(geo: number): number {
  return geo === 1 ? 1 : geo === 2 ? 2 : 4;
}

export interface UcdpRowContext {
  /** Actor names to actor ids (see actorResolver). */
  resolveActor: (name: string) => string | null;
  provenance: Provenance;
}

export function ucdpRowToEvent(raw: (col: string) => string, ctx: UcdpRowContext, presentColumns: readonly string[]): RowResult<ConflictEvent> {
  const errs = new RowErrors();
  const get = (c: string): string => raw(c).trim();
  const rawId = get('id');
  // A whole number is UCDP's own event id; an id Frontline wrote for an event of its own (an ACLED or a
  // hand-made event exported as UCDP: "FLD001") is read back as that event.
  const own = !/^\d+$/.test(rawId) && IdSchema.safeParse(rawId).success && /[A-Za-z]/.test(rawId);
  if (!/^\d+$/.test(rawId) && !own) errs.add('id', rawId ? `"${clip(rawId)}" is neither a UCDP event id (a whole number) nor a Frontline event id` : 'is empty');
  const start = parseFlexibleDate(get('date_start'));
  if (!start) errs.add('date_start', `"${clip(get('date_start'))}" is not a real date`);
  const end = parseFlexibleDate(get('date_end'));
  if (!end) errs.add('date_end', `"${clip(get('date_end'))}" is not a real date`);
  if (start && end && end < start) errs.add('date_end', `${end} is before date_start ${start}`);
  const year = get('year');
  if (start && year && year !== start.slice(0, 4)) errs.add('year', `${year} does not match date_start ${start}`);
  const dp = intField(errs, 'date_prec', get('date_prec'), { required: true });
  const precision = dp === null ? null : precisionFromUcdp(dp);
  if (dp !== null && !precision) errs.add('date_prec', `${dp} is not a UCDP date precision (1 to 5)`);
  const tv = intField(errs, 'type_of_violence', get('type_of_violence'), { required: true });
  const mapped = tv === null ? null : eventTypeFromUcdp(tv);
  if (tv !== null && !mapped) errs.add('type_of_violence', `${tv} is not a UCDP type of violence (1 state-based, 2 non-state, 3 one-sided)`);
  const sideA = raw('side_a');
  if (!sideA.trim()) errs.add('side_a', 'is empty');
  const lat = coordField(errs, 'latitude', get('latitude'), 90);
  const lon = coordField(errs, 'longitude', get('longitude'), 180);
  const wp = intField(errs, 'where_prec', get('where_prec'), { min: 1, max: 7, required: true });
  const best = intField(errs, 'best', get('best'), { min: 0 });
  const low = intField(errs, 'low', get('low'), { min: 0 });
  const high = intField(errs, 'high', get('high'), { min: 0 });
  // UCDP publishes some rows with low above high (7 of the 1,000 in GED 23.1's sample): kept as published.
  if (!errs.ok || !start || !end || !precision || !mapped || lat === null || lon === null || wp === null) return { ok: false, errors: errs.errors };

  const attributes: Record<string, string> = {};
  for (const c of presentColumns) {
    if (MAPPED.has(c)) continue;
    const v = raw(c);
    if (v !== '') attributes[c] = v;
  }
  attributes.where_prec = String(wp);
  attributes.date_prec = String(dp);
  // Types 1 and 2 both map to Battles: keep the code so the export can tell them apart again.
  attributes.type_of_violence = String(tv);
  const sideB = raw('side_b');
  const article = raw('source_article');
  const event: ConflictEvent = {
    id: own ? rawId : `ucdp-${rawId}`,
    date: start,
    datePrecision: precision,
    ...(end !== start ? { dateEnd: end } : {}),
    type: mapped.type,
    subType: mapped.subType,
    disorderType: 'Political violence',
    actor1: sideA,
    actor1Id: ctx.resolveActor(sideA),
    assocActor1: '',
    actor2: sideB,
    actor2Id: sideB.trim() ? ctx.resolveActor(sideB) : null,
    assocActor2: '',
    country: raw('country'),
    admin1: raw('adm_1'),
    admin2: raw('adm_2'),
    admin3: '',
    location: raw('where_coordinates'),
    place: null,
    lon,
    lat,
    geoPrecision: geoPrecisionFromUcdp(wp),
    fatalities: { best, low, high },
    notes: raw('where_description'),
    // Frontline writes an event's sources joined by "; ": its own rows get them back one by one.
    sources: !article.trim() ? [] : own ? article.split(';').map((x) => x.trim()).filter(Boolean).map((name) => ({ name })) : [{ name: article }],
    tags: '',
    status: 'reviewed',
    attributes,
    ...(own ? {} : { origin: { format: 'ucdp', id: rawId } }),
    provenance: ctx.provenance,
  };
  return { ok: true, value: event };
}

/** UCDP writes dates with a time of day: "2017-06-18 00:00:00.000". */
function ucdpDate(d: string): string {
  return `${d} 00:00:00.000`;
}

export function eventToUcdpRow(e: ConflictEvent): string[] {
  const a = e.attributes;
  const best = e.fatalities.best;
  const fromUcdp = e.origin?.format === 'ucdp';
  const row: Record<string, string> = {
    ...a,
    id: fromUcdp ? e.origin!.id : e.id,
    year: e.date.slice(0, 4),
    type_of_violence: fromUcdp && a.type_of_violence ? a.type_of_violence : String(ucdpViolenceTypeOf(e.type as never, /civilian/i.test(e.actor2))),
    side_a: e.actor1,
    side_b: e.actor2,
    source_article: e.sources.map((s) => s.name).join('; '),
    where_coordinates: e.location,
    where_description: e.notes,
    adm_1: e.admin1,
    adm_2: e.admin2,
    latitude: String(e.lat),
    longitude: String(e.lon),
    country: e.country,
    where_prec: a.where_prec ?? String(wherePrecFromGeo(e.geoPrecision)),
    date_prec: a.date_prec ?? String(precisionToUcdp(e.datePrecision)),
    date_start: ucdpDate(e.date),
    date_end: ucdpDate(e.dateEnd ?? e.date),
    best: best === null ? '' : String(best),
    // Unknown is blank, never 0, and a low or high nobody published is not made up from the best estimate.
    low: e.fatalities.low === null ? '' : String(e.fatalities.low),
    high: e.fatalities.high === null ? '' : String(e.fatalities.high),
  };
  if (!fromUcdp) {
    row.conflict_name ??= '';
    row.dyad_name ??= [e.actor1, e.actor2].filter(Boolean).join(' - ');
    row.geom_wkt ??= `POINT (${e.lon} ${e.lat})`;
  }
  return UCDP_COLUMNS.map((c) => row[c] ?? '');
}
