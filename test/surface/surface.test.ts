import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ControlModel } from '../../src/control/model.js';
import type { ControlObservation, Place } from '../../src/core/schemas.js';
import { buildLandGrid, cellAt } from '../../src/geo/land-grid.js';
import { haversineKm } from '../../src/geo/measure.js';
import { partition, type Lattice } from '../../src/surface/partition.js';
import { surfaceFromBytes, surfaceToBytes } from '../../src/surface/serialize.js';
import { buildSurface, type SurfaceInput } from '../../src/surface/surface.js';
import { observation, place } from '../store/contract.js';
import { BLOCS, LAND, LAND_KM2, RELATIONS } from '../control/freedonia.js';

// Freedonia (test/control/freedonia.ts): the square 0–1°E, 0–1°N, 12,391 km². Resolution 6 (cells ~36 km²,
// centres ~6.5 km apart) keeps these fast; a cell is ~0.3% of the land.
const GRID = buildLandGrid(LAND, 6);
const CELL_SHARE = 36 / LAND_KM2;

function model(places: Place[], observations: ControlObservation[], extra: Omit<SurfaceInput, 'land'> = {}): ControlModel {
  const surface = buildSurface({ land: LAND, ...extra }, GRID);
  return new ControlModel({ land: LAND, places, observations, blocs: BLOCS, relations: RELATIONS, surface });
}
const WEST = place('west', 0.2, 0.5);
const EAST = place('east', 0.8, 0.5);
const TWO = [observation('w', 'west', 'red-army', '2020-01-01'), observation('e', 'east', 'blue-army', '2020-01-01')];
const DAY = '2020-01-10';
const river = (x: number) => ({ name: 'river', coordinates: [[x, -0.1], [x, 1.1]] });
const blocAt = (m: ControlModel, lon: number, lat: number): string | null => {
  const b = m.stateAt(DAY).cellBloc[cellAt(m.grid, lon, lat)]!;
  return b < 0 ? null : m.blocIds[b]!;
};
const area = (m: ControlModel, bloc: string): number => m.stateAt(DAY).blocs.find((b) => b.bloc === bloc)!.areaKm2;

describe('the cost-distance partition', () => {
  it('gives each cell the seed that reaches it first, as a Dijkstra from each seed alone does (random lattices)', () => {
    const lattice = fc.record({
      n: fc.integer({ min: 2, max: 40 }),
      edges: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.oneof(fc.double({ min: 0.01, max: 10, noNaN: true }), fc.constant(Infinity))), { maxLength: 160 }),
      seeds: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 3, noNaN: true })), { minLength: 1, maxLength: 6 }),
      maxHours: fc.oneof(fc.constant(Infinity), fc.double({ min: 0, max: 20, noNaN: true })),
    });
    fc.assert(
      fc.property(lattice, ({ n, edges, seeds, maxHours }) => {
        const steps = 8;
        const stepTarget = new Int32Array(n * steps).fill(-1);
        const stepHours = new Float32Array(n * steps).fill(Infinity);
        const used = new Int32Array(n);
        for (const [a, b, h] of edges) {
          const u = a % n, v = b % n;
          if (u === v || used[u]! >= steps) continue;
          stepTarget[u * steps + used[u]!] = v;
          stepHours[u * steps + used[u]!] = h;
          used[u]!++;
        }
        const lat: Lattice = { cellCount: n, steps, stepTarget, stepHours };
        const sd = seeds.map(([c, label, hours]) => ({ cell: c % n, label, hours: Math.fround(hours) }));
        const got = partition(lat, sd, maxHours);
        // Reference: a plain O(n²) Dijkstra from each seed alone.
        const alone = sd.map((s) => {
          const d = new Float64Array(n).fill(Infinity);
          const done = new Uint8Array(n);
          d[s.cell] = s.hours;
          for (;;) {
            let u = -1;
            for (let i = 0; i < n; i++) if (!done[i] && d[i]! < Infinity && (u < 0 || d[i]! < d[u]!)) u = i;
            if (u < 0) break;
            done[u] = 1;
            for (let k = u * steps; k < u * steps + steps; k++) {
              const v = stepTarget[k]!;
              if (v >= 0 && d[u]! + stepHours[k]! < d[v]!) d[v] = d[u]! + stepHours[k]!;
            }
          }
          return d;
        });
        for (let c = 0; c < n; c++) {
          const min = Math.min(...alone.map((d) => d[c]!));
          const best = min > maxHours ? Infinity : min; // beyond the limit: unreached
          expect(got.hours[c]).toBeCloseTo(best === Infinity ? Infinity : best, 9);
          if (best === Infinity) {
            expect(got.label[c]).toBe(-1);
            continue;
          }
          // The first seed (in order) among those that reach the cell at the best time.
          const first = alone.findIndex((d) => Math.abs(d[c]! - best) <= 1e-9);
          const tied = alone.filter((d) => Math.abs(d[c]! - best) <= 1e-9).length > 1;
          if (!tied) expect(got.label[c]).toBe(sd[first]!.label);
          else expect(sd.filter((_, i) => Math.abs(alone[i]![c]! - best) <= 1e-9).map((s) => s.label)).toContain(got.label[c]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('splits open country at the midpoint between two places, leaving nothing unheld', () => {
    const m = model([WEST, EAST], TWO);
    const s = m.stateAt(DAY);
    expect(s.unassignedKm2).toBe(0);
    // Each holds half the square, to a column of cells (~0.06° of 1°) along the bisector x = 0.5.
    expect(area(m, 'red') / LAND_KM2).toBeGreaterThan(0.5 - 0.04);
    expect(area(m, 'red') / LAND_KM2).toBeLessThan(0.5 + 0.04);
    expect(blocAt(m, 0.45, 0.9)).toBe('red');
    expect(blocAt(m, 0.55, 0.1)).toBe('blue');
  });

  it('places off the land (a neighbour\'s gazetteer) change no area; a place on the border line seeds the land beside it', () => {
    const abroad = place('abroad', 1.5, 0.5);
    const onLine = place('on-line', 1.05, 0.5); // a crossing drawn ~5 km outside the boundary
    const base = model([WEST, EAST], TWO);
    const withAbroad = model([WEST, EAST, abroad], [...TWO, observation('a', 'abroad', 'red-army', '2020-01-01')]);
    const areas = (m: ControlModel) => m.stateAt(DAY).blocs.map((b) => [b.bloc, b.areaKm2]);
    expect(areas(withAbroad)).toEqual(areas(base)); // its place is counted (places, people), its land is none
    expect(withAbroad.methodReport().inputs).toMatchObject({ places: 3, placesOnLand: 2 });
    const withLine = model([WEST, EAST, onLine], [...TWO, observation('l', 'on-line', 'red-army', '2020-01-01')]);
    expect(blocAt(withLine, 0.99, 0.5)).toBe('red');
  });

  it('a river without a crossing is a wall; a crossing lets land across it be reached', () => {
    const walled = model([WEST, EAST], TWO, { rivers: [river(0.35)] });
    // Red holds only what lies west of the river: 0.35 of the square, to a column of cells.
    expect(area(walled, 'red') / LAND_KM2).toBeGreaterThan(0.35 - 0.04);
    expect(area(walled, 'red') / LAND_KM2).toBeLessThan(0.35 + 0.04);
    expect(blocAt(walled, 0.42, 0.5)).toBe('blue');
    expect(walled.surface!.counts.riverStepsBlocked).toBeGreaterThan(0);
    const bridged = model([WEST, EAST], TWO, { rivers: [river(0.35)], crossings: [{ id: 'b', name: 'bridge', kind: 'bridge', lon: 0.35, lat: 0.5 }] });
    // Through the bridge red reaches x < 0.5 along y = 0.5 first (0.15 + (x − 0.35) < 0.8 − x).
    expect(blocAt(bridged, 0.42, 0.5)).toBe('red');
    expect(area(bridged, 'red')).toBeGreaterThan(area(walled, 'red') + 5 * CELL_SHARE * LAND_KM2);
    expect(bridged.surface!.counts.riverStepsOpened).toBeGreaterThan(0);
  });

  it('a road carries its holder farther than open country', () => {
    const open = model([WEST, EAST], TWO);
    const road = model([WEST, EAST], TWO, { roads: [{ coordinates: [[0.2, 0.5], [0.72, 0.5]], speedKmh: 80 }] });
    expect(blocAt(open, 0.62, 0.5)).toBe('blue');
    expect(blocAt(road, 0.62, 0.5)).toBe('red');
    expect(road.surface!.counts.roadCells).toBeGreaterThan(0);
  });

  it('a lake is entered but not crossed, not even between two of its cells; its land is still somebody\'s', () => {
    const lake = { name: 'lake', polygon: [[[[0.33, -0.1], [0.37, -0.1], [0.37, 1.1], [0.33, 1.1], [0.33, -0.1]]]] };
    const m = model([WEST, EAST], TWO, { lakes: [lake] });
    const s = m.stateAt(DAY);
    expect(m.surface!.counts.waterCells).toBeGreaterThan(0);
    expect(s.unassignedKm2).toBe(0);
    const red = m.blocIds.indexOf('red');
    for (let c = 0; c < m.grid.cells.length; c++) if (m.grid.lon[c]! > 0.4) expect(s.cellBloc[c]).not.toBe(red);
  });

  it('land no held place can reach (a river loop with nobody inside) is the only land left unheld', () => {
    const loop = { name: 'loop', coordinates: [[0.4, 0.4], [0.6, 0.4], [0.6, 0.6], [0.4, 0.6], [0.4, 0.4]] };
    const m = model([WEST, EAST], TWO, { rivers: [loop] });
    const s = m.stateAt(DAY);
    // The loop holds 0.04 deg² ≈ 496 km², to a ring of cells along it.
    expect(s.unassignedKm2).toBeGreaterThan(0.04 * LAND_KM2 * 0.6);
    expect(s.unassignedKm2).toBeLessThan(0.04 * LAND_KM2 * 1.4);
    expect(blocAt(m, 0.5, 0.5)).toBeNull();
  });

  it('a besieged place holds a pocket of a few cells; its besieger holds the land round it', () => {
    const corners = [place('a', 0.1, 0.1), place('b', 0.9, 0.1), place('c', 0.1, 0.9), place('d', 0.9, 0.9)];
    const mid = place('mid', 0.5, 0.5);
    const obs = (status: 'held' | 'besieged') => [...corners.map((p, i) => observation(`o${i}`, p.id, 'red-army', '2020-01-01')), observation('m', 'mid', 'blue-army', '2020-01-01', { status })];
    const held = model([...corners, mid], obs('held'));
    const besieged = model([...corners, mid], obs('besieged'));
    const pocket = besieged.stateAt(DAY).blocs.find((b) => b.bloc === 'blue')!;
    expect(pocket.areaKm2).toBeGreaterThan(0);
    expect(pocket.besiegedKm2).toBeCloseTo(pocket.areaKm2, 6);
    expect(pocket.areaKm2).toBeLessThan(area(held, 'blue') / 5);
    // Every pocket cell but the place's own has its centre within besiegedKm (4) of the place: a path
    // over the cells' centres is never shorter than the straight line.
    const s = besieged.stateAt(DAY);
    const home = cellAt(besieged.grid, 0.5, 0.5);
    const blue = besieged.blocIds.indexOf('blue');
    let cells = 0;
    for (let c = 0; c < besieged.grid.cells.length; c++) {
      if (s.cellBloc[c] !== blue) continue;
      cells++;
      if (c !== home) expect(haversineKm(0.5, 0.5, besieged.grid.lon[c]!, besieged.grid.lat[c]!)).toBeLessThanOrEqual(4);
    }
    expect(cells).toBeGreaterThan(1);
    expect(s.unassignedKm2).toBe(0);
  });

  it('contested land is reported between its holder and the hostile bloc beside it', () => {
    const obs = [observation('w', 'west', 'red-army', '2020-01-01', { status: 'contested' }), observation('e', 'east', 'blue-army', '2020-01-01')];
    const m = model([WEST, EAST], obs);
    const s = m.stateAt(DAY);
    const between = m.contestedBetween(s);
    expect(between).toHaveLength(1);
    expect(between[0]!.between).toEqual(['red', 'blue']);
    expect(between[0]!.areaKm2).toBeCloseTo(area(m, 'red'), 6);
  });

  it('survives being written out and read back; another key reads nothing', () => {
    const s = buildSurface({ land: LAND, rivers: [river(0.35)], roads: [{ coordinates: [[0.1, 0.1], [0.9, 0.9]], speedKmh: 60 }] }, GRID);
    const back = surfaceFromBytes(surfaceToBytes(s, 'k1'), 'k1')!;
    expect(back.grid.cells).toEqual(s.grid.cells);
    expect([...back.stepHours]).toEqual([...s.stepHours]);
    expect([...back.stepTarget]).toEqual([...s.stepTarget]);
    expect([...back.grid.areaKm2]).toEqual([...s.grid.areaKm2]);
    expect(back.counts).toEqual(s.counts);
    expect(surfaceFromBytes(surfaceToBytes(s, 'k1'), 'k2')).toBeNull();
  });
});
