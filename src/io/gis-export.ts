/**
 * Vector exports for GIS tools (QGIS, Google Earth, ArcGIS): control of a date (areas, contested land,
 * front lines, places), events, or zones, as GeoPackage, KML or FlatGeobuf. One set of layers, three
 * writers; properties are flat (nested values as JSON text) so every tool reads the same columns.
 * See docs/decisions/0034-gis-exports-geopackage-kml-flatgeobuf.md.
 */
import { geojson as fgb } from 'flatgeobuf';
import { writeFileSync } from 'node:fs';
import { blocColors, EVENT_TYPE_COLORS, UNASSIGNED_COLOR } from '../core/bloc-colors.js';
import { fromDayNumber, type IsoDate } from '../core/dates.js';
import { areaFeatures, contestedFeatures, frontLineFeatures, placeFeatures } from '../control/geojson.js';
import { loadControlModel } from '../control/load.js';
import type { EventQuery, Store } from '../store/store.js';
import { exportTo } from './index.js';
import { writeGeoPackage, type GisLayer } from './gpkg.js';
import { kmlDocument } from './kml.js';

export const GIS_FORMATS = ['gpkg', 'kml', 'fgb'] as const;
export type GisFormat = (typeof GIS_FORMATS)[number];
export const GIS_KINDS = ['control', 'events', 'zones'] as const;
export type GisKind = (typeof GIS_KINDS)[number];

/** Flat properties: nested values as JSON text, so a GeoPackage column or a KML Data is one value. */
function flat(p: Record<string, unknown> | null): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(p ?? {})) out[k] = v === undefined ? null : typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string | number | boolean | null);
  return out;
}

/** An event as GIS columns: fatalities as numbers (null: unknown, never 0), sources by name. */
function eventColumns(p: Record<string, unknown>): Record<string, string | number | null> {
  const f = (p.fatalities ?? {}) as { best?: number | null; low?: number | null; high?: number | null };
  const sources = (p.sources ?? []) as { name: string; url?: string }[];
  return {
    id: p.id as string, date: p.date as string, type: p.type as string, sub_type: p.subType as string,
    actor1: p.actor1 as string, actor2: (p.actor2 as string) ?? null, location: (p.location as string) ?? null,
    admin1: (p.admin1 as string) ?? null, place: (p.place as string) ?? null,
    fatalities: f.best ?? null, fatalities_low: f.low ?? null, fatalities_high: f.high ?? null,
    status: (p.status as string) ?? null, notes: (p.notes as string) ?? null,
    sources: sources.map((s) => (s.url ? `${s.name} <${s.url}>` : s.name)).join('; '),
  };
}

export interface GisExport {
  layers: GisLayer[];
  title: string;
  colorOf: (f: GeoJSON.Feature) => string | null;
}

export async function gisLayers(store: Store, kind: GisKind, opts: { date?: IsoDate; query?: EventQuery } = {}): Promise<GisExport> {
  if (kind === 'events') {
    let text = '';
    await exportTo(store, 'geojson', { query: opts.query ?? {}, write: (c: string | Uint8Array) => void (text += typeof c === 'string' ? c : Buffer.from(c).toString('utf8')) });
    const fc = JSON.parse(text) as GeoJSON.FeatureCollection;
    const features = fc.features.filter((f) => f.geometry).map((f) => ({ type: 'Feature' as const, geometry: f.geometry, properties: eventColumns({ ...f.properties, id: f.properties?.id ?? f.id }) }));
    return { title: 'Frontline events', layers: [{ name: 'events', description: 'Events (ACLED taxonomy); fatalities empty where unknown', features, types: { fatalities: 'INTEGER', fatalities_low: 'INTEGER', fatalities_high: 'INTEGER' } }], colorOf: (f) => EVENT_TYPE_COLORS[String(f.properties?.type)] ?? null };
  }
  const model = await loadControlModel(store);
  const palette = blocColors(model.blocs);
  if (kind === 'zones') {
    const zones = await store.listZones();
    const features = zones.map((z) => ({ type: 'Feature' as const, geometry: z.geometry as GeoJSON.Geometry, properties: flat({ id: z.id, name: z.name, kind: z.kind, from: z.from ?? null, to: z.to ?? null, sources: (z as { sources?: unknown }).sources ?? null }) }));
    return { title: 'Frontline zones', layers: [{ name: 'zones', description: 'Zones (ceasefire, de-escalation, deconfliction …) with their dates', features }], colorOf: () => '#1f5fa8' };
  }
  const last = model.timeline.lastDay;
  const date = opts.date ?? (last === null ? undefined : fromDayNumber(last));
  if (!date) throw new RangeError('the store holds no control observations: nothing to export');
  const state = model.stateAt(date);
  const toFeature = (f: { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }): GeoJSON.Feature => ({ type: 'Feature', geometry: f.geometry as GeoJSON.Geometry, properties: flat(f.properties) });
  const layers: GisLayer[] = [
    { name: 'control_areas', description: `Areas of control on ${date}, one multipolygon per bloc (H3 cells cut to the land)`, features: areaFeatures(model, state).map(toFeature) },
    { name: 'contested', description: `Land contested or besieged on ${date}`, features: contestedFeatures(model, state).map(toFeature) },
    { name: 'front_lines', description: `Front lines between hostile blocs on ${date}`, features: frontLineFeatures(model.frontLines(state), date).map(toFeature) },
    { name: 'places', description: `Places with their holder on ${date}`, features: placeFeatures(model, state).map(toFeature) },
  ].filter((l) => l.features.length > 0);
  return {
    title: `Frontline control on ${date}`,
    layers,
    colorOf: (f) => {
      const p = f.properties ?? {};
      if (p.kind === 'front-line') return '#b30000';
      if (p.kind === 'contested') return '#282828';
      return p.bloc === 'unassigned' ? UNASSIGNED_COLOR : (palette[String(p.bloc)] ?? null);
    },
  };
}

/** Write the export to `path` in the format; returns the number of features written. */
export function writeGis(format: GisFormat, path: string, exp: GisExport): number {
  const count = exp.layers.reduce((s, l) => s + l.features.length, 0);
  if (format === 'gpkg') return writeGeoPackage(path, exp.layers);
  if (format === 'kml') {
    writeFileSync(path, kmlDocument(exp.layers, { title: exp.title, description: 'Made by Frontline from its store; every record cites its source.', colorOf: exp.colorOf }));
    return count;
  }
  writeFileSync(path, gisBytes('fgb', exp));
  return count;
}

/** The export as bytes (for the API): GeoPackage via a temporary file, KML as text, FlatGeobuf. */
export function gisBytes(format: GisFormat, exp: GisExport): Uint8Array {
  if (format === 'kml') return Buffer.from(kmlDocument(exp.layers, { title: exp.title, colorOf: exp.colorOf }));
  if (format === 'fgb') {
    // One FlatGeobuf file holds one layer: the layers go in one after another, each feature naming its layer.
    const features = exp.layers.flatMap((l) => l.features.map((f) => ({ ...f, properties: { layer: l.name, ...f.properties } as Record<string, unknown> })));
    // The library takes its columns and their types from the first feature: every feature gets every
    // column (null where it has none), numbers only where a column holds nothing else, text otherwise.
    const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
    const numeric = new Set(keys.filter((k) => features.every((f) => f.properties[k] === null || f.properties[k] === undefined || typeof f.properties[k] === 'number') && features.some((f) => typeof f.properties[k] === 'number')));
    const first = features[0];
    if (first) for (const k of numeric) if (typeof first.properties[k] !== 'number') numeric.delete(k); // a leading null would type it as text
    for (const f of features)
      f.properties = Object.fromEntries(keys.map((k) => {
        const v = f.properties[k];
        return [k, v === null || v === undefined ? null : numeric.has(k) ? v : typeof v === 'string' ? v : String(v)];
      }));
    return fgb.serialize({ type: 'FeatureCollection', features: features as GeoJSON.Feature[] }, 4326);
  }
  throw new RangeError('a GeoPackage is written to a file: use writeGis');
}
