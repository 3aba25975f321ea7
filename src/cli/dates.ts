/** Dates on the command line: given, or the store's last day of data; and what to say about them. */
import { isIsoDate, type IsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import { dataRange, dateWarnings } from '../control/data-range.js';
import type { Store } from '../store/store.js';

/**
 * The date a command looks at: the one given (checked), else the store's last day of control observations
 * or events (today when the store is empty); with warnings for a date outside the data.
 */
export async function dateOrLatest(store: Store, given: string | undefined, flag: string): Promise<{ date: IsoDate; warnings: string[] }> {
  if (given !== undefined && !isIsoDate(given)) throw new UsageError(`${flag} "${given}" is not a date as YYYY-MM-DD`);
  const range = await dataRange(store);
  const date = given ?? range.last ?? new Date().toISOString().slice(0, 10);
  return { date, warnings: dateWarnings(date, range) };
}
