/**
 * `frontline roads …` and `frontline race`: thin over src/routing/. The JSON of `race` is a contract
 * (docs/routing.md): fields are only ever added.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, isIsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { foldName } from '../core/names.js';
import { resolveBloc, resolveObjectivePlace } from '../core/lookup.js';
import { dateOrLatest } from './dates.js';
import { findScenario, loadControlModel } from '../control/load.js';
import type { Scenario } from '../core/schemas.js';
import { graphBytes } from '../routing/graph.js';
import { exposureTo, positionsOf, withScenario } from '../routing/exposure.js';
import { arrivalMap, arrivalMapFeatures } from '../routing/arrival-map.js';
import { DEFAULT_RACE_PARAMETERS, RaceContext, runRace, type Objective, type RaceParameters } from '../routing/race.js';
import { backtest, calibrate, monthlyDates, trackRecord } from '../routing/history.js';
import { importRoads, loadRoads } from '../routing/roads-store.js';
import type { Store } from '../store/store.js';
import { isPostgresUrl } from '../store/open-store.js';
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';

interface Io {
  open: (cmd: Command) => Promise<Store>;
  print: (s: string) => void;
  err: NodeJS.WritableStream;
}

/**
 * The road cache of a store: beside a store file; for a server store, in the user's cache folder under a
 * name taken from its URL. An in-memory store gets none.
 */
export function roadsCacheFor(store: Store): string | undefined {
  if (store.location === ':memory:' || store.location === '') return undefined;
  if (!isPostgresUrl(store.location)) return `${store.location}.roads`;
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'frontline', `${createHash('sha256').update(store.location).digest('hex').slice(0, 16)}.roads`);
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** --advance bloc=km flags as rates. */
function parseAdvance(flags: readonly string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of flags) {
    const m = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)$/.exec(a);
    if (!m || Number(m[2]) <= 0) throw new UsageError(`--advance "${a}": write bloc=km a day, e.g. government=4`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

export function registerRaceCommands(program: Command, io: Io): void {
  const roads = program.command('roads').description('the road network races run on (OSM extracts, or the demo network)');
  roads
    .command('import')
    .description('build the road graph from an OSM extract (.osm.pbf, .osm, .osm.gz) or GeoJSON lines with a highway property')
    .argument('<file>', 'the road file')
    .option('--json', 'machine-readable summary')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, o: { json?: boolean; progress: boolean }, cmd: Command) => {
      const store = await io.open(cmd);
      const cache = roadsCacheFor(store);
      if (!cache) throw new UsageError('an in-memory store cannot keep a road network: give --db a file');
      const bar = o.progress && (io.err as NodeJS.WriteStream).isTTY ? new cliProgress.SingleBar({ format: '{bar} {percentage}% | reading roads', stream: io.err as NodeJS.WriteStream }, cliProgress.Presets.shades_classic) : null;
      bar?.start(100, 0);
      let r;
      try {
        r = await importRoads(store, file, cache, (done, total) => bar?.update(Math.floor((done / total) * 100)));
      } finally {
        bar?.stop();
      }
      if (o.json) return io.print(JSON.stringify(r, null, 2));
      io.print(`road graph from ${file}: ${r.nodes.toLocaleString('en-US')} junctions, ${r.edges.toLocaleString('en-US')} directed edges, ${(r.bytes / 1e6).toFixed(1)} MB (${r.bytesPerEdge} bytes an edge), ${r.seconds.toFixed(2)} s`);
      io.print(`  read: ${r.osm.nodes.toLocaleString('en-US')} nodes, ${r.osm.ways.toLocaleString('en-US')} ways (${r.osm.highwayWays.toLocaleString('en-US')} with a highway tag, ${r.build.waysKept.toLocaleString('en-US')} drivable), ${r.osm.relations.toLocaleString('en-US')} relations`);
      if (r.build.missingNodeRefs) io.err.write(`  warning: ${r.build.missingNodeRefs} node references are not in the file (an extract cut by a box); ${r.build.waysCutAtMissingNodes} ways were cut there\n`);
    });
  roads
    .command('info')
    .description('the road network in the store')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const t = performance.now();
      const { graph, meta, cache } = await loadRoads((await io.open(cmd)));
      const info = { cache, source: meta.source, builtAt: meta.builtAt, nodes: graph.nodeCount, edges: graph.edgeCount, bytes: graphBytes(graph), loadMs: Math.round((performance.now() - t) * 10) / 10 };
      if (o.json) return io.print(JSON.stringify({ ...info, meta }, null, 2));
      io.print(`${info.source} (built ${info.builtAt}): ${info.nodes.toLocaleString('en-US')} junctions, ${info.edges.toLocaleString('en-US')} directed edges, ${(info.bytes / 1e6).toFixed(1)} MB, loaded in ${info.loadMs} ms from ${cache}`);
    });

  const race = program
    .command('race')
    .description('who reaches each objective first, from the front lines of a date, under rules of engagement (also: race calibrate, race backtest)')
    .option('--date <YYYY-MM-DD>', "the situation to start from (default: the store's last day of data)")
    .option('--objective <name|lon,lat>', 'an objective: a place or objective name or id, or a point (repeatable; default: the store’s objectives)', collect)
    .option('--objectives <file>', 'objectives from a GeoJSON file of points named by their "name" property')
    .option('--bloc <id>', 'only these blocs race (repeatable; default: every bloc holding places)', collect)
    .option('--advance <bloc=km>', 'advance rate through hostile land, km a day (repeatable; default 5)', collect)
    .option('--contested-factor <n>', 'driving through contested land takes n times longer', String(DEFAULT_RACE_PARAMETERS.contestedFactor))
    .option('--deconflicted-penalty <days>', 'let blocs cross deconflicted land at this many extra days (default: closed)')
    .option('--scenario <id|file>', "a what-if: apply a scenario's overrides (control, relations, advance rates, positions)")
    .option('--compare <id|file>', 'run the race again under this scenario and show both side by side')
    .option('--json', 'the result as JSON (a stable contract)')
    .option('--geojson', 'routes as GeoJSON lines, objectives as points')
    .option('--isochrones <days>', 'with --geojson: where each bloc can be within these days, e.g. 1,3,7,30')
    .action(async (o: { date?: string; objective?: string[]; objectives?: string; bloc?: string[]; advance?: string[]; contestedFactor: string; deconflictedPenalty?: string; scenario?: string; compare?: string; json?: boolean; geojson?: boolean; isochrones?: string }, cmd: Command) => {
      const thresholds = o.isochrones === undefined ? [] : o.isochrones.split(',').map(Number);
      if (thresholds.some((t) => !(t > 0))) throw new UsageError(`--isochrones "${o.isochrones}": give days above 0, separated by commas, e.g. 1,3,7,30`);
      const store = await io.open(cmd);
      const { date, warnings } = await dateOrLatest(store, o.date, '--date');
      for (const w of warnings) io.err.write(`warning: ${w}\n`);
      const params: RaceParameters = { ...DEFAULT_RACE_PARAMETERS, advanceKmPerDay: {} };
      Object.assign(params.advanceKmPerDay, parseAdvance(o.advance));
      params.contestedFactor = Number(o.contestedFactor);
      if (!(params.contestedFactor >= 1)) throw new UsageError(`--contested-factor ${o.contestedFactor}: use a number of at least 1`);
      if (o.deconflictedPenalty !== undefined) {
        params.deconflictedPenaltyDays = Number(o.deconflictedPenalty);
        if (!(params.deconflictedPenaltyDays >= 0)) throw new UsageError(`--deconflicted-penalty ${o.deconflictedPenalty}: use a number of days, 0 or more`);
      }
      const stored = await store.listScenarios();
      const scenario = o.scenario ? findScenario(o.scenario, stored) : undefined;
      const [{ graph }, model] = await Promise.all([loadRoads(store), loadControlModel(store, scenario ? { scenario } : {})]);
      // Blocs by id or name, any case; an unknown one names the close ones.
      const raceBlocs = o.bloc?.map((b) => resolveBloc(model.blocs, b, '--bloc'));
      params.advanceKmPerDay = Object.fromEntries(Object.entries(params.advanceKmPerDay).map(([k, v]) => [resolveBloc(model.blocs, k, '--advance'), v]));
      const objectives = await resolveObjectives(store, o.objective ?? [], o.objectives);
      const go = (m: typeof model, sc: Scenario | undefined, cells: boolean) =>
        runRace(new RaceContext(graph, m), date, objectives, withScenario(params, sc), { ...(raceBlocs ? { blocs: raceBlocs } : {}), cells, positions: positionsOf(sc) });
      const { cellDays, ...result } = go(model, scenario, Boolean(o.geojson));
      if (o.compare) {
        const other = findScenario(o.compare, stored);
        const { cellDays: _unused, ...there } = go(await loadControlModel(store, { scenario: other }), other, false);
        const comparison = {
          scenario: scenario?.id ?? null,
          compareWith: other.id,
          objectives: result.objectives.map((r, i) => {
            const t = there.objectives[i]!;
            return {
              objective: r.objective,
              winner: r.winner,
              winnerThere: t.winner,
              marginDays: r.marginDays,
              marginDaysThere: t.marginDays,
              arrivals: r.arrivals.map((a) => ({ bloc: a.bloc, days: a.days, daysThere: t.arrivals.find((x) => x.bloc === a.bloc)?.days ?? null })),
            };
          }),
        };
        if (o.json) return io.print(JSON.stringify({ ...result, comparison, compared: there }, null, 2));
        io.print(`Race from ${date}: ${scenario ? `scenario ${scenario.id}` : 'as recorded'} | scenario ${other.id}`);
        for (const c of comparison.objectives) {
          const flip = c.winner !== c.winnerThere ? '  <- changes' : '';
          io.print(`  ${c.objective.padEnd(34)} first: ${(c.winner ?? 'nobody').padEnd(12)} | ${(c.winnerThere ?? 'nobody').padEnd(12)}${flip}`);
        }
        return;
      }
      if (o.json) return io.print(JSON.stringify(result, null, 2));
      if (o.geojson) {
        // Who gets where first and the fronts between them always; isochrones when asked for.
        const features = [
          ...(cellDays ? arrivalMapFeatures(arrivalMap(model, cellDays, thresholds)) : []),
          ...result.objectives.flatMap((r, i) => [
          { type: 'Feature', geometry: { type: 'Point', coordinates: [objectives[i]!.lon, objectives[i]!.lat] }, properties: { kind: 'objective', objective: r.objective, holder: r.holder, winner: r.winner, marginDays: r.marginDays } },
          ...r.arrivals.filter((a) => a.route).map((a) => ({ type: 'Feature', geometry: a.route, properties: { kind: 'route', objective: r.objective, bloc: a.bloc, days: a.days } })),
          ]),
        ];
        return io.print(JSON.stringify({ type: 'FeatureCollection', frontline: { kind: 'race', date: result.date, parameters: result.parameters }, features }));
      }
      io.print(`Race from ${result.date} (advance ${params.defaultAdvanceKmPerDay} km/day unless set; contested ×${params.contestedFactor}; deconflicted ${params.deconflictedPenaltyDays === null ? 'closed' : `+${params.deconflictedPenaltyDays} days`})`);
      for (const r of result.objectives) {
        const times = r.arrivals.map((a) => `${a.bloc} ${a.days === null ? '—' : a.days === 0 ? 'holds it' : `${a.days.toFixed(1)} d`}`).join(', ');
        io.print(`  ${r.objective.padEnd(34)} held by ${(r.holder ?? 'nobody').padEnd(12)} first: ${(r.winner ?? 'nobody').padEnd(12)} ${r.marginDays === null ? '' : `by ${r.marginDays.toFixed(1)} d`}  (${times})`);
      }
      for (const [bloc, places] of Object.entries(result.starts)) if (!places.length) io.err.write(`  note: ${bloc} has no front line on ${result.date}\n`);
    });
  historyCommands(race, io);
}

/** A progress bar on standard error, on a terminal only. */
function progressBar(io: Io, label: string): cliProgress.SingleBar | null {
  const stream = io.err as NodeJS.WriteStream;
  return stream.isTTY ? new cliProgress.SingleBar({ format: `{bar} {percentage}% | {value}/{total} ${label}`, stream, clearOnComplete: true }, cliProgress.Presets.shades_classic) : null;
}

/** A scenario's advance-rate overrides on top of the parameters (flags given on the command line win). */
function historyCommands(race: Command, io: Io): void {
  const period = (from: string, to: string): [string, string] => {
    for (const d of [from, to]) if (!isIsoDate(d)) throw new UsageError(`"${d}" is not a date as YYYY-MM-DD`);
    if (from >= to) throw new UsageError(`the period ${from} to ${to} must run forwards`);
    return [from, to];
  };
  race
    .command('calibrate')
    .description('fit each bloc’s advance rate from history: how fast its control spread along roads between two dates')
    .argument('<from>', 'YYYY-MM-DD')
    .argument('<to>', 'YYYY-MM-DD')
    .option('--json', 'machine-readable output')
    .action(async (a: string, b: string, _o: unknown, cmd: Command) => {
      // Options shared with `race` (--json, --advance) land on whichever command commander gives them to.
      const o = cmd.optsWithGlobals<{ json?: boolean }>();
      const [from, to] = period(a, b);
      const store = await io.open(cmd);
      const [{ graph }, model] = await Promise.all([loadRoads(store), loadControlModel(store)]);
      const bar = progressBar(io, 'blocs fitted');
      let c;
      try {
        c = calibrate(new RaceContext(graph, model), from, to, DEFAULT_RACE_PARAMETERS, (done, total) => (done ? bar?.update(done) : bar?.start(total, 0)));
      } finally {
        bar?.stop();
      }
      if (o.json) return io.print(JSON.stringify(c, null, 2));
      io.print(`Advance rates from ${from} to ${to} (median of km advanced through others' land ÷ days, per place taken)`);
      for (const x of c.blocs) io.print(`  ${x.bloc.padEnd(12)} ${x.kmPerDay === null ? 'no sample' : `${x.kmPerDay} km/day (quartiles ${x.q25}–${x.q75})`}  from ${x.samples.length} of ${x.captures} places taken`);
      const flags = c.blocs.filter((x) => x.kmPerDay !== null).map((x) => `--advance ${x.bloc}=${x.kmPerDay}`).join(' ');
      if (flags) io.print(`  use: frontline race … ${flags}`);
    });
  race
    .command('backtest')
    .description('without dates: the race\'s track record, replayed monthly over the last six months of data against two baselines; with FROM TO: run the race from FROM and compare with who took what by TO')
    .argument('[from]', 'YYYY-MM-DD')
    .argument('[to]', 'YYYY-MM-DD')
    .option('--calibrate <from,to>', 'first fit the advance rates on this earlier period, then test with them')
    .option('--fit-window <days>', 'track record: fit each bloc\'s rate on this many days before each as-of date (0: no fitting)', '120')
    .option('--advance <bloc=km>', 'advance rate through hostile land, km a day (repeatable; default 5)', collect)
    .option('--json', 'machine-readable output')
    .action(async (a: string | undefined, b: string | undefined, _o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<{ calibrate?: string; fitWindow?: string; advance?: string[]; json?: boolean }>();
      if (a !== undefined && b === undefined) throw new UsageError('race backtest: give both FROM and TO, or neither (the monthly track record)');
      const store = await io.open(cmd);
      if (a === undefined || b === undefined) {
        const { date: last } = await dateOrLatest(store, undefined, 'the last day');
        const asOf = monthlyDates(addDays(last, -182), addDays(last, -30));
        const [{ graph }, model] = await Promise.all([loadRoads(store), loadControlModel(store)]);
        const params: RaceParameters = { ...DEFAULT_RACE_PARAMETERS, advanceKmPerDay: parseAdvance(o.advance) };
        params.advanceKmPerDay = Object.fromEntries(Object.entries(params.advanceKmPerDay).map(([k, v]) => [resolveBloc(model.blocs, k, '--advance'), v]));
        const fitWindow = Number(o.fitWindow ?? 120);
        if (!(fitWindow >= 0)) throw new UsageError(`--fit-window ${o.fitWindow}: a number of days, 0 for no fitting`);
        const t = trackRecord(new RaceContext(graph, model), asOf, last, params, fitWindow > 0 ? fitWindow : null);
        if (o.json) return io.print(JSON.stringify(t, null, 2));
        io.print(`Track record: as of ${asOf.join(', ')}; places that changed hands by ${last} (${t.items.length} forecasts)`);
        io.print(`  ${'forecaster'.padEnd(14)} ${'balanced acc.'.padEnd(14)} ${'Brier'.padEnd(7)} ${'median date error'.padEnd(18)} recall by bloc`);
        for (const [name, s] of Object.entries(t.scores)) {
          const rec = Object.entries(s.recallByBloc).map(([k, v]) => `${k} ${v}`).join(', ');
          io.print(`  ${name.padEnd(14)} ${String(s.balancedAccuracy ?? '—').padEnd(14)} ${String(s.brier ?? '—').padEnd(7)} ${(s.medianAbsErrorDays === null ? '—' : `${s.medianAbsErrorDays} d`).padEnd(18)} ${rec}`);
        }
        for (const f of t.fits) io.print(`  rates fitted on ${f.window[0]} .. ${f.window[1]}: ${f.fit.map((x) => `${x.bloc} ${x.kmPerDay}${x.source === 'pooled' ? ' (pooled)' : ` (${x.samples} samples)`}`).join(', ') || `none: ${params.defaultAdvanceKmPerDay} km/day`}`);
        return;
      }
      const [from, to] = period(a, b);
      const [{ graph }, model] = await Promise.all([loadRoads(store), loadControlModel(store)]);
      const ctx = new RaceContext(graph, model);
      const params: RaceParameters = { ...DEFAULT_RACE_PARAMETERS, advanceKmPerDay: {} };
      // Steps: each bloc fitted (with --calibrate), then the race itself.
      const bar = progressBar(io, 'steps (fitting blocs, then the race)');
      let r;
      try {
        let fitted = 0;
        if (o.calibrate) {
          const [cf, ct] = o.calibrate.split(',');
          const c = calibrate(ctx, ...period(cf ?? '', ct ?? ''), DEFAULT_RACE_PARAMETERS, (done, total) => (done ? bar?.update(done) : bar?.start(total + 1, 0)));
          fitted = c.blocs.length;
          for (const x of c.blocs) if (x.kmPerDay) params.advanceKmPerDay[x.bloc] = x.kmPerDay;
        } else bar?.start(1, 0);
        bar?.update(fitted);
        Object.assign(params.advanceKmPerDay, parseAdvance(o.advance));
        r = backtest(ctx, from, to, params);
        bar?.update(fitted + 1);
      } finally {
        bar?.stop();
      }
      if (o.json) return io.print(JSON.stringify(r, null, 2));
      const s = r.summary;
      io.print(`Backtest ${from} -> ${to}: ${s.changed} places changed hands; the race named the right bloc first for ${s.hits} (${s.accuracy === null ? '—' : `${Math.round(s.accuracy * 100)}%`})`);
      for (const [bloc, x] of Object.entries(s.byBloc)) io.print(`  taken by ${bloc.padEnd(12)} ${x.hits}/${x.changed} right (${Math.round(x.accuracy * 100)}%)`);
      io.print(`  date error where right: median ${s.medianAbsErrorDays ?? '—'} days, 90th percentile ${s.p90AbsErrorDays ?? '—'} days`);
      io.print(`  advance rates: ${Object.entries(params.advanceKmPerDay).map(([k, v]) => `${k} ${v}`).join(', ') || `${params.defaultAdvanceKmPerDay} km/day for all`}`);
    });
}

export function registerExposureCommand(program: Command, io: Io): void {
  program
    .command('exposure')
    .description("how soon each hostile bloc could reach each place a bloc holds (the race run the other way)")
    .requiredOption('--date <YYYY-MM-DD>', 'the situation to start from')
    .requiredOption('--bloc <id>', 'the bloc whose places are exposed')
    .option('--within <days>', 'only places some hostile bloc reaches within this many days')
    .option('--admin1 <name>', 'only places in this first-level division (e.g. Raqqa)')
    .option('--advance <bloc=km>', 'advance rate through hostile land, km a day (repeatable; default 5)', collect)
    .option('--scenario <id|file>', "a what-if: apply a scenario's overrides (e.g. coalition forces leave)")
    .option('--json', 'machine-readable output')
    .action(async (o: { date: string; bloc: string; within?: string; admin1?: string; advance?: string[]; scenario?: string; json?: boolean }, cmd: Command) => {
      if (!isIsoDate(o.date)) throw new UsageError(`--date "${o.date}" is not a date as YYYY-MM-DD`);
      const within = o.within === undefined ? Infinity : Number(o.within);
      if (!(within > 0)) throw new UsageError(`--within ${o.within}: a number of days above 0`);
      const store = await io.open(cmd);
      const scenario = o.scenario ? findScenario(o.scenario, await store.listScenarios()) : undefined;
      const [{ graph }, model] = await Promise.all([loadRoads(store), loadControlModel(store, scenario ? { scenario } : {})]);
      const bloc = resolveBloc(model.blocs, o.bloc, '--bloc');
      const params: RaceParameters = { ...DEFAULT_RACE_PARAMETERS, advanceKmPerDay: {} };
      Object.assign(params.advanceKmPerDay, parseAdvance(o.advance));
      const state = model.stateAt(o.date);
      const b = model.blocIds.indexOf(bloc);
      const held = model.places.filter((p, i) => state.placeBloc[i] === b && (!o.admin1 || foldName(p.admin1 ?? '') === foldName(o.admin1)));
      const targets = held.map((p) => ({ id: p.id, name: p.name, lon: p.lon, lat: p.lat, placeId: p.id }));
      const { hostile, rows: found } = exposureTo(new RaceContext(graph, model), o.date, bloc, targets, params, scenario);
      const rows = found.map((r, i) => ({ place: r.id, name: r.name, population: held[i]!.population, firstThreat: r.firstThreat, days: r.days, threats: r.threats }));
      const shown = rows.filter((r) => r.days !== null && r.days <= within).sort((x, y) => x.days! - y.days!);
      if (o.json) return io.print(JSON.stringify({ date: o.date, bloc, hostile, withinDays: Number.isFinite(within) ? within : null, parameters: params, places: shown }, null, 2));
      io.print(`Places held by ${model.blocNames[b] ?? bloc} on ${o.date} that ${hostile.join(', ') || 'no hostile bloc'} could reach${Number.isFinite(within) ? ` within ${within} days` : ''}: ${shown.length} of ${held.length}`);
      for (const r of shown) io.print(`  ${r.name.padEnd(30)} ${String(r.population ?? '').padStart(9)}  ${r.firstThreat} in ${r.days!.toFixed(1)} d`);
    });
}

async function resolveObjectives(store: Store, names: string[], file?: string): Promise<Objective[]> {
  const out: Objective[] = [];
  const [objectives, places] = await Promise.all([store.listObjectives(), store.listPlaces()]);
  const placeById = new Map(places.map((p) => [p.id, p]));
  const fromPlace = (name: string, placeId: string): Objective => {
    const p = placeById.get(placeId);
    if (!p) throw new UsageError(`objective "${name}" names place "${placeId}", which is not in the store`);
    return { name, lon: p.lon, lat: p.lat, placeId: p.id };
  };
  for (const raw of names) {
    const point = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw);
    if (point) {
      const lon = Number(point[1]), lat = Number(point[2]);
      if (lon < -180 || lon > 180 || lat < -90 || lat > 90) throw new UsageError(`--objective ${raw}: longitude,latitude out of range`);
      out.push({ name: raw, lon, lat });
      continue;
    }
    const hit = resolveObjectivePlace(objectives, places, raw, '--objective');
    out.push(fromPlace(hit.name, hit.place.id));
  }
  if (file) {
    let doc: { features?: { geometry?: { type?: string; coordinates?: unknown }; properties?: { name?: unknown } | null }[] };
    try {
      doc = JSON.parse(readFileSync(file, 'utf8')) as typeof doc;
    } catch (err) {
      throw new UsageError(`--objectives ${file}: not readable GeoJSON (${(err as Error).message})`);
    }
    (doc.features ?? []).forEach((feat, i) => {
      const c = feat.geometry?.coordinates as number[] | undefined;
      if (feat.geometry?.type !== 'Point' || !Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') throw new UsageError(`--objectives ${file}: feature ${i + 1} is not a Point`);
      const name = typeof feat.properties?.name === 'string' ? feat.properties.name : `objective ${i + 1}`;
      out.push({ name, lon: c[0], lat: c[1] });
    });
  }
  if (!out.length) {
    for (const o of objectives) if (o.place) out.push(fromPlace(o.name, o.place));
    if (!out.length) throw new UsageError('no objectives: give --objective NAME or LON,LAT, or --objectives FILE');
  }
  return out;
}
