/**
 * `frontline stabilize …` (the board, areas, figures, councils, imports of humanitarian tables) and
 * `frontline brief` (HTML and PDF briefings). Thin over src/stabilize/ and src/io/stabilization-csv.ts.
 */
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { isIsoDate } from '../core/dates.js';
import { dateOrLatest } from './dates.js';
import { UsageError } from '../core/errors.js';
import { CouncilSchema, INDICATOR_KINDS, INDICATORS, IndicatorSchema, StabilizationAreaSchema, type IndicatorKind, type StabilizationArea } from '../core/schemas.js';
import { slugify } from '../core/names.js';
import { loadControlModel } from '../control/load.js';
import { csvLine } from '../io/csv.js';
import { importStabilizationTable, STABILIZATION_TABLES, type StabilizationTable } from '../io/stabilization-csv.js';
import { stabilizationBoard, type Board } from '../stabilize/board.js';
import { briefHtml, printPdf } from '../stabilize/brief.js';
import { parseWeights, TERMS } from '../stabilize/priorities.js';
import type { Store } from '../store/store.js';

interface Io {
  open: (cmd: Command) => Promise<Store>;
  print: (s: string) => void;
  err: NodeJS.WritableStream;
}

const by = (): string => process.env.FRONTLINE_USER ?? process.env.USER ?? 'cli';
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function dateOf(s: string | undefined, flag: string): string {
  if (!s) throw new UsageError(`${flag} YYYY-MM-DD is needed`);
  if (!isIsoDate(s)) throw new UsageError(`${flag} "${s}" is not a date as YYYY-MM-DD`);
  return s;
}

function weightsOf(spec: string | undefined): ReturnType<typeof parseWeights> {
  try {
    return parseWeights(spec);
  } catch (err) {
    throw new UsageError(`--weights: ${(err as Error).message}`);
  }
}

/** The board on the date given, or on the store's last day of data; a date past the data is said on stderr. */
async function board(store: Store, o: { date?: string; weights?: string; withdraw?: string; area?: string[]; window?: string; exposure?: boolean }, err: NodeJS.WritableStream): Promise<Board & { warnings: string[] }> {
  const windowDays = o.window === undefined ? 90 : Number(o.window);
  if (!(windowDays > 0)) throw new UsageError(`--window ${o.window}: a number of days above 0`);
  const { date, warnings } = await dateOrLatest(store, o.date, '--date');
  for (const w of warnings) err.write(`warning: ${w}\n`);
  try {
    return { ...(await stabilizationBoard(store, date, { weights: weightsOf(o.weights), windowDays, ...(o.withdraw ? { withdraw: o.withdraw } : {}), ...(o.area?.length ? { areas: o.area } : {}), ...(o.exposure === false ? { exposure: false } : {}) })), warnings };
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

export function registerStabilizeCommands(program: Command, io: Io): void {
  const stab = program
    .command('stabilize')
    .description('the stabilization board: liberated areas, their figures, projects, councils, exposure and priority')
    .option('--date <YYYY-MM-DD>', "the day to look at (default: the store's last day of data)")
    .option('--weights <term=w,…>', `priority weights (exponents; terms ${TERMS.join(', ')}; default 1 each)`)
    .option('--withdraw <bloc>', 'what if this bloc\'s forces withdraw: who could reach each area, how fast')
    .option('--area <id>', 'only this area (repeatable)', collect)
    .option('--window <days>', 'protection incidents over this many days up to the date', '90')
    .option('--no-exposure', 'skip the race (no road network)')
    .option('--json', 'machine-readable output (the whole board)')
    .option('--csv', 'one row an area: the ranked list')
    .addHelpText('after', '\nExamples:\n  frontline stabilize --date 2017-07-31\n  frontline stabilize --withdraw coalition --json\n  frontline stabilize --weights exposure=2,people=1 --csv > priorities.csv\n  frontline stabilize import returns returns.csv\n  frontline brief tabqa --date 2017-07-31 --out tabqa.pdf\n\nThe priority is people × exposure × damage × services gap × unmet returns, each 0–1, weights as exponents;\nunknown terms count 0.5 and are marked (docs/stabilize.md).')
    .action(async (o: { date?: string; weights?: string; withdraw?: string; area?: string[]; window?: string; exposure: boolean; json?: boolean; csv?: boolean }, cmd: Command) => {
      const b = await board(await io.open(cmd), o, io.err);
      if (o.json) return io.print(JSON.stringify(b, null, 2));
      if (o.csv) {
        io.print(csvLine(['rank', 'area', 'name', 'holder', 'since', 'population', 'first_threat', 'threat_days', ...(b.withdraw ? ['first_threat_without', 'threat_days_without'] : []), 'incidents', 'fatalities', 'projects', 'councils', ...TERMS, 'score']).trimEnd());
        b.areas.forEach((a, i) => io.print(csvLine([i + 1, a.id, a.name, a.holding.bloc, a.holding.since, a.population?.value ?? '', a.exposure?.firstThreat ?? '', a.exposure?.days ?? '', ...(b.withdraw ? [a.withdrawal?.firstThreat ?? '', a.withdrawal?.days ?? ''] : []), a.protection.incidents, a.protection.fatalities, a.projects.length, a.councils.length, ...TERMS.map((t) => (a.priority.terms[t].known ? a.priority.terms[t].value.toFixed(4) : '')), a.priority.score]).trimEnd()));
        return;
      }
      if (!b.areas.length) return io.print('no stabilization areas: add one with frontline stabilize add-area (or load the demo)');
      io.print(`Stabilization board, ${b.date} (incidents over ${b.windowDays} days; weights ${TERMS.map((t) => `${t} ${b.weights[t]}`).join(', ')})`);
      for (const n of b.notes) io.print(`  ${n}`);
      b.areas.forEach((a, i) => {
        const threat = a.exposure?.firstThreat ? `${a.exposure.firstThreat} in ${a.exposure.days!.toFixed(1)} d` : 'no threat by road';
        const w = b.withdraw ? `; without ${b.withdraw}: ${a.withdrawal?.firstThreat ? `${a.withdrawal.firstThreat} in ${a.withdrawal.days!.toFixed(1)} d` : 'none'}` : '';
        io.print(`\n${String(i + 1).padStart(2)}. ${a.name} (${a.id}) — priority ${a.priority.score.toFixed(3)}`);
        io.print(`    held by ${a.holding.bloc ?? 'no one'}${a.holding.since ? ` since ${a.holding.since}` : ''}${a.holding.previous ? ` (from ${a.holding.previous})` : ''}; population ${a.population ? Math.round(a.population.value).toLocaleString('en') : 'unknown'}; first threat: ${threat}${w}`);
        io.print(`    incidents ${a.protection.incidents} (${a.protection.fatalities} killed)${a.protection.record.incidents !== a.protection.incidents ? `, ${a.protection.record.incidents} in all since ${a.protection.record.from} (${a.protection.record.fatalities} killed)` : ''}; projects ${a.projects.length}; council${a.councils.length === 1 ? '' : 's'}: ${a.councils.map((c) => `${c.name} (${c.formed})`).join(', ') || 'none recorded'}`);
        io.print(`    terms: ${TERMS.map((t) => `${t} ${a.priority.terms[t].value.toFixed(2)}${a.priority.terms[t].known ? '' : '?'}`).join(', ')}   (? = unknown, counted 0.5)`);
      });
    });

  stab
    .command('areas')
    .description('the stabilization areas and how each is defined')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const areas = await (await io.open(cmd)).listStabilizationAreas();
      if (o.json) return io.print(JSON.stringify(areas, null, 2));
      for (const a of areas) io.print(`${a.id.padEnd(16)} ${a.name}  [${a.definition.kind === 'places' ? `places: ${a.definition.places.join(', ')}` : a.definition.kind === 'admin' ? `admin: ${a.definition.admin1}${a.definition.admin2 ? ` / ${a.definition.admin2}` : ''}` : 'polygon'}]${a.codes.length ? `  codes ${a.codes.join(', ')}` : ''}`);
    });

  stab
    .command('add-area')
    .description('define an area: a set of places, an admin unit, or a drawn polygon (GeoJSON)')
    .argument('<id>', 'a short id (letters, digits, - _)')
    .requiredOption('--name <name>', 'its name')
    .option('--places <ids>', 'comma-separated place ids')
    .option('--admin1 <name>', 'a first-level division (e.g. Raqqa)')
    .option('--admin2 <name>', 'with --admin1: a second-level division')
    .option('--polygon <file>', 'a GeoJSON file with one Polygon or MultiPolygon (a Feature or a geometry)')
    .option('--code <code>', 'a code tables key rows by, e.g. an OCHA p-code (repeatable)', collect)
    .option('--centre <place>', 'the place that stands for it (default: its most populous)')
    .option('--source <name>', 'where the definition comes from')
    .option('--notes <text>', 'notes')
    .action(async (id: string, o: { name: string; places?: string; admin1?: string; admin2?: string; polygon?: string; code?: string[]; centre?: string; source?: string; notes?: string }, cmd: Command) => {
      const given = [o.places, o.admin1, o.polygon].filter(Boolean).length;
      if (given !== 1) throw new UsageError('define the area one way: --places, --admin1 (with --admin2), or --polygon');
      let definition: StabilizationArea['definition'];
      if (o.places) definition = { kind: 'places', places: o.places.split(',').map((s) => s.trim()).filter(Boolean) };
      else if (o.admin1) definition = { kind: 'admin', admin1: o.admin1, ...(o.admin2 ? { admin2: o.admin2 } : {}) };
      else {
        let doc: { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
        try {
          doc = JSON.parse(readFileSync(o.polygon!, 'utf8')) as typeof doc;
        } catch (err) {
          throw new UsageError(`--polygon ${o.polygon}: not readable JSON (${(err as Error).message})`);
        }
        const geometry = doc.type === 'FeatureCollection' ? doc.features?.[0]?.geometry : doc.type === 'Feature' ? doc.geometry : doc;
        definition = { kind: 'polygon', geometry: geometry as never };
      }
      const parsed = StabilizationAreaSchema.safeParse({ id, name: o.name, definition, codes: o.code ?? [], ...(o.centre ? { centre: o.centre } : {}), notes: o.notes ?? '', sources: o.source ? [{ name: o.source }] : [] });
      if (!parsed.success) throw new UsageError(`the area is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'area'}: ${i.message}`).join('; ')}`);
      const store = await io.open(cmd);
      const places = await store.listPlaces();
      if (parsed.data.definition.kind === 'places') {
        const missing = parsed.data.definition.places.filter((p) => !places.some((x) => x.id === p));
        if (missing.length) throw new UsageError(`no place ${missing.join(', ')} in the store (frontline places --name …)`);
      }
      const r = await store.putStabilizationAreas([parsed.data], { by: by() });
      io.print(`${id}: ${r.created ? 'added' : r.updated ? 'updated' : 'unchanged'}`);
    });

  stab
    .command('record')
    .description(`record a figure for an area with its source (indicators: ${INDICATOR_KINDS.join(', ')})`)
    .argument('<area>', 'the area id')
    .argument('<indicator>', 'which figure')
    .argument('<value>', 'the value (damage: a share 0–1; services: how many work)')
    .requiredOption('--date <YYYY-MM-DD>', 'the date the figure is for')
    .requiredOption('--source <name>', 'who reported it')
    .option('--url <url>', 'where')
    .option('--total <n>', 'services: how many there are in all')
    .option('--notes <text>', 'notes')
    .action(async (area: string, indicator: string, value: string, o: { date: string; source: string; url?: string; total?: string; notes?: string }, cmd: Command) => {
      if (!(INDICATOR_KINDS as readonly string[]).includes(indicator)) throw new UsageError(`"${indicator}" is not an indicator: ${INDICATOR_KINDS.map((k) => `${k} (${INDICATORS[k]})`).join('; ')}`);
      const store = await io.open(cmd);
      if (!(await store.listStabilizationAreas()).some((a) => a.id === area)) throw new UsageError(`no area "${area}" (frontline stabilize areas)`);
      const parsed = IndicatorSchema.safeParse({ id: `${indicator}:${area}:${o.date}:${slugify(o.source)}`, area, indicator: indicator as IndicatorKind, date: dateOf(o.date, '--date'), value: Number(value), ...(o.total !== undefined ? { total: Number(o.total) } : {}), source: { name: o.source, ...(o.url ? { url: o.url } : {}) }, notes: o.notes ?? '', provenance: { kind: 'user', user: by(), at: new Date().toISOString() } });
      if (!parsed.success) throw new UsageError(`the figure is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'figure'}: ${i.message}`).join('; ')}`);
      await store.putIndicators([parsed.data], { by: by() });
      io.print(`${area}: ${indicator} = ${value} on ${o.date} (${o.source})`);
    });

  stab
    .command('add-council')
    .description('record a local council for an area')
    .argument('<area>', 'the area id')
    .requiredOption('--name <name>', 'the council')
    .requiredOption('--formed <YYYY-MM-DD>', 'when it was formed')
    .requiredOption('--source <name>', 'who reported it')
    .option('--url <url>', 'where')
    .option('--composition <text>', 'who sits on it')
    .option('--recognition <text>', 'who recognises it')
    .action(async (area: string, o: { name: string; formed: string; source: string; url?: string; composition?: string; recognition?: string }, cmd: Command) => {
      const store = await io.open(cmd);
      if (!(await store.listStabilizationAreas()).some((a) => a.id === area)) throw new UsageError(`no area "${area}" (frontline stabilize areas)`);
      const parsed = CouncilSchema.safeParse({ id: `${area}-${slugify(o.name)}`, area, name: o.name, formed: dateOf(o.formed, '--formed'), composition: o.composition ?? '', recognition: o.recognition ?? '', source: { name: o.source, ...(o.url ? { url: o.url } : {}) } });
      if (!parsed.success) throw new UsageError(`the council is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      await store.putCouncils([parsed.data], { by: by() });
      io.print(`${area}: ${o.name}, formed ${o.formed}`);
    });

  stab
    .command('import')
    .description(`import a humanitarian table: ${STABILIZATION_TABLES.join(', ')} (CSV, plain column names or HXL hashtags)`)
    .argument('<table>', STABILIZATION_TABLES.join('|'))
    .argument('<file>', 'the CSV file')
    .option('--skip-bad', 'write the good rows and list the bad ones (default: all or nothing)')
    .option('--json', 'machine-readable summary')
    .addHelpText('after', '\nColumns: docs/stabilize.md. Unknown area codes or places, negative counts, dates in the future and missing sources are\nreported with their line. Exit code 1: nothing written; 3: written, but rows were left out (--skip-bad).')
    .action(async (table: string, file: string, o: { skipBad?: boolean; json?: boolean }, cmd: Command): Promise<void> => {
      if (!(STABILIZATION_TABLES as readonly string[]).includes(table)) throw new UsageError(`"${table}" is not a table: ${STABILIZATION_TABLES.join(', ')}`);
      const r = await importStabilizationTable((await io.open(cmd)), table as StabilizationTable, file, { today: new Date().toISOString().slice(0, 10), skipBad: Boolean(o.skipBad), by: by() });
      if (o.json) io.print(JSON.stringify(r, null, 2));
      else {
        io.print(`${r.committed ? 'imported' : 'NOT imported (a bad row, and no --skip-bad: nothing was written)'} ${file}: ${r.rows} rows, ${r.written} records (${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged), ${r.rejects.length} problem${r.rejects.length === 1 ? '' : 's'}`);
        for (const x of r.rejects.slice(0, 50)) io.err.write(`  ${x.file}:${x.line}: ${x.field}: ${x.reason}\n`);
        if (r.rejects.length > 50) io.err.write(`  … and ${r.rejects.length - 50} more (--json lists them all)\n`);
      }
      process.exitCode = !r.committed ? 1 : r.rejects.length ? 3 : 0;
    });

  program
    .command('brief')
    .description('a briefing on one area or all of them: HTML, or PDF printed by headless Chromium')
    .argument('[area]', 'the area id (or --all)')
    .option('--all', 'every area, ranked by priority')
    .option('--date <YYYY-MM-DD>', "the day to brief on (default: the store's last day of data)")
    .option('--from <YYYY-MM-DD>', 'history and charts from this day (default a year before)')
    .requiredOption('--out <file>', 'FILE.html or FILE.pdf')
    .option('--withdraw <bloc>', 'add the what-if: this bloc\'s forces withdraw')
    .option('--weights <term=w,…>', 'priority weights')
    .addHelpText('after', '\nExamples:\n  frontline brief tabqa --date 2017-07-31 --out tabqa.pdf\n  frontline brief --all --withdraw coalition --out board.html')
    .action(async (area: string | undefined, o: { all?: boolean; date?: string; from?: string; out: string; withdraw?: string; weights?: string }, cmd: Command) => {
      if (Boolean(area) === Boolean(o.all)) throw new UsageError('name one area, or --all');
      if (!/\.(html?|pdf)$/i.test(o.out)) throw new UsageError(`--out ${o.out}: end it with .html or .pdf`);
      const store = await io.open(cmd);
      const b = await board(store, { ...(o.date ? { date: o.date } : {}), ...(o.weights ? { weights: o.weights } : {}), ...(o.withdraw ? { withdraw: o.withdraw } : {}), ...(area ? { area: [area] } : {}) }, io.err);
      const [model, blocs, indicators] = await Promise.all([loadControlModel(store), store.listBlocs(), store.listIndicators()]);
      const html = briefHtml({ board: b, model, blocs, indicators, observations: await store.listControlObservations(), ...(o.from ? { from: dateOf(o.from, '--from') } : {}) });
      if (/\.pdf$/i.test(o.out)) printPdf(html, o.out);
      else writeFileSync(o.out, html);
      io.print(`${o.out}: ${b.areas.length} area${b.areas.length === 1 ? '' : 's'} on ${b.date}`);
    });
}
