/**
 * Issue 15, item 7: a sign-in for an unknown or a disabled account does the same work as one with a wrong
 * password (one scrypt at the same cost, against a dummy hash), so its timing does not tell which accounts
 * exist. node:crypto's scryptSync is wrapped to count the calls and record their parameters; the timing
 * itself is compared too, loosely (the machine is shared).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const scrypts = vi.hoisted(() => ({ calls: [] as { keylen: number; options: unknown }[] }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  const scryptSync = (password: string, salt: Buffer, keylen: number, options: object) => {
    scrypts.calls.push({ keylen, options });
    return real.scryptSync(password, salt, keylen, options);
  };
  return { ...real, scryptSync, default: { ...real, scryptSync } };
});

const { createApp } = await import('../../src/server/app.js');
const { hashPassword } = await import('../../src/server/auth.js');
const { openSqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
const { listenLocal, tempDir } = await import('../helpers.js');

describe('sign-in work does not depend on whether the account exists', () => {
  let base: string;
  let close: () => Promise<void>;
  let store: ReturnType<typeof openSqliteStore>;
  beforeAll(async () => {
    store = openSqliteStore(join(tempDir('fl-login-timing-'), 't.db'));
    await store.putUsers(
      [
        { id: 'ada', name: 'Ada', role: 'admin', passwordHash: hashPassword('ada has a long passphrase'), disabled: false },
        { id: 'old', name: 'Old', role: 'viewer', passwordHash: hashPassword('old had a long passphrase'), disabled: true },
      ],
      { by: 'test' },
    );
    ({ base, close } = await listenLocal(createApp({ store, limits: { loginsPerMinute: 10_000 } })));
  });
  afterAll(async () => {
    await close?.();
    await store?.close();
  });

  const login = async (user: string, password: string): Promise<{ status: number; calls: typeof scrypts.calls; ms: number }> => {
    scrypts.calls.length = 0;
    const t = performance.now();
    const r = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password }) });
    await r.text();
    return { status: r.status, calls: [...scrypts.calls], ms: performance.now() - t };
  };

  it('verifies one scrypt hash, at the same cost, for a wrong password, an unknown account and a disabled one', async () => {
    await login('warm-up', 'any passphrase at all'); // the dummy hash is made on the first attempt
    const wrong = await login('ada', 'not the passphrase');
    const unknown = await login('nobody', 'not the passphrase');
    const disabled = await login('old', 'old had a long passphrase'); // the right password of a disabled account
    for (const r of [wrong, unknown, disabled]) expect(r.status).toBe(401);
    expect(wrong.calls).toHaveLength(1);
    expect(unknown.calls).toEqual(wrong.calls);
    expect(disabled.calls).toEqual(wrong.calls);
  });

  it('takes about as long for an unknown account as for a wrong password (medians of 5)', async () => {
    const median = async (user: string): Promise<number> => {
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await login(user, `wrong passphrase ${i}`);
        expect(r.status).toBe(401);
        ms.push(r.ms);
      }
      return ms.sort((a, b) => a - b)[2]!;
    };
    // Different accounts each time round, so the per-account backoff (5 free failures) never applies.
    const known: number[] = [];
    const unknown: number[] = [];
    for (const k of [0, 1]) {
      await store.putUsers([{ id: `k${k}`, name: 'K', role: 'viewer', passwordHash: hashPassword('k has a long passphrase'), disabled: false }], { by: 'test' });
      known.push(await median(`k${k}`));
      unknown.push(await median(`u${k}`));
    }
    const ratio = Math.min(...unknown) / Math.min(...known);
    // Without the dummy hash an unknown account answered in well under a tenth of the time.
    expect(ratio).toBeGreaterThan(0.5);
  }, 60_000);
});
