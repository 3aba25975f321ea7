/**
 * Freedonia: an invented square country, 0–1°E by 0–1°N, with five towns and three blocs. Every number
 * the tests expect is worked out here.
 *
 * Land area (Turf's formula, R = 6,378,137 m): R² · Δλ · (sin 1° − sin 0°)
 *   = 4.0680631e13 m² · 0.01745329 · 0.01745241 = 1.239130e10 m² ≈ 12,391.3 km².
 *
 * Towns (lon, lat, population):
 *   Alpha (0.2, 0.2) 10,000   Bravo (0.8, 0.2) 20,000
 *   Charlie (0.2, 0.8) 5,000  Delta (0.8, 0.8) 40,000
 *   Echo (0.5, 0.5) 1,000
 * Nearest-town regions (Voronoi): Echo's is the diamond |x − 0.5| + |y − 0.5| ≤ 0.3 (the bisector of
 * Echo and Alpha is x + y = 0.7, of Echo and Bravo x − y = 0.3, and so on), area 2 · 0.3² = 0.18 deg²,
 * ≈ 0.18 · 12,391 ≈ 2,230 km². Each corner town has (1 − 0.18) / 4 = 0.205 deg² ≈ 2,540 km².
 * The grid is H3 resolution 6 (cells of ~36 km², edges ~3.7 km), so a region's area is right to about a
 * cell width along its border: we allow 4%.
 *
 * Blocs: red (red-army), blue (blue-army; blue-militia joins on 2020-01-10), green (green-front).
 * Relations: red–blue hostile throughout; red–green hostile from 2020-01-01; blue–green allied.
 */
import type { Bloc, ControlObservation, Place, Relation } from '../../src/core/schemas.js';
import type { MultiPolygonCoords } from '../../src/geo/measure.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { observation, place } from '../store/contract.js';

export const LAND: MultiPolygonCoords = [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]];
export const LAND_KM2 = 12391.3;
export const DEG2_KM2 = LAND_KM2; // one square degree at the equator, the same number

export const PLACES: Place[] = [
  place('alpha', 0.2, 0.2, { name: 'Alpha', population: 10000, country: 'FR' }),
  place('bravo', 0.8, 0.2, { name: 'Bravo', population: 20000, country: 'FR' }),
  place('charlie', 0.2, 0.8, { name: 'Charlie', population: 5000, country: 'FR' }),
  place('delta', 0.8, 0.8, { name: 'Delta', population: 40000, country: 'FR' }),
  place('echo', 0.5, 0.5, { name: 'Echo', population: 1000, country: 'FR' }),
];

export const BLOCS: Bloc[] = [
  { id: 'red', name: 'Red', members: [{ actor: 'red-army' }] },
  { id: 'blue', name: 'Blue', members: [{ actor: 'blue-army' }, { actor: 'blue-militia', from: '2020-01-10' }] },
  { id: 'green', name: 'Green', members: [{ actor: 'green-front' }] },
];

export const RELATIONS: Relation[] = [
  { a: 'red', b: 'blue', kind: 'hostile' },
  { a: 'red', b: 'green', kind: 'hostile', from: '2020-01-01' },
  { a: 'blue', b: 'green', kind: 'allied' },
];

/**
 * The timeline:
 *   2020-01-01  Alpha red, Bravo blue, Charlie red, Delta blue, Echo green.
 *   2020-01-15  Delta: source S1 (confidence 0.9) says blue holds it; S2 (0.6) says red contests it.
 *               Rule: higher confidence wins -> blue; the disagreement is reported.
 *   2020-02-01  Echo taken by red.
 *   2020-02-15  Bravo handed to blue-militia (still the blue bloc).
 *   2020-02-20  Alpha to blue: RETRACTED (a misreport) -> ignored.
 *   2020-03-01  Charlie contested, red still holding.
 */
export const OBSERVATIONS: ControlObservation[] = [
  observation('o1', 'alpha', 'red-army', '2020-01-01'),
  observation('o2', 'bravo', 'blue-army', '2020-01-01'),
  observation('o3', 'charlie', 'red-army', '2020-01-01'),
  observation('o4', 'delta', 'blue-army', '2020-01-01'),
  observation('o5', 'echo', 'green-front', '2020-01-01'),
  observation('o6', 'delta', 'blue-army', '2020-01-15', { confidence: 0.9, source: { name: 'S1' } }),
  observation('o7', 'delta', 'red-army', '2020-01-15', { confidence: 0.6, status: 'contested', source: { name: 'S2' } }),
  observation('o8', 'echo', 'red-army', '2020-02-01'),
  observation('o9', 'bravo', 'blue-militia', '2020-02-15'),
  observation('o10', 'alpha', 'blue-army', '2020-02-20', { retracted: { reason: 'misreport', by: 'analyst', at: '2020-02-21T00:00:00Z' } }),
  observation('o11', 'charlie', 'red-army', '2020-03-01', { status: 'contested' }),
];

/** A store holding Freedonia: its actors, blocs, relations, towns, control timeline and land. */
export async function openFreedoniaStore(path = ':memory:'): Promise<SqliteStore> {
  const store = openSqliteStore(path);
  const by = { by: 'test' };
  await store.putActors(['red-army', 'blue-army', 'blue-militia', 'green-front'].map((id) => ({ id, name: id, aliases: [], kind: 'armed-group' as const, sources: [] })), by);
  await store.putBlocs(BLOCS, by);
  await store.setRelations(RELATIONS, by);
  await store.putPlaces(PLACES, by);
  await store.putControlObservations(OBSERVATIONS, by);
  await store.putBoundaries([{ id: 'freedonia', name: 'Freedonia', geometry: { type: 'Polygon', coordinates: LAND[0] as [number, number][][] }, sources: [] }], by);
  return store;
}
