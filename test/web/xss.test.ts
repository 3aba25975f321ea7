/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Issue 15, item 8: stored XSS, tried in a real headless Chromium. Markup that runs script when parsed as
 * HTML (an <img onerror> and a </script><script> break-out) is stored in every free-text field the web app
 * and the briefings show: event notes, actors, locations and sources, actor, place and zone names, a
 * document's text, a draft, stabilization areas, projects and councils, and the signed-in user's name;
 * source URLs are javascript: URLs. Every page and panel that shows them is opened, and no script may run
 * (window.__xss stays undefined), no element of the payload may exist, and no javascript: link.
 *
 * The pages run with their CSP bypassed: the CSP forbids inline script, so with it a hole would create the
 * element without running it. The test proves the page never builds markup from data, whatever the CSP.
 * A positive control first shows that the detector sees the payload when it is put in as HTML.
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouncilSchema, EventSchema, ProjectSchema, type ConflictEvent } from '../../src/core/schemas.js';
import { loadDemo } from '../../src/demo/load-demo.js';
import { createApp } from '../../src/server/app.js';
import { hashPassword } from '../../src/server/auth.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ROOT, tempDir } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const WEB = process.env.FRONTLINE_TEST_WEB ?? join(ROOT, 'dist', 'web');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const missing = !existsSync(CHROMIUM) ? `Chromium at ${CHROMIUM} (Debian package chromium)` : !existsSync(join(WEB, 'index.html')) ? 'the built web app (npm run build)' : null;
if (missing && process.env.CI === 'true') throw new Error(`CI needs ${missing} for the browser tests (.ci/run installs Chromium)`);
if (missing) console.warn(`SKIPPED: browser XSS tests need ${missing}`);

/** Both payloads in one text: an element with a handler, and a break-out of a script block. */
const P = '<img src=x onerror=window.__xss=1></script><script>window.__xss=1</script>';
const JS_URL = 'javascript:window.__xss=1';
const hostileSource = { name: `source ${P}`, url: JS_URL };
const USER = { id: 'xss-admin', password: 'a long passphrase for the xss test' };

/** Where the payload would show if it were parsed: script run, elements made, javascript: links. */
async function holes(frame: Frame): Promise<{ xss: unknown; elements: number; jsLinks: number }> {
  return frame.evaluate(() => {
    const w = window as unknown as { __xss?: unknown };
    const imgs = [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src') === 'x' || i.hasAttribute('onerror'));
    const scripts = [...document.querySelectorAll('script')].filter((s) => (s.textContent ?? '').includes('__xss'));
    const links = [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? ''));
    return { xss: w.__xss, elements: imgs.length + scripts.length, jsLinks: links.length };
  });
}

/** Every frame of the page is clean, and the payload is on it as text (so the test looked at it). */
async function expectClean(page: Page, where: string, shows: string[] = []): Promise<void> {
  for (const f of page.frames()) expect(await holes(f), `${where} (${f.url()})`).toEqual({ xss: undefined, elements: 0, jsLinks: 0 });
  const text = (await Promise.all(page.frames().map((f) => f.evaluate(() => document.body?.innerText ?? '')))).join('\n');
  for (const s of shows) expect(text, `${where}: ${s}`).toContain(s);
}

describe.skipIf(Boolean(missing))('stored XSS in every page and panel (headless Chromium)', () => {
  let store: SqliteStore;
  let browser: Browser;
  let page: Page;
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const db = join(tempDir('fl-xss-'), 'x.db');
    store = openSqliteStore(db);
    await loadDemo(store, 'demo', { roadsCache: `${db}.roads` });
    await plant(store);
    const server = createApp({ store, webRoot: WEB });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    };
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page.on('dialog', (d) => void d.dismiss());
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('sees the payload when it is put in as HTML (the detector works)', async () => {
    const scratch = await browser.newPage({ bypassCSP: true });
    try {
      await scratch.goto(`${base}/api/openapi.json`);
      await scratch.evaluate((html) => {
        document.body.insertAdjacentHTML('beforeend', html);
        const a = document.createElement('a');
        a.setAttribute('href', 'javascript:void 0');
        document.body.append(a);
      }, P);
      await scratch.waitForFunction('window.__xss === 1');
      const h = await holes(scratch.mainFrame());
      expect(h.xss).toBe(1);
      expect(h.elements).toBeGreaterThan(0);
      expect(h.jsLinks).toBe(1);
    } finally {
      await scratch.close();
    }
  });

  it('the map page: the signed-in name, event table and details, filters, place search and panel', async () => {
    await page.goto(`${base}/?date=2017-06-18&days=30`);
    // Team mode: sign in from the header as the user whose name is the payload.
    await page.fill('header .signin input[aria-label=User]', USER.id);
    await page.fill('header .signin input[type=password]', USER.password);
    await page.click('header .signin button[type=submit]');
    await page.waitForFunction(`document.querySelector('header .signin')?.textContent.includes('(admin)')`, null, { timeout: 30_000 });
    await page.waitForFunction('window.__frontline && window.__frontline.ready', null, { timeout: 30_000 });
    await page.waitForSelector('#event-table tbody tr[data-id="XSS-E1"]', { timeout: 30_000 });
    await expectClean(page, 'map page', [`${P} (admin)`]);
    expect(await page.textContent('#event-table tbody tr[data-id="XSS-E1"]')).toContain(P);
    await page.click('#event-table tbody tr[data-id="XSS-E1"]');
    await page.waitForFunction('document.querySelector("#event-detail")?.textContent.includes("History:")', null, { timeout: 30_000 });
    await expectClean(page, 'event details', [`notes ${P}`, `source ${P} (${JS_URL})`]);
    // Actor and zone names in the filters' lists.
    expect(await page.locator('#actor-only option', { hasText: 'actor <img' }).count()).toBe(1);
    expect(await page.locator('#f-zone option', { hasText: 'zone <img' }).count()).toBe(1);
    // The place: found by another of its names, opened in the panel (names, control history, events near).
    await page.fill('#place-search', 'Xssville');
    await page.waitForSelector('#place-results li button', { timeout: 30_000 });
    await expectClean(page, 'place search', [`place ${P}`]);
    await page.click('#place-results li button');
    await page.waitForSelector('#place-detail ol.history li', { timeout: 30_000 });
    await expectClean(page, 'place panel', [`place ${P}`]);
    // The map: labels and the legend (the map draws names into its canvas; the legend is text).
    await page.goto(`${base}/?date=2017-07-31&lon=40.3&lat=34.8&z=7`);
    await page.waitForFunction('window.__frontline && window.__frontline.ready', null, { timeout: 30_000 });
    // The map draws the names into its canvas (no HTML popups in this app): the zone is in what it draws.
    const drawn = (await (await page.request.get(`${base}/api/control.geojson?date=2017-07-31`)).json()) as { features: { properties: { kind: string; name?: string } }[] };
    expect(drawn.features.some((f) => f.properties.kind === 'zone' && f.properties.name === `zone ${P}`)).toBe(true);
    await page.waitForSelector('#map canvas', { timeout: 30_000 });
    await expectClean(page, 'map with the hostile zone and place');
    await page.screenshot({ path: join(ARTIFACTS, 'xss-1-map.png') });
  }, 120_000);

  it('reports to events: a pasted report with the payload, and the review queue with a hostile draft', async () => {
    await page.goto(`${base}/extract.html?published=2017-06-19`);
    await page.waitForSelector('#queue .draft', { timeout: 30_000 });
    await expectClean(page, 'review queue', [`draft ${P}`]);
    await page.fill('#text', `Turkish troops shelled Tell Rifaat on Saturday. ${P} ${P}`);
    await page.selectOption('#format', 'text');
    await page.click('#doc-form button[type=submit]');
    await page.waitForSelector('#results blockquote', { timeout: 30_000 });
    await expectClean(page, 'extraction result', [P]);
    await page.screenshot({ path: join(ARTIFACTS, 'xss-2-extract.png'), fullPage: true });
  }, 60_000);

  it('the stabilization board and the area briefing in its frame', async () => {
    await page.goto(`${base}/stabilize.html?date=2017-07-31`);
    await page.waitForSelector('#board tbody tr[data-area="xss-area"]', { timeout: 30_000 });
    await expectClean(page, 'board', [`area ${P}`]);
    await page.locator('#board tbody tr[data-area="xss-area"] button').click();
    await page.frameLocator('#area').locator('h2').first().waitFor({ timeout: 30_000 });
    await expectClean(page, 'board with the briefing', [`area ${P}`, `council ${P}`, `project ${P}`, `source ${P}`]);
    await page.screenshot({ path: join(ARTIFACTS, 'xss-3-board.png'), fullPage: true });
  }, 60_000);

  it('the HTML briefing opened on its own (no sandbox, CSP bypassed)', async () => {
    const r = await page.goto(`${base}/api/stabilization/brief.html?date=2017-07-31&area=xss-area`);
    expect(r!.status()).toBe(200);
    await expectClean(page, 'briefing', [`area ${P}`, `council ${P}`, `project ${P}`, `source ${P} — ${JS_URL}`]);
    // The demo's real sources are still links.
    expect(await page.locator('a[href^="https://"]').count()).toBeGreaterThan(0);
  }, 60_000);
});

/** The hostile records, made from demo records (so they are valid and shown where the demo's are). */
async function plant(store: SqliteStore): Promise<void> {
  const by = { by: 'xss-test' };
  await store.putUsers([{ id: USER.id, name: P, role: 'admin', passwordHash: hashPassword(USER.password), disabled: false }], by);
  const sdf = (await store.listActors()).find((a) => a.id === 'sdf')!;
  await store.putActors([{ ...sdf, id: 'xss-actor', name: `actor ${P}`, aliases: [`alias ${P}`], sources: [hostileSource] }], by);
  const tabqa = (await store.getPlace('tabqa'))!;
  await store.putPlaces([{ ...tabqa, id: 'xss-place', name: `place ${P}`, names: [`place ${P}`, 'Xssville'], lon: tabqa.lon + 0.05, lat: tabqa.lat + 0.05, admin1: `admin ${P}`, sources: [hostileSource] }], by);
  const obs = (await store.listControlObservations()).find((o) => o.place === 'tabqa')!;
  await store.putControlObservations([{ ...obs, id: 'xss-obs', place: 'xss-place', source: hostileSource, notes: `observation ${P}` }], by);
  const zone = (await store.listZones())[0]!;
  // A square of desert of its own, so that its label has room on the map.
  const square = [[40.0, 34.6], [40.6, 34.6], [40.6, 35.0], [40.0, 35.0], [40.0, 34.6]] as [number, number][];
  await store.putZones([{ ...zone, id: 'xss-zone', name: `zone ${P}`, notes: `zone ${P}`, sources: [hostileSource], geometry: { type: 'Polygon', coordinates: [square] }, from: '2017-01-01' }], by);
  const su22 = (await store.getEvent('FLD055'))!;
  const event = (over: Partial<ConflictEvent>): ConflictEvent => EventSchema.parse({ ...su22, ...over });
  await store.putEvents(
    [
      event({ id: 'XSS-E1', notes: `notes ${P}`, actor1: `actor ${P}`, actor2: `actor2 ${P}`, location: `location ${P}`, sources: [hostileSource], place: 'xss-place' } as Partial<ConflictEvent>),
      event({ id: 'XSS-D1', status: 'draft', date: '2017-06-19', notes: `draft ${P}`, actor1: `draft actor ${P}`, location: `draft location ${P}`, sources: [hostileSource], provenance: { kind: 'document', document: 'xss-doc', span: [0, 40] } } as Partial<ConflictEvent>),
    ],
    by,
  );
  await store.putDocuments([{ id: 'xss-doc', title: `title ${P}`, publisher: `publisher ${P}`, published: '2017-06-19', url: JS_URL, text: `document ${P} Turkish troops shelled Tell Rifaat.` }], by);
  const area = (await store.listStabilizationAreas()).find((a) => a.id === 'tabqa')!;
  await store.putStabilizationAreas([{ ...area, id: 'xss-area', name: `area ${P}`, notes: `notes ${P}`, sources: [...area.sources, hostileSource] }], by);
  await store.putProjects([ProjectSchema.parse({ id: 'xss-project', area: 'xss-area', title: `project ${P}`, sector: `sector ${P}`, implementer: `implementer ${P}`, funder: `funder ${P}`, budgetUsd: 1000, status: 'ongoing', progress: 0.5, start: '2017-06-01', source: hostileSource })], by);
  await store.putCouncils([CouncilSchema.parse({ id: 'xss-council', area: 'xss-area', name: `council ${P}`, formed: '2017-05-20', composition: `composition ${P}`, recognition: `recognition ${P}`, source: hostileSource })], by);
  const indicators = (await store.listIndicators('tabqa')).map((i, k) => ({ ...i, id: `xss-ind-${k}`, area: 'xss-area', notes: `indicator ${P}`, source: hostileSource }));
  await store.putIndicators(indicators, by);
}
