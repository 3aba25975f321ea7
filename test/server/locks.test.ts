/**
 * Issue 15 item 2: a write beside the server (a CLI import, another connection holding the lock) must not
 * turn API writes into 500s. They wait and retry; past the retries they answer 503 with Retry-After.
 * Real locks on real stores: a second better-sqlite3 connection or a second PostgreSQL session holds
 * them, and a real `frontline import ucdp` process runs beside a real server.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, UCDP_FILE } from '../../bench/lock-probe.js';
import type { ConflictEvent } from '../../src/core/schemas.js';
import { createApp } from '../../src/server/app.js';
import { copyStore } from '../../src/store/backup.js';
import { openPgStore } from '../../src/store/postgis/pg-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { demoStore, listenLocal, requireShared, tempDir, withoutShared } from '../helpers.js';
import { PG_MISSING, startTestPg, type TestPg } from '../store/pg-helpers.js';

const port = (): number => 20_000 + Math.floor(Math.random() * 20_000);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const newEvent = (id: string): Record<string, unknown> => ({
  id, date: '2017-06-18', datePrecision: 'day', type: 'Battles', subType: 'Armed clash', actor1: 'Lock test', actor1Id: null, assocActor1: '', actor2: '', actor2Id: null,
  assocActor2: '', country: 'Syria', admin1: '', admin2: '', admin3: '', location: 'Lock test', place: null, lon: 38.5, lat: 35.5, geoPrecision: 1,
  fatalities: { best: 0, low: null, high: null }, notes: `lock test ${id}`, sources: [{ name: 'test' }], tags: '', attributes: {},
});

async function post(base: string, path: string, body: unknown): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> {
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, retryAfter: r.headers.get('retry-after'), body: (await r.json()) as Record<string, unknown> };
}

describe('SQLite: a lock held by another connection', () => {
  it('makes API writes wait and retry, then answer 503 with Retry-After, never 500', async () => {
    const file = join(tempDir('fl-locks-'), 'locks.db');
    // A short wait for the test: each attempt 10 ms, 400 ms of retries in all.
    const store = openSqliteStore(file, { busy: { timeoutMs: 10, retryMs: 400 } });
    const other = new Database(file);
    const l = await listenLocal(createApp({ store }));
    try {
      other.exec('BEGIN IMMEDIATE'); // what an import on another connection used to hold for its whole run
      const t = performance.now();
      const held = await post(l.base, '/api/events/create', { event: newEvent('held') });
      expect(held.status).toBe(503);
      expect(held.retryAfter).toBe('1');
      expect(String(held.body.error)).toMatch(/busy.*nothing was written/);
      expect(performance.now() - t).toBeGreaterThanOrEqual(350); // it did wait and retry first
      expect(await store.getEvent('held')).toBeNull();

      // The lock is given up while a write is retrying: that write goes through.
      const pending = post(l.base, '/api/events/create', { event: newEvent('waited') });
      await sleep(150);
      other.exec('ROLLBACK');
      const waited = await pending;
      expect(waited.status).toBe(200);
      expect((await store.getEvent('waited'))?.notes).toBe('lock test waited');
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await l.close();
      await store.close();
    }
  });

  it('a lock error that escapes a store is a 503, not a 500', async () => {
    const file = join(tempDir('fl-locks-'), 'locks.db');
    const store = openSqliteStore(file);
    // A write path with no retry of its own, failing as SQLite does when the lock stays taken.
    store.putEvents = async () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    const l = await listenLocal(createApp({ store }));
    try {
      const r = await post(l.base, '/api/events/create', { event: newEvent('x') });
      expect(r.status).toBe(503);
      expect(r.retryAfter).toBe('1');
    } finally {
      await l.close();
      await store.close();
    }
  });
});

describe.skipIf(Boolean(PG_MISSING))('PostgreSQL: a row lock held by another session', () => {
  let pgs: TestPg;
  beforeAll(async () => {
    pgs = await startTestPg();
  }, 60_000);
  afterAll(async () => pgs?.stop());

  it('makes API writes retry after lock_timeout, then answer 503 with Retry-After, never 500 or a hang', async () => {
    const url = await pgs.newDatabase();
    const store = await openPgStore(url);
    store.lockPolicy = { lockTimeoutMs: 150, attempts: 3, backoffMs: 20 };
    const event = { ...newEvent('locked'), provenance: { kind: 'user', user: 'test', at: '2017-06-18T00:00:00Z' }, status: 'reviewed' } as unknown as ConflictEvent;
    await store.putEvents([event], { by: 'test' });
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    const l = await listenLocal(createApp({ store }));
    try {
      await other.query('BEGIN');
      await other.query("SELECT 1 FROM events WHERE id = 'locked' FOR UPDATE");
      const edit = { id: 'locked', version: 1, changes: { notes: 'edited' } };
      const held = await post(l.base, '/api/events/edit', edit);
      expect(held.status).toBe(503);
      expect(held.retryAfter).toBe('1');
      expect(String(held.body.error)).toMatch(/busy.*lock.*3 times/);
      expect((await store.getEvent('locked'))?.notes).toBe('lock test locked');

      // Released while the edit is between attempts: the retry goes through.
      const pending = post(l.base, '/api/events/edit', edit);
      await sleep(200);
      await other.query('ROLLBACK');
      expect((await pending).status).toBe(200);
      expect((await store.getEvent('locked'))?.notes).toBe('edited');
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      await other.end();
      await l.close();
      await store.close();
    }
  }, 30_000);
});

/**
 * The probe of the issue: 20 API writers while `frontline import ucdp` (9,692 rows) runs as its own
 * process on the same store. Needs the build (bin/frontline.js runs dist/) and ../shared/data.
 */
describe.skipIf(withoutShared)('a CLI import beside 20 API writers', () => {
  let sqliteDb: string;
  let pgUrl = '';
  let pgs: TestPg | null = null;
  beforeAll(async () => {
    requireShared();
    if (!existsSync(UCDP_FILE)) throw new Error(`${UCDP_FILE} is missing from ../shared/data`);
    const demo = await demoStore('fl-locks-probe-');
    sqliteDb = demo.location;
    if (!PG_MISSING) {
      pgs = await startTestPg();
      pgUrl = await pgs.newDatabase();
      const store = await openPgStore(pgUrl);
      await copyStore(demo, store);
      await store.close();
    }
    await demo.close();
  }, 120_000);
  afterAll(async () => pgs?.stop());

  const stores = (): [string, () => string][] => [['SQLite', () => sqliteDb], ...(PG_MISSING ? [] : [['PostGIS', () => pgUrl] as [string, () => string]])];

  it.each(stores())('%s: no 500, every acknowledged write stored, the import complete', async (_name, db) => {
    const r = await probe(db(), port(), { writers: 20, imports: 1, prefix: `locks${Date.now()}` });
    expect(r.imports.map((i) => i.code)).toEqual([0]);
    expect(r.imported).toBe(9692);
    expect(r.statuses['500'] ?? 0).toBe(0);
    expect(Object.keys(r.statuses).filter((s) => s !== '200' && s !== '503')).toEqual([]);
    expect(r.acked).toBeGreaterThan(100);
    expect(r.missing).toBe(0);
    expect(r.serverErrors).toEqual([]);
  }, 180_000);
});
