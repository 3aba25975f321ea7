/**
 * Streaming CSV with the line numbers people see in an editor, whatever the line endings, a UTF-8 BOM or
 * newlines inside quoted fields. Files are streamed, never read whole: imports run in bounded memory.
 * Cells that could run as spreadsheet formulas are neutralized on the way out and restored on the way in
 * (neutralizeCell, restoreCell).
 */
import { parse } from 'csv-parse';
import { createReadStream, statSync } from 'node:fs';
import { FORMULA_START, restoreCell } from '../core/csv-cell.js';
import { ImportError } from '../core/errors.js';

export { neutralizeCell, neutralizeQuotedLines, restoreCell } from '../core/csv-cell.js';

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
  raw: string;
}

export interface CsvReadOptions {
  /** Called as bytes are read, for progress bars. */
  onBytes?: (bytesRead: number, totalBytes: number) => void;
  delimiter?: string;
  /** GeoNames dumps are tab-separated with no quoting at all. */
  noQuotes?: boolean;
}

/** Every record of a CSV file, the header first, blank lines skipped. */
export async function* readCsvRecords(file: string, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new ImportError('is not a file', { file });
    size = st.size;
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(`cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)}): check the path`, { file });
  }
  if (size === 0) throw new ImportError('the file is empty: expected a header line and rows', { file, line: 1 });

  const stream = createReadStream(file);
  let bytes = 0;
  let sniffed = false;
  stream.on('data', (chunk: Buffer | string) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!sniffed) {
      sniffed = true;
      // A NUL byte in the first block means a binary file (a zip, a PBF, a spreadsheet): say so plainly.
      if (buf.subarray(0, 4096).includes(0)) {
        stream.destroy(new ImportError('this is a binary file, not CSV text (export it as CSV, UTF-8)', { file, line: 1 }));
      }
    }
    bytes += buf.length;
    options.onBytes?.(bytes, size);
  });
  const parser = stream.pipe(
    parse({
      bom: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: false,
      delimiter: options.delimiter ?? ',',
      ...(options.noQuotes ? { quote: false } : {}),
    }),
  );
  stream.on('error', (err) => parser.destroy(err));
  let next = 1;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const line = next;
      // raw may or may not end with the record delimiter, depending on how it was detected.
      const body = rec.raw.replace(/\r?\n$/, '').replace(/\r$/, '');
      next += 1 + countNewlines(body);
      if (rec.record.length === 1 && rec.record[0]!.trim() === '') continue;
      const fields = rec.record;
      // What the exporters neutralized comes back as it was (GeoNames dumps are not ours: read as they are).
      if (!options.noQuotes) for (let i = 0; i < fields.length; i++) if (fields[i]!.charCodeAt(0) === 39) fields[i] = restoreCell(fields[i]!);
      yield { line, fields, raw: body };
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    const e = err as Error & { code?: string; lines?: number };
    throw new ImportError(`the CSV cannot be read past here (${e.code ?? 'error'}: ${e.message}); fix the quoting and import again`, {
      file,
      line: e.lines ?? next,
    });
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Map a header to column positions, checking that the required columns are there. A file that is not the
 * expected format fails here, on line 1, with the list of what is missing.
 */
export function indexHeader(header: CsvRecord, required: readonly string[], file: string, formatName: string): Map<string, number> {
  const index = new Map<string, number>();
  header.fields.forEach((name, i) => {
    const key = name.trim();
    if (!index.has(key)) index.set(key, i);
  });
  const missing = required.filter((c) => !index.has(c));
  if (missing.length) {
    const found = header.fields.slice(0, 8).map((f) => JSON.stringify(f.slice(0, 40))).join(', ');
    throw new ImportError(
      `this is not ${formatName}: the header lacks ${missing.length > 6 ? `${missing.slice(0, 6).join(', ')} and ${missing.length - 6} more` : missing.join(', ')} (found ${found}${header.fields.length > 8 ? ', …' : ''})`,
      { file, line: header.line },
    );
  }
  return index;
}

/**
 * A header-indexed row: `get('event_date')` gives the field as written ('' when the row is short).
 * Converters trim what they parse (dates, numbers, ids) and keep free text exactly as it came.
 */
export function rowGetter(index: Map<string, number>, fields: string[]): (name: string) => string {
  return (name) => {
    const i = index.get(name);
    return i === undefined ? '' : (fields[i] ?? '');
  };
}

/**
 * One CSV line, quoted as RFC 4180 wants (fields with commas, quotes or newlines in double quotes), with
 * text that a spreadsheet would run as a formula neutralized (neutralizeCell). JavaScript numbers are
 * written as they are; a string is text unless its position is in `numeric` and it is a plain number
 * (-36.5, +3, 1e-7): numeric columns keep their negative numbers, anything else in them is text too.
 */
export function csvLine(fields: readonly (string | number | null | undefined)[], numeric?: ReadonlySet<number>): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let s = f === null || f === undefined ? '' : typeof f === 'number' ? String(f) : f;
    let quote = NEEDS_QUOTES.test(s);
    if (typeof f === 'string' && FORMULA_START.test(s) && !(numeric?.has(i) && PLAIN_NUMBER.test(s))) {
      s = `'${s}`;
      quote = true;
    }
    if (i > 0) out += ',';
    out += quote ? `"${s.replace(/"/g, '""')}"` : s;
  }
  return `${out}\n`;
}

/** The positions of `names` in `columns`: the numeric columns of a format, for csvLine. */
export function columnPositions(columns: readonly string[], names: readonly string[]): ReadonlySet<number> {
  const set = new Set<number>();
  for (const n of names) {
    const i = columns.indexOf(n);
    if (i < 0) throw new Error(`no column "${n}"`);
    set.add(i);
  }
  return set;
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// Leading or trailing spaces are quoted too, so that readers that trim unquoted fields keep them.
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
