import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/dates.js';
import { ACLED_EXPORT_FIELDS } from '../../src/io/acled.js';
import { parallelCsv, splitByDay } from '../../src/store/sqlite/parallel-csv.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers.js';
import { event } from './contract.js';

async function csvOf(chunks: AsyncIterable<{ bytes: Uint8Array; rows: number }>): Promise<{ text: string; rows: number }> {
  let text = '';
  let rows = 0;
  for await (const c of chunks) {
    text += Buffer.from(c.bytes).toString('utf8');
    rows += c.rows;
  }
  return { text, rows };
}

describe('parallel CSV export', () => {
  it('splits days into parts of about the target size, in order, covering every day', () => {
    const counts: [number, number][] = [[1, 5], [2, 1], [3, 10], [7, 2], [8, 2], [9, 2]];
    expect(splitByDay(counts, 6)).toEqual([{ from: 1, to: 2 }, { from: 3, to: 3 }, { from: 7, to: 9 }]);
    expect(splitByDay([], 6)).toEqual([]);
  });

  it('writes the same lines, in the same order, as one connection', async (ctx) => {
    if (availableParallelism() < 2) {
      if (process.env.CI === 'true') throw new Error('CI needs at least two cores to test the parallel export');
      ctx.skip('one core only; the parallel export is not used here');
    }
    const file = join(tempDir('fl-par-'), 'p.db');
    const store = openSqliteStore(file, { parallelExport: { minEvents: 100, partEvents: 37 } });
    // Stored out of date order, several events a day, one event retracted, quotes and Arabic in text.
    const events = Array.from({ length: 1500 }, (_, i) =>
      event(`e${i}`, addDays('2017-01-01', (i * 7919) % 211), 36 + (i % 50) / 10, 35 + (i % 30) / 10, { notes: `note ${i} "quoted", دير الزور`, origin: { format: 'acled', id: `SYR${i}` } }),
    );
    await store.putEvents(events, { by: 'test' });
    await store.retractEvent('e7', { by: 'test', reason: 'duplicate' });
    const fields = Object.values(ACLED_EXPORT_FIELDS);
    const parallel = await csvOf(store.scanEventCsv({}, fields));
    const windowed = await csvOf(store.scanEventCsv({ since: '2017-02-01', until: '2017-04-30' }, fields));
    const stored = await csvOf(store.scanEventCsv({}, fields, 'storage'));
    const storedWindow = await csvOf(store.scanEventCsv({ since: '2017-02-01', until: '2017-04-30' }, fields, 'storage'));
    store.parallelExport = { minEvents: Infinity, partEvents: 37 };
    const single = await csvOf(store.scanEventCsv({}, fields));
    const singleWindow = await csvOf(store.scanEventCsv({ since: '2017-02-01', until: '2017-04-30' }, fields));
    const singleStored = await csvOf(store.scanEventCsv({}, fields, 'storage'));
    const singleStoredWindow = await csvOf(store.scanEventCsv({ since: '2017-02-01', until: '2017-04-30' }, fields, 'storage'));
    expect(stored.text).toBe(singleStored.text);
    expect(storedWindow.text).toBe(singleStoredWindow.text);
    expect(stored.text).not.toBe(single.text); // stored out of date order: the two orders differ
    expect(stored.text.split('\n').sort()).toEqual(single.text.split('\n').sort());
    // Storage order is the order the events were put: e0, e1, e2 …
    expect(stored.text.split('\n').slice(0, 3).map((l) => l.split(',')[0])).toEqual(['SYR0', 'SYR1', 'SYR2']);
    expect(single.rows).toBe(1499);
    expect(parallel.rows).toBe(1499);
    expect(parallel.text).toBe(single.text);
    expect(windowed.rows).toBeGreaterThan(100);
    expect(windowed.text).toBe(singleWindow.text);
    await store.close();
  });

  it('yields nothing when the store changed while the workers opened their snapshots', async () => {
    const file = join(tempDir('fl-par-'), 'p.db');
    const store = openSqliteStore(file);
    await store.putEvents([event('a', '2017-01-01', 36, 35)], { by: 'test' });
    const gen = parallelCsv(file, "SELECT 'x' || char(10) FROM events WHERE day BETWEEN ? AND ?", [], [{ from: 0, to: 1e9 }], 2, () => false);
    const r = await gen.next();
    expect(r).toEqual({ done: true, value: false });
    await store.close();
  });
});
