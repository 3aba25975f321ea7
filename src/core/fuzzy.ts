/**
 * Fuzzy name matching over every spelling a record has (names, transliterations, Arabic script): the
 * gazetteer search (`frontline places --name`, /api/places, the web app's search, a draft's new
 * location) and the "did you mean" of filters that name an actor, a type or a bloc.
 *
 * Names are folded first (foldName: case, diacritics, the Arabic article, vowel and consonant variants of
 * transliteration; Arabic script is normalized here), then compared by the optimal-string-alignment
 * Damerau–Levenshtein distance, bounded by the query's length. A fused article ("Albab", "Elbab") is
 * tried without it too. Decision: docs/decisions/0029-fuzzy-names.md.
 */
import { foldName } from './names.js';

// Arabic: short vowels, shadda, sukun, dagger alef, hamza marks (NFKD splits أ into ا + U+0654), tatweel.
const ARABIC_MARKS = /[\u064B-\u065F]|\u0670|\u0640/g;

/** Arabic script brought to one spelling: alef forms, alef maqsura, ta marbuta, hamza seats, the article. */
export function foldArabic(name: string): string {
  return name
    .normalize('NFKD')
    .replace(ARABIC_MARKS, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .replace(/(^|\s)ال(?=\S{2})/g, '$1');
}

/** The keys a name is matched by: its folded form, and without a fused leading article ("Albab" → "bab"). */
export function matchKeys(name: string): string[] {
  const key = foldName(foldArabic(name));
  if (!key) return [];
  const bare = /^(?:al|el|ul|il)(?=[a-z]{3})/.test(key) ? key.slice(2) : null;
  return bare ? [key, bare] : [key];
}

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions), or `max + 1` as
 * soon as it must exceed `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, max + 1);
}

/** How many edits a folded query of this length may be away from a name: 1 up to 4 letters, then one per 4. */
export function allowedEdits(length: number): number {
  return length <= 4 ? 1 : Math.min(3, Math.floor(length / 4) + 1);
}

export interface NameMatch<T> {
  item: T;
  /** The spelling that matched, as the record writes it. */
  name: string;
  /** 0 the same name after folding, 0.5 a prefix of it, 0.75 inside it, else the number of edits. */
  score: number;
}

interface Entry<T> {
  item: T;
  name: string;
  key: string;
}

/** An index of records by all their spellings. */
export class NameMatcher<T> {
  private readonly entries: Entry<T>[] = [];

  constructor(records: Iterable<{ item: T; names: readonly string[] }>) {
    for (const r of records) {
      const seen = new Set<string>();
      for (const name of r.names) {
        for (const key of matchKeys(name)) {
          if (seen.has(key)) continue;
          seen.add(key);
          this.entries.push({ item: r.item, name, key });
        }
      }
    }
  }

  /**
   * Each record once, at its best-matching spelling, best first (ties in the order records were given).
   * Records within edits of the query come only when none has the query as, or inside, one of its names.
   */
  search(query: string, opts: { limit?: number; fuzzy?: boolean; partial?: boolean } = {}): NameMatch<T>[] {
    const keys = matchKeys(query);
    if (!keys.length) return [];
    const best = new Map<T, NameMatch<T> & { order: number }>();
    this.entries.forEach((e, order) => {
      let score = Infinity;
      for (const q of keys) {
        if (e.key === q) score = 0;
        else if (opts.partial !== false && q.length >= 3 && e.key.startsWith(q)) score = Math.min(score, 0.5);
        else if (opts.partial !== false && q.length >= 4 && e.key.includes(q)) score = Math.min(score, 0.75);
        else if (opts.fuzzy !== false) {
          const max = allowedEdits(q.length);
          const d = editDistance(q, e.key, max);
          if (d <= max) score = Math.min(score, d);
        }
      }
      if (score === Infinity) return;
      const had = best.get(e.item);
      if (!had || score < had.score) best.set(e.item, { item: e.item, name: e.name, score, order: had?.order ?? order });
    });
    const found = [...best.values()];
    // Spellings within an edit or two are a fallback: when a name is there as written, they are noise.
    const closest = found.some((m) => m.score < 1) ? found.filter((m) => m.score < 1) : found;
    return closest
      .sort((a, b) => a.score - b.score || a.order - b.order)
      .slice(0, opts.limit ?? Infinity)
      .map(({ order: _o, ...m }) => m);
  }
}

/**
 * Close spellings of a value among the accepted ones, for "did you mean" in errors: those within the
 * allowed edits after folding, or that contain it, best first.
 */
export function closeMatches(value: string, accepted: readonly string[], limit = 5): string[] {
  return new NameMatcher(accepted.map((a) => ({ item: a, names: [a] }))).search(value, { limit }).map((m) => m.item);
}

/** Places by every spelling they have: name, id, and the other names (transliterations, Arabic script). */
export function placeMatcher<P extends { id: string; name: string; names: readonly string[] }>(places: readonly P[]): NameMatcher<P> {
  return new NameMatcher(places.map((p) => ({ item: p, names: [p.name, ...p.names, p.id] })));
}
