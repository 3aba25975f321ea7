/** What a row converter returns: a record, or every reason the row cannot be taken (not just the first). */
export type RowResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface FieldError {
  field: string;
  reason: string;
}

/** Collects field errors while a row is converted, so one pass reports all that is wrong with it. */
export class RowErrors {
  readonly errors: FieldError[] = [];
  add(field: string, reason: string): void {
    this.errors.push({ field, reason });
  }
  get ok(): boolean {
    return this.errors.length === 0;
  }
}

/** A whole number, or null for an empty field; records an error (and returns null) otherwise. */
export function intField(errs: RowErrors, field: string, raw: string, opts: { min?: number; max?: number; required?: boolean } = {}): number | null {
  if (raw === '' || raw.toUpperCase() === 'NA') {
    if (opts.required) errs.add(field, 'is empty; a whole number is required');
    return null;
  }
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    errs.add(field, `"${clip(raw)}" is not a whole number`);
    return null;
  }
  if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    errs.add(field, `${n} is out of range (${opts.min ?? '-∞'} to ${opts.max ?? '∞'})`);
    return null;
  }
  return n;
}

/** A coordinate in decimal degrees within the given bound. */
export function coordField(errs: RowErrors, field: string, raw: string, bound: 90 | 180): number | null {
  if (raw === '') {
    errs.add(field, 'is empty; decimal degrees are required');
    return null;
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    errs.add(field, `"${clip(raw)}" is not a number in decimal degrees`);
    return null;
  }
  if (n < -bound || n > bound) {
    errs.add(field, `${n} is out of range (-${bound} to ${bound})`);
    return null;
  }
  return n;
}

export function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** Ids come from files; keep them to the characters the store accepts and say so when they do not. */
export function idField(errs: RowErrors, field: string, raw: string): string | null {
  if (!raw) {
    errs.add(field, 'is empty; every row needs an id');
    return null;
  }
  if (!/^[\p{L}\p{N}][\p{L}\p{N}_.:\-/]*$/u.test(raw) || raw.length > 200) {
    errs.add(field, `"${clip(raw)}" is not a usable id (letters, digits and _ . : - / only)`);
    return null;
  }
  return raw;
}
