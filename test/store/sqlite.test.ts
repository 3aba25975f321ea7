import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { tempDir } from '../helpers.js';
import { storeContract } from './contract.js';

storeContract('SQLite in memory', async () => openSqliteStore(':memory:'));
storeContract('SQLite file', async () => openSqliteStore(join(tempDir(), 'store.db')));

describe('SQLite adapter', () => {
  it('runs WAL with foreign keys and an R*Tree over (lon, lat, day)', () => {
    const s = openSqliteStore(join(tempDir(), 'x.db'));
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const sql = (s.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'events_rtree'").get() as { sql: string }).sql;
    expect(sql).toMatch(/rtree\(rowid, min_lon, max_lon, min_lat, max_lat, min_day, max_day\)/);
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
