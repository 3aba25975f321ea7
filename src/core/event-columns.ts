/**
 * Events as typed-array columns sorted by day: an in-memory index for the scans analysts run again and
 * again (counts per week in a box, counts per grid cell over a year). A binary search finds the date
 * window, then a tight loop over plain arrays tests space, type and actor. Pure data in, data out: the
 * store builds it from its rows and keeps it fresh (DESIGN.md §3, "Fast analysis over the store").
 */
import type { BBox } from './bbox.js';

export interface EventColumnsFilter {
  minDay?: number;
  maxDay?: number;
  bbox?: BBox;
  type?: string;
  subType?: string;
  /** Actor ids: matches when either side is one of them. */
  actors?: readonly string[];
  /** Status values to keep (default: everything but retracted). */
  statuses?: readonly string[];
}

export interface EventColumns {
  readonly length: number;
  readonly day: Int32Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  readonly type: Uint16Array;
  readonly subType: Uint16Array;
  readonly actor1: Uint32Array;
  readonly actor2: Uint32Array;
  readonly status: Uint8Array;
  /** The store's key of each event (its rowid), to fetch whole events for the matches. */
  readonly key: Float64Array;
  /** West, south, east, north of all events (all zeros when there are none). */
  readonly extent: [number, number, number, number];
  /** Code tables: code n stands for names[n]; code 0 is "none". */
  readonly types: string[];
  readonly subTypes: string[];
  readonly actors: string[];
  readonly statuses: string[];
}

/** One event as the builder takes it: day, lon, lat, type, subType, actor1Id, actor2Id, status, key. */
export type EventColumnsInput = [number, number, number, string, string, string | null, string | null, string, number];

class Codes {
  readonly names: string[] = [''];
  private readonly index = new Map<string, number>();
  code(name: string | null): number {
    if (name === null || name === '') return 0;
    let c = this.index.get(name);
    if (c === undefined) {
      c = this.names.length;
      this.names.push(name);
      this.index.set(name, c);
    }
    return c;
  }
  find(name: string): number {
    return this.index.get(name) ?? -1;
  }
}

/** Build the columns from events already sorted by day (the caller's ORDER BY). */
export function buildEventColumns(rows: Iterable<EventColumnsInput>, expected = 1024): EventColumns {
  let cap = Math.max(16, expected);
  let day = new Int32Array(cap);
  let lon = new Float64Array(cap);
  let lat = new Float64Array(cap);
  let type = new Uint16Array(cap);
  let subType = new Uint16Array(cap);
  let actor1 = new Uint32Array(cap);
  let actor2 = new Uint32Array(cap);
  let status = new Uint8Array(cap);
  let key = new Float64Array(cap);
  const types = new Codes();
  const subTypes = new Codes();
  const actors = new Codes();
  const statuses = new Codes();
  let n = 0;
  let lastDay = -Infinity;
  for (const r of rows) {
    if (n === cap) {
      cap *= 2;
      const grow = <T extends Int32Array | Float64Array | Uint16Array | Uint32Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(cap);
        b.set(a);
        return b;
      };
      day = grow(day);
      lon = grow(lon);
      lat = grow(lat);
      type = grow(type);
      subType = grow(subType);
      actor1 = grow(actor1);
      actor2 = grow(actor2);
      status = grow(status);
      key = grow(key);
    }
    if (r[0] < lastDay) throw new Error('buildEventColumns needs its rows sorted by day');
    lastDay = r[0];
    day[n] = r[0];
    lon[n] = r[1];
    lat[n] = r[2];
    type[n] = types.code(r[3]);
    subType[n] = subTypes.code(r[4]);
    actor1[n] = actors.code(r[5]);
    actor2[n] = actors.code(r[6]);
    status[n] = statuses.code(r[7]);
    key[n] = r[8];
    n++;
  }
  let w = Infinity;
  let so = Infinity;
  let e = -Infinity;
  let no = -Infinity;
  for (let i = 0; i < n; i++) {
    if (lon[i]! < w) w = lon[i]!;
    if (lon[i]! > e) e = lon[i]!;
    if (lat[i]! < so) so = lat[i]!;
    if (lat[i]! > no) no = lat[i]!;
  }
  return {
    length: n,
    extent: n ? [w, so, e, no] : [0, 0, 0, 0],
    day: day.subarray(0, n),
    lon: lon.subarray(0, n),
    lat: lat.subarray(0, n),
    type: type.subarray(0, n),
    subType: subType.subarray(0, n),
    actor1: actor1.subarray(0, n),
    actor2: actor2.subarray(0, n),
    status: status.subarray(0, n),
    key: key.subarray(0, n),
    types: types.names,
    subTypes: subTypes.names,
    actors: actors.names,
    statuses: statuses.names,
  };
}

function lowerBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Calls `visit(i)` for every event matching the filter, in day order; `visit` returning false stops. */
export function forEachMatch(c: EventColumns, f: EventColumnsFilter, visit: (i: number) => boolean | void): void {
  const start = f.minDay === undefined ? 0 : lowerBound(c.day, f.minDay);
  const end = f.maxDay === undefined ? c.length : lowerBound(c.day, f.maxDay + 1);
  const codeOf = (names: string[], name: string): number => names.indexOf(name);
  const type = f.type === undefined ? -1 : codeOf(c.types, f.type);
  const subType = f.subType === undefined ? -1 : codeOf(c.subTypes, f.subType);
  if ((f.type !== undefined && type < 0) || (f.subType !== undefined && subType < 0)) return;
  let actorSet: Uint8Array | null = null;
  if (f.actors) {
    actorSet = new Uint8Array(c.actors.length);
    for (const a of f.actors) {
      const code = codeOf(c.actors, a);
      if (code > 0) actorSet[code] = 1;
    }
  }
  const statusOk = new Uint8Array(c.statuses.length);
  c.statuses.forEach((s, i) => {
    statusOk[i] = f.statuses ? Number(f.statuses.includes(s)) : Number(s !== 'retracted');
  });
  const [w, s, e, n] = f.bbox ?? [-Infinity, -Infinity, Infinity, Infinity];
  const { lon, lat } = c;
  for (let i = start; i < end; i++) {
    const x = lon[i]!;
    if (x < w || x > e) continue;
    const y = lat[i]!;
    if (y < s || y > n) continue;
    if (type >= 0 && c.type[i] !== type) continue;
    if (subType >= 0 && c.subType[i] !== subType) continue;
    if (actorSet && !actorSet[c.actor1[i]!] && !actorSet[c.actor2[i]!]) continue;
    if (!statusOk[c.status[i]!]) continue;
    if (visit(i) === false) return;
  }
}

/** Events per period start day (a day number): days, Monday-based weeks, or months. */
export function countByPeriod(c: EventColumns, f: EventColumnsFilter, periodStart: (day: number) => number): Map<number, number> {
  const counts = new Map<number, number>();
  let lastDay = NaN;
  let key = NaN;
  let run = 0;
  // Rows come in day order, so a period's events come together: count the run, store it when it ends.
  forEachMatch(c, f, (i) => {
    const d = c.day[i]!;
    if (d !== lastDay) {
      lastDay = d;
      const k = periodStart(d);
      if (k !== key) {
        if (run) counts.set(key, run);
        key = k;
        run = 0;
      }
    }
    run++;
  });
  if (run) counts.set(key, run);
  return counts;
}

/** Events per square grid cell: a map from "col,row" to count, cells of `size` degrees. */
export function countByCell(c: EventColumns, f: EventColumnsFilter, size: number): Map<string, { col: number; row: number; count: number }> {
  const inv = 1 / size;
  // A dense array over the data's extent when it is small enough (a country at 0.1° is a few thousand
  // cells); a map keyed by cell otherwise.
  const [w, s, e, n] = c.extent;
  const col0 = Math.floor(w * inv);
  const row0 = Math.floor(s * inv);
  const cols = Math.floor(e * inv) - col0 + 1;
  const rows = Math.floor(n * inv) - row0 + 1;
  if (c.length && cols * rows <= 4_000_000) {
    const counts = new Uint32Array(cols * rows);
    forEachMatch(c, f, (i) => {
      counts[(Math.floor(c.lat[i]! * inv) - row0) * cols + (Math.floor(c.lon[i]! * inv) - col0)]!++;
    });
    const out = new Map<string, { col: number; row: number; count: number }>();
    for (let k = 0; k < counts.length; k++) {
      if (!counts[k]) continue;
      const col = col0 + (k % cols);
      const row = row0 + Math.floor(k / cols);
      out.set(`${col},${row}`, { col, row, count: counts[k]! });
    }
    return out;
  }
  const cells = new Map<number, { col: number; row: number; count: number }>();
  forEachMatch(c, f, (i) => {
    const col = Math.floor(c.lon[i]! * inv);
    const row = Math.floor(c.lat[i]! * inv);
    // Columns and rows of any sensible grid fit in ±2^20: pack them into one number key.
    const key = (col + 1_048_576) * 2_097_152 + (row + 1_048_576);
    const cell = cells.get(key);
    if (cell) cell.count++;
    else cells.set(key, { col, row, count: 1 });
  });
  return new Map([...cells.values()].map((v) => [`${v.col},${v.row}`, v]));
}
