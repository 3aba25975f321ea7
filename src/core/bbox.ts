/** A box in degrees: west, south, east, north. */
export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];
