import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadControlModel } from '../../src/control/load.js';
import { CROSSINGS_META_KEY, forgetSurfaces, WATER_META_KEY } from '../../src/control/surface-inputs.js';
import { openFreedoniaStore } from './freedonia.js';

// Freedonia (0–1°E, 0–1°N) with a river down x = 0.35 and, in a second file, a bridge over it.
const RIVER = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[0.35, -0.1], [0.35, 1.1]] }, properties: { kind: 'river', name: 'Test river' } }] };
const BRIDGE = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [0.35, 0.5] }, properties: { id: 'b1', name: 'Test bridge', kind: 'bridge' } }] };

describe("the loader's movement surface", () => {
  let dir: string;
  const saved = process.env.FRONTLINE_CACHE_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontline-surface-inputs-'));
    process.env.FRONTLINE_CACHE_DIR = join(dir, 'cache');
    forgetSurfaces();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.FRONTLINE_CACHE_DIR;
    else process.env.FRONTLINE_CACHE_DIR = saved;
  });

  it("reads water and crossings named in the store's meta, reports them as inputs, and rebuilds when they change", async () => {
    const store = await openFreedoniaStore();
    const plain = await loadControlModel(store, { resolution: 6 });
    expect(plain.surface!.counts.rivers).toBe(0);
    expect(plain.methodReport().inputs).toMatchObject({ water: 'none', crossings: 'none', roads: 'none' });
    writeFileSync(join(dir, 'water.geojson'), JSON.stringify(RIVER));
    await store.setMeta(WATER_META_KEY, join(dir, 'water.geojson'));
    const walled = await loadControlModel(store, { resolution: 6 });
    expect(walled.surface!.counts.rivers).toBe(1);
    expect(walled.surface!.counts.riverStepsBlocked).toBeGreaterThan(0);
    expect(walled.methodReport().inputs.water).toMatch(/1 river lines, 0 lakes/);
    writeFileSync(join(dir, 'crossings.geojson'), JSON.stringify(BRIDGE));
    await store.setMeta(CROSSINGS_META_KEY, join(dir, 'crossings.geojson'));
    const bridged = await loadControlModel(store, { resolution: 6 });
    expect(bridged.surface!.counts.crossings).toBe(1);
    expect(bridged.surface!.counts.riverStepsOpened).toBeGreaterThan(0);
    await store.close();
  });

  it('keeps the surface on disk: a new process loads the same surface from the cache file', async () => {
    const store = await openFreedoniaStore();
    const first = await loadControlModel(store, { resolution: 6 });
    const files = readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('surface-'));
    expect(files).toHaveLength(1);
    forgetSurfaces(); // what a new process sees
    const again = await loadControlModel(store, { resolution: 6 });
    expect(again.surface).not.toBe(first.surface);
    expect([...again.surface!.stepHours]).toEqual([...first.surface!.stepHours]);
    expect(again.stateAt('2020-01-20').blocs).toEqual(first.stateAt('2020-01-20').blocs);
    // Another resolution is another surface, another file.
    await loadControlModel(store, { resolution: 5 });
    expect(readdirSync(join(dir, 'cache')).filter((f) => f.startsWith('surface-'))).toHaveLength(2);
    await store.close();
  });
});
