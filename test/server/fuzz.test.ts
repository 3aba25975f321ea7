/**
 * The API's request validation under fuzzing (fast-check, bounded): every route of the route table gets
 * random and hostile query strings and bodies, and never answers 500 or loses its shape (a problem
 * details body for every error). Personal mode, so that validation, not sign-in, is what is reached.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteSpec } from '../../src/server/app.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { demoStore, serveStore } from '../helpers.js';

const HOSTILE = ["'; DROP TABLE events; --", '<script>alert(1)</script>', '../../../etc/passwd', '%00', '2017-02-30', '-1', '1e309', 'NaN', '{"a":', '\u0000', 'ــ'.repeat(50), 'x'.repeat(5000), '2017-06-01', 'raqqa', 'government', 'Battles'];
const PARAMS = ['date', 'since', 'until', 'from', 'to', 'type', 'subType', 'text', 'bloc', 'heldBy', 'zone', 'limit', 'objective', 'id', 'name', 'step', 'area', 'weights', 'withdraw', 'window', 'kind', 'by', 'before', 'days'];

describe('fuzzing the API', () => {
  let base: string;
  let store: SqliteStore;
  let routes: RouteSpec[];
  let close: () => Promise<void>;
  beforeAll(async () => {
    store = await demoStore('fl-fuzz-');
    ({ base, routes, close } = await serveStore(store));
  }, 60_000);
  afterAll(() => close?.());

  const value = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.integer().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));

  it('never answers 500 to hostile query strings on any GET route', async () => {
    const gets = routes.filter((r) => r.method === 'GET');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...gets), fc.dictionary(fc.constantFrom(...PARAMS), value, { maxKeys: 4 }), async (r, q) => {
        const res = await fetch(`${base}${r.path}?${new URLSearchParams(q)}`);
        expect(res.status, `${r.path}?${new URLSearchParams(q)}`).toBeLessThan(500);
        if (res.status >= 400) expect(((await res.json()) as { status: number }).status).toBe(res.status);
        else await res.arrayBuffer();
      }),
      { numRuns: 400 },
    );
  }, 120_000);

  it('never answers 500 to hostile bodies on any POST route', async () => {
    const posts = routes.filter((r) => r.method === 'POST' && r.path !== '/api/login');
    const body = fc.oneof(fc.dictionary(fc.constantFrom('id', 'text', 'published', 'event', 'changes', 'version', 'reason', 'place', 'actor', 'status', 'from', 'source', 'zone', 'name', 'role', 'password', 'user'), fc.oneof(value, fc.integer(), fc.constant(null), fc.constant({}), fc.array(value, { maxLength: 3 })), { maxKeys: 5 }), fc.constantFrom('[]', 'null', '"x"', '{', '{"event": {"date": "2017-06-01"}}'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), body, async (r, b) => {
        const res = await fetch(base + r.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof b === 'string' ? b : JSON.stringify(b) });
        expect(res.status, `${r.path} ${JSON.stringify(b).slice(0, 200)}`).toBeLessThan(500);
        await res.arrayBuffer();
      }),
      { numRuns: 400 },
    );
    // The store still answers, and nothing was dropped.
    expect((await store.queryEvents({ since: '2017-01-01', until: '2017-07-31', limit: 1000 })).events.length).toBeGreaterThanOrEqual(63);
  }, 120_000);
});
