/**
 * Events as typed-array columns sorted by day: an in-memory index for the scans analysts run again and
 * again (counts per week in a box, counts per grid cell over a year). A binary search finds the date
 * window, then a tight loop over plain arrays tests space, type and actor. Pure data in, data out: the
 * store builds it from its rows and keeps it fresh (DESIGN.md §3, "Fast analysis over the store").
 */
import { lowerBound } from './search.js';
import type { BBox } from './bbox.js';

export interface EventColumnsFilter {
  minDay?: number;
  maxDay?: number;
  bbox?: BBox;
  type?: string;
  subType?: string;
  /** Actor ids: matches when either side is one of them. */
  actors?: readonly string[];
  /** Status values to keep (default: reviewed events only, the stores' default: no drafts, nothing retracted). */
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
  /**
   * A grid of GRID_DEGREES cells over the extent: the events of cell k are cellItems[cellStart[k] .. cellStart[k + 1]), in
   * day order. A small box then visits its few cells instead of every event.
   */
  readonly grid: {
    col0: number;
    row0: number;
    cols: number;
    rows: number;
    cellStart: Int32Array;
    cellItems: Int32Array;
    /** Day, position and status again in cell order: box counts then read memory in sequence. */
    day: Int32Array;
    lon: Float64Array;
    lat: Float64Array;
    status: Uint8Array;
  };
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
/**
 * Build the columns from events in key order when the number of events on each day is known: each event
 * goes straight to its place (a counting sort by day), so the store can read its table in storage order,
 * the fastest way, and the result is in (day, key) order.
 */
export function buildEventColumnsByDay(dayCounts: Iterable<[day: number, count: number]>, rows: Iterable<EventColumnsInput>): EventColumns {
  const counts = [...dayCounts].sort((a, b) => a[0] - b[0]);
  const n = counts.reduce((a, [, c]) => a + c, 0);
  const next = new Map<number, number>();
  let at = 0;
  for (const [d, c] of counts) {
    next.set(d, at);
    at += c;
  }
  const b = new ColumnsBuilder(n);
  let seen = 0;
  for (const r of rows) {
    const pos = next.get(r[0]);
    if (pos === undefined || seen === n) throw new Error(`buildEventColumnsByDay: day ${r[0]} does not fit the day counts`);
    b.set(pos, r);
    next.set(r[0], pos + 1);
    seen++;
  }
  if (seen !== n) throw new Error(`buildEventColumnsByDay: ${seen} events where the day counts say ${n}`);
  return b.finish(n);
}

/** Build the columns from events already sorted by day (the caller's ORDER BY). */
export function buildEventColumns(rows: Iterable<EventColumnsInput>, expected = 1024): EventColumns {
  const b = new ColumnsBuilder(Math.max(16, expected));
  let n = 0;
  let lastDay = -Infinity;
  for (const r of rows) {
    if (r[0] < lastDay) throw new Error('buildEventColumns needs its rows sorted by day');
    lastDay = r[0];
    b.set(n++, r);
  }
  return b.finish(n);
}

class ColumnsBuilder {
  private cap: number;
  day: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  type: Uint16Array;
  subType: Uint16Array;
  actor1: Uint32Array;
  actor2: Uint32Array;
  status: Uint8Array;
  key: Float64Array;
  readonly types = new Codes();
  readonly subTypes = new Codes();
  readonly actors = new Codes();
  readonly statuses = new Codes();

  constructor(cap: number) {
    this.cap = cap;
    this.day = new Int32Array(cap);
    this.lon = new Float64Array(cap);
    this.lat = new Float64Array(cap);
    this.type = new Uint16Array(cap);
    this.subType = new Uint16Array(cap);
    this.actor1 = new Uint32Array(cap);
    this.actor2 = new Uint32Array(cap);
    this.status = new Uint8Array(cap);
    this.key = new Float64Array(cap);
  }

  set(i: number, r: EventColumnsInput): void {
    if (i >= this.cap) this.grow(Math.max(i + 1, this.cap * 2));
    this.day[i] = r[0];
    this.lon[i] = r[1];
    this.lat[i] = r[2];
    this.type[i] = this.types.code(r[3]);
    this.subType[i] = this.subTypes.code(r[4]);
    this.actor1[i] = this.actors.code(r[5]);
    this.actor2[i] = this.actors.code(r[6]);
    this.status[i] = this.statuses.code(r[7]);
    this.key[i] = r[8];
  }

  private grow(cap: number): void {
    const grow = <T extends Int32Array | Float64Array | Uint16Array | Uint32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.day = grow(this.day);
    this.lon = grow(this.lon);
    this.lat = grow(this.lat);
    this.type = grow(this.type);
    this.subType = grow(this.subType);
    this.actor1 = grow(this.actor1);
    this.actor2 = grow(this.actor2);
    this.status = grow(this.status);
    this.key = grow(this.key);
    this.cap = cap;
  }

  finish(n: number): EventColumns {
    const day = this.day.subarray(0, n);
    const lon = this.lon.subarray(0, n);
    const lat = this.lat.subarray(0, n);
    const status = this.status.subarray(0, n);
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
    const grid = buildGrid(lon, lat, day, status, n ? [w, so, e, no] : [0, 0, 0, 0]);
    return {
      length: n,
      extent: n ? [w, so, e, no] : [0, 0, 0, 0],
      grid,
      day,
      lon,
      lat,
      type: this.type.subarray(0, n),
      subType: this.subType.subarray(0, n),
      actor1: this.actor1.subarray(0, n),
      actor2: this.actor2.subarray(0, n),
      status,
      key: this.key.subarray(0, n),
      types: this.types.names,
      subTypes: this.subTypes.names,
      actors: this.actors.names,
      statuses: this.statuses.names,
    };
  }
}

/** Cells of a quarter degree: a box round a town covers a few dozen, and the whole world 1,036,800. */
const GRID_INV = 4;

function buildGrid(lon: Float64Array, lat: Float64Array, day: Int32Array, status: Uint8Array, extent: [number, number, number, number]): EventColumns['grid'] {
  const col0 = Math.floor(extent[0] * GRID_INV);
  const row0 = Math.floor(extent[1] * GRID_INV);
  const cols = Math.floor(extent[2] * GRID_INV) - col0 + 1;
  const rows = Math.floor(extent[3] * GRID_INV) - row0 + 1;
  const n = lon.length;
  const cellOf = new Int32Array(n);
  const cellStart = new Int32Array(cols * rows + 1);
  for (let i = 0; i < n; i++) {
    const k = (Math.floor(lat[i]! * GRID_INV) - row0) * cols + (Math.floor(lon[i]! * GRID_INV) - col0);
    cellOf[i] = k;
    cellStart[k + 1]!++;
  }
  for (let k = 0; k < cols * rows; k++) cellStart[k + 1]! += cellStart[k]!;
  // A counting sort by cell; stable, so each cell's events stay in day order.
  const fill = cellStart.slice(0, cols * rows);
  const cellItems = new Int32Array(n);
  for (let i = 0; i < n; i++) cellItems[fill[cellOf[i]!]!++] = i;
  const g = { col0, row0, cols, rows, cellStart, cellItems, day: new Int32Array(n), lon: new Float64Array(n), lat: new Float64Array(n), status: new Uint8Array(n) };
  for (let k = 0; k < n; k++) {
    const i = cellItems[k]!;
    g.day[k] = day[i]!;
    g.lon[k] = lon[i]!;
    g.lat[k] = lat[i]!;
    g.status[k] = status[i]!;
  }
  return g;
}

/** The first k in [lo, hi) with day[k] at or after x (a cell's days are sorted). */
function lowerBoundRange(day: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (day[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Ranges of grid.cellItems holding the candidates of a box in a day window, when that is much less than
 * scanning the window itself; null when a plain scan is as good.
 */
function cellRanges(c: EventColumns, f: EventColumnsFilter, windowSize: number): [number, number][] | null {
  if (!f.bbox || !c.length) return null;
  const g = c.grid;
  const colA = Math.max(0, Math.floor(f.bbox[0] * GRID_INV) - g.col0);
  const colB = Math.min(g.cols - 1, Math.floor(f.bbox[2] * GRID_INV) - g.col0);
  const rowA = Math.max(0, Math.floor(f.bbox[1] * GRID_INV) - g.row0);
  const rowB = Math.min(g.rows - 1, Math.floor(f.bbox[3] * GRID_INV) - g.row0);
  if (colA > colB || rowA > rowB) return [];
  if ((colB - colA + 1) * (rowB - rowA + 1) > 4096) return null;
  const ranges: [number, number][] = [];
  let total = 0;
  for (let r = rowA; r <= rowB; r++) {
    for (let col = colA; col <= colB; col++) {
      const k = r * g.cols + col;
      let lo = g.cellStart[k]!;
      let hi = g.cellStart[k + 1]!;
      if (f.minDay !== undefined) lo = lowerBoundRange(g.day, lo, hi, f.minDay);
      if (f.maxDay !== undefined) hi = lowerBoundRange(g.day, lo, hi, f.maxDay + 1);
      if (lo < hi) {
        ranges.push([lo, hi]);
        total += hi - lo;
      }
    }
  }
  return total * 2 < windowSize ? ranges : null;
}

/**
 * Calls `visit(i)` for every event matching the filter; `visit` returning false stops. With `ordered`
 * (the default) events come in (day, id) order; counts pass false and may get them cell by cell.
 */
export function forEachMatch(c: EventColumns, f: EventColumnsFilter, visit: (i: number) => boolean | void, ordered = true): void {
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
    statusOk[i] = f.statuses ? Number(f.statuses.includes(s)) : Number(s !== 'retracted' && s !== 'draft');
  });
  const [w, s, e, n] = f.bbox ?? [-Infinity, -Infinity, Infinity, Infinity];
  const { lon, lat } = c;
  const test = (i: number): boolean => {
    const x = lon[i]!;
    if (x < w || x > e) return false;
    const y = lat[i]!;
    if (y < s || y > n) return false;
    if (type >= 0 && c.type[i] !== type) return false;
    if (subType >= 0 && c.subType[i] !== subType) return false;
    if (actorSet && !actorSet[c.actor1[i]!] && !actorSet[c.actor2[i]!]) return false;
    return statusOk[c.status[i]!] === 1;
  };
  const ranges = cellRanges(c, f, end - start);
  if (!ranges) {
    for (let i = start; i < end; i++) if (test(i) && visit(i) === false) return;
    return;
  }
  const items = c.grid.cellItems;
  if (!ordered || ranges.length === 1) {
    for (const [lo, hi] of ranges) for (let k = lo; k < hi; k++) if (test(items[k]!) && visit(items[k]!) === false) return;
    return;
  }
  if (ranges.length > 8) {
    // Many cells: gather the matches and sort them; an event's position is its rank in (day, id) order.
    const hits: number[] = [];
    for (const [lo, hi] of ranges) for (let k = lo; k < hi; k++) if (test(items[k]!)) hits.push(items[k]!);
    const sorted = Int32Array.from(hits).sort();
    for (const i of sorted) if (visit(i) === false) return;
    return;
  }
  // A few cells: merge their lists; an event's position is its rank in (day, id) order.
  const heads = ranges.map(([lo]) => lo);
  for (;;) {
    let best = -1;
    let bestI = Infinity;
    for (let r = 0; r < ranges.length; r++) {
      if (heads[r]! < ranges[r]![1] && items[heads[r]!]! < bestI) {
        bestI = items[heads[r]!]!;
        best = r;
      }
    }
    if (best < 0) return;
    heads[best]!++;
    if (test(bestI) && visit(bestI) === false) return;
  }
}

/** Events per period start day (a day number): days, Monday-based weeks, or months. */
export function countByPeriod(c: EventColumns, f: EventColumnsFilter, periodStart: (day: number) => number): Map<number, number> {
  const counts = new Map<number, number>();
  if (!c.length) return counts;
  // Count per day in a dense array first (cheap, any order), then fold the days into periods.
  const day0 = c.day[0]!;
  const perDay = new Int32Array(c.day[c.length - 1]! - day0 + 1);
  if (f.bbox && f.type === undefined && f.subType === undefined && !f.actors && !f.statuses) {
    countDaysInBox(c, f, perDay, day0);
  } else {
    forEachMatch(c, f, (i) => void perDay[c.day[i]! - day0]!++, false);
  }
  for (let d = 0; d < perDay.length; d++) {
    if (!perDay[d]) continue;
    const k = periodStart(day0 + d);
    counts.set(k, (counts.get(k) ?? 0) + perDay[d]!);
  }
  return counts;
}

/**
 * The common chart query, events per day in a box (all types and actors), as one tight loop with no
 * call per event: a third faster than going through forEachMatch on a million events.
 */
function countDaysInBox(c: EventColumns, f: EventColumnsFilter, perDay: Int32Array, day0: number): void {
  const [w, s, e, n] = f.bbox!;
  const start = f.minDay === undefined ? 0 : lowerBound(c.day, f.minDay);
  const end = f.maxDay === undefined ? c.length : lowerBound(c.day, f.maxDay + 1);
  // Left out, as by default everywhere: retracted events and drafts.
  const retracted = c.statuses.indexOf('retracted');
  const draft = c.statuses.indexOf('draft');
  const { lon, lat, day, status } = c;
  const ranges = cellRanges(c, f, end - start);
  if (!ranges) {
    for (let i = start; i < end; i++) {
      const x = lon[i]!;
      const y = lat[i]!;
      if (x >= w && x <= e && y >= s && y <= n && status[i] !== retracted && status[i] !== draft) perDay[day[i]! - day0]!++;
    }
    return;
  }
  // In cell order the copies are read in sequence; going through items[] would jump all over memory.
  const g = c.grid;
  for (const [lo, hi] of ranges) {
    for (let k = lo; k < hi; k++) {
      const x = g.lon[k]!;
      const y = g.lat[k]!;
      if (x >= w && x <= e && y >= s && y <= n && g.status[k] !== retracted && g.status[k] !== draft) perDay[g.day[k]! - day0]!++;
    }
  }
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
    forEachMatch(
      c,
      f,
      (i) => {
        counts[(Math.floor(c.lat[i]! * inv) - row0) * cols + (Math.floor(c.lon[i]! * inv) - col0)]!++;
      },
      false,
    );
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
