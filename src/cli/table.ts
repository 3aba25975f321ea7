/**
 * Plain-text tables for the CLI: every column as wide as its longest value, so that no name is cut off
 * (a long actor or place name widens its column; the terminal wraps the line, it is never truncated).
 */
export type Align = 'left' | 'right';

/** Characters as a terminal shows them: combining marks take no column. */
function width(s: string): number {
  return [...s.normalize('NFC')].filter((c) => !/\p{M}/u.test(c)).length;
}

function pad(s: string, w: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? gap + s : s + gap;
}

/** Lines of a table: a header row (when given), then the rows; numbers align right unless told. */
export function table(header: readonly string[] | null, rows: readonly (readonly (string | number | null | undefined)[])[], opts: { align?: readonly Align[]; indent?: string; gap?: string } = {}): string[] {
  const cells = rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : v)));
  const n = Math.max(header?.length ?? 0, ...cells.map((r) => r.length));
  const align = Array.from({ length: n }, (_, i) => opts.align?.[i] ?? (rows.length && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined) ? 'right' : 'left'));
  const widths = Array.from({ length: n }, (_, i) => Math.max(width(header?.[i] ?? ''), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (r: readonly string[]): string => `${opts.indent ?? ''}${widths.map((w, i) => pad(r[i] ?? '', i === n - 1 && align[i] === 'left' ? 0 : w, align[i]!)).join(opts.gap ?? '  ')}`.trimEnd();
  return [...(header ? [line(header)] : []), ...cells.map(line)];
}
