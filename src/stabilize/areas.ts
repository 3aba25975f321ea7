/**
 * Stabilization areas on the control model: which places make an area, who holds it on a date (the bloc
 * holding most of its people), since when it has been theirs, and which events happened in it.
 * Pure: the caller passes the model, the places and the events.
 */
import { dayNumber, fromDayNumber, type IsoDate } from '../core/dates.js';
import { foldName } from '../core/names.js';
import type { ConflictEvent, Place, StabilizationArea } from '../core/schemas.js';
import type { ControlModel } from '../control/model.js';
import { haversineKm, pointInMultiPolygon, type MultiPolygonCoords } from '../geo/measure.js';

export interface ResolvedArea {
  area: StabilizationArea;
  /** Indices into the model's places. */
  places: number[];
  /** The place that stands for it (maps, the race): its `centre`, else its most populous place. */
  centre: number | null;
  /** People in its places by the gazetteer (GeoNames), for when no estimate was recorded. */
  gazetteerPopulation: number | null;
  coords: MultiPolygonCoords | null;
}

/** The places of an area: named ones, those of an admin unit (names folded), or those inside its polygon. */
export function resolveArea(area: StabilizationArea, places: readonly Place[]): ResolvedArea {
  const d = area.definition;
  let members: number[];
  let coords: MultiPolygonCoords | null = null;
  if (d.kind === 'places') {
    const idx = new Map(places.map((p, i) => [p.id, i]));
    const missing = d.places.filter((id) => !idx.has(id));
    if (missing.length) throw new RangeError(`area "${area.id}" names places that are not in the store: ${missing.join(', ')}`);
    members = d.places.map((id) => idx.get(id)!);
  } else if (d.kind === 'admin') {
    const a1 = foldName(d.admin1), a2 = d.admin2 ? foldName(d.admin2) : null;
    members = places.flatMap((p, i) => (foldName(p.admin1 ?? '') === a1 && (!a2 || foldName(p.admin2 ?? '') === a2) ? [i] : []));
  } else {
    coords = (d.geometry.type === 'Polygon' ? [d.geometry.coordinates] : d.geometry.coordinates) as MultiPolygonCoords;
    members = places.flatMap((p, i) => (pointInMultiPolygon(p.lon, p.lat, coords!) ? [i] : []));
  }
  const byPop = [...members].sort((a, b) => (places[b]!.population ?? 0) - (places[a]!.population ?? 0));
  const centreIdx = area.centre ? places.findIndex((p) => p.id === area.centre) : -1;
  const known = members.filter((i) => places[i]!.population !== null);
  return {
    area,
    places: members,
    centre: centreIdx >= 0 ? centreIdx : (byPop[0] ?? null),
    gazetteerPopulation: known.length ? known.reduce((s, i) => s + places[i]!.population!, 0) : null,
    coords,
  };
}

export interface Holding {
  /** The bloc holding most of the area's people (places count 1 where population is unknown). */
  bloc: string | null;
  /** The first day of the holder's current unbroken hold, and who held it before. */
  since: IsoDate | null;
  previous: string | null;
  /** The holder of each of its places. */
  places: { place: string; bloc: string | null }[];
}

function majority(model: ControlModel, r: ResolvedArea, day: number): number {
  const weight = new Map<number, number>();
  for (const i of r.places) {
    const b = model.placeBlocAt(i, day);
    if (b < 0) continue;
    weight.set(b, (weight.get(b) ?? 0) + Math.max(1, model.places[i]!.population ?? 0));
  }
  let best = -1, w = -1;
  for (const [b, x] of weight) if (x > w || (x === w && b < best)) [best, w] = [b, x];
  return best;
}

/** Who holds the area on a date and since when (the day the majority holder last changed). */
export function areaHolding(model: ControlModel, r: ResolvedArea, date: IsoDate): Holding {
  const day = dayNumber(date);
  const now = majority(model, r, day);
  // The days any of its places changed hands, latest first: the hold began at the last change of majority.
  const days = new Set<number>();
  for (const i of r.places) for (const d of model.timeline.raw(model.places[i]!.id)?.days ?? []) if (d <= day) days.add(d);
  const sorted = [...days].sort((a, b) => b - a);
  let since: number | null = null;
  let previous: number = -1;
  for (const d of sorted) {
    const before = majority(model, r, d - 1);
    if (before !== now) {
      since = d;
      previous = before;
      break;
    }
  }
  if (since === null && sorted.length && now >= 0) since = sorted[sorted.length - 1]!;
  return {
    bloc: now >= 0 ? model.blocIds[now]! : null,
    since: since === null ? null : fromDayNumber(since),
    previous: previous >= 0 ? model.blocIds[previous]! : null,
    places: r.places.map((i) => {
      const b = model.placeBlocAt(i, day);
      return { place: model.places[i]!.id, bloc: b >= 0 ? model.blocIds[b]! : null };
    }),
  };
}

/** Event types that count as protection incidents: attacks on civilians, explosions, abductions. */
export function isProtectionIncident(e: Pick<ConflictEvent, 'type' | 'subType'>): boolean {
  return e.type === 'Violence against civilians' || e.type === 'Explosions/Remote violence';
}

const NEAR_KM = 10;

/**
 * Whether an event happened in the area: tied to one of its places, inside its polygon, in its admin
 * unit by name, or (untied) within 10 km of one of its places.
 */
export function eventInArea(e: Pick<ConflictEvent, 'place' | 'lon' | 'lat' | 'admin1' | 'admin2'>, r: ResolvedArea, places: readonly Place[]): boolean {
  if (e.place && r.places.some((i) => places[i]!.id === e.place)) return true;
  if (r.coords) return pointInMultiPolygon(e.lon, e.lat, r.coords);
  const d = r.area.definition;
  if (d.kind === 'admin' && e.admin1 && foldName(e.admin1) === foldName(d.admin1) && (!d.admin2 || foldName(e.admin2 ?? '') === foldName(d.admin2))) return true;
  if (e.place) return false;
  return r.places.some((i) => haversineKm(e.lon, e.lat, places[i]!.lon, places[i]!.lat) <= NEAR_KM);
}


/** Who held the area from `from` to `to`: spans of one holder each, in order. */
export function holdingHistory(model: ControlModel, r: ResolvedArea, from: IsoDate, to: IsoDate): { from: IsoDate; to: IsoDate; bloc: string | null }[] {
  const d0 = dayNumber(from), d1 = dayNumber(to);
  const days = new Set<number>([d0]);
  for (const i of r.places) for (const d of model.timeline.raw(model.places[i]!.id)?.days ?? []) if (d > d0 && d <= d1) days.add(d);
  const spans: { from: IsoDate; to: IsoDate; bloc: string | null }[] = [];
  for (const d of [...days].sort((a, b) => a - b)) {
    const b = majority(model, r, d);
    const bloc = b >= 0 ? model.blocIds[b]! : null;
    const last = spans.at(-1);
    if (last && last.bloc === bloc) continue;
    if (last) last.to = fromDayNumber(d);
    spans.push({ from: fromDayNumber(d), to: to, bloc });
  }
  return spans;
}
