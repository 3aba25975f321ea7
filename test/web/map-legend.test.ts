/**
 * The map a reader can read (issue 20), in headless Chromium: the legend (areas, lines, places, events;
 * the race's part when a race is drawn), rivers, lakes and governorate borders from the demo's reference
 * layers, place labels at a useful density, the publication PNG, the layout mends (the what-if, the blocs
 * table, the racers), and editing a draft with click-to-place. Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { event } from '../store/contract.js';
import { ROOT, serveStore, tempDir } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const WEB = join(ROOT, 'dist', 'web');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const missing = !existsSync(CHROMIUM) ? `Chromium at ${CHROMIUM} (Debian package chromium)` : !existsSync(join(WEB, 'index.html')) ? 'the built web app (npm run build)' : null;
if (missing && process.env.CI === 'true') throw new Error(`CI needs ${missing} for the browser tests (.ci/run installs Chromium)`);

describe.skipIf(Boolean(missing))('a map people can read, in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let base: string;
  let store: SqliteStore;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const db = join(tempDir('fl-web-legend-'), 'w.db');
    store = openSqliteStore(db);
    await loadDemo(store, 'demo', { roadsCache: `${db}.roads` });
    // A draft to edit: at al-Sukhnah, to be moved to Tabqa on the map.
    await store.putEvents([event('DRAFT-T1', '2017-07-20', 38.87, 34.88, { status: 'draft', location: 'al-Sukhnah', notes: 'an air strike was reported', type: 'Explosions/Remote violence', subType: 'Air/drone strike' })], { by: 'test' });
    ({ base, close } = await serveStore(store, { webRoot: WEB }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await close?.();
    await store?.close();
  });

  const open = async (url: string): Promise<void> => {
    await page.goto(url);
    await page.waitForFunction('window.__frontline && window.__frontline.ready', null, { timeout: 30_000 });
    // The basemap (rivers, borders, labels) is its own source: wait until the map has drawn it.
    await page.waitForFunction('window.__map.isSourceLoaded("basemap") && window.__map.loaded()', null, { timeout: 30_000 });
  };
  /** Evaluated in the page as text (the tests' TypeScript has no DOM types). */
  const js = <T>(expr: string): Promise<T> => page.evaluate(expr) as Promise<T>;
  const rendered = (layer: string, prop: string): Promise<unknown[]> => js(`window.__frontline.rendered(${JSON.stringify(layer)}, ${JSON.stringify(prop)})`);

  it('shows a legend of areas, lines, places and events, and draws rivers, lakes, governorate borders and labels', async () => {
    await open(`${base}/?date=2017-07-31`);
    const legend = page.locator('#legend');
    expect(await legend.isVisible()).toBe(true);
    for (const id of ['legend-areas', 'legend-lines', 'legend-places', 'legend-events']) expect(await page.locator(`#legend #${id} li`).count(), id).toBeGreaterThan(1);
    const text = await legend.textContent();
    // Every bloc that can hold ground, by name; civilians and "other" actors are no areas.
    const meta = (await (await fetch(`${base}/api/meta`)).json()) as { blocs: { id: string; name: string; racer: boolean }[] };
    for (const b of meta.blocs.filter((x) => x.racer)) expect(text).toContain(b.name);
    expect(text).not.toContain('Civilians');
    for (const mark of ['Front line', 'River, lake', 'Governorate border', 'Contested or besieged', 'Battles']) expect(text).toContain(mark);
    // The layers exist in the style and draw something on screen.
    const layers = await js<string[]>('window.__map.getStyle().layers.map((l) => l.id)');
    for (const id of ['rivers', 'lakes', 'adm1-borders', 'adm2-borders', 'river-labels', 'place-labels', 'adm1-labels']) expect(layers).toContain(id);
    expect(await rendered('rivers', 'name')).toContain('Euphrates');
    expect(await rendered('lakes', 'name')).toContain('Lake Assad');
    expect((await rendered('adm1-borders', 'kind')).length).toBeGreaterThan(0);
    // Labels at a useful density: more than the dozen places of over 60,000 people labelled before, and
    // MapLibre's collision test keeps them apart (none overlap on screen).
    const labels = await js<string[]>("[...new Set(window.__map.queryRenderedFeatures({ layers: ['place-labels'] }).map((f) => f.properties.place))]");
    expect(labels.length).toBeGreaterThan(25);
    for (const name of ['Aleppo', 'Raqqa', 'Tabqa', 'Palmyra']) expect(labels).toContain(name);
    await page.screenshot({ path: join(ARTIFACTS, 'web-legend-1-map.png') });
    // Zoomed in on Tabqa: district borders and Lake Assad's shore, labels of smaller places.
    await js('window.__map.jumpTo({ center: [38.55, 35.9], zoom: 8.3 })');
    await page.waitForFunction('window.__map.loaded()', null, { timeout: 30_000 });
    expect((await rendered('adm2-borders', 'kind')).length).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-legend-2-tabqa.png') });
  }, 90_000);

  it('exports the map for publication: title, map, legend, scale, north and sources on one PNG', async () => {
    await open(`${base}/?date=2017-07-31&lon=38.6&lat=35.6&z=7`);
    const url = await js<string>('window.__frontline.publicationPng()');
    const png = Buffer.from(url.split(',')[1]!, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const canvas = await js<number[]>("[document.querySelector('#map canvas').clientWidth, document.querySelector('#map canvas').clientHeight]");
    // The picture is wider than the map by the legend's column and taller by the title and the sources.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(canvas[0]! + 250);
    expect(png.readUInt32BE(20)).toBeGreaterThan(canvas[1]!);
    writeFileSync(join(ARTIFACTS, 'web-legend-3-publication.png'), png);
  }, 60_000);

  it('races only blocs that can race, and adds the race to the legend', async () => {
    await open(`${base}/?date=2017-07-31`);
    const racers = await page.locator('#race-blocs label').allTextContents();
    expect(racers.map((r) => r.trim())).not.toContain('Civilians');
    expect(racers.map((r) => r.trim())).not.toContain('Other actors');
    expect(racers.length).toBeGreaterThan(3);
    await page.fill('#race-objective', 'Deir ez-Zor');
    await page.click('#race-form button');
    await page.waitForSelector('#legend #legend-race li');
    const race = await page.textContent('#legend #legend-race');
    for (const mark of ['Arrival front', 'Reach in 1 day', 'Reach in 3 days', 'Reach in 7 days', 'First: ']) expect(race).toContain(mark);
    // Each first-arrival area drawn has its bloc in the legend.
    const firsts = await js<string[]>("window.__frontline.raceMap.filter((k) => k.startsWith('first-arrival:')).map((k) => k.split(':')[1])");
    const meta = (await (await fetch(`${base}/api/meta`)).json()) as { blocs: { id: string; name: string }[] };
    for (const b of new Set(firsts)) expect(race).toContain(meta.blocs.find((x) => x.id === b)!.name);
    await page.screenshot({ path: join(ARTIFACTS, 'web-legend-4-race.png') });
  }, 90_000);

  it('keeps the blocs table inside its panel and the what-if on whole words', async () => {
    await open(`${base}/?date=2017-07-31&place=manbij`);
    await page.waitForSelector('form.what-if');
    const fits = await js<boolean>("(() => { const panel = document.getElementById('panel'); const table = document.getElementById('blocs'); return table.getBoundingClientRect().right <= panel.getBoundingClientRect().right - 4 && panel.scrollWidth <= panel.clientWidth; })()");
    expect(fits).toBe(true);
    // "What if" and "held it?" each on one line (one letter a line made them ~10 lines tall).
    const heights = await js<number[][]>("[...document.querySelectorAll('form.what-if span')].map((s) => [s.getBoundingClientRect().height, parseFloat(getComputedStyle(s).lineHeight) || 20])");
    for (const [h, line] of heights) expect(h!).toBeLessThan(line! * 1.6);
    await page.locator('form.what-if').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'web-legend-5-panel.png') });
  }, 60_000);

  it('edits a draft in the review queue, placing it by a click on the map; asks for a reason to reject', async () => {
    await page.goto(`${base}/extract.html`);
    const card = page.locator('#queue .draft[data-id="DRAFT-T1"]');
    await card.waitFor();
    // Reject without a reason: the page asks for one and sends nothing.
    let sent = 0;
    page.on('request', (r) => void (r.url().includes('/api/drafts/reject') && sent++));
    await card.locator('button', { hasText: 'Reject' }).click();
    expect(await card.locator('.hint').textContent()).toMatch(/Say why it is rejected/);
    expect(await card.locator('input[aria-invalid="true"]').count()).toBe(1);
    expect(sent).toBe(0);
    // Edit: the form, its map; a click on the map places the event there.
    await card.locator('button', { hasText: 'Edit' }).click();
    const form = card.locator('form.draft-edit');
    await form.waitFor();
    await page.waitForFunction("Boolean(document.querySelector('form.draft-edit')?.map?.loaded())", null, { timeout: 30_000 });
    const box = (await form.locator('.draft-map canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.3);
    const lon = Number(await form.locator('input.draft-lon').inputValue());
    const lat = Number(await form.locator('input.draft-lat').inputValue());
    expect(lon).not.toBe(38.87);
    expect(lon).toBeLessThan(38.87); // clicked left of the centre: further west
    expect(lat).toBeGreaterThan(34.88); // and above it: further north
    await form.locator('label', { hasText: 'Location' }).locator('input').fill('Tabqa');
    await form.locator('label', { hasText: 'Killed' }).locator('input').fill('3');
    await page.screenshot({ path: join(ARTIFACTS, 'web-legend-6-draft-edit.png'), fullPage: true });
    await form.locator('button', { hasText: 'Save (keep as draft)' }).click();
    await page.waitForFunction("!document.querySelector('form.draft-edit')", null, { timeout: 30_000 });
    const saved = await store.getEvent('DRAFT-T1');
    expect(saved).toMatchObject({ status: 'draft', location: 'Tabqa', fatalities: { best: 3 } });
    // The place follows the name (the gazetteer's Tabqa) or keeps the clicked point: never al-Sukhnah's.
    expect(Math.abs(saved!.lon - 38.87) + Math.abs(saved!.lat - 34.88)).toBeGreaterThan(0.3);
  }, 90_000);
});
