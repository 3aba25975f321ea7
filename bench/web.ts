/**
 * Issue 5's benchmark: the web app in headless Chromium (Debian's) with 100,000 events in the store.
 *   - first full render: from navigation to the map showing the date's control and events;
 *   - one timeline step (a day): from the click to the map showing the new date (median of 15);
 *   - the JavaScript sent on first load, gzipped.
 * Two views: the default (events of the 30 days up to the date) and every event loaded (days=3650).
 *
 *   npm run bench:web
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { addDays } from '../src/core/dates.js';
import type { ConflictEvent } from '../src/core/schemas.js';
import { ACLED_TAXONOMY, type EventType } from '../src/core/taxonomy.js';
import { loadDemo } from '../src/demo/load-demo.js';
import { createApp } from '../src/server/app.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { mulberry32 } from './generate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
if (process.argv.includes('--help')) {
  console.log('usage: npm run bench:web [-- --events 100000]\n  First render, timeline step and bundle size of the web app in headless Chromium. Needs npm run build and Debian chromium.');
  process.exit(0);
}
const N = Number(process.argv[process.argv.indexOf('--events') + 1] ?? 0) || 100_000;
const dir = join(ROOT, 'bench', 'out');
mkdirSync(dir, { recursive: true });
const db = join(dir, 'web-bench.db');
for (const f of [db, `${db}-wal`, `${db}-shm`]) writeFileSync(f, '');
const store = openSqliteStore(db);
await loadDemo(store, 'demo', { roadsCache: `${db}.roads` });

// N events round the demo's places, on days of the demo's period, with ACLED's type mix.
const places = await store.listPlaces();
const rand = mulberry32(5);
const types = Object.keys(ACLED_TAXONOMY) as EventType[];
const events: ConflictEvent[] = [];
for (let i = 0; i < N; i++) {
  const p = places[Math.floor(rand() * places.length)]!;
  const type = types[Math.floor(rand() * rand() * types.length)]!;
  const subs = ACLED_TAXONOMY[type];
  events.push({
    id: `WB${i}`, date: addDays('2017-01-01', Math.floor(rand() * 212)), datePrecision: 'day', type, subType: subs[Math.floor(rand() * subs.length)]!,
    actor1: 'Military Forces of Syria (2000-)', actor1Id: 'saa', assocActor1: '', actor2: 'Islamic State', actor2Id: 'isis', assocActor2: '', country: 'Syria', admin1: p.admin1 ?? '', admin2: '', admin3: '',
    location: p.name, place: p.id, lon: p.lon + (rand() - 0.5) * 0.1, lat: p.lat + (rand() - 0.5) * 0.1, geoPrecision: 1, fatalities: { best: Math.floor(rand() * rand() * 20), low: null, high: null },
    notes: 'generated for the web benchmark', sources: [{ name: 'bench' }], tags: '', status: 'reviewed', attributes: {}, provenance: { kind: 'user', user: 'bench', at: '2026-12-01T00:00:00Z' },
  });
}
for (let i = 0; i < events.length; i += 10_000) await store.putEvents(events.slice(i, i + 10_000), { by: 'bench' });

const server = createApp({ store, webRoot: join(ROOT, 'dist', 'web') });
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
// As `frontline serve` does once listening: the control model, roads and basemap are built before the
// first visitor (the first of the three first renders below used to pay for them).
await server.warm();
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'] });
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, unknown> = { measuredAt: new Date().toISOString(), events: N };
try {
  for (const [name, q] of [['default (30 days)', ''], ['all events (days=3650)', '&days=3650']] as const) {
    // The harness reads the app's state with evaluated expressions (the app's CSP forbids them; test/web checks the app runs under it).
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, bypassCSP: true });
    const ready = "window.__frontline && window.__frontline.ready && window.__frontline.date === '%D'";
    const renders: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      await page.goto(`${base}/?date=2017-07-01${q}`, { waitUntil: 'commit' });
      await page.waitForFunction(ready.replace('%D', '2017-07-01'), null, { timeout: 120_000, polling: 10 });
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      renders.push(performance.now() - t);
    }
    const shown = await page.evaluate('window.__frontline.events');
    const steps: number[] = [];
    let date = '2017-07-01';
    for (let k = 0; k < 15; k++) {
      date = addDays(date, 1);
      const t = performance.now();
      await page.click('#fwd-day');
      await page.waitForFunction(ready.replace('%D', date), null, { timeout: 60_000, polling: 5 });
      await page.evaluate('new Promise((r) => requestAnimationFrame(r))');
      steps.push(performance.now() - t);
    }
    // The app's own redraw, timed inside the page (no click or polling round trip), a step each 1.5 s so
    // that the neighbouring day's control has been fetched ahead, as when a user steps.
    const inPage: number[] = [];
    for (let k = 0; k < 15; k++) {
      date = addDays(date, 1);
      await page.waitForTimeout(1500);
      inPage.push(await page.evaluate(`(async () => { const t = performance.now(); await window.__frontline.setDate('${date}'); await new Promise((r) => requestAnimationFrame(r)); return performance.now() - t; })()`));
    }
    results[name] = { eventsOnMap: shown, firstRenderMs: Math.round(median(renders)), firstRenderRunsMs: renders.map(Math.round), stepByClickMedianMs: Math.round(median(steps)), stepByClickMaxMs: Math.round(Math.max(...steps)), stepInPageMedianMs: Math.round(median(inPage)), stepInPageMaxMs: Math.round(Math.max(...inPage)) };
    console.log(name, JSON.stringify(results[name]));
    await page.close();
  }
} finally {
  await browser.close();
  await new Promise<void>((r) => server.close(() => r()));
  await store.close();
}
// The JavaScript a first load of the map page sends (its entry and what it imports), gzipped.
const assets = join(ROOT, 'dist', 'web', 'assets');
const html = readFileSync(join(ROOT, 'dist', 'web', 'index.html'), 'utf8');
const js = readdirSync(assets).filter((f) => f.endsWith('.js') && html.includes(f));
const gz = js.reduce((s, f) => s + gzipSync(readFileSync(join(assets, f))).length, 0);
results.firstLoadJs = { files: js, gzipBytes: gz };
console.log(`first load JavaScript: ${js.join(', ')} — ${(gz / 1024).toFixed(0)} KB gzipped`);
writeFileSync(join(dir, 'web-results.json'), `${JSON.stringify(results, null, 2)}\n`);
