import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { tempDir } from '../helpers.js';
import { event, storeContract } from './contract.js';

storeContract('SQLite in memory', async () => openSqliteStore(':memory:'));
storeContract('SQLite file', async () => openSqliteStore(join(tempDir(), 'store.db')));

describe('SQLite adapter', () => {
  it('runs WAL with foreign keys and an R*Tree over (lon, lat, day)', () => {
    const s = openSqliteStore(join(tempDir(), 'x.db'));
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const sql = (s.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_rtree'").get() as { sql: string }).sql;
    expect(sql).toMatch(/rtree\(rowid, min_lon, max_lon, min_lat, max_lat, min_day, max_day, \+lon REAL, \+lat REAL, \+type TEXT, \+actor1_id TEXT, \+actor2_id TEXT, \+status TEXT\)/);
    // The bbox query plan goes through the R*Tree, not a scan of events.
    const plan = s.db.prepare('EXPLAIN QUERY PLAN SELECT e.id FROM events_rtree r JOIN events e ON e.rowid = r.rowid WHERE r.max_lon >= 1 AND r.min_lon <= 2 AND r.max_lat >= 1 AND r.min_lat <= 2').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/VIRTUAL TABLE INDEX/);
  });

  it('applies each migration once and refuses a database from a newer Frontline', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'now')").run();
    expect(() => migrate(db)).toThrow(/newer Frontline/);
  });
});

describe('SQLite bulk import', () => {
  const indexes = (s: ReturnType<typeof openSqliteStore>): string[] =>
    (s.db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('index', 'trigger') ORDER BY name").all() as { name: string }[]).map((r) => r.name);

  it('drops and rebuilds the indexes and the R*Tree inside the import, and restores them on rollback', async () => {
    const s = openSqliteStore(':memory:');
    const before = indexes(s);
    expect(before).toContain('events_rtree_insert');
    const evs = Array.from({ length: 500 }, (_, i) => event(`b${i}`, `2017-0${1 + (i % 6)}-1${i % 10}`, 36 + (i % 50) / 10, 33 + (i % 40) / 10));
    const rolled = await s.beginImport({ file: 'x', format: 'acled', by: 't', strict: true, expectedEvents: 1_000_000 });
    await rolled.write({ events: evs }, { by: 't' });
    expect(indexes(s)).toEqual(before); // staged outside the store: its indexes are dropped only inside commit's transaction
    await rolled.rollback();
    expect(indexes(s)).toEqual(before);
    expect(await s.countEvents({ includeRetracted: true })).toBe(0);

    const bulk = await s.beginImport({ file: 'x', format: 'acled', by: 't', strict: true, expectedEvents: 1_000_000 });
    await bulk.write({ events: evs }, { by: 't' });
    await bulk.commit({});
    expect(indexes(s)).toEqual(before);
    expect((s.db.prepare('SELECT COUNT(*) AS n FROM events_rtree').get() as { n: number }).n).toBe(500);
    const box = { bbox: [36, 33, 37, 34] as [number, number, number, number], since: '2017-02-01', until: '2017-04-30' };
    const want = evs.filter((e) => e.lon <= 37 && e.lat <= 34 && e.date >= box.since && e.date <= box.until).length;
    expect(want).toBeGreaterThan(0);
    expect(await s.countEvents(box)).toBe(want);
    // After a bulk import the trigger feeds the R*Tree again.
    await s.putEvents([event('late', '2017-03-01', 36.5, 33.5)], { by: 't' });
    expect(await s.countEvents(box)).toBe(want + 1);
  });
});
