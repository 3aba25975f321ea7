/**
 * The demo's reference layers (data/demo/water.geojson, admin.geojson) are what scripts/demo-reference.ts
 * derives from ../shared/data, small enough to ship, and hold what the map needs.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAdmin, buildWater } from '../scripts/demo-reference.js';
import { hasShared, ROOT, SHARED } from './helpers.js';

const DEMO = join(ROOT, 'data', 'demo');
if (!hasShared && process.env.CI === 'true') throw new Error(`../shared/data is missing at ${SHARED}: CI must run with shared/ beside the checkout`);

describe('the demo reference layers as committed', () => {
  it('are small and hold the Euphrates, Lake Assad, the 14 governorates and 62 districts', () => {
    expect(statSync(join(DEMO, 'water.geojson')).size + statSync(join(DEMO, 'admin.geojson')).size).toBeLessThan(500_000);
    const water = JSON.parse(readFileSync(join(DEMO, 'water.geojson'), 'utf8')) as GeoJSON.FeatureCollection;
    const names = water.features.map((f) => `${f.properties?.kind}:${f.properties?.name}`);
    expect(names).toContain('river:Euphrates');
    expect(names).toContain('lake:Lake Assad');
    const admin = JSON.parse(readFileSync(join(DEMO, 'admin.geojson'), 'utf8')) as GeoJSON.FeatureCollection;
    const count = (k: string): number => admin.features.filter((f) => f.properties?.kind === k).length;
    expect([count('adm1-label'), count('adm2-label'), count('adm1-border'), count('adm2-border')]).toEqual([14, 62, 1, 1]);
    // Sources stated in the files themselves.
    expect((water as unknown as { frontline: { source: { name: string } } }).frontline.source.name).toMatch(/Natural Earth/);
    expect((admin as unknown as { frontline: { source: { name: string } } }).frontline.source.name).toMatch(/OCHA.*CC BY-IGO/);
  });

  it.skipIf(!hasShared)('are what scripts/demo-reference.ts builds from ../shared/data (npm run demo:build)', () => {
    const data = join(SHARED, 'data');
    expect(readFileSync(join(DEMO, 'water.geojson'), 'utf8')).toBe(buildWater(data));
    expect(readFileSync(join(DEMO, 'admin.geojson'), 'utf8')).toBe(buildAdmin(data));
  });
});
