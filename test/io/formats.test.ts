import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.js';
import { exportGeoJson, exportTo, importFile, type ExportFormat } from '../../src/io/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { SHARED, tempDir, withoutShared } from '../helpers.js';

const require = createRequire(import.meta.url);
const UCDP = join(SHARED, 'data', 'ucdp');

async function exportText(store: Store, format: ExportFormat): Promise<string> {
  let text = '';
  await exportTo(store, format, { write: (c) => void (text += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) });
  return text;
}

/** Count data rows and sum a column with an independent reader: Python's csv module is the oracle. */
function pythonCsvStats(file: string, column: string): { rows: number; sum: number } {
  const out = require('node:child_process').execFileSync('python3', ['-c', `import csv,sys,json\nr=list(csv.DictReader(open(sys.argv[1],encoding='utf-8-sig')))\nprint(json.dumps({'rows':len(r),'sum':sum(int(x[sys.argv[2]] or 0) for x in r)}))`, file, column]);
  return JSON.parse(String(out)) as { rows: number; sum: number };
}

describe.skipIf(withoutShared)('UCDP GED import on the real sample files in ../shared/data/ucdp', () => {
  for (const [file, rows] of [
    ['ged231_sample_syria652.csv', 265],
    ['ged231_sample_middle_east.csv', 342],
    ['ged231_sample1000_uncertainUCDP.csv', 1000],
  ] as const) {
    it(`${file}: every row imported, counts and deaths as in the file`, async () => {
      const s = openSqliteStore(':memory:');
      const r = await importFile(s, 'ucdp', join(UCDP, file), { strict: true });
      const oracle = pythonCsvStats(join(UCDP, file), 'best');
      expect(oracle.rows).toBe(rows); // SOURCES.md
      expect(r).toMatchObject({ rows, created: rows, rejected: 0, committed: true });
      let best = 0;
      for await (const e of s.streamEvents({})) best += e.fatalities.best ?? 0;
      expect(best).toBe(oracle.sum);
    });
  }

  it('the Syria sample: 265 rows, deaths summing to 948, years as SOURCES.md counts them', async () => {
    const s = openSqliteStore(':memory:');
    await importFile(s, 'ucdp', join(UCDP, 'ged231_sample_syria652.csv'));
    expect(await s.countEvents({ since: '2017-01-01', until: '2017-12-31' })).toBe(22);
    expect(await s.countEvents({ since: '2012-01-01', until: '2012-12-31' })).toBe(41);
    const byType = await s.countEventsBy('type', {});
    // type_of_violence 1 -> 226 rows, 2 -> 29, 3 -> 10: 1 and 2 are Battles.
    expect(byType).toEqual({ Battles: 255, 'Violence against civilians': 10 });
  });

  it('round-trips UCDP: import, export, import gives the same records and the same CSV', async () => {
    const a = openSqliteStore(':memory:');
    await importFile(a, 'ucdp', join(UCDP, 'ged231_sample1000_uncertainUCDP.csv'));
    const csv = await exportText(a, 'ucdp');
    const file = join(tempDir(), 'ged.csv');
    writeFileSync(file, csv);
    const b = openSqliteStore(':memory:');
    expect((await importFile(b, 'ucdp', file, { strict: true })).created).toBe(1000);
    const strip = (e: unknown): unknown => ({ ...(e as object), provenance: null });
    expect((await b.queryEvents({ limit: 2000 })).events.map(strip)).toEqual((await a.queryEvents({ limit: 2000 })).events.map(strip));
    expect(await exportText(b, 'ucdp')).toBe(csv);
  });
});

describe('round trips on the demo: HXL, GeoJSON, places and control', () => {
  it('HXL: header and hashtag rows, and the fields HXL carries come back unchanged', async () => {
    const a = openSqliteStore(':memory:');
    await loadDemo(a);
    const hxl = await exportText(a, 'hxl');
    const [header, tags] = hxl.split('\n');
    expect(header).toMatch(/^Event ID,Date,/);
    expect(tags).toContain('#date');
    for (const t of ['#adm1+name', '#loc+name', '#geo+lat', '#geo+lon', '#event+type', '#affected+killed', '#org+name']) expect(tags).toContain(t);
    const file = join(tempDir(), 'events.hxl.csv');
    writeFileSync(file, hxl);
    const b = openSqliteStore(':memory:');
    const r = await importFile(b, 'hxl', file, { strict: true });
    expect(r.created).toBe(63);
    expect(await exportText(b, 'hxl')).toBe(hxl);
  });

  it('GeoJSON events, places, zones and control import back to the same records', async () => {
    const a = openSqliteStore(':memory:');
    await loadDemo(a);
    const dir = tempDir();
    const b = openSqliteStore(':memory:');
    await b.putActors(await a.listActors(), { by: 't' });
    writeFileSync(join(dir, 'places.geojson'), (await exportGeoJson(a, 'places')).text);
    writeFileSync(join(dir, 'zones.geojson'), (await exportGeoJson(a, 'zones')).text);
    writeFileSync(join(dir, 'control.geojson'), (await exportGeoJson(a, 'control')).text);
    writeFileSync(join(dir, 'events.geojson'), await exportText(a, 'geojson'));
    for (const f of ['places', 'zones', 'control', 'events']) {
      const r = await importFile(b, 'geojson', join(dir, `${f}.geojson`), { strict: true });
      expect(r.committed, f).toBe(true);
    }
    expect(await b.listPlaces()).toEqual(await a.listPlaces());
    expect(await b.listZones()).toEqual(await a.listZones());
    expect(await b.listControlObservations()).toEqual(await a.listControlObservations());
    expect((await b.queryEvents({})).events).toEqual((await a.queryEvents({})).events);
  });

  it('places and control CSV export and import back unchanged', async () => {
    const a = openSqliteStore(':memory:');
    await loadDemo(a);
    const dir = tempDir();
    writeFileSync(join(dir, 'p.csv'), await exportText(a, 'places'));
    writeFileSync(join(dir, 'c.csv'), await exportText(a, 'control'));
    const b = openSqliteStore(':memory:');
    await b.putActors(await a.listActors(), { by: 't' });
    await importFile(b, 'places', join(dir, 'p.csv'), { strict: true });
    await importFile(b, 'control', join(dir, 'c.csv'), { strict: true });
    const strip = <T extends object>(x: T): unknown => ({ ...x, provenance: null });
    expect((await b.listPlaces()).map(strip)).toEqual((await a.listPlaces()).map(strip));
    expect((await b.listControlObservations()).map(strip)).toEqual((await a.listControlObservations()).map(strip));
    expect(readFileSync(join(dir, 'c.csv'), 'utf8')).toBe(await exportText(b, 'control'));
  });

  it('a control CSV naming an unknown place or actor is rejected row by row', async () => {
    const s = openSqliteStore(':memory:');
    await loadDemo(s);
    const file = join(tempDir(), 'c.csv');
    writeFileSync(file, 'place,actor,status,from,source\natlantis,saa,held,2017-01-01,x\npalmyra,martians,held,2017-01-01,x\npalmyra,saa,occupied,2017-13-01,\npalmyra,saa,held,2017-07-30,test\n');
    const r = await importFile(s, 'control', file);
    expect(r.created).toBe(1);
    expect(r.rejects.map((x) => [x.line, x.reason.replace(/:.*/, '')])).toEqual([
      [2, 'place "atlantis" is not in the store'],
      [3, 'actor "martians" is not in the store'],
      [4, 'status "occupied" is not held, contested or besieged; from "2017-13-01" is not a real date as YYYY-MM-DD; source is empty'],
    ]);
  });
});
