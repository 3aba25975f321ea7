/**
 * Issue 6's proofs, short and bounded (the full-length runs are `npm run reliability`, figures in
 * docs/reliability.md): a real `frontline serve` process under readers and writers, killed with SIGKILL
 * mid-write, and — on PostgreSQL — with the database stopped and started under it. After each, every
 * acknowledged write must be in the store, whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killRun, loadRun, outageRun, startServer, type Verification } from '../../bench/reliability-lib.js';
import { copyStore } from '../../src/store/backup.js';
import { openPgStore } from '../../src/store/postgis/pg-store.js';
import { demoStore } from '../helpers.js';
import { PG_MISSING, startTestPg, type TestPg } from '../store/pg-helpers.js';

const port = (): number => 20_000 + Math.floor(Math.random() * 20_000);

function expectIntact(v: Verification): void {
  expect(v.acked).toBeGreaterThan(0);
  expect(v.missing).toEqual([]);
  expect(v.storedChecksum).toBe(v.ackedChecksum);
  expect(v.broken).toBe(0);
  expect(['ok', 'n/a']).toContain(v.integrity);
}

describe('the server under load and faults', () => {
  let sqliteDb: string;
  let pgUrl = '';
  let pgs: TestPg | null = null;
  beforeAll(async () => {
    const demo = await demoStore('fl-faults-');
    sqliteDb = demo.location;
    if (!PG_MISSING) {
      pgs = await startTestPg();
      pgUrl = await pgs.newDatabase();
      const pg = await openPgStore(pgUrl);
      await copyStore(demo, pg);
      await pg.close();
    }
    await demo.close();
  }, 120_000);
  afterAll(async () => pgs?.stop());

  const stores = (): [string, () => string][] => [['SQLite', () => sqliteDb], ...(PG_MISSING ? [] : [['PostGIS', () => pgUrl] as [string, () => string]])];

  it.each(stores())('%s: readers and writers at once, no error, every acknowledged write stored', async (_name, db) => {
    const server = await startServer(db(), port());
    try {
      const r = await loadRun(server, db(), { seconds: 4, connections: 20, writers: 4, prefix: `load${Date.now()}` });
      expect(r.readers.requests).toBeGreaterThan(100);
      expect(r.readers.errors).toBe(0);
      expect(r.readers.non2xx).toBe(0);
      expect(Object.keys(r.writers.statuses)).toEqual(['200']);
      expectIntact(r.verification);
    } finally {
      await server.kill();
    }
  }, 60_000);

  it.each(stores())('%s: kill -9 during writes loses no acknowledged write and leaves none half written', async (_name, db) => {
    const r = await killRun(db(), port(), { writers: 6, killAfterMs: 1500, prefix: `kill${Date.now()}` });
    expect(r.statuses.network ?? 0).toBeGreaterThan(0); // the kill did cut writes in flight
    expectIntact(r.verification);
    expect(r.restarted).toBe(true);
  }, 60_000);

  it.skipIf(Boolean(PG_MISSING))('PostGIS: the database stopped and started under the server: 503 meanwhile, never 500, then writes again', async () => {
    const server = await startServer(pgUrl, port());
    try {
      const r = await outageRun(server, pgUrl, pgs!.server!, { writers: 3, downMs: 2000, prefix: `outage${Date.now()}` });
      expect(r.serverAlive).toBe(true);
      expect(Object.keys(r.during).filter((k) => !/ (200|503)$/.test(k))).toEqual([]);
      expect((r.during['write 503'] ?? 0) + (r.during['read 503'] ?? 0)).toBeGreaterThan(0);
      expect(r.recoverySeconds).toBeLessThan(15);
      expectIntact(r.verification);
      expect(server.log()).not.toMatch(/at .*\.js:\d+/); // no stack traces in its log for an outage either
    } finally {
      await server.kill();
    }
  }, 90_000);
});
