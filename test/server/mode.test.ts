/**
 * Issue 15, item 1: a running server sees the store's current mode on every request. It starts on a store
 * with no users (personal mode: the caller is the local admin); the first admin is then added from the CLI
 * (another connection, as `frontline users add` does); from the next request on, anonymous writes are
 * refused. On SQLite and on PostgreSQL + PostGIS.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { openPgStore } from '../../src/store/postgis/pg-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { listenLocal, runCli, tempDir } from '../helpers.js';
import { PG_MISSING, startTestPg, type TestPg } from '../store/pg-helpers.js';

/** `frontline --db WHERE users add pat --name Pat --admin`, the password from the environment. */
async function addFirstAdminFromCli(where: string): Promise<void> {
  const before = process.env.FRONTLINE_PASSWORD;
  process.env.FRONTLINE_PASSWORD = 'a long passphrase for pat';
  try {
    const r = await runCli('--db', where, 'users', 'add', 'pat', '--name', 'Pat', '--admin');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('asks everyone to sign in');
  } finally {
    if (before === undefined) delete process.env.FRONTLINE_PASSWORD;
    else process.env.FRONTLINE_PASSWORD = before;
  }
}

async function firstAdminEndsPersonalMode(store: Store, where: string): Promise<void> {
  const { base, close } = await listenLocal(createApp({ store }));
  try {
    const post = (path: string, body: unknown) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Personal mode, seen by the running server: the caller is the local admin.
    const me = (await (await fetch(`${base}/api/me`)).json()) as { via: string; user: { role: string } | null };
    expect(me).toMatchObject({ via: 'personal', user: { role: 'admin' } });
    await addFirstAdminFromCli(where);
    const after = (await (await fetch(`${base}/api/me`)).json()) as { via: string; user: unknown };
    expect(after).toMatchObject({ via: 'none', user: null });
    const r = await post('/api/users', { id: 'mallory', name: 'Mallory', role: 'admin', password: 'mallory wants in' });
    expect(r.status, await r.clone().text()).toBe(401);
    expect(await store.getUser('mallory')).toBeNull();
    // The admin the CLI made signs in.
    const login = await post('/api/login', { user: 'pat', password: 'a long passphrase for pat' });
    expect(login.status).toBe(200);
  } finally {
    await close();
  }
}

describe('the first admin ends personal mode on a running server', () => {
  it('on SQLite', async () => {
    const db = join(tempDir('fl-mode-'), 'empty.db');
    const store = openSqliteStore(db);
    try {
      await firstAdminEndsPersonalMode(store, db);
    } finally {
      await store.close();
    }
  }, 60_000);

  describe.skipIf(Boolean(PG_MISSING))('on PostgreSQL + PostGIS', () => {
    let pgs: TestPg;
    beforeAll(async () => {
      pgs = await startTestPg();
    }, 120_000);
    afterAll(async () => {
      await pgs?.stop();
    });
    it('as on SQLite', async () => {
      const url = await pgs.newDatabase();
      const store = await openPgStore(url);
      try {
        await firstAdminEndsPersonalMode(store, url);
      } finally {
        await store.close();
      }
    }, 120_000);
  });
});
