/**
 * The store contract: every adapter (SQLite now, PostGIS next) must pass this suite unchanged.
 * `makeStore` gives a fresh, empty store for each test.
 */
import { describe, expect, it } from 'vitest';
import type { ConflictEvent, ControlObservation, Place, Zone } from '../../src/core/schemas.js';
import type { Store } from '../../src/store/store.js';

export function place(id: string, lon: number, lat: number, extra: Partial<Place> = {}): Place {
  return { id, name: id, names: [], kind: 'town', lon, lat, country: 'SY', population: null, geonamesId: null, sources: [], ...extra };
}

export function event(id: string, date: string, lon: number, lat: number, extra: Partial<ConflictEvent> = {}): ConflictEvent {
  return {
    id, date, datePrecision: 'day', type: 'Battles', subType: 'Armed clash', actor1: 'A', actor1Id: 'a', assocActor1: '', actor2: 'B', actor2Id: 'b',
    assocActor2: '', country: 'Syria', admin1: '', admin2: '', admin3: '', location: 'somewhere', place: null, lon, lat, geoPrecision: 1,
    fatalities: { best: 1, low: null, high: null }, notes: '', sources: [{ name: 'test' }], tags: '', status: 'reviewed', attributes: {},
    provenance: { kind: 'user', user: 'tester', at: '2026-01-01T00:00:00Z' }, ...extra,
  };
}

export function observation(id: string, placeId: string, actor: string, from: string, extra: Partial<ControlObservation> = {}): ControlObservation {
  return { id, place: placeId, actor, status: 'held', from, source: { name: 'test' }, confidence: 0.8, ...extra };
}

const by = { by: 'tester' };

export function storeContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    it('creates, reads back and lists places by folded name and bbox', async () => {
      const s = await makeStore();
      await s.putPlaces([place('deir-ez-zor', 40.14, 35.33, { name: 'Deir ez-Zor', names: ['Dayr az-Zawr'], population: 242565 }), place('raqqa', 39.0, 35.95)], by);
      expect(await s.getPlace('deir-ez-zor')).toMatchObject({ name: 'Deir ez-Zor', population: 242565 });
      expect((await s.listPlaces({ name: 'Deir Ezzor' })).map((p) => p.id)).toEqual(['deir-ez-zor']);
      expect((await s.listPlaces({ bbox: [38.5, 35.5, 39.5, 36.5] })).map((p) => p.id)).toEqual(['raqqa']);
      expect(await s.getPlace('nowhere')).toBeNull();
      await s.close();
    });

    it('keeps unknown fatalities unknown and a reported zero zero, in every read and in CSV lines', async () => {
      const s = await makeStore();
      const unknown = { best: null, low: null, high: null };
      const zero = { best: 0, low: 0, high: 0 };
      await s.putEvents([event('unknown', '2017-06-18', 38.5, 35.8, { fatalities: unknown }), event('zero', '2017-06-19', 38.5, 35.8, { fatalities: zero }), event('ten', '2017-06-20', 38.5, 35.8, { fatalities: { best: 10, low: 5, high: null } })], by);
      expect((await s.getEvent('unknown'))!.fatalities).toEqual(unknown);
      expect((await s.getEvent('zero'))!.fatalities).toEqual(zero);
      expect((await s.queryEvents({})).events.map((e) => e.fatalities.best)).toEqual([null, 0, 10]);
      const streamed: (number | null)[] = [];
      for await (const e of s.streamEvents({})) streamed.push(e.fatalities.best);
      expect(streamed).toEqual([null, 0, 10]);
      const scanned: unknown[] = [];
      for await (const rows of s.scanEvents({}, 'date', ['id', 'fatalities', 'fatalities_low'])) scanned.push(...rows);
      expect(scanned).toEqual([['unknown', null, null], ['zero', 0, 0], ['ten', 10, 5]]);
      let csv = '';
      for await (const c of s.scanEventCsv({}, [{ column: 'id' }, { column: 'fatalities' }])) csv += Buffer.from(c.bytes).toString('utf8');
      expect(csv.trim().split(/\r?\n/)).toEqual(['unknown,', 'zero,0', 'ten,10']);
      expect(await s.sumFatalities({})).toBe(10);
      await s.close();
    });

    it('counts the same records read again from another file as unchanged, for every kind', async () => {
      const s = await makeStore();
      const from = (file: string) => ({ kind: 'file' as const, file, line: 2, format: 'test' });
      await s.putPlaces([{ ...place('tabqa', 38.55, 35.84), provenance: from('a.csv') }], by);
      await s.putControlObservations([{ ...observation('o1', 'tabqa', 'sdf', '2017-05-10'), provenance: from('a.csv') }], by);
      await s.putEvents([event('e1', '2017-05-10', 38.55, 35.84, { provenance: from('a.csv') })], by);
      expect(await s.putPlaces([{ ...place('tabqa', 38.55, 35.84), provenance: from('b.csv') }], by)).toEqual({ created: 0, updated: 0, unchanged: 1 });
      expect(await s.putControlObservations([{ ...observation('o1', 'tabqa', 'sdf', '2017-05-10'), provenance: from('b.csv') }], by)).toEqual({ created: 0, updated: 0, unchanged: 1 });
      expect(await s.putEvents([event('e1', '2017-05-10', 38.55, 35.84, { provenance: from('b.csv') })], by)).toEqual({ created: 0, updated: 0, unchanged: 1 });
      expect(await s.history('place', 'tabqa')).toHaveLength(1);
      await s.close();
    });

    it('keeps every version of an edited record and says who changed it', async () => {
      const s = await makeStore();
      await s.putEvents([event('e1', '2017-06-18', 38.5, 35.8)], { by: 'alice' });
      const again = await s.putEvents([event('e1', '2017-06-18', 38.5, 35.8)], { by: 'bob' });
      expect(again).toEqual({ created: 0, updated: 0, unchanged: 1 });
      const edit = await s.putEvents([event('e1', '2017-06-18', 38.5, 35.8, { notes: 'corrected' })], { by: 'bob' });
      expect(edit.updated).toBe(1);
      await s.retractEvent('e1', { by: 'carol', reason: 'duplicate of e2' });
      const h = await s.history('event', 'e1');
      expect(h.map((v) => [v.version, v.by, v.op])).toEqual([
        [1, 'alice', 'create'],
        [2, 'bob', 'update'],
        [3, 'carol', 'retract'],
      ]);
      expect(h[2]!.reason).toBe('duplicate of e2');
      expect((h[0]!.record as ConflictEvent).notes).toBe('');
      expect(await s.countEvents({})).toBe(0); // retracted events leave default queries
      expect(await s.countEvents({ includeRetracted: true })).toBe(1);
      expect(await s.countEvents({ bbox: [38, 35, 39, 36] })).toBe(0); // the spatial path knows it too
      expect(await s.countEvents({ bbox: [38, 35, 39, 36], status: 'retracted' })).toBe(1);
      await s.close();
    });

    it('leaves drafts out of every read, count and export unless the query asks for them (then they say so)', async () => {
      const s = await makeStore();
      await s.putEvents([
        event('ok1', '2017-06-05', 38.5, 35.8, { fatalities: { best: 2, low: null, high: null } }),
        event('draft1', '2017-06-06', 38.6, 35.9, { status: 'draft', notes: 'unreviewed', fatalities: { best: 40, low: null, high: null } }),
        event('gone1', '2017-06-07', 38.7, 35.9, { fatalities: { best: 500, low: null, high: null } }),
      ], by);
      await s.retractEvent('gone1', { by: 'tester', reason: 'duplicate' });
      const csvIds = async (q: object): Promise<string[]> => {
        let text = '';
        for await (const c of s.scanEventCsv(q, [{ column: 'id' }, { column: 'status' }, { column: 'notes', markDrafts: '[DRAFT] ' }])) text += Buffer.from(c.bytes).toString('utf8');
        return text.trim().split('\n').filter(Boolean);
      };
      const ids = async (q: object): Promise<string[]> => (await s.queryEvents({ ...q, limit: 100 })).events.map((e) => e.id);
      const check = async (): Promise<void> => {
        for (const box of [{}, { bbox: [38, 35, 39, 36] as [number, number, number, number] }]) {
          // By default: the reviewed event only, whichever way the store is read.
          expect(await ids(box)).toEqual(['ok1']);
          expect(await s.countEvents(box)).toBe(1);
          expect(await s.countEventsBy('type', box)).toEqual({ Battles: 1 });
          expect(await s.countEventsByPeriod('week', box)).toEqual([{ start: '2017-06-05', count: 1 }]);
          expect(await s.summarizeEventsByPeriod('week', box)).toEqual([{ start: '2017-06-05', type: 'Battles', count: 1, fatalities: 2 }]);
          expect((await s.countEventsByCell(1, box)).map((c) => c.count)).toEqual([1]);
          expect(await s.sumFatalities(box)).toBe(2);
          const scanned: unknown[] = [];
          for await (const rows of s.scanEvents(box, 'date', ['id'])) scanned.push(...rows.map((r) => r[0]));
          expect(scanned).toEqual(['ok1']);
          const streamed: string[] = [];
          for await (const e of s.streamEvents(box)) streamed.push(e.id);
          expect(streamed).toEqual(['ok1']);
          expect(await csvIds(box)).toEqual(['ok1,"reviewed",""']);
          // Asked for: drafts come too, each with its status.
          const withDrafts = { ...box, includeDrafts: true };
          expect((await s.queryEvents({ ...withDrafts, limit: 100 })).events.map((e) => [e.id, e.status])).toEqual([['ok1', 'reviewed'], ['draft1', 'draft']]);
          expect(await s.countEvents(withDrafts)).toBe(2);
          expect(await s.sumFatalities(withDrafts)).toBe(42);
          expect(await s.countEventsByPeriod('week', withDrafts)).toEqual([{ start: '2017-06-05', count: 2 }]);
          expect(await csvIds(withDrafts)).toEqual(['ok1,"reviewed",""', 'draft1,"draft","[DRAFT] unreviewed"']); // marked where the format has no status
          // The review queue asks by status; retracted events need their own flag, drafts theirs.
          expect(await ids({ ...box, status: 'draft' })).toEqual(['draft1']);
          expect(await ids({ ...box, includeRetracted: true })).toEqual(['ok1', 'gone1']);
          expect(await ids({ ...box, includeRetracted: true, includeDrafts: true })).toEqual(['ok1', 'draft1', 'gone1']);
        }
      };
      await check();
      // A store with an in-memory index (a server's) answers from it the same way.
      const indexed = s as Store & { eventColumns?: () => unknown };
      if (indexed.eventColumns) {
        indexed.eventColumns();
        await check();
      }
      await s.close();
    });

    it('answers bbox + time window + actor + type queries exactly, with stable cursors', async () => {
      const s = await makeStore();
      const evs: ConflictEvent[] = [];
      for (let i = 0; i < 300; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        const month = String(1 + (i % 7)).padStart(2, '0');
        evs.push(event(`e${String(i).padStart(3, '0')}`, `2017-${month}-${day}`, 36 + (i % 10) * 0.5, 33 + (i % 7) * 0.5, {
          type: i % 3 === 0 ? 'Explosions/Remote violence' : 'Battles',
          subType: i % 3 === 0 ? 'Air/drone strike' : 'Armed clash',
          actor1Id: i % 2 ? 'saa' : 'isis',
        }));
      }
      await s.putEvents(evs, by);
      const q = { since: '2017-03-01', until: '2017-05-31', bbox: [37, 34, 39, 35.5] as [number, number, number, number], actor: 'saa', type: 'Battles' };
      const expected = evs
        .filter((e) => e.date >= q.since && e.date <= q.until && e.lon >= 37 && e.lon <= 39 && e.lat >= 34 && e.lat <= 35.5 && (e.actor1Id === 'saa' || e.actor2Id === 'saa') && e.type === 'Battles')
        .map((e) => e.id)
        .sort();
      expect(expected.length).toBeGreaterThan(3);
      expect(await s.countEvents(q)).toBe(expected.length);
      const got: string[] = [];
      let after: string | undefined;
      do {
        const page = await s.queryEvents({ ...q, limit: 2, ...(after ? { after } : {}) });
        got.push(...page.events.map((e) => e.id));
        after = page.next ?? undefined;
      } while (after);
      expect(got.sort()).toEqual(expected);
      expect(await s.sumFatalities(q)).toBe(expected.length); // every generated event reports 1 death
      // Weekly and grid counts, recomputed here from the generated events.
      const weekOf = (d: string): string => {
        const t = Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
        const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday 0
        return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
      };
      const weeks = new Map<string, number>();
      for (const e of evs) weeks.set(weekOf(e.date), (weeks.get(weekOf(e.date)) ?? 0) + 1);
      expect(await s.countEventsByPeriod('week', {})).toEqual([...weeks].sort().map(([start, count]) => ({ start, count })));
      const months = await s.countEventsByPeriod('month', {});
      expect(months.map((m) => m.start)).toEqual(['2017-01-01', '2017-02-01', '2017-03-01', '2017-04-01', '2017-05-01', '2017-06-01', '2017-07-01']);
      expect(months.map((m) => m.count)).toEqual([43, 43, 43, 43, 43, 43, 42]);
      const cells = new Map<string, number>();
      for (const e of evs) {
        const k = `${Math.floor(e.lon)},${Math.floor(e.lat)}`;
        cells.set(k, (cells.get(k) ?? 0) + 1);
      }
      const grid = await s.countEventsByCell(1, {});
      expect(grid.reduce((a, c) => a + c.count, 0)).toBe(300);
      for (const c of grid) expect(c.count, `${c.col},${c.row}`).toBe(cells.get(`${c.col},${c.row}`));
      expect(grid).toHaveLength(cells.size);
      expect(await s.countEventsByCell(0.5, { bbox: [-1, -1, -0.1, -0.1] })).toEqual([]);
      // Per week and type with the killed (each generated event reports 1), recomputed here.
      const summary = new Map<string, number>();
      for (const e of evs) summary.set(`${weekOf(e.date)}|${e.type}`, (summary.get(`${weekOf(e.date)}|${e.type}`) ?? 0) + 1);
      expect(await s.summarizeEventsByPeriod('week', {})).toEqual(
        [...summary].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => ({ start: k.split('|')[0], type: k.split('|')[1], count: n, fatalities: n })),
      );
      expect((await s.summarizeEventsByPeriod('month', q)).reduce((a, x) => a + x.count, 0)).toBe(expected.length);
      const byType = await s.countEventsBy('type', {});
      expect(byType).toEqual({ Battles: 200, 'Explosions/Remote violence': 100 });
      await expect(s.queryEvents({ after: 'not-a-cursor' })).rejects.toThrow(/cursor/);
      await s.close();
    });

    it('treats text filters as data, never as SQL', async () => {
      const s = await makeStore();
      await s.putEvents([event('e1', '2017-01-01', 36, 33, { notes: "100% sure it's O'Brien_x" }), event('e2', '2017-01-02', 36, 33, { notes: 'nothing' })], by);
      expect((await s.queryEvents({ text: "' OR 1=1 --" })).events).toHaveLength(0);
      expect((await s.queryEvents({ text: '100%' })).events.map((e) => e.id)).toEqual(['e1']);
      expect((await s.queryEvents({ text: '_x' })).events.map((e) => e.id)).toEqual(['e1']);
      expect(await s.countEvents({})).toBe(2);
      await s.close();
    });

    it('refuses control observations for unknown places and keeps retractions in history', async () => {
      const s = await makeStore();
      await s.putPlaces([place('palmyra', 38.28, 34.56)], by);
      await expect(s.putControlObservations([observation('o0', 'atlantis', 'saa', '2017-01-01')], by)).rejects.toThrow(/atlantis/);
      await s.putControlObservations([observation('o1', 'palmyra', 'isis', '2017-01-01'), observation('o2', 'palmyra', 'saa', '2017-03-02')], by);
      expect((await s.listControlObservations({ until: '2017-02-01' })).map((o) => o.id)).toEqual(['o1']);
      await s.retractControlObservation('o2', { by: 'analyst', reason: 'wrong date' });
      expect((await s.listControlObservations()).map((o) => o.id)).toEqual(['o1']);
      expect((await s.listControlObservations({ includeRetracted: true })).map((o) => o.id)).toEqual(['o1', 'o2']);
      const h = await s.history('control', 'o2');
      expect(h.at(-1)).toMatchObject({ op: 'retract', by: 'analyst', reason: 'wrong date' });
      await expect(s.retractControlObservation('o2', { by: 'x', reason: 'again' })).rejects.toThrow(/already/);
      await s.close();
    });

    it('commits an import whole, or rolls it back leaving nothing behind', async () => {
      const s = await makeStore();
      await s.putEvents([event('before', '2017-01-01', 36, 33)], by);
      const bad = await s.beginImport({ file: 'x.csv', format: 'acled', by: 'tester', strict: true });
      await bad.write({ events: [event('i1', '2017-01-02', 36, 33)] }, by);
      await bad.rollback();
      expect(await s.getEvent('i1')).toBeNull();
      const good = await s.beginImport({ file: 'y.csv', format: 'acled', by: 'tester', strict: false });
      await good.write({ events: [event('i2', '2017-01-02', 36, 33)], rejects: [{ line: 3, field: 'event_date', reason: 'not a date', raw: 'x' }] }, by);
      const dup = await good.write({ events: [event('i3', '2017-01-03', 36, 33, { provenance: { kind: 'file', file: 'y.csv', line: 7, format: 'acled' } }), event('i3', '2017-01-04', 36, 33), event('before', '2017-01-01', 36, 33)] }, by);
      // i3 twice in one import: the second is a duplicate (first on line 7); 'before' was stored earlier, so it is not.
      expect(dup).toMatchObject({ created: 1, unchanged: 1, duplicateEvents: [{ index: 1, firstLine: 7 }] });
      await good.commit({ rows: 2, created: 2, unchanged: 1, rejected: 1 }); // i2 and i3 created, 'before' unchanged
      expect(await s.getEvent('i2')).not.toBeNull();
      expect(await s.listRejects(good.id)).toEqual([{ line: 3, field: 'event_date', reason: 'not a date', raw: 'x' }]);
      const imports = await s.listImports();
      expect(imports.find((i) => i.id === good.id)).toMatchObject({ status: 'committed', counts: { rows: 2, created: 2, unchanged: 1, rejected: 1 } });
      await expect(good.write({}, by)).rejects.toThrow(/finished/);
      await s.close();
    });

    it('stores actors, blocs, relations, zones, objectives, scenarios and meta', async () => {
      const s = await makeStore();
      await s.putActors([{ id: 'saa', name: 'Syrian Arab Army', aliases: ['SAA'], kind: 'state-military', sources: [] }], by);
      await s.putBlocs([{ id: 'government', name: 'Government', members: [{ actor: 'saa' }] }], by);
      await s.setRelations([{ a: 'government', b: 'isis', kind: 'hostile' }], by);
      await s.setRelations([{ a: 'government', b: 'isis', kind: 'hostile' }, { a: 'government', b: 'sdf', kind: 'deconflicted' }], by);
      expect(await s.listRelations()).toHaveLength(2);
      expect(await s.history('bloc', '@relations')).toHaveLength(2);
      await s.putZones([{ id: 'z', name: 'Z', kind: 'ceasefire', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, parties: [], closedTo: [], sources: [] }], by);
      await s.putObjectives([{ id: 'o', name: 'O', place: 'p', sources: [] }], by);
      await s.putScenarios([{ id: 'sc', name: 'S', description: '', baseDate: '2017-07-31', overrides: [] }], by);
      expect((await s.listActors())[0]!.aliases).toEqual(['SAA']);
      expect((await s.listBlocs())[0]!.members).toEqual([{ actor: 'saa' }]);
      expect((await s.listZones())[0]!.id).toBe('z');
      expect((await s.listObjectives())[0]!.id).toBe('o');
      expect((await s.listScenarios())[0]!.baseDate).toBe('2017-07-31');
      expect(await s.getMeta('k')).toBeNull();
      await s.setMeta('k', 'v');
      expect(await s.getMeta('k')).toBe('v');
      await s.close();
    });

    it('refuses a stale edit with a conflict and changes nothing (optimistic versions)', async () => {
      const s = await makeStore();
      await s.putPlaces([place('p1', 1, 1)], by);
      await s.putEvents([event('e1', '2017-01-01', 1, 1)], { by: 'alice', expectVersion: 0 });
      await expect(s.putEvents([event('e1', '2017-01-01', 1, 1, { notes: 'x' })], { by: 'bob', expectVersion: 0 })).rejects.toThrow(/version 1, not 0/);
      expect(await s.putEvents([event('e1', '2017-01-01', 1, 1, { notes: 'bob' })], { by: 'bob', expectVersion: 1 })).toMatchObject({ updated: 1 });
      await expect(s.putEvents([event('e1', '2017-01-01', 1, 1, { notes: 'carol' })], { by: 'carol', expectVersion: 1 })).rejects.toThrow(/version 2, not 1/);
      expect((await s.getEvent('e1'))!.notes).toBe('bob');
      const zone: Zone = { id: 'z', name: 'Z', kind: 'ceasefire', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, parties: [], closedTo: [], sources: [] };
      await s.putZones([zone], { by: 'alice', expectVersion: 0 });
      await expect(s.putZones([{ ...zone, name: 'Z2' }], { by: 'bob', expectVersion: 0 })).rejects.toThrow(/version 1, not 0/);
      expect((await s.listZones())[0]!.name).toBe('Z');
      await s.putControlObservations([observation('o1', 'p1', 'saa', '2017-01-01')], { by: 'alice', expectVersion: 0 });
      await expect(s.putControlObservations([observation('o1', 'p1', 'isis', '2017-01-01')], { by: 'bob', expectVersion: 3 })).rejects.toThrow(/version 1, not 3/);
      expect((await s.listControlObservations())[0]!.actor).toBe('saa');
      await expect(s.putPlaces([place('p1', 2, 2)], { by: 'bob', expectVersion: 0 })).rejects.toThrow(/version 1, not 0/);
      expect((await s.getPlace('p1'))!.lon).toBe(1);
      await expect(s.putEvents([event('e2', '2017-01-01', 1, 1), event('e3', '2017-01-01', 1, 1)], { by: 'x', expectVersion: 0 })).rejects.toThrow(/exactly one/);
      expect(await s.getEvent('e2')).toBeNull();
      await s.close();
    });

    it('keeps sessions and API tokens by the hash of their secret, and ends them', async () => {
      const s = await makeStore();
      await s.createSession({ tokenHash: 'h1', user: 'ann', csrf: 'c1', expiresAt: '2030-01-01T00:00:00Z' });
      await s.createSession({ tokenHash: 'h2', user: 'ann', csrf: 'c2', expiresAt: '2030-01-01T00:00:00Z' });
      await s.createSession({ tokenHash: 'h3', user: 'bo', csrf: 'c3', expiresAt: '2030-01-01T00:00:00Z' });
      expect(await s.getSession('h1')).toEqual({ user: 'ann', csrf: 'c1', expiresAt: '2030-01-01T00:00:00Z' });
      expect(await s.getSession('nope')).toBeNull();
      expect(await s.deleteSessions({ tokenHash: 'h1' })).toBe(1);
      expect(await s.getSession('h1')).toBeNull();
      expect(await s.deleteSessions({ user: 'ann' })).toBe(1);
      expect(await s.getSession('h3')).not.toBeNull();
      await s.createToken({ tokenHash: 't1', user: 'ann', name: 'script' });
      await s.createToken({ tokenHash: 't2', user: 'ann', name: 'other' });
      expect(await s.getToken('t1')).toEqual({ user: 'ann', name: 'script', revokedAt: null });
      expect(await s.revokeTokens({ tokenHash: 't1' })).toBe(1);
      expect(await s.revokeTokens({ tokenHash: 't1' })).toBe(0);
      expect((await s.getToken('t1'))!.revokedAt).toMatch(/^\d{4}-/);
      expect(await s.revokeTokens({ user: 'ann' })).toBe(1);
      await s.putUsers([{ id: 'ann', name: 'Ann', role: 'analyst', passwordHash: 'scrypt$x', disabled: false }], by);
      expect(await s.getUser('ann')).toMatchObject({ role: 'analyst' });
      expect((await s.listUsers()).map((u) => u.id)).toEqual(['ann']);
      await s.close();
    });

    it('lists every write in the audit trail, newest first, by kind and by writer', async () => {
      const s = await makeStore();
      await s.putPlaces([place('p1', 1, 1)], { by: 'alice', at: '2026-01-01T00:00:00Z' });
      await s.putEvents([event('e1', '2017-01-01', 1, 1)], { by: 'alice', at: '2026-01-02T00:00:00Z' });
      await s.putEvents([event('e1', '2017-01-01', 1, 1, { notes: 'edited' })], { by: 'bob', at: '2026-01-03T00:00:00Z' });
      await s.retractEvent('e1', { by: 'carol', reason: 'duplicate', at: '2026-01-04T00:00:00Z' });
      const all = await s.listAudit();
      expect(all.map((a) => [a.at.slice(0, 10), a.by, a.kind, a.id, a.version])).toEqual([
        ['2026-01-04', 'carol', 'event', 'e1', 3],
        ['2026-01-03', 'bob', 'event', 'e1', 2],
        ['2026-01-02', 'alice', 'event', 'e1', 1],
        ['2026-01-01', 'alice', 'place', 'p1', 1],
      ]);
      expect((await s.listAudit({ by: 'alice' })).map((a) => a.kind)).toEqual(['event', 'place']);
      expect((await s.listAudit({ kind: 'place' })).map((a) => a.id)).toEqual(['p1']);
      expect((await s.listAudit({ before: '2026-01-03T00:00:00Z', limit: 1 })).map((a) => a.version)).toEqual([1]);
      await s.close();
    });

    it('writes events as CSV lines itself, quoting text and leaving numbers bare (hand-checked)', async () => {
      const s = await makeStore();
      await s.putEvents([
        event('e1', '2017-06-18', 38.5, 35.25, { notes: 'a "quoted" word, دير الزور', origin: { format: 'acled', id: 'SYR1' }, sources: [{ name: 'A', scale: 'National' }, { name: 'B' }], attributes: { inter1: '1' }, fatalities: { best: 4, low: null, high: null } }),
        event('e2', '2017-06-05', 38, 35, { datePrecision: 'month', actor2: '', fatalities: { best: null, low: null, high: null } }),
      ], by);
      const fields = [{ idIn: 'acled' }, { date: 'acled' }, { date: 'year' }, { precision: 'acled' }, { column: 'actor2' }, { attribute: 'inter1' }, { column: 'lat' }, { column: 'lon' }, { sourceNames: '; ' }, { sourceScale: true }, { column: 'notes' }, { column: 'fatalities' }] as const;
      let text = '';
      let rows = 0;
      for await (const c of s.scanEventCsv({}, fields)) {
        text += Buffer.from(c.bytes).toString('utf8');
        rows += c.rows;
      }
      expect(rows).toBe(2);
      expect(text).toBe('e2,5 June 2017,2017,3,"","",35,38,"test","","",\n' + 'SYR1,18 June 2017,2017,1,"B","1",35.25,38.5,"A; B","National","a ""quoted"" word, دير الزور",4\n');
      await s.close();
    });

    it('stores stabilization areas, indicators, projects and councils, lists them by area, and keeps their history', async () => {
      const s = await makeStore();
      await s.putStabilizationAreas([{ id: 'east', name: 'East', definition: { kind: 'places', places: ['p1'] }, codes: ['X1'], notes: '', sources: [] }], by);
      const fig = (id: string, area: string, value: number) => ({ id, area, indicator: 'returnees' as const, date: '2020-01-01', value, source: { name: 'test' }, notes: '' });
      await s.putIndicators([fig('i1', 'east', 10), fig('i2', 'west', 20)], by);
      await s.putProjects([{ id: 'pr1', area: 'east', title: 'Water', sector: 'water', implementer: '', funder: '', budgetUsd: null, status: 'planned', progress: null, source: { name: 'test' } }], by);
      await s.putCouncils([{ id: 'c1', area: 'east', name: 'Council', formed: '2020-01-01', composition: '', recognition: '', source: { name: 'test' } }], by);
      expect((await s.listStabilizationAreas()).map((a) => a.codes)).toEqual([['X1']]);
      expect((await s.listIndicators('east')).map((i) => i.id)).toEqual(['i1']);
      expect((await s.listIndicators()).map((i) => i.id)).toEqual(['i1', 'i2']);
      expect((await s.listProjects('east')).map((p) => p.id)).toEqual(['pr1']);
      expect(await s.listProjects('west')).toEqual([]);
      expect((await s.listCouncils('east')).map((c) => c.name)).toEqual(['Council']);
      // A corrected figure is a new version; the old one stays in the history with who wrote it.
      expect(await s.putIndicators([fig('i1', 'east', 12)], { by: 'analyst-2' })).toMatchObject({ updated: 1 });
      const h = await s.history('indicator', 'i1');
      expect(h.map((x) => [x.version, x.by, (x.record as { value: number }).value])).toEqual([[1, 'tester', 10], [2, 'analyst-2', 12]]);
      await s.close();
    });
  });
}
