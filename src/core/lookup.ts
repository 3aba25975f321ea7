/**
 * What a user types for a filter or a target, resolved the same way in the CLI, the API and the web app:
 * an actor by id, name or any alias (the alias table sources are read with), an ACLED type or sub-type in
 * any case, a bloc by id or name, an objective or place by id or any spelling. An unknown value is an
 * error that lists the close matches; nothing silently matches nothing.
 */
import { buildAliasIndex, resolveActorName } from './actors.js';
import { closeMatches, placeMatcher } from './fuzzy.js';
import { UsageError } from './errors.js';
import { foldName } from './names.js';
import type { Actor, Objective, Place } from './schemas.js';
import { canonicalEventType, EVENT_TYPES, SUB_EVENT_TYPES, ACLED_TAXONOMY, type EventType } from './taxonomy.js';

function didYouMean(close: readonly string[]): string {
  return close.length ? `did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : '';
}

/** An actor id from an id, a name or an alias (any case and transliteration). */
export function resolveActor(actors: readonly Pick<Actor, 'id' | 'name' | 'aliases'>[], raw: string, what = 'actor'): string {
  const v = raw.trim();
  const exact = actors.find((a) => a.id === v);
  if (exact) return exact.id;
  const hit = resolveActorName(buildAliasIndex(actors), v);
  if (hit) return hit;
  const close = closeMatches(v, actors.flatMap((a) => [a.id, a.name, ...a.aliases]));
  const ids = [...new Set(close.map((c) => actors.find((a) => a.id === c || a.name === c || a.aliases.includes(c))!.id))];
  throw new UsageError(`${what}: no actor "${raw}" (by id, name or alias)${ids.length ? `; ${didYouMean(ids)}` : ''} — see frontline actors`);
}

/** The ACLED event type in its canonical spelling. */
export function resolveEventType(raw: string, what = 'type'): EventType {
  const t = canonicalEventType(raw);
  if (t) return t;
  const close = closeMatches(raw, EVENT_TYPES);
  throw new UsageError(`${what}: "${raw}" is not an ACLED event type${close.length ? `; ${didYouMean(close)}` : ''} (types: ${EVENT_TYPES.join(', ')})`);
}

/** An ACLED sub-event type in its canonical spelling (of the given type, when there is one). */
export function resolveSubType(raw: string, type?: EventType, what = 'subType'): string {
  const pool = type ? ACLED_TAXONOMY[type] : SUB_EVENT_TYPES;
  const hit = pool.find((s) => s.toLowerCase() === raw.trim().toLowerCase());
  if (hit) return hit;
  const close = closeMatches(raw, pool);
  throw new UsageError(`${what}: "${raw}" is not an ACLED sub-event type${type ? ` of ${type}` : ''}${close.length ? `; ${didYouMean(close)}` : ''}`);
}

/** A bloc id from its id or name, in any case. */
export function resolveBloc(blocs: readonly { id: string; name: string }[], raw: string, what = 'bloc'): string {
  const v = raw.trim();
  const hit = blocs.find((b) => b.id === v) ?? blocs.find((b) => b.id.toLowerCase() === v.toLowerCase() || foldName(b.name) === foldName(v));
  if (hit) return hit.id;
  const close = closeMatches(v, blocs.flatMap((b) => [b.id, b.name]));
  const ids = [...new Set(close.map((c) => blocs.find((b) => b.id === c || b.name === c)!.id))];
  throw new UsageError(`${what}: no bloc "${raw}"${ids.length ? `; ${didYouMean(ids)}` : ''} (blocs: ${blocs.map((b) => b.id).join(', ')})`);
}

/**
 * The place an objective names: a stored objective by id or name (what /api/meta lists), else a place by
 * id or a spelling that is that place's name after folding. Several places of that name, or none, is an
 * error that names the candidates.
 */
export function resolveObjectivePlace(objectives: readonly Objective[], places: readonly Place[], raw: string, what = 'objective'): { name: string; place: Place } {
  const v = raw.trim();
  const byId = new Map(places.map((p) => [p.id, p]));
  const f = foldName(v);
  const objective = objectives.find((o) => o.id === v) ?? objectives.find((o) => foldName(o.name) === f);
  if (objective?.place) {
    const p = byId.get(objective.place);
    if (!p) throw new UsageError(`${what}: objective "${objective.name}" names place "${objective.place}", which is not in the store`);
    return { name: objective.name, place: p };
  }
  const direct = byId.get(v);
  if (direct) return { name: direct.name, place: direct };
  const found = placeMatcher(places).search(v, { limit: 6 });
  const same = found.filter((m) => m.score === 0);
  if (same.length === 1) return { name: same[0]!.item.name, place: same[0]!.item };
  if (same.length > 1) throw new UsageError(`${what}: "${raw}" names ${same.length} places (${same.map((m) => `${m.item.id}: ${m.item.name}`).join('; ')}): give the id`);
  const close = [...objectives.filter((o) => closeMatches(v, [o.name]).length).map((o) => o.name), ...found.map((m) => `${m.item.name} (${m.item.id})`)];
  throw new UsageError(`${what}: "${raw}" matches no place or objective${close.length ? `; ${didYouMean(close.slice(0, 6))}` : ''}`);
}
