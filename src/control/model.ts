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
import { buildSurface, type MovementSurface } from '../surface/surface.js';
import { latticeOf, partition, partitionBuffers, type Lattice, type PartitionBuffers, type Seed } from '../surface/partition.js';
import * as h3 from 'h3-js';

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
  /**
   * H3 resolution of the cells when no surface is given (default 6, ~36 km² a cell; the app layer builds
   * a resolution-7 surface).
   */
  resolution?: number;
  /**
   * The "nearest" method's radius: land farther than this from every place is left unassigned (default
   * 30 km). The cost-distance method ignores it for areas; events still use it (attribute()).
   */
  radiusKm?: number;
  /**
   * The movement surface the land is partitioned on (src/surface/); without one, a plain surface over the
   * land (open country everywhere, no roads, no water) is built at `resolution`.
   */
  surface?: MovementSurface;
  /** What the surface was built from, for the method's report (sources of roads, water, crossings). */
  surfaceSources?: Record<string, string>;
  /**
   * How areas are drawn: "cost-distance" (default: every cell to the held place that reaches it first
   * over the surface) or "nearest" (the earlier rule: nearest place in a straight line within the radius).
   */
  method?: AreaMethod;
  /** A besieged place holds the cells within this many km of it over allowed steps (default 4). */
  besiegedKm?: number;
}

export type AreaMethod = 'cost-distance' | 'nearest';


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
  /** Land of this bloc's besieged places (their pockets). */
  besiegedKm2: number;
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
  /** The place whose land each cell is (cost-distance: the place that reached it first), -1 none. */
  cellPlace?: Int32Array;
}

/** Read-only per-date cell states, shared by every state of the same holders (see stateAt). */
interface CellStates {
  cellBloc: Int32Array;
  cellStatus: Uint8Array;
  cellPlace: Int32Array;
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
  private nearestCells: Int32Array | null = null;
  private placeLocator: PlaceLocator | null = null;
  readonly radiusKm: number;
  readonly method: AreaMethod;
  /** The movement surface areas are partitioned on (cost-distance). */
  readonly surface: MovementSurface | null;
  readonly surfaceSources: Record<string, string>;
  readonly besiegedKm: number;
  /** The grid cell of each place (-1: not on the land, nor within two cells of it). */
  readonly placeCell: Int32Array;
  private readonly lattice: Lattice | null;
  private buffers: PartitionBuffers | null = null;
  private readonly cellCache = new Map<string, CellStates>();
  private readonly seedsOf: Seed[][];
  private readonly observationCount: number;
  private readonly zoneCellCache = new WeakMap<Zone, Int32Array>();
  private readonly analyst: AnalystArea[];
  private readonly placeIndex: Map<string, number>;
  /** Per actor (timeline index): membership intervals [from, to, blocIndex]. */
  private readonly memberships: [number, number, number][][] = [];
  /** Per place (index): its change days and holders (timeline actor indexes), for tight loops. */
  private readonly placeDays: Int32Array[];
  private readonly placeActors: Int32Array[];

  constructor(input: ControlInput) {
    this.radiusKm = input.radiusKm ?? 30;
    this.method = input.method ?? 'cost-distance';
    this.besiegedKm = input.besiegedKm ?? 4;
    this.surface = input.surface ?? (this.method === 'cost-distance' ? buildSurface({ land: input.land }, buildLandGrid(input.land, input.resolution ?? 6)) : null);
    this.surfaceSources = input.surfaceSources ?? (input.surface ? {} : { roads: 'none', water: 'none', crossings: 'none' });
    this.grid = this.surface?.grid ?? buildLandGrid(input.land, input.resolution ?? 6);
    this.lattice = this.surface ? latticeOf(this.surface) : null;
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
    const g = this.grid;
    this.placeCell = Int32Array.from(input.places, (p) => landCellNear(g, p.lon, p.lat));
    this.observationCount = input.observations.filter((o) => !o.retracted).length;
    this.seedsOf = input.places.map((p, i) => this.seedsFor(i, p.lon, p.lat));
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

  /** The nearest place within the radius, for events and the "nearest" method (built when first asked). */
  get locator(): PlaceLocator {
    return (this.placeLocator ??= buildPlaceLocator(
      this.places.map((p) => p.lon),
      this.places.map((p) => p.lat),
      this.radiusKm,
    ));
  }

  /** The place each cell is nearest to, within the radius, or -1 (whatever the date; built when first asked). */
  get cellPlace(): Int32Array {
    if (!this.nearestCells) {
      const g = this.grid, loc = this.locator;
      this.nearestCells = new Int32Array(g.cells.length);
      for (let i = 0; i < g.cells.length; i++) this.nearestCells[i] = loc.nearest(g.lon[i]!, g.lat[i]!);
    }
    return this.nearestCells;
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
    // Seen holding places before its first membership begins (HTS, formed on 28 January 2017, is what the
    // maps of 1 January call its fighters): the bloc it joins, not "unaffiliated" — which made it gain
    // every such place on the day its membership began. After a membership ends it stays in none.
    let first: [number, number, number] | undefined;
    for (const x of m) if (!first || x[0] < first[0]) first = x;
    if (first && day < first[0]) return first[2];
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
    const stats = this.blocIds.map((bloc, i): BlocStat => ({ bloc, name: this.blocNames[i]!, places: 0, population: 0, areaKm2: 0, contestedKm2: 0, besiegedKm2: 0 }));
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
    const { cellBloc, cellStatus, cellPlace } = this.cellStates(day, placeBloc, placeStatus);
    let unassigned = 0;
    for (let c = 0; c < g.cells.length; c++) {
      const b = cellBloc[c]!;
      if (b < 0) unassigned += g.areaKm2[c]!;
      else {
        stats[b]!.areaKm2 += g.areaKm2[c]!;
        if (cellStatus[c] === 1) stats[b]!.contestedKm2 += g.areaKm2[c]!;
        else if (cellStatus[c] === 2) stats[b]!.besiegedKm2 += g.areaKm2[c]!;
      }
    }
    void nb;
    return { date, day, cellBloc, cellStatus, placeBloc, placeStatus, blocs: stats, unassignedKm2: unassigned, landKm2: g.landAreaKm2, cellPlace };
  }

  /**
   * Every cell's holder, status and place for the places' holders of a day, then analysts' polygons on
   * top. Worked out once per distinct set of holders (and polygons in force) and kept: weeks in which
   * nothing changed hands cost a lookup. The arrays are shared: read them, never write them.
   */
  private cellStates(day: number, placeBloc: Int32Array, placeStatus: Uint8Array): CellStates {
    const inForce = this.analyst.filter((a) => day >= a.from && day <= a.to);
    const polyBlocs = inForce.map((a) => `${a.area.id}=${this.blocIndexOfActor(a.area.actor, day)}`);
    const key = `${placeBloc.join(',')}|${placeStatus.join('')}|${polyBlocs.join(',')}`;
    const hit = this.cellCache.get(key);
    if (hit) {
      this.cellCache.delete(key);
      this.cellCache.set(key, hit); // most recently used last
      return hit;
    }
    const n = this.grid.cells.length;
    const cellBloc = new Int32Array(n).fill(-1);
    const cellStatus = new Uint8Array(n);
    const cellPlace = new Int32Array(n).fill(-1);
    if (this.method === 'nearest') {
      for (let c = 0; c < n; c++) {
        const p = this.cellPlace[c]!;
        if (p >= 0 && placeBloc[p]! >= 0) cellPlace[c] = p;
      }
    } else this.partitionCells(placeBloc, placeStatus, cellPlace);
    for (let c = 0; c < n; c++) {
      const p = cellPlace[c]!;
      if (p >= 0) {
        cellBloc[c] = placeBloc[p]!;
        cellStatus[c] = placeStatus[p]!;
      }
    }
    // Analysts' polygons take precedence where they lie (by cell centre).
    for (const a of inForce) {
      const b = this.blocIndexOfActor(a.area.actor, day);
      const st = STATUS_CODES.indexOf(a.area.status);
      for (const c of a.cells) {
        cellBloc[c] = b;
        cellStatus[c] = st;
      }
    }
    const out = { cellBloc, cellStatus, cellPlace };
    this.cellCache.set(key, out);
    if (this.cellCache.size > 64) this.cellCache.delete(this.cellCache.keys().next().value!);
    return out;
  }

  /** How the areas were drawn: the method, its parameters and its inputs (part of the JSON contract). */
  methodReport(): ControlMethod {
    const g = this.grid;
    const inputs = {
      places: this.places.length,
      placesOnLand: this.placeCell.reduce((n, c) => n + (c >= 0 ? 1 : 0), 0),
      observations: this.observationCount,
      controlAreas: this.analyst.length,
      ...this.surfaceSources,
    };
    if (this.method === 'nearest' || !this.surface) {
      return {
        name: 'nearest',
        parameters: { resolution: g.resolution, cells: g.cells.length, radiusKm: this.radiusKm },
        inputs,
        rules: { areas: 'each cell takes the holder of the nearest place in a straight line within radiusKm; farther cells are unheld' },
      };
    }
    const p = this.surface.params;
    return {
      name: 'cost-distance',
      parameters: { resolution: g.resolution, cells: g.cells.length, offroadKmh: p.offroadKmh, crossingRadiusKm: p.crossingRadiusKm, steps: p.steps, besiegedKm: this.besiegedKm, bridgesWhereRoadsCross: p.bridgesWhereRoadsCross },
      surface: { ...this.surface.counts },
      inputs,
      rules: {
        areas: 'each cell goes to the held or contested place that reaches it first over the movement surface (multi-source Dijkstra); ties to the place listed first',
        surface: 'open country at offroadKmh, cells crossed by a road at its speed; a step over a river or out of a lake only within crossingRadiusKm of a crossing',
        contested: "a contested place's land is contested between its holder and the hostile blocs whose land touches it",
        besieged: "a besieged place holds its cell and the cells within besiegedKm of it over allowed steps (not other places' cells); the land round the pocket goes to whoever reaches it first",
        unheld: 'only cells no held place can reach across the barriers, and all land before the first observation',
        analystPolygons: "analysts' polygons in force take precedence, by cell centre",
        events: 'events are attributed to the nearest place within radiusKm (not to the partition)',
      },
    };
  }

  private placeSeeds(i: number): Seed[] {
    return this.seedsOf[i]!;
  }

  /**
   * A place's seeds: its cell and the cells one allowed step from it, each with the time from the place's
   * own position to the cell's centre (the straight line, at the mean pace of the two cells), so that a
   * place off its cell's centre does not lend its land that offset.
   */
  private seedsFor(i: number, lon: number, lat: number): Seed[] {
    const c = this.placeCell[i]!;
    const s = this.surface;
    if (c < 0 || !s) return [];
    const g = s.grid;
    const pace = (x: number): number => 1 / s.speedKmh[x]!;
    const own = haversineKm(lon, lat, g.lon[c]!, g.lat[c]!) * pace(c);
    const out: Seed[] = [{ cell: c, label: i, hours: own }];
    const S = s.params.steps;
    for (let k = c * S; k < c * S + S; k++) {
      const v = s.stepTarget[k]!;
      if (v < 0 || s.stepHours[k] === Infinity) continue;
      out.push({ cell: v, label: i, hours: haversineKm(lon, lat, g.lon[v]!, g.lat[v]!) * (0.5 * pace(c) + 0.5 * pace(v)) });
    }
    return out;
  }

  /**
   * The cost-distance partition (docs/control.md): every held or contested place seeds its cell; each
   * cell goes to the place that reaches it first over the surface. A besieged place holds only a pocket:
   * the cells within `besiegedKm` of it over allowed steps (its own cell always), except cells of other
   * places; pockets meeting split by distance, then place order. Cells no place reaches stay -1 (unheld).
   */
  private partitionCells(placeBloc: Int32Array, placeStatus: Uint8Array, cellPlace: Int32Array): void {
    const lat = this.lattice!;
    const besieged = STATUS_CODES.indexOf('besieged');
    const seeds: Seed[] = [];
    const pockets: number[] = [];
    for (let i = 0; i < this.places.length; i++) {
      const cell = this.placeCell[i]!;
      if (placeBloc[i]! < 0 || cell < 0) continue;
      if (placeStatus[i] === besieged) pockets.push(i);
      else seeds.push(...this.placeSeeds(i));
    }
    this.buffers ??= partitionBuffers(lat.cellCount, lat.steps);
    const r = partition(lat, seeds, Infinity, this.buffers);
    cellPlace.set(r.label);
    if (!pockets.length) return;
    // Pockets: every besieged place at once, by distance over allowed steps (km, whatever the terrain): a
    // small Dijkstra over the few cells within besiegedKm, distances kept in a map.
    const seeded = new Uint8Array(lat.cellCount);
    for (const s of seeds) if (!s.hours || s.cell === this.placeCell[s.label]) seeded[s.cell] = 1;
    const g = this.grid;
    const best = new Map<number, { km: number; place: number; rank: number }>();
    const heap: { c: number; km: number; place: number; rank: number }[] = [];
    const offer = (c: number, km: number, place: number, rank: number): void => {
      if (km > this.besiegedKm) return;
      const b = best.get(c);
      if (b && (b.km < km || (b.km === km && b.rank <= rank))) return;
      best.set(c, { km, place, rank });
      heap.push({ c, km, place, rank });
    };
    pockets.forEach((i, rank) => {
      const c = this.placeCell[i]!, p = this.places[i]!;
      offer(c, 0, i, rank);
      for (let k = c * lat.steps; k < (c + 1) * lat.steps; k++) {
        const v = lat.stepTarget[k]!;
        if (v >= 0 && lat.stepHours[k]! < Infinity) offer(v, haversineKm(p.lon, p.lat, g.lon[v]!, g.lat[v]!), i, rank);
      }
    });
    const done = new Set<number>();
    while (heap.length) {
      let m = 0;
      for (let j = 1; j < heap.length; j++) if (heap[j]!.km < heap[m]!.km || (heap[j]!.km === heap[m]!.km && heap[j]!.rank < heap[m]!.rank)) m = j;
      const { c, km, place, rank } = heap[m]!;
      heap[m] = heap[heap.length - 1]!;
      heap.pop();
      const b = best.get(c)!;
      if (done.has(c) || b.km !== km || b.rank !== rank) continue;
      done.add(c);
      if (!seeded[c]) cellPlace[c] = place;
      for (let k = c * lat.steps; k < (c + 1) * lat.steps; k++) {
        const v = lat.stepTarget[k]!;
        if (v < 0 || done.has(v) || lat.stepHours[k] === Infinity) continue;
        const nk = km + haversineKm(g.lon[c]!, g.lat[c]!, g.lon[v]!, g.lat[v]!);
        if (nk <= this.besiegedKm) offer(v, nk, place, rank);
      }
    }
  }

  /** The cells whose centre lies in a zone, worked out once per zone. */
  private zoneCells(z: Zone): Int32Array {
    let cells = this.zoneCellCache.get(z);
    if (!cells) {
      const g = this.grid;
      const coords = (z.geometry.type === 'Polygon' ? [z.geometry.coordinates] : z.geometry.coordinates) as MultiPolygonCoords;
      const bb = bboxOfMultiPolygon(coords);
      const out: number[] = [];
      for (let c = 0; c < g.cells.length; c++) {
        const x = g.lon[c]!, y = g.lat[c]!;
        if (x >= bb[0] && x <= bb[2] && y >= bb[1] && y <= bb[3] && pointInMultiPolygon(x, y, coords)) out.push(c);
      }
      this.zoneCellCache.set(z, (cells = Int32Array.from(out)));
    }
    return cells;
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

  /** Places, population and area (km² and % of the land) of each bloc at every step from `from` to `to`. */
  series(from: IsoDate, to: IsoDate, stepDays: number): SeriesRow[] {
    const rows: SeriesRow[] = [];
    for (let d = dayNumber(from); d <= dayNumber(to); d += stepDays) {
      const s = this.stateAt(fromDayNumber(d));
      const pct = (km2: number): number => (s.landKm2 > 0 ? Math.round((10000 * km2) / s.landKm2) / 100 : 0);
      for (const b of s.blocs) if (b.places || b.areaKm2) rows.push({ date: s.date, bloc: b.bloc, places: b.places, population: b.population, areaKm2: b.areaKm2, sharePct: pct(b.areaKm2), contestedKm2: b.contestedKm2 });
      rows.push({ date: s.date, bloc: 'unassigned', places: 0, population: 0, areaKm2: s.unassignedKm2, sharePct: pct(s.unassignedKm2), contestedKm2: 0 });
    }
    return rows;
  }

  /**
   * Contested land by who contests it: each connected patch of contested cells of one holder, with the
   * blocs hostile to that holder whose land touches the patch (none found: the holder alone).
   */
  contestedBetween(state: ControlState): { between: string[]; areaKm2: number }[] {
    const g = this.grid;
    const contested = STATUS_CODES.indexOf('contested');
    const seen = new Uint8Array(g.cells.length);
    const out = new Map<string, { between: string[]; areaKm2: number }>();
    for (let c0 = 0; c0 < g.cells.length; c0++) {
      if (seen[c0] || state.cellStatus[c0] !== contested || state.cellBloc[c0]! < 0) continue;
      const holder = state.cellBloc[c0]!;
      const others = new Set<number>();
      let km2 = 0;
      const stack = [c0];
      seen[c0] = 1;
      while (stack.length) {
        const c = stack.pop()!;
        km2 += g.areaKm2[c]!;
        for (let k = 0; k < 6; k++) {
          const v = g.neighbors[c * 6 + k]!;
          if (v < 0) continue;
          const b = state.cellBloc[v]!;
          if (b === holder && state.cellStatus[v] === contested) {
            if (!seen[v]) {
              seen[v] = 1;
              stack.push(v);
            }
          } else if (b >= 0 && b !== holder && this.relation(holder, b, state.date) === 'hostile') others.add(b);
        }
      }
      const between = [holder, ...[...others].sort((a, b) => a - b)].map((b) => this.blocIds[b]!);
      const key = between.join('|');
      const e = out.get(key);
      if (e) e.areaKm2 += km2;
      else out.set(key, { between, areaKm2: km2 });
    }
    return [...out.values()];
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
        const blocsKm2: Record<string, number> = {};
        let area = 0;
        for (const c of this.zoneCells(z)) {
          area += g.areaKm2[c]!;
          const b = state.cellBloc[c]!;
          const k = b >= 0 ? this.blocIds[b]! : 'unassigned';
          blocsKm2[k] = (blocsKm2[k] ?? 0) + g.areaKm2[c]!;
        }
        return { id: z.id, name: z.name, kind: z.kind, areaKm2: area, blocsKm2 };
      });
  }
}

export interface ControlMethod {
  name: AreaMethod;
  parameters: Record<string, number | boolean>;
  surface?: Record<string, number>;
  inputs: Record<string, number | string>;
  rules: Record<string, string>;
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
  /** Share of the land, %. */
  sharePct: number;
  contestedKm2: number;
}

/**
 * The land cell a place is in; a place just off the land (a border crossing on the line, a town the
 * boundary's simplification leaves outside) takes the nearest land cell within two rings; else -1.
 */
export function landCellNear(g: LandGrid, lon: number, lat: number): number {
  const h = h3.latLngToCell(lat, lon, g.resolution);
  const own = g.indexOf.get(h);
  if (own !== undefined) return own;
  let best = -1, bestKm = Infinity;
  for (const x of h3.gridDisk(h, 2)) {
    const i = g.indexOf.get(x);
    if (i === undefined) continue;
    const km = haversineKm(lon, lat, g.lon[i]!, g.lat[i]!);
    if (km < bestKm) {
      bestKm = km;
      best = i;
    }
  }
  return best;
}

/** Join two-point segments that share end points into lines. */
export function joinSegments(segments: readonly [Position, Position][]): Position[][] {
  const k = (p: Position): string => `${p[0]!.toFixed(7)},${p[1]!.toFixed(7)}`;
  return joinByEnds(segments.map(([p, q]) => ({ from: k(p), to: k(q), p, q })));
}
