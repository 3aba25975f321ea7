/**
 * The dates a store has data for: the first and last day of its control observations and events, and the
 * end of a scenario it holds (the demo's runs to 31 July 2017, its last observation is of the 23rd). Commands
 * default to the last one (not to a date fixed in the code), and say so when asked about a day past it:
 * control is then only carried forward from the last observation, and no event is known.
 */
import type { IsoDate } from '../core/dates.js';
import type { Store } from '../store/store.js';

export interface DataRange {
  first: IsoDate | null;
  last: IsoDate | null;
  /** The last control observation's date, the last event's, and the latest end of a stored scenario. */
  lastControl: IsoDate | null;
  lastEvent: IsoDate | null;
  scenarioEnd: IsoDate | null;
}

export async function dataRange(store: Store): Promise<DataRange> {
  const [observations, months, scenarios] = await Promise.all([store.listControlObservations(), store.countEventsByPeriod('month', {}), store.listScenarios()]);
  const scenarioEnd = scenarios.reduce<IsoDate | null>((a, x) => (x.end && (a === null || x.end > a) ? x.end : a), null);
  const live = observations.filter((o) => !o.retracted);
  const firstControl = live.reduce<IsoDate | null>((a, o) => (a === null || o.from < a ? o.from : a), null);
  const lastControl = live.reduce<IsoDate | null>((a, o) => (a === null || o.from > a ? o.from : a), null);
  let firstEvent: IsoDate | null = null;
  let lastEvent: IsoDate | null = null;
  if (months.length) {
    // Days only within the first and last months: two small aggregates instead of one over every day.
    const [firstDays, lastDays] = await Promise.all([
      store.countEventsByPeriod('day', { since: months[0]!.start, until: endOfMonth(months[0]!.start) }),
      store.countEventsByPeriod('day', { since: months[months.length - 1]!.start }),
    ]);
    firstEvent = firstDays[0]?.start ?? months[0]!.start;
    lastEvent = lastDays[lastDays.length - 1]?.start ?? months[months.length - 1]!.start;
  }
  const min = (a: IsoDate | null, b: IsoDate | null): IsoDate | null => (a === null ? b : b === null ? a : a < b ? a : b);
  const max = (a: IsoDate | null, b: IsoDate | null): IsoDate | null => (a === null ? b : b === null ? a : a > b ? a : b);
  const last = max(lastControl, lastEvent);
  return { first: min(firstControl, firstEvent), last: last === null ? null : max(last, scenarioEnd), lastControl, lastEvent, scenarioEnd };
}

function endOfMonth(start: IsoDate): IsoDate {
  const [y, m] = start.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0));
  return d.toISOString().slice(0, 10);
}

/** What to tell a user about a date outside the data (empty when it lies within). */
export function dateWarnings(date: IsoDate, r: DataRange): string[] {
  if (r.last === null) return ['the store has no control observations or events: every place is unknown (load some: frontline demo, frontline import …)'];
  const out: string[] = [];
  if (r.first !== null && date < r.first) out.push(`${date} is before the store's first data (${r.first}): nothing is known then`);
  if (date > r.last) out.push(`${date} is after the store's last data (${r.last}: last control observation ${r.lastControl ?? 'none'}, last event ${r.lastEvent ?? 'none'}${r.scenarioEnd ? `, scenario ends ${r.scenarioEnd}` : ''}): control is carried forward from then, and no later event is known`);
  return out;
}
