/**
 * The stabilization board: every area with who holds it and since when, its latest figures (each with
 * source and date), protection incidents counted from events, projects and their progress by sector,
 * councils, exposure to hostile blocs (and what changes if a protecting force withdraws), and the
 * priority score with every term shown. Shared by the CLI, the API, the web view and the briefings.
 */
import { addDays, type IsoDate } from '../core/dates.js';
import type { ConflictEvent, Council, IndicatorKind, Project, StabilizationArea } from '../core/schemas.js';
import { loadControlModel } from '../control/load.js';
import type { ControlModel } from '../control/model.js';
import { exposureTo, withdrawalScenario, type Exposure } from '../routing/exposure.js';
import { RaceContext } from '../routing/race.js';
import { loadRoads } from '../routing/roads-store.js';
import type { Store } from '../store/store.js';
import { areaHolding, eventInArea, isProtectionIncident, resolveArea, type Holding, type ResolvedArea } from './areas.js';
import { DEFAULT_WEIGHTS, latestIndicators, priorityScore, priorityTerms, type Figure, type Priority, type Weights } from './priorities.js';

export interface SectorProgress {
  sector: string;
  projects: number;
  byStatus: Partial<Record<Project['status'], number>>;
  budgetUsd: number;
  /** Mean reported progress (0–1) of the projects that report one. */
  progress: number | null;
}

export interface AreaReport {
  /** The area's record as stored. */
  area: StabilizationArea;
  id: string;
  name: string;
  definition: StabilizationArea['definition']['kind'];
  places: { id: string; name: string; population: number | null }[];
  centre: { id: string; name: string; lon: number; lat: number } | null;
  holding: Holding;
  population: (Figure & { basis: 'estimate' | 'gazetteer' }) | null;
  latest: Partial<Record<IndicatorKind, Figure>>;
  protection: {
    from: IsoDate;
    to: IsoDate;
    incidents: number;
    fatalities: number;
    events: { id: string; date: IsoDate; type: string; subType: string; location: string; fatalities: number | null }[];
    /** Every incident the store holds for the area up to the date (not only the window): from the first one. */
    record: { from: IsoDate | null; incidents: number; fatalities: number };
  };
  projects: Project[];
  sectors: SectorProgress[];
  councils: Council[];
  exposure: Exposure | null;
  /** With the protecting bloc gone (when asked): who could come, how soon. */
  withdrawal: (Exposure & { holder: string | null }) | null;
  priority: Priority;
  notes: string;
  sources: StabilizationArea['sources'];
}

export interface BoardOptions {
  weights?: Weights;
  /** Protection incidents over this many days up to the date (default 90). */
  windowDays?: number;
  /** A bloc whose forces withdraw, for the what-if. */
  withdraw?: string;
  /** Only these areas (ids). */
  areas?: readonly string[];
  /** Skip the race (no road network, or speed). */
  exposure?: boolean;
  /** The control model and race context a server keeps built (default: built from the store, once per call). */
  model?: ControlModel;
  race?: () => Promise<RaceContext>;
}

export interface Board {
  date: IsoDate;
  weights: Weights;
  windowDays: number;
  withdraw: string | null;
  areas: AreaReport[];
  notes: string[];
}

function sectorsOf(projects: readonly Project[]): SectorProgress[] {
  const by = new Map<string, Project[]>();
  for (const p of projects) by.set(p.sector, [...(by.get(p.sector) ?? []), p]);
  return [...by].sort((a, b) => a[0].localeCompare(b[0])).map(([sector, list]) => {
    const reported = list.filter((p) => p.progress !== null);
    const byStatus: SectorProgress['byStatus'] = {};
    for (const p of list) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
    return { sector, projects: list.length, byStatus, budgetUsd: list.reduce((s, p) => s + (p.budgetUsd ?? 0), 0), progress: reported.length ? Math.round((reported.reduce((s, p) => s + p.progress!, 0) / reported.length) * 100) / 100 : null };
  });
}

/** Exposure of areas held by each bloc: one race per holder bloc, from its areas' centres. */
function exposures(ctx: RaceContext, model: ControlModel, date: IsoDate, resolved: readonly ResolvedArea[], holders: readonly (string | null)[]): (Exposure | null)[] {
  const out: (Exposure | null)[] = resolved.map(() => null);
  for (const bloc of new Set(holders.filter((h): h is string => h !== null))) {
    const idx = resolved.flatMap((r, i) => (holders[i] === bloc && r.centre !== null ? [i] : []));
    const targets = idx.map((i) => {
      const p = model.places[resolved[i]!.centre!]!;
      return { id: resolved[i]!.area.id, name: resolved[i]!.area.name, lon: p.lon, lat: p.lat, placeId: p.id };
    });
    const { rows } = exposureTo(ctx, date, bloc, targets);
    rows.forEach((row, k) => (out[idx[k]!] = row));
  }
  return out;
}

export async function stabilizationBoard(store: Store, date: IsoDate, opts: BoardOptions = {}): Promise<Board> {
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const windowDays = opts.windowDays ?? 90;
  const notes: string[] = [];
  const [areas, indicators, projects, councils] = await Promise.all([store.listStabilizationAreas(), store.listIndicators(), store.listProjects(), store.listCouncils()]);
  const chosen = opts.areas?.length ? areas.filter((a) => opts.areas!.includes(a.id)) : areas;
  if (opts.areas?.length) for (const id of opts.areas) if (!areas.some((a) => a.id === id)) throw new RangeError(`no stabilization area "${id}" (see frontline stabilize areas)`);
  const model = opts.model ?? (await loadControlModel(store));
  const resolvedAll = areas.map((a) => resolveArea(a, model.places));
  const resolved = resolvedAll.filter((r) => chosen.includes(r.area));
  const holdings = resolved.map((r) => areaHolding(model, r, date));
  const from = addDays(date, -windowDays);
  // Streamed as rows, not paged: a busy period can hold more events than any page.
  const events: Pick<ConflictEvent, 'id' | 'date' | 'type' | 'subType' | 'location' | 'place' | 'lon' | 'lat' | 'admin1' | 'admin2' | 'fatalities'>[] = [];
  // Every incident up to the date: the window's count, and the area's whole record (a quiet window must
  // not read as "no incidents" where the store holds some).
  for await (const rows of store.scanEvents({ until: date })) {
    for (const r of rows) {
      const e = { id: r[0] as string, date: r[2] as string, type: r[5] as string, subType: r[6] as string, admin1: (r[15] as string) ?? '', admin2: (r[16] as string) ?? '', location: (r[18] as string) ?? '', place: (r[19] as string | null) ?? null, lon: r[20] as number, lat: r[21] as number, fatalities: { best: (r[23] as number | null) ?? null, low: null, high: null } };
      if (r[28] !== 'retracted' && isProtectionIncident(e)) events.push(e);
    }
  }

  let exp: (Exposure | null)[] = resolved.map(() => null);
  let withdrawn: ((Exposure & { holder: string | null }) | null)[] = resolved.map(() => null);
  let exposureKnown = false;
  if (opts.exposure !== false) {
    try {
      const ctx = opts.race ? await opts.race() : new RaceContext((await loadRoads(store)).graph, model);
      const { graph } = ctx;
      exp = exposures(ctx, model, date, resolved, holdings.map((h) => h.bloc));
      exposureKnown = true;
      if (opts.withdraw) {
        const scenario = withdrawalScenario(model, opts.withdraw, date);
        const m2 = await loadControlModel(store, { scenario });
        const holders2 = resolved.map((r) => areaHolding(m2, resolveArea(r.area, m2.places), date).bloc);
        withdrawn = exposures(new RaceContext(graph, m2), m2, date, resolved, holders2).map((e, i) => (e ? { ...e, holder: holders2[i]! } : null));
        notes.push(scenario.description);
      }
    } catch (err) {
      notes.push(`exposure not computed: ${(err as Error).message}`);
    }
  }

  // The people term divides by the largest population among all the store's areas, whichever are
  // asked for: a briefing of one area then shows the score the board shows (issue 20: 0.056 vs 0.038).
  const populationOf = (r: ResolvedArea): (Figure & { basis: 'estimate' | 'gazetteer' }) | null => {
    const est = latestIndicators(indicators.filter((i) => i.area === r.area.id && i.indicator === 'population'), date).population;
    if (est) return { ...est, basis: 'estimate' as const };
    if (r.gazetteerPopulation !== null) return { value: r.gazetteerPopulation, date: '' as IsoDate, source: { name: 'gazetteer (GeoNames populations of its places)' }, basis: 'gazetteer' as const };
    return null;
  };
  const population = resolved.map(populationOf);
  const maxPopulation = Math.max(0, ...resolvedAll.map((r) => populationOf(r)?.value ?? 0));
  const reports: AreaReport[] = resolved.map((r, i) => {
    const a = r.area;
    const mine = indicators.filter((x) => x.area === a.id);
    const latest = latestIndicators(mine, date);
    const all = events.filter((e) => eventInArea(e, r, model.places));
    const incidents = all.filter((e) => e.date >= from);
    const ps = projects.filter((p) => p.area === a.id);
    const terms = priorityTerms({ population: population[i]?.value ?? null, maxPopulation, threatDays: exp[i]?.days ?? null, exposureKnown: exposureKnown && exp[i] !== null, latest });
    const centre = r.centre !== null ? model.places[r.centre]! : null;
    return {
      area: a,
      id: a.id,
      name: a.name,
      definition: a.definition.kind,
      places: r.places.map((k) => ({ id: model.places[k]!.id, name: model.places[k]!.name, population: model.places[k]!.population })),
      centre: centre ? { id: centre.id, name: centre.name, lon: centre.lon, lat: centre.lat } : null,
      holding: holdings[i]!,
      population: population[i]!,
      latest,
      protection: {
        from,
        to: date,
        incidents: incidents.length,
        fatalities: incidents.reduce((s, e) => s + (e.fatalities.best ?? 0), 0),
        events: incidents.map((e) => ({ id: e.id, date: e.date, type: e.type, subType: e.subType, location: e.location, fatalities: e.fatalities.best })),
        record: { from: all[0]?.date ?? null, incidents: all.length, fatalities: all.reduce((s, e) => s + (e.fatalities.best ?? 0), 0) },
      },
      projects: ps,
      sectors: sectorsOf(ps),
      councils: councils.filter((c) => c.area === a.id && c.formed <= date),
      exposure: exp[i]!,
      withdrawal: withdrawn[i]!,
      priority: priorityScore(terms, weights),
      notes: a.notes,
      sources: a.sources,
    };
  });
  reports.sort((x, y) => y.priority.score - x.priority.score || x.id.localeCompare(y.id));
  return { date, weights, windowDays, withdraw: opts.withdraw ?? null, areas: reports, notes };
}
