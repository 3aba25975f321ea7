/**
 * One-to-all shortest paths from many sources (Dijkstra with a binary heap on typed arrays). Costs are
 * per edge, any unit, Infinity for an edge that may not be used.
 */
import type { RoadGraph } from './graph.js';

export interface SearchResult {
  /** Cost to reach each node (Infinity: unreachable). */
  dist: Float64Array;
  /** The edge by which each node was reached (-1 for sources and unreached nodes). */
  via: Int32Array;
}

export function multiSourceSearch(g: RoadGraph, cost: Float64Array, sources: readonly number[], startCost?: readonly number[]): SearchResult {
  const n = g.nodeCount;
  const dist = new Float64Array(n).fill(Infinity);
  const via = new Int32Array(n).fill(-1);
  const heap = new MinHeap(n);
  sources.forEach((s, i) => {
    const c = startCost?.[i] ?? 0;
    if (c < dist[s]!) {
      dist[s] = c;
      heap.push(s, c);
    }
  });
  const { offsets, target } = g;
  while (heap.size) {
    const u = heap.pop();
    const du = dist[u]!;
    for (let e = offsets[u]!; e < offsets[u + 1]!; e++) {
      const w = cost[e]!;
      if (w === Infinity) continue;
      const v = target[e]!;
      const dv = du + w;
      if (dv < dist[v]!) {
        dist[v] = dv;
        via[v] = e;
        heap.push(v, dv);
      }
    }
  }
  return { dist, via };
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

/** An indexed binary min-heap of node ids keyed by cost, with decrease-key. */
class MinHeap {
  private readonly items: Int32Array;
  private readonly keys: Float64Array;
  private readonly pos: Int32Array;
  size = 0;
  constructor(n: number) {
    this.items = new Int32Array(n);
    this.keys = new Float64Array(n);
    this.pos = new Int32Array(n).fill(-1);
  }
  push(node: number, key: number): void {
    let i = this.pos[node]!;
    if (i < 0) {
      i = this.size++;
      this.items[i] = node;
      this.pos[node] = i;
    }
    this.keys[node] = key;
    this.up(i);
  }
  pop(): number {
    const top = this.items[0]!;
    this.pos[top] = -2;
    const last = this.items[--this.size]!;
    if (this.size > 0) {
      this.items[0] = last;
      this.pos[last] = 0;
      this.down(0);
    }
    return top;
  }
  private up(i: number): void {
    const { items, keys, pos } = this;
    const node = items[i]!;
    const k = keys[node]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pn = items[p]!;
      if (keys[pn]! <= k) break;
      items[i] = pn;
      pos[pn] = i;
      i = p;
    }
    items[i] = node;
    pos[node] = i;
  }
  private down(i: number): void {
    const { items, keys, pos } = this;
    const node = items[i]!;
    const k = keys[node]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && keys[items[c + 1]!]! < keys[items[c]!]!) c++;
      if (keys[items[c]!]! >= k) break;
      items[i] = items[c]!;
      pos[items[i]!] = i;
      i = c;
    }
    items[i] = node;
    pos[node] = i;
  }
}
