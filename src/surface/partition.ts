/**
 * The partition of a lattice by travel time (a network Voronoi): a multi-source Dijkstra from seed cells,
 * each cell taking the label of the seed that reaches it first. Pure, on typed arrays; the control engine
 * (src/control/model.ts) turns places into seeds and labels into holders.
 *
 * Ties: a cell reached at the same time from two seeds goes to the seed listed first (every step takes
 * some time, so all of a cell's equally quick predecessors are settled before it), so the answer never
 * depends on anything but the seeds' order.
 */

/** Any lattice: `steps` targets per cell (-1 none) with their costs (Infinity: forbidden). */
export interface Lattice {
  cellCount: number;
  steps: number;
  stepTarget: Int32Array;
  stepHours: Float32Array;
}

export interface Seed {
  cell: number;
  label: number;
  /** The time already taken to reach the cell (default 0): a place off its cell's centre. */
  hours?: number;
}

export interface PartitionResult {
  /** The label of the seed that reaches each cell first, -1 unreached. */
  label: Int32Array;
  /** Its travel time, Infinity unreached. */
  hours: Float64Array;
  /** Cells settled (reached). */
  reached: number;
}

/** Scratch space, reusable from one partition to the next on the same lattice. */
export interface PartitionBuffers {
  label: Int32Array;
  hours: Float64Array;
  rank: Int32Array;
  heapCell: Int32Array;
  heapKey: Float64Array;
}

export function partitionBuffers(cellCount: number, steps: number): PartitionBuffers {
  const cap = cellCount * Math.min(steps, 6) + 16;
  return {
    label: new Int32Array(cellCount),
    hours: new Float64Array(cellCount),
    rank: new Int32Array(cellCount),
    heapCell: new Int32Array(cap),
    heapKey: new Float64Array(cap),
  };
}

/**
 * Partition the lattice among the seeds. `maxHours` stops the search there (cells beyond stay
 * unreached). Buffers may be passed in to avoid allocation; the result's arrays are then theirs.
 */
export function partition(lat: Lattice, seeds: readonly Seed[], maxHours = Infinity, buf: PartitionBuffers = partitionBuffers(lat.cellCount, lat.steps)): PartitionResult {
  const n = lat.cellCount, S = lat.steps;
  const { label, hours, rank } = buf;
  label.fill(-1, 0, n);
  hours.fill(Infinity, 0, n);
  // rank: the order of the seed a cell's best time came from (the tie-break).
  const heap = new MinHeap(buf);
  seeds.forEach((s, r) => {
    if (s.cell < 0 || s.cell >= n) return;
    const h = s.hours ?? 0;
    if (h > maxHours) return;
    if (hours[s.cell]! > h || (hours[s.cell] === h && rank[s.cell]! > r)) {
      hours[s.cell] = h;
      label[s.cell] = s.label;
      rank[s.cell] = r;
      heap.push(s.cell, h);
    }
  });
  const settled = new Uint8Array(n);
  let reached = 0;
  const { stepTarget, stepHours } = lat;
  while (heap.size) {
    const c = heap.popCell();
    const t = heap.lastKey;
    if (settled[c] || t !== hours[c]) continue;
    settled[c] = 1;
    reached++;
    const lab = label[c]!, r = rank[c]!;
    for (let k = c * S, e = k + S; k < e; k++) {
      const v = stepTarget[k]!;
      if (v < 0 || settled[v]) continue;
      const nt = t + stepHours[k]!;
      if (nt > maxHours || nt === Infinity) continue;
      const ht = hours[v]!;
      if (nt < ht || (nt === ht && r < rank[v]!)) {
        hours[v] = nt;
        label[v] = lab;
        rank[v] = r;
        heap.push(v, nt);
      }
    }
  }
  return { label, hours, reached };
}

/** A binary min-heap of (time, cell) on typed arrays, growing as needed. */
class MinHeap {
  size = 0;
  lastKey = 0;
  private cell: Int32Array;
  private key: Float64Array;
  constructor(private readonly buf: PartitionBuffers) {
    this.cell = buf.heapCell;
    this.key = buf.heapKey;
  }
  push(c: number, k: number): void {
    if (this.size === this.cell.length) this.grow();
    const cell = this.cell, key = this.key;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const kp = key[p]!;
      if (kp <= k) break;
      key[i] = kp;
      cell[i] = cell[p]!;
      i = p;
    }
    key[i] = k;
    cell[i] = c;
  }
  popCell(): number {
    const cell = this.cell, key = this.key;
    const top = cell[0]!;
    this.lastKey = key[0]!;
    const last = --this.size;
    if (last > 0) {
      const c = cell[last]!, k = key[last]!;
      let i = 0;
      for (;;) {
        let m = 2 * i + 1;
        if (m >= last) break;
        if (m + 1 < last && key[m + 1]! < key[m]!) m++;
        if (key[m]! >= k) break;
        key[i] = key[m]!;
        cell[i] = cell[m]!;
        i = m;
      }
      key[i] = k;
      cell[i] = c;
    }
    return top;
  }
  private grow(): void {
    const cap = this.cell.length * 2;
    const c = new Int32Array(cap), k = new Float64Array(cap);
    c.set(this.cell);
    k.set(this.key);
    this.cell = this.buf.heapCell = c;
    this.key = this.buf.heapKey = k;
  }
}

/** The surface as a Lattice (its arrays, no copy). */
export function latticeOf(s: { grid: { cells: readonly unknown[] }; stepTarget: Int32Array; stepHours: Float32Array }, steps = 12): Lattice {
  return { cellCount: s.grid.cells.length, steps, stepTarget: s.stepTarget, stepHours: s.stepHours };
}
