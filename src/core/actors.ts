import type { IsoDate } from './dates.js';
import { foldName } from './names.js';
import type { Actor, Bloc, Relation, RelationKind } from './schemas.js';

/** Source spellings of actors, folded, to actor ids. Built once, then looked up per row. */
export type AliasIndex = ReadonlyMap<string, string>;

export function buildAliasIndex(actors: readonly Pick<Actor, 'id' | 'name' | 'aliases'>[]): AliasIndex {
  const index = new Map<string, string>();
  for (const a of actors) {
    for (const n of [a.id, a.name, ...a.aliases]) {
      const key = foldName(n);
      // The first actor to claim a spelling keeps it: a later, vaguer alias must not steal "IS" from ISIS.
      if (key && !index.has(key)) index.set(key, a.id);
    }
  }
  return index;
}

/**
 * The actor a source's name stands for. ACLED decorates names ("Military Forces of Syria (2000-)"),
 * UCDP prefixes them ("Government of Syria") and some sources write "SDF: Syrian Democratic Forces":
 * try the whole name, then without the bracketed years, then each side of a colon.
 */
export function resolveActorName(index: AliasIndex, raw: string): string | null {
  const name = raw.trim();
  if (!name) return null;
  const candidates = [name, name.replace(/\([^)]*\)/g, ' ').trim()];
  const colon = name.indexOf(':');
  if (colon > 0) candidates.push(name.slice(0, colon), name.slice(colon + 1));
  for (const c of candidates) {
    const hit = index.get(foldName(c));
    if (hit) return hit;
  }
  return null;
}

/**
 * A resolver that remembers its answers: a file of a million rows names a few hundred actors, and folding
 * each name once instead of once per row is a tenth of the import's time.
 */
export function actorResolver(index: AliasIndex): (raw: string) => string | null {
  const memo = new Map<string, string | null>();
  return (raw) => {
    let hit = memo.get(raw);
    if (hit === undefined) {
      hit = resolveActorName(index, raw);
      memo.set(raw, hit);
    }
    return hit;
  };
}

function within(date: IsoDate, from?: IsoDate, to?: IsoDate): boolean {
  return (!from || from <= date) && (!to || date <= to);
}

/** The bloc an actor belongs to on a date, or null when it belongs to none then. */
export function blocOf(blocs: readonly Bloc[], actor: string, date: IsoDate): string | null {
  for (const b of blocs) {
    if (b.id === actor) return b.id;
    if (b.members.some((m) => m.actor === actor && within(date, m.from, m.to))) return b.id;
  }
  return null;
}

/** How two blocs treat each other on a date; a bloc is allied with itself; unknown pairs are neutral. */
export function relationOn(relations: readonly Relation[], a: string, b: string, date: IsoDate): RelationKind {
  if (a === b) return 'allied';
  for (const r of relations) {
    if (((r.a === a && r.b === b) || (r.a === b && r.b === a)) && within(date, r.from, r.to)) return r.kind;
  }
  return 'neutral';
}
