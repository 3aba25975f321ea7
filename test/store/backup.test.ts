/**
 * Backups and copies between stores: the demo goes SQLite → backup → SQLite, SQLite → PostGIS (db copy)
 * → backup → SQLite, and every store ends with the same rows (digests compared row by row) and answers
 * the same queries. A backup cut short, altered, or restored over records is refused and writes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupStore, copyStore, restoreStore, rowDigest } from '../../src/store/backup.js';
import { openPgStore } from '../../src/store/postgis/pg-store.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { demoStore, runCli, tempDir } from '../helpers.js';
import { event } from './contract.js';
import { PG_MISSING, startTestPg, type TestPg } from './pg-helpers.js';

/** What people ask a store, answered by both: the same answers mean the copy is usable, not only equal. */
async function answers(s: Store): Promise<unknown> {
  return {
    events: await s.countEvents({}),
    retracted: await s.countEvents({ status: 'retracted' }),
    weekly: await s.countEventsByPeriod('week', { since: '2017-01-01', until: '2017-12-31' }),
    raqqa: (await s.listPlaces({ name: 'Raqqa' })).map((p) => p.id),
    box: (await s.listPlaces({ bbox: [39, 34.5, 41, 36] })).length,
    page: (await s.queryEvents({ limit: 5, bbox: [38, 34, 42, 37] })).events.map((e) => e.id),
    history: (await s.history('event', 'edited')).map((h) => [h.version, h.by]),
    audit: (await s.listAudit({ limit: 5 })).map((a) => `${a.kind}:${a.id}:${a.version}`),
    users: (await s.listUsers()).map((u) => u.id),
    imports: (await s.listImports()).length,
  };
}

describe('backups and copies', () => {
  let demo: SqliteStore;
  let pgs: TestPg | null = null;
  beforeAll(async () => {
    demo = await demoStore('fl-backup-');
    // Something in every table the demo leaves empty: a version history, a retraction, a user and a token.
    await demo.putEvents([event('edited', '2017-06-01', 39, 35.9)], { by: 'alice' });
    await demo.putEvents([event('edited', '2017-06-01', 39, 35.9, { notes: 'second look' })], { by: 'bob' });
    await demo.retractEvent('edited', { by: 'carol', reason: 'duplicate' });
    await demo.putUsers([{ id: 'ann', name: 'Ann', role: 'admin', passwordHash: 'scrypt$1$2$3$4$5', disabled: false }], { by: 'cli' });
    await demo.createToken({ tokenHash: 'abc', user: 'ann', name: 'script' });
    if (!PG_MISSING) pgs = await startTestPg();
  }, 120_000);
  afterAll(async () => {
    await demo?.close();
    await pgs?.stop();
  });

  it('restores a SQLite backup into a new SQLite store with every row, in order', async () => {
    const file = join(tempDir(), 'b.jsonl.gz');
    const counts = await backupStore(demo, file);
    expect(counts.events).toBeGreaterThan(50);
    expect(counts.history).toBeGreaterThan(1);
    const copy = openSqliteStore(join(tempDir(), 'r.db'));
    expect(await restoreStore(copy, file)).toEqual(counts);
    expect(await rowDigest(copy)).toBe(await rowDigest(demo));
    expect(await answers(copy)).toEqual(await answers(demo));
    // Into a store that holds records: refused, nothing added.
    await expect(restoreStore(copy, file)).rejects.toThrow(/already holds records/);
    expect(await copy.countEvents({ includeRetracted: true })).toBe(counts.events);
    await copy.close();
  });

  it('refuses a backup cut short or altered, and leaves the target empty', async () => {
    const file = join(tempDir(), 'b.jsonl.gz');
    await backupStore(demo, file);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const cut = join(tempDir(), 'cut.jsonl.gz');
    writeFileSync(cut, gzipSync(lines.slice(0, -1).join('\n')));
    const altered = join(tempDir(), 'altered.jsonl.gz');
    // One date in one event changed: the rows are well formed, only the digest at the end tells.
    const at = lines.findIndex((l) => l.startsWith('{"t":"events"'));
    writeFileSync(altered, gzipSync(lines.map((l, i) => (i === at ? l.replace('"2017-', '"2016-') : l)).join('\n')));
    const notGzip = join(tempDir(), 'plain.csv');
    writeFileSync(notGzip, 'id,date\n1,2017-01-01\n');
    for (const [f, why] of [[cut, /cut short/], [altered, /checksum/], [notGzip, /not a Frontline backup/]] as const) {
      const target = openSqliteStore(join(tempDir(), 't.db'));
      await expect(restoreStore(target, f)).rejects.toThrow(why);
      expect(await target.countEvents({ includeRetracted: true })).toBe(0);
      expect(await target.listPlaces()).toEqual([]);
      await target.close();
    }
  });

  it.skipIf(Boolean(PG_MISSING))('copies SQLite into PostGIS and back, losing nothing', async () => {
    const pg = await openPgStore(await pgs!.newDatabase(), { max: 3 });
    const copied = await copyStore(demo, pg);
    expect(copied.sha256).toBe(await rowDigest(demo));
    expect(await answers(pg)).toEqual(await answers(demo));
    // The copy is a working store: an edit there gets the next version after the copied ones.
    await pg.putEvents([event('edited', '2017-06-01', 39, 35.9, { notes: 'fourth' })], { by: 'dan' });
    expect((await pg.history('event', 'edited')).map((h) => h.version)).toEqual([1, 2, 3, 4]);
    // Backed up from PostGIS, restored into SQLite.
    const file = join(tempDir(), 'pg.jsonl.gz');
    await backupStore(pg, file);
    const back = openSqliteStore(join(tempDir(), 'back.db'));
    await restoreStore(back, file);
    expect(await rowDigest(back)).toBe(await rowDigest(pg));
    await Promise.all([pg.close(), back.close()]);
  });

  it.skipIf(Boolean(PG_MISSING))('runs as frontline db backup, restore, copy and migrate', async () => {
    const dir = tempDir();
    const out = join(dir, 'x.jsonl.gz');
    const b = await runCli('--db', demo.location, 'db', 'backup', '--out', out, '--json');
    expect(b.code, b.err).toBe(0);
    expect(JSON.parse(b.out).counts.events).toBeGreaterThan(50);
    expect((await runCli('--db', demo.location, 'db', 'backup', '--out', out)).err).toMatch(/exists/);
    const r = await runCli('--db', join(dir, 'r.db'), 'db', 'restore', out);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^restored .* rows/);
    const url = await pgs!.newDatabase();
    const c = await runCli('--db', join(dir, 'r.db'), 'db', 'copy', '--to', url);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toMatch(/both hold the same rows/);
    const m = await runCli('--db', url, 'db', 'migrate', '--json');
    expect(JSON.parse(m.out)).toMatchObject({ kind: 'postgis', schema: 1 });
    // The PostGIS store answers the ordinary commands.
    const summary = await runCli('--db', url, 'events', '--since', '2017-06-01', '--until', '2017-06-30', '--json');
    expect(summary.code, summary.err).toBe(0);
  });
});
