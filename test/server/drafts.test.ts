/**
 * Drafts are not events until an analyst accepts them (issue 15 item 4, issue 20): in team mode with public
 * reading, no anonymous or viewer read shows them — events, the map's columns, the weekly counts, a
 * place's events, an event's history, every export, the stabilization board and its briefing — and an
 * analyst sees them only when asking (?drafts=1, --include-drafts), each marked as a draft.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictEvent } from '../../src/core/schemas.js';
import { hashSecret, newSecret } from '../../src/server/auth.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { demoStore, runCli, serveStore } from '../helpers.js';

const NOTE = 'Unreviewed claim: a market shelled in Tabqa';
const DRAFT: ConflictEvent = {
  id: 'draft-tabqa-1', date: '2017-07-25', datePrecision: 'day', type: 'Violence against civilians', subType: 'Attack', actor1: 'Unidentified Armed Group (Syria)',
  actor1Id: null, assocActor1: '', actor2: 'Civilians (Syria)', actor2Id: null, assocActor2: '', country: 'Syria', admin1: 'Raqqa', admin2: '', admin3: '', location: 'Tabqa',
  place: 'tabqa', lon: 38.54828, lat: 35.83758, geoPrecision: 1, fatalities: { best: 77, low: null, high: null }, notes: NOTE, sources: [{ name: 'a news report' }], tags: '',
  status: 'draft', attributes: {}, provenance: { kind: 'user', user: 'extractor', at: '2017-07-26T00:00:00Z' },
};
const EVENTS = '/api/events?since=2017-07-01&until=2017-07-31&limit=5000';
const BOARD = '/api/stabilization?date=2017-07-31';
const BRIEF = '/api/stabilization/brief.html?date=2017-07-31&area=tabqa';

describe('drafts in team mode with public reading', () => {
  let base: string;
  let store: SqliteStore;
  let close: () => Promise<void>;
  const token: Record<'ada' | 'ana' | 'vic', string> = { ada: newSecret(), ana: newSecret(), vic: newSecret() };
  // What anonymous readers got before the draft was stored: the draft must change none of it.
  const before: Record<string, string> = {};

  async function get(path: string, who?: keyof typeof token): Promise<{ status: number; text: string }> {
    const r = await fetch(base + path, who ? { headers: { authorization: `Bearer ${token[who]}` } } : {});
    return { status: r.status, text: await r.text() };
  }
  const ids = (text: string): string[] => (JSON.parse(text) as { features: { id: string }[] }).features.map((f) => f.id);

  beforeAll(async () => {
    store = await demoStore('fl-drafts-');
    await store.putUsers(
      (['ada', 'ana', 'vic'] as const).map((id, i) => ({ id, name: id, role: (['admin', 'analyst', 'viewer'] as const)[i]!, passwordHash: '-', disabled: false })),
      { by: 'test' },
    );
    for (const [user, secret] of Object.entries(token)) await store.createToken({ tokenHash: hashSecret(secret), user, name: 'test' });
    ({ base, close } = await serveStore(store));
    for (const path of [EVENTS, '/api/events/map?since=2017-07-01&until=2017-07-31', '/api/events/weekly?since=2017-01-01&until=2017-07-31', '/api/place?id=tabqa&date=2017-07-31', BOARD, BRIEF, '/api/export?format=acled', '/api/export?format=ucdp', '/api/export?format=hxl', '/api/export?format=geojson']) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      before[path] = r.text;
    }
    await store.putEvents([DRAFT], { by: 'extractor' });
  }, 120_000);
  afterAll(() => close?.());

  it('anonymous and viewer reads show no draft: events, map, weekly counts, a place, its history', async () => {
    for (const who of [undefined, 'vic'] as const) {
      const r = await get(EVENTS, who);
      expect(r.status).toBe(200);
      expect(ids(r.text)).not.toContain(DRAFT.id);
      expect(r.text).toBe(before[EVENTS]);
      for (const path of ['/api/events/map?since=2017-07-01&until=2017-07-31', '/api/events/weekly?since=2017-01-01&until=2017-07-31', '/api/place?id=tabqa&date=2017-07-31']) {
        expect((await get(path, who)).text, path).toBe(before[path]);
      }
      expect((await get(`/api/events/history?id=${DRAFT.id}`, who)).status).toBe(404);
    }
    expect(ids(before[EVENTS]!).length).toBeGreaterThan(0); // the window holds reviewed events
  });

  it('an analyst asking with ?drafts=1 gets them, marked status "draft"; without asking, not', async () => {
    expect(ids((await get(EVENTS, 'ana')).text)).not.toContain(DRAFT.id);
    const r = await get(`${EVENTS}&drafts=1`, 'ana');
    expect(r.status).toBe(200);
    const features = (JSON.parse(r.text) as { features: { id: string; properties: { status: string; notes: string } }[] }).features;
    const d = features.find((f) => f.id === DRAFT.id)!;
    expect(d.properties).toMatchObject({ status: 'draft', notes: NOTE });
    expect(features.filter((f) => f.properties.status === 'draft')).toHaveLength(1);
    expect(features.length).toBe(ids(before[EVENTS]!).length + 1);
    // The map's columns list which rows are drafts.
    const map = JSON.parse((await get('/api/events/map?since=2017-07-01&until=2017-07-31&drafts=1', 'ana')).text) as { id: string[]; draft: number[] };
    expect(map.draft.map((i) => map.id[i])).toEqual([DRAFT.id]);
    expect(JSON.parse((await get('/api/events/map?since=2017-07-01&until=2017-07-31', 'ana')).text).draft).toEqual([]);
    expect((await get(`/api/events/history?id=${DRAFT.id}&drafts=1`, 'ana')).status).toBe(200);
    // Attributed to the bloc that held its place (the control engine's filter): the same rule.
    const held = `${EVENTS}&heldBy=sdf`;
    expect(ids((await get(held)).text)).not.toContain(DRAFT.id);
    expect(ids((await get(`${held}&drafts=1`, 'ana')).text)).toContain(DRAFT.id);
    expect((await get(`${EVENTS}&drafts=1`, 'ada')).status).toBe(200);
  });

  it('a viewer or an anonymous caller asking for drafts is refused (403, 401)', async () => {
    for (const path of [`${EVENTS}&drafts=1`, '/api/export?format=acled&drafts=1', '/api/events/map?drafts=1', `/api/events/history?id=${DRAFT.id}&drafts=1`]) {
      const v = await get(path, 'vic');
      expect(v.status, path).toBe(403);
      expect(v.text).not.toContain(NOTE);
      const anon = await get(path);
      expect(anon.status, path).toBe(401);
      expect(anon.text).not.toContain(NOTE);
    }
  });

  it('exports leave drafts out; with drafts=1 an analyst gets them marked ([DRAFT] notes in CSV, status in GeoJSON)', async () => {
    for (const format of ['acled', 'ucdp', 'hxl', 'geojson']) {
      const path = `/api/export?format=${format}`;
      for (const who of [undefined, 'vic', 'ana'] as const) expect((await get(path, who)).text, `${format} ${who}`).toBe(before[path]);
      const withDrafts = (await get(`${path}&drafts=1`, 'ana')).text;
      if (format === 'geojson') {
        const f = (JSON.parse(withDrafts) as { features: { id: string; properties: { status: string } }[] }).features.find((x) => x.id === DRAFT.id);
        expect(f?.properties.status).toBe('draft');
      } else {
        expect(withDrafts).toContain(`[DRAFT] ${NOTE}`);
        expect(withDrafts.split('\n').filter((l) => l.includes('[DRAFT]'))).toHaveLength(1);
      }
    }
  });

  it('the stabilization board and the briefing count no draft', async () => {
    const board = JSON.parse((await get(BOARD, 'ana')).text) as { areas: { id: string; protection: { incidents: number; fatalities: number } }[] };
    expect(JSON.stringify(board)).toBe(before[BOARD]);
    // The draft would have been one of Tabqa's incidents: it is in the window, at the place, a protection type.
    expect(board.areas.find((a) => a.id === 'tabqa')).toBeDefined();
    expect((await get(BRIEF, 'ana')).text).toBe(before[BRIEF]);
    expect(before[BRIEF]).not.toContain('77 killed');
  });

  it('the CLI: events and export acled leave drafts out; --include-drafts brings them, marked', async () => {
    const db = store.location;
    const plain = await runCli('--db', db, 'export', 'acled');
    expect(plain.code).toBe(0);
    expect(plain.out).not.toContain(NOTE);
    const withDrafts = await runCli('--db', db, 'export', 'acled', '--include-drafts');
    expect(withDrafts.out).toContain(`"[DRAFT] ${NOTE}"`);
    expect(withDrafts.out.trim().split('\n').length).toBe(plain.out.trim().split('\n').length + 1);
    const json = await runCli('--db', db, 'events', '--since', '2017-07-25', '--until', '2017-07-25', '--json', '--limit', '1000');
    expect((JSON.parse(json.out) as ConflictEvent[]).map((e) => e.id)).not.toContain(DRAFT.id);
    const listed = await runCli('--db', db, 'events', '--since', '2017-07-25', '--until', '2017-07-25', '--include-drafts', '--limit', '1000');
    expect(listed.out.split('\n').filter((l) => /\bDRAFT\b/.test(l))).toHaveLength(1);
    expect(listed.out).toMatch(/Tabqa.*DRAFT/);
  });
});

describe('drafts in personal mode', () => {
  it('are left out by default and shown, marked, when asked for (the one local user may review)', async () => {
    const store = await demoStore('fl-drafts-personal-');
    await store.putEvents([DRAFT], { by: 'extractor' });
    const { base, close } = await serveStore(store);
    try {
      const plain = (await (await fetch(base + EVENTS)).json()) as { features: { id: string }[] };
      expect(plain.features.map((f) => f.id)).not.toContain(DRAFT.id);
      const asked = (await (await fetch(`${base}${EVENTS}&drafts=1`)).json()) as { features: { id: string; properties: { status: string } }[] };
      expect(asked.features.find((f) => f.id === DRAFT.id)?.properties.status).toBe('draft');
    } finally {
      await close();
    }
  });
});
