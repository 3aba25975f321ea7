/**
 * Hostile input at the API: SQL in every text parameter, markup in notes and names, paths that try to
 * leave the import folders, and imports and exports through the API (all or nothing, rejects named by
 * line). Sign-in, roles, CSRF and token reuse are in auth.test.ts; random input in fuzz.test.ts.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACLED_COLUMNS } from '../../src/io/acled.js';
import { csvLine } from '../../src/io/csv.js';
import { createApp } from '../../src/server/app.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { demoStore, listenLocal, serveStore, tempDir } from '../helpers.js';

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

function acledCsv(rows: Record<string, string>[]): string {
  return csvLine(ACLED_COLUMNS) + rows.map((r) => csvLine(ACLED_COLUMNS.map((c) => r[c] ?? ''))).join('');
}
const row = (id: string, extra: Record<string, string> = {}): Record<string, string> => ({
  event_id_cnty: id, event_date: '18 June 2017', year: '2017', time_precision: '1', event_type: 'Battles', sub_event_type: 'Armed clash',
  actor1: 'Islamic State', actor2: 'SDF', country: 'Syria', admin1: 'Raqqa', location: 'Raqqa', latitude: '35.95', longitude: '39.01', geo_precision: '1', source: 'test', notes: 'n', fatalities: '1', ...extra,
});

describe('hostile input at the API', () => {
  let store: SqliteStore;
  let base: string;
  let close: () => Promise<void>;
  let importDir: string;
  beforeAll(async () => {
    store = await demoStore('fl-sec-');
    importDir = tempDir('fl-import-dir-');
    writeFileSync(join(importDir, 'good.csv'), acledCsv([row('SEC1'), row('SEC2')]));
    mkdirSync(join(importDir, 'sub'));
    symlinkSync('/etc/passwd', join(importDir, 'sub', 'link.csv'));
    ({ base, close } = await serveStore(store, { importDirs: [importDir] }));
  }, 60_000);
  afterAll(() => close?.());

  const post = async (path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const get = async (path: string): Promise<{ status: number; text: string }> => {
    const r = await fetch(base + path);
    return { status: r.status, text: await r.text() };
  };

  it('treats SQL in every text parameter as data', async () => {
    const before = await store.countEvents({ includeRetracted: true });
    const sql = ["' OR 1=1 --", "x'; DROP TABLE events; --", '%', '_', '\\', '" OR ""="'];
    for (const s of sql) {
      const e = encodeURIComponent(s);
      const events = await get(`/api/events?text=${e}`);
      expect(events.status).toBe(200);
      // Matched as the characters they are (a literal "_" in a URL of the notes), never as SQL or a pattern.
      for (const f of (JSON.parse(events.text) as { features: { properties: Record<string, string> }[] }).features) {
        expect(['notes', 'location', 'actor1', 'actor2'].some((k) => String(f.properties[k] ?? '').toLowerCase().includes(s.toLowerCase())), s).toBe(true);
      }
      // An actor nobody has is refused by name (400, issue 20: no silent empty answer), never run as SQL.
      const byActor = await get(`/api/events?actor=${e}`);
      expect(byActor.status).toBe(400);
      expect(byActor.text).toContain('no actor');
      expect((await get(`/api/events/history?id=${e}`)).status).toBe(404);
      expect((await get(`/api/places?name=${e}`)).status).not.toBe(500);
      expect((await get(`/api/audit?by=${e}&kind=${e}`)).status).toBe(200);
    }
    // A write carrying SQL in its fields stores it as text, word for word.
    const created = await post('/api/events/create', { event: { ...(await store.getEvent('FLD055'))!, id: undefined, notes: sql[1], location: sql[0] } });
    expect(created.status).toBe(200);
    const stored = await store.getEvent(created.body.id as string);
    expect(stored).toMatchObject({ notes: sql[1], location: sql[0] });
    expect(await store.countEvents({ includeRetracted: true })).toBe(before + 1);
  });

  it('keeps markup in notes and names as text in the briefing page and the API', async () => {
    const ev = await post('/api/events/create', { event: { ...(await store.getEvent('FLD055'))!, id: 'XSS-NOTE', notes: XSS, actor1: XSS } });
    expect(ev.status).toBe(200);
    // JSON answers carry the text as it was written (the web app renders it as text: see the browser tests).
    expect((await get('/api/events/history?id=XSS-NOTE')).text).toContain(JSON.stringify(XSS).slice(1, -1));
    await store.putStabilizationAreas([{ id: 'xss-area', name: XSS, definition: { kind: 'places', places: ['raqqa'] }, codes: [], notes: XSS, sources: [{ name: XSS }] }], { by: 'attacker' });
    const brief = await get('/api/stabilization/brief.html?date=2017-12-31&area=xss-area');
    expect(brief.status).toBe(200);
    expect(brief.text).not.toContain('<script>window.__pwned');
    expect(brief.text).not.toMatch(/<img src=x/);
    expect(brief.text).toContain('&lt;script&gt;');
  });

  it('reads import paths only inside the allowed folders', async () => {
    for (const path of ['../../etc/passwd', '/etc/passwd', join(importDir, '..', 'x.csv'), 'sub/link.csv', 'a\u0000b.csv', 'missing.csv', 'sub']) {
      const r = await post('/api/import', { format: 'acled', path });
      expect(r.status, path).toBe(400);
      expect(String(r.body.detail)).toMatch(/outside the import folders|NUL|no file|not a file/);
    }
    const ok = await post('/api/import', { format: 'acled', path: 'good.csv' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ committed: true, created: 2, rejected: 0 });
    expect(await store.getEvent('SEC1')).not.toBeNull();
    // A server started without import folders takes no paths at all.
    const l = await listenLocal(createApp({ store }));
    const r = await fetch(`${l.base}/api/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ format: 'acled', path: 'good.csv' }) });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { detail: string }).detail).toMatch(/takes no file paths/);
    await l.close();
  });

  it('imports uploaded content with its bad rows named by line, or nothing with strict, and exports what it holds', async () => {
    const content = acledCsv([row('UP1'), row('UP2', { event_date: '31 February 2017' }), row('UP3')]);
    const strict = await post('/api/import', { format: 'acled', content, strict: true });
    expect(strict.status).toBe(200);
    expect(strict.body).toMatchObject({ committed: false });
    expect(await store.getEvent('UP1')).toBeNull();
    const lenient = await post('/api/import', { format: 'acled', content });
    expect(lenient.body).toMatchObject({ committed: true, created: 2, rejected: 1 });
    const rejects = lenient.body.rejects as { file: string; line: number; field: string }[];
    expect(rejects).toEqual([expect.objectContaining({ file: 'upload', line: 3, field: 'event_date' })]);
    expect((await post('/api/import', { format: 'acled' })).status).toBe(400);
    // Export: the CSV holds every stored event (header + one line each), GeoJSON parses.
    const csv = await fetch(`${base}/api/export?format=acled`);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="frontline-acled.csv"/);
    const text = await csv.text();
    expect(text.trimEnd().split('\n').length - 1).toBe(await store.countEvents({}));
    const gj = JSON.parse(await (await fetch(`${base}/api/export?format=geojson&since=2017-06-18&until=2017-06-18`)).text()) as { features: unknown[] };
    expect(gj.features.length).toBe(await store.countEvents({ since: '2017-06-18', until: '2017-06-18' }));
    expect((await get('/api/export?format=../../etc/passwd')).status).toBe(400);
  });
});
