/**
 * Indicators as planners read them, and the priority score (issue 8, §6). The score is a weighted
 * geometric product of five terms, each between 0 and 1 and each shown:
 *
 *   people    population / the largest population among the areas ranked
 *   exposure  1 / (1 + days to the first hostile arrival / 7): 1 now, 0.5 in a week, 0 never
 *   damage    share of buildings destroyed or damaged
 *   services  1 − the share of water, electricity, health and school facilities working (the gap)
 *   returns   displaced still away / (still away + returned): the unmet returns
 *
 *   score = people^w1 × exposure^w2 × damage^w3 × services^w4 × returns^w5
 *
 * A term with no data takes 0.5 and is marked unknown, so missing data neither hides nor inflates an
 * area; a term is floored at 0.05 so that one zero does not erase the others. Weights are exponents
 * (default 1; 0 leaves a term out) and are echoed with every score.
 */
import type { IsoDate } from '../core/dates.js';
import type { Indicator, IndicatorKind, SourceRef } from '../core/schemas.js';

export const TERMS = ['people', 'exposure', 'damage', 'services', 'returns'] as const;
export type Term = (typeof TERMS)[number];
export type Weights = Record<Term, number>;
export const DEFAULT_WEIGHTS: Weights = { people: 1, exposure: 1, damage: 1, services: 1, returns: 1 };
export const UNKNOWN_TERM = 0.5;
const FLOOR = 0.05;
const SERVICES: IndicatorKind[] = ['water', 'electricity', 'health', 'schools'];

export interface Figure {
  value: number;
  total?: number;
  date: IsoDate;
  source: SourceRef;
}

/** The latest value of each indicator at or before the date (ties: the later id). */
export function latestIndicators(indicators: readonly Indicator[], date: IsoDate): Partial<Record<IndicatorKind, Figure>> {
  const out: Partial<Record<IndicatorKind, Figure & { id: string }>> = {};
  for (const i of indicators) {
    if (i.date > date) continue;
    const cur = out[i.indicator];
    if (!cur || i.date > cur.date || (i.date === cur.date && i.id > cur.id)) out[i.indicator] = { id: i.id, value: i.value, ...(i.total !== undefined ? { total: i.total } : {}), date: i.date, source: i.source };
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, { value: v.value, ...(v.total !== undefined ? { total: v.total } : {}), date: v.date, source: v.source }]));
}

/** One indicator over time, in date order. */
export function indicatorSeries(indicators: readonly Indicator[], kind: IndicatorKind, until?: IsoDate): Figure[] {
  return indicators
    .filter((i) => i.indicator === kind && (!until || i.date <= until))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((i) => ({ value: i.value, ...(i.total !== undefined ? { total: i.total } : {}), date: i.date, source: i.source }));
}

export interface TermValue {
  value: number;
  known: boolean;
  /** What it was computed from, for the reader. */
  basis: string;
}

export interface PriorityInput {
  population: number | null;
  maxPopulation: number;
  /** Days to the first hostile arrival; null: none can arrive (or not computed: `exposureKnown` false). */
  threatDays: number | null;
  exposureKnown: boolean;
  latest: Partial<Record<IndicatorKind, Figure>>;
}

export interface Priority {
  score: number;
  terms: Record<Term, TermValue>;
  weights: Weights;
}

const clamp = (x: number): number => Math.max(0, Math.min(1, x));

export function priorityTerms(p: PriorityInput): Record<Term, TermValue> {
  const people: TermValue =
    p.population !== null && p.maxPopulation > 0
      ? { value: clamp(p.population / p.maxPopulation), known: true, basis: `${Math.round(p.population).toLocaleString('en')} people of the largest area's ${Math.round(p.maxPopulation).toLocaleString('en')}` }
      : { value: UNKNOWN_TERM, known: false, basis: 'population unknown' };
  const exposure: TermValue = !p.exposureKnown
    ? { value: UNKNOWN_TERM, known: false, basis: 'exposure not computed (no road network or no hostile bloc)' }
    : p.threatDays === null
      ? { value: 0, known: true, basis: 'no hostile bloc can reach it' }
      : { value: 1 / (1 + p.threatDays / 7), known: true, basis: `first hostile arrival in ${p.threatDays.toFixed(1)} days` };
  const dmg = p.latest.damage;
  const damage: TermValue = dmg ? { value: clamp(dmg.value), known: true, basis: `${Math.round(dmg.value * 100)}% of buildings damaged or destroyed (${dmg.source.name}, ${dmg.date})` } : { value: UNKNOWN_TERM, known: false, basis: 'no damage assessment' };
  const svc = SERVICES.flatMap((k) => {
    const f = p.latest[k];
    return f && f.total ? [{ k, working: f.value / f.total }] : [];
  });
  const services: TermValue = svc.length
    ? { value: clamp(1 - svc.reduce((s, x) => s + x.working, 0) / svc.length), known: true, basis: svc.map((x) => `${x.k} ${Math.round(x.working * 100)}% working`).join(', ') }
    : { value: UNKNOWN_TERM, known: false, basis: 'no count of services' };
  const away = p.latest.idps?.value, back = p.latest.returnees?.value;
  const returns: TermValue =
    away !== undefined && back !== undefined && away + back > 0
      ? { value: clamp(away / (away + back)), known: true, basis: `${away.toLocaleString('en')} still displaced, ${back.toLocaleString('en')} returned` }
      : { value: UNKNOWN_TERM, known: false, basis: 'no displacement and returns figures' };
  return { people, exposure, damage, services, returns };
}

export function priorityScore(terms: Record<Term, TermValue>, weights: Weights = DEFAULT_WEIGHTS): Priority {
  let score = 1;
  for (const t of TERMS) score *= Math.max(FLOOR, terms[t].value) ** weights[t];
  return { score: Math.round(score * 1e6) / 1e6, terms, weights };
}

/** "people=2,exposure=1" → weights (others default); names and numbers are checked. */
export function parseWeights(spec: string | undefined): Weights {
  const w = { ...DEFAULT_WEIGHTS };
  if (!spec) return w;
  for (const part of spec.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (!TERMS.includes(k as Term)) throw new RangeError(`weight "${k}": use ${TERMS.join(', ')}`);
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`weight ${k}=${v}: a number of 0 or more`);
    w[k as Term] = n;
  }
  return w;
}
