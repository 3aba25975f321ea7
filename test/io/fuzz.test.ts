/**
 * Bounded-time fuzzing of every importer: mutated real files (the demo's, an ACLED sample, and files the
 * store itself exports in UCDP, HXL, places and GeoJSON form) must either import (with bad rows
 * quarantined) or fail with an ImportError, and a failed import must leave the store as it was. The
 * stabilization tables and the road readers get the same treatment below.
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/core/errors.js';
import { loadDemo, DEMO_DIR } from '../../src/demo/load-demo.js';
import { exportTo, importFile, type ImportFormat } from '../../src/io/index.js';
import { importStabilizationTable, type StabilizationTable } from '../../src/io/stabilization-csv.js';
import { readOsmRoads } from '../../src/io/osm.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FIXTURES, tempDir } from '../helpers.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 6);

function mutate(text: string, ops: { at: number; kind: number; byte: number }[]): string {
  let s = text;
  for (const op of ops) {
    const i = Math.floor(op.at * s.length);
    const ch = String.fromCharCode(op.byte);
    if (op.kind === 0) s = s.slice(0, i) + ch + s.slice(i);
    else if (op.kind === 1) s = s.slice(0, i) + s.slice(i + 1 + (op.byte % 20));
    else if (op.kind === 2) s = s.slice(0, i) + s.slice(i, i + (op.byte % 200)) + s.slice(i);
    else s = s.slice(0, i) + ['"', ',', '\n', '\r', '\u0000', '{', '}', '[', ']', '\uFEFF'][op.byte % 10] + s.slice(i);
  }
  return s;
}

const opArb = fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), kind: fc.integer({ min: 0, max: 3 }), byte: fc.integer({ min: 0, max: 0x7ff }) }), { minLength: 1, maxLength: 6 });

/** What the demo store exports in a format: a real file of that format to mutate. */
async function exported(format: 'ucdp' | 'hxl' | 'places' | 'geojson'): Promise<string> {
  const store = openSqliteStore(':memory:');
  await loadDemo(store);
  let text = '';
  await exportTo(store, format, { write: (c) => void (text += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) });
  await store.close();
  return text;
}

describe('fuzzing importers', () => {
  const sources: [string, ImportFormat, () => Promise<string>, string, { kind?: 'zones' | 'events' }][] = [
    ['an ACLED sample', 'acled', async () => readFileSync(join(FIXTURES, 'acled-sample.csv'), 'utf8'), 'csv', {}],
    ['UCDP GED as exported', 'ucdp', () => exported('ucdp'), 'csv', {}],
    ['HXL as exported', 'hxl', () => exported('hxl'), 'csv', {}],
    ['places as exported', 'places', () => exported('places'), 'csv', {}],
    ['the demo zones', 'geojson', async () => readFileSync(`${DEMO_DIR}zones.geojson`, 'utf8'), 'geojson', { kind: 'zones' }],
    ['events as exported', 'geojson', () => exported('geojson'), 'geojson', { kind: 'events' }],
    ['the demo control CSV', 'control', async () => readFileSync(`${DEMO_DIR}control.csv`, 'utf8'), 'csv', {}],
  ];
  for (const [label, format, source, ext, opts] of sources) {
    it(`${format} (${label}): mutated input imports cleanly or fails with an ImportError and changes nothing`, async () => {
      const text = await source();
      const dir = tempDir('fl-fuzz-');
      const store = openSqliteStore(':memory:');
      await loadDemo(store);
      const deadline = Date.now() + SECONDS * 1000;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(opArb, async (ops) => {
          if (Date.now() > deadline) return;
          runs++;
          const file = join(dir, `f.${ext}`);
          writeFileSync(file, mutate(text, ops));
          const before = (await store.listImports()).filter((i) => i.status === 'committed').length;
          const countBefore = await store.countEvents({ includeRetracted: true });
          const placesBefore = (await store.listPlaces()).length;
          try {
            const r = await importFile(store, format, file, opts);
            expect(r.rows).toBe(r.created + r.updated + r.unchanged + r.rejected);
          } catch (err) {
            expect(err, String(err)).toBeInstanceOf(ImportError);
            expect((await store.listImports()).filter((i) => i.status === 'committed').length).toBe(before);
            expect(await store.countEvents({ includeRetracted: true })).toBe(countBefore);
            expect((await store.listPlaces()).length).toBe(placesBefore);
          }
        }),
        { numRuns: 100_000, interruptAfterTimeLimit: SECONDS * 1000 },
      );
      expect(runs).toBeGreaterThan(10);
    });
  }

  it('stabilization tables: mutated returns, damage and project tables are taken whole, refused whole, or fail with an ImportError', async () => {
    const store = openSqliteStore(':memory:');
    await loadDemo(store);
    const code = (await store.listStabilizationAreas()).flatMap((a) => a.codes)[0] ?? 'SY11';
    const tables: Record<StabilizationTable, string> = {
      returns: ['admin_code,date,returnees,idps,source', `${code},2017-08-01,1000,3000,UNHCR test`, `${code},2017-09-01,1500,2500,UNHCR test`, ''].join('\n'),
      damage: ['place,date,destroyed,damaged,total_buildings,source', 'Raqqa,2017-11-01,10,20,100,UNOSAT test', 'Tabqa,2017-11-01,5,15,100,UNOSAT test', ''].join('\n'),
      projects: ['id,area,title,sector,implementer,funder,budget_usd,status,progress,source', `p-1,${(await store.listStabilizationAreas())[0]?.id ?? 'tabqa'},Water,water,NGO,Donor,1000,planned,,test`, ''].join('\n'),
    };
    const dir = tempDir('fl-fuzz-stab-');
    const deadline = Date.now() + SECONDS * 1000;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...(Object.keys(tables) as StabilizationTable[])), opArb, async (table, ops) => {
        if (Date.now() > deadline) return;
        runs++;
        const file = join(dir, `${table}.csv`);
        writeFileSync(file, mutate(tables[table], ops));
        const before = [(await store.listIndicators()).length, (await store.listProjects()).length];
        try {
          const r = await importStabilizationTable(store, table, file, { today: '2026-12-01', by: 'fuzz' });
          // Without --skip-bad, a table with any bad row writes nothing.
          if (r.rejects.length) expect([(await store.listIndicators()).length, (await store.listProjects()).length]).toEqual(before);
        } catch (err) {
          expect(err, String(err)).toBeInstanceOf(ImportError);
          expect([(await store.listIndicators()).length, (await store.listProjects()).length]).toEqual(before);
        }
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: SECONDS * 1000 },
    );
    expect(runs).toBeGreaterThan(10);
  });

  it('road networks: a mutated GeoJSON or OSM XML road file is read or refused with an ImportError, never a crash', async () => {
    const geo = readFileSync(`${DEMO_DIR}roads.geojson`, 'utf8');
    const xml = ['<?xml version="1.0"?>', '<osm version="0.6">', '<node id="1" lat="35.9" lon="39.0"/>', '<node id="2" lat="35.95" lon="39.1"/>', '<node id="3" lat="36.0" lon="39.2"/>',
      '<way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/></way>', '<way id="11"><nd ref="3"/><nd ref="1"/><tag k="highway" v="track"/><tag k="oneway" v="yes"/></way>', '</osm>', ''].join('\n');
    const dir = tempDir('fl-fuzz-roads-');
    const deadline = Date.now() + SECONDS * 1000;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), opArb, async (isXml, ops) => {
        if (Date.now() > deadline) return;
        runs++;
        const file = join(dir, isXml ? 'r.osm' : 'r.geojson');
        writeFileSync(file, mutate(isXml ? xml : geo, ops));
        try {
          const r = await readOsmRoads(file);
          expect(Array.isArray(r.ways)).toBe(true);
        } catch (err) {
          expect(err, String(err)).toBeInstanceOf(ImportError);
        }
      }),
      { numRuns: 100_000, interruptAfterTimeLimit: SECONDS * 1000 },
    );
    expect(runs).toBeGreaterThan(10);
  });
});
