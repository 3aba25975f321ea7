/**
 * OpenStreetMap road data in: PBF (the binary format of planet and country extracts), OSM XML (plain or
 * gzipped) and GeoJSON line files. Only what a road graph needs is kept: ways with a highway tag, and the
 * coordinates of their nodes. PBF is read twice (ways first, then only the nodes they use), so a country
 * extract does not need all its nodes in memory.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip, inflateSync } from 'node:zlib';
import Pbf from 'pbf';
import sax from 'sax';
import { ImportError } from '../core/errors.js';
import type { WayInput } from '../routing/graph.js';

export interface OsmRoads {
  ways: WayInput[];
  coord: (id: number) => readonly [number, number] | undefined;
  counts: { nodes: number; ways: number; relations: number; highwayWays: number };
}

export type Progress = (done: number, total: number) => void;

export async function readOsmRoads(file: string, onProgress?: Progress): Promise<OsmRoads> {
  const name = basename(file).toLowerCase();
  if (name.endsWith('.pbf')) return readPbf(file, onProgress);
  if (name.endsWith('.osm') || name.endsWith('.osm.gz') || name.endsWith('.xml') || name.endsWith('.osm.xml')) return readXml(file);
  if (name.endsWith('.geojson') || name.endsWith('.json')) return readGeojsonLines(file);
  throw new ImportError('is not a road file Frontline reads: use .osm.pbf, .osm, .osm.gz or .geojson (LineStrings with a highway property)', { file });
}

// ---- PBF -------------------------------------------------------------------------------------------------

interface Blob {
  type: string;
  data: Uint8Array;
}

function* blobs(buf: Buffer, file: string): Generator<Blob & { end: number }> {
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw new ImportError(`is truncated: a block header is cut at byte ${pos}`, { file });
    const headLen = buf.readUInt32BE(pos);
    pos += 4;
    if (headLen > 64 * 1024 || pos + headLen > buf.length) throw new ImportError(`is corrupt or truncated: bad block header at byte ${pos - 4}`, { file });
    const head = new Pbf(buf.subarray(pos, pos + headLen)).readFields((tag, h: { type: string; size: number }, p) => {
      if (tag === 1) h.type = p!.readString();
      else if (tag === 3) h.size = p!.readVarint();
    }, { type: '', size: 0 });
    pos += headLen;
    if (pos + head.size > buf.length) throw new ImportError(`is truncated: a ${head.type || 'data'} block at byte ${pos} needs ${head.size} bytes, the file has ${buf.length - pos}`, { file });
    const blob = new Pbf(buf.subarray(pos, pos + head.size)).readFields((tag, b: { raw?: Uint8Array; zlib?: Uint8Array; other?: number }, p) => {
      if (tag === 1) b.raw = p!.readBytes();
      else if (tag === 3) b.zlib = p!.readBytes();
      else if (tag === 4 || tag === 5 || tag === 6 || tag === 7) b.other = tag;
    }, {});
    pos += head.size;
    let data: Uint8Array;
    if (blob.raw) data = blob.raw;
    else if (blob.zlib) {
      try {
        data = inflateSync(blob.zlib);
      } catch {
        throw new ImportError(`is corrupt: a block at byte ${pos - head.size} does not decompress`, { file });
      }
    } else throw new ImportError(`uses a compression Frontline does not read (${blob.other === 4 ? 'lzma' : blob.other === 7 ? 'zstd' : 'other'}): re-encode it with osmium cat -o out.osm.pbf`, { file });
    yield { type: head.type, data, end: pos };
  }
}

interface Block {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
  groups: Uint8Array[];
}

function readBlock(data: Uint8Array): Block {
  return new Pbf(data).readFields((tag, b: Block, p) => {
    if (tag === 1) new Pbf(p!.readBytes()).readFields((t, arr: string[], q) => void (t === 1 && arr.push(q!.readString())), b.strings);
    else if (tag === 2) b.groups.push(p!.readBytes());
    else if (tag === 17) b.granularity = p!.readVarint();
    else if (tag === 19) b.latOffset = p!.readVarint(true);
    else if (tag === 20) b.lonOffset = p!.readVarint(true);
  }, { strings: [], granularity: 100, latOffset: 0, lonOffset: 0, groups: [] });
}

async function readPbf(file: string, onProgress?: Progress): Promise<OsmRoads> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new ImportError(`cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file });
  }
  const counts = { nodes: 0, ways: 0, relations: 0, highwayWays: 0 };
  const ways: WayInput[] = [];
  let sawHeader = false;
  // Pass 1: ways (and counts of everything).
  for (const blob of blobs(buf, file)) {
    onProgress?.(blob.end / 2, buf.length);
    if (blob.type === 'OSMHeader') {
      sawHeader = true;
      continue;
    }
    if (blob.type !== 'OSMData') continue;
    const block = readBlock(blob.data);
    for (const g of block.groups) {
      new Pbf(g).readFields((tag, _: null, p) => {
        // Fields not read here are skipped by readFields.
        if (tag === 1) counts.nodes++;
        else if (tag === 2) {
          counts.nodes += denseCount(p!.readBytes());
        } else if (tag === 3) {
          counts.ways++;
          const w = readWay(p!.readBytes(), block.strings);
          if (w.tags.highway !== undefined) {
            counts.highwayWays++;
            ways.push(w);
          }
        } else if (tag === 4) counts.relations++;
      }, null);
    }
  }
  if (!sawHeader) throw new ImportError('is not an OSM PBF file (no OSMHeader block)', { file });
  // Pass 2: the coordinates of the nodes those ways use.
  const needed = new Set<number>();
  for (const w of ways) for (let i = 0; i < w.refs.length; i++) needed.add(w.refs[i]!);
  const coords = new Map<number, readonly [number, number]>();
  for (const blob of blobs(buf, file)) {
    onProgress?.(buf.length / 2 + blob.end / 2, buf.length);
    if (blob.type !== 'OSMData') continue;
    const block = readBlock(blob.data);
    const scaleLat = (v: number): number => 1e-9 * (block.latOffset + block.granularity * v);
    const scaleLon = (v: number): number => 1e-9 * (block.lonOffset + block.granularity * v);
    for (const g of block.groups) {
      new Pbf(g).readFields((tag, _: null, p) => {
        if (tag === 2) {
          const d = p!.readBytes();
          const ids: number[] = [], lats: number[] = [], lons: number[] = [];
          new Pbf(d).readFields((t, __: null, q) => {
            if (t === 1) q!.readPackedSVarint(ids);
            else if (t === 8) q!.readPackedSVarint(lats);
            else if (t === 9) q!.readPackedSVarint(lons);
          }, null);
          let id = 0, lat = 0, lon = 0;
          for (let i = 0; i < ids.length; i++) {
            id += ids[i]!;
            lat += lats[i]!;
            lon += lons[i]!;
            if (needed.has(id)) coords.set(id, [scaleLon(lon), scaleLat(lat)]);
          }
        } else if (tag === 1) {
          const n = new Pbf(p!.readBytes()).readFields((t, o: { id: number; lat: number; lon: number }, q) => {
            if (t === 1) o.id = q!.readSVarint();
            else if (t === 8) o.lat = q!.readSVarint();
            else if (t === 9) o.lon = q!.readSVarint();
          }, { id: 0, lat: 0, lon: 0 });
          if (needed.has(n.id)) coords.set(n.id, [scaleLon(n.lon), scaleLat(n.lat)]);
        }
      }, null);
    }
  }
  return { ways, coord: (id) => coords.get(id), counts };
}

function denseCount(d: Uint8Array): number {
  let n = 0;
  new Pbf(d).readFields((t, _: null, q) => {
    if (t === 1) {
      const ids: number[] = [];
      q!.readPackedSVarint(ids);
      n = ids.length;
    }
  }, null);
  return n;
}

function readWay(d: Uint8Array, strings: string[]): WayInput {
  const keys: number[] = [], vals: number[] = [], refs: number[] = [];
  let id = 0;
  new Pbf(d).readFields((t, _: null, q) => {
    if (t === 1) id = q!.readVarint();
    else if (t === 2) q!.readPackedVarint(keys);
    else if (t === 3) q!.readPackedVarint(vals);
    else if (t === 8) q!.readPackedSVarint(refs);
  }, null);
  const tags: Record<string, string> = {};
  keys.forEach((k, i) => (tags[strings[k] ?? ''] = strings[vals[i]!] ?? ''));
  for (let i = 1; i < refs.length; i++) refs[i]! += refs[i - 1]!;
  return { id, refs, tags };
}

// ---- XML -------------------------------------------------------------------------------------------------

async function readXml(file: string): Promise<OsmRoads> {
  const coords = new Map<number, readonly [number, number]>();
  const ways: WayInput[] = [];
  const counts = { nodes: 0, ways: 0, relations: 0, highwayWays: 0 };
  const parser = sax.createStream(true, {});
  let way: WayInput | null = null;
  let sawOsm = false;
  parser.on('opentag', (node) => {
    const a = node.attributes as Record<string, string>;
    if (node.name === 'osm') sawOsm = true;
    else if (node.name === 'node') {
      counts.nodes++;
      coords.set(Number(a.id), [Number(a.lon), Number(a.lat)]);
    } else if (node.name === 'way') {
      counts.ways++;
      way = { id: Number(a.id), refs: [], tags: {} };
    } else if (node.name === 'nd' && way) (way.refs as number[]).push(Number(a.ref));
    else if (node.name === 'tag' && way) (way.tags as Record<string, string>)[a.k ?? ''] = a.v ?? '';
    else if (node.name === 'relation') counts.relations++;
  });
  parser.on('closetag', (name) => {
    if (name === 'way' && way) {
      if (way.tags.highway !== undefined) {
        counts.highwayWays++;
        ways.push(way);
      }
      way = null;
    }
  });
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(file);
    const fail = (err: Error): void => reject(new ImportError(`is not readable OSM XML (${err.message.split('\n')[0]})`, { file }));
    input.on('error', (err) => reject(new ImportError(`cannot read the file (${(err as NodeJS.ErrnoException).code ?? err.message})`, { file })));
    parser.on('error', fail);
    parser.on('end', () => resolve());
    if (file.toLowerCase().endsWith('.gz')) {
      const gunzip = createGunzip();
      gunzip.on('error', fail);
      input.pipe(gunzip).pipe(parser);
    } else input.pipe(parser);
  });
  if (!sawOsm) throw new ImportError('is not OSM XML (no <osm> element)', { file });
  return { ways, coord: (id) => coords.get(id), counts };
}

// ---- GeoJSON lines ---------------------------------------------------------------------------------------

function readGeojsonLines(file: string): OsmRoads {
  let doc: { type?: string; features?: { geometry?: { type?: string; coordinates?: unknown }; properties?: Record<string, unknown> | null }[] };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as typeof doc;
  } catch (err) {
    throw new ImportError(`is not readable GeoJSON (${(err as Error).message})`, { file });
  }
  if (doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw new ImportError('is not a GeoJSON FeatureCollection', { file });
  // Points are shared between lines by their coordinates (to 1e-7°, ~1 cm): that is where roads join.
  const ids = new Map<string, number>();
  const coords: [number, number][] = [];
  const ways: WayInput[] = [];
  const counts = { nodes: 0, ways: 0, relations: 0, highwayWays: 0 };
  doc.features.forEach((f, i) => {
    const g = f.geometry;
    const lines = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? (g.coordinates as unknown[]) : [];
    const tags = Object.fromEntries(Object.entries(f.properties ?? {}).map(([k, v]) => [k, String(v)]));
    for (const line of lines) {
      if (!Array.isArray(line)) continue;
      counts.ways++;
      const refs: number[] = [];
      for (const p of line as unknown[]) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') throw new ImportError(`feature ${i + 1} has a position that is not [lon, lat]`, { file });
        const key = `${p[0].toFixed(7)},${p[1].toFixed(7)}`;
        let id = ids.get(key);
        if (id === undefined) {
          id = coords.length;
          ids.set(key, id);
          coords.push([p[0], p[1]]);
        }
        refs.push(id);
      }
      if (tags.highway !== undefined) {
        counts.highwayWays++;
        ways.push({ id: Number(tags['@id'] ?? i), refs, tags });
      }
    }
  });
  counts.nodes = coords.length;
  return { ways, coord: (id) => coords[id], counts };
}
