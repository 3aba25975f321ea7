/**
 * GIS exports (GeoPackage, KML, FlatGeobuf) of the demo, read back by independent readers: the
 * GeoPackage by SQLite itself (the spec's tables, the GP header and WKB decoded by hand here) and by
 * GDAL's ogrinfo when it is installed (an oracle; CI installs gdal-bin), the KML parsed as XML (sax),
 * the FlatGeobuf by the flatgeobuf library's reader.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sax from 'sax';
import { geojson as fgb } from 'flatgeobuf';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/load-demo.js';
import { gpkgGeometry, readGpkgGeometry } from '../../src/io/gpkg.js';
import { kmlColor } from '../../src/io/kml.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli, serveStore, tempDir } from '../helpers.js';

const OGRINFO = '/usr/bin/ogrinfo';

describe('GeoPackage geometry blobs', () => {
  it('writes the GP header by the spec: magic, version 0, little-endian with an xy envelope, srs id; WKB after it', () => {
    const g = { type: 'MultiPolygon' as const, coordinates: [[[[38, 35], [39, 35], [39, 36.5], [38, 35]]]] };
    const b = gpkgGeometry(g);
    expect(b.toString('ascii', 0, 2)).toBe('GP');
    expect(b.readUInt8(2)).toBe(0);
    expect(b.readUInt8(3)).toBe(0b011); // little-endian, envelope kind 1 (minx, maxx, miny, maxy)
    expect(b.readInt32LE(4)).toBe(4326);
    expect([0, 1, 2, 3].map((i) => b.readDoubleLE(8 + 8 * i))).toEqual([38, 39, 35, 36.5]);
    // WKB: byte order 1, type 6 (MultiPolygon), 1 polygon, whose WKB is type 3 with 1 ring of 4 points.
    expect([b.readUInt8(40), b.readUInt32LE(41), b.readUInt32LE(45)]).toEqual([1, 6, 1]);
    expect([b.readUInt8(49), b.readUInt32LE(50), b.readUInt32LE(54), b.readUInt32LE(58)]).toEqual([1, 3, 1, 4]);
    expect(b.readDoubleLE(62)).toBe(38);
    expect(readGpkgGeometry(b)).toEqual(g);
  });

  it('turns #rrggbb into KML\'s aabbggrr', () => {
    expect(kmlColor('#d55e00')).toBe('ff005ed5');
    expect(kmlColor('#0072b2', 0.5)).toBe('80b27200');
  });
});

describe('frontline export gpkg | kml | fgb on the demo', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = tempDir('fl-gis-');
    db = join(dir, 'd.db');
    const store = openSqliteStore(db);
    await loadDemo(store, 'demo', { roadsCache: `${db}.roads` });
    await store.close();
  }, 60_000);

  it('writes control on a date as a GeoPackage that SQLite reads by the spec', async () => {
    const out = join(dir, 'control.gpkg');
    const r = await runCli('export', 'gpkg', '--kind', 'control', '--date', '2017-06-01', '-o', out, '--db', db);
    expect(r.code, r.err).toBe(0);
    const g = new Database(out, { readonly: true });
    try {
      expect(g.pragma('application_id', { simple: true })).toBe(0x47504b47);
      expect(g.pragma('user_version', { simple: true })).toBe(10300);
      const srs = g.prepare('SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id').all();
      expect(srs).toEqual([{ srs_id: -1, organization: 'NONE', organization_coordsys_id: -1 }, { srs_id: 0, organization: 'NONE', organization_coordsys_id: 0 }, { srs_id: 4326, organization: 'EPSG', organization_coordsys_id: 4326 }]);
      const contents = g.prepare('SELECT table_name, data_type, srs_id, min_x, max_x FROM gpkg_contents ORDER BY table_name').all() as { table_name: string; data_type: string; srs_id: number; min_x: number; max_x: number }[];
      expect(contents.map((c) => c.table_name)).toEqual(['contested', 'control_areas', 'front_lines', 'places']);
      for (const c of contents) {
        expect(c).toMatchObject({ data_type: 'features', srs_id: 4326 });
        // Syria lies between 35.7 °E and 42.4 °E.
        expect(c.min_x).toBeGreaterThan(35);
        expect(c.max_x).toBeLessThan(43);
      }
      const cols = g.prepare('SELECT table_name, column_name, geometry_type_name FROM gpkg_geometry_columns ORDER BY table_name').all();
      expect(cols).toContainEqual({ table_name: 'control_areas', column_name: 'geom', geometry_type_name: 'MULTIPOLYGON' });
      expect(cols).toContainEqual({ table_name: 'places', column_name: 'geom', geometry_type_name: 'POINT' });
      // Tabqa on 2017-06-01: the SDF's since 10 May; its point decodes to the demo's coordinates.
      const tabqa = g.prepare("SELECT geom, bloc, actor FROM places WHERE placeId = 'tabqa'").get() as { geom: Buffer; bloc: string; actor: string };
      expect(tabqa.bloc).toBe('sdf');
      const demo = readFileSync(join('data', 'demo', 'places.csv'), 'utf8').split('\n').find((l) => l.startsWith('tabqa,'))!.split(',');
      const pt = readGpkgGeometry(tabqa.geom) as GeoJSON.Point;
      expect(pt.type).toBe('Point');
      expect(pt.coordinates[0]).toBeCloseTo(Number(demo[4]), 6);
      expect(pt.coordinates[1]).toBeCloseTo(Number(demo[5]), 6);
      const areas = g.prepare('SELECT bloc, areaKm2, geom FROM control_areas').all() as { bloc: string; areaKm2: number; geom: Buffer }[];
      expect(areas.map((a) => a.bloc)).toContain('isis');
      for (const a of areas) expect(readGpkgGeometry(a.geom).type).toBe('MultiPolygon');
    } finally {
      g.close();
    }
  }, 60_000);

  it('is read by GDAL (ogrinfo) as a GeoPackage with its layers and features', async (ctx) => {
    if (!existsSync(OGRINFO)) {
      if (process.env.CI === 'true') throw new Error(`CI needs ${OGRINFO} (Debian gdal-bin, installed by .ci/run)`);
      ctx.skip();
    }
    const out = join(dir, 'control-ogr.gpkg');
    expect((await runCli('export', 'gpkg', '--kind', 'control', '--date', '2017-06-01', '-o', out, '--db', db)).code).toBe(0);
    const r = spawnSync(OGRINFO, ['-so', '-al', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Layer name: control_areas[\s\S]*Geometry: Multi Polygon[\s\S]*Feature Count: \d+/);
    expect(r.stdout).toMatch(/Layer name: places[\s\S]*Geometry: Point/);
    expect(r.stdout).toMatch(/EPSG",?\s*"?4326/);
    expect(r.stderr).not.toMatch(/ERROR|Warning/);
    const tabqa = spawnSync(OGRINFO, ['-q', out, 'places', '-where', "placeId = 'tabqa'"], { encoding: 'utf8' });
    expect(tabqa.stdout).toMatch(/bloc \(String\) = sdf/);
    expect(tabqa.stdout).toMatch(/POINT \(38\.5/);
  }, 60_000);

  it('writes events as KML that parses as XML, one Placemark per event, with text escaped', async () => {
    const out = join(dir, 'events.kml');
    const r = await runCli('export', 'kml', '--kind', 'events', '--since', '2017-06-01', '-o', out, '--db', db);
    expect(r.code, r.err).toBe(0);
    const json = await runCli('events', '--since', '2017-06-01', '--limit', '1000', '--json', '--db', db);
    const expected = (JSON.parse(json.out) as { id: string }[]).map((e) => e.id).sort();
    const parser = sax.parser(true, {});
    const names: string[] = [];
    const ids: string[] = [];
    let path: string[] = [];
    let dataName = '';
    let placemarks = 0;
    let coords = 0;
    parser.onopentag = (t) => {
      path.push(t.name);
      if (t.name === 'Placemark') placemarks++;
      if (t.name === 'Data') dataName = String(t.attributes.name);
    };
    parser.onclosetag = () => void (path = path.slice(0, -1));
    parser.ontext = (text) => {
      const top = path.at(-1);
      if (top === 'value' && dataName === 'id') ids.push(text);
      if (top === 'name' && path.at(-2) === 'Placemark') names.push(text);
      if (top === 'coordinates') coords++;
    };
    parser.write(readFileSync(out, 'utf8')).close();
    expect(placemarks).toBe(expected.length);
    expect(ids.sort()).toEqual(expected);
    expect(coords).toBe(expected.length);
    expect(names.every((n) => n.length > 0)).toBe(true);
  }, 60_000);

  it('writes zones and control as FlatGeobuf that the library reads back', async () => {
    const out = join(dir, 'zones.fgb');
    expect((await runCli('export', 'fgb', '--kind', 'zones', '-o', out, '--db', db)).code).toBe(0);
    const zones: GeoJSON.Feature[] = [];
    for await (const f of fgb.deserialize(new Uint8Array(readFileSync(out)))) zones.push(f as GeoJSON.Feature);
    const demo = JSON.parse(readFileSync(join('data', 'demo', 'zones.geojson'), 'utf8')) as GeoJSON.FeatureCollection;
    expect(zones.map((z) => z.properties?.name).sort()).toEqual(demo.features.map((z) => z.properties?.name).sort());
    expect(zones.every((z) => z.properties?.layer === 'zones' && /Polygon/.test(z.geometry.type))).toBe(true);
    const c = join(dir, 'control.fgb');
    expect((await runCli('export', 'fgb', '--kind', 'control', '--date', '2017-06-01', '-o', c, '--db', db)).code).toBe(0);
    const layers = new Map<string, number>();
    for await (const f of fgb.deserialize(new Uint8Array(readFileSync(c)))) layers.set(String(f.properties?.layer), (layers.get(String(f.properties?.layer)) ?? 0) + 1);
    expect([...layers.keys()].sort()).toEqual(['contested', 'control_areas', 'front_lines', 'places']);
  }, 60_000);

  it('refuses a binary format to the terminal and an unknown kind, saying what to do', async () => {
    const a = await runCli('export', 'gpkg', '--kind', 'control', '--db', db);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/-o FILE\.gpkg/);
    const b = await runCli('export', 'kml', '--kind', 'roads', '-o', join(dir, 'x.kml'), '--db', db);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/control, events, zones/);
  });

  it('serves the same exports from the API: GET /api/export/gis', async () => {
    const store = openSqliteStore(db);
    const { base, close } = await serveStore(store);
    try {
      const g = await fetch(`${base}/api/export/gis?format=gpkg&kind=control&date=2017-06-01`);
      expect(g.status).toBe(200);
      expect(g.headers.get('content-type')).toBe('application/geopackage+sqlite3');
      const bytes = Buffer.from(await g.arrayBuffer());
      expect(bytes.subarray(0, 15).toString()).toBe('SQLite format 3');
      const k = await fetch(`${base}/api/export/gis?format=kml&kind=zones`);
      expect(k.headers.get('content-type')).toMatch(/kml/);
      expect((await k.text()).match(/<Placemark>/g)?.length).toBe((JSON.parse(readFileSync(join('data', 'demo', 'zones.geojson'), 'utf8')) as GeoJSON.FeatureCollection).features.length);
      const bad = await fetch(`${base}/api/export/gis?format=shp`);
      expect(bad.status).toBe(400);
    } finally {
      await close();
      await store.close();
    }
  }, 60_000);
});
