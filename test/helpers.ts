import { existsSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { AppOptions, RouteSpec } from '../src/server/app.js';
import type { Store } from '../src/store/store.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SHARED = join(ROOT, '..', 'shared');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const hasShared = existsSync(join(SHARED, 'data'));

/**
 * Tests on ../shared data are reported as skipped on a user's machine without it (`it.skipIf(withoutShared)`);
 * under CI=true they run, and a missing ../shared is a failure, not a skip.
 */
export const withoutShared = !hasShared && process.env.CI !== 'true';

/** Inside a test on ../shared data: fails, saying what is missing, when the data is not there. */
export function requireShared(): void {
  if (!hasShared) throw new Error(`../shared/data is missing at ${SHARED}: CI must run with shared/ beside the checkout`);
}

export function tempDir(prefix = 'frontline-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Run the CLI in-process: its exit code and what it wrote to standard output and error. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../src/cli/main.js');
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (c: Buffer) => (o += c.toString()));
  err.on('data', (c: Buffer) => (e += c.toString()));
  const code = await main(['node', 'frontline', ...args], out, err);
  return { code, out: o, err: e };
}

/** A store in a temporary file holding the demo, with its road network. */
export async function demoStore(prefix: string): Promise<SqliteStore> {
  const { openSqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
  const { loadDemo } = await import('../src/demo/load-demo.js');
  const db = join(tempDir(prefix), 'demo.db');
  const store = openSqliteStore(db);
  await loadDemo(store, 'demo', { roadsCache: `${db}.roads` });
  return store;
}

/** Listen on a free loopback port: the base URL, and how to stop. */
export async function listenLocal(server: Server): Promise<{ base: string; close: () => Promise<void> }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A Frontline server on a store, on a free loopback port: its base URL, route table, and how to stop both. */
export async function serveStore(store: Store, options: Omit<AppOptions, 'store'> = {}): Promise<{ base: string; routes: RouteSpec[]; close: () => Promise<void> }> {
  const { createApp } = await import('../src/server/app.js');
  const server = createApp({ store, ...options });
  const l = await listenLocal(server);
  return {
    base: l.base,
    routes: server.routes,
    close: async () => {
      await l.close();
      await store.close();
    },
  };
}
