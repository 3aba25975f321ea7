/**
 * `frontline users …` (accounts for the team server), `frontline audit` (who wrote what, when) and
 * `frontline settings read public|private`. Passwords come from standard input or $FRONTLINE_PASSWORD,
 * never from the command line (it would stay in the shell's history and the process list).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { IdSchema, ROLES, type Role } from '../core/schemas.js';
import { hashPassword } from '../server/auth.js';
import type { Store } from '../store/store.js';
import type { RecordKind } from '../store/store.js';

interface Io {
  open: (cmd: Command) => Promise<Store>;
  print: (s: string) => void;
  err: NodeJS.WritableStream;
}

const by = (): string => process.env.FRONTLINE_USER ?? process.env.USER ?? 'cli';

function password(): string {
  const p = process.env.FRONTLINE_PASSWORD ?? (process.stdin.isTTY ? '' : readFileSync(0, 'utf8').split('\n')[0]!);
  if (!p) throw new UsageError('give the password on standard input (echo … | frontline users add …) or in $FRONTLINE_PASSWORD');
  if (p.length < 10) throw new UsageError('a password needs at least 10 characters');
  return p;
}

export function registerUserCommands(program: Command, io: Io): void {
  const users = program.command('users').description('accounts for the team server: viewer, analyst, admin').option('--json', 'machine-readable output').action(async (o: { json?: boolean }, cmd: Command) => {
    const list = (await (await io.open(cmd)).listUsers()).map((u) => ({ id: u.id, name: u.name, role: u.role, disabled: u.disabled }));
    if (o.json) return io.print(JSON.stringify(list, null, 2));
    if (!list.length) return io.print('no users: the server runs in personal mode (this machine only). Add the first admin: frontline users add ID --name NAME --admin');
    for (const u of list) io.print(`${u.id.padEnd(20)} ${u.role.padEnd(8)} ${u.name}${u.disabled ? '  (disabled)' : ''}`);
  });
  users
    .command('add')
    .description('add a user (the password is read from standard input or $FRONTLINE_PASSWORD)')
    .argument('<id>', 'the sign-in name')
    .requiredOption('--name <name>', 'the full name')
    .option('--role <role>', `${ROLES.join(', ')}`, 'viewer')
    .option('--admin', 'an administrator (same as --role admin)')
    .action(async (id: string, o: { name: string; role: string; admin?: boolean }, cmd: Command) => {
      const role = (o.admin ? 'admin' : o.role) as Role;
      if (!ROLES.includes(role)) throw new UsageError(`--role ${o.role}: use ${ROLES.join(', ')}`);
      if (!IdSchema.safeParse(id).success) throw new UsageError(`"${id}" is not a usable sign-in name (letters, digits and _ . : - /)`);
      const store = await io.open(cmd);
      const existing = await store.listUsers();
      if (!existing.length && role !== 'admin') throw new UsageError('the first user must be an admin (--admin): the admin adds the others');
      if (existing.some((u) => u.id === id)) throw new UsageError(`user "${id}" exists`);
      await store.putUsers([{ id, name: o.name, role, passwordHash: hashPassword(password()), disabled: false }], { by: by(), expectVersion: 0 });
      io.print(`${id}: added as ${role}${existing.length ? '' : ' (the server now asks everyone to sign in)'}`);
    });
  users
    .command('disable')
    .description('disable a user: their sessions end and their API tokens stop working')
    .argument('<id>', 'the user')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const store = await io.open(cmd);
      const u = await store.getUser(id);
      if (!u) throw new UsageError(`no user "${id}"`);
      await store.putUsers([{ ...u, disabled: true }], { by: by(), reason: 'disabled' });
      const s = await store.deleteSessions({ user: id });
      const t = await store.revokeTokens({ user: id });
      io.print(`${id}: disabled (${s} session${s === 1 ? '' : 's'} ended, ${t} token${t === 1 ? '' : 's'} revoked)`);
    });

  program
    .command('audit')
    .description('the audit trail: every write, newest first (who, when, which record and version, why)')
    .option('--limit <n>', 'how many', '50')
    .option('--kind <kind>', 'only this kind of record (event, place, control, zone, user, …)')
    .option('--by <user>', 'only writes by this user')
    .option('--before <time>', 'only writes before this ISO time (to page back)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nEach version of a record, with what it held, is shown by frontline history KIND ID.')
    .action(async (o: { limit: string; kind?: string; by?: string; before?: string; json?: boolean }, cmd: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${o.limit}: a whole number above 0`);
      const entries = await (await io.open(cmd)).listAudit({ limit, ...(o.kind ? { kind: o.kind as RecordKind } : {}), ...(o.by ? { by: o.by } : {}), ...(o.before ? { before: o.before } : {}) });
      if (o.json) return io.print(JSON.stringify(entries, null, 2));
      for (const e of entries) io.print(`${e.at}  ${e.by.padEnd(14)} ${e.op.padEnd(7)} ${e.kind} ${e.id} v${e.version}${e.reason ? `  — ${e.reason}` : ''}`);
    });

  program
    .command('settings')
    .description('instance settings: whether reading needs an account')
    .argument('<setting>', 'read')
    .argument('<value>', 'public or private')
    .action(async (setting: string, value: string, _o: unknown, cmd: Command) => {
      if (setting !== 'read' || !['public', 'private'].includes(value)) throw new UsageError('use: frontline settings read public|private');
      await (await io.open(cmd)).setMeta('settings.read', value);
      io.print(`reading is ${value}${value === 'private' ? ': viewers and above must sign in' : ''}`);
    });
}
