/**
 * The carrier of areas of control: the H3 hexagons that cover a country's land, each cut to the land
 * (DESIGN.md §3). A cell's area is that of its piece of land, so the cells partition the country: their
 * areas add up to the country's. Interior cells are whole hexagons; cells crossed by the border are
 * clipped to it.
 */
import * as h3 from 'h3-js';
import { bboxOfMultiPolygon, clipRingConvex, multiPolygonAreaKm2, pointInMultiPolygon, ringSignedAreaKm2, type MultiPolygonCoords, type Position } from './measure.js';

export interface LandGrid {
  resolution: number;
  /** H3 index of each cell. */
  cells: string[];
  indexOf: Map<string, number>;
  lon: Float64Array;
  lat: Float64Array;
  /** km² of land in each cell. */
  areaKm2: Float64Array;
  /** Six neighbour slots per cell (cell index, or -1 outside the land). */
  neighbors: Int32Array;
  land: MultiPolygonCoords;
  landAreaKm2: number;
  /** 1 where a cell is crossed by the land's border (its land is a clipped piece, not the whole hexagon). */
  border: Uint8Array;
}

const BIN = 0.1;

export function buildLandGrid(land: MultiPolygonCoords, resolution = 6): LandGrid {
  if (!Number.isInteger(resolution) || resolution < 3 || resolution > 9) throw new RangeError(`H3 resolution ${resolution}: use 3 to 9 (6 is ~36 km² a cell)`);
  // Candidates: every hexagon that touches the land, and their neighbours (slivers along the border).
  const candidates = new Set<string>();
  for (const poly of land) {
    for (const c of h3.polygonToCellsExperimental(poly as number[][][], resolution, h3.POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true)) candidates.add(c);
  }
  for (const c of [...candidates]) for (const n of h3.gridDisk(c, 1)) candidates.add(n);

  // The border's edges binned on a 0.1° grid: a hexagon no border edge comes near is wholly in or out.
  const [minX, minY] = bboxOfMultiPolygon(land);
  const bins = new Map<number, [Position, Position][]>();
  const key = (i: number, j: number): number => i * 100003 + j;
  for (const poly of land)
    for (const ring of poly)
      for (let k = 0; k + 1 < ring.length; k++) {
        const a = ring[k]!;
        const b = ring[k + 1]!;
        const i0 = Math.floor((Math.min(a[0]!, b[0]!) - minX) / BIN), i1 = Math.floor((Math.max(a[0]!, b[0]!) - minX) / BIN);
        const j0 = Math.floor((Math.min(a[1]!, b[1]!) - minY) / BIN), j1 = Math.floor((Math.max(a[1]!, b[1]!) - minY) / BIN);
        for (let i = i0; i <= i1; i++)
          for (let j = j0; j <= j1; j++) {
            const list = bins.get(key(i, j));
            if (list) list.push([a, b]);
            else bins.set(key(i, j), [[a, b]]);
          }
      }
  const nearBorder = (hex: Position[]): boolean => {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const p of hex) {
      x0 = Math.min(x0, p[0]!); y0 = Math.min(y0, p[1]!); x1 = Math.max(x1, p[0]!); y1 = Math.max(y1, p[1]!);
    }
    for (let i = Math.floor((x0 - minX) / BIN); i <= Math.floor((x1 - minX) / BIN); i++)
      for (let j = Math.floor((y0 - minY) / BIN); j <= Math.floor((y1 - minY) / BIN); j++)
        for (const [a, b] of bins.get(key(i, j)) ?? []) {
          if (Math.max(a[0]!, b[0]!) >= x0 && Math.min(a[0]!, b[0]!) <= x1 && Math.max(a[1]!, b[1]!) >= y0 && Math.min(a[1]!, b[1]!) <= y1) return true;
        }
    return false;
  };

  const cells: string[] = [];
  const areas: number[] = [];
  const border: number[] = [];
  for (const c of [...candidates].sort()) {
    const hex = h3.cellToBoundary(c, true) as Position[];
    let a: number;
    if (nearBorder(hex)) {
      a = 0;
      for (const poly of land)
        poly.forEach((ring, ri) => {
          const piece = clipRingConvex(ring, hex);
          const s = Math.abs(ringSignedAreaKm2(piece));
          a += ri === 0 ? s : -s;
        });
    } else {
      const [lat, lon] = h3.cellToLatLng(c);
      a = pointInMultiPolygon(lon, lat, land) ? Math.abs(ringSignedAreaKm2(hex)) : 0;
    }
    if (a > 1e-9) {
      cells.push(c);
      areas.push(a);
      border.push(nearBorder(hex) ? 1 : 0);
    }
  }
  const indexOf = new Map(cells.map((c, i) => [c, i]));
  const lon = new Float64Array(cells.length);
  const lat = new Float64Array(cells.length);
  const neighbors = new Int32Array(cells.length * 6).fill(-1);
  cells.forEach((c, i) => {
    const [y, x] = h3.cellToLatLng(c);
    lon[i] = x;
    lat[i] = y;
    let k = 0;
    for (const n of h3.gridDisk(c, 1)) {
      if (n === c) continue;
      const j = indexOf.get(n);
      if (j !== undefined && k < 6) neighbors[i * 6 + k++] = j;
    }
  });
  return { resolution, cells, indexOf, lon, lat, areaKm2: Float64Array.from(areas), neighbors, land, landAreaKm2: multiPolygonAreaKm2(land), border: Uint8Array.from(border) };
}

/** The cell a point falls in, or -1 outside the land's cells. */
export function cellAt(grid: LandGrid, lon: number, lat: number): number {
  return grid.indexOf.get(h3.latLngToCell(lat, lon, grid.resolution)) ?? -1;
}

/** The shared edge of two neighbouring cells, as two [lon, lat] points. */
export function sharedEdge(grid: LandGrid, a: number, b: number): [Position, Position] | null {
  const edge = h3.cellsToDirectedEdge(grid.cells[a]!, grid.cells[b]!);
  const pts = h3.directedEdgeToBoundary(edge, true) as Position[];
  return pts.length >= 2 ? [pts[0]!, pts[pts.length - 1]!] : null;
}

/** The outline of a set of cells, clipped to the land, as MultiPolygon coordinates. */
export function cellsOutline(grid: LandGrid, cellIdx: readonly number[], clip: (a: MultiPolygonCoords, b: MultiPolygonCoords) => MultiPolygonCoords): MultiPolygonCoords {
  if (!cellIdx.length) return [];
  const mp = h3.cellsToMultiPolygon(cellIdx.map((i) => grid.cells[i]!), true) as MultiPolygonCoords;
  return clip(mp, grid.land);
}

interface CellShapes {
  /** Each cell's vertices (numbered; the same H3 vertex, the same number) and positions, counter-clockwise. */
  vertices: number[][];
  points: Position[][];
  /** Border cells: the land inside them, one polygon per land polygon that reaches in. */
  pieces: Map<number, MultiPolygonCoords>;
  /** The cell across edge k (vertices k, k+1) of cell c: acrossEdge[c · 6 + k], -1 none. */
  acrossEdge: Int32Array;
  vertexCount: number;
}
const shapes = new WeakMap<LandGrid, CellShapes>();

/**
 * The edge two neighbouring cells share, from the grid's traced cell shapes (built once per grid, as for
 * outlines): its end vertices' numbers (the same vertex, the same number) and positions. Where many
 * edges are wanted at once this is a lookup, where `sharedEdge` asks H3 each time.
 */
export function sharedEdgeOfShapes(grid: LandGrid, a: number, b: number): { from: number; to: number; p: Position; q: Position } | null {
  const { vertices, points, acrossEdge } = cellShapes(grid);
  const v = vertices[a]!;
  for (let k = 0; k < v.length; k++) {
    if (acrossEdge[a * 6 + k] !== b) continue;
    const k2 = (k + 1) % v.length;
    return { from: v[k]!, to: v[k2]!, p: points[a]![k]!, q: points[a]![k2]! };
  }
  return null;
}

function cellShapes(grid: LandGrid): CellShapes {
  let s = shapes.get(grid);
  if (!s) {
    const vertices: number[][] = [], points: Position[][] = [];
    const pieces = new Map<number, MultiPolygonCoords>();
    const vertexId = new Map<string, number>();
    const idOf = (v: string): number => {
      let n = vertexId.get(v);
      if (n === undefined) vertexId.set(v, (n = vertexId.size));
      return n;
    };
    grid.cells.forEach((c, i) => {
      let v = h3.cellToVertexes(c);
      let pts = v.map((x) => {
        const [lat, lon] = h3.vertexToLatLng(x);
        return [lon, lat] as Position;
      });
      if (ringSignedAreaKm2([...pts, pts[0]!]) < 0) {
        v = [...v].reverse();
        pts = [...pts].reverse();
      }
      vertices.push(v.map(idOf));
      points.push(pts);
      if (grid.border[i]) {
        const hex = [...pts, pts[0]!];
        const mp: MultiPolygonCoords = [];
        for (const poly of grid.land) {
          const outer = clipRingConvex(poly[0]!, hex);
          if (outer.length < 3 || Math.abs(ringSignedAreaKm2(outer)) < 1e-9) continue;
          const holes = poly.slice(1).map((ring) => clipRingConvex(ring, hex)).filter((r) => r.length >= 3 && Math.abs(ringSignedAreaKm2(r)) > 1e-9);
          mp.push([closeRing(outer), ...holes.map(closeRing)]);
        }
        pieces.set(i, mp);
      }
    });
    // Each directed edge a→b of a cell is b→a in the cell across it.
    const K = 2 ** 24;
    const owner = new Map<number, number>();
    vertices.forEach((v, c) => v.forEach((a, k) => owner.set(a * K + v[(k + 1) % v.length]!, c)));
    const acrossEdge = new Int32Array(grid.cells.length * 6).fill(-1);
    vertices.forEach((v, c) => v.forEach((a, k) => (acrossEdge[c * 6 + k] = owner.get(v[(k + 1) % v.length]! * K + a) ?? -1)));
    s = { vertices, points, pieces, acrossEdge, vertexCount: vertexId.size };
    shapes.set(grid, s);
  }
  return s;
}

function closeRing(r: Position[]): Position[] {
  const a = r[0]!, b = r[r.length - 1]!;
  return a[0] === b[0] && a[1] === b[1] ? r : [...r, a];
}

/**
 * The outline of a set of cells on the land, traced on the grid itself: the edges of its whole
 * (interior) cells cancel where two of them meet, and what is left joins into rings, outer rings
 * counter-clockwise and holes clockwise; cells crossed by the land's border add their land-clipped pieces
 * as polygons of their own (they touch the traced outline along shared edges). No polygon clipping: a
 * few milliseconds for thousands of cells, where clipping took tens.
 */
export function traceCellsOutline(grid: LandGrid, cellIdx: readonly number[]): MultiPolygonCoords {
  if (!cellIdx.length) return [];
  const { vertices, points, pieces, acrossEdge, vertexCount } = cellShapes(grid);
  const inSet = new Uint8Array(grid.cells.length);
  for (const c of cellIdx) inSet[c] = 1;
  // Boundary edges: the edges of whole cells with no whole cell of the set across them (edges between two
  // such cells cancel). Typed arrays, as lists from each start vertex: this runs dozens of times a race.
  const cap = cellIdx.length * 6;
  const eTo = new Int32Array(cap), eCell = new Int32Array(cap), eK = new Int8Array(cap), eNext = new Int32Array(cap);
  const firstOut = new Int32Array(vertexCount).fill(-1);
  let count = 0;
  const out: MultiPolygonCoords = [];
  for (const c of cellIdx) {
    if (inSet[c] === 2) continue; // listed twice
    inSet[c] = 2;
    if (grid.border[c]) {
      out.push(...pieces.get(c)!);
      continue;
    }
    const v = vertices[c]!;
    for (let k = 0; k < v.length; k++) {
      const n = acrossEdge[c * 6 + k]!;
      if (n >= 0 && inSet[n] && !grid.border[n]) continue;
      const a = v[k]!;
      eTo[count] = v[(k + 1) % v.length]!;
      eCell[count] = c;
      eK[count] = k;
      eNext[count] = firstOut[a]!;
      firstOut[a] = count++;
    }
  }
  // Join the edges into rings. A vertex where two parts of the set touch corner to corner starts two
  // edges: either can be taken, and each ring still closes.
  const used = new Uint8Array(count);
  const outers: Position[][] = [], holes: { ring: Position[]; cell: number }[] = [];
  for (let start = 0; start < count; start++) {
    if (used[start]) continue;
    const ring: Position[] = [];
    for (let e = start; e >= 0; ) {
      used[e] = 1;
      ring.push(points[eCell[e]!]![eK[e]!]!);
      let next = firstOut[eTo[e]!]!;
      while (next >= 0 && used[next]) next = eNext[next]!;
      e = next;
    }
    ring.push(ring[0]!);
    if (ringSignedAreaKm2(ring) >= 0) outers.push(ring);
    else holes.push({ ring, cell: eCell[start]! });
  }
  const polys: Position[][][] = outers.map((r) => [r]);
  // A hole belongs to the region of the cell along its edge: the smallest outer ring round that cell's
  // centre (an island inside a hole has its own, smaller, outer ring, which does not hold that cell).
  const areaOf = polys.map((poly) => ringSignedAreaKm2(poly[0]!));
  for (const h of holes) {
    const x = grid.lon[h.cell]!, y = grid.lat[h.cell]!;
    let owner = -1;
    polys.forEach((poly, i) => {
      if (pointInMultiPolygon(x, y, [[poly[0]!]]) && (owner < 0 || areaOf[i]! < areaOf[owner]!)) owner = i;
    });
    polys[owner < 0 ? 0 : owner]?.push(h.ring);
  }
  return [...polys, ...out];
}
