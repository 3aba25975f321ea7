import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEventColumns, buildEventColumnsByDay, countByCell, countByPeriod, forEachMatch, type EventColumnsFilter, type EventColumnsInput } from '../../src/core/event-columns.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { event } from '../store/contract.js';
import { tempDir } from '../helpers.js';

const TYPES = ['Battles', 'Protests'];
const ACTORS = ['saa', 'isis', 'sdf', null];
const STATUSES = ['reviewed', 'draft', 'retracted'];

const inputArb = fc.array(
  fc.tuple(fc.integer({ min: 17000, max: 17100 }), fc.double({ min: 35, max: 42, noNaN: true }), fc.double({ min: 32, max: 37, noNaN: true }), fc.constantFrom(...TYPES), fc.constantFrom('a', 'b'), fc.constantFrom(...ACTORS), fc.constantFrom(...ACTORS), fc.constantFrom(...STATUSES), fc.nat()),
  { maxLength: 300 },
);
const filterArb = fc.record(
  {
    minDay: fc.integer({ min: 16990, max: 17110 }),
    maxDay: fc.integer({ min: 16990, max: 17110 }),
    bbox: fc.tuple(fc.double({ min: 34, max: 43, noNaN: true }), fc.double({ min: 31, max: 38, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true })).map(([w, s, dw, dh]) => [w, s, w + dw, s + dh] as [number, number, number, number]),
    type: fc.constantFrom(...TYPES, 'Riots'),
    subType: fc.constantFrom('a', 'b'),
    actors: fc.subarray(['saa', 'isis', 'sdf', 'hts']),
    statuses: fc.subarray(STATUSES),
  },
  { requiredKeys: [] },
);

/** The same filter, written the obvious way over plain objects: the oracle. */
function naive(rows: EventColumnsInput[], f: EventColumnsFilter): EventColumnsInput[] {
  return rows.filter(([day, lon, lat, type, sub, a1, a2, status]) => {
    if (f.minDay !== undefined && day < f.minDay) return false;
    if (f.maxDay !== undefined && day > f.maxDay) return false;
    if (f.bbox && (lon < f.bbox[0] || lon > f.bbox[2] || lat < f.bbox[1] || lat > f.bbox[3])) return false;
    if (f.type !== undefined && type !== f.type) return false;
    if (f.subType !== undefined && sub !== f.subType) return false;
    if (f.actors && !f.actors.includes(a1 ?? '\0') && !f.actors.includes(a2 ?? '\0')) return false;
    if (f.statuses ? !f.statuses.includes(status) : status === 'retracted' || status === 'draft') return false;
    return true;
  });
}

describe('event columns', () => {
  it('select exactly what a plain filter selects, and count per week and per cell alike', () => {
    fc.assert(
      fc.property(inputArb, filterArb, (raw, f) => {
        const rows = [...raw].sort((a, b) => a[0] - b[0]);
        const cols = buildEventColumns(rows);
        const got: number[] = [];
        forEachMatch(cols, f, (i) => void got.push(i));
        const want = naive(rows, f);
        expect(got.length).toBe(want.length);
        // In day order, whichever path (plain scan or the 1° grid) answered.
        const wantIdx = rows.map((_, i) => i).filter((i) => naive([rows[i]!], f).length === 1);
        expect(got).toEqual(wantIdx);
        const unordered: number[] = [];
        forEachMatch(cols, f, (i) => void unordered.push(i), false);
        expect(unordered.sort((a, b) => a - b)).toEqual(wantIdx);
        const weeks = countByPeriod(cols, f, (d) => d - ((d + 3) % 7));
        const w = new Map<number, number>();
        for (const r of want) w.set(r[0] - ((r[0] + 3) % 7), (w.get(r[0] - ((r[0] + 3) % 7)) ?? 0) + 1);
        expect(new Map([...weeks].sort())).toEqual(new Map([...w].sort()));
        const cells = countByCell(cols, f, 0.5);
        const c = new Map<string, number>();
        for (const r of want) {
          const k = `${Math.floor(r[1] * 2)},${Math.floor(r[2] * 2)}`;
          c.set(k, (c.get(k) ?? 0) + 1);
        }
        expect(new Map([...cells].map(([k, v]) => [k, v.count]))).toEqual(c);
        // A grid too fine for a dense array (0.001° over 7° × 5°) goes through the map: same answer.
        const fine = countByCell(cols, f, 0.001);
        const cf = new Map<string, number>();
        for (const r of want) {
          const k = `${Math.floor(r[1] * 1000)},${Math.floor(r[2] * 1000)}`;
          cf.set(k, (cf.get(k) ?? 0) + 1);
        }
        expect(new Map([...fine].map(([k, v]) => [k, v.count]))).toEqual(cf);
      }),
      { numRuns: 300 },
    );
  });

  it('building from rows in key order with day counts gives the same columns as from sorted rows', () => {
    fc.assert(
      fc.property(inputArb, (raw) => {
        const keyed = raw.map((r, i) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], i] as EventColumnsInput);
        const counts = new Map<number, number>();
        for (const r of keyed) counts.set(r[0], (counts.get(r[0]) ?? 0) + 1);
        const byDay = buildEventColumnsByDay(counts, keyed);
        const sorted = buildEventColumns([...keyed].sort((a, b) => a[0] - b[0] || a[8] - b[8]));
        expect(Array.from(byDay.key)).toEqual(Array.from(sorted.key));
        expect(Array.from(byDay.day)).toEqual(Array.from(sorted.day));
      }),
    );
    expect(() => buildEventColumnsByDay([[1, 1]], [[2, 0, 0, 'B', 'a', null, null, 'reviewed', 1]])).toThrow(/does not fit/);
    expect(() => buildEventColumnsByDay([[1, 2]], [[1, 0, 0, 'B', 'a', null, null, 'reviewed', 1]])).toThrow(/1 events where the day counts say 2/);
  });

  it('refuses rows out of day order', () => {
    expect(() => buildEventColumns([[2, 0, 0, 'B', 'a', null, null, 'reviewed', 1], [1, 0, 0, 'B', 'a', null, null, 'reviewed', 2]])).toThrow(/sorted by day/);
  });

  it('the store keeps its index fresh after writes here and commits from another connection', async () => {
    const file = join(tempDir(), 's.db');
    const a = openSqliteStore(file);
    await a.putEvents([event('e1', '2017-06-18', 38, 35)], { by: 't' });
    expect((await a.countEventsByPeriod('day', {}))).toEqual([{ start: '2017-06-18', count: 1 }]);
    await a.putEvents([event('e2', '2017-06-18', 38, 35)], { by: 't' });
    expect((await a.countEventsByPeriod('day', {}))[0]!.count).toBe(2);
    const b = openSqliteStore(file);
    await b.putEvents([event('e3', '2017-06-19', 38, 35)], { by: 't' });
    await b.retractEvent('e1', { by: 't', reason: 'test' });
    expect(await a.countEventsByPeriod('day', {})).toEqual([
      { start: '2017-06-18', count: 1 },
      { start: '2017-06-19', count: 1 },
    ]);
    // The column index and the SQL path (taken for text filters) agree.
    expect(await a.countEventsByPeriod('day', { text: 'somewhere' })).toEqual(await a.countEventsByPeriod('day', {}));
    expect(await a.countEventsByCell(0.1, { text: 'somewhere' })).toEqual(await a.countEventsByCell(0.1, {}));
    // A rolled-back import does not leave its rows in the index.
    const session = await a.beginImport({ file: 'x', format: 'acled', by: 't', strict: true });
    await session.write({ events: [event('e4', '2017-06-20', 38, 35)] }, { by: 't' });
    expect((await a.countEventsByPeriod('day', {})).length).toBe(2); // staged, not yet in the store (decision 0023)
    await session.rollback();
    expect((await a.countEventsByPeriod('day', {})).length).toBe(2);
  });
});

describe('queries answered from the warm column index', () => {
  it('give the same pages and cursors as SQL', async () => {
    const s = openSqliteStore(':memory:');
    const rand = fc.sample(fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 36, max: 40, noNaN: true }), fc.double({ min: 33, max: 36, noNaN: true }), fc.constantFrom('saa', 'isis', 'sdf')), { numRuns: 400, seed: 7 });
    await s.putEvents(
      rand.map(([d, m, lon, lat, actor], i) =>
        event(`q${String(i).padStart(3, '0')}`, `2017-0${m}-${String(d).padStart(2, '0')}`, lon, lat, { actor1Id: actor, type: i % 3 ? 'Battles' : 'Protests', subType: i % 3 ? 'Armed clash' : 'Peaceful protest' }),
      ),
      { by: 't' },
    );
    await s.retractEvent('q005', { by: 't', reason: 'test' });
    const queries = [
      { limit: 1000 },
      { bbox: [37, 33.5, 39, 35.5] as [number, number, number, number], limit: 7 },
      { since: '2017-02-10', until: '2017-04-20', actor: 'saa', type: 'Battles', limit: 5 },
      { actors: ['isis', 'sdf'], limit: 50, includeRetracted: true },
      { subType: 'Peaceful protest', status: 'reviewed' as const, limit: 3 },
    ];
    const cold = [];
    for (const q of queries) cold.push(await s.queryEvents(q));
    s.eventColumns();
    for (let i = 0; i < queries.length; i++) {
      const warm = await s.queryEvents(queries[i]!);
      expect(warm.events.map((e) => e.id), JSON.stringify(queries[i])).toEqual(cold[i]!.events.map((e) => e.id));
      expect(warm.events).toEqual(cold[i]!.events);
      expect(warm.next).toBe(cold[i]!.next);
      if (warm.next) {
        // The next page goes through SQL with the cursor the index gave.
        const second = await s.queryEvents({ ...queries[i]!, after: warm.next });
        expect(second.events[0]!.id > warm.events.at(-1)!.id || second.events[0]!.date > warm.events.at(-1)!.date).toBe(true);
      }
    }
    // A write makes the index stale: the answer must include the new event at once.
    await s.putEvents([event('q999', '2017-01-01', 38, 34, { actor1Id: 'saa' })], { by: 't' });
    expect((await s.queryEvents({ limit: 1 })).events[0]!.id).toBe((await s.queryEvents({ limit: 1000 })).events[0]!.id);
    expect((await s.queryEvents({ actor: 'saa', limit: 1000 })).events.some((e) => e.id === 'q999')).toBe(true);
  });
});
