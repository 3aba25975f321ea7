/**
 * Builds the control engine from a store: the land boundary, places, observations, blocs, relations,
 * zones, analysts' polygons and (optionally) a scenario's overrides.
 */
import { UsageError } from '../core/errors.js';
import { existsSync, readFileSync } from 'node:fs';
import { ScenarioSchema, type Scenario } from '../core/schemas.js';
import type { MultiPolygonCoords } from '../geo/measure.js';
import type { Store } from '../store/store.js';
import { ControlModel, type AreaMethod } from './model.js';
import { loadSurface } from './surface-inputs.js';

/**
 * A mark in the store's meta that changes with every write the control model reads (places, control
 * observations, zones, control areas): servers sharing one database reload their model when it moves.
 */
export const CONTROL_GENERATION_KEY = 'control.generation';

export async function markControlChanged(store: Store): Promise<void> {
  await store.setMeta(CONTROL_GENERATION_KEY, `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`);
}

export interface LoadControlOptions {
  /**
   * A scenario whose overrides apply: its id in the store, a path to a scenario JSON file, or the scenario
   * itself. Control overrides change who holds places; relation overrides change how blocs treat each
   * other from the scenario's base date (the race reads advance-rate and position overrides itself).
   */
  scenario?: string | Scenario;
  /** A boundary id, when the store has several. */
  boundary?: string;
  resolution?: number;
  radiusKm?: number;
  /** "cost-distance" (default, on the movement surface at resolution 7) or "nearest" (within the radius, resolution 6). */
  method?: AreaMethod;
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
  const scenario = typeof opts.scenario === 'object' ? opts.scenario : opts.scenario ? findScenario(opts.scenario, scenarios) : undefined;
  // Relation overrides come first, so that relationOn finds them before the recorded relations.
  const overriddenRelations = scenario
    ? [
        ...scenario.overrides.flatMap((o) => (o.kind === 'relation' ? [{ a: o.a, b: o.b, kind: o.relation, from: scenario.baseDate }] : [])),
        ...relations,
      ]
    : relations;
  const method = opts.method ?? 'cost-distance';
  const surface = method === 'cost-distance' ? await loadSurface(store, boundary.id, land, opts.resolution ?? 7) : null;
  return new ControlModel({
    land,
    places,
    observations,
    blocs,
    relations: overriddenRelations,
    zones,
    controlAreas,
    ...(scenario ? { overrides: scenario.overrides, overrideFrom: scenario.baseDate } : {}),
    ...(opts.resolution !== undefined ? { resolution: opts.resolution } : {}),
    ...(opts.radiusKm !== undefined ? { radiusKm: opts.radiusKm } : {}),
    ...(surface ? { surface: surface.surface, surfaceSources: surface.sources } : { method }),
  });
}

/** A scenario by id in the store, or from a JSON file (validated). */
export function findScenario(ref: string, stored: readonly Scenario[]): Scenario {
  const byId = stored.find((s) => s.id === ref);
  if (byId) return byId;
  if (existsSync(ref)) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(ref, 'utf8'));
    } catch (err) {
      throw new UsageError(`scenario file ${ref}: not readable JSON (${(err as Error).message})`);
    }
    const parsed = ScenarioSchema.safeParse(doc);
    if (!parsed.success) throw new UsageError(`scenario file ${ref}: ${parsed.error.issues.slice(0, 5).map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`);
    return parsed.data;
  }
  throw new UsageError(`no scenario "${ref}": neither a scenario in the store (${stored.map((s) => s.id).join(', ') || 'none'}) nor a file`);
}
