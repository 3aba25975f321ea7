/**
 * CSV ("formula") injection, the OWASP way: a cell that starts with = + - @, a tab or a carriage return
 * is run as a formula by Excel, LibreOffice and Google Sheets when the file is opened (=HYPERLINK(…)
 * leaks data, =cmd|… runs programs). Such text gets a single quote in front, which spreadsheets read as
 * "this is text" and do not show. Text that already starts with quotes followed by one of those
 * characters gets one more, so that restoreCell gives back exactly what was written (docs/formats.md).
 * Plain text functions: the stores' bulk export and io/csv.ts (csvLine, readCsvRecords) both use them.
 */

/** The characters that make a spreadsheet read a cell as a formula, after any quotes already added. */
export const FORMULA_START = /^'*[=+\-@\t\r]/;

/** The cell as written to a CSV file: text that would run as a formula gets a leading single quote. */
export function neutralizeCell(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** The inverse of neutralizeCell, applied to every field read: the one added quote removed. */
export function restoreCell(s: string): string {
  return s.charCodeAt(0) === 39 && FORMULA_START.test(s) ? s.slice(1) : s;
}

/**
 * neutralizeCell over lines (or chunks of whole lines) in which every text field is quoted and no bare
 * field holds a double quote, as the stores' bulk ACLED export writes them: inside a quoted field a
 * double quote is always doubled, so a `"` after a comma or a line start and before a trigger
 * character can only open a field.
 */
export function neutralizeQuotedLines(text: string): string {
  // A quick test first (a quote and a trigger character after a field's opening quote; measured at about
  // a tenth of what SQLite takes to write the lines), the exact replacement only where it finds one.
  return QUOTED_LINES_MAY.test(text) || QUOTED_LINES_START.test(text) ? text.replace(QUOTED_LINES, QUOTED_LINES_SOURCES.replacement) : text;
}

/** The patterns of neutralizeQuotedLines, as sources: the export's worker threads build them again. */
export const QUOTED_LINES_SOURCES = {
  may: String.raw`[,\n]"['=+\-@\t\r]`,
  start: String.raw`^"['=+\-@\t\r]`,
  replace: String.raw`(^|[,\n])"(?='*[=+\-@\t\r])`,
  replacement: `$1"'`,
} as const;
const QUOTED_LINES_MAY = new RegExp(QUOTED_LINES_SOURCES.may);
const QUOTED_LINES_START = new RegExp(QUOTED_LINES_SOURCES.start);
const QUOTED_LINES = new RegExp(QUOTED_LINES_SOURCES.replace, 'g');
