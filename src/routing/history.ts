/**
 * The race judged on history. Calibration: how fast each bloc's control actually spread along roads
 * between two dates. Backtest: run the race from one date and compare with who took what by a later one.
 */
import { addDays, dayNumber, type IsoDate } from '../core/dates.js';
import { DEFAULT_RACE_PARAMETERS, runRace, type RaceContext, type RaceParameters } from './race.js';
import { blocCostTable, relationsOf, territoryOfEdge } from './territory.js';
import { multiSourceSearch, pathEdges } from './search.js';

export interface Capture {
  place: string;
  bloc: string;
  from: string | null;
  /** Days after the start date when the bloc took it. */
  days: number;
}

/** Places that changed to another bloc between two dates, with the day each was taken. */
export function capturesBetween(ctx: RaceContext, from: IsoDate, to: IsoDate): Capture[] {
  const { model } = ctx;
  const a = model.stateAt(from);
  const b = model.stateAt(to);
  const d0 = dayNumber(from);
  const out: Capture[] = [];
  model.places.forEach((p, i) => {
    const was = a.placeBloc[i]!, now = b.placeBloc[i]!;
    if (now < 0 || was === now) return;
    // The first day it was the new bloc's, after `from` (the last change into that bloc before `to`).
    let taken = dayNumber(to);
    for (let d = d0 + 1; d <= dayNumber(to); d++) {
      if (model.placeBlocAt(i, d) === now && model.placeBlocAt(i, d - 1) !== now) taken = d;
    }
    out.push({ place: p.id, bloc: model.blocIds[now]!, from: was >= 0 ? model.blocIds[was]! : null, days: taken - d0 });
  });
  return out;
}

export interface Calibration {
  from: IsoDate;
  to: IsoDate;
  blocs: { bloc: string; captures: number; kmPerDay: number | null; q25: number | null; q75: number | null; samples: { place: string; hostileKm: number; days: number; kmPerDay: number }[] }[];
}

/**
 * For each place a bloc took between the dates: the road distance it had to advance through others'
 * land from its front line on `from` (its best route), over the days it took. The fitted rate is the
 * median of those speeds (robust to a place taken without a fight, or after a long pause).
 */
export function calibrate(ctx: RaceContext, from: IsoDate, to: IsoDate, params: RaceParameters = DEFAULT_RACE_PARAMETERS, onProgress?: (done: number, total: number) => void): Calibration {
  const { graph: g, model } = ctx;
  const captures = capturesBetween(ctx, from, to);
  // The race's own kinds and costs on `from` (the races below keep them), so that routes are the race's.
  const kinds = ctx.kindsFor(from);
  const blocs: Calibration['blocs'] = [];
  const racing = [...new Set(captures.map((c) => c.bloc))].sort();
  onProgress?.(0, racing.length);
  for (const bloc of racing) {
    const rel = relationsOf(ctx, bloc, from);
    // Routes are those of the race with the default rate; only their hostile kilometres are counted.
    const race = runRace(ctx, from, [], params, { blocs: [bloc] });
    const { cost, range } = ctx.costsFor(bloc, blocCostTable(ctx, kinds, bloc, rel, params));
    const sources: number[] = [];
    for (const id of race.starts[bloc] ?? []) {
      const p = model.places[model.placeIndexOf(id)]!;
      for (const { edge } of ctx.snap(p.lon, p.lat, params.snapMaxKm)?.edges ?? []) sources.push(g.target[edge]!, ctx.src[edge]!);
    }
    const samples: Calibration['blocs'][number]['samples'] = [];
    if (sources.length) {
      const r = multiSourceSearch(g, cost, sources, undefined, undefined, range);
      for (const c of captures.filter((x) => x.bloc === bloc)) {
        const p = model.places[model.placeIndexOf(c.place)]!;
        const snap = ctx.snap(p.lon, p.lat, params.snapMaxKm);
        if (!snap) continue;
        const arrive = (x: { edge: number; along: number }): number => r.dist[ctx.src[x.edge]!]! + cost[x.edge]! * x.along;
        const best = snap.edges.reduce((x, y) => (arrive(y) < arrive(x) ? y : x));
        if (arrive(best) === Infinity) continue;
        let km = 0;
        const hostile = (e: number): boolean => {
          const t = territoryOfEdge(kinds, e).bloc;
          return t >= 0 && rel[t] !== 'allied';
        };
        for (const e of pathEdges(r, ctx.src, ctx.src[best.edge]!)) if (hostile(e)) km += g.lengthM[e]! / 1000;
        // The last stretch, along the edge the place lies on.
        if (hostile(best.edge)) km += (g.lengthM[best.edge]! / 1000) * best.along;
        if (km <= 0) continue; // reached without crossing anyone's land: says nothing about the pace
        samples.push({ place: c.place, hostileKm: Math.round(km * 10) / 10, days: c.days, kmPerDay: Math.round((km / Math.max(1, c.days)) * 100) / 100 });
      }
    }
    const speeds = samples.map((s) => s.kmPerDay).sort((x, y) => x - y);
    const q = (f: number): number | null => (speeds.length ? speeds[Math.min(speeds.length - 1, Math.floor(f * speeds.length))]! : null);
    blocs.push({ bloc, captures: captures.filter((x) => x.bloc === bloc).length, kmPerDay: q(0.5), q25: q(0.25), q75: q(0.75), samples });
    onProgress?.(blocs.length, racing.length);
  }
  return { from, to, blocs };
}

export interface Backtest {
  from: IsoDate;
  to: IsoDate;
  parameters: RaceParameters;
  places: { place: string; actual: string; actualDays: number; predicted: string | null; predictedDays: number | null; hit: boolean; errorDays: number | null }[];
  summary: { changed: number; hits: number; accuracy: number | null; byBloc: Record<string, { changed: number; hits: number; accuracy: number }>; medianAbsErrorDays: number | null; p90AbsErrorDays: number | null };
}

/** Run the race from `from`, with every place that changed hands by `to` as an objective, and score it. */
export function backtest(ctx: RaceContext, from: IsoDate, to: IsoDate, params: RaceParameters = DEFAULT_RACE_PARAMETERS): Backtest {
  const { model } = ctx;
  const captures = capturesBetween(ctx, from, to);
  const objectives = captures.map((c) => {
    const p = model.places[model.placeIndexOf(c.place)]!;
    return { name: p.id, lon: p.lon, lat: p.lat, placeId: p.id };
  });
  const race = objectives.length ? runRace(ctx, from, objectives, params, { routes: false }) : null;
  const places = captures.map((c, i) => {
    const r = race!.objectives[i]!;
    const predicted = r.winner;
    const predictedDays = predicted ? (r.arrivals.find((a) => a.bloc === predicted)!.days ?? null) : null;
    return { place: c.place, actual: c.bloc, actualDays: c.days, predicted, predictedDays, hit: predicted === c.bloc, errorDays: predicted === c.bloc && predictedDays !== null ? Math.round((predictedDays - c.days) * 10) / 10 : null };
  });
  const byBloc: Backtest['summary']['byBloc'] = {};
  for (const p of places) {
    const x = (byBloc[p.actual] ??= { changed: 0, hits: 0, accuracy: 0 });
    x.changed++;
    if (p.hit) x.hits++;
  }
  for (const x of Object.values(byBloc)) x.accuracy = Math.round((x.hits / x.changed) * 1000) / 1000;
  const errs = places.filter((p) => p.errorDays !== null).map((p) => Math.abs(p.errorDays!)).sort((a, b) => a - b);
  const hits = places.filter((p) => p.hit).length;
  return {
    from,
    to,
    parameters: params,
    places,
    summary: {
      changed: places.length,
      hits,
      accuracy: places.length ? Math.round((hits / places.length) * 1000) / 1000 : null,
      byBloc,
      medianAbsErrorDays: errs.length ? errs[Math.floor((errs.length - 1) / 2)]! : null,
      p90AbsErrorDays: errs.length ? errs[Math.min(errs.length - 1, Math.ceil(0.9 * errs.length) - 1)]! : null,
    },
  };
}


/** One forecaster's scores over a set of objectives decided after their as-of dates. */
export interface Score {
  objectives: number;
  /** Mean over the blocs that actually won something of the share of their objectives named right. */
  balancedAccuracy: number | null;
  recallByBloc: Record<string, number>;
  /** Multi-class Brier score halved (0 perfect, 1 sure and wrong); 0/1 forecasts until probabilities exist. */
  brier: number | null;
  /** Median |predicted − actual| days, over the objectives named right that give a date. */
  medianAbsErrorDays: number | null;
}

export interface TrackRecord {
  asOf: IsoDate[];
  to: IsoDate;
  parameters: RaceParameters;
  /** The rates fitted before each as-of date (empty when fitting is off). */
  fits: FittedRates[];
  /** The race, and two baselines: the bloc whose front line is nearest in a straight line; the holder keeps it. */
  scores: { race: Score; nearestFront: Score; holderKeeps: Score };
  items: { asOf: IsoDate; place: string; actual: string; actualDays: number; race: string | null; raceDays: number | null; nearestFront: string | null; holder: string | null }[];
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Scores of 0/1 forecasts: `predicted` per item (null: nobody), the actual winner, and a date where there is one. */
export function scoreForecasts(items: readonly { actual: string; predicted: string | null; errorDays?: number | null }[]): Score {
  const byBloc = new Map<string, { n: number; hits: number }>();
  let brier = 0;
  const errs: number[] = [];
  for (const it of items) {
    const x = byBloc.get(it.actual) ?? { n: 0, hits: 0 };
    x.n++;
    const hit = it.predicted === it.actual;
    if (hit) x.hits++;
    byBloc.set(it.actual, x);
    // (1 − p_actual)² + Σ others p², halved: 0 for a hit, 1 for a named wrong bloc, 0.5 for nobody named.
    brier += hit ? 0 : it.predicted === null ? 0.5 : 1;
    if (hit && it.errorDays !== undefined && it.errorDays !== null) errs.push(Math.abs(it.errorDays));
  }
  errs.sort((a, b) => a - b);
  const recallByBloc = Object.fromEntries([...byBloc].sort(([a], [b]) => a.localeCompare(b)).map(([b, x]) => [b, r3(x.hits / x.n)]));
  const recalls = Object.values(recallByBloc);
  return {
    objectives: items.length,
    balancedAccuracy: recalls.length ? r3(recalls.reduce((s, v) => s + v, 0) / recalls.length) : null,
    recallByBloc,
    brier: items.length ? r3(brier / items.length) : null,
    medianAbsErrorDays: errs.length ? Math.round(errs[Math.floor((errs.length - 1) / 2)]! * 10) / 10 : null,
  };
}

/**
 * The race's track record: from each as-of date, every place that changed hands between it and `to` is
 * an objective; the race's winner is scored against who took it, beside two baselines that need no
 * roads — the bloc (other than the holder) with a front-line place nearest in a straight line, and the
 * holder keeps it (which, on places that did change hands, is always wrong: the floor to beat).
 */
export function trackRecord(ctx: RaceContext, asOf: readonly IsoDate[], to: IsoDate, params: RaceParameters = DEFAULT_RACE_PARAMETERS, fitWindowDays: number | null = 120): TrackRecord {
  const { model } = ctx;
  const items: TrackRecord['items'] = [];
  const fits: FittedRates[] = [];
  for (const date of asOf) {
    if (date >= to) continue;
    const captures = capturesBetween(ctx, date, to);
    if (!captures.length) continue;
    // Rates learned before the as-of date only; rates given explicitly win.
    let dateParams = params;
    if (fitWindowDays !== null) {
      const f = fitRates(ctx, date, fitWindowDays, params);
      fits.push(f);
      dateParams = { ...params, advanceKmPerDay: { ...f.advanceKmPerDay, ...params.advanceKmPerDay } };
    }
    const objectives = captures.map((c) => {
      const p = model.places[model.placeIndexOf(c.place)]!;
      return { name: p.id, lon: p.lon, lat: p.lat, placeId: p.id };
    });
    const race = runRace(ctx, date, objectives, dateParams, { routes: false });
    captures.forEach((c, i) => {
      const r = race.objectives[i]!;
      const o = objectives[i]!;
      let nearest: string | null = null;
      let best = Infinity;
      for (const [bloc, ids] of Object.entries(race.starts)) {
        if (bloc === r.holder) continue;
        for (const id of ids) {
          const k = model.placeIndexOf(id);
          if (k < 0) continue;
          const p = model.places[k]!;
          const d = (p.lon - o.lon) ** 2 * Math.cos((o.lat * Math.PI) / 180) ** 2 + (p.lat - o.lat) ** 2;
          if (d < best) {
            best = d;
            nearest = bloc;
          }
        }
      }
      const raceDays = r.winner ? (r.arrivals.find((a) => a.bloc === r.winner)?.days ?? null) : null;
      items.push({ asOf: date, place: c.place, actual: c.bloc, actualDays: c.days, race: r.winner, raceDays, nearestFront: nearest, holder: r.holder });
    });
  }
  return {
    asOf: [...asOf],
    to,
    parameters: params,
    fits,
    scores: {
      race: scoreForecasts(items.map((x) => ({ actual: x.actual, predicted: x.race, errorDays: x.raceDays === null ? null : x.raceDays - x.actualDays }))),
      nearestFront: scoreForecasts(items.map((x) => ({ actual: x.actual, predicted: x.nearestFront }))),
      holderKeeps: scoreForecasts(items.map((x) => ({ actual: x.actual, predicted: x.holder }))),
    },
    items,
  };
}

/** The first of each month from `from`'s month (on or after it) to `to` (inclusive). */
export function monthlyDates(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  if (from.slice(8) !== '01') m++;
  for (;;) {
    if (m > 12) [y, m] = [y + 1, 1];
    const d = `${y}-${String(m).padStart(2, '0')}-01`;
    if (d > to) break;
    out.push(d);
    m++;
  }
  return out;
}

export interface FittedRates {
  asOf: IsoDate;
  /** The window fitted on: [asOf − windowDays, asOf]; nothing after the as-of date is read. */
  window: [IsoDate, IsoDate];
  advanceKmPerDay: Record<string, number>;
  /** Per bloc: the fitted median and quartiles, the samples, and where the rate came from. */
  fit: { bloc: string; kmPerDay: number; q25: number | null; q75: number | null; samples: number; source: 'bloc' | 'pooled' }[];
  /** The median of every bloc's samples, for blocs with none of their own (null: no sample at all). */
  pooledKmPerDay: number | null;
}

/**
 * Advance rates learned from the store's own control history in the window before the as-of date only:
 * each bloc's median (calibrate), and for blocs with no sample of their own the median of all samples.
 */
export function fitRates(ctx: RaceContext, asOf: IsoDate, windowDays = 120, params: RaceParameters = DEFAULT_RACE_PARAMETERS): FittedRates {
  const from = addDays(asOf, -windowDays);
  const c = calibrate(ctx, from, asOf, params);
  const all = c.blocs.flatMap((b) => b.samples.map((x) => x.kmPerDay)).sort((a, b) => a - b);
  const pooled = all.length ? all[Math.floor(all.length / 2)]! : null;
  const advanceKmPerDay: Record<string, number> = {};
  const fit: FittedRates['fit'] = [];
  for (const b of c.blocs) {
    if (b.kmPerDay !== null && b.kmPerDay > 0) {
      advanceKmPerDay[b.bloc] = b.kmPerDay;
      fit.push({ bloc: b.bloc, kmPerDay: b.kmPerDay, q25: b.q25, q75: b.q75, samples: b.samples.length, source: 'bloc' });
    }
  }
  if (pooled !== null) {
    for (const bloc of ctx.model.blocIds) {
      if (bloc in advanceKmPerDay || bloc === 'unaffiliated') continue;
      advanceKmPerDay[bloc] = pooled;
      fit.push({ bloc, kmPerDay: pooled, q25: all[Math.floor(all.length / 4)]!, q75: all[Math.min(all.length - 1, Math.floor((3 * all.length) / 4))]!, samples: 0, source: 'pooled' });
    }
  }
  return { asOf, window: [from, asOf], advanceKmPerDay, fit, pooledKmPerDay: pooled };
}
