/**
 * The OpenStreetMap highway classes a vehicle can drive, with the speeds the race assumes on them in
 * friendly territory (km/h). Speeds are those of a military convoy or pick-up column, not of a car on an
 * empty road: roughly 80% of typical rural limits, much less on tracks (docs/routing.md).
 */
export const ROAD_CLASSES = [
  'motorway',
  'trunk',
  'primary',
  'secondary',
  'tertiary',
  'unclassified',
  'residential',
  'living_street',
  'service',
  'road',
  'track',
] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];

export const DEFAULT_SPEED_KMH: Record<RoadClass, number> = {
  motorway: 90,
  trunk: 80,
  primary: 70,
  secondary: 60,
  tertiary: 50,
  unclassified: 40,
  residential: 25,
  living_street: 10,
  service: 20,
  road: 40,
  track: 20,
};

/** The class of a way from its highway tag (links count as their road), or null when vehicles do not use it. */
export function roadClassOf(highway: string | undefined): number {
  if (!highway) return -1;
  const base = highway.endsWith('_link') ? highway.slice(0, -5) : highway;
  return (ROAD_CLASSES as readonly string[]).indexOf(base);
}

/** Which ways a vehicle may drive one way only: +1 forward, -1 backward, 0 both (OSM's rules). */
export function onewayOf(tags: Readonly<Record<string, string>>): 1 | -1 | 0 {
  const o = tags.oneway;
  if (o === 'yes' || o === 'true' || o === '1') return 1;
  if (o === '-1' || o === 'reverse') return -1;
  if (o === 'no' || o === 'false' || o === '0') return 0;
  // Implied one-way: motorways and roundabouts.
  if (tags.highway === 'motorway' || tags.highway === 'motorway_link' || tags.junction === 'roundabout' || tags.junction === 'circular') return 1;
  return 0;
}
