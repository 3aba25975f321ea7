/**
 * A throwaway PostgreSQL server for tests and benchmarks: initdb in a fresh folder, start on a private
 * port and socket, run SQL through psql, stop and delete. Run as root, the server runs as the postgres
 * user (PostgreSQL refuses root). Needs Debian's postgresql-15 (and the extensions a caller creates).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PgServer {
  /** Run SQL (several statements allowed) in `db` (default postgres); returns psql's unaligned, tuples-only output. */
  psql(sql: string, db?: string): string;
  /** A folder the server can read files from (for COPY … FROM). */
  dir: string;
  port: number;
  /** A connection URL for a database on this server (TCP on 127.0.0.1 when started with `tcp`, else its socket). */
  url(db: string): string;
  /** Stop the server as a crash would (immediate mode) and keep its files, to start it again. */
  halt(): void;
  /** Start a halted server again on the same port. */
  resume(): void;
  stop(): void;
}

/** What is missing to start a server with these extensions, or null when all is there. */
export function pgMissing(extensions: readonly string[] = []): string | null {
  if (!existsSync(`${PG_BIN}/postgres`)) return 'PostgreSQL 15 (Debian package postgresql-15)';
  for (const e of extensions) if (!existsSync(`/usr/share/postgresql/15/extension/${e}.control`)) return `the ${e} extension (Debian package ${e === 'pgrouting' ? 'postgresql-15-pgrouting' : 'postgresql-15-postgis-3'})`;
  return null;
}

export function startPg(options: { port?: number; settings?: Record<string, string>; tcp?: boolean } = {}): PgServer {
  const dir = mkdtempSync(join(tmpdir(), 'frontline-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]): string => {
    const [c, a] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    return execFileSync(c, a, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  };
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  mkdirSync(join(dir, 'sock'), { recursive: true });
  if (asRoot) execFileSync('chown', ['postgres:postgres', join(dir, 'sock')]);
  const port = String(options.port ?? 54000 + Math.floor(Math.random() * 1000));
  run(`${PG_BIN}/initdb`, ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const settings = Object.entries({ fsync: 'off', ...(options.settings ?? {}) }).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  const listen = options.tcp ? '127.0.0.1' : "''";
  const start = (): void => void run(`${PG_BIN}/pg_ctl`, ['-D', `${dir}/data`, '-o', `-p ${port} -k ${dir}/sock -c listen_addresses=${listen} ${settings}`, '-l', `${dir}/log.txt`, '-w', 'start']);
  const halt = (): void => {
    const args = ['-D', `${dir}/data`, '-m', 'immediate', 'stop'];
    spawnSync(asRoot ? 'runuser' : `${PG_BIN}/pg_ctl`, asRoot ? ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, ...args] : args);
  };
  start();
  return {
    dir,
    port: Number(port),
    psql: (sql: string, db = 'postgres') => run('psql', ['-h', `${dir}/sock`, '-p', port, '-U', 'postgres', '-d', db, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', sql]),
    url: (db: string) => (options.tcp ? `postgres://postgres@127.0.0.1:${port}/${db}` : `postgres://postgres@localhost:${port}/${db}?host=${encodeURIComponent(`${dir}/sock`)}`),
    halt,
    resume: start,
    stop: () => {
      halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
