/**
 * Control of a date as GeoJSON: an area per bloc (cells outlined and cut to the land), unassigned land,
 * front lines with their two sides, zones in force and places with their holders.
 */
import { blocColors, UNASSIGNED_COLOR } from '../core/bloc-colors.js';
import { traceCellsOutline } from '../geo/land-grid.js';
import type { ControlDiff, ControlModel, ControlState, FrontLine } from './model.js';

export interface Feature {
  type: 'Feature';
  geometry: { type: string; coordinates: unknown };
  properties: Record<string, unknown>;
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

export function areaFeatures(model: ControlModel, state: ControlState, onlyBloc?: string): Feature[] {
  const out: Feature[] = [];
  for (const [b, cells] of model.cellsByBloc(state)) {
    const bloc = b >= 0 ? model.blocIds[b]! : 'unassigned';
    if (onlyBloc && bloc !== onlyBloc) continue;
    const coords = traceCellsOutline(model.grid, cells);
    const areaKm2 = cells.reduce((s, c) => s + model.grid.areaKm2[c]!, 0);
    out.push({ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: coords }, properties: { kind: 'area', bloc, name: b >= 0 ? model.blocNames[b] : 'Unassigned', color: b >= 0 ? (blocColors(model.blocs)[bloc] ?? null) : UNASSIGNED_COLOR, date: state.date, areaKm2: round(areaKm2) } });
  }
  return out;
}

/** The land whose holder is contested or besieged on the date (the map hatches it), one feature per status. */
export function contestedFeatures(model: ControlModel, state: ControlState): Feature[] {
  const out: Feature[] = [];
  for (const [code, status] of [[1, 'contested'], [2, 'besieged']] as const) {
    const cells: number[] = [];
    for (let c = 0; c < state.cellStatus.length; c++) if (state.cellBloc[c]! >= 0 && state.cellStatus[c] === code) cells.push(c);
    if (!cells.length) continue;
    const areaKm2 = cells.reduce((s, c) => s + model.grid.areaKm2[c]!, 0);
    out.push({ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: traceCellsOutline(model.grid, cells) }, properties: { kind: 'contested', status, date: state.date, areaKm2: round(areaKm2) } });
  }
  return out;
}

export function frontLineFeatures(lines: FrontLine[], date: string): Feature[] {
  return lines.map((f) => ({
    type: 'Feature',
    geometry: { type: 'MultiLineString', coordinates: f.lines },
    properties: { kind: 'front-line', date, sides: f.sides, names: f.names, lengthKm: round(f.lengthKm, 1) },
  }));
}

export function placeFeatures(model: ControlModel, state: ControlState, onlyBloc?: string): Feature[] {
  const byId = new Map(model.places.map((p) => [p.id, p]));
  return model
    .placeStates(state)
    .filter((s) => !onlyBloc || s.bloc === onlyBloc)
    .map((s) => {
      const p = byId.get(s.placeId)!;
      return { type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { kind: 'place', ...s, population: p.population } };
    });
}

export function zoneFeatures(model: ControlModel, state: ControlState): Feature[] {
  const inForce = new Map(model.zonesAt(state).map((z) => [z.id, z]));
  return model.zones
    .filter((z) => inForce.has(z.id))
    .map((z) => ({ type: 'Feature', geometry: z.geometry, properties: { kind: 'zone', id: z.id, name: z.name, zoneKind: z.kind, closedTo: z.closedTo, blocsKm2: inForce.get(z.id)!.blocsKm2 } }));
}

export function collection(features: Feature[], meta: Record<string, unknown>): string {
  return JSON.stringify({ type: 'FeatureCollection', frontline: meta, features });
}

/** The land that changed hands between two dates, one MultiPolygon per (from, to) pair of blocs. */
export function diffFeatures(model: ControlModel, d: ControlDiff): Feature[] {
  return d.changes.map((c) => ({ type: 'Feature' as const, geometry: { type: 'MultiPolygon' as const, coordinates: traceCellsOutline(model.grid, c.cells) }, properties: { kind: 'change', from: c.from, to: c.to, areaKm2: round(c.areaKm2, 1) } }));
}
