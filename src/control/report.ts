/**
 * The JSON of "control on a date", shared by `frontline control at --json` and GET /api/control: a
 * contract scripts rely on (docs/control.md). Fields are only ever added.
 */
import type { IsoDate } from '../core/dates.js';
import type { ControlModel } from './model.js';

const r1 = (x: number): number => Math.round(x * 10) / 10;

export function controlReport(m: ControlModel, at: IsoDate, onlyBloc?: string) {
  const s = m.stateAt(at);
  const blocs = s.blocs.filter((b) => (b.places || b.areaKm2) && (!onlyBloc || b.bloc === onlyBloc));
  const places = m.placeStates(s).filter((p) => !onlyBloc || p.bloc === onlyBloc);
  return {
    date: at,
    blocs: blocs.map((b) => ({ bloc: b.bloc, name: b.name, places: b.places, population: b.population, areaKm2: r1(b.areaKm2), contestedKm2: r1(b.contestedKm2) })),
    unassignedKm2: r1(s.unassignedKm2),
    landKm2: r1(s.landKm2),
    places: places.map((p) => ({ place: p.place, placeId: p.placeId, actor: p.actor, bloc: p.bloc, status: p.status, since: p.since })),
    zones: m.zonesAt(s).map((z) => ({ ...z, areaKm2: r1(z.areaKm2), blocsKm2: Object.fromEntries(Object.entries(z.blocsKm2).map(([k, v]) => [k, r1(v)])) })),
    conflicts: m.timeline.conflicts.filter((c) => c.date <= at),
  };
}
