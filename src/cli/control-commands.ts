/**
 * `frontline control …` and `frontline frontlines`: thin over the control engine (src/control/).
 * The JSON of `control at` is a contract scripts rely on (docs/control.md); fields are only ever added.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { isIsoDate, addDays, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { CONTROL_STATUSES, ControlObservationSchema, type ControlStatus } from '../core/schemas.js';
import { areaFeatures, contestedFeatures, collection, diffFeatures, frontLineFeatures, placeFeatures, zoneFeatures } from '../control/geojson.js';
import { loadControlModel } from '../control/load.js';
import { controlReport } from '../control/report.js';
import type { ControlModel } from '../control/model.js';
import { csvLine } from '../io/csv.js';
import type { Store } from '../store/store.js';
import { resolveBloc } from '../core/lookup.js';
import { dateOrLatest } from './dates.js';
import { table } from './table.js';

interface Io {
  open: (cmd: Command) => Promise<Store>;
  print: (s: string) => void;
  err: NodeJS.WritableStream;
  /** Standard output is a terminal: tables and summaries; else (a pipe, a file) the data formats. */
  tty?: boolean;
}

/** A progress bar on standard error, only on a terminal (null elsewhere: pipes and logs stay clean). */
function progressBar(io: Io, label: string): cliProgress.SingleBar | null {
  const stream = io.err as NodeJS.WriteStream;
  return stream.isTTY ? new cliProgress.SingleBar({ format: `{bar} {percentage}% | {value}/{total} ${label}`, stream, clearOnComplete: true }, cliProgress.Presets.shades_classic) : null;
}

const r1 = (x: number): number => Math.round(x * 10) / 10;

function date(value: string, what: string): IsoDate {
  if (!isIsoDate(value)) throw new UsageError(`${what} "${value}" is not a date as YYYY-MM-DD`);
  return value;
}

interface ModelOpts {
  scenario?: string;
  resolution?: string;
  radius?: string;
  method?: string;
}
const modelOptions = (c: Command): Command =>
  c
    .option('--scenario <id>', "apply a scenario's control overrides")
    .option('--resolution <n>', 'H3 resolution of the area cells (5: ~250 km², 6: ~36 km², 7: ~5 km²)', '7')
    .option('--method <m>', 'cost-distance (every cell to the place that reaches it first over the movement surface) or nearest (the nearest place within --radius)', 'cost-distance')
    .option('--radius <km>', 'events: the nearest place within this attributes them; --method nearest: land farther than this is unassigned', '30');

async function model(io: Io, cmd: Command, o: ModelOpts): Promise<ControlModel> {
  const resolution = Number(o.resolution ?? 7);
  const method = o.method ?? 'cost-distance';
  if (method !== 'cost-distance' && method !== 'nearest') throw new UsageError(`--method ${o.method}: use cost-distance or nearest`);
  const radiusKm = Number(o.radius ?? 30);
  if (!Number.isInteger(resolution) || resolution < 3 || resolution > 9) throw new UsageError(`--resolution ${o.resolution}: use a whole number from 3 to 9`);
  if (!(radiusKm > 0)) throw new UsageError(`--radius ${o.radius}: use a distance in km above 0`);
  return loadControlModel((await io.open(cmd)), { resolution, radiusKm, method, ...(o.scenario ? { scenario: o.scenario } : {}) });
}

/** The date given, or the store's last day of data; warnings (on stderr) for a date outside the data. */
async function dateArg(io: Io, cmd: Command, d: string | undefined, what: string): Promise<{ date: IsoDate; warnings: string[] }> {
  const r = await dateOrLatest(await io.open(cmd), d, what);
  for (const w of r.warnings) io.err.write(`warning: ${w}\n`);
  return r;
}

export function registerControlCommands(program: Command, io: Io): void {
  const control = program.command('control').description('who holds what: control of places and areas on a date, diffs, series, edits');

  modelOptions(
    control
      .command('at')
      .description('control on a date: places, population and area per bloc, unassigned land')
      .argument('[date]', "YYYY-MM-DD (default: the store's last day of data)")
      .option('--bloc <id>', 'only this bloc')
      .option('--json', 'machine-readable output (a stable contract)')
      .option('--geojson', 'areas, front lines, zones and places as a GeoJSON FeatureCollection'),
  ).action(async (d: string | undefined, o: ModelOpts & { bloc?: string; json?: boolean; geojson?: boolean }, cmd: Command) => {
    const { date: at, warnings } = await dateArg(io, cmd, d, 'date');
    const m = await model(io, cmd, o);
    const bloc = o.bloc ? resolveBloc(m.blocs, o.bloc, '--bloc') : undefined;
    const s = m.stateAt(at);
    const blocs = s.blocs.filter((b) => (b.places || b.areaKm2) && (!bloc || b.bloc === bloc));
    if (o.geojson) {
      io.print(collection([...areaFeatures(m, s, bloc), ...(bloc ? [] : contestedFeatures(m, s)), ...frontLineFeatures(m.frontLines(s), at), ...zoneFeatures(m, s), ...placeFeatures(m, s, bloc)], { kind: 'control', date: at, warnings }));
      return;
    }
    const conflicts = m.timeline.conflicts.filter((c) => c.date <= at);
    if (o.json) {
      io.print(JSON.stringify({ ...controlReport(m, at, bloc), warnings }, null, 2));
      return;
    }
    io.print(`Control on ${at} (land ${Math.round(s.landKm2).toLocaleString('en-US')} km²; method ${m.method}, cells: H3 resolution ${m.grid.resolution}${m.method === 'nearest' ? `, radius ${m.radiusKm} km` : ''})`);
    const rows = [...blocs.map((b) => [b.name, b.places, b.population, Math.round(b.areaKm2)]), ['Unassigned land', null, null, Math.round(s.unassignedKm2)]];
    for (const line of table(['bloc', 'places', 'people', 'km²'], rows, { indent: '  ', align: ['left', 'right', 'right', 'right'] })) io.print(line);
    if (conflicts.length) io.print(`  ${conflicts.length} same-day disagreements between sources were resolved by rule (see --json "conflicts")`);
  });

  modelOptions(
    control
      .command('diff')
      .description('what changed between two dates: places, population and area gained and lost per bloc, front-line length')
      .argument('<from>', 'YYYY-MM-DD')
      .argument('<to>', 'YYYY-MM-DD')
      .option('--json', 'machine-readable output')
      .option('--geojson', 'the land that changed hands, as polygons'),
  ).action(async (a: string, b: string, o: ModelOpts & { json?: boolean; geojson?: boolean }, cmd: Command) => {
    const warnings = [...(await dateArg(io, cmd, a, 'from')).warnings, ...(await dateArg(io, cmd, b, 'to')).warnings];
    const m = await model(io, cmd, o);
    const sa = m.stateAt(date(a, 'from')), sb = m.stateAt(date(b, 'to'));
    const d = m.diff(sa, sb);
    if (o.geojson) {
      io.print(collection(diffFeatures(m, d), { kind: 'control-diff', from: d.from, to: d.to }));
      return;
    }
    const name = new Map(m.places.map((p) => [p.id, p.name]));
    const shaped = { ...d, changes: d.changes.map(({ cells: _c, ...c }) => ({ ...c, areaKm2: r1(c.areaKm2) })), blocs: d.blocs.map((x) => ({ ...x, areaGainedKm2: r1(x.areaGainedKm2), areaLostKm2: r1(x.areaLostKm2) })) };
    if (o.json) {
      io.print(JSON.stringify({ ...shaped, warnings }, null, 2));
      return;
    }
    const blocName = new Map(m.blocs.map((x) => [x.id, x.name]));
    io.print(`Changes from ${d.from} to ${d.to}`);
    for (const x of d.blocs) {
      io.print(`  ${blocName.get(x.bloc) ?? x.bloc}: +${x.placesGained.length} places (+${x.populationGained.toLocaleString('en-US')} people, +${Math.round(x.areaGainedKm2)} km²), -${x.placesLost.length} places (-${x.populationLost.toLocaleString('en-US')} people, -${Math.round(x.areaLostKm2)} km²)`);
      if (x.placesGained.length) io.print(`    gained: ${x.placesGained.map((p) => name.get(p) ?? p).join(', ')}`);
    }
    for (const f of d.frontLines) io.print(`  front ${f.sides.map((x) => blocName.get(x) ?? x).join(' / ')}: ${Math.round(f.fromKm)} km -> ${Math.round(f.toKm)} km`);
  });

  modelOptions(
    control
      .command('series')
      .description('places, population and area under each bloc, step by step over a range')
      .argument('<from>', 'YYYY-MM-DD')
      .argument('<to>', 'YYYY-MM-DD')
      .option('--step <step>', 'day, week or a number of days', 'week')
      .option('--json', 'machine-readable output')
      .option('--csv', 'CSV: date,bloc,places,population,areaKm2')
      .option('--no-progress', 'no progress bar'),
  ).action(async (a: string, b: string, o: ModelOpts & { step: string; json?: boolean; csv?: boolean; progress: boolean }, cmd: Command) => {
    const step = o.step === 'day' ? 1 : o.step === 'week' ? 7 : Number(o.step);
    if (!Number.isInteger(step) || step < 1) throw new UsageError(`--step "${o.step}": use day, week or a whole number of days`);
    const from = date(a, 'from'), to = date(b, 'to');
    if (from > to) throw new UsageError(`the range ${from} to ${to} runs backwards`);
    await dateArg(io, cmd, to, 'to');
    const m = await model(io, cmd, o);
    // Date by date, so that a long series shows its progress (on a terminal).
    const dates: IsoDate[] = [];
    for (let x = from; x <= to; x = addDays(x, step)) dates.push(x);
    const bar = o.progress ? progressBar(io, 'dates') : null;
    bar?.start(dates.length, 0);
    const rows = dates.flatMap((x, i) => {
      bar?.update(i + 1);
      return m.series(x, x, 1);
    }).map((r) => ({ ...r, areaKm2: r1(r.areaKm2) }));
    bar?.stop();
    if (o.json) io.print(JSON.stringify(rows, null, 2));
    else if (o.csv) {
      io.print(csvLine(['date', 'bloc', 'places', 'population', 'areaKm2']).trimEnd());
      for (const r of rows) io.print(csvLine([r.date, r.bloc, r.places, r.population, r.areaKm2]).trimEnd());
    } else {
      const blocName = new Map(m.blocs.map((x) => [x.id, x.name]));
      const tableRows = rows.map((r) => [r.date, r.bloc === 'unassigned' ? 'Unassigned land' : (blocName.get(r.bloc) ?? r.bloc), r.places, r.population, Math.round(r.areaKm2)]);
      for (const line of table(['date', 'bloc', 'places', 'people', 'km²'], tableRows, { align: ['left', 'left', 'right', 'right', 'right'] })) io.print(line);
    }
  });

  control
    .command('add')
    .description('record a control observation (a new version of the timeline; nothing is overwritten)')
    .requiredOption('--place <id>', 'the place id')
    .requiredOption('--actor <id>', 'the actor holding it')
    .requiredOption('--from <YYYY-MM-DD>', 'since when')
    .requiredOption('--source <name>', 'where this comes from (publisher, report)')
    .option('--status <status>', CONTROL_STATUSES.join('|'), 'held')
    .option('--url <url>', "the source's address")
    .option('--confidence <0-1>', 'how far you trust it', '0.8')
    .option('--id <id>', 'an id (default: made from place and date)')
    .option('--notes <text>', 'notes')
    .action(async (o: { place: string; actor: string; from: string; source: string; status: string; url?: string; confidence: string; id?: string; notes?: string }, cmd: Command) => {
      const store = await io.open(cmd);
      if (!(await store.getPlace(o.place))) throw new UsageError(`no place "${o.place}": see frontline places --name …`);
      if (!(await store.listActors()).some((x) => x.id === o.actor)) throw new UsageError(`no actor "${o.actor}" in the store`);
      const by = process.env.USER ?? 'cli';
      const parsed = ControlObservationSchema.safeParse({
        id: o.id ?? `${o.place}-${date(o.from, '--from')}-${o.actor}`,
        place: o.place,
        actor: o.actor,
        status: o.status as ControlStatus,
        from: o.from,
        source: { name: o.source, ...(o.url ? { url: o.url } : {}) },
        confidence: Number(o.confidence),
        ...(o.notes ? { notes: o.notes } : {}),
        provenance: { kind: 'user', user: by, at: new Date().toISOString() },
      });
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const r = await store.putControlObservations([parsed.data], { by });
      io.print(`${r.created ? 'recorded' : r.updated ? 'updated' : 'unchanged'}: ${parsed.data.id}`);
    });

  control
    .command('retract')
    .description('retract a control observation, with a reason (it stays in the history)')
    .argument('<id>', 'the observation id')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, o: { reason: string }, cmd: Command) => {
      await (await io.open(cmd)).retractControlObservation(id, { by: process.env.USER ?? 'cli', reason: o.reason });
      io.print(`retracted: ${id}`);
    });

  modelOptions(
    program
      .command('frontlines')
      .description('front lines on a date: boundaries between areas of hostile blocs, with their sides and length')
      .argument('[date]', "YYYY-MM-DD (default: the store's last day of data)")
      .option('--geojson', 'GeoJSON lines (the default when standard output is not a terminal)')
      .option('--json', 'sides and lengths only'),
  ).action(async (d: string | undefined, o: ModelOpts & { json?: boolean; geojson?: boolean }, cmd: Command) => {
    const { date: at, warnings } = await dateArg(io, cmd, d, 'date');
    const m = await model(io, cmd, o);
    const lines = m.frontLines(m.stateAt(at));
    if (o.json) io.print(JSON.stringify(lines.map((f) => ({ sides: f.sides, names: f.names, lengthKm: r1(f.lengthKm) })), null, 2));
    else if (o.geojson || !io.tty) io.print(collection(frontLineFeatures(lines, at), { kind: 'front-lines', date: at, warnings }));
    else {
      // On a terminal: what a person reads (the GeoJSON is for files and pipes).
      io.print(`Front lines on ${at}: ${lines.length}, ${Math.round(lines.reduce((a, f) => a + f.lengthKm, 0)).toLocaleString('en-US')} km in all`);
      for (const line of table(['between', 'and', 'km', 'pieces'], lines.map((f) => [f.names[0] ?? f.sides[0], f.names[1] ?? f.sides[1], Math.round(f.lengthKm), f.lines.length]), { indent: '  ' })) io.print(line);
      io.print('  (GeoJSON: --geojson, or pipe the output to a file)');
    }
  });
}
