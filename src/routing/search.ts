/**
 * One-to-all shortest paths from many sources on typed arrays. Costs are per edge (`EdgeCosts`, or an
 * `EdgeCostTable` written out first), any unit, never negative, Infinity for an edge that may not be used.
 *
 * Δ-stepping on a circular array of buckets of width `delta`. A bucket is emptied in rounds; a round takes
 * every node waiting in the bucket at once, in node order, and relaxes their edges; a node improved to a
 * cost inside the same bucket waits for the next round (label correcting, so every distance is exact).
 * Junctions are numbered along a Hilbert curve by the graph builder, so a round in node order walks memory
 * in order where a strict distance order jumps across the country: on road graphs the wavefront's cache
 * misses and the queue's own bookkeeping, not the number of node visits, are what a search costs.
 *
 * So the queue is made to touch little memory: the nodes of a round are bits in a bitmap (with one
 * summary bit per 32 words, so that a sparse round skips empty stretches), which gives node order without
 * sorting and takes each node once however often it improves; later buckets are lists in chunks of
 * `CHUNK` entries written one after another, each entry the node and the cost it was queued with (an
 * entry whose node has since improved is stale and skipped, so no per-node "where is it queued" array is
 * needed). A round with few nodes spread over a large range is sorted instead of scanned.
 *
 * Buckets are wide (`WIDTH` times the cheapest edge). Measured on the 2-million-edge benchmark graph
 * (docs/benchmarks.md): the same visits in this queue take about 35% less time than in linked lists per
 * bucket sorted each round, and widths from 1,024 to 65,536 of the cheapest edge differ little.
 */
import type { RoadGraph } from './graph.js';

export interface SearchResult {
  /** Cost to reach each node (Infinity: unreachable). */
  dist: Float64Array;
  /**
   * The edge by which each node was reached (-1 for sources and unreached nodes); null when the caller
   * lent buffers without it (`tightPath` finds a best path from the distances alone).
   */
  via: Int32Array | null;
}

/**
 * Edge costs as a factor per kind of edge: cost(e) = perA[kind[e]] · a[e] + fixed[kind[e]]. A race's edges
 * are of a few hundred kinds at most (whose land, contested or not, closed zones, road class), so a bloc's
 * costs on a date are a few hundred numbers; the search reads them written out edge by edge (a race keeps
 * them so from race to race: RaceContext.costsFor), which measured ~15% faster than looking up each edge's
 * kind and factor while searching (docs/benchmarks.md).
 */
export interface EdgeCostTable {
  kind: Uint16Array;
  /** Per edge: a race's are the graph's own lengths in metres. */
  a: Float32Array | Float64Array;
  perA: Float64Array;
  fixed: Float64Array;
  /** The smallest positive and the largest finite value of `a` (bounds for the buckets' width). */
  aMin: number;
  aMax: number;
}

/** The cost of edge e. */
export function edgeCost(t: EdgeCostTable, e: number): number {
  const k = t.kind[e]!;
  return t.perA[k]! * t.a[e]! + t.fixed[k]!;
}

/** Every edge's cost, written into `out` (8 bytes exact unless given 4-byte floats). */
export function materializeCosts<T extends EdgeCosts = Float64Array>(t: EdgeCostTable, out: T = new Float64Array(t.kind.length) as T): T {
  for (let e = 0; e < out.length; e++) out[e] = edgeCost(t, e);
  return out;
}

/** The smallest positive and the largest finite value (Infinity and 0 when there is none). */
export function positiveRange(a: ArrayLike<number>): [number, number] {
  let min = Infinity, max = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x > 0 && x < min) min = x;
    if (x > max && x !== Infinity) max = x;
  }
  return [min, max];
}

/** Bounds on a table's cheapest positive and dearest finite cost, from each kind's factors. */
export function tableRange(t: EdgeCostTable): [number, number] {
  let minW = Infinity, maxW = 0;
  for (let k = 0; k < t.perA.length; k++) {
    const f = t.perA[k]!, c = t.fixed[k]!;
    const lo = f > 0 && t.aMin < Infinity ? f * t.aMin + c : c;
    const hi = f * t.aMax + c;
    if (lo > 0 && lo < minW) minW = lo;
    if (hi > maxW && hi !== Infinity) maxW = hi;
  }
  return [minW, maxW];
}

const SLOTS = 1 << 16;
const MASK = SLOTS - 1;
const WIDTH = 4096;
const CHUNK = 256;

/** Working memory of a search, reusable by the next (and shared by searches that run one after another). */
export class SearchScratch {
  bits: Uint32Array;
  summary: Uint32Array;
  nextBits: Uint32Array;
  nextSummary: Uint32Array;
  round: Uint32Array;
  nextRound: Uint32Array;
  chunkNode: Int32Array;
  chunkKey: Float64Array;
  chunkNext: Int32Array;
  chunkLen: Int32Array;
  readonly headChunk = new Int32Array(SLOTS);
  readonly tailChunk = new Int32Array(SLOTS);
  readonly nonEmpty = new Uint32Array(SLOTS >>> 5);
  constructor(readonly nodeCount: number) {
    const words = (nodeCount >>> 5) + 1, sums = (nodeCount >>> 10) + 1;
    this.bits = new Uint32Array(words);
    this.nextBits = new Uint32Array(words);
    this.summary = new Uint32Array(sums);
    this.nextSummary = new Uint32Array(sums);
    this.round = new Uint32Array(Math.max(16, nodeCount));
    this.nextRound = new Uint32Array(Math.max(16, nodeCount));
    const chunks = 64;
    this.chunkNode = new Int32Array(chunks * CHUNK);
    this.chunkKey = new Float64Array(chunks * CHUNK);
    this.chunkNext = new Int32Array(chunks);
    this.chunkLen = new Int32Array(chunks);
  }
  growChunks(): void {
    const k = this.chunkNext.length * 2;
    this.chunkNode = grow(this.chunkNode, k * CHUNK);
    this.chunkKey = grow(this.chunkKey, k * CHUNK);
    this.chunkNext = grow(this.chunkNext, k);
    this.chunkLen = grow(this.chunkLen, k);
  }
}

/**
 * Arrays a caller lends the search so that repeated searches (a race: one per bloc, again at every date)
 * do not allocate and collect tens of megabytes each time. `dist` and `via` hold the result; without
 * `via` the search records no edges (about a tenth faster: one random write less per improvement).
 */
export interface SearchBuffers {
  dist: Float64Array;
  via: Int32Array | null;
  scratch: SearchScratch;
}

export function searchBuffers(nodeCount: number, scratch?: SearchScratch, options: { via?: boolean } = {}): SearchBuffers {
  return { dist: new Float64Array(nodeCount), via: options.via === false ? null : new Int32Array(nodeCount), scratch: scratch ?? new SearchScratch(nodeCount) };
}

/** Costs edge by edge: 8-byte floats, or 4-byte ones (a race's, written out from its table: half the memory to read). */
export type EdgeCosts = Float64Array | Float32Array;

/**
 * `costs` are a table (written out edge by edge first, exactly) or the costs themselves. `range` bounds the
 * cheapest positive and the dearest finite cost (it sets the buckets' width, not the result: any bounds
 * give the same distances); without it, it is read from the costs.
 */
export function multiSourceSearch(g: RoadGraph, costs: EdgeCostTable | EdgeCosts, sources: readonly number[], startCost?: readonly number[], buffers?: SearchBuffers, range?: readonly [number, number]): SearchResult {
  const table = costs instanceof Float64Array || costs instanceof Float32Array ? null : costs;
  const cost = table ? materializeCosts(table) : (costs as EdgeCosts);
  if (cost.length !== g.edgeCount) throw new RangeError(`costs for ${cost.length} edges, the graph has ${g.edgeCount}`);
  const n = g.nodeCount;
  // Lent arrays for a smaller graph would drop writes past their end without a word: refuse them.
  if (buffers && (buffers.dist.length < n || (buffers.via && buffers.via.length < n) || buffers.scratch.nodeCount < n)) throw new RangeError(`search buffers for ${Math.min(buffers.dist.length, buffers.scratch.nodeCount)} nodes, the graph has ${n}`);
  const dist = (buffers?.dist ?? new Float64Array(n)).fill(Infinity);
  const via = buffers ? buffers.via : new Int32Array(n);
  via?.fill(-1);
  const record = via !== null;
  const S = buffers?.scratch ?? new SearchScratch(n);
  for (let i = 0; i < sources.length; i++) {
    const c = startCost?.[i] ?? 0;
    if (c < dist[sources[i]!]!) dist[sources[i]!] = c;
  }
  // The window of SLOTS buckets must span the dearest edge and the spread of the start costs.
  const [minW, maxW] = range ?? (table ? tableRange(table) : positiveRange(cost));
  let minStart = Infinity, maxStart = 0;
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
  // days in buckets of microseconds), where adding 1 no longer changes a number. A node is queued in the
  // bucket of its cost, kept inside the window from the current bucket: rounding (costs below the
  // resolution of the sums) could otherwise put it behind the current bucket or past the window's end.
  // A node taken in another bucket than its cost's is still exact: it is taken again whenever it improves.
  const base = minStart === Infinity ? 0 : minStart;

  const { headChunk, tailChunk, nonEmpty } = S;
  headChunk.fill(-1);
  tailChunk.fill(-1);
  nonEmpty.fill(0);
  let chunkNode = S.chunkNode, chunkKey = S.chunkKey, chunkNext = S.chunkNext, chunkLen = S.chunkLen;
  let chunksUsed = 0, freeChunk = -1, pending = 0;
  const newChunk = (): number => {
    let k: number;
    if (freeChunk >= 0) {
      k = freeChunk;
      freeChunk = chunkNext[k]!;
    } else {
      if (chunksUsed === chunkNext.length) {
        S.growChunks();
        ({ chunkNode, chunkKey, chunkNext, chunkLen } = S);
      }
      k = chunksUsed++;
    }
    chunkNext[k] = -1;
    chunkLen[k] = 0;
    return k;
  };
  const push = (v: number, d: number, bucket: number): void => {
    const slot = bucket & MASK;
    let t = tailChunk[slot]!;
    if (t < 0) {
      t = newChunk();
      headChunk[slot] = t;
      tailChunk[slot] = t;
      nonEmpty[slot >>> 5]! |= 1 << (slot & 31);
    } else if (chunkLen[t] === CHUNK) {
      const k = newChunk();
      chunkNext[t] = k;
      tailChunk[slot] = k;
      t = k;
    }
    const i = t * CHUNK + chunkLen[t]!++;
    chunkNode[i] = v;
    chunkKey[i] = d;
    pending++;
  };
  for (const s of sources) push(s, dist[s]!, Math.min(SLOTS - 2, Math.floor((dist[s]! - base) * inv)));

  // The current round (bits, summary, and the same nodes as a list) and the next.
  let bits = S.bits, summary = S.summary, round = S.round;
  let nextBits = S.nextBits, nextSummary = S.nextSummary, nextRound = S.nextRound;
  let r = 0, lo = n, hi = -1;
  const { offsets, target } = g;
  let cur = 0;
  while (pending > 0) {
    let slot = cur & MASK;
    if (headChunk[slot]! < 0) {
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
    // The bucket's entries that are not stale become the first round.
    for (let c = headChunk[slot]!; c >= 0; ) {
      const o = c * CHUNK, len = chunkLen[c]!;
      for (let i = o; i < o + len; i++) {
        const v = chunkNode[i]!;
        if (chunkKey[i] !== dist[v]) continue;
        const vw = v >>> 5, vb = 1 << (v & 31);
        if (bits[vw]! & vb) continue;
        bits[vw]! |= vb;
        summary[v >>> 10]! |= 1 << (vw & 31);
        round[r++] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      pending -= len;
      const next = chunkNext[c]!;
      chunkNext[c] = freeChunk;
      freeChunk = c;
      c = next;
    }
    headChunk[slot] = -1;
    tailChunk[slot] = -1;
    nonEmpty[slot >>> 5]! &= ~(1 << (slot & 31));
    const top = cur + SLOTS - 2;
    // Costs below this are in the current bucket (tested first: most improvements are; the bucket number
    // is worked out only for the others, and rounding either way keeps the node in this bucket).
    const curEnd = base + (cur + 1) * delta;

    while (r > 0) {
      const firstSum = lo >>> 10, lastSum = hi >>> 10;
      // Few nodes over a wide range: sorting them beats scanning the summary.
      const sorted = (lastSum - firstSum) > 4 * r;
      if (sorted) round.subarray(0, r).sort();
      let nr = 0, nlo = n, nhi = -1;
      // The round's nodes in order: from the sorted list, or from the bitmap word by word. Improvements
      // inside this bucket go to the next round unless this round still holds them.
      let j = 0, sumIdx = firstSum - 1, sm = 0, w = 0, m = 0;
      for (;;) {
        let u: number;
        if (sorted) {
          if (j === r) break;
          u = round[j++]!;
          bits[u >>> 5]! &= ~(1 << (u & 31));
          summary[u >>> 10] = 0;
        } else {
          while (m === 0) {
            while (sm === 0) {
              if (++sumIdx > lastSum) break;
              sm = summary[sumIdx]!;
              summary[sumIdx] = 0;
            }
            if (sm === 0) break;
            w = (sumIdx << 5) | (31 - Math.clz32(sm & -sm));
            sm &= sm - 1;
            m = bits[w]!;
          }
          if (m === 0) break;
          u = (w << 5) | (31 - Math.clz32(m & -m));
          m &= m - 1;
          bits[w] = m;
        }
        const du = dist[u]!;
        const end = offsets[u + 1]!;
        for (let e = offsets[u]!; e < end; e++) {
          const dv = du + cost[e]!;
          const v = target[e]!;
          if (dv < dist[v]!) {
            dist[v] = dv;
            if (record) via![v] = e;
            const b = dv < curEnd ? cur : Math.floor((dv - base) * inv);
            if (b <= cur) {
              const vw = v >>> 5, vb = 1 << (v & 31);
              if (((bits[vw]! | nextBits[vw]!) & vb) === 0) {
                nextBits[vw]! |= vb;
                nextSummary[v >>> 10]! |= 1 << (vw & 31);
                nextRound[nr++] = v;
                if (v < nlo) nlo = v;
                if (v > nhi) nhi = v;
              }
            } else push(v, dv, b < top ? b : top);
          }
        }
      }
      [bits, nextBits] = [nextBits, bits];
      [summary, nextSummary] = [nextSummary, summary];
      [round, nextRound] = [nextRound, round];
      r = nr;
      lo = nlo;
      hi = nhi;
    }
    cur++;
  }
  // The bitmaps are all clear again; keep whichever arrays ended up current for the next search.
  S.bits = bits;
  S.nextBits = nextBits;
  S.summary = summary;
  S.nextSummary = nextSummary;
  S.round = round;
  S.nextRound = nextRound;
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

/** The edges of the best path to `node`, first to last, from the edges the search recorded. */
export function pathEdges(r: SearchResult, src: Uint32Array, node: number): number[] {
  const via = r.via;
  if (!via) throw new Error('this search recorded no edges: use tightPath');
  const edges: number[] = [];
  for (let v = node; via[v]! >= 0; v = src[via[v]!]!) edges.push(via[v]!);
  return edges.reverse();
}

/** Each node's incoming edges: edges into v are inEdges[inOffsets[v] .. inOffsets[v+1]-1]. */
export function reverseAdjacency(g: RoadGraph): { inOffsets: Uint32Array; inEdges: Uint32Array } {
  const inOffsets = new Uint32Array(g.nodeCount + 1);
  for (let e = 0; e < g.edgeCount; e++) inOffsets[g.target[e]! + 1]!++;
  for (let v = 0; v < g.nodeCount; v++) inOffsets[v + 1]! += inOffsets[v]!;
  const fill = inOffsets.slice(0, g.nodeCount);
  const inEdges = new Uint32Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++) inEdges[fill[g.target[e]!]!++] = e;
  return { inOffsets, inEdges };
}

/**
 * A best path to `node` from the distances alone, first edge to last: walking back over "tight" edges
 * (dist[u] + cost = dist[v], exactly: the search computed dist[v] as that very sum) until a start
 * whose distance is its start cost. Breadth first with a visited set, so edges of zero cost cannot
 * loop. Every node the search reached has such a path: the edges that last improved each node are tight.
 * `startCost(s)` is the cheapest start cost given for node s, undefined when s is no start.
 */
export function tightPath(rev: { inOffsets: Uint32Array; inEdges: Uint32Array }, src: Uint32Array, target: Uint32Array, costs: EdgeCosts, dist: Float64Array, startCost: (node: number) => number | undefined, node: number): number[] | null {
  if (dist[node] === Infinity) return null;
  // next[u]: the edge from u one step nearer `node` (-1 for `node` itself).
  const next = new Map<number, number>([[node, -1]]);
  const queue = [node];
  for (let i = 0; i < queue.length; i++) {
    const x = queue[i]!;
    if (startCost(x) === dist[x]) {
      const edges: number[] = [];
      for (let e = next.get(x)!; e >= 0; e = next.get(target[e]!)!) edges.push(e);
      return edges;
    }
    for (let j = rev.inOffsets[x]!; j < rev.inOffsets[x + 1]!; j++) {
      const e = rev.inEdges[j]!;
      const u = src[e]!;
      if (next.has(u) || dist[u]! + costs[e]! !== dist[x]) continue;
      next.set(u, e);
      queue.push(u);
    }
  }
  return null;
}
