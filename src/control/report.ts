/**
 * The JSON of "control on a date", shared by `frontline control at --json` and GET /api/control: a
 * contract scripts rely on (docs/control.md). Fields are only ever added.
 */
import type { IsoDate } from '../core/dates.js';
import type { ControlModel } from './model.js';

const r1 = (x: number): number => Math.round(x * 10) / 10;

const r2 = (x: number): number => Math.round(x * 100) / 100;

export function controlReport(m: ControlModel, at: IsoDate, onlyBloc?: string) {
  const s = m.stateAt(at);
  const blocs = s.blocs.filter((b) => (b.places || b.areaKm2) && (!onlyBloc || b.bloc === onlyBloc));
  const places = m.placeStates(s).filter((p) => !onlyBloc || p.bloc === onlyBloc);
  const pct = (km2: number): number => (s.landKm2 > 0 ? r2((100 * km2) / s.landKm2) : 0);
  const contested = m.contestedBetween(s).filter((c) => !onlyBloc || c.between.includes(onlyBloc));
  const contestedKm2 = s.blocs.reduce((a, b) => a + b.contestedKm2, 0);
  return {
    date: at,
    blocs: blocs.map((b) => ({ bloc: b.bloc, name: b.name, places: b.places, population: b.population, areaKm2: r1(b.areaKm2), contestedKm2: r1(b.contestedKm2), sharePct: pct(b.areaKm2), besiegedKm2: r1(b.besiegedKm2) })),
    unassignedKm2: r1(s.unassignedKm2),
    landKm2: r1(s.landKm2),
    unheldKm2: r1(s.unassignedKm2),
    unheldSharePct: pct(s.unassignedKm2),
    contestedKm2: r1(contestedKm2),
    contestedSharePct: pct(contestedKm2),
    contested: contested.map((c) => ({ between: c.between, areaKm2: r1(c.areaKm2), sharePct: pct(c.areaKm2) })),
    method: m.methodReport(),
    places: places.map((p) => ({ place: p.place, placeId: p.placeId, actor: p.actor, bloc: p.bloc, status: p.status, since: p.since })),
    zones: m.zonesAt(s).map((z) => ({ ...z, areaKm2: r1(z.areaKm2), blocsKm2: Object.fromEntries(Object.entries(z.blocsKm2).map(([k, v]) => [k, r1(v)])) })),
    conflicts: m.timeline.conflicts.filter((c) => c.date <= at),
  };
}
