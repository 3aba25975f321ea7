/**
 * `frontline actors …`: the alias table that maps the names sources use ("Military Forces of Syria
 * (2000-)", "IS") to actors, and through bloc membership to blocs. Users extend it here.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { buildAliasIndex, resolveActorName } from '../core/actors.js';
import { UsageError } from '../core/errors.js';
import { foldName } from '../core/names.js';
import { ActorSchema } from '../core/schemas.js';
import type { Store } from '../store/store.js';

interface Io {
  open: (cmd: Command) => Promise<Store>;
  print: (s: string) => void;
}

export function registerActorCommands(program: Command, io: Io): void {
  const actors = program
    .command('actors')
    .description('the actors and their aliases (how source names map to actors and blocs)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const store = await io.open(cmd);
      const [list, blocs] = await Promise.all([store.listActors(), store.listBlocs()]);
      if (o.json) return io.print(JSON.stringify(list, null, 2));
      const blocOf = new Map<string, string>();
      for (const b of blocs) for (const m of b.members) if (!blocOf.has(m.actor)) blocOf.set(m.actor, b.id);
      for (const a of list) io.print(`${a.id.padEnd(24)} ${(blocOf.get(a.id) ?? '-').padEnd(12)} ${a.name}${a.aliases.length ? `  (also: ${a.aliases.join('; ')})` : ''}`);
    });

  actors
    .command('alias')
    .description('add a spelling a source uses for an actor; the next imports resolve it')
    .argument('<actor>', 'the actor id')
    .argument('<alias...>', 'one or more names')
    .action(async (id: string, aliases: string[], _o: unknown, cmd: Command) => {
      const store = await io.open(cmd);
      const list = await store.listActors();
      const actor = list.find((a) => a.id === id);
      if (!actor) throw new UsageError(`no actor "${id}" (see frontline actors)`);
      const index = buildAliasIndex(list);
      for (const alias of aliases) {
        const owner = index.get(foldName(alias));
        if (owner && owner !== id) throw new UsageError(`"${alias}" already stands for actor "${owner}": remove it there first, or choose another spelling`);
      }
      const added = aliases.filter((a) => !actor.aliases.some((x) => foldName(x) === foldName(a)));
      if (added.length) await store.putActors([{ ...actor, aliases: [...actor.aliases, ...added] }], { by: process.env.USER ?? 'cli' });
      io.print(added.length ? `${id}: added ${added.map((a) => `"${a}"`).join(', ')}` : `${id}: nothing new`);
    });

  actors
    .command('import')
    .description('add or update actors from a JSON array (the shape of data/demo/actors.json)')
    .argument('<file>', 'a JSON file')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      let doc: unknown;
      try {
        doc = JSON.parse(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new UsageError(`${file}: cannot read it as JSON (${(err as Error).message})`);
      }
      const parsed = z.array(ActorSchema).safeParse(doc);
      if (!parsed.success) throw new UsageError(`${file}: ${parsed.error.issues.slice(0, 5).map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ')}`);
      const r = await (await io.open(cmd)).putActors(parsed.data, { by: process.env.USER ?? 'cli' });
      io.print(`${file}: ${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged`);
    });

  actors
    .command('resolve')
    .description('which actor a name from a source stands for')
    .argument('<name>', 'e.g. "Military Forces of Syria (2000-)"')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const id = resolveActorName(buildAliasIndex(await (await io.open(cmd)).listActors()), name);
      io.print(id ?? `no actor: add the spelling with frontline actors alias ACTOR "${name}"`);
    });
}
