/**
 * GeoPackage (OGC 12-128r18, version 1.3) written with better-sqlite3: the tables the standard requires
 * (gpkg_spatial_ref_sys with EPSG:4326 and the two undefined systems, gpkg_contents,
 * gpkg_geometry_columns) and one feature table per layer, each geometry a GeoPackage binary: the "GP"
 * header (version 0, little-endian, an xy envelope, srs id) followed by ISO WKB. QGIS, GDAL/OGR and ArcGIS
 * open it as it is. Polygons are written as MultiPolygons and lines as MultiLineStrings so that a layer
 * has one geometry type.
 */
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';

export interface GisLayer {
  /** The table's name: letters, digits and _ (checked). */
  name: string;
  description: string;
  features: GeoJSON.Feature[];
  /** Column types where the values cannot tell (a column of nulls only, as fatalities often are). */
  types?: Record<string, 'INTEGER' | 'REAL' | 'TEXT'>;
}

type Geom = GeoJSON.Point | GeoJSON.LineString | GeoJSON.Polygon | GeoJSON.MultiPoint | GeoJSON.MultiLineString | GeoJSON.MultiPolygon;

/** Polygons as MultiPolygons, lines as MultiLineStrings: one geometry type per layer. */
export function promote(g: GeoJSON.Geometry): Geom {
  if (g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates] };
  if (g.type === 'LineString') return { type: 'MultiLineString', coordinates: [g.coordinates] };
  if (g.type === 'GeometryCollection') throw new RangeError('a GeometryCollection cannot be written to a GeoPackage layer here');
  return g;
}

/** ISO WKB, little-endian, 2-D. */
export function wkb(g: Geom): Buffer {
  const parts: Buffer[] = [];
  const head = (type: number): void => {
    const b = Buffer.alloc(5);
    b.writeUInt8(1, 0);
    b.writeUInt32LE(type, 1);
    parts.push(b);
  };
  const u32 = (n: number): void => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n, 0);
    parts.push(b);
  };
  const points = (ps: readonly GeoJSON.Position[]): void => {
    u32(ps.length);
    const b = Buffer.alloc(ps.length * 16);
    ps.forEach((p, i) => {
      b.writeDoubleLE(p[0]!, i * 16);
      b.writeDoubleLE(p[1]!, i * 16 + 8);
    });
    parts.push(b);
  };
  const polygon = (rings: readonly GeoJSON.Position[][]): void => {
    head(3);
    u32(rings.length);
    for (const r of rings) points(r);
  };
  const line = (ps: readonly GeoJSON.Position[]): void => {
    head(2);
    points(ps);
  };
  const point = (p: GeoJSON.Position): void => {
    head(1);
    const b = Buffer.alloc(16);
    b.writeDoubleLE(p[0]!, 0);
    b.writeDoubleLE(p[1]!, 8);
    parts.push(b);
  };
  switch (g.type) {
    case 'Point': point(g.coordinates); break;
    case 'LineString': line(g.coordinates); break;
    case 'Polygon': polygon(g.coordinates); break;
    case 'MultiPoint': head(4); u32(g.coordinates.length); g.coordinates.forEach(point); break;
    case 'MultiLineString': head(5); u32(g.coordinates.length); g.coordinates.forEach(line); break;
    case 'MultiPolygon': head(6); u32(g.coordinates.length); g.coordinates.forEach(polygon); break;
  }
  return Buffer.concat(parts);
}

function envelope(g: Geom): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const walk = (c: unknown): void => {
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as number[];
      if (x! < minX) minX = x!;
      if (x! > maxX) maxX = x!;
      if (y! < minY) minY = y!;
      if (y! > maxY) maxY = y!;
    } else for (const d of c as unknown[]) walk(d);
  };
  walk(g.coordinates);
  return [minX, minY, maxX, maxY];
}

/** A GeoPackage geometry blob: "GP", version 0, flags (little-endian, xy envelope), srs id, envelope, WKB. */
export function gpkgGeometry(g: Geom, srsId = 4326): Buffer {
  const [minX, minY, maxX, maxY] = envelope(g);
  const h = Buffer.alloc(8 + 32);
  h.write('GP', 0, 'ascii');
  h.writeUInt8(0, 2); // version 1 of the binary format is written as 0
  h.writeUInt8(0b0000_0011, 3); // bit 0: little-endian; bits 1–3 = 1: envelope [minx, maxx, miny, maxy]
  h.writeInt32LE(srsId, 4);
  [minX, maxX, minY, maxY].forEach((v, i) => h.writeDoubleLE(v, 8 + i * 8));
  return Buffer.concat([h, wkb(g)]);
}

/** Decode a GeoPackage geometry blob back to GeoJSON (for tests and for reading our own files). */
export function readGpkgGeometry(blob: Buffer): Geom {
  if (blob.toString('ascii', 0, 2) !== 'GP') throw new RangeError('not a GeoPackage geometry (no "GP" magic)');
  const flags = blob.readUInt8(3);
  const envBytes = [0, 32, 48, 48, 64][(flags >> 1) & 0b111] ?? 0;
  let o = 8 + envBytes;
  const read = (): Geom => {
    const le = blob.readUInt8(o) === 1;
    const type = le ? blob.readUInt32LE(o + 1) : blob.readUInt32BE(o + 1);
    o += 5;
    const u32 = (): number => {
      const n = le ? blob.readUInt32LE(o) : blob.readUInt32BE(o);
      o += 4;
      return n;
    };
    const pt = (): number[] => {
      const p = le ? [blob.readDoubleLE(o), blob.readDoubleLE(o + 8)] : [blob.readDoubleBE(o), blob.readDoubleBE(o + 8)];
      o += 16;
      return p;
    };
    const pts = (): number[][] => Array.from({ length: u32() }, pt);
    switch (type) {
      case 1: return { type: 'Point', coordinates: pt() };
      case 2: return { type: 'LineString', coordinates: pts() };
      case 3: return { type: 'Polygon', coordinates: Array.from({ length: u32() }, pts) };
      case 4: return { type: 'MultiPoint', coordinates: Array.from({ length: u32() }, () => (read() as GeoJSON.Point).coordinates) };
      case 5: return { type: 'MultiLineString', coordinates: Array.from({ length: u32() }, () => (read() as GeoJSON.LineString).coordinates) };
      case 6: return { type: 'MultiPolygon', coordinates: Array.from({ length: u32() }, () => (read() as GeoJSON.Polygon).coordinates) };
      default: throw new RangeError(`WKB geometry type ${type} is not read here`);
    }
  };
  return read();
}

type Column = { name: string; type: 'INTEGER' | 'REAL' | 'TEXT' };

/** The attribute columns a layer needs: every property key, typed by the values it holds. */
function columnsOf(features: readonly GeoJSON.Feature[], hints: GisLayer['types'] = {}): Column[] {
  const kinds = new Map<string, Set<string>>();
  for (const f of features)
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      if (v === null || v === undefined) {
        if (!kinds.has(k)) kinds.set(k, new Set());
        continue;
      }
      const t = typeof v === 'number' ? (Number.isInteger(v) ? 'INTEGER' : 'REAL') : typeof v === 'boolean' ? 'INTEGER' : 'TEXT';
      kinds.set(k, (kinds.get(k) ?? new Set()).add(t));
    }
  return [...kinds].filter(([k]) => k.toLowerCase() !== 'fid' && k.toLowerCase() !== 'geom').map(([name, ts]) => ({ name, type: !ts.size && hints[name] ? hints[name] : ts.has('TEXT') ? 'TEXT' : ts.has('REAL') ? 'REAL' : ts.has('INTEGER') ? 'INTEGER' : 'TEXT' }));
}

const quote = (id: string): string => `"${id.replace(/"/g, '""')}"`;
const cell = (v: unknown, type: Column['type']): string | number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return JSON.stringify(v);
  if (type === 'TEXT') return String(v);
  return v as number;
};

const WGS84 = 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

/** Write the layers to a new GeoPackage at `path` (an existing file is replaced). Returns features written. */
export function writeGeoPackage(path: string, layers: readonly GisLayer[], now = new Date()): number {
  for (const l of layers) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(l.name)) throw new RangeError(`layer name "${l.name}": letters, digits and _ only`);
  if (existsSync(path)) rmSync(path);
  const db = new Database(path);
  let n = 0;
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma('application_id = 1196444487'); // 0x47504B47, "GPKG"
    db.pragma('user_version = 10300'); // GeoPackage 1.3.0
    db.exec(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
      CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
      CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));`);
    const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)');
    srs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
    srs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
    srs.run('WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
    db.transaction(() => {
      for (const layer of layers) {
        const geoms = layer.features.map((f) => promote(f.geometry));
        const types = new Set(geoms.map((g) => g.type));
        const typeName = types.size === 1 ? [...types][0]!.toUpperCase() : 'GEOMETRY';
        const cols = columnsOf(layer.features, layer.types);
        db.exec(`CREATE TABLE ${quote(layer.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom ${typeName}${cols.map((c) => `, ${quote(c.name)} ${c.type}`).join('')})`);
        const ins = db.prepare(`INSERT INTO ${quote(layer.name)} (geom${cols.map((c) => `, ${quote(c.name)}`).join('')}) VALUES (?${', ?'.repeat(cols.length)})`);
        let box = [Infinity, Infinity, -Infinity, -Infinity];
        layer.features.forEach((f, i) => {
          const e = envelope(geoms[i]!);
          box = [Math.min(box[0]!, e[0]), Math.min(box[1]!, e[1]), Math.max(box[2]!, e[2]), Math.max(box[3]!, e[3])];
          ins.run(gpkgGeometry(geoms[i]!), ...cols.map((c) => cell(f.properties?.[c.name], c.type)));
          n++;
        });
        const has = layer.features.length > 0;
        db.prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(layer.name, 'features', layer.name, layer.description, now.toISOString().replace(/\.\d+Z$/, 'Z'), has ? box[0] : null, has ? box[1] : null, has ? box[2] : null, has ? box[3] : null, 4326);
        db.prepare('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)').run(layer.name, 'geom', typeName, 4326);
      }
    })();
  } finally {
    db.close();
  }
  return n;
}
