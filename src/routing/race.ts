/**
 * The race (DESIGN.md §3): for each bloc, a multi-source search from the places it holds on its front
 * line, over the road graph, where an edge's cost depends on whose area it lies in. Own, allied or
 * unclaimed land: driving time by road class (slower where contested). Land of a bloc it is hostile (or
 * neutral) to: the bloc's advance rate in km a day. Deconflicted land: closed unless a penalty is set.
 * Zones closed to a bloc: closed. Costs are in days. Every parameter is echoed in the result.
 */
import KDBush from 'kdbush';
import { dayNumber, type IsoDate } from '../core/dates.js';
import type { ControlModel } from '../control/model.js';
import { cellAt } from '../geo/land-grid.js';
import { bboxOfMultiPolygon, haversineKm, pointInMultiPolygon, type MultiPolygonCoords } from '../geo/measure.js';
import { edgeGeometry, type RoadGraph } from './graph.js';
import { DEFAULT_SPEED_KMH, type RoadClass } from './road-classes.js';
import { edgeCost, edgeSources, materializeCosts, multiSourceSearch, positiveRange, reverseAdjacency, searchBuffers, tableRange, tightPath, type EdgeCostTable, type SearchBuffers, type SearchResult } from './search.js';
import { blocCostTable, edgeKinds, kindsKey, mendKinds, placeTerritories, relationsOf, type EdgeKinds } from './territory.js';

export interface RaceParameters {
  /** Advance through hostile (or neutral) land, km a day, per bloc; others get `defaultAdvanceKmPerDay`. */
  advanceKmPerDay: Record<string, number>;
  defaultAdvanceKmPerDay: number;
  speedsKmh: Record<RoadClass, number>;
  /** Driving through contested land takes this many times longer. */
  contestedFactor: number;
  /** Extra days to cross a deconflicted edge, or null: deconflicted land is closed. */
  deconflictedPenaltyDays: number | null;
  /** Places and objectives farther than this from any road are flagged, not snapped. */
  snapMaxKm: number;
}

export const DEFAULT_RACE_PARAMETERS: RaceParameters = {
  advanceKmPerDay: {},
  defaultAdvanceKmPerDay: 5,
  speedsKmh: DEFAULT_SPEED_KMH,
  contestedFactor: 3,
  deconflictedPenaltyDays: null,
  snapMaxKm: 15,
};

export interface Objective {
  name: string;
  lon: number;
  lat: number;
  /** The place it is, when it is one (its holder is the objective's holder). */
  placeId?: string;
}

export interface Arrival {
  bloc: string;
  /** Days from the date; null: cannot get there. */
  days: number | null;
  route: { type: 'LineString'; coordinates: [number, number][] } | null;
  note?: string;
}

export interface ObjectiveResult {
  objective: string;
  holder: string | null;
  snapKm: number | null;
  arrivals: Arrival[];
  /** The first bloc other than the holder to arrive. */
  winner: string | null;
  /** Days between the winner and the next bloc (other than the holder) to arrive. */
  marginDays: number | null;
  note?: string;
}

export interface RaceResult {
  date: IsoDate;
  parameters: RaceParameters & { blocs: string[]; resolution: number; radiusKm: number; graph: { nodes: number; edges: number } };
  objectives: ObjectiveResult[];
  /** Front-line places each bloc started from (ids); empty: the bloc has no front line. */
  starts: Record<string, string[]>;
  /** Road km first reached by each bloc (the partition of the network). */
  firstArrivalKm: Record<string, number>;
}

export interface RaceOptions {
  /** Only these blocs race (default: every bloc holding places on the date). */
  blocs?: readonly string[];
  /** Leave routes out (exposure lists many objectives). */
  routes?: boolean;
  /** Also give each bloc's arrival days per land cell (for isochrones). */
  cells?: boolean;
  /** Added positions (a scenario's): forces of an actor's bloc that start there too. */
  positions?: readonly { actor: string; lon: number; lat: number; label?: string }[];
}

/** Points along roads in other land cells than their edge's start (see RaceContext.edgeSamples). */
export interface RoadSamples {
  edge: Int32Array;
  /** How far along its edge (0 its start, 1 its end). */
  frac: Float32Array;
  cell: Int32Array;
  /** Each junction's cell. */
  nodeCell: Int32Array;
  /** The sample's edge's start, and the metres from it. */
  node: Int32Array;
  metres: Float64Array;
}

/** Static links between a graph and a control model: computed once, reused for every date. */
export class RaceContext {
  readonly edgePlace: Int32Array;
  readonly src: Uint32Array;
  /** Every drawn point of every road piece, indexed: places snap onto roads, not only onto junctions. */
  private readonly pointIndex: KDBush;
  private readonly pointPiece: Int32Array;
  /** Distance from its piece's start to each point, and each piece's length (km). */
  private readonly pointKm: Float64Array;
  private readonly pieceKm: Float64Array;
  /** The (up to two) edges along each piece. */
  private readonly pieceEdges: Int32Array;
  private readonly zoneEdges = new Map<string, Int32Array>();
  private readonly areaEdges = new Map<string, Int32Array>();

  constructor(
    readonly graph: RoadGraph,
    readonly model: ControlModel,
  ) {
    const g = graph;
    this.pool = { searches: [], bestBloc: new Int16Array(g.nodeCount), bestDist: new Float64Array(g.nodeCount) };
    this.src = edgeSources(g);
    const pieces = g.pieceOffsets.length - 1;
    const points = g.pieceLon.length;
    this.pointPiece = new Int32Array(points);
    this.pointKm = new Float64Array(points);
    this.pieceKm = new Float64Array(pieces);
    this.pointIndex = new KDBush(Math.max(1, points));
    for (let p = 0; p < pieces; p++) {
      let km = 0;
      for (let k = g.pieceOffsets[p]!; k < g.pieceOffsets[p + 1]!; k++) {
        if (k > g.pieceOffsets[p]!) km += haversineKm(g.pieceLon[k - 1]!, g.pieceLat[k - 1]!, g.pieceLon[k]!, g.pieceLat[k]!);
        this.pointPiece[k] = p;
        this.pointKm[k] = km;
        this.pointIndex.add(g.pieceLon[k]!, g.pieceLat[k]!);
      }
      this.pieceKm[p] = km;
    }
    if (!points) this.pointIndex.add(0, 0);
    this.pointIndex.finish();
    this.edgePlace = new Int32Array(g.edgeCount);
    for (let e = 0; e < g.edgeCount; e++) {
      const [x, y] = this.midpoint(e);
      this.edgePlace[e] = model.locator.nearest(x, y);
    }
    this.pieceEdges = new Int32Array(pieces * 2).fill(-1);
    for (let e = 0; e < g.edgeCount; e++) {
      const p = g.piece[e]!;
      this.pieceEdges[p * 2 + (this.pieceEdges[p * 2]! < 0 ? 0 : 1)] = e;
    }
  }

  /**
   * Where a point meets the road network: the nearest drawn point of a road within `maxKm`, as the edges
   * along that road piece and how far along each (0 at the edge's start, 1 at its end).
   */
  snap(lon: number, lat: number, maxKm: number): { km: number; edges: { edge: number; along: number }[] } | null {
    if (!this.graph.pieceLon.length) return null;
    // Boxes growing from 0.5 km: the first that holds a point within its radius holds the nearest.
    let best = -1;
    let bestKm = Infinity;
    for (let r = Math.min(0.5, maxKm); ; r = Math.min(maxKm, r * 2)) {
      const dLat = r / 110.574;
      const dLon = r / (111.32 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
      for (const k of this.pointIndex.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
        const km = haversineKm(lon, lat, this.graph.pieceLon[k]!, this.graph.pieceLat[k]!);
        if (km <= r && (km < bestKm || (km === bestKm && k < best))) {
          best = k;
          bestKm = km;
        }
      }
      if (best >= 0 || r >= maxKm) break;
    }
    if (best < 0) return null;
    const p = this.pointPiece[best]!;
    const f = this.pieceKm[p]! > 0 ? this.pointKm[best]! / this.pieceKm[p]! : 0;
    const edges: { edge: number; along: number }[] = [];
    for (const e of [this.pieceEdges[p * 2]!, this.pieceEdges[p * 2 + 1]!]) if (e >= 0) edges.push({ edge: e, along: this.graph.reversed[e] ? 1 - f : f });
    return { km: bestKm, edges };
  }

  private placeSnaps = new Map<string, ReturnType<RaceContext['snap']>>();
  /** snap() for a place of the model, remembered (places do not move; every race starts from them). */
  snapPlace(p: number, maxKm: number): ReturnType<RaceContext['snap']> {
    const key = `${p}:${maxKm}`;
    let s = this.placeSnaps.get(key);
    if (s === undefined) {
      s = this.snap(this.model.places[p]!.lon, this.model.places[p]!.lat, maxKm);
      this.placeSnaps.set(key, s);
    }
    return s;
  }

  /** The point halfway along an edge's road piece. */
  private midpoint(e: number): [number, number] {
    const p = this.graph.piece[e]!;
    return this.pointAlong(p, this.pieceKm[p]! / 2);
  }

  private mRange: [number, number] | null = null;
  /** The shortest positive and the longest edge, metres. */
  lengthRangeM(): [number, number] {
    return (this.mRange ??= positiveRange(this.graph.lengthM));
  }
  /**
   * Arrays a race reuses from one run to the next (search results per racing bloc, the partition): a race
   * is synchronous and keeps none of them in its result, so the next race may overwrite them.
   */
  readonly pool: { searches: SearchBuffers[]; bestBloc: Int16Array; bestDist: Float64Array };
  poolFor(blocs: number): { searches: SearchBuffers[]; bestBloc: Int16Array; bestDist: Float64Array } {
    // The searches run one after another, so they share one queue's working memory.
    // They record no edges: the few routes a race draws are found again from the distances (tightPath).
    while (this.pool.searches.length < blocs) this.pool.searches.push(searchBuffers(this.graph.nodeCount, this.pool.searches[0]?.scratch, { via: false }));
    return this.pool;
  }

  private rev: { inOffsets: Uint32Array; inEdges: Uint32Array } | null = null;
  /** Each node's incoming edges (for routes found again from distances). */
  reverse(): { inOffsets: Uint32Array; inEdges: Uint32Array } {
    return (this.rev ??= reverseAdjacency(this.graph));
  }

  private halfKm: Float64Array | null = null;
  /** Half the km of each node's outgoing edges (both directions of a road count once): a road's share in the partition. */
  nodeKm(): Float64Array {
    if (!this.halfKm) {
      const g = this.graph;
      this.halfKm = new Float64Array(g.nodeCount);
      for (let u = 0; u < g.nodeCount; u++) for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) this.halfKm[u]! += g.lengthM[e]! / 2000;
    }
    return this.halfKm;
  }
  private samples: RoadSamples | null = null;
  /**
   * Where roads meet land cells, for isochrones (which cover the cells roads pass through, not only those
   * holding a junction): each junction's cell, and points along every edge every ~2 km, in cells other
   * than its start's (a point in its start's cell is never reached before the start, so the junction
   * stands for it; the edge's end is its target junction, reached no later than by this edge: on dense
   * networks this leaves out almost every point). Computed once.
   */
  edgeSamples(): RoadSamples {
    if (!this.samples) {
      const g = this.graph;
      const nodeCell = new Int32Array(g.nodeCount);
      for (let u = 0; u < g.nodeCount; u++) nodeCell[u] = cellAt(this.model.grid, g.lon[u]!, g.lat[u]!);
      const edge: number[] = [], frac: number[] = [], cell: number[] = [];
      const seen = new Set<string>();
      for (let e = 0; e < g.edgeCount; e++) {
        const p = g.piece[e]!;
        const km = this.pieceKm[p]!;
        const n = Math.max(1, Math.ceil(km / 2));
        for (let k = 0; k <= n; k++) {
          const f = k / n; // along the piece
          const [x, y] = this.pointAlong(p, f * km);
          const c = cellAt(this.model.grid, x, y);
          if (c < 0 || c === nodeCell[this.src[e]!]) continue;
          const along = g.reversed[e] ? 1 - f : f;
          // Nor at its end: that is its target junction, counted in its own cell at no later time.
          if (along === 1) continue;
          // One sample per edge and cell is enough: the earliest point of the edge in that cell.
          const key = `${e}:${c}`;
          if (seen.has(key)) {
            continue;
          }
          seen.add(key);
          edge.push(e);
          frac.push(along);
          cell.push(c);
        }
      }
      const metres = this.graph.lengthM;
      this.samples = {
        edge: Int32Array.from(edge),
        frac: Float32Array.from(frac),
        cell: Int32Array.from(cell),
        nodeCell,
        node: Int32Array.from(edge, (e) => this.src[e]!),
        metres: Float64Array.from(edge, (e, i) => metres[e]! * frac[i]!),
      };
    }
    return this.samples;
  }

  /** The point `km` along a road piece. */
  private pointAlong(p: number, km: number): [number, number] {
    const g = this.graph;
    const a = g.pieceOffsets[p]!, b = g.pieceOffsets[p + 1]!;
    for (let k = a + 1; k < b; k++) {
      if (this.pointKm[k]! >= km) {
        const span = this.pointKm[k]! - this.pointKm[k - 1]!;
        const t = span > 0 ? (km - this.pointKm[k - 1]!) / span : 0;
        return [g.pieceLon[k - 1]! + t * (g.pieceLon[k]! - g.pieceLon[k - 1]!), g.pieceLat[k - 1]! + t * (g.pieceLat[k]! - g.pieceLat[k - 1]!)];
      }
    }
    return [g.pieceLon[b - 1]!, g.pieceLat[b - 1]!];
  }

  /**
   * The last race's kinds of edges, kept while control, areas and zones in force stay the same (kindsKey),
   * and each bloc's costs written out edge by edge from them in 4-byte floats: a search reads one number
   * an edge instead of a kind, a length and a factor (measured ~15% faster), and writing them out costs
   * about as much as a search, so they are kept from race to race and mended only where kinds changed.
   */
  private kindsMemo: { key: string; overrides: boolean; places: Int32Array; kinds: EdgeKinds } | null = null;
  private readonly costMemo = new Map<string, { perA: Float64Array; fixed: Float64Array; cost: Float32Array; range: [number, number] }>();

  /**
   * The kinds of edges on a date: the last ones when nothing they depend on changed; when only places
   * changed hands (no analyst's area or closing zone in force, then or now), the last ones mended in
   * place along those places' roads. The array is the context's own, mended by the next call: copy it
   * to keep it.
   */
  kindsFor(date: IsoDate): EdgeKinds {
    const state = this.model.stateAt(date);
    const { key, overrides } = kindsKey(this, date, state);
    const last = this.kindsMemo;
    if (last && last.key === key) return { ...last.kinds, date };
    const places = placeTerritories(this, date, state);
    if (last && !last.overrides && !overrides) {
      const changed = mendKinds(this, last.kinds.kind, last.places, places);
      this.mendCosts(last.kinds.kind, changed);
      this.kindsMemo = { key, overrides, places, kinds: { ...last.kinds, date } };
      return this.kindsMemo.kinds;
    }
    const kinds = edgeKinds(this, date, places);
    // Each bloc's written-out costs are mended where the kind changed, or dropped when the kinds are
    // numbered otherwise (zones in force changed the territories).
    const same = last !== null && last.kinds.territories.length === kinds.territories.length && last.kinds.territories.every((t, i) => {
      const u = kinds.territories[i]!;
      return t.bloc === u.bloc && t.contested === u.contested && t.closedTo.join() === u.closedTo.join();
    });
    if (!same) this.costMemo.clear();
    else if (this.costMemo.size) {
      const was = last.kinds.kind, now = kinds.kind;
      const changed: number[] = [];
      for (let e = 0; e < now.length; e++) if (was[e] !== now[e]) changed.push(e);
      this.mendCosts(now, changed);
    }
    this.kindsMemo = { key, overrides, places, kinds };
    return kinds;
  }

  /** Every kept bloc's costs written again on the edges whose kind changed, from its own factors. */
  private mendCosts(kind: Uint16Array, changed: readonly number[]): void {
    const [aMin, aMax] = this.lengthRangeM();
    for (const m of this.costMemo.values()) {
      const table: EdgeCostTable = { kind, a: this.graph.lengthM, perA: m.perA, fixed: m.fixed, aMin, aMax };
      for (const e of changed) m.cost[e] = edgeCost(table, e);
    }
  }

  private byPlace: { offsets: Int32Array; edges: Int32Array } | null = null;
  /** The edges nearest each place (those whose land is the place's): edges[offsets[p] .. offsets[p+1]-1]. */
  placeEdges(): { offsets: Int32Array; edges: Int32Array } {
    if (!this.byPlace) {
      const n = this.model.places.length;
      const offsets = new Int32Array(n + 1);
      for (const p of this.edgePlace) if (p >= 0) offsets[p + 1]!++;
      for (let p = 0; p < n; p++) offsets[p + 1]! += offsets[p]!;
      const fill = offsets.slice(0, n);
      const edges = new Int32Array(offsets[n]!);
      this.edgePlace.forEach((p, e) => {
        if (p >= 0) edges[fill[p]!++] = e;
      });
      this.byPlace = { offsets, edges };
    }
    return this.byPlace;
  }

  /**
   * A bloc's costs edge by edge: for a table of kindsFor's kinds, kept while its factors stay the same
   * (others are written out and not kept). The array is the context's own, rewritten by later races:
   * copy it to keep it.
   */
  costsFor(bloc: string, table: EdgeCostTable): { cost: Float32Array; range: [number, number] } {
    // Only a table of the kept kinds and the graph's lengths is kept: mending needs both.
    const keep = table.kind === this.kindsMemo?.kinds.kind && table.a === this.graph.lengthM;
    let m = keep ? this.costMemo.get(bloc) : undefined;
    const same = (x: Float64Array, y: Float64Array): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
    if (m && same(m.perA, table.perA) && same(m.fixed, table.fixed)) return m;
    const cost = materializeCosts(table, m?.cost ?? new Float32Array(table.kind.length));
    m = { perA: table.perA.slice(), fixed: table.fixed.slice(), cost, range: tableRange(table) };
    if (keep) this.costMemo.set(bloc, m);
    return m;
  }

  /** Edges whose midpoint lies in a polygon (zones, analysts' areas), cached by id. */
  edgesIn(cache: 'zone' | 'area', id: string, coords: MultiPolygonCoords): Int32Array {
    const m = cache === 'zone' ? this.zoneEdges : this.areaEdges;
    let edges = m.get(id);
    if (!edges) {
      const bb = bboxOfMultiPolygon(coords);
      const out: number[] = [];
      for (let e = 0; e < this.graph.edgeCount; e++) {
        const [x, y] = this.midpoint(e);
        if (x >= bb[0] && x <= bb[2] && y >= bb[1] && y <= bb[3] && pointInMultiPolygon(x, y, coords)) out.push(e);
      }
      edges = Int32Array.from(out);
      m.set(id, edges);
    }
    return edges;
  }


}

export function runRace(ctx: RaceContext, date: IsoDate, objectives: readonly Objective[], params: RaceParameters = DEFAULT_RACE_PARAMETERS, options: RaceOptions = {}): RaceResult & { cellDays?: Record<string, Float64Array> } {
  const onlyBlocs = options.blocs;
  const { graph: g, model } = ctx;
  const state = model.stateAt(date);
  const day = dayNumber(date);
  const kinds = ctx.kindsFor(date);

  const blocs = (onlyBlocs?.length ? [...onlyBlocs] : model.blocIds.filter((_, i) => state.blocs[i]!.places > 0 && model.blocIds[i] !== 'unaffiliated'));
  for (const b of blocs) if (!model.blocIds.includes(b)) throw new RangeError(`no bloc "${b}" (blocs: ${model.blocIds.join(', ')})`);
  const searches = new Map<string, { r: SearchResult; cost: Float32Array; startPlace: Map<number, { lon: number; lat: number; cost: number }> } | null>();
  const starts: Record<string, string[]> = {};
  const pool = ctx.poolFor(blocs.length);
  // The partition of the network (each junction to the bloc that reaches it first) and the cells are
  // filled as each search ends, while its distances are still in the processor's cache.
  const bestBloc = pool.bestBloc.fill(-1);
  const bestDist = pool.bestDist.fill(Infinity);
  const smp = options.cells ? ctx.edgeSamples() : null;
  const cellDays: Record<string, Float64Array> | undefined = options.cells ? {} : undefined;
  for (const [k, bloc] of blocs.entries()) {
    const b = model.blocIds.indexOf(bloc);
    const rel = relationsOf(ctx, bloc, date);
    const table = blocCostTable(ctx, kinds, bloc, rel, params);
    const { cost, range } = ctx.costsFor(bloc, table);
    // The front line: places the bloc holds whose cells touch land held by someone not allied to it.
    const front = frontPlaces(model, state.cellBloc, state.placeBloc, b, rel);
    starts[bloc] = front.map((p) => model.places[p]!.id);
    const extra = (options.positions ?? []).filter((x) => model.blocIndexOfActor(x.actor, day) === b);
    for (const x of extra) starts[bloc]!.push(`position:${x.label ?? `${x.lon},${x.lat}`}`);
    // Forces start on the road at each front-line place and drive off it either way.
    const sources: number[] = [];
    const startCost: number[] = [];
    const startPlace = new Map<number, { lon: number; lat: number; cost: number }>();
    const startAt = (lon: number, lat: number, place = -1): void => {
      const s = place >= 0 ? ctx.snapPlace(place, params.snapMaxKm) : ctx.snap(lon, lat, params.snapMaxKm);
      for (const { edge, along } of s?.edges ?? []) {
        const node = g.target[edge]!;
        const c = cost[edge]! * (1 - along);
        sources.push(node);
        startCost.push(c);
        // Where a route starting at this node comes from (the cheapest start), for drawing.
        const cur = startPlace.get(node);
        if (!cur || c < cur.cost) startPlace.set(node, { lon, lat, cost: c });
      }
    };
    for (const p of front) startAt(model.places[p]!.lon, model.places[p]!.lat, p);
    for (const x of extra) startAt(x.lon, x.lat);
    const days = cellDays ? (cellDays[bloc] = new Float64Array(model.grid.cells.length).fill(Infinity)) : null;
    if (!sources.length) {
      searches.set(bloc, null);
      continue;
    }
    const r = multiSourceSearch(g, cost, sources, startCost, pool.searches[k], range);
    searches.set(bloc, { r, cost, startPlace });
    const dist = r.dist;
    // A land cell is reached when a road through it is (the earliest point of it, sampled every ~2 km).
    const nodeCell = smp?.nodeCell;
    for (let v = 0; v < g.nodeCount; v++) {
      const d = dist[v]!;
      if (d === Infinity) continue;
      if (d < bestDist[v]!) {
        bestDist[v] = d;
        bestBloc[v] = k;
      }
      if (!days) continue;
      const c = nodeCell![v]!;
      if (c >= 0 && d < days[c]!) days[c] = d;
    }
    if (!days || !smp) continue;
    const { kind, perA, fixed } = table;
    const { edge, frac, cell, node, metres } = smp;
    for (let i = 0; i < edge.length; i++) {
      const d = dist[node[i]!]!;
      if (d === Infinity) continue;
      const kk = kind[edge[i]!]!;
      // The edge's cost so far: its factor times the metres along it, plus that share of a fixed cost.
      const t = d + perA[kk]! * metres[i]! + fixed[kk]! * frac[i]!;
      const c = cell[i]!;
      if (t < days[c]!) days[c] = t;
    }
  }

  const results: ObjectiveResult[] = objectives.map((o) => {
    const placeIdx = o.placeId ? model.placeIndexOf(o.placeId) : -1;
    const hb = model.attribute(o.lon, o.lat, day, placeIdx);
    const holder = hb >= 0 ? model.blocIds[hb]! : null;
    const snap = ctx.snap(o.lon, o.lat, params.snapMaxKm);
    const arrivals: Arrival[] = blocs.map((bloc) => {
      if (bloc === holder) return { bloc, days: 0, route: null, note: 'holds it' };
      const found = searches.get(bloc);
      if (!found) return { bloc, days: null, route: null, note: 'no front line: it holds no place bordering others on this date' };
      if (!snap) return { bloc, days: null, route: null, note: `no road within ${params.snapMaxKm} km of the objective` };
      // The objective lies along an edge: arrive by its start node, then drive (or fight) part of it.
      let d = Infinity;
      let by = -1;
      for (const { edge, along } of snap.edges) {
        const x = found.r.dist[ctx.src[edge]!]! + found.cost[edge]! * along;
        if (x < d) {
          d = x;
          by = edge;
        }
      }
      if (d === Infinity) return { bloc, days: null, route: null, note: 'unreachable under these rules' };
      if (options.routes === false) return { bloc, days: Math.round(d * 1000) / 1000, route: null };
      const path = tightPath(ctx.reverse(), ctx.src, g.target, found.cost, found.r.dist, (v) => found.startPlace.get(v)?.cost, ctx.src[by]!);
      if (!path) throw new Error(`no route found back from a reached node (${ctx.src[by]!}): please report this`);
      const first = path.length ? ctx.src[path[0]!]! : ctx.src[by]!;
      const origin = found.startPlace.get(first);
      const coords: [number, number][] = origin ? [[origin.lon, origin.lat]] : [];
      for (const e of path) {
        coords.push(...edgeGeometry(g, e));
      }
      coords.push([o.lon, o.lat]);
      const line = coords.filter((c, i) => i === 0 || c[0] !== coords[i - 1]![0] || c[1] !== coords[i - 1]![1]);
      return { bloc, days: Math.round(d * 1000) / 1000, route: line.length >= 2 ? { type: 'LineString', coordinates: line } : null };
    });
    const contenders = arrivals.filter((a) => a.bloc !== holder && a.days !== null).sort((a, b) => a.days! - b.days!);
    const winner = contenders[0]?.bloc ?? null;
    const margin = contenders.length >= 2 ? Math.round((contenders[1]!.days! - contenders[0]!.days!) * 1000) / 1000 : null;
    return { objective: o.name, holder, snapKm: snap ? Math.round(snap.km * 100) / 100 : null, arrivals, winner, marginDays: margin, ...(snap ? {} : { note: `no road within ${params.snapMaxKm} km` }) };
  });

  // Road km first reached by each bloc: each road's share kept per junction.
  const km = new Float64Array(blocs.length);
  const nodeKm = ctx.nodeKm();
  for (let u = 0; u < g.nodeCount; u++) {
    const k = bestBloc[u]!;
    if (k >= 0) km[k]! += nodeKm[u]!;
  }
  const firstArrivalKm: Record<string, number> = {};
  blocs.forEach((bloc, k) => {
    if (km[k]! > 0) firstArrivalKm[bloc] = Math.round(km[k]!);
  });
  return {
    date,
    parameters: { ...params, blocs, resolution: model.grid.resolution, radiusKm: model.radiusKm, graph: { nodes: g.nodeCount, edges: g.edgeCount } },
    objectives: results,
    starts,
    firstArrivalKm,
    ...(cellDays ? { cellDays } : {}),
  };
}

function frontPlaces(model: ControlModel, cellBloc: Int32Array, placeBloc: Int32Array, b: number, rel: readonly string[]): number[] {
  const g = model.grid;
  const out = new Set<number>();
  for (let c = 0; c < g.cells.length; c++) {
    if (cellBloc[c] !== b) continue;
    let front = false;
    for (let k = 0; k < 6 && !front; k++) {
      const n = g.neighbors[c * 6 + k]!;
      if (n < 0) continue;
      const t = cellBloc[n]!;
      if (t === b) continue;
      if (t < 0 || rel[t] !== 'allied') front = true;
    }
    if (front) {
      const p = model.cellPlace[c]!;
      if (p >= 0) out.add(p);
    }
  }
  // Only places the bloc itself holds (a cell can be the bloc's by an analyst's polygon).
  return [...out].filter((p) => placeBloc[p] === b).sort((x, y) => x - y);
}
