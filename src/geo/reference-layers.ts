/**
 * The reference layers the demo ships for maps (data/demo/water.geojson: Natural Earth rivers and lakes;
 * data/demo/admin.geojson: OCHA governorate and district borders and label points; built by
 * scripts/demo-reference.ts). Read once, and cut to a box by whoever draws: the web app's basemap, the
 * briefings' maps. Each feature keeps its `kind` (river, lake, adm1-border, adm2-border, adm1-label, adm2-label).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));
type Box = readonly [number, number, number, number];
const cache = new Map<string, GeoJSON.Feature[]>();

function all(dir: string): GeoJSON.Feature[] {
  let out = cache.get(dir);
  if (out) return out;
  out = [];
  for (const name of ['water.geojson', 'admin.geojson']) {
    const path = `${dir}${name}`;
    if (existsSync(path)) out.push(...(JSON.parse(readFileSync(path, 'utf8')) as GeoJSON.FeatureCollection).features);
  }
  cache.set(dir, out);
  return out;
}

/** The reference features with a point inside `box` (w, s, e, n). */
export function referenceFeatures(box: Box, dir = REFERENCE_DIR): GeoJSON.Feature[] {
  const inBox = (p: number[]): boolean => p[0]! >= box[0] && p[0]! <= box[2] && p[1]! >= box[1] && p[1]! <= box[3];
  const near = (c: unknown): boolean => (typeof (c as number[])[0] === 'number' ? inBox(c as number[]) : (c as unknown[]).some(near));
  return all(dir).filter((f) => f.geometry.type !== 'GeometryCollection' && near(f.geometry.coordinates));
}
