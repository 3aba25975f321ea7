/**
 * One-to-all shortest paths from many sources on typed arrays. Costs are per edge, any unit, never
 * negative, Infinity for an edge that may not be used.
 *
 * The queue is a circular array of buckets of width `delta` (Dial's algorithm on real costs): pushing and
 * popping cost O(1), against O(log n) for a heap, and nodes are settled in order of their bucket. Inside a
 * bucket the order is arbitrary, so a node can be improved after it was taken; it is then taken again
 * (label correcting), which keeps every distance exact. `delta` is the cheapest edge where the window of
 * 65,536 buckets can hold the dearest one, so that on road graphs almost no node is taken twice.
 */
import type { RoadGraph } from './graph.js';

export interface SearchResult {
  /** Cost to reach each node (Infinity: unreachable). */
  dist: Float64Array;
  /** The edge by which each node was reached (-1 for sources and unreached nodes). */
  via: Int32Array;
}

const SLOTS = 1 << 16;
const MASK = SLOTS - 1;

export function multiSourceSearch(g: RoadGraph, cost: Float64Array, sources: readonly number[], startCost?: readonly number[]): SearchResult {
  const n = g.nodeCount;
  const dist = new Float64Array(n).fill(Infinity);
  const via = new Int32Array(n).fill(-1);
  for (let i = 0; i < sources.length; i++) {
    const c = startCost?.[i] ?? 0;
    if (c < dist[sources[i]!]!) dist[sources[i]!] = c;
  }
  // The window must span the dearest edge and the spread of the start costs.
  let minW = Infinity, maxW = 0, minStart = Infinity, maxStart = 0;
  for (let e = 0; e < cost.length; e++) {
    const c = cost[e]!;
    if (c > 0 && c < minW) minW = c;
    if (c > maxW && c !== Infinity) maxW = c;
  }
  for (const s of sources) {
    minStart = Math.min(minStart, dist[s]!);
    maxStart = Math.max(maxStart, dist[s]!);
  }
  let delta = Math.max(minW, Math.max(maxW, maxStart - minStart) / (SLOTS - 2));
  if (!(delta > 0 && delta < Infinity)) delta = 1;
  const inv = 1 / delta;

  // Queue entries as linked lists per bucket; freed entries are reused.
  let cap = n + 1024;
  let entryNode = new Int32Array(cap), entryNext = new Int32Array(cap), entryKey = new Float64Array(cap);
  let used = 0, free = -1, count = 0;
  const head = new Int32Array(SLOTS).fill(-1);
  const nonEmpty = new Uint32Array(SLOTS >>> 5);
  let cur = Math.floor(minStart * inv);
  const queued = new Uint8Array(sources.length ? n : 0);
  for (const s of sources) {
    if (queued[s]) continue;
    queued[s] = 1;
    const slot = Math.floor(dist[s]! * inv) & MASK;
    const k = used++;
    entryNode[k] = s;
    entryKey[k] = dist[s]!;
    entryNext[k] = head[slot]!;
    head[slot] = k;
    nonEmpty[slot >>> 5]! |= 1 << (slot & 31);
    count++;
  }
  const { offsets, target } = g;
  while (count > 0) {
    let slot = cur & MASK;
    if (head[slot]! < 0) {
      // Jump to the next bucket holding anything, a word of the bitmap at a time.
      let w = slot >>> 5;
      let m = nonEmpty[w]! & (~0 << (slot & 31));
      while (m === 0) {
        w = (w + 1) & ((SLOTS >>> 5) - 1);
        m = nonEmpty[w]!;
      }
      const next = (w << 5) | (31 - Math.clz32(m & -m));
      cur += (next - slot + SLOTS) & MASK;
      slot = next;
    }
    for (let i = head[slot]!; i >= 0; i = head[slot]!) {
      head[slot] = entryNext[i]!;
      entryNext[i] = free;
      free = i;
      count--;
      const u = entryNode[i]!;
      const du = dist[u]!;
      // An entry pushed before the node improved is stale: only the one with its current cost counts.
      if (entryKey[i] !== du) continue;
      const end = offsets[u + 1]!;
      for (let e = offsets[u]!; e < end; e++) {
        const dv = du + cost[e]!;
        const v = target[e]!;
        if (dv < dist[v]!) {
          dist[v] = dv;
          via[v] = e;
          const s = Math.floor(dv * inv) & MASK;
          let k: number;
          if (free >= 0) {
            k = free;
            free = entryNext[k]!;
          } else {
            if (used === cap) {
              cap *= 2;
              entryNode = grow(entryNode, cap);
              entryNext = grow(entryNext, cap);
              entryKey = grow(entryKey, cap);
            }
            k = used++;
          }
          entryNode[k] = v;
          entryKey[k] = dv;
          entryNext[k] = head[s]!;
          head[s] = k;
          nonEmpty[s >>> 5]! |= 1 << (s & 31);
          count++;
        }
      }
    }
    nonEmpty[slot >>> 5]! &= ~(1 << (slot & 31));
    cur++;
  }
  return { dist, via };
}

function grow<T extends Int32Array | Float64Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** The source of each edge (CSR keeps only targets). */
export function edgeSources(g: RoadGraph): Uint32Array {
  const src = new Uint32Array(g.edgeCount);
  for (let u = 0; u < g.nodeCount; u++) for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) src[e] = u;
  return src;
}

/** The edges of the best path to `node`, first to last. */
export function pathEdges(r: SearchResult, src: Uint32Array, node: number): number[] {
  const edges: number[] = [];
  for (let v = node; r.via[v]! >= 0; v = src[r.via[v]!]!) edges.push(r.via[v]!);
  return edges.reverse();
}
