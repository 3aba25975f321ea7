/**
 * GeoJSON (RFC 7946) for events, places, zones and control observations. A collection Frontline writes
 * names its kind in a foreign member, `"frontline": {"kind": "events"}`, so importing it back needs no flag.
 */
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { ImportError } from '../core/errors.js';
import {
  BoundarySchema,
  ControlAreaSchema,
  ControlObservationSchema,
  describeIssues,
  type Boundary,
  type ControlArea,
  EventSchema,
  PlaceSchema,
  ZoneSchema,
  type ConflictEvent,
  type ControlObservation,
  type Place,
  type Provenance,
  type Zone,
} from '../core/schemas.js';
import { checkPolygonGeometry } from '../geo/polygon-check.js';
import type { RowResult } from './convert.js';
import type { SourceRow } from './import-runner.js';

export const GEOJSON_KINDS = ['events', 'places', 'zones', 'control', 'control-areas', 'boundary'] as const;
export type GeoJsonKind = (typeof GEOJSON_KINDS)[number];

interface Feature {
  type: 'Feature';
  id?: string | number;
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown> | null;
}

const MAX_BYTES = 512 * 1024 * 1024;

/** Read a FeatureCollection (or a lone Feature), checking its shape before any feature is looked at. */
export function readFeatureCollection(file: string): { features: Feature[]; kind: GeoJsonKind | null } {
  let text: string;
  try {
    if (statSync(file).size > MAX_BYTES) throw new ImportError(`is larger than ${MAX_BYTES / 1024 / 1024} MiB; split it or use CSV`, { file });
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(`cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)}): check the path`, { file });
  }
  if (!text.trim()) throw new ImportError('the file is empty: expected a GeoJSON FeatureCollection', { file, line: 1 });
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const m = /position (\d+)/.exec(String(err));
    const line = m ? text.slice(0, Number(m[1])).split('\n').length : 1;
    throw new ImportError(`is not valid JSON (${(err as Error).message})`, { file, line });
  }
  const o = doc as { type?: unknown; features?: unknown; frontline?: { kind?: unknown } };
  if (o && o.type === 'Feature') return { features: [o as unknown as Feature], kind: null };
  if (!o || o.type !== 'FeatureCollection' || !Array.isArray(o.features)) {
    throw new ImportError('is not a GeoJSON FeatureCollection (expected {"type": "FeatureCollection", "features": [...]})', { file, line: 1 });
  }
  const declared = o.frontline?.kind;
  const kind = typeof declared === 'string' && (GEOJSON_KINDS as readonly string[]).includes(declared) ? (declared as GeoJsonKind) : null;
  return { features: o.features as Feature[], kind };
}

/** Guess what a collection holds from its first feature, when it does not say. */
export function inferKind(features: Feature[]): GeoJsonKind {
  const f = features[0];
  const g = f?.geometry?.type;
  const p = f?.properties ?? {};
  if (g === 'Polygon' || g === 'MultiPolygon') return 'zones';
  if ('subType' in p || 'event_type' in p || 'type' in p) return 'events';
  if ('status' in p && 'actor' in p) return 'control';
  return 'places';
}

function pointOf(f: Feature): [number, number] | null {
  if (f.geometry?.type !== 'Point' || !Array.isArray(f.geometry.coordinates)) return null;
  const [lon, lat] = f.geometry.coordinates as unknown[];
  return typeof lon === 'number' && typeof lat === 'number' ? [lon, lat] : null;
}

function validate<T>(schema: z.ZodType<T>, value: unknown): RowResult<T> {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: describeIssues(r.error).map((i) => ({ field: i.field, reason: i.message })) };
}

/** The features of a collection as import rows; `line` is the feature's position, 1-based. */
export type GeoJsonRecord = ConflictEvent | Place | Zone | ControlObservation | ControlArea | Boundary;

export function* geojsonRows(features: Feature[], kind: GeoJsonKind, file: string): Generator<SourceRow<GeoJsonRecord>> {
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    const line = i + 1;
    const provenance: Provenance = { kind: 'file', file, line, format: `geojson-${kind}` };
    const raw = JSON.stringify(f).slice(0, 2000);
    if (!f || f.type !== 'Feature' || typeof f.properties !== 'object') {
      yield { line, raw, result: { ok: false, errors: [{ field: `features[${i}]`, reason: 'is not a GeoJSON Feature with properties' }] } };
      continue;
    }
    const props = { ...(f.properties ?? {}) };
    if (props.id === undefined && f.id !== undefined) props.id = String(f.id);
    if (!props.provenance) props.provenance = provenance;
    let result: RowResult<GeoJsonRecord>;
    if (kind === 'control-areas' || kind === 'boundary') {
      // Polygons drawn by people: repaired where the intent is plain (closing, winding), refused otherwise.
      const check = checkPolygonGeometry(f.geometry);
      if (!check.coordinates) {
        yield { line, raw, result: { ok: false, errors: check.errors.map((reason) => ({ field: `features[${i}].geometry`, reason })) } };
        continue;
      }
      const geometry = { type: 'MultiPolygon', coordinates: check.coordinates };
      if (kind === 'boundary') result = validate(BoundarySchema, { ...props, geometry });
      else {
        // A control map's source may be given as a plain name.
        const source = typeof props.source === 'string' ? { name: props.source } : props.source;
        result = validate(ControlAreaSchema, { ...props, source, geometry });
      }
      if (!result.ok) result = { ok: false, errors: result.errors.map((e) => ({ field: `features[${i}].${e.field}`, reason: e.reason })) };
      yield { line, raw, result, repairs: check.repairs };
      continue;
    }
    if (kind === 'zones') {
      result = validate(ZoneSchema, { ...props, geometry: f.geometry });
    } else if (kind === 'control') {
      result = validate(ControlObservationSchema, props);
    } else {
      const pt = pointOf(f);
      if (!pt) {
        yield { line, raw, result: { ok: false, errors: [{ field: `features[${i}].geometry`, reason: 'must be a Point [lon, lat]' }] } };
        continue;
      }
      result = kind === 'events' ? validate(EventSchema, { ...props, lon: pt[0], lat: pt[1] }) : validate(PlaceSchema, { ...props, lon: pt[0], lat: pt[1] });
    }
    if (!result.ok) result = { ok: false, errors: result.errors.map((e) => ({ field: `features[${i}].${e.field}`, reason: e.reason })) };
    yield { line, raw, result };
  }
}

function pointFeature(id: string, lon: number, lat: number, properties: Record<string, unknown>): Feature {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
}

export function eventFeature(e: ConflictEvent): Feature {
  const { lon, lat, ...props } = e;
  return pointFeature(e.id, lon, lat, props);
}

export function placeFeature(p: Place): Feature {
  const { lon, lat, ...props } = p;
  return pointFeature(p.id, lon, lat, props);
}

export function zoneFeature(z: Zone): Feature {
  const { geometry, ...props } = z;
  return { type: 'Feature', id: z.id, geometry, properties: props };
}

/** Control observations are drawn at their place; the geometry is for maps, the place id is the truth. */
export function controlFeature(o: ControlObservation, place: Place | undefined): Feature {
  return {
    type: 'Feature',
    id: o.id,
    geometry: place ? { type: 'Point', coordinates: [place.lon, place.lat] } : null,
    properties: { ...o },
  };
}

/** The opening of a FeatureCollection written as a stream, one feature per line. */
export function collectionHead(kind: GeoJsonKind): string {
  return `{"type":"FeatureCollection","frontline":{"kind":"${kind}","version":1},"features":[\n`;
}
export const COLLECTION_TAIL = '\n]}\n';
