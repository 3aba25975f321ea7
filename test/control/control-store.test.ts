import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/main.js';
import { loadControlModel } from '../../src/control/load.js';
import type { ControlModel } from '../../src/control/model.js';
import { loadDemo } from '../../src/demo/load-demo.js';
import { importFile } from '../../src/io/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli, tempDir } from '../helpers.js';
import { openFreedoniaStore } from './freedonia.js';

const run = runCli;

const square = (x0: number, y0: number, x1: number, y1: number): number[][] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe("analysts' control maps and boundaries through the store", () => {
  const freedoniaStore = () => openFreedoniaStore();

  it('repairs open and wrongly wound rings (reported), refuses self-crossing rings, overlaps and unknown actors', async () => {
    const store = await freedoniaStore();
    const dir = tempDir('fl-ctl-');
    const feature = (id: string, coordinates: unknown, props: Record<string, unknown> = {}) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates }, properties: { id, actor: 'blue-army', from: '2020-01-10', source: 'analyst map', ...props } });
    const file = join(dir, 'areas.geojson');
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          feature('open', [square(0, 0, 0.2, 0.2).slice(0, 4)], { to: '2020-06-30' }), // not closed: repaired
          feature('clockwise', [[...square(0.5, 0.5, 0.6, 0.6)].reverse()]), // wrong winding: repaired
          feature('bowtie', [[[0.7, 0.7], [0.8, 0.8], [0.8, 0.7], [0.7, 0.8], [0.7, 0.7]]]), // crosses itself
          feature('overlap', [square(0.1, 0.1, 0.3, 0.3)]), // overlaps "open" while both in force
          feature('later', [square(0.1, 0.1, 0.3, 0.3)], { from: '2021-01-01' }), // same land, later: fine
          feature('stranger', [square(0.9, 0.9, 1, 1)], { actor: 'nobody' }),
        ],
      }),
    );
    const r = await importFile(store, 'geojson', file, { kind: 'control-areas' });
    expect(r.committed).toBe(true);
    expect(r.created).toBe(3);
    expect(r.repairs.map((x) => [x.line, x.repair])).toEqual([
      [1, 'polygon 1, ring 1 was not closed: closed it'],
      [2, 'polygon 1, ring 1 was wound clockwise: rewound it (outer rings run counter-clockwise)'],
    ]);
    expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([
      [3, expect.stringMatching(/ring 1 crosses itself near \(0\.75000, 0\.75000\)/)],
      [4, expect.stringMatching(/overlaps control area "open" by [\d.]+ km² while both are in force/)],
      [6, 'actor "nobody" is not in the store: add it to the actors first'],
    ]);
    const areas = await store.listControlAreas();
    const open = areas.find((a) => a.id === 'open')!;
    expect(open.geometry.coordinates[0]![0]!.length).toBe(5);
    const m = await loadControlModel(store, { radiusKm: 100 });
    // 2020-01-20: the 0.2° square round Alpha is blue by the analyst's map, though Alpha is red.
    expect(m.attribute(0.1, 0.1, m.stateAt('2020-01-20').day)).toBe(m.blocIds.indexOf('blue'));
  });

  it('without a boundary, says how to get one', async () => {
    const store = openSqliteStore(':memory:');
    await expect(loadControlModel(store)).rejects.toThrow(/import geojson FILE --kind boundary/);
  });
});

describe('control in the Syria 2017 demo', () => {
  let db: string;
  let m: ControlModel;
  beforeAll(async () => {
    db = join(tempDir('fl-demo-'), 'd.db');
    const store = openSqliteStore(db);
    await loadDemo(store);
    m = await loadControlModel(store);
    await store.close();
  });

  const holder = (place: string, date: string): string | undefined => m.timeline.holdingAt(place, date)?.actor;
  const blocOn = (place: string, date: string): string => m.blocIds[m.placeBlocAt(m.placeIndexOf(place), m.stateAt(date).day)]!;

  it('knows the facts: Raqqa held by ISIS on 2017-06-01, Tabqa by the SDF after mid-May, Palmyra by the government after early March', () => {
    expect(blocOn('raqqa', '2017-06-01')).toBe('isis');
    expect(blocOn('tabqa', '2017-05-01')).toBe('isis');
    expect(blocOn('tabqa', '2017-05-20')).toBe('sdf');
    expect(blocOn('palmyra', '2017-02-15')).toBe('isis');
    expect(blocOn('palmyra', '2017-03-10')).toBe('government');
    expect(holder('raqqa', '2017-06-10')).toBe('isis');
    expect(m.timeline.holdingAt('raqqa', '2017-06-10')?.status).toBe('contested');
  });

  it("partitions Syria's land on every week of the demo", () => {
    for (const s of m.series('2017-01-01', '2017-07-31', 7).filter((r) => r.bloc === 'unassigned')) {
      const state = m.stateAt(s.date);
      const sum = state.blocs.reduce((a, b) => a + b.areaKm2, 0) + state.unassignedKm2;
      expect(Math.abs(sum - m.grid.landAreaKm2) / m.grid.landAreaKm2).toBeLessThan(1e-5);
    }
    // Natural Earth's Syria is ~186,000 km² by this formula (official figures: 185,180 km²).
    expect(m.grid.landAreaKm2).toBeGreaterThan(184_000);
    expect(m.grid.landAreaKm2).toBeLessThan(188_000);
  });

  it('`control at --json` keeps its contract', async () => {
    const r = await run('--db', db, 'control', 'at', '2017-06-01', '--json');
    expect(r.code).toBe(EXIT.ok);
    const j = JSON.parse(r.out) as { date: string; blocs: { bloc: string; name: string; places: number; population: number; areaKm2: number }[]; unassignedKm2: number; places: { place: string; placeId: string; actor: string; bloc: string; status: string }[] };
    expect(j.date).toBe('2017-06-01');
    for (const b of j.blocs) expect(Object.keys(b)).toEqual(expect.arrayContaining(['bloc', 'name', 'places', 'population', 'areaKm2']));
    expect(typeof j.unassignedKm2).toBe('number');
    expect(j.places.find((p) => p.placeId === 'raqqa')).toMatchObject({ place: 'Raqqa', actor: 'isis', bloc: 'isis', status: 'held' });
    const total = j.blocs.reduce((a, b) => a + b.places, 0);
    expect(total).toBe(j.places.length);
    const onlyIsis = JSON.parse((await run('--db', db, 'control', 'at', '2017-06-01', '--json', '--bloc', 'isis')).out) as typeof j;
    expect(onlyIsis.blocs.map((b) => b.bloc)).toEqual(['isis']);
    expect(onlyIsis.places.every((p) => p.bloc === 'isis')).toBe(true);
  });

  it('diff, series, front lines and GeoJSON from the CLI', async () => {
    const diff = JSON.parse((await run('--db', db, 'control', 'diff', '2017-05-01', '2017-05-20', '--json')).out) as { blocs: { bloc: string; placesGained: string[] }[] };
    expect(diff.blocs.find((b) => b.bloc === 'sdf')!.placesGained).toContain('tabqa');
    const csv = (await run('--db', db, 'control', 'series', '2017-01-01', '2017-01-15', '--step', 'week', '--csv')).out.trim().split('\n');
    expect(csv[0]).toBe('date,bloc,places,population,areaKm2');
    expect(new Set(csv.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(['2017-01-01', '2017-01-08', '2017-01-15']));
    const fl = JSON.parse((await run('--db', db, 'frontlines', '2017-06-18', '--json')).out) as { sides: string[]; lengthKm: number }[];
    expect(fl.length).toBeGreaterThan(0);
    expect(fl.every((f) => f.lengthKm > 0)).toBe(true);
    const gj = JSON.parse((await run('--db', db, 'control', 'at', '2017-06-01', '--geojson')).out) as { features: { geometry: { type: string }; properties: { kind: string } }[] };
    const kinds = new Set(gj.features.map((f) => f.properties.kind));
    expect(kinds).toEqual(new Set(['area', 'contested', 'front-line', 'zone', 'place']));
    expect((await run('--db', db, 'control', 'at', '2017-13-01')).code).toBe(EXIT.usage);
    expect((await run('--db', db, 'control', 'at', '2017-06-01', '--bloc', 'nope')).code).toBe(EXIT.usage);
  });

  it('records and retracts an observation from the CLI; the history keeps both', async () => {
    const db2 = join(tempDir('fl-edit-'), 'e.db');
    await run('--db', db2, 'demo', '--json');
    const placeOf = async (date: string) => (JSON.parse((await run('--db', db2, 'control', 'at', date, '--json')).out) as { places: { placeId: string; actor: string }[] }).places.find((p) => p.placeId === 'tabqa')!.actor;
    expect(await placeOf('2017-06-03')).toBe('sdf');
    const add = await run('--db', db2, 'control', 'add', '--place', 'tabqa', '--actor', 'isis', '--from', '2017-06-02', '--source', 'a rumour', '--confidence', '0.3');
    expect(add.code).toBe(EXIT.ok);
    expect(add.out).toMatch(/recorded: tabqa-2017-06-02-isis/);
    expect(await placeOf('2017-06-03')).toBe('isis');
    expect((await run('--db', db2, 'control', 'retract', 'tabqa-2017-06-02-isis')).code).toBe(EXIT.usage); // a reason is required
    expect((await run('--db', db2, 'control', 'retract', 'tabqa-2017-06-02-isis', '--reason', 'not confirmed')).code).toBe(EXIT.ok);
    expect(await placeOf('2017-06-03')).toBe('sdf');
    const history = JSON.parse((await run('--db', db2, 'history', 'control', 'tabqa-2017-06-02-isis', '--json')).out) as { op: string; reason: string | null }[];
    expect(history.map((h) => h.op)).toEqual(['create', 'retract']);
    expect(history[1]!.reason).toBe('not confirmed');
    expect((await run('--db', db2, 'control', 'add', '--place', 'atlantis', '--actor', 'isis', '--from', '2017-06-01', '--source', 'x')).code).toBe(EXIT.usage);
    expect((await run('--db', db2, 'control', 'add', '--place', 'tabqa', '--actor', 'isis', '--from', '2017-06-31', '--source', 'x')).code).toBe(EXIT.usage);
  });

  it('filters events by who held their location, by zone and by recent change of hands', async () => {
    const held = JSON.parse((await run('--db', db, 'events', '--held-by', 'government', '--limit', '500', '--json')).out) as { id: string; lon: number; lat: number; date: string; place: string | null }[];
    expect(held.length).toBeGreaterThan(0);
    for (const e of held) expect(m.blocIds[m.attribute(e.lon, e.lat, m.stateAt(e.date).day, e.place ? m.placeIndexOf(e.place) : -1)]).toBe('government');
    const all = JSON.parse((await run('--db', db, 'events', '--limit', '500', '--json')).out) as unknown[];
    const others = JSON.parse((await run('--db', db, 'events', '--held-by', 'isis', '--limit', '500', '--json')).out) as unknown[];
    expect(held.length + others.length).toBeLessThanOrEqual(all.length);
    const tanf = JSON.parse((await run('--db', db, 'events', '--zone', 'tanf-deconfliction', '--json')).out) as { id: string }[];
    // The coalition strikes near al-Tanf (18 May, 6 June) and the drone shoot-downs (8, 20 June) lie inside the 55 km ring.
    expect(tanf.length).toBeGreaterThanOrEqual(3);
    expect((await run('--db', db, 'events', '--zone', 'atlantis')).code).toBe(EXIT.usage);
    const changed = await run('--db', db, 'events', '--changed-within', '7', '--json');
    expect(changed.code).toBe(EXIT.ok);
  });
});
