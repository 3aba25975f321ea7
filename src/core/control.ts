import { blocOf } from './actors.js';
import type { IsoDate } from './dates.js';
import type { Bloc, ControlObservation, ControlStatus, Place } from './schemas.js';

export interface Holding {
  actor: string;
  status: ControlStatus;
  since: IsoDate;
  observation: string;
}

/**
 * The holder of every place at instant `at`: the latest observation at or before it. Observations of one
 * place on one day are ranked by confidence (the more trusted wins), then by id, so the answer does not
 * depend on the order they were stored in. Retracted observations are ignored.
 */
export function controlAt(observations: readonly ControlObservation[], at: IsoDate): Map<string, Holding> {
  const best = new Map<string, ControlObservation>();
  for (const o of observations) {
    if (o.from > at || o.retracted) continue;
    const cur = best.get(o.place);
    if (!cur || o.from > cur.from || (o.from === cur.from && (o.confidence > cur.confidence || (o.confidence === cur.confidence && o.id > cur.id)))) {
      best.set(o.place, o);
    }
  }
  const out = new Map<string, Holding>();
  for (const [place, o] of best) out.set(place, { actor: o.actor, status: o.status, since: o.from, observation: o.id });
  return out;
}

export interface BlocTally {
  bloc: string;
  places: number;
  /** People in the places whose population is known. */
  population: number;
  contested: number;
  besieged: number;
}

/** Places and people under each bloc on a date; places whose holder belongs to no bloc count under "unaffiliated". */
export function tallyByBloc(places: readonly Place[], holdings: Map<string, Holding>, blocs: readonly Bloc[], at: IsoDate): BlocTally[] {
  const tallies = new Map<string, BlocTally>();
  for (const p of places) {
    const h = holdings.get(p.id);
    if (!h) continue;
    const bloc = blocOf(blocs, h.actor, at) ?? 'unaffiliated';
    const t = tallies.get(bloc) ?? { bloc, places: 0, population: 0, contested: 0, besieged: 0 };
    t.places++;
    t.population += p.population ?? 0;
    if (h.status === 'contested') t.contested++;
    if (h.status === 'besieged') t.besieged++;
    tallies.set(bloc, t);
  }
  return [...tallies.values()].sort((a, b) => b.population - a.population || b.places - a.places);
}
