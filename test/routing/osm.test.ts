import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOsmRoads } from '../../src/io/osm.js';
import { buildRoadGraph } from '../../src/routing/graph.js';
import { EXIT } from '../../src/cli/main.js';
import { requireShared, runCli, SHARED, tempDir, withoutShared } from '../helpers.js';

const OSM = join(SHARED, 'data', 'osm');

describe('OSM road files (../shared/data/osm, counts from its SOURCES.md, made with osmium fileinfo -e)', () => {
  it.skipIf(withoutShared)('reads Andorra\'s PBF: 69,644 nodes, 2,725 ways, 74 relations, 1,615 ways with a highway tag', async () => {
    requireShared();
    const r = await readOsmRoads(join(OSM, 'gh-andorra.osm.pbf'));
    expect(r.counts).toEqual({ nodes: 69644, ways: 2725, relations: 74, highwayWays: 1615 });
    const { graph, report } = buildRoadGraph(r.ways, r.coord);
    expect(report.waysRead).toBe(1615);
    expect(graph.edgeCount).toBeGreaterThan(1000);
    // Every junction is a real node of the file, with Andorra's coordinates.
    for (let i = 0; i < graph.nodeCount; i++) {
      expect(graph.lon[i]).toBeGreaterThan(1.0);
      expect(graph.lon[i]).toBeLessThan(1.9);
      expect(graph.lat[i]).toBeGreaterThan(42.3);
      expect(graph.lat[i]).toBeLessThan(42.8);
    }
  });

  it.skipIf(withoutShared)('reads gzipped OSM XML: Krems, 15,042 nodes, 2,402 ways, 73 relations, 838 highway ways', async () => {
    requireShared();
    const r = await readOsmRoads(join(OSM, 'gh-krems.osm.gz'));
    expect(r.counts).toEqual({ nodes: 15042, ways: 2402, relations: 73, highwayWays: 838 });
  });

  it.skipIf(withoutShared)('reads GeoJSON lines: the 1,614 highway LineStrings made from the Andorra PBF, into the same roads', async () => {
    requireShared();
    const lines = await readOsmRoads(join(OSM, 'gh-andorra-highways.geojson'));
    expect(lines.counts.highwayWays).toBe(1614);
    const pbf = await readOsmRoads(join(OSM, 'gh-andorra.osm.pbf'));
    // Same drivable road length either way (to 0.5%: osmium dropped one way with a missing node).
    const km = (r: typeof pbf): number => {
      const { graph } = buildRoadGraph(r.ways, r.coord);
      return graph.lengthM.reduce((a, b) => a + b, 0) / 1000;
    };
    const a = km(lines), b = km(pbf);
    expect(Math.abs(a - b) / b).toBeLessThan(0.005);
  });

  it.skipIf(withoutShared)('refuses truncated or corrupt PBF and files that are not OSM, naming the problem', async () => {
    requireShared();
    const dir = tempDir('fl-osm-');
    const buf = readFileSync(join(OSM, 'gh-andorra.osm.pbf'));
    writeFileSync(join(dir, 'cut.osm.pbf'), buf.subarray(0, Math.floor(buf.length / 2)));
    await expect(readOsmRoads(join(dir, 'cut.osm.pbf'))).rejects.toThrow(/truncated/);
    const corrupt = Buffer.from(buf);
    corrupt.fill(7, 200, 400);
    writeFileSync(join(dir, 'bad.osm.pbf'), corrupt);
    await expect(readOsmRoads(join(dir, 'bad.osm.pbf'))).rejects.toThrow(/corrupt|truncated/);
    writeFileSync(join(dir, 'x.osm'), '<html><body>not osm</body></html>');
    await expect(readOsmRoads(join(dir, 'x.osm'))).rejects.toThrow(/not OSM XML/);
    writeFileSync(join(dir, 'x.txt'), 'hello');
    await expect(readOsmRoads(join(dir, 'x.txt'))).rejects.toThrow(/not a road file/);
  });
});

describe('roads and race from the CLI', () => {
  it('imports an extract, reports it, and runs the demo race with a stable JSON', async () => {
    const db = join(tempDir('fl-race-'), 'r.db');
    expect((await runCli('--db', db, 'demo', '--json')).code).toBe(EXIT.ok);
    const info = JSON.parse((await runCli('--db', db, 'roads', 'info', '--json')).out) as { source: string; edges: number; loadMs: number };
    expect(info.source).toBe('roads.geojson');
    expect(info.edges).toBeGreaterThan(50);
    const race = JSON.parse((await runCli('--db', db, 'race', '--date', '2017-07-31', '--objective', 'Deir ez-Zor', '--objective', '40.95,34.42', '--bloc', 'government', '--bloc', 'sdf', '--json')).out) as {
      date: string;
      parameters: { blocs: string[]; defaultAdvanceKmPerDay: number };
      objectives: { objective: string; holder: string | null; arrivals: { bloc: string; days: number | null; route: unknown }[]; winner: string | null; marginDays: number | null }[];
    };
    expect(race.date).toBe('2017-07-31');
    expect(race.parameters.blocs).toEqual(['government', 'sdf']);
    expect(race.objectives.map((o) => o.objective)).toEqual(['Deir ez-Zor', '40.95,34.42']);
    const dez = race.objectives[0]!;
    expect(dez.holder).toBe('government'); // the besieged enclave
    expect(dez.winner).toBe('sdf'); // the first bloc other than the holder
    const crossing = race.objectives[1]!;
    expect(crossing.holder).toBe('isis');
    for (const a of crossing.arrivals) expect(a.days).toBeGreaterThan(0);
    expect(crossing.winner).not.toBeNull();
    const exposure = JSON.parse((await runCli('--db', db, 'exposure', '--date', '2017-07-31', '--bloc', 'sdf', '--within', '10', '--json')).out) as { hostile: string[]; places: { place: string; days: number; firstThreat: string }[] };
    expect(exposure.hostile).toContain('isis');
    expect(exposure.places.length).toBeGreaterThan(0);
    expect(exposure.places.every((p, i, a) => p.days <= 10 && (i === 0 || a[i - 1]!.days <= p.days))).toBe(true);
    expect(exposure.places.find((p) => p.place === 'tabqa')?.firstThreat).toBe('isis');
    const gj = JSON.parse((await runCli('--db', db, 'race', '--date', '2017-07-31', '--objective', 'Deir ez-Zor', '--geojson', '--isochrones', '1,7')).out) as { features: { properties: { kind: string; days?: number; areaKm2?: number; bloc?: string } }[] };
    const iso = gj.features.filter((f) => f.properties.kind === 'isochrone');
    expect(iso.length).toBeGreaterThan(0);
    for (const a of iso.filter((f) => f.properties.days === 1)) {
      const week = iso.find((f) => f.properties.days === 7 && f.properties.bloc === a.properties.bloc)!;
      expect(week.properties.areaKm2!).toBeGreaterThanOrEqual(a.properties.areaKm2!);
    }
    const cal = JSON.parse((await runCli('--db', db, 'race', 'calibrate', '2017-01-01', '2017-04-30', '--json')).out) as { blocs: { bloc: string; kmPerDay: number | null; samples: { kmPerDay: number }[] }[] };
    for (const b of cal.blocs) if (b.kmPerDay !== null) expect(b.samples.length).toBeGreaterThan(0);
    const bt = JSON.parse((await runCli('--db', db, 'race', 'backtest', '2017-05-01', '2017-07-31', '--json', '--advance', 'government=4')).out) as { parameters: { advanceKmPerDay: Record<string, number> }; places: { hit: boolean; actual: string }[]; summary: { changed: number; hits: number } };
    expect(bt.parameters.advanceKmPerDay).toEqual({ government: 4 });
    expect(bt.summary.changed).toBe(bt.places.length);
    expect(bt.summary.hits).toBe(bt.places.filter((p) => p.hit).length);
    expect(bt.places.map((p) => p.actual)).toContain('sdf'); // Tabqa, 10 May 2017
    expect((await runCli('--db', db, 'race', 'backtest', '2017-07-31', '2017-05-01')).code).toBe(EXIT.usage);
    // Without dates: the monthly track record over the last six months, three forecasters on the same items.
    const tr = JSON.parse((await runCli('--db', db, 'race', 'backtest', '--json')).out) as { asOf: string[]; to: string; fits: { asOf: string; window: [string, string] }[]; items: { asOf: string; actual: string; holder: string | null }[]; scores: Record<string, { objectives: number; balancedAccuracy: number | null }> };
    expect(tr.asOf).toEqual(['2017-02-01', '2017-03-01', '2017-04-01', '2017-05-01', '2017-06-01', '2017-07-01']);
    expect(Object.keys(tr.scores).sort()).toEqual(['holderKeeps', 'nearestFront', 'race']);
    for (const s of Object.values(tr.scores)) expect(s.objectives).toBe(tr.items.length);
    expect(tr.items.every((x) => x.actual !== x.holder)).toBe(true); // every item changed hands
    for (const f of tr.fits) expect(f.window[1]).toBe(f.asOf); // fitted up to the as-of date, never after
    expect((await runCli('--db', db, 'race', 'backtest', '2017-05-01')).code).toBe(EXIT.usage);
    // A what-if from a file: relation, advance-rate and position overrides, compared with the record.
    const whatIf = join(tempDir('fl-whatif-'), 'w.json');
    writeFileSync(whatIf, JSON.stringify({ id: 'no-deconfliction', name: 'no deconfliction', baseDate: '2017-07-31', overrides: [
      { kind: 'relation', a: 'government', b: 'sdf', relation: 'hostile' },
      { kind: 'advance-rate', bloc: 'sdf', kmPerDay: 10 },
      { kind: 'position', actor: 'sdf', lon: 40.0, lat: 35.5, label: 'column at al-Kasrah' },
    ] }));
    const cmp = JSON.parse((await runCli('--db', db, 'race', '--date', '2017-07-31', '--objective', 'Al-Mayadin', '--compare', whatIf, '--json')).out) as { comparison: { compareWith: string; objectives: { winner: string; winnerThere: string; arrivals: { bloc: string; days: number | null; daysThere: number | null }[] }[] }; compared: { parameters: { advanceKmPerDay: Record<string, number> }; starts: Record<string, string[]> } };
    expect(cmp.comparison.compareWith).toBe('no-deconfliction');
    expect(cmp.compared.parameters.advanceKmPerDay).toEqual({ sdf: 10 });
    expect(cmp.compared.starts.sdf).toContain('position:column at al-Kasrah');
    const sdf = cmp.comparison.objectives[0]!.arrivals.find((a) => a.bloc === 'sdf')!;
    expect(sdf.daysThere!).toBeLessThan(sdf.days!); // faster, and starting closer
    expect((await runCli('--db', db, 'race', '--date', '2017-07-31', '--scenario', 'nowhere.json')).code).toBe(EXIT.usage);
    // Unknown objective, unknown bloc, bad rate: usage errors.
    expect((await runCli('--db', db, 'race', '--date', '2017-07-31', '--objective', 'Atlantis')).code).toBe(EXIT.usage);
    expect((await runCli('--db', db, 'race', '--date', '2017-07-31', '--bloc', 'martians')).code).toBe(EXIT.usage);
    expect((await runCli('--db', db, 'race', '--date', '2017-07-31', '--advance', 'sdf=fast')).code).toBe(EXIT.usage);
  });

  it.skipIf(withoutShared)('imports an OSM extract from the CLI (../shared/data/osm)', async () => {
    requireShared();
    const db = join(tempDir('fl-roads-'), 'r.db');
    const imp = JSON.parse((await runCli('--db', db, 'roads', 'import', join(OSM, 'gh-monaco.osm.gz'), '--json')).out) as { edges: number; bytesPerEdge: number };
    expect(imp.edges).toBeGreaterThan(100);
    expect(imp.bytesPerEdge).toBeLessThan(100);
  });
});
