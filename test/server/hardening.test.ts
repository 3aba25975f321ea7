/**
 * Issue 15, items 6 and 7 at the HTTP level: the Host rule (DNS rebinding), paths and cookies that are not
 * valid percent-encoding, request targets that are not URLs, per-account sign-in backoff and the
 * trusted-proxy setting. The serve flags and their environment variables are checked on a real
 * `frontline serve` process.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { hashPassword, SignInBackoff } from '../../src/server/auth.js';
import { clientAddress, parseHost, trustedProxies } from '../../src/server/network.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ROOT, tempDir } from '../helpers.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with headers fetch will not send (Host, X-Forwarded-For). */
function call(port: number, path: string, o: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((resolveCall, reject) => {
    const r = request({ host: o.host ?? '127.0.0.1', port, path, method: o.method ?? 'GET', headers: { ...(o.body ? { 'content-type': 'application/json' } : {}), ...o.headers }, setHost: o.headers?.host === undefined }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolveCall({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end(o.body);
  });
}

/** Bytes as they are written, for request targets no client library would send. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolveRaw, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(text));
    let out = '';
    s.on('data', (c: Buffer) => (out += c.toString()));
    s.on('end', () => resolveRaw(out));
    s.on('error', reject);
  });
}

async function start(store: SqliteStore, options: Omit<AppOptions, 'store'> = {}, host = '127.0.0.1'): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createApp({ store, ...options });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('the Host rule (DNS rebinding)', () => {
  let store: SqliteStore;
  beforeAll(() => {
    store = openSqliteStore(join(tempDir('fl-hosts-'), 'h.db'));
  });
  afterAll(() => store?.close());

  it('answers to the loopback names at its port, and 421 to any other name or port', async () => {
    const web = tempDir('fl-hosts-web-');
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>app</title>');
    const { port, close } = await start(store, { webRoot: web });
    try {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
        expect((await call(port, '/api/me', { headers: { host } })).status, host).toBe(200);
      }
      for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', `localhost:${port + 1}`, `127.0.0.1`, `localhost.attacker.example:${port}`, `127.0.0.1@evil:${port}`, '']) {
        for (const path of ['/api/me', '/', '/api/meta']) {
          const r = await call(port, path, { headers: { host } });
          expect(r.status, `${host} ${path}`).toBe(421);
          expect(JSON.parse(r.body).detail).toMatch(/does not answer to the host .*--allowed-host/);
        }
      }
      // Writes too: a rebinding page would POST.
      const w = await call(port, '/api/users', { method: 'POST', headers: { host: `rebind.attacker.example:${port}` }, body: JSON.stringify({ id: 'x', name: 'x', role: 'admin', password: 'xxxxxxxxxxxx' }) });
      expect(w.status).toBe(421);
      expect(await store.listUsers()).toEqual([]);
    } finally {
      await close();
    }
  });

  it('answers to the allowed hosts too: a name at any port, name:port at that port only', async () => {
    const { port, close } = await start(store, { allowedHosts: ['frontline.example.org', 'Proxy.Example.net:8443'] });
    try {
      for (const host of ['frontline.example.org', 'frontline.example.org:443', 'FRONTLINE.example.org.', 'proxy.example.net:8443', `localhost:${port}`]) {
        expect((await call(port, '/api/me', { headers: { host } })).status, host).toBe(200);
      }
      for (const host of ['proxy.example.net', 'proxy.example.net:443', 'other.example.org', 'example.org']) {
        expect((await call(port, '/api/me', { headers: { host } })).status, host).toBe(421);
      }
    } finally {
      await close();
    }
  });

  it('bound to every interface, answers to this machine’s host name and addresses, not to other names', async () => {
    const { port, close } = await start(store, {}, '0.0.0.0');
    try {
      expect((await call(port, '/api/me', { headers: { host: `${hostname()}:${port}` } })).status).toBe(200);
      expect((await call(port, '/api/me', { headers: { host: `rebind.attacker.example:${port}` } })).status).toBe(421);
    } finally {
      await close();
    }
  });

  it('reads Host headers as browsers write them', () => {
    expect(parseHost('[::1]:8017')).toEqual({ name: '[::1]', port: 8017 });
    expect(parseHost('Example.org')).toEqual({ name: 'example.org', port: null });
    expect(parseHost('a.example:99999')).toBeNull();
    expect(parseHost('user@a.example')).toBeNull();
    expect(parseHost('a.example/x')).toBeNull();
  });
});

describe('bad paths, cookies and request targets are the client’s error (400), never a 500', () => {
  let store: SqliteStore;
  let port: number;
  let close: () => Promise<void>;
  beforeAll(async () => {
    store = openSqliteStore(join(tempDir('fl-paths-'), 'p.db'));
    // Team mode: cookies are read.
    await store.putUsers([{ id: 'pat', name: 'Pat', role: 'admin', passwordHash: '-', disabled: false }], { by: 'test' });
    const web = tempDir('fl-paths-web-');
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(web, 'assets', 'a b.js'), '1');
    ({ port, close } = await start(store, { webRoot: web }));
  });
  afterAll(async () => {
    await close?.();
    await store?.close();
  });

  it('answers 400 to /% and to a cut UTF-8 sequence, without a stack trace in the log', async () => {
    const logged = vi.spyOn(console, 'error');
    try {
      for (const path of ['/%', '/%E0%A4%A', '/assets/%zz.js', '/%C0']) {
        const r = await call(port, path);
        expect(r.status, path).toBe(400);
        expect(JSON.parse(r.body).detail).toMatch(/percent-encoding/);
      }
      // Good encoding still works.
      expect((await call(port, '/assets/a%20b.js')).status).toBe(200);
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it('takes a session cookie that is not percent-encoding as no session', async () => {
    const r = await call(port, '/api/me', { headers: { cookie: 'frontline_session=%E0%A4%A' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ user: null, via: 'none' });
  });

  it('answers 400 to a request target that is no URL, and keeps serving', async () => {
    const out = await raw(port, `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expect((await call(port, '/api/me')).status).toBe(200);
  });
});

describe('per-account sign-in backoff', () => {
  it('grows 1 s, 2 s, 4 s … after five failures, is capped at 60 s, and is forgotten after 15 quiet minutes', () => {
    const b = new SignInBackoff();
    let t = 1_000_000;
    const fail = (): void => {
      expect(b.take('pat', t)).toBe(0);
      b.settle('pat', false, t);
    };
    for (let i = 0; i < 5; i++) fail();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const w = b.take('pat', t);
      waits.push(w);
      t += w;
      fail();
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
    // Names differ by case only: one account. Another account is not held up.
    expect(b.take('PAT', t)).toBe(60_000);
    expect(b.take('ada', t)).toBe(0);
    t += 15 * 60_000;
    expect(b.take('pat', t)).toBe(0);
  });

  it('holds parallel attempts to one at a time once backing off, and a success clears it', () => {
    const b = new SignInBackoff();
    for (let i = 0; i < 5; i++) {
      b.take('pat', 0);
      b.settle('pat', false, 0);
    }
    expect(b.take('pat', 1000)).toBe(0);
    expect(b.take('pat', 1000)).toBeGreaterThan(0); // the first is still under way
    b.settle('pat', true, 1001);
    expect(b.take('pat', 1001)).toBe(0);
  });

  it('answers 429 with Retry-After on a known and an unknown account alike, and the right password waits too', async () => {
    const store = openSqliteStore(join(tempDir('fl-backoff-'), 'b.db'));
    await store.putUsers([{ id: 'pat', name: 'Pat', role: 'admin', passwordHash: hashPassword('the right passphrase'), disabled: false }], { by: 'test' });
    const { port, close } = await start(store, { limits: { loginsPerMinute: 1000 } });
    try {
      const login = (user: string, password: string) => call(port, '/api/login', { method: 'POST', body: JSON.stringify({ user, password }) });
      for (const user of ['pat', 'nobody']) {
        for (let i = 0; i < 5; i++) expect((await login(user, 'a wrong passphrase')).status).toBe(401);
        const held = await login(user, 'a wrong passphrase');
        expect(held.status, user).toBe(429);
        expect(held.headers['retry-after']).toBe('1');
      }
      expect((await login('pat', 'the right passphrase')).status).toBe(429);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await login('pat', 'the right passphrase')).status).toBe(200);
      expect((await login('pat', 'a wrong passphrase')).status).toBe(401); // cleared: free attempts again
    } finally {
      await close();
      await store.close();
    }
  });
});

describe('trusted proxies', () => {
  it('take X-Forwarded-For only from a configured proxy, right to left', () => {
    const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as never;
    const p = trustedProxies(['127.0.0.1', '10.0.0.0/8']);
    expect(clientAddress(req('::ffff:127.0.0.1', '203.0.113.7'), null)).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), null)).toBe('127.0.0.1');
    expect(clientAddress(req('127.0.0.1', '203.0.113.7'), p)).toBe('203.0.113.7');
    // The client wrote the left-most entry itself; the proxies appended the rest.
    expect(clientAddress(req('127.0.0.1', '1.2.3.4, 203.0.113.7, 10.1.2.3'), p)).toBe('203.0.113.7');
    expect(clientAddress(req('198.51.100.9', '203.0.113.7'), p)).toBe('198.51.100.9'); // not from a proxy
    expect(clientAddress(req('127.0.0.1', 'garbage'), p)).toBe('127.0.0.1');
    expect(() => trustedProxies(['10.0.0.0/33'])).toThrow(/not an address or a subnet/);
    expect(() => trustedProxies(['proxy.example'])).toThrow(/not an address or a subnet/);
  });

  it('count sign-in attempts per forwarded address behind a trusted proxy, and ignore the header otherwise', async () => {
    const store = openSqliteStore(join(tempDir('fl-proxy-'), 'p.db'));
    await store.putUsers([{ id: 'pat', name: 'Pat', role: 'admin', passwordHash: hashPassword('the right passphrase'), disabled: false }], { by: 'test' });
    const body = (i: number) => JSON.stringify({ user: `u${i}`, password: 'a wrong passphrase' });
    try {
      // Trusted: each forwarded client has its own budget of 3 a minute.
      const a = await start(store, { limits: { loginsPerMinute: 3 }, trustProxy: ['127.0.0.1'] });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await call(a.port, '/api/login', { method: 'POST', body: body(i), headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
      for (let i = 0; i < 3; i++) await call(a.port, '/api/login', { method: 'POST', body: body(10 + i), headers: { 'x-forwarded-for': '198.51.100.1' } });
      expect((await call(a.port, '/api/login', { method: 'POST', body: body(20), headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(429);
      await a.close();
      // Not configured: the header is anyone's to write, and changes nothing.
      const b = await start(store, { limits: { loginsPerMinute: 3 } });
      const plain: number[] = [];
      for (let i = 0; i < 4; i++) plain.push((await call(b.port, '/api/login', { method: 'POST', body: body(30 + i), headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status);
      expect(plain).toEqual([401, 401, 401, 429]);
      await b.close();
    } finally {
      await store.close();
    }
  });
});

describe('frontline serve: --allowed-host, --trust-proxy and their environment variables', () => {
  it('answers to the hosts given by flag and by FRONTLINE_ALLOWED_HOSTS, and refuses bad values with a usage error', async () => {
    const db = join(tempDir('fl-serve-hosts-'), 's.db');
    const script = "const { main } = await import('./src/cli/main.ts'); process.exitCode = await main(process.argv);";
    const run = (args: string[], env: Record<string, string> = {}) => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'frontline', '--db', db, 'serve', '--port', '0', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const child = run(['--allowed-host', 'flag.example', '--trust-proxy', '127.0.0.1'], { FRONTLINE_ALLOWED_HOSTS: 'env-one.example, env-two.example:9443' });
    try {
      const port = await new Promise<number>((resolvePort, reject) => {
        let err = '';
        child.stderr!.on('data', (c: Buffer) => {
          err += c.toString();
          const m = /serving .* at http:\/\/[^:]+:(\d+)\//.exec(err);
          if (m) resolvePort(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
      });
      for (const host of ['flag.example', 'env-one.example', 'env-two.example:9443', `localhost:${port}`]) expect((await call(port, '/api/me', { headers: { host } })).status, host).toBe(200);
      for (const host of ['env-two.example', 'evil.example']) expect((await call(port, '/api/me', { headers: { host } })).status, host).toBe(421);
    } finally {
      child.kill('SIGTERM');
    }
    for (const [args, env, message] of [
      [['--allowed-host', 'https://proxy.example/'], {}, /--allowed-host .*is not a host name/],
      [[], { FRONTLINE_TRUST_PROXY: 'proxy.example' }, /--trust-proxy .*not an address or a subnet/],
    ] as const) {
      const bad = run([...args], env);
      let err = '';
      bad.stderr!.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((r) => bad.once('exit', r));
      expect(code, err).toBe(2);
      expect(err).toMatch(message);
    }
  }, 60_000);
});
