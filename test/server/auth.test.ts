/**
 * Users, roles, sessions, tokens and the audit trail over real HTTP on loopback: the route table is
 * walked and every write refuses anonymous and viewer callers; sessions need their CSRF token; logout
 * and revocation end access; a stale edit is refused with 409, never lost.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RouteSpec } from '../../src/server/app.js';
import { hashPassword, RateLimiter, verifyPassword } from '../../src/server/auth.js';
import fc from 'fast-check';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { demoStore, listenLocal, runCli, serveStore, tempDir } from '../helpers.js';

const PASSWORDS = { ada: 'admin-password-1', ana: 'analyst-password-2', vic: 'viewer-password-3' };

describe('users, roles and the audit trail', () => {
  let base: string;
  let store: SqliteStore;
  let routes: RouteSpec[];
  let close: () => Promise<void>;
  beforeAll(async () => {
    store = await demoStore('fl-auth-');
    await store.putUsers(
      [
        { id: 'ada', name: 'Ada Admin', role: 'admin', passwordHash: hashPassword(PASSWORDS.ada), disabled: false },
        { id: 'ana', name: 'Ana Analyst', role: 'analyst', passwordHash: hashPassword(PASSWORDS.ana), disabled: false },
        { id: 'vic', name: 'Vic Viewer', role: 'viewer', passwordHash: hashPassword(PASSWORDS.vic), disabled: false },
      ],
      { by: 'test' },
    );
    ({ base, routes, close } = await serveStore(store));
  }, 60_000);
  afterAll(() => close?.());

  type Session = { cookie: string; csrf: string } | { token: string } | null;
  async function call(method: 'GET' | 'POST', path: string, who: Session, body: unknown = {}, extra: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
    const headers: Record<string, string> = { ...extra };
    if (method === 'POST') headers['content-type'] = 'application/json';
    if (who && 'cookie' in who) Object.assign(headers, { cookie: who.cookie, ...(extra['x-csrf-token'] === undefined ? { 'x-csrf-token': who.csrf } : {}) });
    if (who && 'token' in who) headers.authorization = `Bearer ${who.token}`;
    const r = await fetch(base + path, { method, headers, ...(method === 'POST' ? { body: JSON.stringify(body) } : {}) });
    return { status: r.status, body: (await r.json().catch(() => ({}))) as Record<string, unknown>, headers: r.headers };
  }
  async function login(user: keyof typeof PASSWORDS): Promise<{ cookie: string; csrf: string }> {
    const r = await call('POST', '/api/login', null, { user, password: PASSWORDS[user] });
    expect(r.status).toBe(200);
    return { cookie: r.headers.get('set-cookie')!.split(';')[0]!, csrf: r.body.csrf as string };
  }

  it('hashes passwords with scrypt and checks them', () => {
    const h = hashPassword('correct horse battery');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(verifyPassword('correct horse battery', h)).toBe(true);
    expect(verifyPassword('correct horse batterx', h)).toBe(false);
    expect(() => hashPassword('short')).toThrow(/10 characters/);
  });

  it('refuses every write route to anonymous callers and every route above viewer to viewers (the route table walked)', async () => {
    const vic = await login('vic');
    const guarded = routes.filter((r) => r.access !== 'public' && r.access !== 'read');
    expect(guarded.length).toBeGreaterThanOrEqual(12);
    for (const r of routes.filter((x) => x.method === 'POST' && x.access !== 'public')) {
      const anon = await call('POST', r.path, null, {});
      expect(anon.status, `${r.path} anonymous`).toBe(401);
    }
    for (const r of guarded.filter((x) => x.access !== 'viewer')) {
      const v = await call(r.method, r.path, vic, {});
      expect(v.status, `${r.method} ${r.path} as viewer`).toBe(403);
      expect(v.body).toMatchObject({ status: 403, title: 'Forbidden' }); // RFC 9457 problem details
    }
    // Reading is public on this instance: a viewer and an anonymous caller read.
    expect((await call('GET', '/api/control?date=2017-06-01', null)).status).toBe(200);
  });

  it('signs in with one answer for a wrong name or password, limits attempts, and needs the CSRF token on writes', async () => {
    expect((await call('POST', '/api/login', null, { user: 'nobody', password: 'whatever-123' })).body.detail).toBe('wrong user or password');
    expect((await call('POST', '/api/login', null, { user: 'ana', password: 'wrong-password' })).body.detail).toBe('wrong user or password');
    const ana = await login('ana');
    const me = await call('GET', '/api/me', ana);
    expect(me.body).toMatchObject({ user: { id: 'ana', role: 'analyst' }, via: 'cookie' });
    const write = { place: 'raqqa', actor: 'sdf', status: 'contested', from: '2017-06-10', source: 'test' };
    expect((await call('POST', '/api/control/observations', ana, write, { 'x-csrf-token': 'forged' })).status).toBe(403);
    const ok = await call('POST', '/api/control/observations', ana, write);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ place: 'raqqa', provenance: { kind: 'user', user: 'ana' } });
    // The 11th attempt within a minute is refused, right password or not.
    let last = 0;
    for (let k = 0; k < 12; k++) last = (await call('POST', '/api/login', null, { user: 'vic', password: 'nope-nope-nope' })).status;
    expect(last).toBe(429);
  });

  it('ends a session at logout and a token at revocation: neither can be reused', async () => {
    expect(await store.getUser('ana')).not.toBeNull();
    // A fresh server for this check, so the login limit reached by the test above does not apply.
    const { base: b2, close: stop } = await listenLocal(createApp({ store }));
    const post = async (path: string, body: unknown, headers: Record<string, string>) => fetch(b2 + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const lr = await post('/api/login', { user: 'ana', password: PASSWORDS.ana }, {});
    const ana = { cookie: lr.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await lr.json()) as { csrf: string }).csrf };
    const tr = await post('/api/tokens', { name: 'script' }, { cookie: ana.cookie, 'x-csrf-token': ana.csrf });
    const token = ((await tr.json()) as { token: string }).token;
    const get = async (headers: Record<string, string>) => ((await (await fetch(`${b2}/api/me`, { headers })).json()) as { user: { id: string } | null }).user?.id ?? null;
    expect(await get({ authorization: `Bearer ${token}` })).toBe('ana');
    expect((await post('/api/logout', {}, { cookie: ana.cookie, 'x-csrf-token': ana.csrf })).status).toBe(200);
    expect(await get({ cookie: ana.cookie })).toBeNull(); // the old cookie no longer signs in
    expect((await post('/api/tokens/revoke', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(await get({ authorization: `Bearer ${token}` })).toBeNull();
    expect((await post('/api/events/retract', { id: 'FLD001', reason: 'x' }, { authorization: `Bearer ${token}` })).status).toBe(401);
    await stop();
  });

  it('keeps a viewer from making itself admin, and lets an admin add users', async () => {
    const { base: b2, close: stop } = await listenLocal(createApp({ store }));
    const signIn = async (user: keyof typeof PASSWORDS) => {
      const r = await fetch(`${b2}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: PASSWORDS[user] }) });
      return { cookie: r.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await r.json()) as { csrf: string }).csrf };
    };
    const asUser = async (s: { cookie: string; csrf: string }, path: string, body: unknown) => (await fetch(b2 + path, { method: 'POST', headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf }, body: JSON.stringify(body) })).status;
    const vic = await signIn('vic');
    expect(await asUser(vic, '/api/users', { id: 'vic', name: 'Vic', role: 'admin', password: 'takeover-password' })).toBe(403);
    expect((await store.getUser('vic'))!.role).toBe('viewer');
    const ada = await signIn('ada');
    expect(await asUser(ada, '/api/users', { id: 'ed', name: 'Ed Editor', role: 'analyst', password: 'editor-password-4' })).toBe(200);
    expect(await asUser(ada, '/api/users', { id: 'ed', name: 'Ed again', role: 'admin', password: 'editor-password-4' })).toBe(409); // exists: not overwritten
    expect((await store.getUser('ed'))!.role).toBe('analyst');
    await stop();
  });

  it('refuses a stale edit with 409 and loses nothing; the audit trail says who did what', async () => {
    const { base: b2, close: stop } = await listenLocal(createApp({ store }));
    const lr = await fetch(`${b2}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ana', password: PASSWORDS.ana }) });
    const s = { cookie: lr.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await lr.json()) as { csrf: string }).csrf };
    const post = async (path: string, body: unknown) => {
      const r = await fetch(b2 + path, { method: 'POST', headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as Record<string, unknown> };
    };
    const v = (await store.history('event', 'FLD014')).at(-1)!.version;
    // Two analysts read version v; the first saves, the second's edit (still on v) is refused.
    expect((await post('/api/events/edit', { id: 'FLD014', version: v, changes: { fatalities: { best: 12, low: null, high: null } } })).status).toBe(200);
    const stale = await post('/api/events/edit', { id: 'FLD014', version: v, changes: { fatalities: { best: 99, low: null, high: null } } });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/version/);
    expect((await store.getEvent('FLD014'))!.fatalities.best).toBe(12);
    // Notes are stored as given (JSON out; the web app shows them as text).
    const created = await post('/api/events/create', { event: { date: '2017-06-01', datePrecision: 'day', type: 'Battles', subType: 'Armed clash', actor1: 'SDF', actor1Id: 'sdf', lon: 39, lat: 35.9, geoPrecision: 1, fatalities: { best: null, low: null, high: null }, notes: '<script>alert(1)</script>' } });
    expect(created.status).toBe(200);
    expect((await store.getEvent(created.body.id as string))!.notes).toBe('<script>alert(1)</script>');
    const audit = await fetch(`${b2}/api/audit?by=ana&limit=20`, { headers: { cookie: s.cookie } });
    const entries = ((await audit.json()) as { entries: { kind: string; id: string; by: string; op: string; version: number }[] }).entries;
    expect(entries.some((e) => e.kind === 'event' && e.id === 'FLD014' && e.by === 'ana' && e.op === 'update' && e.version === v + 1)).toBe(true);
    expect(entries.some((e) => e.id === created.body.id && e.op === 'create')).toBe(true);
    expect(entries.every((e) => e.by === 'ana')).toBe(true);
    await stop();
  });

  it('makes reading private when the instance says so', async () => {
    await store.setMeta('settings.read', 'private');
    try {
      expect((await call('GET', '/api/control?date=2017-06-01', null)).status).toBe(401);
      expect((await call('GET', '/api/me', null)).body).toMatchObject({ user: null, publicRead: false });
    } finally {
      await store.setMeta('settings.read', 'public');
    }
  });
});

describe('users from the CLI', () => {
  it('makes the first user an admin, reads passwords from the environment, lists the audit trail', async () => {
    const db = join(tempDir('fl-users-'), 'u.db');
    process.env.FRONTLINE_PASSWORD = 'first-admin-pass';
    try {
      expect((await runCli('users', 'add', 'ana', '--name', 'Ana', '--role', 'analyst', '--db', db)).err).toMatch(/first user must be an admin/);
      expect((await runCli('users', 'add', 'ada', '--name', 'Ada', '--admin', '--db', db)).code).toBe(0);
      expect((await runCli('users', 'add', 'ana', '--name', 'Ana', '--role', 'analyst', '--db', db)).code).toBe(0);
    } finally {
      delete process.env.FRONTLINE_PASSWORD;
    }
    const list = JSON.parse((await runCli('users', '--json', '--db', db)).out) as { id: string; role: string }[];
    expect(list).toEqual([{ id: 'ada', name: 'Ada', role: 'admin', disabled: false }, { id: 'ana', name: 'Ana', role: 'analyst', disabled: false }]);
    const audit = JSON.parse((await runCli('audit', '--kind', 'user', '--json', '--db', db)).out) as { id: string; op: string }[];
    expect(audit.map((e) => `${e.op} ${e.id}`).sort()).toEqual(['create ada', 'create ana']);
    expect((await runCli('users', 'disable', 'ana', '--db', db)).out).toMatch(/disabled/);
    expect((await runCli('serve', '--host', '0.0.0.0', '--port', '0', '--db', join(tempDir('fl-users-'), 'empty.db'))).err).toMatch(/no users/);
  });
});

describe('rate limits', () => {
  it('never lets more than the limit through in one window, and lets it all through again after a quiet one (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 400 }), (max, gaps) => {
        const w = 1000;
        const limiter = new RateLimiter(max, w);
        let t = 1_000_000;
        const granted = new Map<number, number>();
        for (const g of gaps) {
          t += g % 37;
          if (limiter.take('k', t)) granted.set(Math.floor(t / w), (granted.get(Math.floor(t / w)) ?? 0) + 1);
        }
        for (const n of granted.values()) expect(n).toBeLessThanOrEqual(max);
        // Two quiet windows later, a burst gets exactly `max`.
        t = (Math.floor(t / w) + 2) * w;
        let burst = 0;
        for (let k = 0; k < max + 5; k++) if (limiter.take('k', t)) burst++;
        expect(burst).toBe(max);
        expect(limiter.take('other', t)).toBe(true);
      }),
    );
  });
});
