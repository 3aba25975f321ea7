/**
 * The basemap's land and borders, from Natural Earth 1:50m (public domain) as the world-atlas package
 * ships it: the countries round the scenario's places, their borders and a label point for each. Served
 * by the app itself, so the map needs nothing from the internet.
 */
import { createRequire } from 'node:module';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { BBox } from '../core/bbox.js';
import { referenceFeatures } from '../geo/reference-layers.js';

type Position = [number, number];
let topology: Topology | null = null;

const inBox = (p: Position, b: BBox): boolean => p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3];

/** Land (one polygon per country), borders between countries, and country names, within `box`. */
export function basemapFeatures(box: BBox): GeoJSON.FeatureCollection {
  topology ??= createRequire(import.meta.url)('world-atlas/countries-50m.json') as Topology;
  const countries = topology.objects.countries as GeometryCollection<{ name: string }>;
  const features: GeoJSON.Feature[] = [];
  const all = feature(topology, countries) as unknown as GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon, { name: string }>;
  for (const f of all.features) {
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const near = polys.filter((poly) => poly[0]!.some((p) => inBox(p as Position, box)));
    if (!near.length) continue;
    features.push({ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: near }, properties: { kind: 'land', name: f.properties.name } });
    // The label goes at the middle of the part with most points in view.
    const biggest = near.reduce((a, b) => (b[0]!.length > a[0]!.length ? b : a));
    const pts = (biggest[0] as Position[]).filter((p) => inBox(p, box));
    const [x, y] = pts.reduce(([sx, sy], p) => [sx + p[0] / pts.length, sy + p[1] / pts.length], [0, 0]);
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [x, y] }, properties: { kind: 'label', name: f.properties.name } });
  }
  features.push(...referenceFeatures(box));
  const borders = mesh(topology, countries, (a, b) => a !== b);
  const lines = borders.coordinates.filter((line) => line.some((p) => inBox(p as Position, box)));
  features.push({ type: 'Feature', geometry: { type: 'MultiLineString', coordinates: lines }, properties: { kind: 'border' } });
  return { type: 'FeatureCollection', features };
}

