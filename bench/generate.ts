/**
 * Seeded generator of ACLED-shaped rows with realistic, clustered distributions: events gather round the
 * demo's places (weighted by population), in surges over 2011–2023, between a few dominant actor pairs,
 * with ACLED's type mix. Same seed, same file.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { ACLED_COLUMNS } from '../src/io/acled.js';
import { csvLine } from '../src/io/csv.js';
import { ACLED_TAXONOMY, type EventType } from '../src/core/taxonomy.js';
import { fromDayNumber, dayNumber } from '../src/core/dates.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

function weighted<T>(rand: () => number, items: readonly T[], weights: readonly number[]): () => T {
  const total = weights.reduce((a, b) => a + b, 0);
  const cum: number[] = [];
  let acc = 0;
  for (const w of weights) cum.push((acc += w / total));
  return () => {
    const r = rand();
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

/** ACLED actor names as ACLED writes them; all resolve through the demo's alias table. */
export const BENCH_ACTORS = [
  'Military Forces of Syria (2000-)', 'Islamic State', 'SDF: Syrian Democratic Forces', 'Hayat Tahrir al-Sham',
  'Military Forces of Russia (2000-)', 'Military Forces of Turkey (2016-)', 'Syrian rebels', 'Civilians (Syria)',
  'US-led Coalition', 'Hezbollah', 'Jaysh al-Islam', 'Unidentified Armed Group (Syria)',
];
const ACTOR_WEIGHTS = [30, 18, 12, 9, 8, 5, 8, 14, 4, 2, 2, 6];
const TYPE_WEIGHTS: Record<EventType, number> = {
  Battles: 35, 'Explosions/Remote violence': 40, 'Violence against civilians': 12, Protests: 6, Riots: 2, 'Strategic developments': 5,
};

export interface GeneratedPlace {
  lon: number;
  lat: number;
  name: string;
  admin1: string;
  weight: number;
}

export function demoPlaces(): GeneratedPlace[] {
  const text = readFileSync(new URL('../data/demo/places.csv', import.meta.url), 'utf8');
  const lines = text.trim().split('\n').slice(1);
  // id,name,names,kind,lon,lat,country,admin1,admin2,population,...: the demo's places have no quoted commas before admin1.
  return lines.map((l) => {
    const f = l.split(',');
    const pop = Number(f[9]) || 2000;
    return { name: f[1]!, lon: Number(f[4]), lat: Number(f[5]), admin1: f[7] || 'unknown', weight: Math.sqrt(pop) };
  });
}

export async function generateAcled(file: string, rows: number, seed = 2017): Promise<void> {
  const rand = mulberry32(seed);
  const places = demoPlaces();
  const place = weighted(rand, places, places.map((p) => p.weight));
  const actor = weighted(rand, BENCH_ACTORS, ACTOR_WEIGHTS);
  const types = Object.keys(TYPE_WEIGHTS) as EventType[];
  const type = weighted(rand, types, types.map((t) => TYPE_WEIGHTS[t]));
  // Surges: centre day, spread in days, weight.
  const first = dayNumber('2011-03-15');
  const last = dayNumber('2023-12-31');
  const surges = Array.from({ length: 14 }, () => ({ centre: first + rand() * (last - first), spread: 20 + rand() * 150, weight: 0.3 + rand() }));
  const surge = weighted(rand, surges, surges.map((s) => s.weight));
  const out = createWriteStream(file);
  const write = (s: string): Promise<void> | void => {
    if (!out.write(s)) return new Promise((r) => out.once('drain', () => r()));
  };
  await write(csvLine(ACLED_COLUMNS));
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const p = place();
    const t = type();
    const subs = ACLED_TAXONOMY[t];
    const s = surge();
    // Most events fall in a surge, a third are background spread over the whole period.
    const day = rand() < 0.66 ? Math.round(s.centre + gaussian(rand) * s.spread) : Math.floor(first + rand() * (last - first));
    const date = fromDayNumber(Math.min(last, Math.max(first, day)));
    const a1 = actor();
    let a2 = actor();
    if (a2 === a1) a2 = 'Civilians (Syria)';
    const lon = (p.lon + gaussian(rand) * 0.04).toFixed(4);
    const lat = (p.lat + gaussian(rand) * 0.04).toFixed(4);
    const fat = rand() < 0.55 ? 0 : Math.floor(-Math.log(1 - rand()) * 4);
    const row: Record<string, string | number> = {
      event_id_cnty: `SYR${100000 + i}`, event_date: date, year: date.slice(0, 4), time_precision: rand() < 0.9 ? 1 : 2,
      disorder_type: t === 'Protests' || t === 'Riots' ? 'Demonstrations' : t === 'Strategic developments' ? 'Strategic developments' : 'Political violence',
      event_type: t, sub_event_type: subs[Math.floor(rand() * subs.length)]!, actor1: a1, assoc_actor_1: '', inter1: 1,
      actor2: a2, assoc_actor_2: '', inter2: 2, interaction: 12, civilian_targeting: '', iso: 760, region: 'Middle East',
      country: 'Syria', admin1: p.admin1, admin2: '', admin3: '', location: p.name, latitude: lat, longitude: lon,
      geo_precision: rand() < 0.8 ? 1 : 2, source: rand() < 0.5 ? 'Syrian Observatory for Human Rights' : 'SANA; Reuters',
      source_scale: 'National', notes: `On ${date}, ${a1} and ${a2} clashed near ${p.name}. Generated row ${i} for benchmarks.`,
      fatalities: fat, tags: '', timestamp: 1700000000 + i,
    };
    buf += csvLine(ACLED_COLUMNS.map((c) => row[c] ?? ''));
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
}
