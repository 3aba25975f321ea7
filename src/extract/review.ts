/**
 * Extraction against a store, shared by the CLI and the API: extract a document, corroborate its drafts
 * with known events, keep the document and its drafts (events with status "draft", provenance the
 * document and span), and the review queue: accept, edit or reject each draft, under the analyst's name.
 */
import { blocOf } from '../core/actors.js';
import { UsageError } from '../core/errors.js';
import { placeMatcher } from '../core/fuzzy.js';
import { slugify } from '../core/names.js';
import { haversineKm } from '../geo/measure.js';
import { EventSchema, type ConflictEvent, type SourceRef } from '../core/schemas.js';
import type { Store } from '../store/store.js';
import { corroborating, dateByKnownEvents, draftWindow } from './corroborate.js';
import { extractEvents, type DraftEvent, type ExtractResult } from './extract.js';
import { loadExtractContext } from './load.js';
import { detectFormat, type TextFormat } from './text.js';

export interface ExtractRequest {
  text: string;
  published: string;
  /** The publisher ("Reuters", "CNN"). */
  source?: string;
  title?: string;
  url?: string;
  format?: TextFormat;
  /** Document id; default from the source, date and a hash of the text. */
  id?: string;
}

export interface StoredExtraction extends Omit<ExtractResult, 'events'> {
  document: string;
  events: (DraftEvent & { id: string | null; corroborates: string[]; note?: string })[];
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function documentId(r: ExtractRequest): string {
  return r.id ?? `doc-${slugify(r.source ?? 'text') || 'text'}-${r.published}-${hash(r.text)}`;
}

/**
 * Extract and corroborate. With `save`, the document and the new drafts are written (drafts that tell a
 * known event add the document to that event's sources instead).
 */
export async function extractWithStore(store: Store, r: ExtractRequest, opts: { save: boolean; by: string }): Promise<StoredExtraction> {
  const ctx = await loadExtractContext(store);
  if (!ctx.gazetteer.places.length) throw new UsageError('the store has no places to find in the text: load the demo (frontline demo) or a gazetteer (frontline places --geonames CC, frontline import places FILE)');
  const format = r.format ?? detectFormat(r.text);
  const result = extractEvents(r.text, r.published, ctx, format);
  const doc = documentId(r);
  const bloc = (actor: string | null, date: string): string | null => (actor ? blocOf(ctx.blocs, actor, date) : null);
  const known = async (d: DraftEvent): Promise<ConflictEvent[]> => {
    const [since, until] = draftWindow(d);
    // Streamed, not one page: a busy window can hold more events than any page, and the one the draft
    // tells must not be missed.
    const out: ConflictEvent[] = [];
    for await (const e of store.streamEvents({ since, until, type: d.type })) if (e.status !== 'draft') out.push(e);
    return out;
  };
  const out: StoredExtraction['events'] = [];
  for (const d of result.events) out.push({ ...d, id: null, corroborates: corroborating(d, await known(d), bloc).map((e) => e.id) });
  for (const d of result.undated) {
    const dated = dateByKnownEvents(d, await known(d), bloc);
    if (dated) out.push({ ...dated.draft, id: null, corroborates: dated.matches.map((e) => e.id), note: 'undated in the text: dated and placed by the known events it fits' });
  }
  const source: SourceRef = { name: r.source ?? 'document', published: r.published, ...(r.url ? { url: r.url } : {}) };
  if (opts.save) {
    const drafts: ConflictEvent[] = [];
    const actorName = new Map(ctx.actors.map((a) => [a.id, a.name]));
    // Drafts this document gave before (saved again): left as they are, they may have been reviewed.
    const before = new Set((await Promise.all(out.map((_, i) => store.getEvent(`${doc}-e${i + 1}`)))).flatMap((e) => (e ? [e.id] : [])));
    out.forEach((d, i) => {
      if (d.corroborates.length) return; // a source of a known event instead (below)
      if (d.lat === null || d.lon === null) {
        d.note = 'no place found: not stored (an event needs coordinates); record it by hand if it matters';
        return;
      }
      const id = `${doc}-e${i + 1}`;
      d.id = id;
      if (before.has(id)) {
        d.note = 'drafted from this document before: kept as it is (frontline history event ID)';
        return;
      }
      drafts.push(
        EventSchema.parse({
          id,
          date: d.date,
          datePrecision: d.datePrecision,
          type: d.type,
          subType: d.subType,
          actor1: d.actor1 ? (actorName.get(d.actor1) ?? d.actor1) : 'Unidentified',
          actor1Id: d.actor1,
          actor2: d.actor2 ? (actorName.get(d.actor2) ?? d.actor2) : '',
          actor2Id: d.actor2,
          location: d.location ?? d.place ?? '',
          place: d.placeId,
          lon: d.lon,
          lat: d.lat,
          geoPrecision: d.geoPrecision,
          fatalities: { best: d.fatalities, low: null, high: null },
          notes: result.text.slice(d.span[0], d.span[1]),
          sources: [source],
          status: 'draft',
          attributes: { confidence: String(d.confidence), ...(d.count ? { count: String(d.count) } : {}), evidence: JSON.stringify(d.evidence) },
          provenance: { kind: 'document', document: doc, span: d.span },
        }),
      );
    });
    await store.putDocuments([{ id: doc, title: r.title ?? '', publisher: r.source ?? '', published: r.published, ...(r.url ? { url: r.url } : {}), text: result.text, provenance: { kind: 'user', user: opts.by, at: new Date().toISOString() } }], { by: opts.by });
    if (drafts.length) await store.putEvents(drafts, { by: opts.by });
    // A corroborating document becomes one more source of the known event (a new version of it).
    const updates: ConflictEvent[] = [];
    for (const id of new Set(out.flatMap((d) => d.corroborates.slice(0, 1)))) {
      const e = await store.getEvent(id);
      if (e && !e.sources.some((s) => s.name === source.name && s.published === source.published && s.url === source.url)) updates.push({ ...e, sources: [...e.sources, source] });
    }
    if (updates.length) await store.putEvents(updates, { by: opts.by, reason: `corroborated by document ${doc}` });
  }
  return { ...result, document: doc, events: out };
}

export async function listDrafts(store: Store, limit = 500): Promise<ConflictEvent[]> {
  return (await store.queryEvents({ status: 'draft', limit })).events;
}

async function draft(store: Store, id: string): Promise<ConflictEvent> {
  const e = await store.getEvent(id);
  if (!e) throw new UsageError(`no event "${id}" (see frontline drafts)`);
  if (e.status !== 'draft') throw new UsageError(`event "${id}" is not a draft (it is ${e.status})`);
  return e;
}

/**
 * Where a corrected draft is: a new place id brings its coordinates; a new location name is looked up in
 * the gazetteer (any spelling, src/core/fuzzy.ts) and brings its place and coordinates; given coordinates
 * keep the place only when it is the named one and lies within 10 km. A name the gazetteer does not know,
 * or knows as several places, is an error listing the candidates: give the place id, or --lon/--lat.
 */
export async function placeChanges(store: Store, e: ConflictEvent, changes: Partial<ConflictEvent>): Promise<Partial<ConflictEvent>> {
  const hasPoint = changes.lon !== undefined || changes.lat !== undefined;
  if (changes.place) {
    const p = await store.getPlace(changes.place);
    if (!p) throw new UsageError(`no place "${changes.place}" in the store (see frontline places --name …)`);
    return { ...changes, location: changes.location ?? p.name, ...(hasPoint ? {} : { lon: p.lon, lat: p.lat, geoPrecision: 1 }) };
  }
  if (changes.location === undefined || changes.location === e.location) return changes;
  const found = placeMatcher(await store.listPlaces()).search(changes.location, { limit: 8 });
  const same = found.filter((m) => m.score === 0);
  const lon = changes.lon ?? e.lon;
  const lat = changes.lat ?? e.lat;
  if (hasPoint) {
    const near = same.find((m) => haversineKm(m.item.lon, m.item.lat, lon, lat) <= 10);
    return { ...changes, place: near ? near.item.id : null };
  }
  if (same.length === 1) {
    const p = same[0]!.item;
    return { ...changes, place: p.id, lon: p.lon, lat: p.lat, geoPrecision: 1 };
  }
  const list = (same.length ? same : found).map((m) => `${m.item.id} (${m.item.name}, ${m.item.lat.toFixed(3)}, ${m.item.lon.toFixed(3)})`).join('; ');
  throw new UsageError(
    same.length
      ? `location "${changes.location}" names ${same.length} places: ${list}; give the place id (--place ID) or the coordinates (--lon/--lat)`
      : `location "${changes.location}" is not in the gazetteer${list ? `; close: ${list}` : ''}: give the place id (--place ID) or the coordinates (--lon/--lat)`,
  );
}

/** Accept a draft, with the analyst's corrections: it becomes a reviewed event; history keeps who. */
export async function reviewDraft(store: Store, id: string, action: { accept: boolean; changes?: Partial<ConflictEvent> }, by: string): Promise<ConflictEvent> {
  const e = await draft(store, id);
  const changes = action.changes ? await placeChanges(store, e, action.changes) : undefined;
  const next = EventSchema.safeParse({ ...e, ...changes, id: e.id, provenance: e.provenance, status: action.accept ? 'reviewed' : 'draft' });
  if (!next.success) throw new UsageError(`the edit of ${id} is not valid: ${next.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  await store.putEvents([next.data], { by, reason: action.accept ? 'accepted in review' : 'edited in review' });
  return next.data;
}

export async function rejectDraft(store: Store, id: string, reason: string, by: string): Promise<void> {
  await draft(store, id);
  if (!reason.trim()) throw new UsageError('say why the draft is rejected (--reason)');
  await store.retractEvent(id, { by, reason: `rejected in review: ${reason}` });
}
