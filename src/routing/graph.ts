/**
 * The road graph: junctions as nodes, roads between junctions as directed edges, in compressed sparse row
 * form (typed arrays), with each edge's drawn geometry kept once per road piece. Built from ways (OSM,
 * GeoJSON lines, or the demo's coarse network); nodes that only shape a road (degree 2) are folded into
 * their edge's geometry.
 */
import { hilbertOrder } from '../geo/hilbert.js';
import { haversineKm } from '../geo/measure.js';
import { onewayOf, roadClassOf } from './road-classes.js';

export interface RoadGraph {
  nodeCount: number;
  edgeCount: number;
  lon: Float64Array;
  lat: Float64Array;
  /** Edges leaving node i are offsets[i] .. offsets[i+1]-1. */
  offsets: Uint32Array;
  target: Uint32Array;
  /** Length in metres. */
  lengthM: Float32Array;
  /** Index into ROAD_CLASSES. */
  roadClass: Uint8Array;
  /** The road piece an edge runs along (pieceOffsets/pieceLon/pieceLat), and whether backwards. */
  piece: Uint32Array;
  reversed: Uint8Array;
  pieceOffsets: Uint32Array;
  pieceLon: Float32Array;
  pieceLat: Float32Array;
}

export interface WayInput {
  id: number;
  /** Node ids in order. */
  refs: ArrayLike<number>;
  tags: Readonly<Record<string, string>>;
}

export interface BuildReport {
  waysRead: number;
  waysKept: number;
  /** Node references of kept ways whose node is not in the input (an extract cut by a box). */
  missingNodeRefs: number;
  /** Ways split where a node was missing. */
  waysCutAtMissingNodes: number;
}

/**
 * Build the graph. `coord(id)` gives a node's [lon, lat], or undefined when the extract lacks it: the way is
 * cut there and the pieces either side are kept.
 */
export function buildRoadGraph(ways: Iterable<WayInput>, coord: (id: number) => readonly [number, number] | undefined): { graph: RoadGraph; report: BuildReport } {
  const report: BuildReport = { waysRead: 0, waysKept: 0, missingNodeRefs: 0, waysCutAtMissingNodes: 0 };
  // Pass 1: the ways a vehicle uses, cut into runs of nodes that exist; count how often each node is used.
  const runs: { refs: number[]; cls: number; oneway: 1 | -1 | 0 }[] = [];
  const uses = new Map<number, number>();
  for (const w of ways) {
    report.waysRead++;
    const cls = roadClassOf(w.tags.highway);
    if (cls < 0 || w.tags.area === 'yes' || w.tags.access === 'no') continue;
    report.waysKept++;
    const oneway = onewayOf(w.tags);
    let run: number[] = [];
    let cut = false;
    for (let i = 0; i < w.refs.length; i++) {
      const id = w.refs[i]!;
      if (!coord(id)) {
        report.missingNodeRefs++;
        cut = true;
        if (run.length >= 2) runs.push({ refs: run, cls, oneway });
        run = [];
        continue;
      }
      run.push(id);
    }
    if (run.length >= 2) runs.push({ refs: run, cls, oneway });
    if (cut) report.waysCutAtMissingNodes++;
  }
  for (const r of runs) {
    r.refs.forEach((id, i) => {
      // Ends of a run count twice: they are junctions even if no other way touches them.
      const end = i === 0 || i === r.refs.length - 1;
      uses.set(id, (uses.get(id) ?? 0) + (end ? 2 : 1));
    });
  }
  // Junctions: used twice or more (an end, a crossing, a node a way passes twice).
  const nodeIndex = new Map<number, number>();
  const lonL: number[] = [];
  const latL: number[] = [];
  const junction = (id: number): number => {
    let i = nodeIndex.get(id);
    if (i === undefined) {
      i = lonL.length;
      nodeIndex.set(id, i);
      const c = coord(id)!;
      lonL.push(c[0]);
      latL.push(c[1]);
    }
    return i;
  };
  // Pass 2: pieces between junctions, and their edges.
  const eFrom: number[] = [];
  const eTo: number[] = [];
  const eLen: number[] = [];
  const eCls: number[] = [];
  const ePiece: number[] = [];
  const eRev: number[] = [];
  const pieceOffsets: number[] = [0];
  const pLon: number[] = [];
  const pLat: number[] = [];
  for (const r of runs) {
    let start = 0;
    for (let i = 1; i < r.refs.length; i++) {
      const id = r.refs[i]!;
      if (i < r.refs.length - 1 && (uses.get(id) ?? 0) < 2) continue;
      const ids = r.refs.slice(start, i + 1);
      let m = 0;
      let prev = coord(ids[0]!)!;
      for (const nid of ids) {
        const c = coord(nid)!;
        m += haversineKm(prev[0], prev[1], c[0], c[1]) * 1000;
        prev = c;
        pLon.push(c[0]);
        pLat.push(c[1]);
      }
      const piece = pieceOffsets.length - 1;
      pieceOffsets.push(pLon.length);
      const a = junction(ids[0]!);
      const b = junction(ids[ids.length - 1]!);
      if (a !== b || m > 0) {
        if (r.oneway >= 0) {
          eFrom.push(a); eTo.push(b); eLen.push(m); eCls.push(r.cls); ePiece.push(piece); eRev.push(0);
        }
        if (r.oneway <= 0) {
          eFrom.push(b); eTo.push(a); eLen.push(m); eCls.push(r.cls); ePiece.push(piece); eRev.push(1);
        }
      }
      start = i;
    }
  }
  const n = lonL.length;
  const mEdges = eFrom.length;
  // Junctions numbered along a Hilbert curve: a search's wavefront then reads nearby memory (the
  // 2M-edge benchmark graph searches ~1.3x faster than numbered in order of first appearance).
  const order = hilbertOrder(lonL, latL);
  const newId = new Uint32Array(n);
  for (let i = 0; i < n; i++) newId[order[i]!] = i;
  for (let e = 0; e < mEdges; e++) {
    eFrom[e] = newId[eFrom[e]!]!;
    eTo[e] = newId[eTo[e]!]!;
  }
  const offsets = new Uint32Array(n + 1);
  for (const f of eFrom) offsets[f + 1]!++;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const target = new Uint32Array(mEdges);
  const lengthM = new Float32Array(mEdges);
  const roadClass = new Uint8Array(mEdges);
  const piece = new Uint32Array(mEdges);
  const reversed = new Uint8Array(mEdges);
  for (let e = 0; e < mEdges; e++) {
    const k = fill[eFrom[e]!]!++;
    target[k] = eTo[e]!;
    lengthM[k] = eLen[e]!;
    roadClass[k] = eCls[e]!;
    piece[k] = ePiece[e]!;
    reversed[k] = eRev[e]!;
  }
  return {
    graph: {
      nodeCount: n,
      edgeCount: mEdges,
      lon: Float64Array.from(order, (i) => lonL[i]!),
      lat: Float64Array.from(order, (i) => latL[i]!),
      offsets,
      target,
      lengthM,
      roadClass,
      piece,
      reversed,
      pieceOffsets: Uint32Array.from(pieceOffsets),
      pieceLon: Float32Array.from(pLon),
      pieceLat: Float32Array.from(pLat),
    },
    report,
  };
}

/** The drawn points of an edge, in its direction of travel. */
export function edgeGeometry(g: RoadGraph, e: number): [number, number][] {
  const p = g.piece[e]!;
  const pts: [number, number][] = [];
  for (let k = g.pieceOffsets[p]!; k < g.pieceOffsets[p + 1]!; k++) pts.push([g.pieceLon[k]!, g.pieceLat[k]!]);
  return g.reversed[e] ? pts.reverse() : pts;
}

/** Bytes held by the graph's arrays. */
export function graphBytes(g: RoadGraph): number {
  return [g.lon, g.lat, g.offsets, g.target, g.lengthM, g.roadClass, g.piece, g.reversed, g.pieceOffsets, g.pieceLon, g.pieceLat].reduce((s, a) => s + a.byteLength, 0);
}
