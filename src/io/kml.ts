/**
 * KML 2.2 (OGC 07-147r2) for Google Earth and QGIS: a Document with one Folder per layer, a Placemark per
 * feature with its name, its properties as ExtendedData, and a style by bloc colour or event type. All
 * text is XML-escaped (names and notes are user text).
 */
import type { GisLayer } from './gpkg.js';

const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
/** Characters XML 1.0 forbids (control characters other than tab, newline and return) are dropped. */
// eslint-disable-next-line no-control-regex
const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
const text = (v: unknown): string => esc(clean(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));

/** #rrggbb and an opacity to KML's aabbggrr. */
export function kmlColor(hex: string, opacity = 1): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return 'ff888888';
  const a = Math.round(Math.max(0, Math.min(1, opacity)) * 255).toString(16).padStart(2, '0');
  return `${a}${m[3]}${m[2]}${m[1]}`.toLowerCase();
}

const coords = (ps: readonly GeoJSON.Position[]): string => ps.map((p) => `${+p[0]!.toFixed(6)},${+p[1]!.toFixed(6)}`).join(' ');
function geometry(g: GeoJSON.Geometry): string {
  switch (g.type) {
    case 'Point': return `<Point><coordinates>${coords([g.coordinates])}</coordinates></Point>`;
    case 'LineString': return `<LineString><tessellate>1</tessellate><coordinates>${coords(g.coordinates)}</coordinates></LineString>`;
    case 'Polygon': return `<Polygon><tessellate>1</tessellate>${g.coordinates.map((r, i) => `<${i ? 'innerBoundaryIs' : 'outerBoundaryIs'}><LinearRing><coordinates>${coords(r)}</coordinates></LinearRing></${i ? 'innerBoundaryIs' : 'outerBoundaryIs'}>`).join('')}</Polygon>`;
    case 'MultiPoint': return `<MultiGeometry>${g.coordinates.map((c) => geometry({ type: 'Point', coordinates: c })).join('')}</MultiGeometry>`;
    case 'MultiLineString': return `<MultiGeometry>${g.coordinates.map((c) => geometry({ type: 'LineString', coordinates: c })).join('')}</MultiGeometry>`;
    case 'MultiPolygon': return `<MultiGeometry>${g.coordinates.map((c) => geometry({ type: 'Polygon', coordinates: c })).join('')}</MultiGeometry>`;
    case 'GeometryCollection': return `<MultiGeometry>${g.geometries.map(geometry).join('')}</MultiGeometry>`;
  }
}

export interface KmlOptions {
  title: string;
  description?: string;
  /** A feature's colour (#rrggbb), or null for the default grey. */
  colorOf?: (f: GeoJSON.Feature) => string | null;
}

/** The name a Placemark shows: the feature's name, place, location or id. */
function nameOf(f: GeoJSON.Feature): string {
  const p = f.properties ?? {};
  for (const k of ['name', 'place', 'location', 'id']) if (p[k] !== undefined && p[k] !== null && p[k] !== '') return String(p[k]);
  return String(f.id ?? '');
}

export function kmlDocument(layers: readonly GisLayer[], opts: KmlOptions): string {
  const styles = new Map<string, string>();
  const styleOf = (f: GeoJSON.Feature): string => {
    const hex = opts.colorOf?.(f) ?? '#888888';
    const id = `s${hex.replace('#', '')}`;
    if (!styles.has(id)) styles.set(id, `<Style id="${id}"><IconStyle><color>${kmlColor(hex)}</color><scale>0.8</scale></IconStyle><LineStyle><color>${kmlColor(hex)}</color><width>2.5</width></LineStyle><PolyStyle><color>${kmlColor(hex, 0.45)}</color></PolyStyle><LabelStyle><scale>0.8</scale></LabelStyle></Style>`);
    return id;
  };
  const folders = layers.map((l) => {
    const marks = l.features.map((f) => {
      const data = Object.entries(f.properties ?? {})
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => `<Data name="${text(k)}"><value>${text(v)}</value></Data>`)
        .join('');
      return `<Placemark><name>${text(nameOf(f))}</name><styleUrl>#${styleOf(f)}</styleUrl><ExtendedData>${data}</ExtendedData>${geometry(f.geometry)}</Placemark>`;
    });
    return `<Folder><name>${text(l.name)}</name><description>${text(l.description)}</description>\n${marks.join('\n')}\n</Folder>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>${text(opts.title)}</name>${opts.description ? `<description>${text(opts.description)}</description>` : ''}
${[...styles.values()].join('\n')}
${folders.join('\n')}
</Document></kml>
`;
}
