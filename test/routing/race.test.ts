import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bloc, ControlArea, Relation, Zone } from '../../src/core/schemas.js';
import { ControlModel } from '../../src/control/model.js';
import { cellAt } from '../../src/geo/land-grid.js';
import { buildRoadGraph, type WayInput } from '../../src/routing/graph.js';
import { readGraphCache, writeGraphCache } from '../../src/routing/graph-cache.js';
import { DEFAULT_RACE_PARAMETERS, RaceContext, runRace } from '../../src/routing/race.js';
import { arrivalMap, arrivalMapFeatures } from '../../src/routing/arrival-map.js';
import { edgeSources, materializeCosts, multiSourceSearch, positiveRange, reverseAdjacency, searchBuffers, tightPath, type EdgeCostTable } from '../../src/routing/search.js';
import { backtest, calibrate, capturesBetween, fitRates, monthlyDates, scoreForecasts, trackRecord } from '../../src/routing/history.js';
import { observation, place } from '../store/contract.js';
import { tempDir } from '../helpers.js';
import { LAND } from '../control/freedonia.js';

/**
 * A hand-checked race in Freedonia (the 0–1° square on the equator). One east–west primary road along
 * 0.5°N, in four pieces joined at W (0.1), A (0.3), M (0.5), B (0.7), E (0.9):
 *   W red (red-army) ── A ── M green (green-front) ── B ── E blue (blue-army)
 * Every bloc is hostile to the others. A piece's land is that of the place nearest its middle:
 * W–A (middle 0.2) red, A–M and M–B (0.4, 0.6) green, B–E (0.8) blue.
 * A piece is 0.2° of longitude at 0.5°N: 0.2 · π/180 · cos(0.5°) · 6371.0088 km = 22.23817 km
 * (great circle; the cosine takes 0.85 m off the equator's 22.23902 km).
 * Driving a primary road: 70 km/h = 1,680 km a day -> 22.23817 / 1680 = 0.013237 days.
 * Advancing through hostile land: red 5 km a day -> 4.447634 days a piece; blue 10 -> 2.223817.
 * To M: red drives W–A then fights A–M: 0.013237 + 4.447634 = 4.460871 -> 4.461 days;
 *       blue drives E–B then fights B–M: 0.013237 + 2.223817 = 2.237054 -> 2.237 days.
 * Green holds M; the winner is blue, by 4.460871 − 2.237054 = 2.223817 -> 2.224 days.
 */
const KM = 0.2 * (Math.PI / 180) * Math.cos((0.5 * Math.PI) / 180) * 6371.0088;
const line = (id: number, a: number, b: number): WayInput => ({ id, refs: [a, b], tags: { highway: 'primary' } });
const X = [0.1, 0.3, 0.5, 0.7, 0.9];
const fixtureGraph = () => buildRoadGraph([line(1, 0, 1), line(2, 1, 2), line(3, 2, 3), line(4, 3, 4)], (id) => (id >= 0 && id < 5 ? [X[id]!, 0.5] : undefined)).graph;
const BLOCS: Bloc[] = [
  { id: 'red', name: 'Red', members: [{ actor: 'red-army' }] },
  { id: 'blue', name: 'Blue', members: [{ actor: 'blue-army' }] },
  { id: 'green', name: 'Green', members: [{ actor: 'green-front' }] },
];
const HOSTILE: Relation[] = [
  { a: 'red', b: 'blue', kind: 'hostile' },
  { a: 'red', b: 'green', kind: 'hostile' },
  { a: 'blue', b: 'green', kind: 'hostile' },
];
function model(relations = HOSTILE, zones: Zone[] = [], contestedW = false): ControlModel {
  return new ControlModel({
    land: LAND,
    places: [place('w', 0.1, 0.5, { name: 'W' }), place('m', 0.5, 0.5, { name: 'M' }), place('e', 0.9, 0.5, { name: 'E' })],
    observations: [observation('o1', 'w', 'red-army', '2020-01-01', contestedW ? { status: 'contested' } : {}), observation('o2', 'm', 'green-front', '2020-01-01'), observation('o3', 'e', 'blue-army', '2020-01-01')],
    blocs: BLOCS,
    relations,
    zones,
    radiusKm: 100,
  });
}
const params = { ...DEFAULT_RACE_PARAMETERS, advanceKmPerDay: { red: 5, blue: 10 } };
const M = [{ name: 'M', lon: 0.5, lat: 0.5, placeId: 'm' }];

describe('the race (hand-checked)', () => {
  it('arrival days, winner and margin', () => {
    const r = runRace(new RaceContext(fixtureGraph(), model()), '2020-02-01', M, params);
    const o = r.objectives[0]!;
    expect(o.holder).toBe('green');
    const days = Object.fromEntries(o.arrivals.map((a) => [a.bloc, a.days]));
    expect(days).toEqual({ red: 4.461, blue: 2.237, green: 0 });
    expect(KM).toBeCloseTo(22.2382, 4);
    expect(o.winner).toBe('blue');
    expect(o.marginDays).toBe(2.224);
    const blueRoute = o.arrivals.find((a) => a.bloc === 'blue')!.route!;
    expect(blueRoute.coordinates[0]).toEqual([0.9, 0.5]);
    expect(blueRoute.coordinates.at(-1)).toEqual([0.5, 0.5]);
    expect(r.starts).toEqual({ red: ['w'], blue: ['e'], green: ['m'] });
    expect(r.parameters.advanceKmPerDay).toEqual({ red: 5, blue: 10 });
  });

  it('contested land slows driving by the factor', () => {
    // W contested: red's drive on W–A takes 3 times longer: 3 · 0.013237 + 4.447634 = 4.487345 -> 4.487.
    const r = runRace(new RaceContext(fixtureGraph(), model(HOSTILE, [], true)), '2020-02-01', M, params);
    expect(r.objectives[0]!.arrivals.find((a) => a.bloc === 'red')!.days).toBe(4.487);
  });

  it('a zone closed to a bloc blocks it; deconflicted land is closed unless a penalty is set', () => {
    const ring: Zone = { id: 'ring', name: 'ring', kind: 'deconfliction', geometry: { type: 'Polygon', coordinates: [[[0.35, 0.4], [0.45, 0.4], [0.45, 0.6], [0.35, 0.6], [0.35, 0.4]]] }, parties: [], closedTo: ['red'], sources: [] };
    const closed = runRace(new RaceContext(fixtureGraph(), model(HOSTILE, [ring])), '2020-02-01', M, params).objectives[0]!;
    expect(closed.arrivals.find((a) => a.bloc === 'red')).toMatchObject({ days: null, note: 'unreachable under these rules' });
    expect(closed.winner).toBe('blue');
    expect(closed.marginDays).toBeNull();
    // Blue and green deconflicted: blue may not enter green's land ...
    const deconflicted: Relation[] = [HOSTILE[0]!, HOSTILE[1]!, { a: 'blue', b: 'green', kind: 'deconflicted' }];
    const d = runRace(new RaceContext(fixtureGraph(), model(deconflicted)), '2020-02-01', M, params).objectives[0]!;
    expect(d.arrivals.find((a) => a.bloc === 'blue')!.days).toBeNull();
    expect(d.winner).toBe('red');
    // ... unless a penalty is set: drive E–B, then B–M plus 1 day: 0.013237 + 0.013237 + 1 = 1.026474 -> 1.026.
    const p = runRace(new RaceContext(fixtureGraph(), model(deconflicted)), '2020-02-01', M, { ...params, deconflictedPenaltyDays: 1 }).objectives[0]!;
    expect(p.arrivals.find((a) => a.bloc === 'blue')!.days).toBe(1.026);
  });

  it('isochrones grow with time and reach M when the race says so', () => {
    const m = model();
    const r = runRace(new RaceContext(fixtureGraph(), m), '2020-02-01', M, params, { cells: true });
    const blue = r.cellDays!.blue!;
    const cellOfM = cellAt(m.grid, 0.5, 0.5);
    // The road through M's cell is reached a little before M itself (the cell starts ~3 km east of M).
    expect(blue[cellOfM]).toBeGreaterThan(1.8);
    expect(blue[cellOfM]).toBeLessThanOrEqual(2.2371);
    const reached = (t: number): number => blue.filter((d) => d <= t).length;
    expect(reached(0.02)).toBeGreaterThan(0); // E–B is driven in 0.013 days
    expect(reached(0.02)).toBeLessThan(reached(1));
    expect(reached(1)).toBeLessThan(reached(3));
    // Off-road cells are never reached.
    expect(reached(1e9)).toBeLessThan(m.grid.cells.length / 4);
  });

  it('the arrival map: first-arrival areas tile the reached land, and the front lies where arrival times meet', () => {
    // Red and blue only. Red drives W–A, then fights east at 5 km a day: t = 0.013237 + (x − 0.3)·K/5;
    // blue drives E–B, then fights west at 10 km a day: t = 0.013237 + (0.7 − x)·K/10 (K km a degree).
    // They meet where 2(x − 0.3) = 0.7 − x: x = 1.3/3 = 0.4333°, so the front crosses the road there.
    const m = model();
    const r = runRace(new RaceContext(fixtureGraph(), m), '2020-02-01', M, params, { cells: true, blocs: ['red', 'blue'] });
    const map = arrivalMap(m, r.cellDays!, [1, 3]);
    const reachedKm2 = m.grid.areaKm2.reduce((sum, a, c) => sum + (Math.min(r.cellDays!.red![c]!, r.cellDays!.blue![c]!) < Infinity ? a : 0), 0);
    const firstKm2 = map.firstArrival.reduce((sum, f) => sum + f.areaKm2, 0);
    expect(Math.abs(firstKm2 - reachedKm2)).toBeLessThan(0.2);
    expect(map.firstArrival.map((f) => f.bloc).sort()).toEqual(['blue', 'red']);
    expect(map.fronts).toHaveLength(1);
    expect(map.fronts[0]!.sides).toEqual(['red', 'blue']);
    const lons = map.fronts[0]!.lines.flat().map((p) => p[0]!);
    // Within a cell's width (resolution 7 cells are ~0.05° across) of 0.4333.
    for (const lon of lons) expect(Math.abs(lon - 1.3 / 3)).toBeLessThan(0.05);
    expect(map.isochrones).toHaveLength(4);
    // As GeoJSON: the areas, the front and the isochrones.
    const kinds = arrivalMapFeatures(map).map((f) => f.properties.kind);
    expect(kinds.filter((k) => k === 'first-arrival')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'arrival-front')).toHaveLength(1);
  });

  it('says so when an objective is off the roads', () => {
    const r = runRace(new RaceContext(fixtureGraph(), model()), '2020-02-01', [{ name: 'far', lon: 0.5, lat: 0.9 }], params).objectives[0]!;
    expect(r.snapKm).toBeNull();
    expect(r.winner).toBeNull();
    expect(r.arrivals.filter((a) => a.bloc !== r.holder).every((a) => a.days === null && /no road within 15 km/.test(a.note ?? ''))).toBe(true);
  });
});

describe('the race kept from date to date', () => {
  it('gives what a fresh race gives, whatever was raced before (control, zones, areas and rates changing)', () => {
    // A 20 × 20 lattice of roads over Freedonia; 16 places whose holders change on random dates; a zone
    // closed to red in March and April; an analyst's area for blue in April. One context races dates in a
    // random order with random advance rates; each race must equal a fresh context's race to the digit.
    // (On dates with neither, a context mends its last kinds where places changed hands.)
    const N = 20;
    const at = (i: number): [number, number] => [0.025 + ((i % N) + 0.5) * (0.95 / N), 0.025 + (Math.floor(i / N) + 0.5) * (0.95 / N)];
    const ways: WayInput[] = [];
    for (let r = 0; r < N; r++) ways.push({ id: r, refs: Array.from({ length: N }, (_, c) => r * N + c), tags: { highway: r % 5 ? 'track' : 'primary' } });
    for (let c = 0; c < N; c++) ways.push({ id: N + c, refs: Array.from({ length: N }, (_, r) => r * N + c), tags: { highway: c % 5 ? 'residential' : 'secondary' } });
    const graph = buildRoadGraph(ways, (id) => (id >= 0 && id < N * N ? at(id) : undefined)).graph;
    const zone: Zone = { id: 'ring', name: 'ring', kind: 'deconfliction', geometry: { type: 'Polygon', coordinates: [[[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]]] }, parties: [], closedTo: ['red'], from: '2020-03-01', to: '2020-04-30', sources: [] };
    const area: ControlArea = { id: 'blue-box', actor: 'blue-army', status: 'held', from: '2020-04-01', to: '2020-04-30', geometry: { type: 'Polygon', coordinates: [[[0.05, 0.7], [0.3, 0.7], [0.3, 0.95], [0.05, 0.95], [0.05, 0.7]]] }, source: { name: 'test' } };
    const actors = ['red-army', 'blue-army', 'green-front'];
    const dates = ['2020-01-15', '2020-02-15', '2020-03-15', '2020-04-15', '2020-05-15', '2020-06-15'];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        let x = seed;
        const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const places = Array.from({ length: 16 }, (_, i) => place(`p${i}`, 0.1 + (i % 4) * 0.25, 0.1 + Math.floor(i / 4) * 0.25));
        const observations = places.flatMap((p, i) => [
          observation(`a${i}`, p.id, actors[i % 3]!, '2020-01-01'),
          ...(rand() < 0.5 ? [observation(`b${i}`, p.id, actors[Math.floor(rand() * 3)]!, dates[1 + Math.floor(rand() * 5)]!, rand() < 0.3 ? { status: 'contested' } : {})] : []),
        ]);
        const make = (): ControlModel => new ControlModel({ land: LAND, places, observations, blocs: BLOCS, relations: HOSTILE, zones: [zone], controlAreas: [area], radiusKm: 40, resolution: 6 });
        const m = make();
        const kept = new RaceContext(graph, m);
        const objectives = [0, 5, 10, 15].map((i) => ({ name: `p${i}`, lon: places[i]!.lon, lat: places[i]!.lat, placeId: `p${i}` }));
        for (let k = 0; k < 10; k++) {
          const date = dates[Math.floor(rand() * dates.length)]!;
          const p = rand() < 0.5 ? params : { ...params, advanceKmPerDay: { red: 1 + Math.floor(rand() * 20), blue: 10 } };
          const got = runRace(kept, date, objectives, p, { cells: true });
          const want = runRace(new RaceContext(graph, m), date, objectives, p, { cells: true });
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe('history (hand-checked)', () => {
  // Blue takes M on 2020-03-11, ten days after 2020-03-01. Its route from E: drive E–B, fight B–M
  // through green land, 22.23817 km: 22.23817 / 10 days = 2.2238 -> 2.22 km a day.
  const withHistory = (): ControlModel => {
    const m0 = model();
    return new ControlModel({
      land: LAND,
      places: [...m0.places],
      observations: [observation('o1', 'w', 'red-army', '2020-01-01'), observation('o2', 'm', 'green-front', '2020-01-01'), observation('o3', 'e', 'blue-army', '2020-01-01'), observation('o4', 'm', 'blue-army', '2020-03-11')],
      blocs: BLOCS,
      relations: HOSTILE,
      radiusKm: 100,
    });
  };

  it('finds the captures and fits the advance rate from them', () => {
    const ctx = new RaceContext(fixtureGraph(), withHistory());
    expect(capturesBetween(ctx, '2020-03-01', '2020-04-01')).toEqual([{ place: 'm', bloc: 'blue', from: 'green', days: 10 }]);
    const c = calibrate(ctx, '2020-03-01', '2020-04-01', params);
    expect(c.blocs).toEqual([{ bloc: 'blue', captures: 1, kmPerDay: 2.22, q25: 2.22, q75: 2.22, samples: [{ place: 'm', hostileKm: 22.2, days: 10, kmPerDay: 2.22 }] }]);
  });

  it('backtests: the race named blue for M (a hit), 2.237 days against 10: error −7.8 days', () => {
    const b = backtest(new RaceContext(fixtureGraph(), withHistory()), '2020-03-01', '2020-04-01', params);
    expect(b.places).toEqual([{ place: 'm', actual: 'blue', actualDays: 10, predicted: 'blue', predictedDays: 2.237, hit: true, errorDays: -7.8 }]);
    expect(b.summary).toMatchObject({ changed: 1, hits: 1, accuracy: 1, medianAbsErrorDays: 7.8, p90AbsErrorDays: 7.8 });
    // With red faster than blue, the race names red: a miss.
    const miss = backtest(new RaceContext(fixtureGraph(), withHistory()), '2020-03-01', '2020-04-01', { ...params, advanceKmPerDay: { red: 50, blue: 1 } });
    expect(miss.places[0]).toMatchObject({ predicted: 'red', hit: false, errorDays: null });
    expect(miss.summary.accuracy).toBe(0);
  });

  it('a track record: the race against the nearest front and the holder keeping it', () => {
    // From 2020-03-01 blue takes M (green's). The race names blue (2.237 days; taken on day 10: error
    // 7.8). W and E are 0.4° from M either side: the straight line ties, the first bloc (red) is named:
    // wrong. The holder (green) keeping it is wrong by construction. As of 2020-04-01 nothing changes later.
    // Date errors: 39 − 2.237 = 36.8 (from 2020-02-01) and 7.8; the lower median of two is 7.8.
    const t = trackRecord(new RaceContext(fixtureGraph(), withHistory()), ['2020-02-01', '2020-03-01', '2020-04-01'], '2020-04-01', params);
    expect(t.items.map((x) => [x.asOf, x.place, x.actual, x.race, x.nearestFront, x.holder])).toEqual([
      ['2020-02-01', 'm', 'blue', 'blue', 'red', 'green'],
      ['2020-03-01', 'm', 'blue', 'blue', 'red', 'green'],
    ]);
    expect(t.scores.race).toEqual({ objectives: 2, balancedAccuracy: 1, recallByBloc: { blue: 1 }, brier: 0, medianAbsErrorDays: 7.8 });
    expect(t.scores.nearestFront).toMatchObject({ balancedAccuracy: 0, brier: 1, medianAbsErrorDays: null });
    expect(t.scores.holderKeeps).toMatchObject({ balancedAccuracy: 0, brier: 1 });
  });

  it('fits rates on history before the as-of date only: appending later observations never changes the fit', () => {
    const base = withHistory();
    const fit0 = fitRates(new RaceContext(fixtureGraph(), base), '2020-04-01', 60, params);
    // The window opens 2020-02-01; blue took M 39 days later through 22.23817 km of green land:
    // 0.5702 -> 0.57 km a day; red and green have no sample and get the pooled rate (the same).
    expect(fit0.advanceKmPerDay).toEqual({ blue: 0.57, red: 0.57, green: 0.57 });
    const actors = ['red-army', 'blue-army', 'green-front'];
    fc.assert(
      fc.property(fc.array(fc.record({ place: fc.constantFrom('w', 'm', 'e'), actor: fc.constantFrom(...actors), day: fc.integer({ min: 1, max: 200 }) }), { minLength: 1, maxLength: 6 }), (later) => {
        const m = new ControlModel({
          land: LAND,
          places: [...base.places],
          observations: [
            observation('o1', 'w', 'red-army', '2020-01-01'), observation('o2', 'm', 'green-front', '2020-01-01'), observation('o3', 'e', 'blue-army', '2020-01-01'), observation('o4', 'm', 'blue-army', '2020-03-11'),
            ...later.map((x, i) => observation(`later${i}`, x.place, x.actor, new Date(Date.UTC(2020, 3, 1 + x.day)).toISOString().slice(0, 10))),
          ],
          blocs: BLOCS,
          relations: HOSTILE,
          radiusKm: 100,
        });
        expect(fitRates(new RaceContext(fixtureGraph(), m), '2020-04-01', 60, params)).toEqual(fit0);
      }),
      { numRuns: 25 },
    );
  });

  it('scores forecasts balanced across winning blocs, with a halved multi-class Brier score', () => {
    // a: 3 of 4 right (0.75); b: 0 of 1 (nobody named: Brier 0.5). Balanced (0.75 + 0) / 2 = 0.375;
    // Brier (0 + 0 + 0 + 1 + 0.5) / 5 = 0.3; errors of the hits 2, 5, 9 -> median 5.
    const s = scoreForecasts([
      { actual: 'a', predicted: 'a', errorDays: -2 }, { actual: 'a', predicted: 'a', errorDays: 5 }, { actual: 'a', predicted: 'a', errorDays: 9 },
      { actual: 'a', predicted: 'b', errorDays: 1 }, { actual: 'b', predicted: null },
    ]);
    expect(s).toEqual({ objectives: 5, balancedAccuracy: 0.375, recallByBloc: { a: 0.75, b: 0 }, brier: 0.3, medianAbsErrorDays: 5 });
    expect(monthlyDates('2017-01-31', '2017-07-01')).toEqual(['2017-02-01', '2017-03-01', '2017-04-01', '2017-05-01', '2017-06-01', '2017-07-01']);
  });
});

describe('road graph', () => {
  it('folds shape nodes into edges, keeps junctions, respects one-way streets, and survives the disk cache', () => {
    // A T: ways 1 (a-b-c, b only shapes it... but way 2 starts at b, so b is a junction) and 2 (b-d, one-way).
    const coords: Record<number, [number, number]> = { 1: [0, 0], 2: [0.01, 0], 3: [0.02, 0], 4: [0.01, 0.01], 5: [0.005, 0] };
    const { graph, report } = buildRoadGraph(
      [
        { id: 1, refs: [1, 5, 2, 3], tags: { highway: 'secondary' } },
        { id: 2, refs: [2, 4, 99], tags: { highway: 'residential', oneway: 'yes' } },
        { id: 3, refs: [3, 4], tags: { highway: 'footway' } },
      ],
      (id) => coords[id],
    );
    expect(graph.nodeCount).toBe(4); // 1, 2, 3, 4 (5 is a shape node)
    expect(graph.edgeCount).toBe(2 + 2 + 1); // 1-2 both ways, 2-3 both ways, 2->4 one way
    expect(report).toEqual({ waysRead: 3, waysKept: 2, missingNodeRefs: 1, waysCutAtMissingNodes: 1 });
    const file = join(tempDir('fl-roads-'), 'g.roads');
    writeGraphCache(file, graph, { source: 'test', builtAt: 'now' });
    const back = readGraphCache(file).graph;
    expect([...back.target]).toEqual([...graph.target]);
    expect([...back.lengthM]).toEqual([...graph.lengthM]);
    expect(back.nodeCount).toBe(4);
  });

  it('multi-source search equals Bellman–Ford on random graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 25 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            edges: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), // Costs from 0 to a million: the bucket queue's width then exceeds most edges, and nodes
                // improved inside a bucket are taken again (label correcting), which must stay exact.
                fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 1e-3, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(0), fc.constant(Infinity))), { maxLength: 80 }),
            sources: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e5, noNaN: true }))), { minLength: 1, maxLength: 3 }),
          }),
        ),
        ({ n, edges, sources }) => {
          const coords = (id: number): [number, number] | undefined => (id < n ? [id * 0.01, 0] : undefined);
          const { graph } = buildRoadGraph(edges.map(([a, b], i) => ({ id: i, refs: [a, b], tags: { highway: 'primary', oneway: 'yes' } })), coords);
          // Costs by edge, in the graph's order: take them from a map keyed by (from, to) of the input.
          const cost = new Float64Array(graph.edgeCount);
          const nodeOf = new Map<string, number>();
          for (let i = 0; i < graph.nodeCount; i++) nodeOf.set(graph.lon[i]!.toFixed(4), i);
          const inputCost = new Map<string, number>();
          for (const [a, b, w] of edges) {
            if (a === b) continue;
            const k = `${a}>${b}`;
            inputCost.set(k, Math.min(inputCost.get(k) ?? Infinity, w));
          }
          const idOf = (node: number): number => Math.round(graph.lon[node]! / 0.01);
          for (let u = 0; u < graph.nodeCount; u++) for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) cost[e] = inputCost.get(`${idOf(u)}>${idOf(graph.target[e]!)}`)!;
          const starts = sources.map(([s, c]) => [nodeOf.get((s * 0.01).toFixed(4)), c] as const).filter((x): x is readonly [number, number] => x[0] !== undefined);
          if (!starts.length) return;
          const got = multiSourceSearch(graph, cost, starts.map((x) => x[0]), starts.map((x) => x[1])).dist;
          // Bellman–Ford over the same edges.
          const want = new Float64Array(graph.nodeCount).fill(Infinity);
          for (const [s, c] of starts) want[s] = Math.min(want[s]!, c);
          for (let round = 0; round < graph.nodeCount; round++)
            for (let u = 0; u < graph.nodeCount; u++)
              for (let e = graph.offsets[u]!; e < graph.offsets[u + 1]!; e++) if (want[u]! + cost[e]! < want[graph.target[e]!]!) want[graph.target[e]!] = want[u]! + cost[e]!;
          for (let i = 0; i < graph.nodeCount; i++) expect(got[i]).toBe(want[i]!);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses search buffers lent for a smaller graph instead of dropping writes', () => {
    const graph = fixtureGraph();
    const cost = new Float64Array(graph.edgeCount).fill(1);
    expect(() => multiSourceSearch(graph, cost, [0], undefined, searchBuffers(graph.nodeCount - 1))).toThrow(/search buffers for \d+ nodes, the graph has \d+/);
    expect(multiSourceSearch(graph, cost, [0], undefined, searchBuffers(graph.nodeCount)).dist[0]).toBe(0);
  });

  it('multi-source search over a cost table equals Dijkstra on large sparse graphs, through buffers reused from search to search', () => {
    // Thousands of nodes numbered at random: rounds then hold few nodes spread over a wide range (taken
    // from a sorted list) as well as many (taken from the bitmap), and one scratch serves every search.
    const buffers = searchBuffers(30_000);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2_000, max: 30_000 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), (seed, n, degree, scale) => {
        let x = seed;
        const rand = (): number => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
        const offsets = new Uint32Array(n + 1);
        const targets: number[] = [];
        for (let u = 0; u < n; u++) {
          const k = Math.floor(rand() * (degree + 1));
          for (let i = 0; i < k; i++) targets.push(Math.floor(rand() * n));
          offsets[u + 1] = targets.length;
        }
        const target = Uint32Array.from(targets);
        // Costs as a race's table: lengths times a factor per kind of edge, plus a fixed cost (some kinds
        // closed); factors over a few orders of magnitude, so that with `scale` 3 most edges are far wider
        // than a bucket.
        const kinds = 1 + Math.floor(rand() * 20);
        // Lengths in 4 bytes (as a race's) or 8 (as costs given edge by edge).
        const lengths = Float64Array.from(targets, () => (rand() < 0.1 ? 0 : rand() * 10));
        const a = rand() < 0.5 ? Float32Array.from(lengths) : lengths;
        const [aMin, aMax] = positiveRange(a);
        const table: EdgeCostTable = {
          kind: Uint16Array.from(targets, () => Math.floor(rand() * kinds)),
          a,
          perA: Float64Array.from({ length: kinds }, () => (rand() < 0.1 ? 0 : 10 ** (scale * (rand() * 2 - 1)))),
          fixed: Float64Array.from({ length: kinds }, () => (rand() < 0.1 ? Infinity : rand() < 0.5 ? 0 : rand() * 10 ** scale)),
          aMin,
          aMax,
        };
        // Given as the table, or written out edge by edge in 8-byte floats, or in 4-byte ones (as a race's).
        const form = Math.floor(rand() * 3);
        const cost = form === 2 ? Float64Array.from(Float32Array.from(materializeCosts(table))) : materializeCosts(table);
        const given = form === 0 ? table : form === 1 ? cost : Float32Array.from(cost);
        const sources = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => Math.floor(rand() * n));
        const startCost = sources.map(() => (rand() < 0.5 ? 0 : rand() * 100));
        const graph = { nodeCount: n, edgeCount: target.length, offsets, target } as Parameters<typeof multiSourceSearch>[0];
        const got = multiSourceSearch(graph, given, sources, startCost, { ...buffers, dist: new Float64Array(n), via: new Int32Array(n) });
        const want = dijkstra(n, offsets, target, cost, sources, startCost);
        const wrong: string[] = [];
        for (let v = 0; v < n && wrong.length < 5; v++) {
          if (got.dist[v] !== want[v]) wrong.push(`node ${v}: ${got.dist[v]} instead of ${want[v]}`);
          // The recorded edge leads to the node (sources and unreached nodes have none).
          const e = got.via![v]!;
          if (e >= 0 && target[e] !== v) wrong.push(`node ${v} reached by edge ${e}, which leads to ${target[e]}`);
        }
        expect(wrong).toEqual([]);
        // Without recorded edges: the same distances, and a best path to any reached node from the
        // distances alone (zero-cost edges, some in cycles, included): a chain of edges from a start,
        // whose costs add up to the node's distance exactly.
        const lean = multiSourceSearch(graph, given, sources, startCost, { ...buffers, dist: new Float64Array(n), via: null });
        expect(lean.via).toBeNull();
        expect(lean.dist).toEqual(got.dist);
        const cheapest = new Map<number, number>();
        sources.forEach((s, i) => cheapest.set(s, Math.min(cheapest.get(s) ?? Infinity, startCost[i]!)));
        const src = edgeSources(graph);
        const rev = reverseAdjacency(graph);
        for (let k = 0; k < 20; k++) {
          const v = Math.floor(rand() * n);
          const path = tightPath(rev, src, target, cost, lean.dist, (x) => cheapest.get(x), v);
          if (lean.dist[v] === Infinity) {
            expect(path).toBeNull();
            continue;
          }
          const start = path!.length ? src[path![0]!]! : v;
          let d = cheapest.get(start)!;
          for (let i = 0; i < path!.length; i++) {
            if (i > 0) expect(src[path![i]!]).toBe(target[path![i - 1]!]);
            d += cost[path![i]!]!;
          }
          if (path!.length) expect(target[path!.at(-1)!]).toBe(v);
          expect(d).toBe(lean.dist[v]);
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** A textbook Dijkstra on a binary heap (the reference for the bucket queue). */
function dijkstra(n: number, offsets: Uint32Array, target: Uint32Array, cost: Float64Array, sources: number[], startCost: number[]): Float64Array {
  const dist = new Float64Array(n).fill(Infinity);
  const heap: [number, number][] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]![0] <= heap[i]![0]) break;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
  };
  const pop = (): [number, number] => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]![0] < heap[m]![0]) m = l;
        if (r < heap.length && heap[r]![0] < heap[m]![0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  };
  sources.forEach((s, i) => {
    if (startCost[i]! < dist[s]!) {
      dist[s] = startCost[i]!;
      heap.push([dist[s]!, s]);
      up(heap.length - 1);
    }
  });
  while (heap.length) {
    const [d, u] = pop();
    if (d > dist[u]!) continue;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      const dv = d + cost[e]!;
      if (dv < dist[target[e]!]!) {
        dist[target[e]!] = dv;
        heap.push([dv, target[e]!]);
        up(heap.length - 1);
      }
    }
  }
  return dist;
}
