/**
 * The web app in a real headless Chromium (Debian's, driven by playwright-core): the demo loads, the map
 * follows the timeline as the data says, search finds places in any spelling, and no request leaves the
 * machine. Screenshots of each step go to test-artifacts/ for review.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.js';
import { createApp } from '../../src/server/app.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ROOT, tempDir } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const WEB = join(ROOT, 'dist', 'web');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const missing = !existsSync(CHROMIUM) ? `Chromium at ${CHROMIUM} (Debian package chromium)` : !existsSync(join(WEB, 'index.html')) ? 'the built web app (npm run build)' : null;
if (missing && process.env.CI === 'true') throw new Error(`CI needs ${missing} for the browser tests (.ci/run installs Chromium)`);
if (missing) console.warn(`SKIPPED: browser tests need ${missing}`);

describe.skipIf(Boolean(missing))('web app in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let base: string;
  let close: () => Promise<void>;
  const requests: string[] = [];

  beforeAll(async () => {
    const db = join(tempDir('fl-web-'), 'w.db');
    const store = openSqliteStore(db);
    await loadDemo(store, 'demo', { roadsCache: `${db}.roads` });
    const server = createApp({ store, webRoot: WEB });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    };
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'] });
    // The tests read the app's state with evaluated expressions, which the app's CSP forbids: they bypass
    // it; the test below checks that the app itself runs under it.
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true, bypassCSP: true });
    page.on('request', (r) => requests.push(r.url()));
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  const frontline = <T>(expr: string): Promise<T> => page.evaluate(`window.__frontline && (${expr})`) as Promise<T>;
  /** Opens the map at an address and waits until the app says it is ready. */
  const openApp = async (p: Page, url: string): Promise<void> => {
    await p.goto(url);
    await p.waitForFunction('window.__frontline && window.__frontline.ready', null, { timeout: 30_000 });
  };
  const holderOf = (placeId: string): Promise<string | undefined> => frontline(`window.__frontline.control.places.find((p) => p.placeId === ${JSON.stringify(placeId)})?.bloc`);

  it('loads the demo on a date from the URL, and the map follows the timeline (Tabqa: ISIS, then the SDF)', async () => {
    await page.goto(`${base}/?date=2017-03-01`);
    await page.waitForFunction('window.__frontline && window.__frontline.ready && window.__frontline.date === "2017-03-01"', null, { timeout: 30_000 });
    expect(await page.textContent('#date')).toBe('2017-03-01');
    expect(await holderOf('tabqa')).toBe('isis');
    expect(Number(await page.locator('#blocs tbody tr').count())).toBeGreaterThan(3);
    await page.screenshot({ path: join(ARTIFACTS, 'web-1-2017-03-01.png') });
    // Move the slider to 2017-07-15, as a user would.
    const day = Math.round(Date.parse('2017-07-15T00:00:00Z') / 86_400_000);
    await page.locator('#slider').evaluate((el, v) => {
      (el as unknown as { value: string }).value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, day);
    await page.waitForFunction('window.__frontline.date === "2017-07-15" && window.__frontline.ready', null, { timeout: 30_000 });
    expect(await holderOf('tabqa')).toBe('sdf');
    expect(new URL(page.url()).searchParams.get('date')).toBe('2017-07-15');
    expect(await frontline<number>('window.__frontline.events')).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-2-2017-07-15.png') });
  }, 60_000);

  it('steps by a week with the buttons, and finds "Deir Ezzor" in any spelling', async () => {
    await page.click('#back-week');
    await page.waitForFunction('window.__frontline.date === "2017-07-08"', null, { timeout: 30_000 });
    await page.fill('#place-search', 'Deir Ezzor');
    await page.waitForSelector('#place-results li');
    expect(await page.textContent('#place-results')).toContain('Deir ez-Zor');
    await page.screenshot({ path: join(ARTIFACTS, 'web-3-search.png') });
  }, 60_000);

  it('filters events to air strikes (rows match the API), opens the Su-22 shoot-down with its sources and history', async () => {
    await page.goto(`${base}/?date=2017-06-30&days=180`);
    await page.waitForFunction('window.__frontline && window.__frontline.ready && window.__frontline.date === "2017-06-30"', null, { timeout: 30_000 });
    await page.selectOption('#f-type', 'Explosions/Remote violence');
    await page.selectOption('#f-sub', 'Air/drone strike');
    await page.waitForFunction('window.__frontline.ready && new URL(location.href).searchParams.get("subType") === "Air/drone strike"', null, { timeout: 30_000 });
    await page.waitForFunction('window.__frontline.ready');
    const api = (await (await fetch(`${base}/api/events?since=2017-01-02&until=2017-06-30&type=Explosions/Remote%20violence&subType=Air/drone%20strike`)).json()) as { features: unknown[] };
    expect(api.features.length).toBeGreaterThan(0);
    expect(await page.locator('#event-table tbody tr').count()).toBe(Math.min(200, api.features.length));
    expect(await page.textContent('#event-count')).toBe(`(${api.features.length})`);
    // The Su-22 shoot-down (FLD055) is a strategic development: clear the filter and open it from the table.
    await page.selectOption('#f-type', 'Strategic developments');
    await page.waitForSelector('#event-table tbody tr[data-id="FLD055"]');
    await page.click('#event-table tbody tr[data-id="FLD055"]');
    await page.waitForFunction('document.querySelector("#event-detail")?.textContent.includes("History:")');
    const detail = await page.textContent('#event-detail');
    expect(detail).toContain('2017-06-18');
    // Its sources as the demo records them (events.csv's source column).
    const su22 = (await (await fetch(`${base}/api/events?since=2017-06-18&until=2017-06-18`)).json()) as { features: { id: string; properties: { sources: { name: string }[] } }[] };
    const names = su22.features.find((f) => f.id === 'FLD055')!.properties.sources.map((x) => x.name);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(detail).toContain(n);
    expect(detail).toContain('History:');
    expect(detail).toMatch(/Provenance: .*events\.csv line \d+/);
    await page.screenshot({ path: join(ARTIFACTS, 'web-7-su22.png') });
  }, 60_000);

  it('opens a place with its control history, runs the race for Deir ez-Zor, draws charts, compares dates, and exports CSV', async () => {
    await openApp(page, `${base}/?date=2017-07-31`);
    await page.fill('#place-search', 'Tabqa');
    await page.click('#place-results li button');
    await page.waitForSelector('#place-detail ol.history li');
    const place = await page.textContent('#place-detail');
    expect(place).toContain('Tabqa');
    expect(place).toMatch(/2017-05-10: sdf/); // taken from ISIS on 10 May 2017
    expect(place).toContain('Stabilization area Tabqa and the dam');
    await page.fill('#race-objective', 'Deir ez-Zor');
    await page.click('#race-form button');
    await page.waitForSelector('#race-arrivals tbody tr');
    expect(await page.textContent('#race-result')).toMatch(/held by government: (\w+) first/);
    expect(await page.evaluate('window.__frontline.race.winner')).toBeTruthy();
    for (const id of ['chart-population', 'chart-events', 'chart-fatalities']) expect(await page.locator(`#${id} svg`).count(), id).toBeGreaterThan(0);
    await page.fill('#compare', '2017-03-01');
    await page.dispatchEvent('#compare', 'change');
    await page.waitForSelector('#diff li');
    // Blocs by name, not id (issue 20), and no "unaffiliated" bloc gaining or losing HTS's places.
    expect(await page.textContent('#diff')).toMatch(/SDF and US-backed Syrian forces: \+\d+/);
    expect(await page.textContent('#diff')).not.toMatch(/unaffiliated|Unaffiliated/);
    const url = new URL(page.url());
    expect([url.searchParams.get('compare'), url.searchParams.get('place'), url.searchParams.get('objective')]).toEqual(['2017-03-01', 'tabqa', 'Deir ez-Zor']);
    await page.screenshot({ path: join(ARTIFACTS, 'web-8-place-race-diff.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('id,date,type,subType,actor1,actor2,location,best,longitude,latitude');
    expect(csv.length - 1).toBe(await page.evaluate('window.__frontline.events'));
    // The view comes back from the address alone.
    await page.goto(url.toString());
    await page.waitForSelector('#race-arrivals tbody tr');
    await page.waitForSelector('#place-detail ol.history li');
    expect(await page.inputValue('#compare')).toBe('2017-03-01');
  }, 90_000);

  it('turns a pasted report into drafts, shows markup as text, and accepts a draft from the queue', async () => {
    await page.goto(`${base}/extract.html?published=2017-06-19`);
    const report = 'A US aircraft shot down a Syrian jet near Tabqa on Sunday. <img src=x onerror="window.__pwned=1"> If the army reaches Deir ez-Zor, the coalition could stop.';
    await page.fill('#text', report);
    await page.check('#save');
    await page.fill('#user', 'analyst-c');
    await page.click('#doc-form button[type=submit]');
    await page.waitForSelector('#results .draft');
    expect(await page.locator('#results .draft').count()).toBe(1);
    expect(await page.textContent('#results .draft h3')).toBe('Strategic developments / Disrupted weapons use');
    expect(await page.textContent('#results')).toContain('conditional');
    expect(await page.evaluate('window.__pwned')).toBeUndefined(); // the text was never put in as HTML
    expect(await page.locator('#results img').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'web-4-extract.png'), fullPage: true });
    // The demo has this shoot-down (FLD055): the draft corroborates it and is not queued twice.
    expect(await page.textContent('#results')).toContain('FLD055');
    // A new event is queued; accept it from the queue.
    await page.fill('#text', 'Turkish troops shelled Tell Rifaat on Saturday.');
    await page.click('#doc-form button[type=submit]');
    await page.waitForSelector('#queue .draft');
    const before = await page.locator('#queue .draft').count();
    await page.locator('#queue .draft button', { hasText: 'Accept' }).first().click();
    await page.waitForFunction(`document.querySelectorAll('#queue .draft').length === ${before - 1}`);
    await page.screenshot({ path: join(ARTIFACTS, 'web-5-review.png'), fullPage: true });
  }, 60_000);

  it('shows the stabilization board ranked, the what-if column, and an area\'s briefing', async () => {
    await page.goto(`${base}/stabilize.html?date=2017-07-31&withdraw=coalition`);
    await page.waitForSelector('#board tbody tr');
    const rows = await page.locator('#board tbody tr').count();
    expect(rows).toBe(5);
    const tabqa = page.locator('#board tbody tr[data-area="tabqa"]');
    expect(await tabqa.locator('td').nth(2).textContent()).toBe('sdf');
    expect(await tabqa.locator('td').nth(3).textContent()).toBe('2017-05-10');
    expect(await page.isVisible('#th-without')).toBe(true);
    await tabqa.locator('button').click();
    const frame = page.frameLocator('#area');
    await frame.locator('h2').first().waitFor();
    expect(await frame.locator('h2').first().textContent()).toBe('Tabqa and the dam');
    expect(await frame.locator('body').textContent()).toContain('Control history');
    expect(await frame.locator('svg').count()).toBeGreaterThanOrEqual(2);
    expect(new URL(page.url()).searchParams.get('area')).toBe('tabqa');
    await page.screenshot({ path: join(ARTIFACTS, 'web-6-stabilize.png'), fullPage: true });
  }, 60_000);

  it('hides a bloc with its toggle and shows one actor\'s places, with zone names on the map', async () => {
    await openApp(page, `${base}/?date=2017-06-01`);
    // What the map draws changes a frame or more after a filter: wait for it, under load too.
    const until = (expr: string): Promise<unknown> => page.waitForFunction(expr, null, { timeout: 30_000 });
    await until('window.__frontline.rendered("places").includes("isis")');
    const box = page.locator('#blocs tbody input[aria-label="Show Islamic State"]');
    await box.uncheck();
    expect(await page.evaluate('window.__frontline.hiddenBlocs')).toEqual(['isis']);
    await until('(() => { const p = window.__frontline.rendered("places"); return p.length > 0 && !p.includes("isis") && !window.__frontline.rendered("areas").includes("isis"); })()');
    await page.selectOption('#actor-only', 'sdf');
    await until('(() => { const a = window.__frontline.rendered("places", "actor"); return a.length > 0 && a.every((x) => x === "sdf"); })()');
    await box.check();
    expect(await page.evaluate('window.__frontline.hiddenBlocs')).toEqual([]);
    await until('window.__frontline.rendered("zone-labels", "name").length > 0');
    await page.screenshot({ path: join(ARTIFACTS, 'web-10-toggles.png') });
    await page.selectOption('#actor-only', '');
  }, 60_000);

  it('lets an analyst record control, correct an event and draw a zone; each edit is in the history', async () => {
    // No accounts on this server (personal mode): the local user may edit, and is named "local".
    await openApp(page, `${base}/?date=2017-07-31`);
    expect(await page.textContent('header .signin')).toContain('personal mode');
    await page.fill('#place-search', 'Maadan');
    await page.click('#place-results li button');
    await page.waitForSelector('#place-detail form.edit');
    expect(await holderOf('maadan')).toBe('isis');
    await page.selectOption('#place-detail form.edit select >> nth=0', 'sdf');
    await page.fill('#place-detail form.edit input[placeholder^="source"]', 'a test report');
    await page.click('#place-detail form.edit button[type=submit]');
    await page.waitForFunction('window.__frontline.ready && window.__frontline.control.places.find((p) => p.placeId === "maadan")?.bloc === "sdf"', null, { timeout: 30_000 });
    // Correct the Su-22 event's toll; the history gets a version by "local".
    await page.goto(`${base}/?date=2017-06-18&type=Strategic%20developments`);
    await page.waitForSelector('#event-table tbody tr[data-id="FLD055"]');
    await page.click('#event-table tbody tr[data-id="FLD055"]');
    await page.waitForSelector('#event-detail form.edit');
    await page.fill('#event-detail form.edit input[type=number]', '1');
    await page.click('#event-detail form.edit button[type=submit]');
    await page.waitForFunction('document.querySelector("#event-detail")?.textContent.match(/v\\d+ update by local/)', null, { timeout: 30_000 });
    // Draw a triangle and save it as a ceasefire zone.
    const zonesBefore = ((await (await fetch(`${base}/api/meta`)).json()) as { zones: unknown[] }).zones.length;
    await page.click('#zone-draw');
    const box = (await page.locator('#map canvas').boundingBox())!;
    for (const [fx, fy] of [[0.3, 0.3], [0.5, 0.3], [0.4, 0.5]]) await page.mouse.click(box.x + box.width * fx!, box.y + box.height * fy!);
    await page.fill('#zone-name', 'Test ceasefire');
    await page.click('#zone-save');
    await page.waitForFunction('document.querySelector("#zone-hint")?.textContent === "Saved."', null, { timeout: 30_000 });
    const zones = ((await (await fetch(`${base}/api/meta`)).json()) as { zones: { name: string; kind: string }[] }).zones;
    expect(zones.length).toBe(zonesBefore + 1);
    expect(zones.find((z) => z.name === 'Test ceasefire')).toMatchObject({ kind: 'ceasefire' });
    await page.screenshot({ path: join(ARTIFACTS, 'web-9-editing.png') });
  }, 90_000);

  it('draws the race\'s reach and first arrivals, races only the chosen blocs, and re-runs with a place given to another actor', async () => {
    await openApp(page, `${base}/?date=2017-07-31`);
    await page.fill('#race-objective', 'Deir ez-Zor');
    await page.click('#race-form button');
    await page.waitForSelector('#race-arrivals tbody tr');
    const drawn = (await page.evaluate('window.__frontline.raceMap')) as string[];
    expect(drawn.some((k) => k.startsWith('first-arrival:'))).toBe(true);
    expect(drawn).toContain('isochrone:sdf:7');
    // The fronts between first arrivals: where two blocs' forces would meet.
    expect(drawn.some((k) => k.startsWith('arrival-front:'))).toBe(true);
    await page.waitForFunction('window.__frontline.rendered("race-first").length > 0', null, { timeout: 30_000 });
    // Give Deir ez-Zor itself to the SDF for this race only: the race sees a new holder; nothing is saved.
    await page.fill('#place-search', 'Deir ez-Zor');
    await page.click('#place-results li button');
    await page.waitForSelector('#place-detail form.what-if');
    await page.selectOption('#place-detail form.what-if select', 'sdf');
    await page.click('#place-detail form.what-if button');
    await page.waitForFunction('document.querySelector("#race-result")?.textContent.includes("held by sdf")', null, { timeout: 30_000 });
    expect(await page.textContent('#race-holds')).toContain('deir-ez-zor held by sdf');
    expect(((await (await fetch(`${base}/api/control?date=2017-07-31`)).json()) as { places: { placeId: string; bloc: string }[] }).places.find((p) => p.placeId === 'deir-ez-zor')?.bloc).toBe('government');
    // Only two blocs race.
    for (const box of await page.locator('#race-blocs input').all()) if (!['government', 'sdf'].includes((await box.getAttribute('value'))!)) await box.uncheck();
    await page.click('#race-form button');
    await page.waitForFunction('document.querySelectorAll("#race-arrivals tbody tr").length === 2', null, { timeout: 30_000 });
    expect((await page.locator('#race-arrivals tbody tr td:first-child').allTextContents()).sort()).toEqual(['government', 'sdf']);
    await page.screenshot({ path: join(ARTIFACTS, 'web-10-race-map.png') });
  }, 90_000);

  it('draws the land, borders and names of the countries round the scenario from its own data, and hatches contested land', async () => {
    await openApp(page, `${base}/?date=2017-07-31&lon=39&lat=35&z=5`);
    // Tiles arrive one after another: wait until the neighbours are all drawn (or fail naming who is missing).
    const want = ['Syria', 'Iraq', 'Turkey', 'Jordan', 'Lebanon'];
    await page.waitForFunction(`(() => { const n = window.__frontline.rendered("land", "name"); return ${JSON.stringify(want)}.every((x) => n.includes(x)); })()`, null, { timeout: 30_000 }).catch(() => undefined);
    const names = (await page.evaluate('window.__frontline.rendered("land", "name")')) as string[];
    for (const n of want) expect(names, n).toContain(n);
    // Contested and besieged land is hatched (Raqqa was contested, Deir ez-Zor's enclave besieged).
    await page.waitForFunction('window.__frontline.rendered("contested", "status").length > 0', null, { timeout: 30_000 });
    expect(new Set((await page.evaluate('window.__frontline.rendered("contested", "status")')) as string[])).toEqual(new Set(['contested', 'besieged']));
    expect(((await page.evaluate('window.__frontline.rendered("borders", "kind")')) as string[]).length).toBeGreaterThan(0);
  }, 60_000);

  it('works at a tablet\'s width and from the keyboard alone: the timeline steps, an event row opens with Enter', async () => {
    const tablet = await browser.newPage({ viewport: { width: 768, height: 1024 }, bypassCSP: true });
    try {
      await openApp(tablet, `${base}/?date=2017-06-18&type=Strategic%20developments`);
      // The panel goes under the map; nothing is wider than the screen.
      const [mapBox, panelBox] = await Promise.all([tablet.locator('#map').boundingBox(), tablet.locator('#panel').boundingBox()]);
      expect(mapBox!.width).toBeGreaterThan(700);
      expect(panelBox!.y).toBeGreaterThanOrEqual(mapBox!.y + mapBox!.height - 1);
      expect(await tablet.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      // Keyboard: focus the one-day step, press Enter; the focus ring is visible.
      await tablet.focus('#fwd-day');
      expect(await tablet.evaluate('getComputedStyle(document.activeElement).outlineStyle')).not.toBe('none');
      await tablet.keyboard.press('Enter');
      await tablet.waitForFunction('window.__frontline.ready && window.__frontline.date === "2017-06-19"', null, { timeout: 30_000 });
      await tablet.keyboard.press('Shift+Tab');
      await tablet.keyboard.press('Shift+Tab'); // back to "−1 d"
      await tablet.keyboard.press('Enter');
      await tablet.waitForFunction('window.__frontline.ready && window.__frontline.date === "2017-06-18"', null, { timeout: 30_000 });
      await tablet.focus('#event-table tbody tr[data-id="FLD055"]');
      await tablet.keyboard.press('Enter');
      await tablet.waitForFunction('document.querySelector("#event-detail")?.textContent.includes("History:")', null, { timeout: 30_000 });
      await tablet.screenshot({ path: join(ARTIFACTS, 'web-11-tablet.png'), fullPage: true });
    } finally {
      await tablet.close();
    }
  }, 60_000);

  it('shows markup in event notes, actor names and zone names as text, never running it', async () => {
    const xss = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const su22 = ((await (await fetch(`${base}/api/events/history?id=FLD055`)).json()) as { current: Record<string, unknown> }).current;
    const r = await fetch(`${base}/api/events/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ event: { ...su22, id: 'XSS1', provenance: undefined, status: undefined, notes: xss, actor1: xss, location: xss } }) });
    expect(r.status).toBe(200);
    await page.goto(`${base}/?date=2017-06-18&type=Strategic%20developments`);
    await page.waitForSelector('#event-table tbody tr[data-id="XSS1"]');
    expect(await page.textContent('#event-table tbody tr[data-id="XSS1"]')).toContain('<img src=x');
    await page.click('#event-table tbody tr[data-id="XSS1"]');
    await page.waitForFunction('document.querySelector("#event-detail")?.textContent.includes("History:")');
    expect(await page.textContent('#event-detail')).toContain('<script>window.__pwned=2</script>');
    expect(await page.locator('#event-detail img, #event-table img, #event-detail script').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  }, 60_000);

  it('runs under its own content security policy: no violation, map, events and charts drawn', async () => {
    const strict = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const violations: string[] = [];
    strict.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    strict.on('request', (r) => requests.push(r.url()));
    const res = await strict.goto(`${base}/?date=2017-06-18`);
    expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await strict.waitForSelector('#blocs tbody tr', { timeout: 30_000 });
    await strict.waitForSelector('#event-table tbody tr', { timeout: 30_000 });
    await strict.waitForSelector('#chart-events svg', { timeout: 30_000 });
    await strict.waitForSelector('#map canvas', { timeout: 30_000 });
    expect(violations).toEqual([]);
    await strict.close();
  }, 60_000);

  it('makes no request to any host but its own', () => {
    const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(requests.length).toBeGreaterThan(3);
    expect(foreign).toEqual([]);
  });
});
