/**
 * The demo's reference layers for the map: rivers and lakes (Natural Earth 1:10m, public domain) and
 * Syria's governorate and district boundaries (OCHA COD-AB v02, CC BY-IGO, attribute OCHA), derived from
 * ../shared/data at build time and committed as data/demo/water.geojson and data/demo/admin.geojson, so the
 * app needs nothing outside the checkout. Admin units are simplified on their topology (shared borders
 * stay shared) to a few hundred metres and written as boundary lines plus a label point per unit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

type Pos = [number, number];
type Fc = { features: { properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }[] };

/** The box the demo's map shows (Syria and a margin round it): features outside it are dropped. */
const BOX: [number, number, number, number] = [34.5, 31.5, 43.5, 38.2];
/** The share of the boundaries' points kept (topojson-simplify's quantile): 10%, ~50 KB for 62 districts. */
const KEEP = 0.1;
const round = (x: unknown, k = 1e3): unknown => (Array.isArray(x) ? x.map((y) => round(y, k)) : Math.round((x as number) * k) / k);
const inBox = (p: Pos): boolean => p[0] >= BOX[0] && p[0] <= BOX[2] && p[1] >= BOX[1] && p[1] <= BOX[3];

/** One display name for a river whose parts Natural Earth names in several languages. */
const RIVER_NAMES: Record<string, string> = { 'Al Furat': 'Euphrates', Firat: 'Euphrates', Euphrates: 'Euphrates', Dicle: 'Tigris', Tigris: 'Tigris' };
const LAKE_NAMES: Record<string, string> = { 'Buhayrat al-Assad': 'Lake Assad', 'Ataturk Barajt': 'Atatürk reservoir', 'Buhayrat ath Tharthar': 'Lake Tharthar' };

export function referenceAvailable(shared: string): boolean {
  return existsSync(join(shared, 'water')) && existsSync(join(shared, 'boundaries', 'syria-ocha-adm2.geojson'));
}

export function buildWater(shared: string): string {
  const read = (f: string): Fc => JSON.parse(readFileSync(join(shared, 'water', f), 'utf8')) as Fc;
  const features: unknown[] = [];
  for (const f of read('levant-rivers-naturalearth-10m.geojson').features) {
    const lines = (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates) as Pos[][];
    const kept = lines.filter((l) => l.some(inBox));
    if (!kept.length || !f.properties.name) continue;
    const local = String(f.properties.name);
    features.push({ type: 'Feature', geometry: { type: 'MultiLineString', coordinates: round(kept) }, properties: { kind: 'river', name: RIVER_NAMES[local] ?? local, name_local: local, scalerank: f.properties.scalerank } });
  }
  for (const f of read('levant-lakes-naturalearth-10m.geojson').features) {
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Pos[][][];
    const kept = polys.filter((p) => p[0]!.some(inBox));
    if (!kept.length) continue;
    const local = String(f.properties.name ?? '');
    features.push({ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: round(kept) }, properties: { kind: 'lake', name: LAKE_NAMES[local] ?? local, name_local: local, scalerank: f.properties.scalerank } });
  }
  const source = { name: 'Natural Earth 1:10m physical vectors ne_10m_rivers_lake_centerlines and ne_10m_lakes, v4.0 (public domain), clipped to the demo box, coordinates rounded to 0.001°', url: 'https://www.naturalearthdata.com/downloads/10m-physical-vectors/' };
  return `${JSON.stringify({ type: 'FeatureCollection', frontline: { kind: 'reference', source }, features })}\n`;
}

export function buildAdmin(shared: string): string {
  const read = (f: string): Fc => JSON.parse(readFileSync(join(shared, 'boundaries', f), 'utf8')) as Fc;
  const adm2 = read('syria-ocha-adm2.geojson');
  const topo = topology({ adm2: adm2 as unknown as GeoJSON.FeatureCollection }, 1e5);
  // Keep the most significant points (by triangle area): districts stay recognisable at country scale.
  const pre = presimplify(topo as unknown as Parameters<typeof presimplify>[0]);
  const simple = simplify(pre, quantile(pre, KEEP)) as Topology;
  const obj = simple.objects.adm2 as GeometryCollection<Record<string, unknown>>;
  const a1 = (x: { properties?: Record<string, unknown> }): unknown => x.properties?.adm1_pcode;
  // Lines: a governorate border where the two districts either side lie in different governorates.
  const gov = mesh(simple, obj, (a, b) => a !== b && a1(a) !== a1(b));
  const dist = mesh(simple, obj, (a, b) => a !== b && a1(a) === a1(b));
  const features: unknown[] = [
    { type: 'Feature', geometry: { type: 'MultiLineString', coordinates: round(gov.coordinates) }, properties: { kind: 'adm1-border' } },
    { type: 'Feature', geometry: { type: 'MultiLineString', coordinates: round(dist.coordinates) }, properties: { kind: 'adm2-border' } },
  ];
  // A label point per unit: the mean of its largest ring (good enough for labels at these shapes).
  const centre = (coords: Pos[][][]): Pos => {
    const ring = coords.map((p) => p[0]!).reduce((a, b) => (b.length > a.length ? b : a));
    const [x, y] = ring.reduce(([sx, sy], p) => [sx + p[0] / ring.length, sy + p[1] / ring.length], [0, 0]);
    return [x, y];
  };
  const units = feature(simple, obj) as unknown as Fc;
  const govs = new Map<string, { name: string; nameAr: string; rings: Pos[][][] }>();
  for (const f of units.features) {
    const p = f.properties;
    const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Pos[][][];
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: round(centre(polys)) }, properties: { kind: 'adm2-label', name: p.adm2_name, name_ar: p.adm2_name1, pcode: p.adm2_pcode, adm1: p.adm1_name } });
    const g = govs.get(String(p.adm1_pcode)) ?? { name: String(p.adm1_name), nameAr: String(p.adm1_name1), rings: [] };
    g.rings.push(...polys);
    govs.set(String(p.adm1_pcode), g);
  }
  for (const [pcode, g] of govs) {
    // The governorate's label at the mean of its districts' label points, weighted by their size in points.
    const pts = g.rings.flatMap((p) => p[0]!);
    const [x, y] = pts.reduce(([sx, sy], q) => [sx + q[0] / pts.length, sy + q[1] / pts.length], [0, 0]);
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: round([x, y]) }, properties: { kind: 'adm1-label', name: g.name, name_ar: g.nameAr, pcode } });
  }
  const source = { name: 'OCHA Syria COD-AB v02 (valid from 2020-12-17), governorates (ADM1) and districts (ADM2); licence CC BY-IGO, attribute "OCHA"; topology-preserving simplification (10% of points kept), coordinates rounded to 0.001°', url: 'https://data.humdata.org/dataset/cod-ab-syr' };
  return `${JSON.stringify({ type: 'FeatureCollection', frontline: { kind: 'reference', source }, features })}\n`;
}
