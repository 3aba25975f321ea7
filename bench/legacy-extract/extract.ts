/**
 * News text to draft events (DESIGN.md §3, "extraction precision first"). For each sentence: is there a
 * word that asserts an event (triggers.ts), is it asserted (not a conditional, prediction, threat, denial
 * or question), then who did it to whom, where and when, each with the span it came from. One event per
 * sentence at most: reports state one occurrence a sentence, and a second trigger in the same sentence is
 * nearly always a detail of the first ("backed by Russian air strikes", "after it fired on").
 * Pure: the caller passes the gazetteer, the actors and what the store knows.
 */
import { blocOf, relationOn } from '../../src/core/actors.js';
import { type DatePrecision, type IsoDate } from '../../src/core/dates.js';
import type { Actor, Bloc, Place, Relation } from '../../src/core/schemas.js';
import { haversineKm } from '../../src/geo/measure.js';
import { findDates } from './dates.js';
import { ActorLexicon, Gazetteer, tokenize, VICTIM_WORDS, type ActorMention, type PlaceMention } from './mentions.js';
import { documentText, looksEnglish, splitSentences, type Sentence, type TextFormat } from './text.js';
import { findTrigger, MODAL_CUES, modalityOf, type ClaimKind } from './triggers.js';

export interface ExtractContext {
  gazetteer: Gazetteer;
  lexicon: ActorLexicon;
  actors: readonly Actor[];
  blocs: readonly Bloc[];
  /** How blocs treat each other: a place's holder is only the target of an attack when not an ally. */
  relations: readonly Relation[];
  /** Who held a place just before a date (the store's control timeline), for the side that lost it. */
  holderBefore?: (placeId: string, date: IsoDate) => string | null;
}

export function buildExtractContext(places: readonly Place[], actors: readonly Actor[], blocs: readonly Bloc[], relations: readonly Relation[] = [], holderBefore?: ExtractContext['holderBefore']): ExtractContext {
  return { gazetteer: new Gazetteer(places), lexicon: new ActorLexicon(actors), actors, blocs, relations, ...(holderBefore ? { holderBefore } : {}) };
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
}

export function extractEvents(raw: string, published: IsoDate, ctx: ExtractContext, format: TextFormat = 'text'): ExtractResult {
  const text = documentText(raw, format);
  const notes: string[] = [];
  if (!text.trim()) return { text, events: [], claims: [], undated: [], notes: ['the document is empty'] };
  if (!looksEnglish(text)) return { text, events: [], claims: [], undated: [], notes: ['the text does not look like English: nothing was extracted (the extractor reads English only)'] };
  const actorById = new Map(ctx.actors.map((a) => [a.id, a]));
  const bloc = (actor: string | null, date: IsoDate): string | null => (actor ? blocOf(ctx.blocs, actor, date) : null);
  const civilians = ctx.actors.find((a) => a.kind === 'civilians')?.id ?? null;
  const unidentified = ctx.actors.find((a) => a.kind === 'other' && /unidentified|unknown/i.test(a.name))?.id ?? null;

  const infos: SentenceInfo[] = splitSentences(text).map((s) => {
    const tokens = tokenize(s.text);
    const actors = ctx.lexicon.find(s.text, tokens);
    // A place inside an actor's name ("Manbij Military Council") is not a place mention.
    const places = ctx.gazetteer.find(s.text, tokens, actors.filter((a) => !a.holder));
    return { s, places, actors };
  });
  // Country context: places named without ambiguity anchor the choice among namesakes.
  const sure = infos.flatMap((i) => i.places.filter((p) => p.places.length === 1).map((p) => ctx.gazetteer.places[p.places[0]!]!));
  const centre = sure.length ? { lat: sure.reduce((a, p) => a + p.lat, 0) / sure.length, lon: sure.reduce((a, p) => a + p.lon, 0) / sure.length } : null;
  const pick = (m: PlaceMention): number => (m.places.length === 1 || !centre ? m.places[0]! : m.places.reduce((b, p) => (distKm(ctx.gazetteer.places[p]!, centre) < distKm(ctx.gazetteer.places[b]!, centre) - 50 ? p : b), m.places[0]!));
  const placeCounts = new Map<number, number>();
  for (const i of infos) for (const p of i.places) placeCounts.set(pick(p), (placeCounts.get(pick(p)) ?? 0) + 1);
  const blocMentions = new Map<string, number>();
  for (const i of infos) for (const a of i.actors) {
    const b = bloc(a.actor, published);
    if (b) blocMentions.set(b, (blocMentions.get(b) ?? 0) + 1);
  }

  const events: DraftEvent[] = [];
  const claims: Claim[] = [];
  const undatedDrafts: DraftEvent[] = [];
  let prev: { event: DraftEvent; paragraph: number } | null = null;
  for (const info of infos) {
    const { s } = info;
    const span: [number, number] = [s.start, s.end];
    const trig = findTrigger(s.text);
    if (!trig) {
      // A sentence about what might happen, naming who and where, is kept as a claim for the analyst.
      const cue = MODAL_CUES.find((c) => c.re.test(s.text));
      if (cue && info.actors.length && info.places.length) claims.push({ kind: cue.claim, text: s.text, span, actors: info.actors.map((a) => a.actor), places: info.places.map((p) => ctx.gazetteer.places[pick(p)]!.name) });
      continue;
    }
    const modal = modalityOf(s.text, trig.start);
    const claimOf = (kind: ClaimKind): Claim => ({ kind, text: s.text, span, type: trig.rule.type, actors: info.actors.map((a) => a.actor), places: info.places.map((p) => ctx.gazetteer.places[pick(p)]!.name) });
    if (modal) {
      claims.push(claimOf(modal));
      continue;
    }
    const evidence: DraftEvent['evidence'] = [{ field: 'trigger', text: s.text.slice(trig.start, trig.end), span: [s.start + trig.start, s.start + trig.end] }];

    // ---- when
    const sameParagraph = prev !== null && prev.paragraph === s.paragraph;
    const dates = findDates(s.text, published, prev?.event.date ?? null).filter((d) => !/^since\b/i.test(s.text.slice(d.start, d.end)));
    let date: IsoDate | null = null;
    let precision: DatePrecision = 'day';
    if (dates.length) {
      const d = dates.reduce((b, x) => (Math.abs(x.start - trig.start) < Math.abs(b.start - trig.start) ? x : b));
      date = d.date;
      precision = d.precision;
      evidence.push({ field: 'date', text: s.text.slice(d.start, d.end), span: [s.start + d.start, s.start + d.end] });
    } else if (sameParagraph) {
      // "Government warplanes responded with raids": the same day as the event told just before.
      date = prev!.event.date;
      precision = prev!.event.datePrecision;
    }
    // Undated: drafted all the same, set aside for the store to place in time (corroborate.ts).
    let undated = false;
    if (!date) {
      date = published;
      precision = 'year';
      undated = true;
    }
    if (date.slice(0, 4) < published.slice(0, 4)) {
      claims.push(claimOf('background'));
      continue;
    }
    if (date > published) {
      claims.push(claimOf('prediction'));
      continue;
    }

    // ---- who
    const reportEnds: number[] = [];
    REPORTING.lastIndex = 0;
    for (let m = REPORTING.exec(s.text); m; m = REPORTING.exec(s.text)) if (m.index + m[0].length <= trig.start) reportEnds.push(m.index + m[0].length);
    const support = (a: ActorMention): boolean => /\b(?:backed|supported|aided|helped|trained|joined)\s+by\s+(?:[\w'’-]+\s+){0,3}$|\b(?:with\s+the\s+help\s+of|alongside|with\s+support\s+from)\s+(?:[\w'’-]+\s+){0,3}$/i.test(s.text.slice(Math.max(0, a.start - 45), a.start));
    let before = info.actors.filter((a) => a.end <= trig.start && !a.holder && !support(a));
    const lastReport = reportEnds.at(-1);
    if (lastReport !== undefined && before.some((a) => a.start >= lastReport)) before = before.filter((a) => a.start >= lastReport);
    // ", the coalition said": who reports it is not a side of it.
    const reporter = (a: ActorMention): boolean => /^\s*(?:[\w-]+\s+){0,2}(?:said|says|announced|reported|told|claimed|confirmed|added|stated)\b/i.test(s.text.slice(a.end, a.end + 40));
    const after = info.actors.filter((a) => a.start >= trig.end && !reporter(a));
    let a1: ActorMention | null = before[0] ?? null;
    let a2: ActorMention | null = null;
    const between = /\bbetween\s+/i.exec(s.text.slice(trig.start));
    const passive = /\b(?:by)\s+$/i;
    const byAgent = after.find((a) => passive.test(s.text.slice(Math.max(0, a.start - 4), a.start)));
    if (between) {
      const from = trig.start + between.index;
      const side = info.actors.filter((a) => a.start >= from);
      a1 = side[0] ?? a1;
      a2 = side.find((a) => bloc(a.actor, date!) !== bloc(a1?.actor ?? null, date!)) ?? null;
    } else if (byAgent && !a1) {
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
    const b1 = bloc(a1?.actor ?? null, date);
    if (!a2) a2 = after.find((a) => a !== a1 && bloc(a.actor, date!) !== b1) ?? null;
    let actor1 = a1?.actor ?? null;
    let actor2 = a2?.actor ?? null;
    const kind = trig.rule.kind;
    // The harmed are civilians when the text says so: victims of attacks on civilians and bombings, and
    // of strikes and shelling that killed them.
    const victims = civilians !== null && VICTIM_WORDS.test(s.text.slice(trig.start));
    const onCivilians = kind === 'bombing' || kind === 'civilians' || kind === 'abduction';
    if (victims && (onCivilians || ((kind === 'air' || kind === 'shelling') && (!actor2 || fatalitiesIn(s.text) !== null)))) actor2 = civilians;
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
    // of X" and "of X"; names shortened by their kind ("Euphrates" for the dam) last.
    const rank = (m: PlaceMention): number =>
      (m.start - trig.end <= 25 && m.start >= trig.end && /^(?:\s*(?:the\s+)?(?:[\w-]+\s+){0,2}(?:town|city|village|base|airport|field|crossing|dam)?\s*(?:of\s+)?)$/i.test(s.text.slice(trig.end, m.start)) && kind !== 'clash' ? 4 : 0) +
      (/^(?:in|at|near|outside|around|inside|into|within)$/.test(m.cue) ? 3 : LOCATIVE.test(m.cue) || m.cue === 'of' ? 2 : 1) +
      (m.exact ? 0.5 : 0);
    const afterPlaces = info.places.filter((p) => p.start >= trig.start);
    const chosen = afterPlaces.length ? afterPlaces.reduce((b, p) => (rank(p) > rank(b) ? p : b)) : (info.places.filter((p) => p.end <= trig.start).at(-1) ?? null);
    if (chosen) {
      placeIdx = pick(chosen);
      location = s.text.slice(chosen.start, chosen.end);
      geo = chosen.region ? 3 : /\bof$/.test(chosen.cue) && chosen.cue !== 'of' ? 2 : chosen.cue === 'near' || chosen.cue === 'outside' || chosen.cue === 'around' ? 2 : 1;
      evidence.push({ field: 'place', text: location, span: [s.start + chosen.start, s.start + chosen.end] });
    } else if (sameParagraph && prev!.event.placeId) {
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
        actor2 = other ?? [...blocMentions].filter(([b]) => b !== mine && b !== 'civilians').sort((x, y) => y[1] - x[1]).map(([b]) => ctx.actors.find((a) => bloc(a.id, date!) === b && info.actors.concat(infos.flatMap((i) => i.actors)).some((m) => m.actor === a.id))?.id ?? null)[0] ?? null;
      }
    }
    let subType = trig.rule.subType;
    if (kind === 'territory') subType = actor1 && /^state/.test(actorById.get(actor1)?.kind ?? '') ? 'Government regains territory' : 'Non-state actor overtakes territory';
    const fatalities = fatalitiesIn(s.text);
    const count = countIn(s.text);
    const confidence = Math.round(Math.min(0.95, 0.45 + (dates.length ? 0.15 : 0.05) + (chosen ? 0.15 : 0.03) + (a1 ? 0.1 : 0) + (a2 ? 0.1 : 0)) * 100) / 100;
    const event: DraftEvent = {
      type: trig.rule.type,
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
      date,
      datePrecision: precision,
      fatalities,
      count,
      span,
      evidence,
      confidence,
    };
    if (undated) {
      claims.push(claimOf('undated'));
      undatedDrafts.push({ ...event, confidence: Math.round((event.confidence - 0.2) * 100) / 100 });
      continue;
    }
    // A sentence that retells an event already drafted from this document ("The council said it had
    // repelled the attack") adds its sentence as evidence, not a second event.
    const same = events.find((e) => sameOccurrence(e, event));
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
  if (!events.length && !claims.length) notes.push('no event or claim found');
  return { text, events, claims, undated: undatedDrafts, notes };
}
