/**
 * `frontline db migrate|backup|restore|copy`: the store's schema and its safekeeping, for both stores.
 * A backup is one gzip'd JSON Lines file (src/store/backup-format.ts) that either store restores; `copy`
 * moves a whole store into another (SQLite to PostgreSQL, for a team) and checks the copy row by row.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { backupStore, copyStore, restoreStore } from '../store/backup.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

interface Io {
  open: (cmd: Command) => Promise<Store>;
  print: (s: string) => void;
  err: NodeJS.WritableStream;
}

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
const describe = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, n]) => n)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ') || 'nothing';

/** Progress on standard error, one line rewritten in place on a terminal. */
function progressTo(err: NodeJS.WritableStream, verb: string): (table: string, rows: number) => void {
  const tty = (err as NodeJS.WriteStream).isTTY;
  let last = 0;
  return (table, rows) => {
    const t = Date.now();
    if (!tty || t - last < 200) return;
    last = t;
    err.write(`\r${verb} ${table}: ${rows} rows   `);
  };
}

export function registerDbCommands(program: Command, io: Io): void {
  const db = program.command('db').description('the store itself: schema migrations, backups, restores, and copying to another store (SQLite or PostgreSQL)');
  db.command('migrate')
    .description('bring the store (--db or $FRONTLINE_DATABASE_URL) up to this version\'s schema; opening a store does it too')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const store = await io.open(cmd);
      const version = await store.schemaVersion();
      io.print(o.json ? JSON.stringify({ store: store.location, kind: store.kind, schema: version }) : `${store.location}: schema at version ${version}`);
    });
  db.command('backup')
    .description('write every record, its history, the imports and the accounts to one file (gzip\'d JSON Lines), from one consistent snapshot; safe while the server runs')
    .option('--out <file>', 'the backup file (default: frontline-<date>-<time>.backup.jsonl.gz here)')
    .option('--json', 'machine-readable output')
    .action(async (o: { out?: string; json?: boolean }, cmd: Command) => {
      const file = o.out ?? `frontline-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}.backup.jsonl.gz`;
      if (existsSync(file)) throw new UsageError(`${file} exists: give another --out (a backup never overwrites one)`);
      const store = await io.open(cmd);
      const counts = await backupStore(store, file, progressTo(io.err, 'backing up'));
      io.err.write('\r');
      io.print(o.json ? JSON.stringify({ file, counts }) : `backed up ${store.location} to ${file}: ${total(counts)} rows (${describe(counts)})`);
    });
  db.command('restore')
    .description('restore a backup into an empty store (--db FILE or a postgres:// URL): all or nothing; a cut or altered file is refused')
    .argument('<file>', 'a file written by frontline db backup')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { json?: boolean }, cmd: Command) => {
      if (!existsSync(file)) throw new UsageError(`no file ${file}`);
      const store = await io.open(cmd);
      const counts = await restoreStore(store, file, progressTo(io.err, 'restoring'));
      io.err.write('\r');
      io.print(o.json ? JSON.stringify({ store: store.location, counts }) : `restored ${file} into ${store.location}: ${total(counts)} rows (${describe(counts)})`);
    });
  db.command('copy')
    .description('copy the whole store (--db) into another, empty one, and check the copy row by row: e.g. from the SQLite file to PostgreSQL when a team takes over')
    .requiredOption('--to <store>', 'the target: a SQLite file, or a postgres:// URL (its database must exist; its tables are made)')
    .option('--json', 'machine-readable output')
    .action(async (o: { to: string; json?: boolean }, cmd: Command) => {
      const from = await io.open(cmd);
      if (o.to === from.location) throw new UsageError('--to names the store being copied: give another');
      const to = await openStore(o.to);
      try {
        const r = await copyStore(from, to, progressTo(io.err, 'copying'));
        io.err.write('\r');
        io.print(o.json ? JSON.stringify({ from: from.location, to: to.location, ...r }) : `copied ${from.location} to ${to.location}: ${total(r.counts)} rows (${describe(r.counts)}); both hold the same rows (SHA-256 ${r.sha256.slice(0, 16)}…)`);
      } finally {
        await to.close();
      }
    });
}
