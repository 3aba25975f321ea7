import { ImportError } from '../core/errors.js';
import type { RowResult } from './convert.js';
import { normalizeHashtag } from './hxl.js';
import { indexHeader, readCsvRecords, rowGetter, type CsvReadOptions } from './csv.js';
import type { SourceRow } from './import-runner.js';

export interface CsvSourceOptions<T> extends CsvReadOptions {
  file: string;
  formatName: string;
  required: readonly string[];
  /** HXL puts a row of hashtags under the header; it is read as part of the header. */
  hashtagRow?: boolean;
  convert: (get: (col: string) => string, line: number, columns: readonly string[]) => RowResult<T>;
}

/** The rows of a CSV file, each converted, with its line and raw text for the rejects table. */
export async function* csvRows<T>(o: CsvSourceOptions<T>): AsyncGenerator<SourceRow<T>> {
  const records = readCsvRecords(o.file, o);
  const first = await records.next();
  if (first.done) throw new ImportError('has no header line (only blank lines)', { file: o.file, line: 1 });
  let header = first.value;
  if (o.hashtagRow) {
    // HXL: the hashtag row is the header machines read; the text header above it, if any, is for people.
    const isTags = (fields: string[]): boolean => fields.some((f) => f.trim().startsWith('#'));
    if (!isTags(header.fields)) {
      const tags = await records.next();
      if (tags.done || !isTags(tags.value.fields)) {
        throw new ImportError('expected a row of HXL hashtags (#date, #geo+lat, …) under the header', { file: o.file, line: header.line + 1 });
      }
      header = tags.value;
    }
    header = { ...header, fields: header.fields.map((f) => (f.trim() ? normalizeHashtag(f) : f)) };
  }
  const index = indexHeader(header, o.hashtagRow ? o.required.map(normalizeHashtag) : o.required, o.file, o.formatName);
  const columns = header.fields.map((f) => f.trim());
  const width = header.fields.length;
  for await (const rec of records) {
    if (rec.fields.length !== width) {
      yield {
        line: rec.line,
        raw: rec.raw,
        result: { ok: false, errors: [{ field: '(row)', reason: `has ${rec.fields.length} fields where the header has ${width}; check for an unquoted comma` }] },
      };
      continue;
    }
    yield { line: rec.line, raw: rec.raw, result: o.convert(rowGetter(index, rec.fields), rec.line, columns) };
  }
}
