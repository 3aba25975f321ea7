/**
 * Builds the control engine from a store: the land boundary, places, observations, blocs, relations,
 * zones, analysts' polygons and (optionally) a scenario's overrides.
 */
import { UsageError } from '../core/errors.js';
import type { MultiPolygonCoords } from '../geo/measure.js';
import type { Store } from '../store/store.js';
import { ControlModel } from './model.js';

export interface LoadControlOptions {
  /** A scenario id whose control overrides apply. */
  scenario?: string;
  /** A boundary id, when the store has several. */
  boundary?: string;
  resolution?: number;
  radiusKm?: number;
}

export async function loadControlModel(store: Store, opts: LoadControlOptions = {}): Promise<ControlModel> {
  const boundaries = await store.listBoundaries();
  const boundary = opts.boundary ? boundaries.find((b) => b.id === opts.boundary) : boundaries[0];
  if (!boundary) {
    throw new UsageError(
      opts.boundary
        ? `no boundary "${opts.boundary}" in the store (it has: ${boundaries.map((b) => b.id).join(', ') || 'none'})`
        : 'the store has no land boundary to draw areas on: import one with `frontline import geojson FILE --kind boundary` (or load the demo)',
    );
  }
  const land = (boundary.geometry.type === 'Polygon' ? [boundary.geometry.coordinates] : boundary.geometry.coordinates) as MultiPolygonCoords;
  const [places, observations, blocs, relations, zones, controlAreas, scenarios] = await Promise.all([
    store.listPlaces(),
    store.listControlObservations(),
    store.listBlocs(),
    store.listRelations(),
    store.listZones(),
    store.listControlAreas(),
    store.listScenarios(),
  ]);
  const scenario = opts.scenario ? scenarios.find((s) => s.id === opts.scenario) : undefined;
  if (opts.scenario && !scenario) throw new UsageError(`no scenario "${opts.scenario}" (the store has: ${scenarios.map((s) => s.id).join(', ') || 'none'})`);
  return new ControlModel({
    land,
    places,
    observations,
    blocs,
    relations,
    zones,
    controlAreas,
    ...(scenario ? { overrides: scenario.overrides, overrideFrom: scenario.baseDate } : {}),
    ...(opts.resolution !== undefined ? { resolution: opts.resolution } : {}),
    ...(opts.radiusKm !== undefined ? { radiusKm: opts.radiusKm } : {}),
  });
}
