import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayNumber, formatAcledDate, fromDayNumber, isIsoDate, parseFlexibleDate, precisionFromAcled, precisionFromUcdp, precisionToAcled, precisionToUcdp, spanEnd } from '../../src/core/dates.js';
import { foldName } from '../../src/core/names.js';
import { coordField, RowErrors } from '../../src/io/convert.js';
import { csvLine, readCsvRecords } from '../../src/io/csv.js';
import { tempDir } from '../helpers.js';

const isoDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('dates', () => {
  it('ISO and ACLED forms parse back to the same day; day numbers invert', () => {
    fc.assert(
      fc.property(isoDate, (d) => {
        expect(isIsoDate(d)).toBe(true);
        expect(parseFlexibleDate(d)).toBe(d);
        expect(parseFlexibleDate(formatAcledDate(d))).toBe(d);
        expect(parseFlexibleDate(`${d} 00:00:00.000`)).toBe(d);
        expect(fromDayNumber(dayNumber(d))).toBe(d);
      }),
    );
  });

  it('impossible dates are refused, not rolled over', () => {
    for (const bad of ['06/07/2017', '18/06/2017', '2017-02-29', '2017-02-30', '2017-13-01', '2017-00-10', '31 February 2017', '2017-6-31', 'June 2017', '', 'yesterday']) expect(parseFlexibleDate(bad), bad).toBeNull();
    expect(parseFlexibleDate('2016-02-29')).toBe('2016-02-29');
  });

  it('a date of any precision spans from itself to its span end, which never precedes it', () => {
    fc.assert(
      fc.property(isoDate, fc.constantFrom('day', 'week', 'month', 'year' as const), (d, p) => {
        const end = spanEnd(d, p);
        expect(end >= d).toBe(true);
        if (p === 'month') expect(end.slice(0, 7)).toBe(d.slice(0, 7));
        if (p === 'year') expect(end).toBe(`${d.slice(0, 4)}-12-31`);
      }),
    );
  });

  it('precision codes round-trip through ACLED and UCDP', () => {
    for (const p of ['day', 'week', 'month'] as const) expect(precisionFromAcled(precisionToAcled(p))).toBe(p);
    for (const p of ['day', 'week', 'month', 'year'] as const) expect(precisionFromUcdp(precisionToUcdp(p))).toBe(p);
  });
});

describe('coordinates', () => {
  it('accepts exactly the numbers within range', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1000, max: 1000 }), (x) => {
        const errs = new RowErrors();
        const v = coordField(errs, 'latitude', String(x), 90);
        expect(v === null).toBe(x < -90 || x > 90);
        if (v !== null) expect(v).toBe(Number(String(x)));
      }),
    );
    const errs = new RowErrors();
    for (const bad of ['', 'NaN', 'Infinity', '1e400', '35,5', 'north']) expect(coordField(errs, 'latitude', bad, 90)).toBeNull();
  });
});

describe('CSV quoting', () => {
  it('any fields written by csvLine are read back unchanged, with the right line numbers', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'z', ' ', ',', '"', '\n', '\r\n', 'ش', '\u00e9', '1', ';') , maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }), async (rows) => {
        const file = join(tempDir('fl-csvprop-'), 'p.csv');
        const data = rows.filter((r) => !(r.every((f) => f === '')));
        writeFileSync(file, csvLine(['a', 'b', 'c']) + data.map((r) => csvLine(r)).join(''));
        const got: { line: number; fields: string[] }[] = [];
        for await (const r of readCsvRecords(file)) got.push({ line: r.line, fields: r.fields });
        expect(got.slice(1).map((r) => r.fields)).toEqual(data);
        let line = 2;
        for (let i = 0; i < data.length; i++) {
          expect(got[i + 1]!.line).toBe(line);
          line += 1 + (csvLine(data[i]!).slice(0, -1).match(/\n/g)?.length ?? 0);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('name folding', () => {
  it('folds the spellings analysts meet to one key', () => {
    const groups = [
      ['Deir ez-Zor', 'Deir Ezzor', 'Dayr az-Zawr', 'Deir al-Zour', 'Dayr az Zawr'],
      ['al-Tanf', 'Tanf', 'At Tanf', 'At-Tanf'],
      ['Raqqa', 'Ar Raqqah', 'Al-Raqqa', 'Raqqah'],
      ['Hama', 'Ḩamāh', 'Hamah'],
      ['al-Sukhna', 'As Sukhnah', 'Al Sukhna', 'Sukhnah'],
    ];
    for (const g of groups) expect(new Set(g.map(foldName)).size, g.join(' / ')).toBe(1);
    expect(foldName('Raqqa')).not.toBe(foldName('Deir ez-Zor'));
  });
});

describe('ACLED export written by the store', () => {
  it('any text in any field survives export and re-import', async () => {
    const { openSqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
    const { exportTo, importFile } = await import('../../src/io/index.js');
    const { event } = await import('../store/contract.js');
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '\t', ',', '"', '\n', '\r\n', 'ش', "'", ';', '%', 'x'), maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(text, text, text, text, fc.double({ min: -90, max: 90, noNaN: true }), async (notes, location, actor2, inter1, lat) => {
        const a = openSqliteStore(':memory:');
        const e = event('ev1', '2017-06-18', 38.5, lat, { notes, location, actor2, actor2Id: null, attributes: inter1 ? { inter1 } : {}, sources: [{ name: 'S1' }, { name: 'S2', scale: 'National' }], origin: { format: 'acled', id: 'ev1' } });
        await a.putEvents([e], { by: 't' });
        let csv = '';
        await exportTo(a, 'acled', { write: (c) => void (csv += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) });
        const file = join(tempDir('fl-exp-'), 'e.csv');
        writeFileSync(file, csv);
        const b = openSqliteStore(':memory:');
        const r = await importFile(b, 'acled', file, { strict: true });
        expect(r.rejects).toEqual([]);
        const back = (await b.getEvent('ev1'))!;
        expect([back.notes, back.location, back.actor2, back.attributes.inter1 ?? '', back.lat]).toEqual([notes, location, actor2, inter1, lat + 0]); // -0 is written as 0
        expect(back.sources.map((s) => s.name)).toEqual(['S1', 'S2']);
      }),
      { numRuns: 120 },
    );
  });
});
