/**
 * Whose land each road is in on a date, and what crossing it costs each bloc (the table in
 * docs/routing.md): driving in its own, allied or unclaimed land (slower where contested), its advance
 * rate in hostile or neutral land, deconflicted land closed or at a penalty, zones closed to it closed.
 *
 * Edges are sorted into kinds — whose land, contested or not, the blocs a zone closes it to, and the
 * road class — so that a bloc's costs are one factor per kind times the edge's length (an
 * `EdgeCostTable`): a few hundred numbers per bloc instead of a cost per edge.
 */
import { dayNumber, type IsoDate } from '../core/dates.js';
import type { ControlState } from '../control/model.js';
import { STATUS_CODES } from '../control/timeline.js';
import type { MultiPolygonCoords } from '../geo/measure.js';
import type { RaceContext, RaceParameters } from './race.js';
import { ROAD_CLASSES } from './road-classes.js';
import type { EdgeCostTable } from './search.js';

export interface Territory {
  /** Bloc index whose land it is, -1 unclaimed. */
  bloc: number;
  contested: boolean;
  /** Blocs (ids) a zone in force closes it to. */
  closedTo: readonly string[];
}

export interface EdgeKinds {
  date: IsoDate;
  /** Each edge's kind: its territory's number times ROAD_CLASSES.length, plus its road class. */
  kind: Uint16Array;
  territories: Territory[];
}

const CLASSES = ROAD_CLASSES.length;

/** Zones in force on the date that close roads to some bloc. */
function closingZones(ctx: RaceContext, date: IsoDate): RaceContext['model']['zones'] {
  return ctx.model.zones.filter((z) => z.closedTo.length && !(z.from && z.from > date) && !(z.to && date > z.to));
}

/**
 * All that edgeKinds reads for a date, as a key: two dates with the same key have the same kinds (so a
 * race can keep the last kinds, and each bloc's costs written out from them, while nothing changed).
 */
export function kindsKey(ctx: RaceContext, date: IsoDate, state: ControlState = ctx.model.stateAt(date)): { key: string; overrides: boolean } {
  const { model } = ctx;
  const day = dayNumber(date);
  const areas = model.controlAreasInForce(day).map((a) => `${a.id}:${model.blocIndexOfActor(a.actor, day)}:${a.status}`);
  const zones = closingZones(ctx, date).map((z) => `${z.id}:${z.closedTo.join(',')}`);
  return { key: `${state.placeBloc.join(',')}|${state.placeStatus.join(',')}|${areas.join(';')}|${zones.join(';')}`, overrides: areas.length + zones.length > 0 };
}

/** Each place's territory on the date (see EdgeKinds): (bloc + 1) · 2, plus 1 where contested. */
export function placeTerritories(ctx: RaceContext, date: IsoDate, state: ControlState = ctx.model.stateAt(date)): Int32Array {
  const CONTESTED = STATUS_CODES.indexOf('contested');
  return Int32Array.from(state.placeBloc, (b, i) => (b + 1) * 2 + (b >= 0 && state.placeStatus[i] === CONTESTED ? 1 : 0));
}

/**
 * Kinds mended in place where places changed territory (`was` to `now`), for dates on which no analyst's
 * area or closing zone is in force: only the edges nearest those places change. Returns them.
 */
export function mendKinds(ctx: RaceContext, kind: Uint16Array, was: Int32Array, now: Int32Array): number[] {
  const { offsets, edges } = ctx.placeEdges();
  const { roadClass } = ctx.graph;
  const changed: number[] = [];
  for (let p = 0; p < now.length; p++) {
    if (now[p] === was[p]) continue;
    for (let j = offsets[p]!; j < offsets[p + 1]!; j++) {
      const e = edges[j]!;
      kind[e] = now[p]! * CLASSES + roadClass[e]!;
      changed.push(e);
    }
  }
  return changed;
}

export function edgeKinds(ctx: RaceContext, date: IsoDate, placeTerritory: Int32Array = placeTerritories(ctx, date)): EdgeKinds {
  const { graph: g, model } = ctx;
  const day = dayNumber(date);
  // Territories 0 .. 2·(blocs + 1) − 1: (bloc + 1) · 2 + contested, unclaimed land first.
  const territories: Territory[] = [];
  for (let b = -1; b < model.blocIds.length; b++) for (const contested of [false, true]) territories.push({ bloc: b, contested, closedTo: [] });
  // Kinds are 16-bit: a territory number times the road classes must stay below 65,536.
  const maxTerritories = Math.floor(65536 / CLASSES);
  if (territories.length > maxTerritories) throw new RangeError(`${model.blocIds.length} blocs: the race handles at most ${Math.floor(maxTerritories / 2) - 1}`);
  const territoryOf = (bloc: number, contested: boolean): number => (bloc + 1) * 2 + (contested ? 1 : 0);
  const kind = new Uint16Array(g.edgeCount);
  const { edgePlace } = ctx;
  const { roadClass } = g;
  for (let e = 0; e < kind.length; e++) {
    const p = edgePlace[e]!;
    kind[e] = (p < 0 ? 0 : placeTerritory[p]!) * CLASSES + roadClass[e]!;
  }
  // Analysts' polygons of control override the nearest place.
  for (const a of model.controlAreasInForce(day)) {
    const t = territoryOf(model.blocIndexOfActor(a.actor, day), a.status === 'contested');
    for (const e of ctx.edgesIn('area', a.id, a.coords)) kind[e] = t * CLASSES + roadClass[e]!;
  }
  // Zones closed to some blocs: the edges inside take a territory that also names those blocs.
  const interned = new Map<string, number>();
  for (const z of closingZones(ctx, date)) {
    const coords = (z.geometry.type === 'Polygon' ? [z.geometry.coordinates] : z.geometry.coordinates) as MultiPolygonCoords;
    // The territory each territory becomes inside this zone, worked out once per zone and territory.
    const inside = new Map<number, number>();
    const closedIn = (t: number): number => {
      const was = territories[t]!;
      const closedTo = [...new Set([...was.closedTo, ...z.closedTo])].sort();
      const key = `${was.bloc}|${was.contested}|${closedTo.join('|')}`;
      let u = interned.get(key);
      if (u === undefined) {
        u = territories.length;
        if (u >= maxTerritories) throw new RangeError(`too many overlapping closed zones: more than ${maxTerritories} distinct combinations of land and closures`);
        territories.push({ bloc: was.bloc, contested: was.contested, closedTo });
        interned.set(key, u);
      }
      return u;
    };
    for (const e of ctx.edgesIn('zone', z.id, coords)) {
      const t = Math.floor(kind[e]! / CLASSES);
      let u = inside.get(t);
      if (u === undefined) inside.set(t, (u = closedIn(t)));
      kind[e] = u * CLASSES + roadClass[e]!;
    }
  }
  return { date, kind, territories };
}

/** The territory edge e lies in. */
export function territoryOfEdge(kinds: EdgeKinds, e: number): Territory {
  return kinds.territories[Math.floor(kinds.kind[e]! / CLASSES)]!;
}

/** Whose land each edge is in (bloc index, -1 unclaimed) and whether contested. */
export function edgeTerritory(ctx: RaceContext, date: IsoDate): { edgeBloc: Int32Array; edgeContested: Uint8Array } {
  const kinds = edgeKinds(ctx, date);
  const edgeBloc = new Int32Array(kinds.kind.length);
  const edgeContested = new Uint8Array(kinds.kind.length);
  for (let e = 0; e < edgeBloc.length; e++) {
    const t = territoryOfEdge(kinds, e);
    edgeBloc[e] = t.bloc;
    edgeContested[e] = t.contested ? 1 : 0;
  }
  return { edgeBloc, edgeContested };
}

/** A bloc's relation to every bloc (by index) on the date; to itself "allied". */
export function relationsOf(ctx: RaceContext, bloc: string, date: IsoDate): string[] {
  const b = ctx.model.blocIds.indexOf(bloc);
  if (b < 0) throw new RangeError(`no bloc "${bloc}" (blocs: ${ctx.model.blocIds.join(', ')})`);
  return ctx.model.blocIds.map((_, t) => (t === b ? 'allied' : ctx.model.relation(b, t, date)));
}

/**
 * What each kind of edge costs a bloc, in days per metre (and fixed days): `rel[t]` is its relation to bloc
 * t. Driving: the road class's speed (slower by the contested factor); advancing: 1 / its rate; a
 * deconflicted edge: closed, or driven plus the penalty; an edge in a zone closed to it, or a road class
 * at speed 0: closed.
 */
export function blocCostTable(ctx: RaceContext, kinds: EdgeKinds, bloc: string, rel: readonly string[], params: RaceParameters): EdgeCostTable {
  const rate = params.advanceKmPerDay[bloc] ?? params.defaultAdvanceKmPerDay;
  const n = kinds.territories.length * CLASSES;
  const perA = new Float64Array(n), fixed = new Float64Array(n);
  // Factors are days per metre: the table multiplies the graph's own lengths.
  kinds.territories.forEach((t, i) => {
    const r = t.bloc < 0 ? 'allied' : rel[t.bloc];
    for (let c = 0; c < CLASSES; c++) {
      const k = i * CLASSES + c;
      const metresPerDay = params.speedsKmh[ROAD_CLASSES[c]!] * 24 * 1000;
      const closed = t.closedTo.includes(bloc) || (r === 'deconflicted' && params.deconflictedPenaltyDays === null);
      if (closed || (r !== 'allied' && r !== 'deconflicted' ? !(rate > 0) : !(metresPerDay > 0))) {
        fixed[k] = Infinity;
      } else if (r === 'allied') {
        perA[k] = (t.contested ? params.contestedFactor : 1) / metresPerDay;
      } else if (r === 'deconflicted') {
        perA[k] = 1 / metresPerDay;
        fixed[k] = params.deconflictedPenaltyDays!;
      } else {
        perA[k] = 1 / (rate * 1000);
      }
    }
  });
  const [aMin, aMax] = ctx.lengthRangeM();
  return { kind: kinds.kind, a: ctx.graph.lengthM, perA, fixed, aMin, aMax };
}

/** A bloc's costs on a date as a table (its territory worked out for the date). */
export function blocCosts(ctx: RaceContext, date: IsoDate, bloc: string, params: RaceParameters, kinds: EdgeKinds = edgeKinds(ctx, date)): EdgeCostTable {
  return blocCostTable(ctx, kinds, bloc, relationsOf(ctx, bloc, date), params);
}
