/**
 * A kill -9 in the middle of an import leaves the store exactly as it was before it: the import runs in
 * one transaction, and SQLite's WAL discards an uncommitted one on the next open.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACLED_COLUMNS } from '../../src/io/acled.js';
import { csvLine } from '../../src/io/csv.js';
import { importFile } from '../../src/io/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ROOT, tempDir } from '../helpers.js';

function bigAcledFile(path: string, rows: number, prefix: string): void {
  let text = csvLine(ACLED_COLUMNS);
  for (let i = 0; i < rows; i++) {
    const row: Record<string, string> = {
      event_id_cnty: `${prefix}${i}`, event_date: '18 June 2017', year: '2017', time_precision: '1', event_type: 'Battles', sub_event_type: 'Armed clash',
      actor1: 'Islamic State', actor2: 'SDF', country: 'Syria', admin1: 'Raqqa', admin2: '', location: 'Raqqa', latitude: String(35 + (i % 100) / 100),
      longitude: String(39 + (i % 77) / 100), geo_precision: '1', source: 'test', notes: `row ${i}`, fatalities: String(i % 5),
    };
    text += csvLine(ACLED_COLUMNS.map((c) => row[c] ?? ''));
  }
  writeFileSync(path, text);
}

describe('SIGKILL mid-import', () => {
  it('leaves the store exactly as it was', async () => {
    const dir = tempDir('fl-kill-');
    const db = join(dir, 'store.db');
    const small = join(dir, 'small.csv');
    const big = join(dir, 'big.csv');
    bigAcledFile(small, 100, 'OK');
    bigAcledFile(big, 300_000, 'BIG');
    const s = openSqliteStore(db);
    await importFile(s, 'acled', small);
    await s.close();

    const child = spawn(process.execPath, [join(ROOT, 'bin', 'frontline.js'), '--db', db, 'import', 'acled', big, '--no-progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Wait until the import has written at least 4 MB of its open transaction to the WAL, then kill it.
    const walBytes = (): number => (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0);
    const start = walBytes();
    for (let i = 0; i < 600 && walBytes() - start < 4_000_000 && child.exitCode === null; i++) await new Promise<void>((resolve) => setTimeout(resolve, 25));
    expect(walBytes() - start).toBeGreaterThanOrEqual(4_000_000); // rows of the open transaction are on disk
    expect(child.exitCode).toBeNull(); // still running: the kill really lands mid-import
    child.kill('SIGKILL');
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));

    const after = openSqliteStore(db);
    expect(await after.countEvents({ includeRetracted: true })).toBe(100);
    expect((await after.listImports()).map((i) => i.status)).toEqual(['committed']);
    expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The import ran in bulk mode (it dropped the indexes inside its transaction): they are all back.
    const names = (after.db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('index', 'trigger')").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['events_day', 'events_type_day', 'events_actor1_day', 'events_actor2_day', 'events_place', 'events_rtree_insert']));
    expect((after.db.prepare('SELECT COUNT(*) AS n FROM events_rtree').get() as { n: number }).n).toBe(100);
    await after.close();
  });
});
