/**
 * Drafts in the web app (issue 20): the map and the list show reviewed events only; an analyst (here the
 * local user of personal mode) who ticks "Drafts too" sees them ringed on the map and marked DRAFT in the
 * list, while the charts still count reviewed events only; a viewer is not offered the box at all.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictEvent } from '../../src/core/schemas.js';
import { hashPassword } from '../../src/server/auth.js';
import { demoStore, ROOT, serveStore } from '../helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const WEB = join(ROOT, 'dist', 'web');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const missing = !existsSync(CHROMIUM) ? `Chromium at ${CHROMIUM} (Debian package chromium)` : !existsSync(join(WEB, 'index.html')) ? 'the built web app (npm run build)' : null;
if (missing && process.env.CI === 'true') throw new Error(`CI needs ${missing} for the browser tests (.ci/run installs Chromium)`);
if (missing) console.warn(`SKIPPED: browser tests need ${missing}`);

const DRAFT: ConflictEvent = {
  id: 'draft-web-1', date: '2017-07-25', datePrecision: 'day', type: 'Violence against civilians', subType: 'Attack', actor1: 'Unidentified Armed Group (Syria)',
  actor1Id: null, assocActor1: '', actor2: 'Civilians (Syria)', actor2Id: null, assocActor2: '', country: 'Syria', admin1: 'Raqqa', admin2: '', admin3: '', location: 'Tabqa draft place',
  place: 'tabqa', lon: 38.54828, lat: 35.83758, geoPrecision: 1, fatalities: { best: 77, low: null, high: null }, notes: 'unreviewed', sources: [], tags: '',
  status: 'draft', attributes: {}, provenance: { kind: 'user', user: 'extractor', at: '2017-07-26T00:00:00Z' },
};

describe.skipIf(Boolean(missing))('drafts in the web app', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (page: Page, url: string): Promise<void> => {
    await page.goto(url);
    await page.waitForFunction('window.__frontline && window.__frontline.ready', null, { timeout: 30_000 });
  };
  const rows = (page: Page): Promise<string[]> => page.locator('#event-table tbody tr').allTextContents();
  const weeklyCalls = (urls: string[]): string[] => urls.filter((u) => u.includes('/api/events/weekly'));

  it('an analyst sees drafts only when asking, ringed and marked DRAFT; the charts never ask', async () => {
    const store = await demoStore('fl-web-drafts-');
    await store.putEvents([DRAFT], { by: 'extractor' });
    const { base, close } = await serveStore(store, { webRoot: WEB });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    try {
      await open(page, `${base}/?date=2017-07-31&lon=38.55&lat=35.84&z=10`);
      expect(await page.locator('#f-drafts-wrap').isVisible()).toBe(true); // personal mode: the local user reviews
      const before = await page.evaluate('window.__frontline.events') as number;
      expect((await rows(page)).join('\n')).not.toContain('DRAFT');
      await page.check('#f-drafts');
      await page.waitForFunction(`window.__frontline.events === ${before + 1}`, null, { timeout: 20_000 });
      await page.waitForSelector('#event-table tbody tr.draft');
      const draftRows = (await rows(page)).filter((r) => r.includes('DRAFT'));
      expect(draftRows).toHaveLength(1);
      expect(draftRows[0]).toContain('Tabqa draft place');
      expect(await page.locator('#event-table tbody tr.draft').count()).toBe(1);
      // Ringed on the map: the drafts layer draws it, and only it.
      await page.waitForFunction(`window.__frontline.rendered('event-drafts', 'id').includes(${JSON.stringify(DRAFT.id)})`, null, { timeout: 20_000 });
      expect(new Set(await page.evaluate(`window.__frontline.rendered('event-drafts', 'id')`) as string[])).toEqual(new Set([DRAFT.id]));
      expect(urls.some((u) => u.includes('/api/events/map') && u.includes('drafts=1'))).toBe(true);
      expect(weeklyCalls(urls).length).toBeGreaterThan(0);
      expect(weeklyCalls(urls).some((u) => u.includes('drafts='))).toBe(false);
      await page.screenshot({ path: join(ARTIFACTS, 'web-drafts-shown.png') });
      await page.uncheck('#f-drafts');
      await page.waitForFunction(`window.__frontline.events === ${before}`, null, { timeout: 20_000 });
      expect((await rows(page)).join('\n')).not.toContain('DRAFT');
    } finally {
      await page.close();
      await close();
    }
  });

  it('a viewer is not offered drafts', async () => {
    const store = await demoStore('fl-web-drafts-viewer-');
    await store.putEvents([DRAFT], { by: 'extractor' });
    await store.putUsers([{ id: 'vic', name: 'Vic', role: 'viewer', passwordHash: hashPassword('viewer-password-3'), disabled: false }], { by: 'test' });
    const { base, close } = await serveStore(store, { webRoot: WEB });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    try {
      // Reading is public: the map opens without signing in, and offers no drafts.
      await open(page, `${base}/?date=2017-07-31`);
      expect(await page.locator('#f-drafts-wrap').isVisible()).toBe(false);
      expect((await rows(page)).join('\n')).not.toContain('Tabqa draft place');
    } finally {
      await page.close();
      await close();
    }
  });
});
