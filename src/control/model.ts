/**
 * The control engine: from places, observations, blocs and a land boundary to who holds what on any day,
 * as places, areas (H3 cells cut to the land), front lines, diffs and series. Pure: plain data in,
 * plain data out (docs/control.md explains the rules).
 */
import { dayNumber, fromDayNumber, type IsoDate } from '../core/dates.js';
import { relationOn } from '../core/actors.js';
import type { Bloc, ControlArea, ControlStatus, Place, Relation, ScenarioOverride, Zone, ControlObservation } from '../core/schemas.js';
import { buildLandGrid, sharedEdge, type LandGrid } from '../geo/land-grid.js';
import { bboxOfMultiPolygon, haversineKm, pointInMultiPolygon, type BBox4, type MultiPolygonCoords, type Position } from '../geo/measure.js';
import { buildPlaceLocator, type PlaceLocator } from '../geo/place-locator.js';
import { upperBound } from '../core/search.js';
import { ControlTimeline, STATUS_CODES, type Holding } from './timeline.js';
import { joinByEnds } from '../geo/join-lines.js';

export const UNAFFILIATED = 'unaffiliated';

export interface ControlInput {
  land: MultiPolygonCoords;
  places: readonly Place[];
  observations: readonly ControlObservation[];
  blocs: readonly Bloc[];
  relations: readonly Relation[];
  zones?: readonly Zone[];
  controlAreas?: readonly ControlArea[];
  overrides?: readonly ScenarioOverride[];
  overrideFrom?: IsoDate;
  /** H3 resolution of the cells (default 6, ~36 km² a cell). */
  resolution?: number;
  /** Land farther than this from every place is left unassigned (default 30 km). */
  radiusKm?: number;
}

interface AnalystArea {
  area: ControlArea;
  from: number;
  to: number;
  coords: MultiPolygonCoords;
  bbox: BBox4;
  cells: Int32Array;
}

export interface BlocStat {
  bloc: string;
  name: string;
  places: number;
  population: number;
  areaKm2: number;
  contestedKm2: number;
}

export interface PlaceState {
  place: string;
  placeId: string;
  actor: string;
  bloc: string;
  status: ControlStatus;
  since: IsoDate;
  observation: string;
}

export interface ControlState {
  date: IsoDate;
  day: number;
  /** Bloc index of each cell (into ControlModel.blocIds), or -1 unassigned. */
  cellBloc: Int32Array;
  /** Status code of each cell (STATUS_CODES), where assigned. */
  cellStatus: Uint8Array;
  /** Bloc index of each place (-1: nothing observed by then). */
  placeBloc: Int32Array;
  /** Status code of each place (STATUS_CODES), where observed. */
  placeStatus: Uint8Array;
  blocs: BlocStat[];
  unassignedKm2: number;
  landKm2: number;
}

export class ControlModel {
  readonly grid: LandGrid;
  readonly places: readonly Place[];
  readonly timeline: ControlTimeline;
  readonly blocs: readonly Bloc[];
  readonly relations: readonly Relation[];
  readonly zones: readonly Zone[];
  /** Bloc ids by index; the last is UNAFFILIATED (actors in no bloc). */
  readonly blocIds: string[];
  readonly blocNames: string[];
  /** The place each cell belongs to (nearest within the radius), or -1. */
  readonly cellPlace: Int32Array;
  readonly locator: PlaceLocator;
  readonly radiusKm: number;
  private readonly analyst: AnalystArea[];
  private readonly placeIndex: Map<string, number>;
  /** Per actor (timeline index): membership intervals [from, to, blocIndex]. */
  private readonly memberships: [number, number, number][][] = [];
  /** Per place (index): its change days and holders (timeline actor indexes), for tight loops. */
  private readonly placeDays: Int32Array[];
  private readonly placeActors: Int32Array[];

  constructor(input: ControlInput) {
    this.radiusKm = input.radiusKm ?? 30;
    this.grid = buildLandGrid(input.land, input.resolution ?? 6);
    this.places = input.places;
    this.placeIndex = new Map(input.places.map((p, i) => [p.id, i]));
    this.timeline = new ControlTimeline(input.observations, input.overrides ?? [], input.overrideFrom);
    this.blocs = input.blocs;
    this.relations = input.relations;
    this.zones = input.zones ?? [];
    this.blocIds = [...input.blocs.map((b) => b.id), UNAFFILIATED];
    this.blocNames = [...input.blocs.map((b) => b.name), 'Unaffiliated'];
    this.placeDays = input.places.map((p) => Int32Array.from(this.timeline.raw(p.id)?.days ?? []));
    this.placeActors = input.places.map((p) => Int32Array.from(this.timeline.raw(p.id)?.actors ?? []));
    this.locator = buildPlaceLocator(
      input.places.map((p) => p.lon),
      input.places.map((p) => p.lat),
      this.radiusKm,
    );
    const g = this.grid;
    this.cellPlace = new Int32Array(g.cells.length);
    for (let i = 0; i < g.cells.length; i++) this.cellPlace[i] = this.locator.nearest(g.lon[i]!, g.lat[i]!);
    this.analyst = (input.controlAreas ?? []).map((area) => {
      const coords = (area.geometry.type === 'Polygon' ? [area.geometry.coordinates] : area.geometry.coordinates) as MultiPolygonCoords;
      const bbox = bboxOfMultiPolygon(coords);
      const cells: number[] = [];
      for (let i = 0; i < g.cells.length; i++) {
        const x = g.lon[i]!, y = g.lat[i]!;
        if (x >= bbox[0] && x <= bbox[2] && y >= bbox[1] && y <= bbox[3] && pointInMultiPolygon(x, y, coords)) cells.push(i);
      }
      return { area, from: dayNumber(area.from), to: area.to ? dayNumber(area.to) : Infinity, coords, bbox, cells: Int32Array.from(cells) };
    });
  }

  placeIndexOf(id: string): number {
    return this.placeIndex.get(id) ?? -1;
  }

  /** Bloc index of an actor (by id) on a day. */
  blocIndexOfActor(actor: string, day: number): number {
    return this.blocIndexOfActorIndex(this.actorIdx(actor), day, actor);
  }

  private actorIdx(actor: string): number {
    const i = this.timeline.actors.indexOf(actor);
    return i;
  }

  /** Bloc index for a timeline actor index on a day: membership intervals, computed once per actor. */
  blocIndexOfActorIndex(a: number, day: number, actorId?: string): number {
    const id = actorId ?? this.timeline.actorId(a);
    let m = a >= 0 ? this.memberships[a] : undefined;
    if (!m) {
      m = [];
      this.blocs.forEach((b, bi) => {
        if (b.id === id) m!.push([-Infinity, Infinity, bi]);
        for (const mem of b.members) if (mem.actor === id) m!.push([mem.from ? dayNumber(mem.from) : -Infinity, mem.to ? dayNumber(mem.to) : Infinity, bi]);
      });
      if (a >= 0) this.memberships[a] = m;
    }
    for (const [f, t, bi] of m) if (day >= f && day <= t) return bi;
    return this.blocIds.length - 1;
  }

  /** Bloc index holding a place (by index) on a day, or -1. */
  placeBlocAt(placeIdx: number, day: number): number {
    const k = upperBound(this.placeDays[placeIdx]!, day) - 1;
    return k < 0 ? -1 : this.blocIndexOfActorIndex(this.placeActors[placeIdx]![k]!, day);
  }

  relation(blocA: number, blocB: number, date: IsoDate): ReturnType<typeof relationOn> {
    return relationOn(this.relations, this.blocIds[blocA]!, this.blocIds[blocB]!, date);
  }

  /** Who holds every place and every cell on a date, with totals per bloc. */
  stateAt(date: IsoDate): ControlState {
    const day = dayNumber(date);
    const g = this.grid;
    const nb = this.blocIds.length;
    const placeBloc = new Int32Array(this.places.length).fill(-1);
    const placeStatus = new Uint8Array(this.places.length);
    const stats = this.blocIds.map((bloc, i): BlocStat => ({ bloc, name: this.blocNames[i]!, places: 0, population: 0, areaKm2: 0, contestedKm2: 0 }));
    this.places.forEach((p, i) => {
      const t = this.timeline.raw(p.id);
      if (!t) return;
      const k = upperBound(t.days, day) - 1;
      if (k < 0) return;
      const b = this.blocIndexOfActorIndex(t.actors[k]!, day);
      placeBloc[i] = b;
      placeStatus[i] = t.statuses[k]!;
      stats[b]!.places++;
      stats[b]!.population += p.population ?? 0;
    });
    const cellBloc = new Int32Array(g.cells.length).fill(-1);
    const cellStatus = new Uint8Array(g.cells.length);
    for (let c = 0; c < g.cells.length; c++) {
      const p = this.cellPlace[c]!;
      if (p >= 0) {
        cellBloc[c] = placeBloc[p]!;
        cellStatus[c] = placeStatus[p]!;
      }
    }
    // Analysts' polygons take precedence where they lie (by cell centre).
    for (const a of this.analyst) {
      if (day < a.from || day > a.to) continue;
      const b = this.blocIndexOfActor(a.area.actor, day);
      const s = STATUS_CODES.indexOf(a.area.status);
      for (const c of a.cells) {
        cellBloc[c] = b;
        cellStatus[c] = s;
      }
    }
    let unassigned = 0;
    for (let c = 0; c < g.cells.length; c++) {
      const b = cellBloc[c]!;
      if (b < 0) unassigned += g.areaKm2[c]!;
      else {
        stats[b]!.areaKm2 += g.areaKm2[c]!;
        if (cellStatus[c] === 1) stats[b]!.contestedKm2 += g.areaKm2[c]!;
      }
    }
    void nb;
    return { date, day, cellBloc, cellStatus, placeBloc, placeStatus, blocs: stats, unassignedKm2: unassigned, landKm2: g.landAreaKm2 };
  }

  /** Analysts' polygons in force on a day. */
  controlAreasInForce(day: number): { id: string; actor: string; status: ControlStatus; coords: MultiPolygonCoords }[] {
    return this.analyst.filter((a) => day >= a.from && day <= a.to).map((a) => ({ id: a.area.id, actor: a.area.actor, status: a.area.status, coords: a.coords }));
  }

  /** The places' holders on a date, for lists and the CLI's JSON. */
  placeStates(state: ControlState): PlaceState[] {
    const out: PlaceState[] = [];
    this.places.forEach((p, i) => {
      if (state.placeBloc[i]! < 0) return;
      const h = this.timeline.holdingAt(p.id, state.date) as Holding;
      out.push({ place: p.name, placeId: p.id, actor: h.actor, bloc: this.blocIds[state.placeBloc[i]!]!, status: h.status, since: h.since, observation: h.observation });
    });
    return out;
  }

  /** The cells of a date grouped by bloc. */
  cellsByBloc(state: ControlState): Map<number, number[]> {
    const m = new Map<number, number[]>();
    state.cellBloc.forEach((b, c) => {
      const key = b;
      const l = m.get(key);
      if (l) l.push(c);
      else m.set(key, [c]);
    });
    return m;
  }

  /**
   * Front lines: the shared edges of neighbouring cells held by hostile blocs, joined into lines per pair
   * of sides.
   */
  frontLines(state: ControlState): FrontLine[] {
    const g = this.grid;
    const pairs = new Map<string, { a: number; b: number; segments: [Position, Position][] }>();
    const hostile = new Map<string, boolean>();
    for (let c = 0; c < g.cells.length; c++) {
      const bc = state.cellBloc[c]!;
      if (bc < 0) continue;
      for (let k = 0; k < 6; k++) {
        const n = g.neighbors[c * 6 + k]!;
        if (n <= c) continue;
        const bn = state.cellBloc[n]!;
        if (bn < 0 || bn === bc) continue;
        const [a, b] = bc < bn ? [bc, bn] : [bn, bc];
        const key = `${a}:${b}`;
        let h = hostile.get(key);
        if (h === undefined) {
          h = this.relation(a, b, state.date) === 'hostile';
          hostile.set(key, h);
        }
        if (!h) continue;
        const e = sharedEdge(g, c, n);
        if (!e) continue;
        let p = pairs.get(key);
        if (!p) pairs.set(key, (p = { a, b, segments: [] }));
        p.segments.push(e);
      }
    }
    return [...pairs.values()].map(({ a, b, segments }) => {
      const lines = joinSegments(segments);
      let km = 0;
      for (const [p, q] of segments) km += haversineKm(p[0]!, p[1]!, q[0]!, q[1]!);
      return { sides: [this.blocIds[a]!, this.blocIds[b]!] as [string, string], names: [this.blocNames[a]!, this.blocNames[b]!] as [string, string], lengthKm: km, lines };
    });
  }

  /** Gains and losses between two dates (a before b, or after: the diff is signed by the order given). */
  diff(a: ControlState, b: ControlState): ControlDiff {
    const g = this.grid;
    const blocs = this.blocIds.map((bloc): BlocChange => ({ bloc, placesGained: [], placesLost: [], populationGained: 0, populationLost: 0, areaGainedKm2: 0, areaLostKm2: 0 }));
    this.places.forEach((p, i) => {
      const from = a.placeBloc[i]!, to = b.placeBloc[i]!;
      if (from === to) return;
      if (to >= 0) {
        blocs[to]!.placesGained.push(p.id);
        blocs[to]!.populationGained += p.population ?? 0;
      }
      if (from >= 0) {
        blocs[from]!.placesLost.push(p.id);
        blocs[from]!.populationLost += p.population ?? 0;
      }
    });
    const moved = new Map<string, { from: number; to: number; cells: number[]; km2: number }>();
    let unassignedChange = 0;
    for (let c = 0; c < g.cells.length; c++) {
      const from = a.cellBloc[c]!, to = b.cellBloc[c]!;
      if (from === to) continue;
      const km2 = g.areaKm2[c]!;
      if (to >= 0) blocs[to]!.areaGainedKm2 += km2;
      else unassignedChange += km2;
      if (from >= 0) blocs[from]!.areaLostKm2 += km2;
      else unassignedChange -= km2;
      const key = `${from}:${to}`;
      let m = moved.get(key);
      if (!m) moved.set(key, (m = { from, to, cells: [], km2: 0 }));
      m.cells.push(c);
      m.km2 += km2;
    }
    const flA = this.frontLines(a), flB = this.frontLines(b);
    const key = (f: FrontLine): string => f.sides.join('|');
    const fronts = new Map<string, { sides: [string, string]; fromKm: number; toKm: number }>();
    for (const f of flA) fronts.set(key(f), { sides: f.sides, fromKm: f.lengthKm, toKm: 0 });
    for (const f of flB) {
      const e = fronts.get(key(f));
      if (e) e.toKm = f.lengthKm;
      else fronts.set(key(f), { sides: f.sides, fromKm: 0, toKm: f.lengthKm });
    }
    return {
      from: a.date,
      to: b.date,
      blocs: blocs.filter((x) => x.placesGained.length || x.placesLost.length || x.areaGainedKm2 || x.areaLostKm2),
      changes: [...moved.values()].map((m) => ({ from: m.from >= 0 ? this.blocIds[m.from]! : null, to: m.to >= 0 ? this.blocIds[m.to]! : null, areaKm2: m.km2, cells: m.cells })),
      unassignedChangeKm2: unassignedChange,
      frontLines: [...fronts.values()].map((f) => ({ ...f, changeKm: f.toKm - f.fromKm })),
    };
  }

  /** Places, population and area of each bloc at every step from `from` to `to`. */
  series(from: IsoDate, to: IsoDate, stepDays: number): SeriesRow[] {
    const rows: SeriesRow[] = [];
    for (let d = dayNumber(from); d <= dayNumber(to); d += stepDays) {
      const s = this.stateAt(fromDayNumber(d));
      for (const b of s.blocs) if (b.places || b.areaKm2) rows.push({ date: s.date, bloc: b.bloc, places: b.places, population: b.population, areaKm2: b.areaKm2 });
      rows.push({ date: s.date, bloc: 'unassigned', places: 0, population: 0, areaKm2: s.unassignedKm2 });
    }
    return rows;
  }

  /**
   * The bloc holding a location on a day: the place's holder when the event names a place, otherwise
   * the holder of the nearest place within the radius, unless an analyst's polygon covers the point.
   * Returns -1 where nobody is known to hold it.
   */
  attribute(lon: number, lat: number, day: number, placeIdx = -1): number {
    for (const a of this.analyst) {
      if (day < a.from || day > a.to || lon < a.bbox[0] || lon > a.bbox[2] || lat < a.bbox[1] || lat > a.bbox[3]) continue;
      if (pointInMultiPolygon(lon, lat, a.coords)) return this.blocIndexOfActor(a.area.actor, day);
    }
    const p = placeIdx >= 0 ? placeIdx : this.locator.nearest(lon, lat);
    return p < 0 ? -1 : this.placeBlocAt(p, day);
  }

  /** attribute() over columns of events: one bloc index per event. */
  attributeMany(lon: ArrayLike<number>, lat: ArrayLike<number>, day: ArrayLike<number>, placeIdx?: ArrayLike<number>): Int32Array {
    const out = new Int32Array(lon.length);
    for (let i = 0; i < lon.length; i++) out[i] = this.attribute(lon[i]!, lat[i]!, day[i]!, placeIdx ? placeIdx[i]! : -1);
    return out;
  }

  /** Zones in force on a date, with the area of each bloc inside each (by cell centre). */
  zonesAt(state: ControlState): { id: string; name: string; kind: string; areaKm2: number; blocsKm2: Record<string, number> }[] {
    const g = this.grid;
    return this.zones
      .filter((z) => (!z.from || z.from <= state.date) && (!z.to || state.date <= z.to))
      .map((z) => {
        const coords = (z.geometry.type === 'Polygon' ? [z.geometry.coordinates] : z.geometry.coordinates) as MultiPolygonCoords;
        const bb = bboxOfMultiPolygon(coords);
        const blocsKm2: Record<string, number> = {};
        let area = 0;
        for (let c = 0; c < g.cells.length; c++) {
          const x = g.lon[c]!, y = g.lat[c]!;
          if (x < bb[0] || x > bb[2] || y < bb[1] || y > bb[3] || !pointInMultiPolygon(x, y, coords)) continue;
          area += g.areaKm2[c]!;
          const b = state.cellBloc[c]!;
          const k = b >= 0 ? this.blocIds[b]! : 'unassigned';
          blocsKm2[k] = (blocsKm2[k] ?? 0) + g.areaKm2[c]!;
        }
        return { id: z.id, name: z.name, kind: z.kind, areaKm2: area, blocsKm2 };
      });
  }
}

export interface FrontLine {
  sides: [string, string];
  names: [string, string];
  lengthKm: number;
  lines: Position[][];
}

export interface BlocChange {
  bloc: string;
  placesGained: string[];
  placesLost: string[];
  populationGained: number;
  populationLost: number;
  areaGainedKm2: number;
  areaLostKm2: number;
}

export interface ControlDiff {
  from: IsoDate;
  to: IsoDate;
  blocs: BlocChange[];
  /** Land that changed hands, grouped by (from, to) bloc; null is unassigned. */
  changes: { from: string | null; to: string | null; areaKm2: number; cells: number[] }[];
  unassignedChangeKm2: number;
  frontLines: { sides: [string, string]; fromKm: number; toKm: number; changeKm: number }[];
}

export interface SeriesRow {
  date: IsoDate;
  bloc: string;
  places: number;
  population: number;
  areaKm2: number;
}

/** Join two-point segments that share end points into lines. */
export function joinSegments(segments: readonly [Position, Position][]): Position[][] {
  const k = (p: Position): string => `${p[0]!.toFixed(7)},${p[1]!.toFixed(7)}`;
  return joinByEnds(segments.map(([p, q]) => ({ from: k(p), to: k(q), p, q })));
}
