/**
 * The map for publication (frontline map, GET /api/map.svg): well-formed SVG with a title, the date, a
 * legend naming the blocs it shows, a scale bar, a north arrow and the sources; PDF through Chromium.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sax from 'sax';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.js';
import { CHROMIUM } from '../../src/stabilize/brief.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli, serveStore, tempDir } from '../helpers.js';

/** The texts of an SVG document, parsed as XML (a parse error fails the test). */
function texts(svg: string): string[] {
  const out: string[] = [];
  const p = sax.parser(true, {});
  let inText = 0;
  p.onopentag = (t) => void (t.name === 'text' && inText++);
  p.onclosetag = (n) => void (n === 'text' && inText--);
  p.ontext = (t) => void (inText && out.push(t));
  p.write(svg).close();
  return out;
}

describe('frontline map and /api/map.svg on the demo', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = tempDir('fl-map-');
    db = join(dir, 'd.db');
    const store = openSqliteStore(db);
    await loadDemo(store, 'demo', { roadsCache: `${db}.roads` });
    await store.close();
  }, 60_000);

  it('writes an SVG with title, legend, scale bar, north arrow and sources', async () => {
    const out = join(dir, 'tabqa.svg');
    const r = await runCli('map', '2017-06-01', '--bbox', '37.2,35.2,39.9,36.9', '--title', 'Tabqa & the dam', '--out', out, '--db', db);
    expect(r.code, r.err).toBe(0);
    const svg = readFileSync(out, 'utf8');
    const t = texts(svg);
    expect(t).toContain('Tabqa & the dam'); // escaped in the file, read back as written
    expect(t.join(' ')).toMatch(/2017-06-01/);
    expect(t).toContain('Legend');
    // On 2017-06-01 round Tabqa: ISIS holds Raqqa, the SDF Tabqa (since 10 May), the government Maskanah's west.
    for (const name of ['Islamic State', 'SDF and US-backed Syrian forces', 'Government of Syria and allies', 'Front line', 'River, lake']) expect(t).toContain(name);
    expect(t).toContain('N');
    expect(t.some((x) => /^\d+ km$/.test(x))).toBe(true);
    expect(t.join(' ')).toMatch(/Sources: .*GeoNames.*Natural Earth/);
    expect(t).toContain('Euphrates');
    expect(t).toContain('Tabqa');
  }, 60_000);

  it('refuses a bad box and a file it cannot write, saying how', async () => {
    const a = await runCli('map', '--bbox', '39,35,38,36', '--out', join(dir, 'x.svg'), '--db', db);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/west < east/);
    const b = await runCli('map', '--out', join(dir, 'x.png'), '--db', db);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/\.svg or \.pdf/);
  });

  it('prints it to PDF with headless Chromium', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      if (process.env.CI === 'true') throw new Error(`CI needs Chromium at ${CHROMIUM}`);
      ctx.skip();
    }
    const out = join(dir, 'syria.pdf');
    expect((await runCli('map', '2017-07-31', '--out', out, '--db', db)).code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  }, 90_000);

  it('serves the map as an SVG image from the API, a bad box a 400', async () => {
    const store = openSqliteStore(db);
    const { base, close } = await serveStore(store);
    try {
      const r = await fetch(`${base}/api/map.svg?date=2017-07-31&bbox=37.2,35.2,39.9,36.9`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(texts(await r.text())).toContain('Legend');
      expect((await fetch(`${base}/api/map.svg?bbox=1,2,3`)).status).toBe(400);
      expect((await fetch(`${base}/api/map.svg?bbox=39,35,38,36`)).status).toBe(400);
    } finally {
      await close();
      await store.close();
    }
  }, 60_000);
});
