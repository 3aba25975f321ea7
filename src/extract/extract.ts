/**
 * News text to draft events (DESIGN.md §3, "extraction precision first"). For each trigger in a sentence
 * (triggers.ts: verbs and nouns that report an occurrence): is it asserted (not a conditional, prediction,
 * threat, denial or question), then who did it to whom, where and when, each with the span it came from.
 * A sentence gives one event per place its triggers point to ("raids on Kafr Takharim … rocket fire in
 * Kafr Awid"); two triggers at one place are one event ("airstrikes and barrel bomb attacks on Atareb").
 * The document is read once by the NLP library (nlp.ts) for parts of speech and negation.
 * Pure: the caller passes the gazetteer, the actors and what the store knows.
 */
import { blocOf, relationOn } from '../core/actors.js';
import { type DatePrecision, type IsoDate } from '../core/dates.js';
import type { Actor, Bloc, Place, Relation } from '../core/schemas.js';
import { foldName } from '../core/names.js';
import { haversineKm } from '../geo/measure.js';
import { builtinActors, builtinPlaces, type BuiltinActor } from './builtin.js';
import { findDates, headerDate } from './dates.js';
import { ActorLexicon, Gazetteer, tokenize, VICTIM_WORDS, type ActorMention, type PlaceMention } from './mentions.js';
import { analyze, TokenIndex } from './nlp.js';
import { documentText, looksEnglish, splitSentences, type Sentence, type TextFormat } from './text.js';
import { findTriggers, MODAL_CUES, modalityOf, type ClaimKind, type TriggerHit } from './triggers.js';

export interface ExtractContext {
  gazetteer: Gazetteer;
  lexicon: ActorLexicon;
  actors: readonly Actor[];
  blocs: readonly Bloc[];
  /** How blocs treat each other: a place's holder is only the target of an attack when not an ally. */
  relations: readonly Relation[];
  /** Who held a place just before a date (the store's control timeline), for the side that lost it. */
  holderBefore?: (placeId: string, date: IsoDate) => string | null;
  /** Built-in actors (data/extract/actors.json) by id: their bloc where the store's blocs have none. */
  builtin: ReadonlyMap<string, BuiltinActor>;
}

/**
 * The store's places, actors and blocs, with the built-in world gazetteer and actor table beside them
 * (builtin.ts; `builtin: false` leaves them out). The store's names win where both have them.
 */
export function buildExtractContext(places: readonly Place[], actors: readonly Actor[], blocs: readonly Bloc[], relations: readonly Relation[] = [], holderBefore?: ExtractContext['holderBefore'], opts: { builtin?: boolean } = {}): ExtractContext {
  const withBuiltin = opts.builtin ?? true;
  const extra = withBuiltin ? builtinActors() : [];
  const known = new Set(actors.map((a) => a.id));
  // The store's actors first (their aliases claim phrases first), then built-in aliases of the same ids,
  // then built-in actors the store does not have.
  const lexiconActors = [
    ...actors,
    ...extra.filter((b) => known.has(b.id)).map((b) => ({ id: b.id, name: b.name, aliases: b.aliases })),
    ...extra.filter((b) => !known.has(b.id)).map((b) => ({ id: b.id, name: b.name, aliases: b.aliases })),
  ];
  const builtin = new Map(extra.map((b) => [b.id, b]));
  const allActors: Actor[] = [...actors, ...extra.filter((b) => !known.has(b.id)).map((b) => ({ id: b.id, name: b.name, kind: b.kind as Actor['kind'], aliases: b.aliases, sources: [] }) as unknown as Actor)];
  // Words that name actors are not places ("Nusra", "Army"): blocked from the world gazetteer.
  const blocked = new Set<string>();
  for (const a of lexiconActors) for (const n of [a.name, ...a.aliases]) blocked.add(foldName(n));
  const gazetteer = new Gazetteer(places, withBuiltin ? builtinPlaces() : [], blocked);
  return { gazetteer, lexicon: new ActorLexicon(lexiconActors), actors: allActors, blocs, relations, builtin, ...(holderBefore ? { holderBefore } : {}) };
}

export interface DraftEvent {
  type: string;
  subType: string;
  actor1: string | null;
  actor2: string | null;
  bloc1: string | null;
  bloc2: string | null;
  /** The place's name as the gazetteer has it, and its id in the store. */
  place: string | null;
  placeId: string | null;
  /** The words the text used for the place. */
  location: string | null;
  lat: number | null;
  lon: number | null;
  /** 1 the place itself, 2 near it or part of it, 3 only the region. */
  geoPrecision: 1 | 2 | 3;
  /** The place's country (ISO 3166 alpha-2) and administrative units, as ACLED rows carry them. */
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  date: IsoDate;
  datePrecision: DatePrecision;
  fatalities: number | null;
  /** "at least four incidents": how many occurrences this one event stands for. */
  count: number | null;
  /** The sentence it came from. */
  span: [number, number];
  /** The trigger, actors, place and date as written, with their spans, for review. */
  evidence: { field: string; text: string; span: [number, number] }[];
  confidence: number;
}

export interface Claim {
  kind: ClaimKind;
  text: string;
  span: [number, number];
  /** What the claim would be if it were an event, when a trigger was found. */
  type?: string;
  actors?: string[];
  places?: string[];
}

export interface ExtractResult {
  text: string;
  events: DraftEvent[];
  claims: Claim[];
  /** Events told without a date: kept out of `events`; a store may date them by a known event. */
  undated: DraftEvent[];
  notes: string[];
}

const LOCATIVE = /^(?:in|at|near|outside|around|inside|into|on|within|across|over|west of|east of|north of|south of|northwest of|northeast of|southwest of|southeast of|north-west of|north-east of|south-west of|south-east of)$/;
const REPORTING = /\b(?:said|says|announced|reported|claimed|stated|told|confirmed|added)\b(?:\s+(?:on|late|early)\s+\w+)?(?:\s+that)?/gi;
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100 };

function numberFrom(word: string): number | null {
  const w = word.toLowerCase().replace(/,/g, '');
  if (/^\d+$/.test(w)) return Number(w);
  return NUMBER_WORDS[w] ?? null;
}

/** Killed, from "killing at least 126 people", "20 civilians were killed", "left 12 dead". */
export function fatalitiesIn(sentence: string): number | null {
  const n = '(\\d[\\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)';
  const res = [
    new RegExp(`\\bkill(?:ing|ed|s)\\s+(?:at\\s+least\\s+|some\\s+|about\\s+|around\\s+|nearly\\s+|more\\s+than\\s+|over\\s+|up\\s+to\\s+)?${n}\\b`, 'i'),
    new RegExp(`\\b(?:at\\s+least\\s+|some\\s+|about\\s+|nearly\\s+|more\\s+than\\s+)?${n}\\s+(?:[\\w-]+\\s+){0,3}?(?:were|was|have\\s+been|had\\s+been)?\\s*(?:killed|dead)\\b`, 'i'),
    new RegExp(`\\bleaving\\s+${n}\\s+dead\\b|\\bleft\\s+${n}\\s+dead\\b|\\bdeath\\s+toll\\s+(?:rose\\s+)?to\\s+${n}\\b`, 'i'),
  ];
  for (const re of res) {
    const m = re.exec(sentence);
    if (!m) continue;
    const word = m.slice(1).find((x) => x !== undefined);
    const v = word ? numberFrom(word) : null;
    if (v !== null) return v;
  }
  return null;
}

function countIn(sentence: string): number | null {
  const m = /\b(?:at\s+least|some|more\s+than|about)?\s*(\d+|two|three|four|five|six|seven|eight|nine|ten|dozens)\s+(?:separate\s+)?(?:incidents|strikes|attacks|raids|times|occasions)\b/i.exec(sentence);
  if (!m) return null;
  return m[1]!.toLowerCase() === 'dozens' ? 24 : numberFrom(m[1]!);
}

/** Two drafts of one document that tell one occurrence: same type, day, place, and sides that fit. */
function sameOccurrence(a: DraftEvent, b: DraftEvent): boolean {
  if (a.type !== b.type || a.date !== b.date) return false;
  if (a.lat !== null && b.lat !== null && haversineKm(a.lon!, a.lat, b.lon!, b.lat) > 25) return false;
  const sa = new Set([a.bloc1, a.bloc2].filter(Boolean)), sb = [b.bloc1, b.bloc2].filter(Boolean);
  return sb.length > 0 && sb.every((x) => sa.has(x));
}


const distKm = (a: { lon: number; lat: number }, b: { lon: number; lat: number }): number => haversineKm(a.lon, a.lat, b.lon, b.lat);

interface SentenceInfo {
  s: Sentence;
  places: PlaceMention[];
  actors: ActorMention[];
  /** "al-Midan neighborhood", "Hanano area": a part of a town the gazetteer does not have. */
  quarters: { start: number; end: number; text: string }[];
}

/** A mention of the Syrian state by name, not by "government forces" (which in Libya are the GNA's). */
const NAMES_SYRIA = /\b(?:syria|syrian|assad|regime|saa|damascus)\b/i;
const QUARTER = /\b((?:(?:al|el|as|ash|ad|ar|az|at)-)?\p{Lu}[\p{L}'’-]*(?:\s+(?:(?:al|el|as|ash|ad|ar|az|at)-)?\p{Lu}[\p{L}'’-]*){0,2})\s+(?:neighbou?rhoods?|district|quarter|area)\b/gu;
const COUNTRY_WORD = /^(?:Turkey|Iraq|Syria|Jordan|Israel|Lebanon|Russia|Iran|Libya|the\s+United\s+States|United\s+States)$/;
const METONYM_AFTER = /^\s*\((?:Sputnik|Reuters|AFP|AP|SANA|Anadolu|TASS|Xinhua|DPA|UPI|IRNA)\)|^\s+(?:has|have|had|is|was|does|did|said|says|told|sent|accused|defended|denied|rejected|announced|called|recogni[sz]es?|ally|allies|government|regime|authorities|and\s+(?:Moscow|Tehran|Ankara|Washington))\b/;
const NOT_QUARTER = /^(?:The|This|That|Eastern|Western|Northern|Southern|Old|Residential|Rebel-held|Opposition-held|Government-held|Besieged|Military|Industrial)$/;

/** Wink's universal tags that a place name never has. */
const NOT_A_NAME = new Set(['VERB', 'AUX', 'ADJ', 'ADV', 'ADP', 'DET', 'PRON', 'CCONJ', 'SCONJ', 'PART', 'NUM', 'INTJ', 'SYM', 'PUNCT']);

export function extractEvents(raw: string, published: IsoDate, ctx: ExtractContext, format: TextFormat = 'text'): ExtractResult {
  const text = documentText(raw, format);
  const notes: string[] = [];
  if (!text.trim()) return { text, events: [], claims: [], undated: [], notes: ['the document is empty'] };
  if (!looksEnglish(text)) return { text, events: [], claims: [], undated: [], notes: ['the text does not look like English: nothing was extracted (the extractor reads English only)'] };
  const actorById = new Map(ctx.actors.map((a) => [a.id, a]));
  const bloc = (actor: string | null, date: IsoDate): string | null => (actor ? (blocOf(ctx.blocs, actor, date) ?? ctx.builtin.get(actor)?.bloc ?? null) : null);
  const civilians = ctx.actors.find((a) => a.kind === 'civilians')?.id ?? null;
  const unidentified = ctx.actors.find((a) => a.kind === 'other' && /unidentified|unknown/i.test(a.name))?.id ?? null;
  const words = new TokenIndex(analyze(text));
  const properNoun = (at: number): boolean => {
    const t = words.at(at);
    return !t || !NOT_A_NAME.has(t.pos);
  };
  // The document's own date (its header or dateline) is what its weekdays and "yesterday" count from.
  const header = headerDate(text, published);
  const ref = header ?? published;

  const infos: SentenceInfo[] = splitSentences(text).map((s) => {
    const tokens = tokenize(s.text);
    const actors = ctx.lexicon.find(s.text, tokens);
    // A place inside an actor's name ("Manbij Military Council") is not a place mention.
    let places = ctx.gazetteer.find(s.text, tokens, actors.filter((a) => !a.holder), (at) => properNoun(s.start + at))
      // "Damascus sent letters", "its Damascus ally": the government, not the city.
      .filter((p) => !METONYM_AFTER.test(s.text.slice(p.end, p.end + 30)) && !/\b(?:its|their)\s+$/i.test(s.text.slice(Math.max(0, p.start - 8), p.start)));
    const quarters: SentenceInfo['quarters'] = [];
    QUARTER.lastIndex = 0;
    for (let m = QUARTER.exec(s.text); m; m = QUARTER.exec(s.text)) {
      const name = m[1]!;
      const inside = places.filter((p) => p.start < m!.index + name.length && m!.index < p.end);
      if (NOT_QUARTER.test(name.split(/\s+/)[0]!) || inside.some((p) => p.places.some((x) => x < ctx.gazetteer.builtinFrom))) continue;
      // A name only the world gazetteer has, inside "Salah Eddin neighborhood", is the quarter's.
      places = places.filter((p) => !inside.includes(p));
      quarters.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
    }
    return { s, places, actors, quarters };
  });
  // The document's country: the one its places name without doubt most often.
  const countryVotes = new Map<string, number>();
  for (const i of infos) for (const p of i.places) {
    const cs = new Set(p.places.map((x) => ctx.gazetteer.places[x]!.country ?? ''));
    if (cs.size === 1) countryVotes.set([...cs][0]!, (countryVotes.get([...cs][0]!) ?? 0) + 1);
  }
  const docCountry = [...countryVotes].filter(([c]) => c).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  // Country context: places named without ambiguity anchor the choice among namesakes.
  const sure = infos.flatMap((i) => i.places.filter((p) => p.places.length === 1).map((p) => ctx.gazetteer.places[p.places[0]!]!));
  const centre = sure.length ? { lat: sure.reduce((a, p) => a + p.lat, 0) / sure.length, lon: sure.reduce((a, p) => a + p.lon, 0) / sure.length } : null;
  const pick = (m: PlaceMention): number => {
    let cands = m.places;
    if (docCountry && cands.length > 1) {
      const inCountry = cands.filter((p) => ctx.gazetteer.places[p]!.country === docCountry);
      if (inCountry.length) cands = inCountry;
    }
    return cands.length === 1 || !centre ? cands[0]! : cands.reduce((b, p) => (distKm(ctx.gazetteer.places[p]!, centre) < distKm(ctx.gazetteer.places[b]!, centre) - 50 ? p : b), cands[0]!);
  };

  // Actors the document names generically or by another country's words, read in its context.
  const generic = new Set([...ctx.builtin.values()].filter((b) => b.generic).map((b) => b.id));
  const mentionCount = new Map<string, number>();
  for (const i of infos) for (const a of i.actors) if (!generic.has(a.actor)) mentionCount.set(a.actor, (mentionCount.get(a.actor) ?? 0) + 1);
  // "terrorists", "militants": the armed group the document names most (Islamic State, rebels …), else the
  // Syrian opposition in a report about Syria (as Syrian state media use the word), else unidentified.
  // "terrorists", "militants": the armed group named in the same or the sentence before (Islamic State,
  // Nusra …), else the Syrian opposition in a report about Syria (as Syrian state media use the word), else
  // unidentified.
  const armedBlocs = new Set(['isis', 'opposition']);
  const genericAs = docCountry === 'SY' || docCountry === null ? (actorById.has('fsa') ? 'fsa' : null) : unidentified;
  const armedNear = (k: number): string | null => {
    for (const j of [k, k - 1]) {
      const named = infos[j]?.actors.filter((a) => !generic.has(a.actor) && armedBlocs.has(bloc(a.actor, ref) ?? ''));
      if (named?.length) return named.at(-1)!.actor;
    }
    return genericAs;
  };
  const stateOf = docCountry && docCountry !== 'SY' ? ([...ctx.builtin.values()].find((b) => b.country === docCountry && b.kind === 'state-military')?.id ?? null) : null;
  // "near the border with Turkey", "fled to Jordan": the country, not its forces.
  for (const i of infos) i.actors = i.actors.filter((a) => !(COUNTRY_WORD.test(i.s.text.slice(a.start, a.end)) && /\b(?:border\s+with|borders?\s+of|in|into|from|to|of|near|across|inside|and)\s+(?:the\s+)?$/i.test(i.s.text.slice(Math.max(0, a.start - 20), a.start))));
  const resolvedGeneric = infos.map((_, k) => armedNear(k));
  infos.forEach((i, k) => {
    i.actors = i.actors.flatMap((a) => {
      if (generic.has(a.actor)) return resolvedGeneric[k] ? [{ ...a, actor: resolvedGeneric[k]! }] : [];
      if (stateOf && bloc(a.actor, ref) === 'government' && actorById.get(a.actor)?.kind === 'state-military' && !NAMES_SYRIA.test(i.s.text.slice(a.start, a.end))) return [{ ...a, actor: stateOf }];
      return [a];
    });
  });
  // Who flies: the air force the document names most, for strikes it does not attribute.
  const airPower = [...mentionCount].filter(([a]) => ['government', 'coalition', 'turkey'].includes(bloc(a, ref) ?? '') && /state|coalition/.test(actorById.get(a)?.kind ?? '')).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;

  const placeCounts = new Map<number, number>();
  for (const i of infos) for (const p of i.places) placeCounts.set(pick(p), (placeCounts.get(pick(p)) ?? 0) + 1);
  const blocMentions = new Map<string, number>();
  for (const i of infos) for (const a of i.actors) {
    const b = bloc(a.actor, ref);
    if (b) blocMentions.set(b, (blocMentions.get(b) ?? 0) + 1);
  }

  const events: DraftEvent[] = [];
  const claims: Claim[] = [];
  const undatedDrafts: DraftEvent[] = [];
  let prev: { event: DraftEvent; paragraph: number } | null = null;
  // The last date written in the paragraph, for sentences that give none ("carried from the sentence before").
  let lastDate: { date: IsoDate; precision: DatePrecision; paragraph: number } | null = null;
  for (const info of infos) {
    const { s } = info;
    const span: [number, number] = [s.start, s.end];
    // A headline ("Over 3 Killed 40 Injured in Terrorists Rocket Attack on Western Aleppo") is told again
    // in the text below it.
    const capWords = s.text.match(/\b\p{Lu}[\p{L}'’-]{3,}/gu)?.length ?? 0, longWords = s.text.match(/\b\p{L}[\p{L}'’-]{3,}/gu)?.length ?? 0;
    const headline = longWords >= 4 && capWords / longWords >= 0.7;
    const hits = headline ? [] : findTriggers(s.text);
    const sentenceDates = findDates(s.text, ref, prev?.event.date ?? null);
    const placesOf = (m: PlaceMention[]): string[] => m.map((p) => ctx.gazetteer.places[pick(p)]!.name);
    if (!hits.length) {
      // A sentence about what might happen, naming who and where, is kept as a claim for the analyst.
      const cue = MODAL_CUES.find((c) => c.re.test(s.text));
      if (cue && info.actors.length && info.places.length) claims.push({ kind: cue.claim, text: s.text, span, actors: info.actors.map((a) => a.actor), places: placesOf(info.places) });
      const d = sentenceDates.filter((x) => x.precision === 'day').at(-1);
      if (d && d.date <= ref && d.date.slice(0, 4) === ref.slice(0, 4)) lastDate = { date: d.date, precision: d.precision, paragraph: s.paragraph };
      continue;
    }
    const claimed = new Set<string>();
    const sentenceEvents: { event: DraftEvent; placeIdx: number | null; quarter: string | null; a1: ActorMention | null }[] = [];
    for (let k = 0; k < hits.length; k++) {
      const trig: TriggerHit = hits[k]!;
      const scopeStart = k > 0 ? hits[k - 1]!.end : 0;
      const scopeEnd = k + 1 < hits.length ? hits[k + 1]!.start : s.text.length;
      const tokenAt = words.at(s.start + trig.start);
      const modal = modalityOf(s.text, trig.start) ?? (tokenAt?.negated ? 'denial' : null);
      const claimOf = (kind: ClaimKind): Claim => ({ kind, text: s.text, span, type: trig.rule.type, actors: info.actors.map((a) => a.actor), places: placesOf(info.places) });
      if (modal) {
        if (!claimed.has(modal)) claims.push(claimOf(modal));
        claimed.add(modal);
        continue;
      }
      const evidence: DraftEvent['evidence'] = [{ field: 'trigger', text: s.text.slice(trig.start, trig.end), span: [s.start + trig.start, s.start + trig.end] }];

      // ---- when
      const sameParagraph = prev !== null && prev.paragraph === s.paragraph;
      // "… in a similar attack on al-Zahraa": an attack named without its weapon is one of the kind told before.
      let rule = trig.rule;
      if (rule.kind === 'clash' && /^(?:in\s+(?:a|an)\s+(?:[\w-]+\s+){0,2})?attacks?\s+on$/i.test(s.text.slice(trig.start, trig.end)) && sameParagraph && prev!.event.type === 'Explosions/Remote violence') rule = { ...rule, kind: 'shelling', type: prev!.event.type, subType: prev!.event.subType };
      let date: IsoDate | null = null;
      let precision: DatePrecision = 'day';
      if (sentenceDates.length) {
        const d = sentenceDates.reduce((b, x) => (Math.abs(x.start - trig.start) < Math.abs(b.start - trig.start) ? x : b));
        date = d.date;
        precision = d.precision;
        evidence.push({ field: 'date', text: s.text.slice(d.start, d.end), span: [s.start + d.start, s.start + d.end] });
      } else if (sameParagraph) {
        // "Government warplanes responded with raids": the same day as the event told just before.
        date = prev!.event.date;
        precision = prev!.event.datePrecision;
      } else if (lastDate && lastDate.paragraph === s.paragraph) {
        date = lastDate.date;
        precision = lastDate.precision;
      } else if (header) {
        // Nothing said: the days around the document's own date.
        date = header;
        precision = 'week';
      }
      // Undated: drafted all the same, set aside for the store to place in time (corroborate.ts).
      let undated = false;
      if (!date) {
        date = published;
        precision = 'year';
        undated = true;
      }
      if (date.slice(0, 4) < ref.slice(0, 4)) {
        if (!claimed.has('background')) claims.push(claimOf('background'));
        claimed.add('background');
        continue;
      }
      if (date > published) {
        if (!claimed.has('prediction')) claims.push(claimOf('prediction'));
        claimed.add('prediction');
        continue;
      }

      // ---- who
      const kind = rule.kind;
      const reportEnds: number[] = [];
      REPORTING.lastIndex = 0;
      for (let m = REPORTING.exec(s.text); m; m = REPORTING.exec(s.text)) if (m.index + m[0].length <= trig.start) reportEnds.push(m.index + m[0].length);
      const support = (a: ActorMention): boolean => /\b(?:backed|supported|aided|helped|trained|joined)\s+by\s+(?:[\w'’-]+\s+){0,3}$|\b(?:with\s+the\s+help\s+of|alongside|with\s+support\s+from)\s+(?:[\w'’-]+\s+){0,3}$/i.test(s.text.slice(Math.max(0, a.start - 45), a.start));
      // "US-led air strikes killed …": an actor whose name holds the trigger comes before it too.
      let before = info.actors.filter((a) => a.start < trig.start && !a.holder && !support(a) && a.actor !== civilians);
      const lastReport = reportEnds.at(-1);
      if (lastReport !== undefined && before.some((a) => a.start >= lastReport)) before = before.filter((a) => a.start >= lastReport);
      if (k > 0 && before.some((a) => a.start >= scopeStart)) before = before.filter((a) => a.start >= scopeStart);
      // ", the coalition said": who reports it is not a side of it.
      const reporter = (a: ActorMention): boolean => /^\s*(?:[\w-]+\s+){0,2}(?:said|says|announced|reported|told|claimed|confirmed|added|stated)\b/i.test(s.text.slice(a.end, a.end + 40));
      const after = info.actors.filter((a) => a.start >= trig.end && !reporter(a));
      // "16 civilians were killed in raids by regime war planes": the agent after "by" is actor 1.
      const passive = /\b(?:by|from)\s+(?:the\s+)?$/i;
      const byAgent = after.find((a) => passive.test(s.text.slice(Math.max(0, a.start - 9), a.start)) && a.start - trig.end < 80);
      let a1: ActorMention | null = before.find((a) => !/\b(?:by|from)\s+(?:the\s+)?$/i.test(s.text.slice(Math.max(0, a.start - 9), a.start)) || before.length === 1) ?? null;
      let a2: ActorMention | null = null;
      const between = /\bbetween\s+/i.exec(s.text.slice(trig.start));
      if (between) {
        const from = trig.start + between.index;
        const side = info.actors.filter((a) => a.start >= from);
        a1 = side[0] ?? a1;
        a2 = side.find((a) => bloc(a.actor, date!) !== bloc(a1?.actor ?? null, date!)) ?? null;
      } else if (byAgent && (!a1 || (a1.actor !== byAgent.actor && /\b(?:killed|wounded|injured|dead)\b/i.test(s.text.slice(a1.end, trig.start))))) {
        // "23 ISIS militants have been killed by Turkish artillery fire": the killed are actor 2.
        if (a1) a2 = a1;
        a1 = byAgent;
      }
      // "X fell to Y": Y took it.
      if (/^(?:fell|fallen)\s+to/i.test(s.text.slice(trig.start, trig.end))) {
        const taker = after[0] ?? null;
        if (taker) {
          a2 = a1 && bloc(a1.actor, date) !== bloc(taker.actor, date) ? a1 : null;
          a1 = taker;
        }
      }
      // "… and seized al-Omar": the actor of the trigger before it in the sentence.
      const inherited = !a1 && k > 0 ? (sentenceEvents.at(-1)?.a1 ?? null) : null;
      if (inherited) a1 = inherited;
      const b1 = bloc(a1?.actor ?? null, date);
      if (!a2) a2 = after.find((a) => a !== a1 && a.actor !== civilians && bloc(a.actor, date!) !== b1 && a.start < scopeEnd + 60) ?? null;
      let actor1 = a1?.actor ?? null;
      let actor2 = a2?.actor ?? null;
      // "Near Raqqa, four strikes engaged an ISIS unit": the striker of the strike report before it.
      if (!actor1 && (kind === 'air' || kind === 'shelling') && prev && prev.event.subType === rule.subType) actor1 = prev.event.actor1;
      if (!actor1 && sameParagraph && prev!.event.type === rule.type && s.start - prev!.event.span[1] < 400) actor1 = prev!.event.actor1;
      if (!actor1 && kind === 'air') actor1 = airPower;
      // The harmed are civilians when the text says so: victims of attacks on civilians and bombings, and
      // of strikes and shelling that killed them.
      const victims = civilians !== null && (VICTIM_WORDS.test(s.text.slice(trig.start)) || (VICTIM_WORDS.test(s.text.slice(scopeStart, trig.start)) && /\b(?:killed|wounded|injured|dead|died|killing)\b/i.test(s.text)));
      const onCivilians = kind === 'bombing' || kind === 'civilians' || kind === 'abduction' || kind === 'chemical';
      if (victims && (onCivilians || ((kind === 'air' || kind === 'shelling') && (!actor2 || fatalitiesIn(s.text) !== null || /\b(?:killed|wounded|injured)\b/i.test(s.text))))) actor2 = civilians;
      if (actor2 === actor1) actor2 = null;
      if (!actor1 && onCivilians) {
        // "… Hayat Tahrir al-Sham claimed responsibility." in the sentences after it.
        const later = infos.filter((i) => i.s.paragraph === s.paragraph && i.s.start > s.start).slice(0, 2);
        for (const i of later) {
          const claim = /\b(?:claimed|has claimed|have claimed)\s+(?:responsibility|the\s+(?:attack|bombing|blast))/i.exec(i.s.text);
          const who = claim ? i.actors.filter((a) => a.end <= claim.index).at(-1) : undefined;
          if (who && !/\bno\s+(?:group|one)\b/i.test(i.s.text)) {
            actor1 = who.actor;
            evidence.push({ field: 'actor1', text: i.s.text.slice(who.start, who.end), span: [i.s.start + who.start, i.s.start + who.end] });
            break;
          }
        }
        actor1 ??= unidentified;
      }
      if (!actor2 && onCivilians) actor2 = civilians;
      if (a1) evidence.push({ field: 'actor1', text: s.text.slice(a1.start, a1.end), span: [s.start + a1.start, s.start + a1.end] });
      if (a2 && actor2 === a2.actor) evidence.push({ field: 'actor2', text: s.text.slice(a2.start, a2.end), span: [s.start + a2.start, s.start + a2.end] });

      // ---- where
      let placeIdx: number | null = null;
      let location: string | null = null;
      let geo: 1 | 2 | 3 = 1;
      // The object of the verb ("seized al-Omar", "bombed Raqqa") first, then "in/at/near X", then "west
      // of X" and "of X"; names shortened by their kind ("Euphrates" for the dam) last. Places of the
      // trigger's own clause (up to the next trigger) before the rest of the sentence.
      const rank = (m: PlaceMention): number =>
        (m.start - trig.end <= 25 && m.start >= trig.end && /^(?:\s*(?:the\s+)?(?:[\w-]+\s+){0,2}(?:town|city|village|base|airport|field|crossing|dam)?\s*(?:of\s+)?)$/i.test(s.text.slice(trig.end, m.start)) && kind !== 'clash' ? 4 : 0) +
        (/^(?:in|at|near|outside|around|inside|into|within)$/.test(m.cue) ? 3 : LOCATIVE.test(m.cue) || m.cue === 'of' ? 2 : 1) +
        (m.exact ? 0.5 : 0) -
        (m.region ? 1 : 0) -
        (m.start >= scopeEnd ? 5 : 0) +
        // "the town of Madaya west of the Syrian capital Damascus": the town, not the capital it is near.
        (/\b(?:towns?|city|village|neighbou?rhood|district|area)\s+of\s+$/i.test(s.text.slice(Math.max(0, m.start - 20), m.start)) ? 1.5 : 0) -
        (/\bcapital\s+(?:the\s+)?(?:[\w-]+\s+){0,1}$/i.test(s.text.slice(Math.max(0, m.start - 30), m.start)) ? 1 : 0) -
        // "evacuees from the towns of Foua and Kefraya at al-Rashideen": where they came from is not where it happened.
        (/\bfrom\s+(?:the\s+)?(?:[\w-]+\s+){0,4}$/i.test(s.text.slice(Math.max(0, m.start - 50), m.start)) ? 2 : 0);
      const afterPlaces = info.places.filter((p) => p.start >= trig.start);
      const beforeInScope = info.places.filter((p) => p.end <= trig.start && p.start >= scopeStart);
      const chosen = afterPlaces.length && (afterPlaces.some((p) => p.start < scopeEnd) || !beforeInScope.length)
        ? afterPlaces.reduce((b, p) => (rank(p) > rank(b) ? p : b))
        : ((beforeInScope.length ? beforeInScope : info.places.filter((p) => p.end <= trig.start)).reduce<PlaceMention | null>((b, p) => (!b || rank(p) >= rank(b) ? p : b), null));
      const quarter = info.quarters.find((q) => q.start >= scopeStart && q.start < scopeEnd) ?? null;
      if (chosen) {
        placeIdx = pick(chosen);
        location = s.text.slice(chosen.start, chosen.end);
        geo = chosen.region ? 3 : /\bof$/.test(chosen.cue) && chosen.cue !== 'of' ? 2 : chosen.cue === 'near' || chosen.cue === 'outside' || chosen.cue === 'around' ? 2 : 1;
        evidence.push({ field: 'place', text: location, span: [s.start + chosen.start, s.start + chosen.end] });
      } else if (sameParagraph && prev!.event.placeId && !quarter) {
        placeIdx = ctx.gazetteer.places.findIndex((p) => p.id === prev!.event.placeId);
        location = prev!.event.location;
        geo = prev!.event.geoPrecision;
      } else {
        // The last place named earlier in the paragraph, else the place the document is about.
        const earlier = infos.filter((i) => i.s.paragraph === s.paragraph && i.s.end <= s.start).flatMap((i) => i.places);
        if (earlier.length) {
          placeIdx = pick(earlier.at(-1)!);
          geo = 2;
        } else if (placeCounts.size) {
          placeIdx = [...placeCounts].sort((x, y) => y[1] - x[1])[0]![0];
          geo = 3;
        }
        if (placeIdx !== null) location = ctx.gazetteer.places[placeIdx]!.name;
      }
      if (quarter && (!chosen || chosen.start > quarter.end + 30 || chosen.end < quarter.start - 40)) {
        // "al-Midan neighborhood in Aleppo city": a part of the town found, placed at the town.
        location = quarter.text;
        geo = 2;
        evidence.push({ field: 'quarter', text: quarter.text, span: [s.start + quarter.start, s.start + quarter.end] });
      }
      const place = placeIdx !== null && placeIdx >= 0 ? ctx.gazetteer.places[placeIdx]! : null;

      // Who lost it: the side named, else who held the place before (the store's control), else the
      // bloc the document most talks about that is not the taker's.
      if (!actor2 && actor1) {
        // Territory: who held it before. Strikes, shelling, fighting: who holds the place hit.
        if (place && ctx.holderBefore && kind !== 'protest' && kind !== 'shootdown' && !onCivilians) {
          const h = ctx.holderBefore(place.id, date);
          const hb = bloc(h, date), mine = bloc(actor1, date);
          if (h && hb && mine && hb !== mine && relationOn(ctx.relations, mine, hb, date) !== 'allied') actor2 = h;
        }
        if (!actor2) {
          const mine = bloc(actor1, date);
          const other = prev && prev.event.bloc2 && prev.event.bloc2 !== mine && prev.event.bloc1 === mine ? prev.event.actor2 : null;
          actor2 = other ?? [...blocMentions].filter(([b]) => b !== mine && b !== 'civilians').sort((x, y) => y[1] - x[1]).map(([b]) => [...mentionCount.keys(), ...(genericAs ? [genericAs] : [])].find((a) => bloc(a, date!) === b) ?? null)[0] ?? null;
        }
      }
      let subType = rule.subType;
      if (kind === 'territory') subType = actor1 && /^state/.test(actorById.get(actor1)?.kind ?? '') ? 'Government regains territory' : 'Non-state actor overtakes territory';
      const fatalities = fatalitiesIn(s.text);
      const count = countIn(s.text);
      const confidence = Math.round(Math.min(0.95, 0.45 + (sentenceDates.length ? 0.15 : 0.05) + (chosen ? 0.15 : 0.03) + (a1 ? 0.1 : 0) + (a2 ? 0.1 : 0)) * 100) / 100;
      const event: DraftEvent = {
        type: rule.type,
        subType,
        actor1,
        actor2,
        bloc1: bloc(actor1, date),
        bloc2: bloc(actor2, date),
        place: place?.name ?? null,
        placeId: place?.id ?? null,
        location,
        lat: place?.lat ?? null,
        lon: place?.lon ?? null,
        geoPrecision: geo,
        country: place?.country ?? null,
        admin1: place?.admin1 ?? null,
        admin2: place?.admin2 ?? null,
        date,
        datePrecision: precision,
        fatalities,
        count,
        span,
        evidence,
        confidence,
      };
      if (undated) {
        if (!claimed.has('undated')) claims.push(claimOf('undated'));
        claimed.add('undated');
        if (!undatedDrafts.some((u) => u.span[0] === span[0] && u.type === event.type)) undatedDrafts.push({ ...event, confidence: Math.round((event.confidence - 0.2) * 100) / 100 });
        continue;
      }
      // Two triggers of one clause or one place ("airstrikes and barrel bomb attacks on Atareb") are one event.
      const twin = sentenceEvents.find((x) => x.placeIdx === placeIdx && x.quarter === (quarter?.text ?? null) && (x.event.type === event.type || x.event.bloc1 === event.bloc1));
      if (twin) {
        twin.event.evidence.push(evidence[0]!);
        twin.event.actor2 ??= event.actor2;
        twin.event.bloc2 = bloc(twin.event.actor2, twin.event.date);
        continue;
      }
      sentenceEvents.push({ event, placeIdx, quarter: quarter?.text ?? null, a1 });
    }
    for (const { event } of sentenceEvents) {
      // A sentence that retells an event already drafted from this document ("The council said it had
      // repelled the attack") adds its sentence as evidence, not a second event.
      // … unless each names its own part of a town ("al-Zahraa neighborhood", "Salah Eddin neighborhood").
      const quarterOf = (e: DraftEvent): string | null => e.evidence.find((x) => x.field === 'quarter')?.text ?? null;
      const same = events.find((e) => sameOccurrence(e, event) && (quarterOf(e) === quarterOf(event) || !quarterOf(event) || s.text === text.slice(e.span[0], e.span[1])));
      if (same) {
        same.evidence.push({ field: 'retold', text: s.text, span });
        same.actor2 ??= event.actor1 === same.actor1 ? event.actor2 : event.actor1;
        same.bloc2 = bloc(same.actor2, same.date);
        same.fatalities ??= event.fatalities;
        continue;
      }
      events.push(event);
      prev = { event, paragraph: s.paragraph };
    }
    const d = sentenceDates.filter((x) => x.precision === 'day').at(-1);
    if (d && d.date <= ref) lastDate = { date: d.date, precision: d.precision, paragraph: s.paragraph };
  }
  if (!events.length && !claims.length) notes.push('no event or claim found');
  return { text, events, claims, undated: undatedDrafts, notes };
}
