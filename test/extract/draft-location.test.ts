/**
 * Correcting a draft's location (issue 20): the new name is looked up in the gazetteer and the place id and
 * coordinates follow; a name it does not know, or knows as several places, is an error asking for the
 * place id or the coordinates. The same in the CLI and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/main.js';
import type { ConflictEvent } from '../../src/core/schemas.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { createApp } from '../../src/server/app.js';
import { demoStore, listenLocal, runCli } from '../helpers.js';

describe('a draft moved to another location', () => {
  let store: SqliteStore;
  let db: string;
  beforeAll(async () => {
    store = await demoStore('fl-draftloc-');
    db = store.location;
    const sukhnah = (await store.getPlace('sukhnah'))!;
    const base = (await store.queryEvents({ limit: 1 })).events[0]!;
    const { origin: _origin, ...rest } = base;
    const draft = (id: string): ConflictEvent => ({ ...rest, id, status: 'draft', location: sukhnah.name, place: sukhnah.id, lon: sukhnah.lon, lat: sukhnah.lat, provenance: { kind: 'user', user: 'test', at: '2017-07-25T00:00:00Z' } });
    await store.putEvents([draft('draft-cli'), draft('draft-api'), draft('draft-bad'), draft('draft-point')], { by: 'test' });
  }, 60_000);
  afterAll(() => store?.close());

  it('CLI: --location Tabqa brings Tabqa\'s place and coordinates', async () => {
    const r = await runCli('--db', db, 'drafts', 'edit', 'draft-cli', '--location', 'Tabqa');
    expect(r.code).toBe(EXIT.ok);
    const e = (await store.getEvent('draft-cli'))!;
    const tabqa = (await store.getPlace('tabqa'))!;
    expect(e.location).toBe('Tabqa');
    expect(e.place).toBe('tabqa');
    expect([e.lon, e.lat]).toEqual([tabqa.lon, tabqa.lat]);
    expect(e.status).toBe('draft');
  });

  it('CLI: an unknown name asks for the coordinates; with them the place id is dropped', async () => {
    const r = await runCli('--db', db, 'drafts', 'edit', 'draft-bad', '--location', 'Atlantis');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/not in the gazetteer.*--lon\/--lat/);
    expect((await store.getEvent('draft-bad'))!.location).toBe('Al-Sukhnah'); // nothing written
    const p = await runCli('--db', db, 'drafts', 'edit', 'draft-point', '--location', 'a farm east of Sukhnah', '--lon', '39.1', '--lat', '34.9');
    expect(p.code).toBe(EXIT.ok);
    const e = (await store.getEvent('draft-point'))!;
    expect([e.lon, e.lat, e.place]).toEqual([39.1, 34.9, null]);
  });

  it('CLI: a name several places have is an error listing them', async () => {
    const tabqa = (await store.getPlace('tabqa'))!;
    await store.putPlaces([{ ...tabqa, id: 'tabqa-village-test', names: [], lon: 36.0, lat: 36.0, population: null, geonamesId: null }], { by: 'test' });
    const r = await runCli('--db', db, 'drafts', 'edit', 'draft-bad', '--location', 'Tabqa');
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/names 2 places/);
    expect(r.err).toContain('tabqa-village-test');
    expect((await runCli('--db', db, 'drafts', 'edit', 'draft-bad', '--place', 'tabqa-village-test')).code).toBe(EXIT.ok);
    expect((await store.getEvent('draft-bad'))!.lon).toBe(36.0);
  });

  it('API: accepting with a new location moves the event there too', async () => {
    const { base, close } = await listenLocal(createApp({ store }));
    try {
      const r = await fetch(`${base}/api/drafts/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'draft-api', changes: { location: 'Menbij' } }) });
      expect(r.status).toBe(200);
      const manbij = (await store.getPlace('manbij'))!;
      const e = (await store.getEvent('draft-api'))!;
      expect([e.place, e.lon, e.lat, e.status]).toEqual(['manbij', manbij.lon, manbij.lat, 'reviewed']);
    } finally {
      await close();
    }
  });
});
