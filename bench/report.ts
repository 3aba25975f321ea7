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
  export: { rows: number; seconds: number; rowsPerSecond: number; duckdbCopySeconds: number };
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
    row('export all rows to ACLED CSV (goal ≥ 300,000 rows/s)', (r) => `${r.export.seconds} s · **${n(r.export.rowsPerSecond)} rows/s**`),
    row('export: DuckDB `COPY … TO` CSV', (r) => `${r.export.duckdbCopySeconds} s`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? new URL('out/results.json', import.meta.url).pathname;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { at: string; node: string; results: Result[] };
  console.log(`Measured ${doc.at} with Node ${doc.node}.\n\n${markdownReport(doc.results)}`);
}
