import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportTo, importFile } from '../../src/io/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { FIXTURES, tempDir } from '../helpers.js';

const SAMPLE = join(FIXTURES, 'acled-sample.csv');

async function exportText(store: Store, format: 'acled' | 'ucdp' | 'hxl' | 'geojson'): Promise<string> {
  let text = '';
  await exportTo(store, format, { write: (c) => void (text += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) });
  return text;
}

async function withActors(): Promise<Store> {
  const s = openSqliteStore(':memory:');
  await s.putActors(
    [
      { id: 'saa', name: 'Syrian Arab Army', aliases: ['Military Forces of Syria (2000-)', 'Government of Syria'], kind: 'state-military', sources: [] },
      { id: 'isis', name: 'Islamic State', aliases: ['IS', 'ISIS'], kind: 'armed-group', sources: [] },
      { id: 'sdf', name: 'Syrian Democratic Forces', aliases: ['SDF'], kind: 'armed-group', sources: [] },
    ],
    { by: 'test' },
  );
  return s;
}

describe('ACLED import', () => {
  it('takes the good rows, quarantines the bad ones with file, line, field and reason', async () => {
    const s = await withActors();
    const r = await importFile(s, 'acled', SAMPLE);
    expect(r).toMatchObject({ rows: 10, created: 5, rejected: 5, committed: true });
    const byLine = new Map(r.rejects.map((x) => [x.line, x]));
    expect([...byLine.keys()]).toEqual([7, 8, 9, 10, 11]);
    expect(byLine.get(7)).toMatchObject({ field: 'event_date', file: SAMPLE });
    expect(byLine.get(7)!.reason).toMatch(/31 February 2017.*not a real date/);
    expect(byLine.get(8)!.reason).toMatch(/sub_event_type "Air\/drone strike" is not a sub-event type of Battles/);
    expect(byLine.get(8)!.reason).toMatch(/latitude 95.5 is out of range/);
    expect(byLine.get(9)).toMatchObject({ field: 'event_type' });
    expect(byLine.get(10)!.reason).toMatch(/fatalities -4 is out of range|duplicate id "SYR1001" \(first on line 2\)/);
    expect(byLine.get(11)!.reason).toMatch(/has 11 fields where the header has 31/);
    expect(await s.listRejects(r.importId!)).toHaveLength(5);

    const jet = await s.getEvent('SYR1001');
    expect(jet).toMatchObject({ date: '2017-06-18', datePrecision: 'day', type: 'Strategic developments', actor1Id: null, actor2Id: 'saa', lat: 35.77, lon: 38.47 });
    expect(jet!.notes).toBe("A US F/A-18E shot down a Syrian Su-22 near Ja'Din, south of Tabqa.");
    expect(jet!.provenance).toEqual({ kind: 'file', file: 'acled-sample.csv', line: 2, format: 'acled' });
    const missiles = await s.getEvent('SYR1002');
    expect(missiles!.notes).toBe('Missiles fired from Iran at IS targets; "six missiles", per the IRGC.');
    expect(missiles!.fatalities.best).toBeNull();
    expect(missiles!.sources.map((x) => x.name)).toEqual(['IRGC', 'Reuters']);
    expect((await s.getEvent('SYR1003'))!.notes).toBe('استعاد الجيش السوري مدينة تدمر');
    expect((await s.getEvent('SYR1004'))!.notes).toBe('Multi-line note:\nconvoy struck inside the deconfliction zone');
    expect((await s.getEvent('SYR1004'))!.datePrecision).toBe('week');
    expect((await s.getEvent('SYR1009'))!).toMatchObject({ datePrecision: 'month', provenance: { line: 12 } });
  });

  it('rejects a second row with an id already seen in the same file, naming the first line', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\r\n');
    const file = join(tempDir(), 'dup.csv');
    // The header, row SYR1003 (line 2) and the same row again (line 3).
    writeFileSync(file, [lines[0], lines[3], lines[3]].join('\n') + '\n');
    const s = await withActors();
    const r = await importFile(s, 'acled', file);
    expect(r).toMatchObject({ created: 1, rejected: 1 });
    expect(r.rejects[0]).toMatchObject({ line: 3, field: 'id', reason: 'duplicate id "SYR1003" (first on line 2)' });
  });

  it('keeps columns that are not ACLED\'s in attributes instead of dropping them', async () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\r\n');
    const file = join(tempDir(), 'extra.csv');
    writeFileSync(file, `${lines[0]},population_best\n${lines[3]},12345\n`);
    const s = await withActors();
    await importFile(s, 'acled', file, { strict: true });
    expect((await s.getEvent('SYR1003'))!.attributes.population_best).toBe('12345');
  });

  it('--strict writes nothing when any row is bad', async () => {
    const s = await withActors();
    const r = await importFile(s, 'acled', SAMPLE, { strict: true });
    expect(r).toMatchObject({ committed: false, created: 0, rejected: 5 });
    expect(await s.countEvents({ includeRetracted: true })).toBe(0);
  });

  it('round-trips: import, export, import gives the same records', async () => {
    const a = await withActors();
    await importFile(a, 'acled', SAMPLE);
    const csv = await exportText(a, 'acled');
    const file = join(tempDir(), 'roundtrip.csv');
    writeFileSync(file, csv);
    const b = await withActors();
    const r = await importFile(b, 'acled', file, { strict: true });
    expect(r.created).toBe(5);
    const strip = (e: unknown): unknown => ({ ...(e as object), provenance: null });
    const left = (await a.queryEvents({})).events.map(strip);
    const right = (await b.queryEvents({})).events.map(strip);
    expect(right).toEqual(left);
    // And the second export is byte-identical to the first.
    expect(await exportText(b, 'acled')).toBe(csv);
  });

  it('reads a UTF-8 BOM and LF or CRLF line endings alike', async () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const dir = tempDir();
    for (const [name, body] of [
      ['bom.csv', `\uFEFF${text}`],
      ['lf.csv', text.replace(/\r\n/g, '\n')],
    ] as const) {
      writeFileSync(join(dir, name), body);
      const s = await withActors();
      const r = await importFile(s, 'acled', join(dir, name));
      expect([r.created, r.rejected]).toEqual([5, 5]);
      expect(r.rejects.map((x) => x.line)).toEqual([7, 8, 9, 10, 11]);
    }
  });

  it('says clearly what is wrong with files that are not ACLED CSV at all', async () => {
    const dir = tempDir();
    const cases: [string, string | Buffer, RegExp][] = [
      ['empty.csv', '', /empty\.csv:1: the file is empty/],
      ['blank.csv', '\n\n\n', /no header line/],
      ['other.csv', 'name,age\nbob,3\n', /other\.csv:1: this is not an ACLED CSV: the header lacks event_id_cnty/],
      ['binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 1, 2, 3]), /binary file, not CSV/],
      ['header-only.csv', `${readFileSync(SAMPLE, 'utf8').split('\r\n')[0]}\r\n`, /header but no rows/],
      ['quote.csv', `${readFileSync(SAMPLE, 'utf8').split('\r\n')[0]}\r\nX1,"unclosed\r\n`, /cannot be read past here/],
    ];
    for (const [name, body, message] of cases) {
      writeFileSync(join(dir, name), body);
      const s = await withActors();
      await expect(importFile(s, 'acled', join(dir, name))).rejects.toThrow(message);
      expect(await s.countEvents({ includeRetracted: true })).toBe(0);
      expect((await s.listImports()).filter((i) => i.status === 'committed')).toHaveLength(0);
    }
    const s = await withActors();
    await expect(importFile(s, 'acled', join(dir, 'missing.csv'))).rejects.toThrow(/missing\.csv: cannot read the file \(ENOENT\)/);
  });
});
