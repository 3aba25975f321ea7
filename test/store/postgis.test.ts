/**
 * The PostGIS store: the same contract as SQLite, on a real PostgreSQL server with PostGIS, and what only
 * a server store has (geography columns with GIST indexes, migrations run once by concurrent openers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgStore, type PgStore } from '../../src/store/postgis/pg-store.js';
import { PG_MIGRATIONS } from '../../src/store/postgis/migrations.js';
import { storeContract } from './contract.js';
import { PG_MISSING, startTestPg, type TestPg } from './pg-helpers.js';

describe.skipIf(Boolean(PG_MISSING))('PostGIS store', () => {
  let pg: TestPg;
  beforeAll(async () => {
    pg = await startTestPg();
  }, 60_000);
  afterAll(async () => pg?.stop());

  storeContract('PostGIS', async () => openPgStore(await pg.newDatabase(), { max: 4 }));

  it('keeps points in geometry and geography columns, each with a GIST index', async () => {
    const s = await openPgStore(await pg.newDatabase());
    const r = await s.pool.query<{ t: string; c: string; ty: string }>(
      "SELECT table_name AS t, column_name AS c, udt_name AS ty FROM information_schema.columns WHERE column_name IN ('geom', 'geog') ORDER BY 1, 2",
    );
    expect(r.rows.map((x) => `${x.t}.${x.c}:${x.ty}`)).toEqual(['events.geog:geography', 'events.geom:geometry', 'places.geog:geography', 'places.geom:geometry']);
    const idx = await s.pool.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE indexdef LIKE '%USING gist%' ORDER BY 1");
    expect(idx.rows.map((x) => x.indexdef.replace(/^.* ON public\./, ''))).toEqual(['events USING gist (geog)', 'events USING gist (geom)', 'places USING gist (geog)', 'places USING gist (geom)']);
    await s.close();
  });

  it('says what to do when the database is missing or the server is down', async () => {
    const url = new URL(await pg.newDatabase());
    url.pathname = '/no_such_database';
    await expect(openPgStore(url.toString())).rejects.toThrow(/no such database; create it first/);
    url.port = '1'; // nothing listens there
    await expect(openPgStore(url.toString())).rejects.toThrow(/cannot be reached just now/);
  });

  it('migrates once when several processes open a new database at the same time, and refuses a newer schema', async () => {
    const url = await pg.newDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openPgStore(url, { max: 2 })));
    const s = stores[0]!;
    expect((await s.pool.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(await s.migrate()).toEqual([]);
    await s.pool.query("INSERT INTO schema_migrations VALUES (999, 'future', 'now')");
    await expect(openPgStore(url)).rejects.toThrow(/newer Frontline/);
    await Promise.all(stores.map((x: PgStore) => x.close()));
  });
});
