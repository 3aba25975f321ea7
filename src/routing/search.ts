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
  const heap = new LazyHeap(Math.max(16, sources.length * 2));
  sources.forEach((s, i) => {
    const c = startCost?.[i] ?? 0;
    if (c < dist[s]!) {
      dist[s] = c;
      heap.push(c, s);
    }
  });
  const { offsets, target } = g;
  while (heap.size) {
    const du = heap.topKey();
    const u = heap.pop();
    // A node can be in the heap several times (no decrease-key): only its best entry counts.
    if (du > dist[u]!) continue;
    const end = offsets[u + 1]!;
    for (let e = offsets[u]!; e < end; e++) {
      const dv = du + cost[e]!;
      const v = target[e]!;
      if (dv < dist[v]!) {
        dist[v] = dv;
        via[v] = e;
        heap.push(dv, v);
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

/**
 * A binary min-heap of (cost, node) pairs in typed arrays, without decrease-key: a node is pushed again
 * when its cost improves and stale entries are skipped when popped. Fewer moves than an indexed heap.
 */
class LazyHeap {
  private keys: Float64Array;
  private nodes: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.nodes = new Int32Array(capacity);
  }
  topKey(): number {
    return this.keys[0]!;
  }
  push(key: number, node: number): void {
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
      const n = new Int32Array(this.size * 2);
      n.set(this.nodes);
      this.nodes = n;
    }
    const keys = this.keys, nodes = this.nodes;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= key) break;
      keys[i] = keys[p]!;
      nodes[i] = nodes[p]!;
      i = p;
    }
    keys[i] = key;
    nodes[i] = node;
  }
  pop(): number {
    const keys = this.keys, nodes = this.nodes;
    const top = nodes[0]!;
    const n = --this.size;
    if (n > 0) {
      const key = keys[n]!, node = nodes[n]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1]! < keys[c]!) c++;
        if (keys[c]! >= key) break;
        keys[i] = keys[c]!;
        nodes[i] = nodes[c]!;
        i = c;
      }
      keys[i] = key;
      nodes[i] = node;
    }
    return top;
  }
}
