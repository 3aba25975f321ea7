/**
 * Dates in Frontline are ISO calendar dates (YYYY-MM-DD) with a precision: a source that only knows the
 * month says so, and analysis treats the date as the start of that span.
 */
export type IsoDate = string;
export const DATE_PRECISIONS = ['day', 'week', 'month', 'year'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];
const MS_PER_DAY = 86_400_000;

/** True when `s` is a real calendar date written YYYY-MM-DD (2017-02-30 is not). */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  return isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isRealDate(y: number, mo: number, d: number): boolean {
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export function toIsoDate(y: number, mo: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Parse the date forms found in conflict data: ISO (2017-06-18, also with a time after it, as UCDP writes
 * "2017-06-18 00:00:00.000"), ACLED's "18 June 2017", "18-June-2017" and "June 18, 2017". Returns null when
 * the text is not a real, unambiguous date, so the caller can say where.
 */
export function parseFlexibleDate(raw: string): IsoDate | null {
  const s = raw.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z)?)?$/.exec(s);
  if (m) return checked(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})$/.exec(s);
  if (m) {
    const mo = monthNumber(m[2]!);
    return mo ? checked(Number(m[3]), mo, Number(m[1])) : null;
  }
  m = /^([A-Za-z]+) (\d{1,2}),? (\d{4})$/.exec(s);
  if (m) {
    const mo = monthNumber(m[1]!);
    return mo ? checked(Number(m[3]), mo, Number(m[2])) : null;
  }
  // 06/07/2017 is June or July depending on who wrote it: slashed dates are refused, not guessed.
  return null;
}

function checked(y: number, mo: number, d: number): IsoDate | null {
  return isRealDate(y, mo, d) ? toIsoDate(y, mo, d) : null;
}

function monthNumber(name: string): number | null {
  const n = name.toLowerCase();
  if (n.length < 3) return null;
  const i = MONTHS.findIndex((m) => m.startsWith(n));
  return i < 0 ? null : i + 1;
}

/** ACLED writes event_date as "18 June 2017". */
export function formatAcledDate(d: IsoDate): string {
  const [y, mo, day] = d.split('-');
  const name = MONTHS[Number(mo) - 1]!;
  return `${Number(day)} ${name[0]!.toUpperCase()}${name.slice(1)} ${y}`;
}

/** Whole days since 1970-01-01: the time axis of indexes and series. */
export function dayNumber(d: IsoDate): number {
  const [y, mo, day] = d.split('-').map(Number) as [number, number, number];
  return Math.floor(Date.UTC(y, mo - 1, day) / MS_PER_DAY);
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(d: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(d) + days);
}

/** The last day a date of this precision may stand for (a "June 2017" event may be any day of June). */
export function spanEnd(d: IsoDate, precision: DatePrecision): IsoDate {
  const [y, mo] = d.split('-').map(Number) as [number, number];
  switch (precision) {
    case 'day':
      return d;
    case 'week':
      return addDays(d, 6);
    case 'month':
      return fromDayNumber(dayNumber(toIsoDate(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1)) - 1);
    case 'year':
      return toIsoDate(y, 12, 31);
  }
}

/** ACLED's time_precision: 1 day, 2 week (or a few days), 3 month. */
export function precisionFromAcled(code: number): DatePrecision | null {
  return code === 1 ? 'day' : code === 2 ? 'week' : code === 3 ? 'month' : null;
}
export function precisionToAcled(p: DatePrecision): number {
  return p === 'day' ? 1 : p === 'week' ? 2 : 3;
}

/**
 * UCDP GED's date_prec: 1 exact day, 2 a span of 2–6 days, 3 a week, 4 a span of 8–30 days or the month,
 * 5 more than a month (often the year).
 */
export function precisionFromUcdp(code: number): DatePrecision | null {
  if (code === 1) return 'day';
  if (code === 2 || code === 3) return 'week';
  if (code === 4) return 'month';
  if (code === 5) return 'year';
  return null;
}
export function precisionToUcdp(p: DatePrecision): number {
  return p === 'day' ? 1 : p === 'week' ? 3 : p === 'month' ? 4 : 5;
}
