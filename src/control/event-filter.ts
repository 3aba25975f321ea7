/**
 * Event filters that need the control engine: who held the event's location on its date, whether it is
 * inside a zone, whether its location changed hands around its date (docs/control.md).
 */
import { dayNumber } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { resolveBloc } from '../core/lookup.js';
import { closeMatches } from '../core/fuzzy.js';
import { foldName } from '../core/names.js';
import type { ConflictEvent } from '../core/schemas.js';
import { bboxOfMultiPolygon, pointInMultiPolygon, type BBox4, type MultiPolygonCoords } from '../geo/measure.js';
import type { ControlModel } from './model.js';

export interface ControlEventFilter {
  /** A bloc id: the bloc held the location on the event's date. */
  heldBy?: string;
  /** A zone id: the event lies inside the zone. */
  zone?: string;
  /** The location changed bloc within this many days before or after the event. */
  changedWithinDays?: number;
}

export interface CompiledFilter {
  test: (e: ConflictEvent) => boolean;
  /** A box every matching event lies in (the zone's), to narrow the store query first. */
  bbox: BBox4 | null;
}

export function compileControlFilter(model: ControlModel, f: ControlEventFilter): CompiledFilter {
  const tests: ((e: ConflictEvent, day: number, place: number) => boolean)[] = [];
  let bbox: BBox4 | null = null;
  if (f.heldBy !== undefined) {
    // By id or name, any case; an unknown bloc is an error naming the close ones.
    const b = model.blocIds.indexOf(resolveBloc(model.blocs, f.heldBy, 'heldBy'));
    tests.push((e, day, place) => model.attribute(e.lon, e.lat, day, place) === b);
  }
  if (f.zone !== undefined) {
    // By id or name, any case and spelling; an unknown zone names the close ones.
    const want = foldName(f.zone);
    const z = model.zones.find((x) => x.id === f.zone) ?? model.zones.find((x) => x.id.toLowerCase() === f.zone!.toLowerCase() || foldName(x.name) === want);
    if (!z) {
      const close = closeMatches(f.zone, model.zones.flatMap((x) => [x.id, x.name]));
      throw new UsageError(`no zone "${f.zone}"${close.length ? `; did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : ''} (zones: ${model.zones.map((x) => x.id).join(', ') || 'none'})`);
    }
    const coords = (z.geometry.type === 'Polygon' ? [z.geometry.coordinates] : z.geometry.coordinates) as MultiPolygonCoords;
    bbox = bboxOfMultiPolygon(coords);
    tests.push((e) => pointInMultiPolygon(e.lon, e.lat, coords));
  }
  if (f.changedWithinDays !== undefined) {
    const n = f.changedWithinDays;
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--changed-within ${n}: use a whole number of days`);
    tests.push((e, day, place) => {
      const now = model.attribute(e.lon, e.lat, day, place);
      return model.attribute(e.lon, e.lat, day - n, place) !== now || model.attribute(e.lon, e.lat, day + n, place) !== now;
    });
  }
  return {
    bbox,
    test: (e) => {
      const day = dayNumber(e.date);
      const place = e.place ? model.placeIndexOf(e.place) : -1;
      return tests.every((t) => t(e, day, place));
    },
  };
}
