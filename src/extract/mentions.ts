/**
 * Names in text: places from the store's gazetteer (transliteration folded, so Deir Ezzor = Dayr az-Zawr)
 * and actors from its alias table ("regime forces", "the Syrian Elite Forces", "Daesh militants"). Both
 * tables are data, so the same code reads any conflict.
 */
import { foldName } from '../core/names.js';
import type { Actor, Place } from '../core/schemas.js';

export interface Token {
  start: number;
  end: number;
  text: string;
}

// "U.S." and "U.N." are one word each.
const TOKEN_RE = /(?:\p{Lu}\.){2,}|[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  return out;
}

// ---- places ----------------------------------------------------------------------------------------------

export interface PlaceMention {
  start: number;
  end: number;
  /** Candidates, best first (several when a name is shared). */
  places: number[];
  /** The words just before it: "in", "near", "west of", "province of" … */
  cue: string;
  /** "X province", "the province of X", "X countryside": the region, not the town. */
  region: boolean;
  /** Matched a name as written, not one shortened by its kind ("Euphrates" for "Euphrates Dam"). */
  exact: boolean;
}

/** Kind words dropped from names so that "al-Omar" finds "Al-Omar oil field" and "Tanf" "al-Tanf garrison". */
const KIND_SUFFIX = /\s+(?:oil\s*field|oilfield|gas\s*field|dam|air\s*base|airbase|military airport|airport|border crossing|crossing|garrison|base|district|neighbou?rhood|camp)$/i;
const MAX_WORDS = 5;

export class Gazetteer {
  private readonly index = new Map<string, { place: number; exact: boolean }[]>();
  /** Folding is the costly part of a look-up, and news repeats its phrases: remember them. */
  private readonly folded = new Map<string, string>();
  private fold(phrase: string): string {
    let f = this.folded.get(phrase);
    if (f === undefined) {
      if (this.folded.size > 100_000) this.folded.clear();
      f = foldName(phrase);
      this.folded.set(phrase, f);
    }
    return f;
  }
  /**
   * `places` are the store's; `builtin` (the world gazetteer, builtin.ts) only add names the store does not
   * have, and are found only where the text's parts of speech make the name a proper noun.
   */
  readonly builtinFrom: number;
  constructor(readonly places: readonly Place[], builtin: readonly Place[] = [], blocked: ReadonlySet<string> = new Set()) {
    if (builtin.length) places = [...places, ...builtin];
    this.places = places;
    this.builtinFrom = places.length - builtin.length;
    const own = new Set<string>();
    places.forEach((p, i) => {
      for (const name of new Set([p.name, ...p.names])) {
        const key = foldName(name);
        if (i < this.builtinFrom) own.add(key);
        else if (own.has(key) || blocked.has(key)) continue;
        this.add(name, i, true);
        const bare = name.replace(KIND_SUFFIX, '');
        if (bare !== name && bare.trim() && !(i >= this.builtinFrom && own.has(foldName(bare)))) this.add(bare, i, false);
      }
    });
    for (const list of this.index.values()) list.sort((a, b) => Number(b.exact) - Number(a.exact) || (places[b.place]!.population ?? 0) - (places[a.place]!.population ?? 0));
  }

  /**
   * Consonant skeletons of names ("khnsr" for Khanasser and Khanasir), for spellings whose vowels folding
   * does not reconcile; used only where the full key finds nothing and the skeleton names one place.
   */
  private readonly skeletons = new Map<string, number[]>();
  private static skeleton(key: string): string {
    return key.replace(/[aeiouy]/g, '').replace(/(.)\1+/g, '$1');
  }

  private add(name: string, place: number, exact: boolean): void {
    const key = foldName(name);
    if (key.length < 3) return; // "Bab" is a place; "As" is not
    if (exact && key.length >= 6) {
      const sk = Gazetteer.skeleton(key);
      if (sk.length >= 4) {
        const l = this.skeletons.get(sk) ?? [];
        if (!l.includes(place)) l.push(place);
        this.skeletons.set(sk, l);
      }
    }
    const list = this.index.get(key) ?? [];
    if (!list.some((x) => x.place === place)) list.push({ place, exact });
    this.index.set(key, list);
  }

  /** Place names in `text`, longest match first; a name must start with a capital letter (or al-/as-/ad-…). */
  find(text: string, tokens: Token[] = tokenize(text), skip: readonly { start: number; end: number }[] = [], properNoun?: (start: number) => boolean): PlaceMention[] {
    const out: PlaceMention[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!/^(?:\p{Lu}|(?:a[lnrstdz]|e[lnrstdz])[-’']\p{Lu}|a[lnrstdz]-\p{Ll})/u.test(t.text) && !/^(?:al|as|ad|ar|at|az|an|ash|ez|el|ed|es)[-’']/i.test(t.text)) continue;
      if (skip.some((s) => t.start < s.end && s.start < t.end)) continue;
      for (let n = Math.min(MAX_WORDS, tokens.length - i); n >= 1; n--) {
        const last = tokens[i + n - 1]!;
        if (skip.some((s) => last.start < s.end && s.start < last.end)) continue;
        const phrase = text.slice(t.start, last.end);
        // Words joined by anything but a space or a hyphen (a comma, "and") are not one name.
        if (n > 1 && /[^\p{L}\p{N}\s'’-]/u.test(phrase)) continue;
        const key = this.fold(phrase);
        let hit = this.index.get(key);
        if (!hit && key.length >= 6) {
          const sk = this.skeletons.get(Gazetteer.skeleton(key));
          if (sk && sk.length === 1) hit = [{ place: sk[0]!, exact: false }];
        }
        if (!hit) continue;
        // A name only the world gazetteer has must read as a proper noun here ("Heavy shelling" is no town).
        if (properNoun && hit.every((x) => x.place >= this.builtinFrom) && !properNoun(t.start)) continue;
        if (hit.some((x) => x.place < this.builtinFrom)) hit = hit.filter((x) => x.place < this.builtinFrom);
        const before = text.slice(Math.max(0, t.start - 30), t.start).toLowerCase();
        const after = text.slice(last.end, last.end + 25).toLowerCase();
        const cue = /([a-z-]+(?: of)?)\s*(?:the\s+)?(?:(?:town|city|village|province|governorate|district|countryside|area|outskirts|suburbs?|region|desert|neighbou?rhood|base|crossing|dam|field)\s+of\s+)?(?:(?:northern|southern|eastern|western|central|rural|north|south|east|west|north-?eastern|north-?western|south-?eastern|south-?western)\s+)?$/.exec(before)?.[1] ?? '';
        const region = /\b(?:province|governorate|countryside)\s+of\s+$/.test(before) || /^\s*(?:(?:northern|southern|eastern|western|north|south|east|west|northeastern|northwestern|southeastern|southwestern)\s+)?(?:province|governorate|countryside|region)\b/.test(after) || /(?:northern|southern|eastern|western|rural)\s+$/.test(before);
        out.push({ start: t.start, end: last.end, places: hit.map((x) => x.place), cue, region, exact: hit[0]!.exact });
        i += n - 1;
        break;
      }
    }
    return out;
  }
}

// ---- actors ----------------------------------------------------------------------------------------------

export interface ActorMention {
  start: number;
  end: number;
  actor: string;
  /** "rebel-held", "ISIS-controlled": names whose land it is, not who acts. */
  holder: boolean;
}

/** Nouns that follow an actor's name without changing who it is: "Daesh militants", "coalition jets". */
const HEADS = new Set('terrorist terrorists element elements force forces troop troops fighter fighters militant militants militia militias militiamen soldier soldiers unit units group groups faction factions jet jets warplane warplanes plane planes aircraft drone drones helicopter helicopters position positions gunmen jihadist jihadists member members official officials commander commanders army military convoy convoys armor armour artillery air'.split(' '));

function normalizeWord(w: string): string {
  let s = w.toLowerCase().replace(/’/g, "'").replace(/'s$/, '').replace(/s'$/, 's').replace(/^((?:\p{L}\.){2,})$/u, (m) => m.replace(/\./g, ''));
  // Plurals fold to singulars so "rebel groups" meets "rebels" (but "ISIS" and "Daesh" stay as they are).
  if (s.length > 3 && /[^s]s$/.test(s) && !/(?:is|us|ss)$/.test(s)) s = s.slice(0, -1);
  return s;
}

export class ActorLexicon {
  /** Phrase (normalized words joined by spaces) → actor id; exact-case phrases for acronyms. */
  private readonly phrases = new Map<string, string>();
  private readonly acronyms = new Map<string, string>();
  private maxWords = 1;

  constructor(actors: readonly Pick<Actor, 'id' | 'name' | 'aliases'>[]) {
    // Full names first, then shortened ones: the first actor to claim a phrase keeps it.
    const later: [string[], string][] = [];
    for (const a of actors) {
      for (const raw of [a.name, ...a.aliases]) {
        const name = raw.replace(/\([^)]*\)/g, ' ').replace(/:.*$/, '').trim();
        if (!name) continue;
        if (/^[A-Z]{2,5}$/.test(name)) {
          if (!this.acronyms.has(name)) this.acronyms.set(name, a.id);
          continue;
        }
        const toks = tokenize(name);
        // "IS militants": a phrase led by an acronym is read through the acronym ("is" is never IS).
        if (toks.length > 1 && /^[A-Z]{2,5}$/.test(toks[0]!.text) && toks.slice(1).every((t) => HEADS.has(normalizeWord(t.text)))) continue;
        const words = toks.map((t) => normalizeWord(t.text));
        if (words[0] === 'the') words.shift();
        if (!words.length) continue;
        this.claim(words, a.id);
        // "regime forces" also as "regime": the head noun is added back when reading.
        if (words.length > 1 && HEADS.has(words[words.length - 1]!)) later.push([words.slice(0, -1), a.id]);
      }
    }
    // A lone modifier left by dropping the head ("armed" of "armed groups", "US-backed" of "US-backed forces") names no one.
    for (const [words, id] of later) if (!(words.length === 1 && /^(?:syrian|iraqi|kurdish|arab|islamic|local|armed|us-led|us-backed|turkish-backed|turkey-backed|kurdish-led|iran-backed|iranian-backed|pro-government|pro-regime|pro-gna|gna-aligned|loyalist|terrorist|militant|paramilitary|shiite|shia|popular|security|federal|special|elite|emergency|eastern|libyan|misrata|misratan|haftar|rebel|opposition)$/.test(words[0]!))) this.claim(words, id);
  }

  /** The longest phrase starting with each word: most words start none, and are passed at once. */
  private readonly longestFrom = new Map<string, number>();

  private claim(words: string[], id: string): void {
    const key = words.join(' ');
    if (!this.phrases.has(key)) this.phrases.set(key, id);
    this.maxWords = Math.max(this.maxWords, words.length);
    this.longestFrom.set(words[0]!, Math.max(this.longestFrom.get(words[0]!) ?? 0, words.length));
  }

  find(text: string, tokens: Token[] = tokenize(text)): ActorMention[] {
    const out: ActorMention[] = [];
    const words = tokens.map((t) => normalizeWord(t.text));
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const acronym = this.acronyms.get(t.text.replace(/['’]s$/, '').replace(/\./g, ''));
      // In a line set in capitals ("IS IT OVER"), a word in capitals is no acronym.
      if (acronym && !/^(?:[^\p{Ll}]*\p{Lu}){12}[^\p{Ll}]*$/u.test(text.slice(Math.max(0, t.start - 12), t.end + 12))) {
        out.push({ start: t.start, end: t.end, actor: acronym, holder: false });
        continue;
      }
      let matched = false;
      const held = /-(?:held|controlled|run|dominated)$/.test(words[i]!);
      const longest = held ? 1 : (this.longestFrom.get(words[i]!) ?? 0);
      for (let n = Math.min(longest, tokens.length - i); n >= 1 && !matched; n--) {
        const phrase = words.slice(i, i + n);
        let holder = false;
        // "rebel-held", "ISIS-controlled": the last word without its suffix.
        const tail = /^(.+)-(?:held|controlled|run|dominated)$/.exec(phrase[n - 1]!);
        if (tail) {
          phrase[n - 1] = normalizeWord(tail[1]!);
          holder = true;
        }
        const id = this.phrases.get(phrase.join(' ')) ?? (tail && n === 1 ? this.acronyms.get(tail[1]!.toUpperCase()) : undefined);
        if (!id) continue;
        // Between sentences of a list, a phrase must not swallow across punctuation.
        const span = text.slice(t.start, tokens[i + n - 1]!.end);
        if (n > 1 && /[,;:()]/.test(span)) continue;
        let j = i + n;
        if (!holder && j < tokens.length && HEADS.has(words[j]!) && /^\s+$/.test(text.slice(tokens[j - 1]!.end, tokens[j]!.start))) j++;
        out.push({ start: t.start, end: tokens[j - 1]!.end, actor: id, holder });
        i = j - 1;
        matched = true;
      }
    }
    return out;
  }
}

/** Words for people who are harmed, not fighting: the victims of an attack are civilians. */
export const VICTIM_WORDS = /\b(?:civilians?|people|children|residents|evacuees|villagers|wom[ae]n|worshipp?ers|patients|students|families|passengers|shoppers|displaced|pilgrims|journalists?|activists?|doctors?|aid workers?|(?:council|local) (?:members?|officials?)|teachers?|farmers?|shepherds?|civil defen[cs]e|rescue workers?|rescuers|White Helmets|volunteers|mourners|babies|baby|infants?|men|women)\b/i;
