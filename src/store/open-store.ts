/**
 * Which store a command or server uses: PostgreSQL + PostGIS when FRONTLINE_DATABASE_URL (or --db) is a
 * postgres:// URL, else the embedded SQLite file. The PostGIS adapter is loaded only when asked for, so
 * a personal install never loads the PostgreSQL driver.
 */
import type { Store } from './store.js';

export const isPostgresUrl = (s: string): boolean => /^postgres(?:ql)?:\/\//i.test(s);

export async function openStore(where: string, options: { readonly?: boolean } = {}): Promise<Store> {
  if (isPostgresUrl(where)) {
    const { openPgStore } = await import('./postgis/pg-store.js');
    return openPgStore(where);
  }
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore(where, options);
}
