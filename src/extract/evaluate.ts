/**
 * Scoring against an annotated set (../shared/eval/extract/README.md): a prediction matches a gold event
 * when the top-level type is equal (or among the gold's alternatives), the date is within 3 days (day
 * precision), 7 days (week) or in the same month (month), the place within 25 km, and the blocs agree
 * (two gold blocs: the same unordered pair; one: among the predicted). One-to-one, greedy by closeness.
 */
import { haversineKm } from '../geo/measure.js';
import { dayNumber } from '../core/dates.js';

export interface GoldEvent {
  event_type: string;
  event_type_alt?: string[];
  sub_event_type?: string;
  actor1_bloc?: string | null;
  actor2_bloc?: string | null;
  place?: string;
  location?: string;
  lat: number;
  lon: number;
  date: string;
  date_precision: 'day' | 'week' | 'month' | 'year';
  span?: [number, number];
}

export interface PredictedEvent {
  type: string;
  bloc1: string | null;
  bloc2: string | null;
  lat: number | null;
  lon: number | null;
  date: string;
  place?: string | null;
  span?: [number, number];
}

export interface EvalDocument {
  id: string;
  gold: GoldEvent[];
  predicted: PredictedEvent[];
}

export interface EvalReport {
  documents: number;
  gold: number;
  predicted: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
  /** Over gold events paired with a prediction by span overlap (the same sentence), whatever else. */
  fields: { paired: number; type: number; date: number; place: number; blocs: number };
  /** Precision, recall and F1 by top-level event type (gold type for recall, predicted type for precision). */
  byType: Record<string, { gold: number; predicted: number; matchedGold: number; matchedPredicted: number; precision: number; recall: number; f1: number }>;
  misses: { id: string; gold: GoldEvent; why: string }[];
  falseAlarms: { id: string; predicted: PredictedEvent }[];
}


export function typeOk(g: GoldEvent, p: PredictedEvent): boolean {
  return p.type === g.event_type || (g.event_type_alt ?? []).includes(p.type);
}
export function dateOk(g: GoldEvent, p: PredictedEvent): boolean {
  if (g.date_precision === 'month') return p.date.slice(0, 7) === g.date.slice(0, 7);
  if (g.date_precision === 'year') return p.date.slice(0, 4) === g.date.slice(0, 4);
  return Math.abs(dayNumber(p.date) - dayNumber(g.date)) <= (g.date_precision === 'week' ? 7 : 3);
}
export function placeKm(g: GoldEvent, p: PredictedEvent): number {
  return p.lat === null || p.lon === null ? Infinity : haversineKm(g.lon, g.lat, p.lon, p.lat);
}
export function blocsOk(g: GoldEvent, p: PredictedEvent): boolean {
  const gold = [g.actor1_bloc, g.actor2_bloc].filter((b): b is string => Boolean(b));
  const pred = [p.bloc1, p.bloc2].filter((b): b is string => Boolean(b));
  if (gold.length === 2) return pred.length === 2 && [...gold].sort().join() === [...pred].sort().join();
  if (gold.length === 1) return pred.includes(gold[0]!);
  return true;
}

function matches(g: GoldEvent, p: PredictedEvent): boolean {
  return typeOk(g, p) && dateOk(g, p) && placeKm(g, p) <= 25 && blocsOk(g, p);
}

export function evaluate(docs: readonly EvalDocument[]): EvalReport {
  let gold = 0, predicted = 0, matched = 0;
  const fields = { paired: 0, type: 0, date: 0, place: 0, blocs: 0 };
  const misses: EvalReport['misses'] = [];
  const falseAlarms: EvalReport['falseAlarms'] = [];
  const byType: EvalReport['byType'] = {};
  const typeRow = (t: string): EvalReport['byType'][string] => (byType[t] ??= { gold: 0, predicted: 0, matchedGold: 0, matchedPredicted: 0, precision: 0, recall: 0, f1: 0 });
  for (const d of docs) {
    gold += d.gold.length;
    predicted += d.predicted.length;
    // Greedy one-to-one by closeness (km, then days).
    const pairs: { g: number; p: number; score: number }[] = [];
    d.gold.forEach((g, gi) => d.predicted.forEach((p, pi) => {
      if (matches(g, p)) pairs.push({ g: gi, p: pi, score: placeKm(g, p) + Math.abs(dayNumber(p.date) - dayNumber(g.date)) });
    }));
    pairs.sort((a, b) => a.score - b.score);
    const gUsed = new Set<number>(), pUsed = new Set<number>();
    for (const x of pairs) {
      if (gUsed.has(x.g) || pUsed.has(x.p)) continue;
      gUsed.add(x.g);
      pUsed.add(x.p);
      matched++;
      typeRow(d.gold[x.g]!.event_type).matchedGold++;
      typeRow(d.predicted[x.p]!.type).matchedPredicted++;
    }
    for (const g of d.gold) typeRow(g.event_type).gold++;
    for (const p of d.predicted) typeRow(p.type).predicted++;
    d.gold.forEach((g, gi) => {
      // Field accuracy: the prediction from the same sentence, if any.
      const same = g.span ? d.predicted.find((p) => p.span && p.span[0] < g.span![1] && g.span![0] < p.span[1]) : undefined;
      if (same) {
        fields.paired++;
        if (typeOk(g, same)) fields.type++;
        if (dateOk(g, same)) fields.date++;
        if (placeKm(g, same) <= 25) fields.place++;
        if (blocsOk(g, same)) fields.blocs++;
      }
      if (gUsed.has(gi)) return;
      const why = !same ? 'no event predicted from its sentence' : [!typeOk(g, same) && `type ${same.type}`, !dateOk(g, same) && `date ${same.date}`, placeKm(g, same) > 25 && `place ${same.place ?? '—'} (${Math.round(placeKm(g, same))} km)`, !blocsOk(g, same) && `blocs ${same.bloc1}/${same.bloc2}`].filter(Boolean).join(', ');
      misses.push({ id: d.id, gold: g, why });
    });
    d.predicted.forEach((p, pi) => {
      if (!pUsed.has(pi)) falseAlarms.push({ id: d.id, predicted: p });
    });
  }
  const precision = predicted ? matched / predicted : 0;
  const recall = gold ? matched / gold : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  for (const r of Object.values(byType)) {
    r.precision = r.predicted ? r.matchedPredicted / r.predicted : 0;
    r.recall = r.gold ? r.matchedGold / r.gold : 0;
    r.f1 = r.precision + r.recall ? (2 * r.precision * r.recall) / (r.precision + r.recall) : 0;
  }
  return { documents: docs.length, gold, predicted, matched, precision, recall, f1, fields, byType, misses, falseAlarms };
}

/** Run the extractor over an annotated JSONL set (its text) and score it. */
export function evaluateJsonl(jsonl: string, extract: (text: string, published: string) => PredictedEvent[], textOf?: (unitId: string) => string | undefined): EvalReport & { perDocument: { id: string; gold: number; predicted: number }[] } {
  const docs: EvalDocument[] = [];
  jsonl.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let d: { id?: string; published?: string; text?: string; unit_id?: string; events?: (GoldEvent & { evidence?: string })[] };
    try {
      d = JSON.parse(line) as typeof d;
    } catch {
      throw new Error(`line ${i + 1}: not JSON`);
    }
    // A set that refers to its articles (eval/fakes): the text from the corpus, spans from the quoted evidence.
    if (d.text === undefined && d.unit_id !== undefined && textOf) {
      const text = textOf(d.unit_id);
      if (text === undefined) throw new Error(`line ${i + 1}: article ${d.unit_id} is not in the corpus`);
      d.text = text;
      for (const g of d.events ?? []) {
        if (g.span || !g.evidence) continue;
        const at = text.indexOf(g.evidence);
        if (at < 0) throw new Error(`line ${i + 1}: evidence "${g.evidence}" is not in article ${d.unit_id}`);
        g.span = [at, at + g.evidence.length];
      }
    }
    if (typeof d.text !== 'string' || typeof d.published !== 'string') throw new Error(`line ${i + 1}: needs "text" and "published"`);
    docs.push({ id: d.id ?? `line-${i + 1}`, gold: d.events ?? [], predicted: extract(d.text, d.published) });
  });
  return { ...evaluate(docs), perDocument: docs.map((d) => ({ id: d.id, gold: d.gold.length, predicted: d.predicted.length })) };
}
