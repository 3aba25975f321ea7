import { existsSync, mkdtempSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SHARED = join(ROOT, '..', 'shared');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const hasShared = existsSync(join(SHARED, 'data'));

/**
 * Tests on ../shared data skip on a user's machine without it, loudly; under CI=true a missing
 * ../shared is a failure, not a skip.
 */
export function requireShared(): boolean {
  if (hasShared) return true;
  if (process.env.CI === 'true') throw new Error(`../shared/data is missing at ${SHARED}: CI must run with shared/ beside the checkout`);
  console.warn(`SKIPPED: ../shared/data not found at ${SHARED}; tests on real data files did not run`);
  return false;
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
