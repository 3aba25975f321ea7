/**
 * Oracle: the API over the PostGIS store against the API over SQLite. The demo is copied from one into
 * the other (db copy), both servers are asked the same questions and must give the same answers, byte
 * for byte once parsed; then the same writes go to both and their effects must agree too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { copyStore } from '../../src/store/backup.js';
import { openPgStore, type PgStore } from '../../src/store/postgis/pg-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { demoStore, listenLocal } from '../helpers.js';
import { PG_MISSING, startTestPg, type TestPg } from '../store/pg-helpers.js';

const QUESTIONS = [
  '/api/meta',
  '/api/events?since=2017-06-01&until=2017-10-31',
  '/api/events?bloc=government&text=deir&limit=50',
  '/api/events/map?since=2017-01-01&until=2017-12-31',
  '/api/events/weekly?since=2017-01-01&until=2017-12-31&type=Battles',
  '/api/places?name=Deir',
  '/api/place?id=raqqa&date=2017-10-20',
  '/api/control?date=2017-10-20',
  '/api/control.geojson?date=2017-06-18',
  '/api/control/diff.geojson?from=2017-06-01&to=2017-11-30',
  '/api/control/series?from=2017-01-01&to=2017-12-31',
  '/api/roads.geojson',
  '/api/audit?limit=20',
  '/api/race?date=2017-08-15&objective=deir-ez-zor',
  '/api/stabilization?date=2017-12-31',
];

describe.skipIf(Boolean(PG_MISSING))('the API on PostGIS answers as on SQLite', () => {
  let pgs: TestPg;
  let lite: SqliteStore;
  let pg: PgStore;
  let a: Awaited<ReturnType<typeof listenLocal>>;
  let b: Awaited<ReturnType<typeof listenLocal>>;
  beforeAll(async () => {
    pgs = await startTestPg();
    lite = await demoStore('fl-api-stores-');
    pg = await openPgStore(await pgs.newDatabase());
    await copyStore(lite, pg);
    a = await listenLocal(createApp({ store: lite }));
    b = await listenLocal(createApp({ store: pg }));
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await lite?.close();
    await pg?.close();
    await pgs?.stop();
  });

  const get = async (base: string, path: string): Promise<{ status: number; body: unknown }> => {
    const r = await fetch(base + path);
    const text = await r.text();
    return { status: r.status, body: (r.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
  };

  it.each(QUESTIONS)('GET %s', async (path) => {
    const [x, y] = await Promise.all([get(a.base, path), get(b.base, path)]);
    expect(x.status, JSON.stringify(x.body).slice(0, 300)).toBe(200);
    expect(y.status).toBe(200);
    expect(y.body).toEqual(x.body);
  });

  it('takes the same edits, refuses the same stale one, and keeps the same history', async () => {
    const first = ((await get(a.base, '/api/events?since=2017-06-18&until=2017-06-18')).body as { features?: { properties: { id: string } }[]; events?: { id: string }[] });
    const id = (first.events?.[0]?.id ?? first.features?.[0]?.properties.id)!;
    expect(id).toBeTruthy();
    for (const base of [a.base, b.base]) {
      const post = (path: string, body: unknown) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const h = (await (await fetch(`${base}/api/events/history?id=${id}`)).json()) as { versions: { version: number }[] };
      const current = h.versions.at(-1)!;
      const edited = await post('/api/events/edit', { id, version: current.version, changes: { notes: 'checked against the video' }, reason: 'review' });
      expect(edited.status, await edited.clone().text()).toBe(200);
      const stale = await post('/api/events/edit', { id, version: current.version, changes: { notes: 'an older view' }, reason: 'late' });
      expect(stale.status).toBe(409);
    }
    const [x, y] = await Promise.all([get(a.base, `/api/events/history?id=${id}`), get(b.base, `/api/events/history?id=${id}`)]);
    const strip = (h: unknown) => (h as { versions: { at: string }[] }).versions.map(({ at: _at, ...rest }) => rest);
    expect(strip(y.body)).toEqual(strip(x.body));
  });
});
