/**
 * Exposure (DESIGN.md §3): the race run the other way. For places a bloc holds, how soon each bloc
 * hostile to it could reach them, nearest first. And the what-if a planner asks: if a protecting force
 * leaves, who can reach what, how fast.
 */
import type { IsoDate } from '../core/dates.js';
import type { Scenario, ScenarioOverride } from '../core/schemas.js';
import type { ControlModel } from '../control/model.js';
import { DEFAULT_RACE_PARAMETERS, runRace, type Objective, type RaceContext, type RaceParameters } from './race.js';

export interface ExposureTarget extends Objective {
  /** What the caller calls it (a place id, an area id). */
  id: string;
}

export interface Exposure {
  id: string;
  name: string;
  /** The first hostile bloc to arrive, and in how many days (null: none can). */
  firstThreat: string | null;
  days: number | null;
  threats: { bloc: string; days: number }[];
}

/** The race parameters with a scenario's advance rates (explicit rates win). */
export function withScenario(params: RaceParameters, sc: Scenario | undefined): RaceParameters {
  if (!sc) return params;
  const rates = Object.fromEntries(sc.overrides.flatMap((o) => (o.kind === 'advance-rate' ? [[o.bloc, o.kmPerDay]] : [])));
  return { ...params, advanceKmPerDay: { ...rates, ...params.advanceKmPerDay } };
}

/** A scenario's added positions, as the race takes them. */
export function positionsOf(sc: Scenario | undefined): { actor: string; lon: number; lat: number; label?: string }[] {
  return (sc?.overrides ?? []).flatMap((o) => (o.kind === 'position' ? [{ actor: o.actor, lon: o.lon, lat: o.lat, ...(o.label ? { label: o.label } : {}) }] : []));
}

/** Blocs hostile to `bloc` on the date that hold any place (only they can come). */
export function hostileBlocs(model: ControlModel, bloc: string, date: IsoDate): string[] {
  const b = model.blocIds.indexOf(bloc);
  if (b < 0) throw new RangeError(`no bloc "${bloc}" (blocs: ${model.blocIds.join(', ')})`);
  const state = model.stateAt(date);
  return model.blocIds.filter((id, i) => i !== b && id !== 'unaffiliated' && state.blocs[i]!.places > 0 && model.relation(b, i, date) === 'hostile');
}

/** How soon each bloc hostile to `bloc` reaches each target, nearest threat first in each row. */
export function exposureTo(ctx: RaceContext, date: IsoDate, bloc: string, targets: readonly ExposureTarget[], params: RaceParameters = DEFAULT_RACE_PARAMETERS, scenario?: Scenario): { hostile: string[]; rows: Exposure[] } {
  const hostile = hostileBlocs(ctx.model, bloc, date);
  if (!hostile.length || !targets.length) return { hostile, rows: targets.map((t) => ({ id: t.id, name: t.name, firstThreat: null, days: null, threats: [] })) };
  const race = runRace(ctx, date, targets, withScenario(params, scenario), { blocs: [bloc, ...hostile], routes: false, positions: positionsOf(scenario) });
  const rows = race.objectives.map((r, i) => {
    const threats = r.arrivals.filter((a) => a.bloc !== bloc && a.days !== null).map((a) => ({ bloc: a.bloc, days: a.days! })).sort((x, y) => x.days - y.days);
    return { id: targets[i]!.id, name: targets[i]!.name, firstThreat: threats[0]?.bloc ?? null, days: threats[0]?.days ?? null, threats };
  });
  return { hostile, rows };
}

/**
 * "If the protecting force withdraws": the bloc's places pass to its ally that holds most places (its
 * local partner), and every bloc that only deconflicted with that ally because of the protector — that
 * is, deconflicted with the protector itself — becomes hostile to the ally. Zones the protector enforces
 * are not lifted here (the race keeps zones as they are): a known limit, written in docs/stabilize.md.
 */
export function withdrawalScenario(model: ControlModel, protector: string, date: IsoDate, base?: Scenario): Scenario {
  const p = model.blocIds.indexOf(protector);
  if (p < 0) throw new RangeError(`no bloc "${protector}" (blocs: ${model.blocIds.join(', ')})`);
  const state = model.stateAt(date);
  const allies = model.blocIds.map((id, i) => ({ id, i })).filter(({ id, i }) => i !== p && id !== 'unaffiliated' && model.relation(p, i, date) === 'allied');
  const partner = allies.sort((a, b) => state.blocs[b.i]!.places - state.blocs[a.i]!.places)[0];
  const overrides: ScenarioOverride[] = [...(base?.overrides ?? [])];
  if (partner) {
    const actor = model.blocs.find((b) => b.id === partner.id)?.members.find((m) => (!m.from || m.from <= date) && (!m.to || date <= m.to))?.actor;
    if (actor) {
      model.places.forEach((pl, i) => {
        if (state.placeBloc[i] === p) overrides.push({ kind: 'control', place: pl.id, actor, status: 'held', from: date });
      });
    }
    model.blocIds.forEach((id, t) => {
      if (t === p || t === partner.i || id === 'unaffiliated') return;
      if (model.relation(p, t, date) === 'deconflicted' && model.relation(partner.i, t, date) === 'deconflicted') overrides.push({ kind: 'relation', a: partner.id, b: id, relation: 'hostile' });
    });
  }
  return {
    id: `${base?.id ?? 'baseline'}-without-${protector}`,
    name: `${base?.name ?? 'Baseline'}, without ${protector}`,
    description: `${protector} withdraws on ${date}: its places pass to ${partner?.id ?? 'no ally'}; blocs that deconflicted with it become hostile to ${partner?.id ?? 'its ally'}.`,
    baseDate: date,
    overrides,
  };
}
