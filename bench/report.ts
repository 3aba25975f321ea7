/** The benchmark's results as the Markdown table docs/benchmarks.md keeps. `tsx bench/report.ts [results.json]` */
import { readFileSync } from 'node:fs';

interface Result {
  rows: number;
  csvMb: number;
  import: Record<'frontline' | 'sqlite3' | 'duckdb', { seconds: number; rowsPerSecond: number; peakMb: number }> & { frontlineShareOfCeiling: number };
  query: { queries: number; medianResultRows: number; frontlineMedianMs: number; frontlineP95Ms: number; frontlineWarmMedianMs: number; frontlineWarmP95Ms: number; duckdbMedianMs: number; duckdbP95Ms: number; resultMismatches: number };
  columnIndexBuildSeconds: number;
  weeklyCountsBox: { frontlineMs: number; duckdbMs: number; sameTotal: boolean };
  grid01Year: { frontlineMs: number; duckdbMs: number; sameCells: boolean };
  export: { rows: number; seconds: number; rowsPerSecond: number; storedOrderSeconds?: number; storedOrderRowsPerSecond?: number; duckdbCopySeconds: number };
}

export function markdownReport(results: Result[]): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const head = `| measure | ${results.map((r) => `${n(r.rows)} rows`).join(' | ')} |\n|---|${results.map(() => '---').join('|')}|`;
  const row = (label: string, f: (r: Result) => string): string => `| ${label} | ${results.map(f).join(' | ')} |`;
  return [
    head,
    row('CSV size', (r) => `${r.csvMb} MB`),
    row('import: Frontline (validate, resolve actors, store, index)', (r) => `${r.import.frontline.seconds} s · ${n(r.import.frontline.rowsPerSecond)} rows/s · peak ${r.import.frontline.peakMb} MB`),
    row('import: sqlite3 `.import` + same table, indexes, R*Tree (ceiling)', (r) => `${r.import.sqlite3.seconds} s · ${n(r.import.sqlite3.rowsPerSecond)} rows/s`),
    row('import: Frontline as a share of the ceiling (goal ≥ 0.5)', (r) => `**${r.import.frontlineShareOfCeiling}**`),
    row('import: DuckDB `read_csv` (no validation, no indexes)', (r) => `${r.import.duckdb.seconds} s · peak ${r.import.duckdb.peakMb} MB`),
    row(`query bbox 0.5° + 91 days + actor + type: median rows`, (r) => `${r.query.medianResultRows}`),
    row('query: Frontline cold (SQL + R*Tree), median / p95', (r) => `${r.query.frontlineMedianMs} / ${r.query.frontlineP95Ms} ms`),
    row('query: Frontline warm (column index), median / p95', (r) => `${r.query.frontlineWarmMedianMs} / ${r.query.frontlineWarmP95Ms} ms`),
    row('query: DuckDB, median / p95', (r) => `${r.query.duckdbMedianMs} / ${r.query.duckdbP95Ms} ms`),
    row('query: answers differing from DuckDB', (r) => `${r.query.resultMismatches} of ${r.query.queries}`),
    row('column index build (once per process)', (r) => `${r.columnIndexBuildSeconds} s`),
    row('weekly counts, 1° box, all time: Frontline / DuckDB', (r) => `${r.weeklyCountsBox.frontlineMs} / ${r.weeklyCountsBox.duckdbMs} ms${r.weeklyCountsBox.sameTotal ? '' : ' (totals differ!)'}`),
    row('0.1° grid counts, one year: Frontline / DuckDB', (r) => `${r.grid01Year.frontlineMs} / ${r.grid01Year.duckdbMs} ms${r.grid01Year.sameCells ? '' : ' (cells differ!)'}`),
    row('export all rows to ACLED CSV, date order (goal ≥ 300,000 rows/s)', (r) => `${r.export.seconds} s · **${n(r.export.rowsPerSecond)} rows/s**`),
    row('export all rows to ACLED CSV, stored order (`--order stored`)', (r) => (r.export.storedOrderSeconds !== undefined ? `${r.export.storedOrderSeconds} s · **${n(r.export.storedOrderRowsPerSecond!)} rows/s**` : 'not measured')),
    row('export: DuckDB `COPY … TO` CSV', (r) => `${r.export.duckdbCopySeconds} s`),
  ].join('\n');
}

export interface ControlResult {
  measuredAt: string;
  node: string;
  demo: { places: number; cells: number; modelMs: number; stateMs: number; polygonsMs: number; frontLinesMs: number; weeklySeriesJanJulMs: number };
  synthetic: { places: number; intervals: number; cells: number; modelMs: number; stateMs: number; polygonsMs: number; weeklySeriesYearMs: number };
  attribution: { events: number; frontlineMs: number; postgis: { seconds: number; loadSeconds: number; mismatches: number; compared: number; version: string } | null; speedup: number | null };
}

/** bench/control.ts's results as a Markdown table. */
export function markdownControlReport(r: ControlResult): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const pg = r.attribution.postgis;
  return [
    `| measure | demo (${n(r.demo.places)} places) | synthetic (${n(r.synthetic.places)} places, ${n(r.synthetic.intervals)} intervals) |`,
    '|---|---|---|',
    `| H3 cells (resolution 6) | ${n(r.demo.cells)} | ${n(r.synthetic.cells)} |`,
    `| build the model (grid, nearest places, timeline), once | ${r.demo.modelMs} ms | ${r.synthetic.modelMs} ms |`,
    `| areas of control for one date: numbers (goal < 200 ms) | ${r.demo.stateMs} ms | ${r.synthetic.stateMs} ms |`,
    `| areas of control for one date: polygons cut to the land (goal < 200 ms) | ${r.demo.polygonsMs} ms | ${r.synthetic.polygonsMs} ms |`,
    `| front lines for one date | ${r.demo.frontLinesMs} ms | — |`,
    `| weekly series (goal < 3 s over a year) | ${r.demo.weeklySeriesJanJulMs} ms (Jan–Jul) | ${r.synthetic.weeklySeriesYearMs} ms (2017) |`,
    '',
    '| attribution of events to the bloc holding their location on their date | |',
    '|---|---|',
    `| events | ${n(r.attribution.events)} |`,
    `| Frontline (goal < 1 s) | **${r.attribution.frontlineMs} ms** |`,
    `| PostGIS ${pg?.version ?? ''}: Voronoi cells + ST_Contains + interval join, GiST-indexed | ${pg ? `**${pg.seconds} s** (loading and indexing not counted: ${pg.loadSeconds} s)` : 'not run'} |`,
    `| Frontline's speed-up (goal ≥ 20) | ${r.attribution.speedup ? `**${r.attribution.speedup}×**` : '—'} |`,
    `| answers differing | ${pg ? `${n(pg.mismatches)} of ${n(pg.compared)}` : '—'} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? new URL('out/results.json', import.meta.url).pathname;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { at: string; node: string; results: Result[] };
  console.log(`Measured ${doc.at} with Node ${doc.node}.\n\n${markdownReport(doc.results)}`);
  const control = new URL('out/control-results.json', import.meta.url).pathname;
  try {
    const c = JSON.parse(readFileSync(control, 'utf8')) as ControlResult;
    console.log(`\nControl (bench/control.ts), measured ${c.measuredAt}:\n\n${markdownControlReport(c)}`);
  } catch {
    // not run yet
  }
}
