/**
 * HXL-tagged CSV (Humanitarian Exchange Language, hxlstandard.org): a header row for people and a row of
 * hashtags for machines. Events use the hashtags HDX's conflict datasets use.
 */
import { DATE_PRECISIONS, parseFlexibleDate, type DatePrecision } from '../core/dates.js';
import type { ConflictEvent, Provenance } from '../core/schemas.js';
import { canonicalEventType, canonicalSubEventType, disorderTypeOf } from '../core/taxonomy.js';
import { clip, coordField, idField, intField, RowErrors, type RowResult } from './convert.js';
import { columnPositions } from './csv.js';

/** [header, hashtag, value]: the export's columns in order. */
export const HXL_EVENT_COLUMNS: [string, string, (e: ConflictEvent) => string][] = [
  ['Event ID', '#event+id', (e) => e.id],
  ['Date', '#date', (e) => e.date],
  ['Date precision', '#date+precision', (e) => e.datePrecision],
  ['Event type', '#event+type', (e) => e.type],
  ['Sub-event type', '#event+type+sub', (e) => e.subType],
  ['Actor 1', '#group+name+first', (e) => e.actor1],
  ['Actor 2', '#group+name+second', (e) => e.actor2],
  ['Country', '#country+name', (e) => e.country],
  ['Admin 1', '#adm1+name', (e) => e.admin1],
  ['Admin 2', '#adm2+name', (e) => e.admin2],
  ['Location', '#loc+name', (e) => e.location],
  ['Latitude', '#geo+lat', (e) => String(e.lat)],
  ['Longitude', '#geo+lon', (e) => String(e.lon)],
  ['Geo precision', '#geo+precision', (e) => String(e.geoPrecision)],
  ['Fatalities', '#affected+killed', (e) => (e.fatalities.best === null ? '' : String(e.fatalities.best))],
  ['Source', '#meta+source', (e) => e.sources.map((s) => s.name).join('; ')],
  ['Reporting organisation', '#org+name', (e) => e.sources[0]?.name ?? ''],
  ['Notes', '#description', (e) => e.notes],
  // ACLED's fields HXL's conflict datasets have no tag for: with attributes of our own, so that what
  // Frontline writes reads back whole (a reader that does not know them ignores them).
  ['Associated actor 1', '#group+name+first+assoc', (e) => e.assocActor1],
  ['Associated actor 2', '#group+name+second+assoc', (e) => e.assocActor2],
  ['Admin 3', '#adm3+name', (e) => e.admin3],
  ['Source scale', '#meta+source+scale', (e) => e.sources.map((x) => x.scale ?? '').join('; ').replace(/^(?:; )+$/, '')],
  ['Tags', '#meta+tags', (e) => e.tags],
];

/** Columns of numbers: a negative number there is a number, not a formula (csvLine). */
export const HXL_NUMERIC = columnPositions(HXL_EVENT_COLUMNS.map((c) => c[0]), ['Latitude', 'Longitude', 'Geo precision', 'Fatalities']);

/** Hashtags compare without regard to attribute order or case: #geo+lat and #GEO +lat are one tag. */
export function normalizeHashtag(tag: string): string {
  const parts = tag.trim().toLowerCase().split('+').map((p) => p.trim()).filter(Boolean);
  const [head, ...attrs] = parts;
  return [head, ...attrs.sort()].join('+');
}

export const HXL_REQUIRED = ['#date', '#event+type', '#geo+lat', '#geo+lon', '#group+name+first'];

export interface HxlRowContext {
  /** Actor names to actor ids (see actorResolver). */
  resolveActor: (name: string) => string | null;
  provenance: Provenance;
  /** A stable id for rows that have no #event+id: from the file and line. */
  fallbackId: (line: number) => string;
}

/** `get` here takes a normalized hashtag. */
export function hxlRowToEvent(raw: (tag: string) => string, line: number, ctx: HxlRowContext): RowResult<ConflictEvent> {
  const errs = new RowErrors();
  const get = (t: string): string => raw(normalizeHashtag(t)).trim();
  const id = idField(errs, '#event+id', get('#event+id') || ctx.fallbackId(line));
  const date = parseFlexibleDate(get('#date'));
  if (!date) errs.add('#date', `"${clip(get('#date'))}" is not a real date`);
  const rawPrecision = get('#date+precision') || 'day';
  const precision = (DATE_PRECISIONS as readonly string[]).includes(rawPrecision) ? (rawPrecision as DatePrecision) : null;
  if (!precision) errs.add('#date+precision', `"${clip(rawPrecision)}" is not day, week, month or year`);
  const type = canonicalEventType(get('#event+type'));
  if (!type) errs.add('#event+type', `"${clip(get('#event+type'))}" is not an ACLED event type`);
  const rawSub = get('#event+type+sub');
  const subType = type ? (rawSub ? canonicalSubEventType(type, rawSub) : defaultSubType(type)) : null;
  if (type && !subType) errs.add('#event+type+sub', `"${clip(rawSub)}" is not a sub-event type of ${type}`);
  const actor1 = raw(normalizeHashtag('#group+name+first')) || raw(normalizeHashtag('#org+name+first'));
  if (!actor1.trim()) errs.add('#group+name+first', 'is empty');
  const actor2 = raw(normalizeHashtag('#group+name+second')) || raw(normalizeHashtag('#org+name+second'));
  const lat = coordField(errs, '#geo+lat', get('#geo+lat'), 90);
  const lon = coordField(errs, '#geo+lon', get('#geo+lon'), 180);
  const geo = get('#geo+precision') ? intField(errs, '#geo+precision', get('#geo+precision'), { min: 1, max: 3 }) : 1;
  const killed = intField(errs, '#affected+killed', get('#affected+killed'), { min: 0 });
  if (!errs.ok || !id || !date || !precision || !type || !subType || lat === null || lon === null || geo === null) return { ok: false, errors: errs.errors };
  const scales = raw(normalizeHashtag('#meta+source+scale')).split(';').map((x) => x.trim());
  const sources = raw(normalizeHashtag('#meta+source'))
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name, i) => (scales[i] ? { name, scale: scales[i] } : { name }));
  return {
    ok: true,
    value: {
      id,
      date,
      datePrecision: precision,
      type,
      subType,
      disorderType: disorderTypeOf(type),
      actor1,
      actor1Id: ctx.resolveActor(actor1),
      assocActor1: raw(normalizeHashtag('#group+name+first+assoc')),
      actor2,
      actor2Id: actor2.trim() ? ctx.resolveActor(actor2) : null,
      assocActor2: raw(normalizeHashtag('#group+name+second+assoc')),
      country: raw(normalizeHashtag('#country+name')),
      admin1: raw(normalizeHashtag('#adm1+name')),
      admin2: raw(normalizeHashtag('#adm2+name')),
      admin3: raw(normalizeHashtag('#adm3+name')),
      location: raw(normalizeHashtag('#loc+name')),
      place: null,
      lon,
      lat,
      geoPrecision: geo,
      fatalities: { best: killed, low: null, high: null },
      notes: raw(normalizeHashtag('#description')),
      sources,
      tags: raw(normalizeHashtag('#meta+tags')),
      status: 'reviewed',
      attributes: {},
      origin: { format: 'hxl', id },
      provenance: ctx.provenance,
    },
  };
}

function defaultSubType(type: string): string | null {
  // HXL tables often carry only the top-level type; the first ACLED sub-type is not a guess we may make.
  return type === 'Strategic developments' ? 'Other' : null;
}
