import fc from 'fast-check';
import polygonClipping, { type Geom } from 'polygon-clipping';
import { describe, expect, it } from 'vitest';
import { buildLandGrid, cellsOutline, traceCellsOutline } from '../../src/geo/land-grid.js';
import { multiPolygonAreaKm2, pointInMultiPolygon, type MultiPolygonCoords } from '../../src/geo/measure.js';

// A land with a bay and an island, so that border cells, holes and separate parts all occur.
const LAND: MultiPolygonCoords = [
  [[[0, 0], [1, 0], [1, 1], [0.6, 1], [0.6, 0.6], [0.4, 0.6], [0.4, 1], [0, 1], [0, 0]]],
  [[[1.2, 0.2], [1.5, 0.2], [1.5, 0.5], [1.2, 0.5], [1.2, 0.2]]],
];
const grid = buildLandGrid(LAND, 6);
const clip = (a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords => polygonClipping.intersection(a as Geom, b as Geom) as MultiPolygonCoords;

describe('outlines traced on the grid', () => {
  it('cover the same land as H3 outlines clipped to the land, for random sets of cells (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (seed, share) => {
        let x = seed;
        const rand = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
        const cells = grid.cells.map((_, i) => i).filter(() => rand() < share);
        if (!cells.length) return;
        const traced = traceCellsOutline(grid, cells);
        const want = cells.reduce((s, c) => s + grid.areaKm2[c]!, 0);
        // The area of the cells' land, and the same as the clipped H3 outline's.
        expect(multiPolygonAreaKm2(traced)).toBeCloseTo(want, 0);
        expect(multiPolygonAreaKm2(traced)).toBeCloseTo(multiPolygonAreaKm2(cellsOutline(grid, cells, clip)), 0);
        // Each whole cell's centre is inside the outline exactly when the cell is in the set.
        const set = new Set(cells);
        for (let c = 0; c < grid.cells.length; c++) {
          if (grid.border[c]) continue;
          expect(pointInMultiPolygon(grid.lon[c]!, grid.lat[c]!, traced), `cell ${c}`).toBe(set.has(c));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('makes holes where the set surrounds cells it leaves out', () => {
    // Every whole cell but one in the middle: one outer ring with one hole the size of that cell.
    const whole = grid.cells.map((_, i) => i).filter((i) => !grid.border[i]);
    const middle = whole.reduce((b, c) => (Math.hypot(grid.lon[c]! - 0.5, grid.lat[c]! - 0.3) < Math.hypot(grid.lon[b]! - 0.5, grid.lat[b]! - 0.3) ? c : b));
    const traced = traceCellsOutline(grid, whole.filter((c) => c !== middle));
    expect(traced.some((poly) => poly.length > 1)).toBe(true);
    expect(pointInMultiPolygon(grid.lon[middle]!, grid.lat[middle]!, traced)).toBe(false);
  });
});
