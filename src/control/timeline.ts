/**
 * Who held each place on any day: the observations of every place as a sorted list of changes, looked up
 * by binary search. Observations of one place on one day that disagree are resolved by a rule and the
 * disagreement is kept for the analyst to see (docs/control.md):
 *   1. the higher confidence wins;
 *   2. then the source published later (a source without a date counts as oldest);
 *   3. then the later observation id, so that the answer never depends on storage order.
 * Scenario overrides are applied on top: from their date on, they hold whatever is observed later.
 */
import { dayNumber, fromDayNumber, type IsoDate } from '../core/dates.js';
import type { ControlObservation, ControlStatus, ScenarioOverride } from '../core/schemas.js';
import { lowerBound, upperBound } from '../core/search.js';

export const STATUS_CODES: readonly ControlStatus[] = ['held', 'contested', 'besieged'];

export interface ControlConflict {
  place: string;
  date: IsoDate;
  chosen: { observation: string; actor: string; status: ControlStatus };
  overruled: { observation: string; actor: string; status: ControlStatus; confidence: number; source: string }[];
  /** Which step of the rule decided. */
  decidedBy: 'confidence' | 'source date' | 'observation id';
}

export interface Holding {
  actor: string;
  status: ControlStatus;
  /**
   * The first day of the actor's continuous holding: when it took the place (or when it was first seen
   * there), not the date of the latest source restating it.
   */
  since: IsoDate;
  /** The observation (or scenario override) this holding comes from. */
  observation: string;
}

interface PlaceTimeline {
  days: number[];
  actors: number[];
  statuses: number[];
  observations: string[];
  /** For each entry, the day its actor's unbroken run of entries began. */
  starts: number[];
}

export class ControlTimeline {
  readonly actors: string[] = [];
  private readonly actorIndex = new Map<string, number>();
  private readonly byPlace = new Map<string, PlaceTimeline>();
  readonly conflicts: ControlConflict[] = [];
  readonly firstDay: number | null;
  readonly lastDay: number | null;

  constructor(observations: readonly ControlObservation[], overrides: readonly ScenarioOverride[] = [], overrideFrom?: IsoDate) {
    const groups = new Map<string, ControlObservation[]>();
    for (const o of observations) {
      if (o.retracted) continue;
      const k = `${o.place}\u0000${o.from}`;
      const g = groups.get(k);
      if (g) g.push(o);
      else groups.set(k, [o]);
    }
    const chosen: ControlObservation[] = [];
    for (const g of groups.values()) chosen.push(g.length === 1 ? g[0]! : this.resolve(g));
    chosen.sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    let first: number | null = null;
    let last: number | null = null;
    for (const o of chosen) {
      const d = dayNumber(o.from);
      first = first === null ? d : Math.min(first, d);
      last = last === null ? d : Math.max(last, d);
      this.push(o.place, d, o.actor, o.status, o.id);
    }
    for (const ov of overrides) {
      if (ov.kind !== 'control') continue;
      const from = ov.from ?? overrideFrom;
      if (!from) throw new Error(`a control override of ${ov.place} needs a date (its own "from" or the scenario's baseDate)`);
      const d = dayNumber(from);
      const t = this.byPlace.get(ov.place);
      // From the override on, it holds: later observations of that place no longer count.
      if (t) {
        const keep = lowerBound(t.days, d);
        t.days.length = t.actors.length = t.statuses.length = t.observations.length = t.starts.length = keep;
      }
      this.push(ov.place, d, ov.actor, ov.status, `override:${ov.place}:${from}`);
    }
    this.firstDay = first;
    this.lastDay = last;
  }

  private resolve(g: ControlObservation[]): ControlObservation {
    const published = (o: ControlObservation): string => o.source.published ?? '';
    const sorted = [...g].sort((a, b) => b.confidence - a.confidence || (published(b) < published(a) ? -1 : published(b) > published(a) ? 1 : 0) || (b.id < a.id ? -1 : 1));
    const best = sorted[0]!;
    const disagree = sorted.slice(1).filter((o) => o.actor !== best.actor || o.status !== best.status);
    if (disagree.length) {
      const second = disagree[0]!;
      this.conflicts.push({
        place: best.place,
        date: best.from,
        chosen: { observation: best.id, actor: best.actor, status: best.status },
        overruled: disagree.map((o) => ({ observation: o.id, actor: o.actor, status: o.status, confidence: o.confidence, source: o.source.name })),
        decidedBy: second.confidence !== best.confidence ? 'confidence' : published(second) !== published(best) ? 'source date' : 'observation id',
      });
    }
    return best;
  }

  private push(place: string, day: number, actor: string, status: ControlStatus, observation: string): void {
    let t = this.byPlace.get(place);
    if (!t) {
      t = { days: [], actors: [], statuses: [], observations: [], starts: [] };
      this.byPlace.set(place, t);
    }
    let a = this.actorIndex.get(actor);
    if (a === undefined) {
      a = this.actors.length;
      this.actors.push(actor);
      this.actorIndex.set(actor, a);
    }
    const n = t.days.length;
    t.starts.push(n && t.actors[n - 1] === a ? t.starts[n - 1]! : day);
    t.days.push(day);
    t.actors.push(a);
    t.statuses.push(STATUS_CODES.indexOf(status));
    t.observations.push(observation);
  }

  actorId(index: number): string {
    return this.actors[index]!;
  }

  /** Index into `actors` of the holder of a place on a day, or -1 if nothing was observed by then. */
  actorIndexAt(place: string, day: number): number {
    const t = this.byPlace.get(place);
    if (!t) return -1;
    const i = upperBound(t.days, day) - 1;
    return i < 0 ? -1 : t.actors[i]!;
  }

  holdingAt(place: string, date: IsoDate): Holding | null {
    const t = this.byPlace.get(place);
    if (!t) return null;
    const i = upperBound(t.days, dayNumber(date)) - 1;
    if (i < 0) return null;
    return { actor: this.actors[t.actors[i]!]!, status: STATUS_CODES[t.statuses[i]!]!, since: fromDayNumber(t.starts[i]!), observation: t.observations[i]! };
  }

  /** Every place's holding on a date (places with no observation by then are left out). */
  stateAt(date: IsoDate): Map<string, Holding> {
    const out = new Map<string, Holding>();
    for (const place of this.byPlace.keys()) {
      const h = this.holdingAt(place, date);
      if (h) out.set(place, h);
    }
    return out;
  }

  /** The days on which a place's holder or status changed, in order. */
  changes(place: string): { day: number; actor: string; status: ControlStatus }[] {
    const t = this.byPlace.get(place);
    if (!t) return [];
    return t.days.map((day, i) => ({ day, actor: this.actors[t.actors[i]!]!, status: STATUS_CODES[t.statuses[i]!]! }));
  }

  /** The place's change days (sorted) and holder indexes, for tight loops. */
  raw(place: string): { days: readonly number[]; actors: readonly number[]; statuses: readonly number[] } | null {
    return this.byPlace.get(place) ?? null;
  }
}
