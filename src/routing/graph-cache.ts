/**
 * The road graph on disk: a small JSON header, then each typed array as it is in memory, 8-byte aligned.
 * Loading is one read and views on it (no parsing), so a country's graph loads in milliseconds.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RoadGraph } from './graph.js';

const MAGIC = 'FRONTLINE-ROADS-1\n';
const ARRAYS = ['lon', 'lat', 'offsets', 'target', 'lengthM', 'roadClass', 'piece', 'reversed', 'pieceOffsets', 'pieceLon', 'pieceLat'] as const;
type ArrayName = (typeof ARRAYS)[number];
const CTORS = { Float64Array, Float32Array, Uint32Array, Uint8Array } as const;

export interface GraphMeta {
  /** What the graph was built from (file names, or "demo"). */
  source: string;
  builtAt: string;
  [key: string]: unknown;
}

export function writeGraphCache(path: string, g: RoadGraph, meta: GraphMeta): void {
  const entries: { name: ArrayName; type: keyof typeof CTORS; length: number; offset: number }[] = [];
  let offset = 0;
  for (const name of ARRAYS) {
    const a = g[name];
    entries.push({ name, type: a.constructor.name as keyof typeof CTORS, length: a.length, offset });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header = Buffer.from(JSON.stringify({ nodeCount: g.nodeCount, edgeCount: g.edgeCount, meta, arrays: entries }));
  const headLen = Math.ceil((MAGIC.length + 4 + header.length) / 8) * 8;
  const out = Buffer.alloc(headLen + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, MAGIC.length);
  header.copy(out, MAGIC.length + 4);
  for (const e of entries) {
    const a = g[e.name];
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, headLen + e.offset);
  }
  // Written aside, then renamed: a crash never leaves a half-written cache.
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, out);
  renameSync(`${path}.tmp`, path);
}

export function readGraphCache(path: string): { graph: RoadGraph; meta: GraphMeta } {
  let buf = readFileSync(path);
  if (buf.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) throw new Error(`${path} is not a Frontline road graph (run frontline roads import again)`);
  if (buf.byteOffset % 8) buf = Buffer.from(buf); // views need 8-byte alignment
  const len = buf.readUInt32LE(MAGIC.length);
  const head = JSON.parse(buf.subarray(MAGIC.length + 4, MAGIC.length + 4 + len).toString('utf8')) as { nodeCount: number; edgeCount: number; meta: GraphMeta; arrays: { name: ArrayName; type: keyof typeof CTORS; length: number; offset: number }[] };
  const headLen = Math.ceil((MAGIC.length + 4 + len) / 8) * 8;
  const arrays = {} as Record<ArrayName, unknown>;
  for (const e of head.arrays) {
    const Ctor = CTORS[e.type];
    if (!Ctor || !ARRAYS.includes(e.name)) throw new Error(`${path}: unknown array ${e.name} (${e.type}); rebuild it with frontline roads import`);
    arrays[e.name] = new Ctor(buf.buffer, buf.byteOffset + headLen + e.offset, e.length);
  }
  return { graph: { nodeCount: head.nodeCount, edgeCount: head.edgeCount, ...(arrays as Omit<RoadGraph, 'nodeCount' | 'edgeCount'>) }, meta: head.meta };
}
