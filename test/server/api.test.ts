import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RouteSpec } from '../../src/server/app.js';
import { demoStore, listenLocal, ROOT, serveStore } from '../helpers.js';

describe('HTTP API', () => {
  let table: RouteSpec[];
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const store = await demoStore('fl-api-');
    const server = createApp({ store, webRoot: join(ROOT, 'dist', 'web') });
    table = server.routes;
    const l = await listenLocal(server);
    base = l.base;
    close = async () => {
      await l.close();
      await store.close();
    };
  });
  afterAll(() => close?.());
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(base + path);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it('answers control, events, places and races, with the same contract as the CLI', async () => {
    const c = await get('/api/control?date=2017-06-01');
    expect(c.status).toBe(200);
    expect((c.body.places as { placeId: string; bloc: string }[]).find((p) => p.placeId === 'raqqa')?.bloc).toBe('isis');
    const ev = await get('/api/events?since=2017-06-18&until=2017-06-18');
    expect((ev.body.features as { id: string }[]).map((f) => f.id).sort()).toEqual(['FLD055', 'FLD056', 'FLD057']);
    const pl = (await get('/api/places?name=Dayr%20az-Zawr')).body as unknown as { id: string }[];
    expect(pl[0]!.id).toBe('deir-ez-zor');
    const race = await get('/api/race?date=2017-07-31&objective=Deir%20ez-Zor');
    expect((race.body.objectives as { holder: string }[])[0]!.holder).toBe('government');
    const geo = await get('/api/control.geojson?date=2017-06-01');
    expect((geo.body.features as unknown[]).length).toBeGreaterThan(100);
  });

  it('refuses bad queries with the parameter named, unknown routes, other methods and paths out of the app', async () => {
    expect(await get('/api/control?date=2017-02-30')).toMatchObject({ status: 400, body: { error: 'date: must be a date as YYYY-MM-DD' } });
    expect((await get('/api/control')).status).toBe(400);
    expect((await get('/api/control?date=2017-06-01&evil=1')).status).toBe(400); // unknown parameters are refused
    expect((await get('/api/events?limit=0')).status).toBe(400);
    expect((await get('/api/race?date=2017-07-31&objective=Atlantis')).body.error).toMatch(/matches no place/);
    expect((await get('/api/nope')).status).toBe(404);
    expect((await fetch(`${base}/api/meta`, { method: 'POST' })).status).toBe(405);
    for (const path of ['/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json']) {
      const r = await fetch(base + path);
      expect([403, 404], path).toContain(r.status);
      expect(await r.text()).not.toContain('"name": "frontline"');
    }
  });

  it('extracts posted reports, queues drafts and reviews them; refuses bad bodies with the field named', async () => {
    const post = async (path: string, body: unknown, type = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> => {
      const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const text = '<p>Turkish troops shelled <b>Tell Rifaat</b> on Wednesday, killing two fighters of the <script>alert(1)</script> SDF.</p>';
    const r = await post('/api/extract', { text, published: '2017-03-03', source: 'Test Wire', format: 'html', save: true, user: 'analyst-b' });
    expect(r.status).toBe(200);
    const events = r.body.events as { id: string; type: string; date: string; bloc1: string }[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Explosions/Remote violence', date: '2017-03-01', bloc1: 'turkey' });
    expect(r.body.text).not.toContain('<script>'); // HTML read as text
    const queue = (await get('/api/drafts')).body.drafts as { id: string }[];
    expect(queue.map((d) => d.id)).toContain(events[0]!.id);
    expect((await post('/api/drafts/reject', { id: events[0]!.id, reason: '' })).status).toBe(400);
    expect((await post('/api/drafts/accept', { id: events[0]!.id, user: 'analyst-b' })).status).toBe(200);
    expect(((await get('/api/drafts')).body.drafts as { id: string }[]).map((d) => d.id)).not.toContain(events[0]!.id);
    expect((await post('/api/drafts/accept', { id: events[0]!.id })).body.error).toMatch(/not a draft/);
    // Bad bodies: the field named; not JSON; not declared JSON; unknown fields; user names that are not names.
    expect(await post('/api/extract', { text: 'x', published: '2017-02-30' })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/^published:/) } });
    expect((await post('/api/extract', '{not json')).status).toBe(400);
    expect((await post('/api/extract', { text: 'x', published: '2017-01-01' }, 'text/plain')).status).toBe(415);
    expect((await post('/api/extract', { text: 'x', published: '2017-01-01', sql: "'; DROP TABLE events; --" })).status).toBe(400);
    expect((await post('/api/extract', { text: 'x', published: '2017-01-01', user: '<img src=x onerror=alert(1)>' })).status).toBe(400);
    expect((await post('/api/nope', {})).status).toBe(404);
    // Over the body limit (8 MB): a 413 with its reason, not a cut connection.
    const big = await fetch(`${base}/api/extract`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(8_500_000), published: '2017-01-01' }) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { detail: string }).detail).toMatch(/over/);
    expect((await get('/api/events?since=2017-03-01&until=2017-03-01')).status).toBe(200); // the store still answers
  });

  it('answers the stabilization board and its briefings, refusing bad weights and unknown areas', async () => {
    const b = await get('/api/stabilization?date=2017-07-31&withdraw=coalition');
    expect(b.status).toBe(200);
    const areas = b.body.areas as { id: string; holding: { bloc: string } }[];
    expect(areas.find((a) => a.id === 'palmyra')!.holding.bloc).toBe('government');
    expect((await get('/api/stabilization?date=2017-07-31&weights=beauty=1')).status).toBe(400);
    expect((await get('/api/stabilization?date=2017-07-31&area=atlantis')).body.error).toMatch(/no stabilization area/);
    const r = await fetch(`${base}/api/stabilization/brief.html?date=2017-07-31&area=manbij`);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await r.text();
    expect(html).toContain('Manbij Civil Council');
    expect(html).not.toMatch(/<script/i);
  });

  it('documents every route in OpenAPI 3.1 from the schemas that validate it, and refuses what the document does not allow', async () => {
    const doc = (await get('/api/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, { 'x-access': string; parameters?: { name: string; required: boolean }[]; requestBody?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths).flatMap(([path, m]) => Object.entries(m).map(([method, op]) => ({ path, method, op })));
    // One operation for each route of the server's table, with the access the table declares.
    expect(ops.map((o) => `${o.method.toUpperCase()} ${o.path} ${o.op['x-access']}`).sort()).toEqual(table.map((r) => `${r.method} ${r.path} ${r.access}`).sort());
    expect(doc.paths['/api/events/edit']!.post).toMatchObject({ 'x-access': 'analyst' });
    expect(doc.paths['/api/users']!.post!.requestBody).toBeTruthy();
    // Every documented GET parameter is accepted (with a valid value where one is needed), and one the
    // document does not list is refused: the document and the validation are one.
    const control = doc.paths['/api/control']!.get!;
    expect(control.parameters!.map((p) => [p.name, p.required])).toEqual([['date', true], ['bloc', false]]);
    expect((await get('/api/control?date=2017-06-01&bloc=isis')).status).toBe(200);
    expect((await get('/api/control?date=2017-06-01&colour=red')).status).toBe(400);
    for (const { path, method, op } of ops) {
      if (method !== 'get' || !op.parameters) continue;
      expect((await get(`${path}?undocumented_parameter=1`)).status, path).toBe(400);
    }
    const page = await fetch(`${base}/api/docs`);
    const html = await page.text();
    expect(html).toContain('Frontline API reference');
    expect(html).toContain('<code>POST /api/events/edit</code>');
    expect(html).not.toMatch(/<script/i);
  });
});

describe('two server processes on one store', () => {
  it('each sees a control edit made through the other (the shared mark), and keeps its polygons per date until then', async () => {
    const store = await demoStore('fl-api-two-');
    const { openSqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
    const other = openSqliteStore(store.location);
    const a = await listenLocal(createApp({ store, sharedCheckMs: 0 }));
    const b = await listenLocal(createApp({ store: other, sharedCheckMs: 0 }));
    const holder = async (base: string): Promise<string | undefined> =>
      ((await (await fetch(`${base}/api/control?date=2017-08-01`)).json()) as { places: { placeId: string; bloc: string }[] }).places.find((p) => p.placeId === 'maadan')?.bloc;
    const areas = async (base: string): Promise<string> => (await fetch(`${base}/api/control.geojson?date=2017-08-01`)).text();
    expect(await holder(b.base)).toBe('isis');
    const before = await areas(b.base);
    expect(await areas(b.base)).toBe(before);
    const r = await fetch(`${a.base}/api/control/observations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ place: 'maadan', actor: 'sdf', status: 'held', from: '2017-07-20', source: 'a test' }) });
    expect(r.status).toBe(200);
    expect(await holder(a.base)).toBe('sdf');
    expect(await holder(b.base)).toBe('sdf');
    expect(await areas(b.base)).not.toBe(before);
    await a.close();
    await b.close();
    await other.close();
    await store.close();
  });
});

describe('HTTP API: pages, exposure, documents', () => {
  let base: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const store = await demoStore('fl-api-pages-');
    await store.putDocuments([{ id: 'doc-1', title: 'A report', publisher: 'test', published: '2017-06-19', text: 'Turkish troops shelled Tell Rifaat.' }], { by: 'test' });
    ({ base, close } = await serveStore(store));
  });
  afterAll(() => close?.());
  const json = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(base + path);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  it.each(['since=2017-01-01&until=2017-07-31', 'since=2017-01-01&until=2017-07-31&heldBy=government', 'bloc=government'])('pages through %s with cursors: every event once, as in one answer', async (filter) => {
    const whole = ((await json(`/api/events?${filter}&limit=5000`)).body.features as { id: string }[]).map((f) => f.id);
    expect(whole.length).toBeGreaterThan(7);
    const paged: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const r = await json(`/api/events?${filter}&limit=7${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      const ids = (r.body.features as { id: string }[]).map((f) => f.id);
      expect(ids.length).toBeLessThanOrEqual(7);
      paged.push(...ids);
      after = r.body.next as string | null;
      pages++;
    } while (after && pages < 100);
    expect(paged).toEqual(whole);
    expect((await json('/api/events?after=garbage')).status).toBe(400);
  });

  it('answers exposure (the race the other way) and documents', async () => {
    const e = await json('/api/exposure?date=2017-07-31&bloc=sdf&within=30');
    expect(e.status).toBe(200);
    const places = e.body.places as { days: number; firstThreat: string }[];
    expect(places.length).toBeGreaterThan(0);
    expect(places.every((p) => p.days <= 30)).toBe(true);
    expect(places.map((p) => p.days)).toEqual([...places.map((p) => p.days)].sort((a, b) => a - b));
    expect((await json('/api/exposure?date=2017-07-31&bloc=nobody')).status).toBe(400);
    // A what-if race: an unknown actor or place is named in the refusal; a known one changes the race.
    expect((await json('/api/race?date=2017-07-31&objective=deir-ez-zor&hold=mayadin:nobody')).body.detail).toMatch(/no actor "nobody"/);
    expect((await json('/api/race?date=2017-07-31&objective=deir-ez-zor&hold=atlantis:sdf')).status).toBe(400);
    const sdf = async (q: string): Promise<number> => ((await json(`/api/race?date=2017-07-31&objective=deir-ez-zor${q}`)).body.objectives as { arrivals: { bloc: string; days: number }[] }[])[0]!.arrivals.find((a) => a.bloc === 'sdf')!.days;
    expect(await sdf('&hold=mayadin:sdf')).toBeLessThan(await sdf(''));
    expect((await json('/api/documents?id=doc-1')).body).toMatchObject({ id: 'doc-1' });
    expect((await json('/api/documents?id=none')).status).toBe(404);
  });
});
