/**
 * Segments joined into lines where they share an end. Ends are named by keys (a vertex number, or a
 * position written out), so that the same point reached from two cells is one end.
 */
import type { Position } from 'geojson';

export interface KeyedSegment<K> {
  from: K;
  to: K;
  p: Position;
  q: Position;
}

export function joinByEnds<K>(segs: readonly KeyedSegment<K>[]): Position[][] {
  const at = new Map<K, number[]>();
  segs.forEach((s, i) => {
    for (const v of [s.from, s.to]) {
      const list = at.get(v);
      if (list) list.push(i);
      else at.set(v, [i]);
    }
  });
  const used = new Uint8Array(segs.length);
  const lines: Position[][] = [];
  // Extends a line from its last end while an unused segment goes on from there.
  const extend = (line: Position[], end: K): void => {
    for (;;) {
      const next = at.get(end)!.find((i) => !used[i]);
      if (next === undefined) return;
      used[next] = 1;
      const s = segs[next]!;
      line.push(s.from === end ? s.q : s.p);
      end = s.from === end ? s.to : s.from;
    }
  };
  segs.forEach((s, i) => {
    if (used[i]) return;
    used[i] = 1;
    const line: Position[] = [s.p, s.q];
    extend(line, s.to);
    line.reverse();
    extend(line, s.from);
    lines.push(line);
  });
  return lines;
}
