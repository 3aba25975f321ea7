/**
 * One-to-all shortest paths from many sources on typed arrays. Costs are per edge, any unit, never
 * negative, Infinity for an edge that may not be used.
 *
 * Δ-stepping on a circular array of buckets of width `delta`: a bucket is emptied in rounds, each round
 * taking every node queued in it at once, sorted by node number, and relaxing their edges; a node
 * improved to a cost inside the same bucket is queued for the next round (label correcting, so every
 * distance is exact). Junctions are numbered along a Hilbert curve by the graph builder, so a sorted
 * round walks memory in order where a strict distance order jumps across the country: on road graphs
 * the wavefront's cache misses, not the queue, are what a search costs. Buckets are wide (`WIDTH` times
 * the cheapest edge): measured on the 2-million-edge benchmark graph, widths from 1,024 to 16,384 of the
 * cheapest edge all took 15–20% less than a bucket per cheapest edge, for 10–25% more node visits.
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
const WIDTH = 4096;

/**
 * Arrays a caller lends the search so that repeated searches (a race: one per bloc, again at every date)
 * do not allocate and collect tens of megabytes each time. `dist` and `via` hold the result.
 */
export interface SearchBuffers {
  dist: Float64Array;
  via: Int32Array;
  queuedIn: Float64Array;
}

export function searchBuffers(nodeCount: number): SearchBuffers {
  return { dist: new Float64Array(nodeCount), via: new Int32Array(nodeCount), queuedIn: new Float64Array(nodeCount) };
}

export function multiSourceSearch(g: RoadGraph, cost: Float64Array, sources: readonly number[], startCost?: readonly number[], buffers?: SearchBuffers): SearchResult {
  const n = g.nodeCount;
  const dist = (buffers?.dist ?? new Float64Array(n)).fill(Infinity);
  const via = (buffers?.via ?? new Int32Array(n)).fill(-1);
  for (let i = 0; i < sources.length; i++) {
    const c = startCost?.[i] ?? 0;
    if (c < dist[sources[i]!]!) dist[sources[i]!] = c;
  }
  // The window of SLOTS buckets must span the dearest edge and the spread of the start costs.
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
  const span = Math.max(maxW, maxStart - minStart) / (SLOTS - 2);
  let delta = Math.max(minW < Infinity ? minW * WIDTH : 0, span);
  // No positive cost, or costs so small that 1/delta overflows (denormal numbers): buckets of at least
  // 1, still wide enough for the spread of the start costs; rounds inside a bucket do the rest.
  if (!(delta > 0) || !Number.isFinite(1 / delta)) delta = Math.max(1, span);
  const inv = 1 / delta;
  // Buckets are counted from the cheapest start: absolute bucket numbers can pass 2^53 (start costs of
  // days in buckets of microseconds), where adding 1 no longer changes a number.
  const base = minStart === Infinity ? 0 : minStart;
  // Kept inside the window from the current bucket: rounding (costs below the resolution of the sums)
  // could otherwise put a node behind the current bucket or past the window's end. A node queued in a
  // bucket other than its cost's is still exact: it is taken again whenever it improves.
  let cur = 0;
  const bucketOf = (d: number): number => Math.min(cur + SLOTS - 2, Math.max(cur, Math.floor((d - base) * inv)));

  // Queue entries as linked lists per bucket; freed entries are reused. `queuedIn` is the (absolute)
  // bucket a node waits in, -1 when it waits in none: a node is queued once per bucket.
  let cap = n + 1024;
  let entryNode = new Int32Array(cap), entryNext = new Int32Array(cap);
  let used = 0, free = -1, count = 0;
  const head = new Int32Array(SLOTS).fill(-1);
  const nonEmpty = new Uint32Array(SLOTS >>> 5);
  const queuedIn = (buffers?.queuedIn ?? new Float64Array(sources.length ? n : 0)).fill(-1);
  const push = (v: number, bucket: number): void => {
    const slot = bucket & MASK;
    let k: number;
    if (free >= 0) {
      k = free;
      free = entryNext[k]!;
    } else {
      if (used === cap) {
        cap *= 2;
        entryNode = grow(entryNode, cap);
        entryNext = grow(entryNext, cap);
      }
      k = used++;
    }
    entryNode[k] = v;
    entryNext[k] = head[slot]!;
    head[slot] = k;
    nonEmpty[slot >>> 5]! |= 1 << (slot & 31);
    count++;
  };
  for (const s of sources) {
    const b = bucketOf(dist[s]!);
    if (queuedIn[s] === b) continue;
    queuedIn[s] = b;
    push(s, b);
  }
  const { offsets, target } = g;
  let round = new Uint32Array(1024);
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
    while (head[slot]! >= 0) {
      // One round: every node queued in this bucket now, in node order.
      let r = 0;
      for (let i = head[slot]!; i >= 0; ) {
        const next = entryNext[i]!;
        const u = entryNode[i]!;
        entryNext[i] = free;
        free = i;
        count--;
        // An entry for a node that has since moved to an earlier bucket is stale.
        if (queuedIn[u] === cur) {
          queuedIn[u] = -1;
          if (r === round.length) round = grow(round, r * 2);
          round[r++] = u;
        }
        i = next;
      }
      head[slot] = -1;
      const nodes = round.subarray(0, r).sort();
      for (let j = 0; j < r; j++) {
        const u = nodes[j]!;
        const du = dist[u]!;
        const end = offsets[u + 1]!;
        for (let e = offsets[u]!; e < end; e++) {
          const dv = du + cost[e]!;
          const v = target[e]!;
          if (dv < dist[v]!) {
            dist[v] = dv;
            via[v] = e;
            const b = bucketOf(dv);
            if (queuedIn[v] !== b) {
              queuedIn[v] = b;
              push(v, b);
            }
          }
        }
      }
    }
    nonEmpty[slot >>> 5]! &= ~(1 << (slot & 31));
    cur++;
  }
  return { dist, via };
}

function grow<T extends Int32Array | Uint32Array | Float64Array>(a: T, size: number): T {
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
