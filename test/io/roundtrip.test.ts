/**
 * What Frontline writes it reads back (issue 20): every export format of the demo, imported into a fresh
 * store, gives the same records in the fields the format carries, unknown fatalities still unknown; and
 * exporting again writes the same file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.js';
import { EXPORT_FORMATS, exportGeoJson, exportTo, importFile, type ExportFormat } from '../../src/io/index.js';
import type { ConflictEvent } from '../../src/core/schemas.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers.js';

async function exportText(store: SqliteStore, format: ExportFormat): Promise<string> {
  let text = '';
  await exportTo(store, format, { write: (c) => void (text += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) });
  return text;
}

/** What each events format carries of an event (the rest it has no column for). */
const CARRIED: Record<'acled' | 'ucdp' | 'hxl' | 'geojson', (e: ConflictEvent) => unknown> = {
  acled: ({ provenance: _p, ...e }) => e,
  geojson: ({ provenance: _p, ...e }) => e,
  // UCDP has no ACLED type, sub-type, associated actors, tags or source scale.
  ucdp: (e) => ({ id: e.id, date: e.date, dateEnd: e.dateEnd, datePrecision: e.datePrecision, actor1: e.actor1, actor2: e.actor2, actor1Id: e.actor1Id, actor2Id: e.actor2Id, location: e.location, notes: e.notes, country: e.country, admin1: e.admin1, admin2: e.admin2, lon: e.lon, lat: e.lat, geoPrecision: e.geoPrecision, fatalities: e.fatalities, sources: e.sources.map((s) => s.name) }),
  // HXL's columns: all but ACLED's columns the model keeps as attributes (inter codes, iso, region …).
  hxl: ({ provenance: _p, attributes: _a, origin: _o, ...e }) => e,
};

describe('every export format imports back to the same records', () => {
  let demo: SqliteStore;
  let events: ConflictEvent[];
  beforeAll(async () => {
    demo = openSqliteStore(':memory:');
    await loadDemo(demo);
    events = (await demo.queryEvents({ limit: 10_000 })).events;
  });
  const fresh = async (): Promise<SqliteStore> => {
    const s = openSqliteStore(':memory:');
    await s.putActors(await demo.listActors(), { by: 't' });
    return s;
  };

  it('covers every export format', () => {
    expect([...EXPORT_FORMATS].sort()).toEqual([...Object.keys(CARRIED), 'places', 'control'].sort());
  });

  for (const format of ['acled', 'ucdp', 'hxl', 'geojson'] as const) {
    it(`${format}: every event comes back, the same in what ${format} carries, unknown fatalities unknown`, async () => {
      const text = await exportText(demo, format);
      const file = join(tempDir('fl-rt-'), `events.${format}`);
      writeFileSync(file, text);
      const b = await fresh();
      const r = await importFile(b, format, file, { strict: true });
      expect(r.rejects.map((x) => x.reason)).toEqual([]);
      expect(r.created).toBe(events.length);
      const back = (await b.queryEvents({ limit: 10_000 })).events;
      expect(back.map(CARRIED[format])).toEqual(events.map(CARRIED[format]));
      const unknown = events.filter((e) => e.fatalities.best === null).length;
      expect(unknown).toBeGreaterThan(0); // the demo has events whose toll nobody reported
      expect(back.filter((e) => e.fatalities.best === null).length).toBe(unknown);
      expect(await exportText(b, format)).toBe(text);
    });
  }

  it('places and control CSV: the same places and observations, and the same file again', async () => {
    const dir = tempDir('fl-rt-');
    const b = await fresh();
    for (const format of ['places', 'control'] as const) {
      const text = await exportText(demo, format);
      writeFileSync(join(dir, `${format}.csv`), text);
      const r = await importFile(b, format, join(dir, `${format}.csv`), { strict: true });
      expect(r.rejected, format).toBe(0);
      expect(await exportText(b, format)).toBe(text);
    }
    const strip = <T extends object>(x: T): unknown => ({ ...x, provenance: null });
    expect((await b.listPlaces()).map(strip)).toEqual((await demo.listPlaces()).map(strip));
    expect((await b.listControlObservations()).map(strip)).toEqual((await demo.listControlObservations()).map(strip));
  });

  it('GeoJSON of places, zones and control: the same records', async () => {
    const dir = tempDir('fl-rt-');
    const b = await fresh();
    for (const kind of ['places', 'zones', 'control'] as const) {
      writeFileSync(join(dir, `${kind}.geojson`), (await exportGeoJson(demo, kind)).text);
      expect((await importFile(b, 'geojson', join(dir, `${kind}.geojson`), { strict: true })).committed, kind).toBe(true);
    }
    expect(await b.listPlaces()).toEqual(await demo.listPlaces());
    expect(await b.listZones()).toEqual(await demo.listZones());
    expect(await b.listControlObservations()).toEqual(await demo.listControlObservations());
  });
});
