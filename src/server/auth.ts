/**
 * Users, roles, sessions and tokens (issue 6, §3). Passwords are hashed with scrypt; session cookies and
 * API tokens are random 256-bit secrets of which the store keeps only a SHA-256 hash. A cookie session
 * carries a CSRF token that every write must echo in `x-csrf-token`; a bearer token (scripts) needs none.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Role, User } from '../core/schemas.js';
import type { Store } from '../store/store.js';

const N = 16384, R = 8, P = 1, KEYLEN = 32;

export function hashPassword(password: string): string {
  if (password.length < 10) throw new RangeError('a password needs at least 10 characters');
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEYLEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const want = Buffer.from(key, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), want.length, { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === want.length && timingSafeEqual(got, want);
}

let dummy: string | null = null;

/**
 * The account a sign-in proves, or null. Unknown and disabled accounts are checked against a dummy hash
 * made like the real ones (same scrypt cost), so every refusal takes as long as a wrong password: the
 * time of an answer does not tell which accounts exist.
 */
export function checkSignIn(user: User | null, password: string): User | null {
  dummy ??= hashPassword(newSecret()); // made on the first attempt, whoever it names
  const usable = user && !user.disabled ? user : null;
  const ok = verifyPassword(password, usable ? usable.passwordHash : dummy);
  return usable && ok ? usable : null;
}

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const hashSecret = (s: string): string => createHash('sha256').update(s).digest('hex');

export const ROLE_RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };
/** What a route needs: anyone, anyone when reading is public (else a viewer), or at least a role. */
export type Access = 'public' | 'read' | Role;

export interface Caller {
  user: User | null;
  /** How the caller proved who it is. */
  via: 'none' | 'cookie' | 'token' | 'personal';
  /** The session's CSRF token (cookie sessions). */
  csrf?: string;
  sessionHash?: string;
}

export const SESSION_COOKIE = 'frontline_session';
export const SESSION_DAYS = 7;

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return null; // not percent-encoding: no session of ours
    }
  }
  return null;
}

/**
 * Who is calling. With no users in the store the server is in personal mode (one person on their own
 * machine, loopback only): the caller is the local admin. Otherwise a bearer token or a session cookie.
 */
export async function identify(req: IncomingMessage, store: Store, personal: boolean): Promise<Caller> {
  if (personal) return { user: { id: 'local', name: 'local user', role: 'admin', passwordHash: '-', disabled: false }, via: 'personal' };
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const t = await store.getToken(hashSecret(auth.slice(7).trim()));
    const user = t && !t.revokedAt ? await store.getUser(t.user) : null;
    return user && !user.disabled ? { user, via: 'token' } : { user: null, via: 'none' };
  }
  const c = cookie(req, SESSION_COOKIE);
  if (c) {
    const h = hashSecret(c);
    const s = await store.getSession(h);
    if (s && s.expiresAt > new Date().toISOString()) {
      const user = await store.getUser(s.user);
      if (user && !user.disabled) return { user, via: 'cookie', csrf: s.csrf, sessionHash: h };
    }
  }
  return { user: null, via: 'none' };
}

export function allowed(caller: Caller, access: Access, publicRead: boolean): boolean {
  if (access === 'public') return true;
  if (access === 'read') return publicRead || caller.user !== null;
  return caller.user !== null && ROLE_RANK[caller.user.role] >= ROLE_RANK[access];
}

/** A sliding-window limit: at most `max` events a key in `windowMs`. */
export class RateLimiter {
  /** Per key: the window's start, hits in it, and hits in the window before. */
  private readonly hits = new Map<string, { start: number; now: number; before: number }>();
  private sinceSweep = 0;
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}
  /**
   * A sliding window counted in two fixed ones (the current and the one before, weighted by how much of
   * it still overlaps): constant time and memory per key, whatever the limit.
   */
  take(key: string, now = Date.now()): boolean {
    const w = this.windowMs;
    let h = this.hits.get(key);
    if (!h) this.hits.set(key, (h = { start: now - (now % w), now: 0, before: 0 }));
    const start = now - (now % w);
    if (start !== h.start) {
      h.before = start - h.start === w ? h.now : 0;
      h.now = 0;
      h.start = start;
    }
    const estimate = h.before * (1 - (now - start) / w) + h.now;
    if (estimate >= this.max) return false;
    h.now++;
    // Forget quiet keys now and then (not on every request: under many addresses that would be a scan each).
    if (this.hits.size > 10_000 && ++this.sinceSweep >= 1000) {
      this.sinceSweep = 0;
      for (const [k, v] of this.hits) if (now - v.start >= 2 * w) this.hits.delete(k);
    }
    return true;
  }
}

/**
 * Per-account sign-in backoff, beside the per-address limit: after `free` failed attempts in a row on one
 * account name, each further attempt waits 1 s, 2 s, 4 s … (doubling) after the last failure, at most
 * `maxMs` (60 s), so that a guesser gets about one try a minute while the owner is never kept out longer
 * than a minute. Keyed by the name given, whether an account has it or not (the answer says nothing about
 * which exist). An attempt under way counts, so parallel guesses cannot slip through together. A success
 * clears the account; one left alone for `forgetMs` (15 min) starts afresh.
 */
export class SignInBackoff {
  private readonly accounts = new Map<string, { failures: number; pending: number; next: number; last: number }>();
  constructor(
    readonly free = 5,
    readonly baseMs = 1000,
    readonly maxMs = 60_000,
    readonly forgetMs = 15 * 60_000,
  ) {}
  /** The wait after the n-th failure beyond the free ones (n ≥ 1). */
  delay(n: number): number {
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(n - 1, 30));
  }
  private key = (name: string): string => name.normalize('NFC').toLowerCase();
  /** 0: the attempt may go ahead (settle it after); else the milliseconds to wait. */
  take(name: string, now = Date.now()): number {
    const k = this.key(name);
    let a = this.accounts.get(k);
    if (a && a.pending === 0 && now - a.last >= this.forgetMs) a = undefined;
    a ??= { failures: 0, pending: 0, next: 0, last: now };
    const tries = a.failures + a.pending;
    if (tries >= this.free && now < a.next) return a.next - now;
    a.pending++;
    // Until this one is settled, the next waits as if it had failed.
    if (tries >= this.free) a.next = now + this.delay(tries - this.free + 1);
    this.accounts.delete(k); // re-inserted last: the map stays in order of use, oldest first
    this.accounts.set(k, a);
    // Bounded memory under a spray of names: past 50,000 the oldest idle ones go first.
    if (this.accounts.size > 50_000) {
      for (const [old, v] of this.accounts) {
        if (this.accounts.size <= 40_000) break;
        if (v.pending === 0) this.accounts.delete(old);
      }
    }
    return 0;
  }
  /** The end of an attempt `take` let through: signed in, refused, or (null) neither (the store failed). */
  settle(name: string, ok: boolean | null, now = Date.now()): void {
    const k = this.key(name);
    const a = this.accounts.get(k);
    if (!a) return;
    a.pending = Math.max(0, a.pending - 1);
    if (ok === null) return;
    if (ok) return void this.accounts.delete(k);
    a.failures++;
    a.last = now;
    if (a.failures >= this.free) a.next = Math.max(a.next, now + this.delay(a.failures - this.free + 1));
  }
}
