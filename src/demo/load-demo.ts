/**
 * The bundled Syria 2017 demo (data/demo/): loaded through the same importers a user's files go through,
 * so the demo is also a standing test of them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ActorSchema, BlocSchema, CouncilSchema, ObjectiveSchema, RelationSchema, ScenarioSchema, StabilizationAreaSchema, type Scenario } from '../core/schemas.js';
import { importFile, type ImportSummary } from '../io/index.js';
import type { Store } from '../store/store.js';
import { importRoads } from '../routing/roads-store.js';

export const DEMO_DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));
export const DEMO_META_KEY = 'demo.loaded';

function readJson<T>(name: string, schema: z.ZodType<T>): T {
  const path = `${DEMO_DIR}${name}`;
  const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface DemoLoadResult {
  scenario: Scenario;
  imports: ImportSummary[];
}

export interface DemoLoadOptions {
  /** Where to keep the demo's road graph (default: none, the roads are not loaded). */
  roadsCache?: string;
}

/** Load the demo into a store (idempotent: loading it twice changes nothing). */
export async function loadDemo(store: Store, by = 'demo', opts: DemoLoadOptions = {}): Promise<DemoLoadResult> {
  const ctx = { by };
  await store.putActors(readJson('actors.json', z.array(ActorSchema)), ctx);
  await store.putBlocs(readJson('blocs.json', z.array(BlocSchema)), ctx);
  await store.setRelations(readJson('relations.json', z.array(RelationSchema)), ctx);
  const imports: ImportSummary[] = [];
  imports.push(await importFile(store, 'places', `${DEMO_DIR}places.csv`, { strict: true, by }));
  imports.push(await importFile(store, 'control', `${DEMO_DIR}control.csv`, { strict: true, by }));
  imports.push(await importFile(store, 'acled', `${DEMO_DIR}events.csv`, { strict: true, by }));
  imports.push(await importFile(store, 'geojson', `${DEMO_DIR}zones.geojson`, { strict: true, by, kind: 'zones' }));
  imports.push(await importFile(store, 'geojson', `${DEMO_DIR}boundary.geojson`, { strict: true, by, kind: 'boundary' }));
  for (const i of imports) {
    if (!i.committed) throw new Error(`the demo's ${i.file} did not import: ${i.rejects.map((r) => `line ${r.line}: ${r.reason}`).join('; ')}`);
  }
  await store.putObjectives(readJson('objectives.json', z.array(ObjectiveSchema)), ctx);
  const stab = readJson('stabilization.json', z.object({ areas: z.array(StabilizationAreaSchema), councils: z.array(CouncilSchema) }));
  await store.putStabilizationAreas(stab.areas, ctx);
  await store.putCouncils(stab.councils, ctx);
  const scenario = readJson('scenario.json', ScenarioSchema);
  await store.putScenarios([scenario], ctx);
  if (opts.roadsCache) await importRoads(store, `${DEMO_DIR}roads.geojson`, opts.roadsCache);
  await store.setMeta(DEMO_META_KEY, scenario.id);
  return { scenario, imports };
}
