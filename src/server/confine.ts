/**
 * Paths that come from a request never leave the folders an administrator allowed. A path is resolved
 * (relative to the first allowed folder), symbolic links followed, and the real file must lie inside a
 * real allowed folder: "../", absolute paths elsewhere, NUL bytes and links pointing out are refused.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.js';

export function confinePath(requested: string, allowed: readonly string[]): string {
  if (!allowed.length) throw new UsageError('this server takes no file paths: start it with --import-dir DIR (or send the file itself as "content")');
  if (requested.includes('\0')) throw new UsageError('path: must not contain NUL bytes');
  const roots = allowed.map((d) => realpathSync(d));
  const candidate = isAbsolute(requested) ? resolve(requested) : resolve(roots[0]!, requested);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw new UsageError(`path: no file "${requested}" in the import folders`);
  }
  if (!roots.some((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep))) throw new UsageError(`path: "${requested}" is outside the import folders this server allows`);
  if (!statSync(real).isFile()) throw new UsageError(`path: "${requested}" is not a file`);
  return real;
}
