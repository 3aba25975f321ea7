/**
 * Small SVG charts and maps for briefings, as strings: no DOM, no browser, so the same code writes the
 * HTML report and the PDF printed from it. Every text put in is escaped.
 */
import type { MultiPolygonCoords } from '../geo/measure.js';

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const day = (d: string): number => Date.parse(`${d}T00:00:00Z`) / 86_400_000;
const fmt = (n: number): string => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en') : String(Math.round(n * 100) / 100));

export interface Series {
  label: string;
  color: string;
  points: { date: string; value: number }[];
}

/** A line chart of dated values; each series its colour, points marked, axes with dates and values. */
export function lineChart(series: readonly Series[], opts: { title: string; from: string; to: string; width?: number; height?: number; percent?: boolean }): string {
  const W = opts.width ?? 520, H = opts.height ?? 200, L = 56, R = 12, T = 26, B = 34;
  const x0 = day(opts.from), x1 = Math.max(day(opts.to), x0 + 1);
  const all = series.flatMap((s) => s.points.map((p) => p.value));
  const ymax = opts.percent ? 1 : Math.max(1, ...all) * 1.1;
  const sx = (d: string): number => L + ((day(d) - x0) / (x1 - x0)) * (W - L - R);
  const sy = (v: number): number => T + (1 - v / ymax) * (H - T - B);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * ymax);
  const months: string[] = [];
  for (let d = new Date(`${opts.from.slice(0, 7)}-01T00:00:00Z`); d.getTime() / 86_400_000 <= x1; d.setUTCMonth(d.getUTCMonth() + 1)) if (d.getTime() / 86_400_000 >= x0) months.push(d.toISOString().slice(0, 10));
  const step = Math.max(1, Math.ceil(months.length / 7));
  let out = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.title)}"><title>${esc(opts.title)}</title>`;
  out += `<text x="${L}" y="14" font-size="12" font-weight="600">${esc(opts.title)}</text>`;
  for (const t of ticks) out += `<line x1="${L}" x2="${W - R}" y1="${sy(t)}" y2="${sy(t)}" stroke="#ddd"/><text x="${L - 4}" y="${sy(t) + 4}" font-size="10" text-anchor="end">${opts.percent ? `${Math.round(t * 100)}%` : esc(fmt(t))}</text>`;
  months.forEach((m, i) => {
    if (i % step) return;
    out += `<line x1="${sx(m)}" x2="${sx(m)}" y1="${H - B}" y2="${H - B + 4}" stroke="#555"/><text x="${sx(m)}" y="${H - B + 16}" font-size="10" text-anchor="middle">${esc(m.slice(0, 7))}</text>`;
  });
  out += `<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#555"/>`;
  if (!all.length) out += `<text x="${(L + W) / 2}" y="${(T + H - B) / 2}" font-size="12" text-anchor="middle" fill="#777">no figures recorded</text>`;
  series.forEach((s, k) => {
    const pts = s.points.filter((p) => day(p.date) >= x0 && day(p.date) <= x1);
    if (pts.length > 1) out += `<polyline fill="none" stroke="${esc(s.color)}" stroke-width="2" points="${pts.map((p) => `${sx(p.date).toFixed(1)},${sy(p.value).toFixed(1)}`).join(' ')}"/>`;
    for (const p of pts) out += `<circle cx="${sx(p.date).toFixed(1)}" cy="${sy(p.value).toFixed(1)}" r="3" fill="${esc(s.color)}"><title>${esc(`${s.label} ${p.date}: ${opts.percent ? `${Math.round(p.value * 100)}%` : fmt(p.value)}`)}</title></circle>`;
    out += `<rect x="${L + 8 + k * 130}" y="${H - 10}" width="10" height="8" fill="${esc(s.color)}"/><text x="${L + 22 + k * 130}" y="${H - 2}" font-size="10">${esc(s.label)}</text>`;
  });
  return `${out}</svg>`;
}

/** Who held the area over time, as a strip of coloured spans with dates. */
export function holdingStrip(spans: readonly { from: string; to: string; bloc: string | null; color: string }[], opts: { from: string; to: string; width?: number }): string {
  const W = opts.width ?? 520, H = 54, L = 8, R = 8;
  const x0 = day(opts.from), x1 = Math.max(day(opts.to), x0 + 1);
  const sx = (d: string): number => L + ((Math.min(Math.max(day(d), x0), x1) - x0) / (x1 - x0)) * (W - L - R);
  let out = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Control history"><title>Control history</title>`;
  for (const s of spans) {
    const a = sx(s.from), b = sx(s.to);
    if (b <= a) continue;
    out += `<rect x="${a.toFixed(1)}" y="8" width="${(b - a).toFixed(1)}" height="22" fill="${esc(s.color)}" stroke="#fff"><title>${esc(`${s.bloc ?? 'no one'} from ${s.from}`)}</title></rect>`;
    if (b - a > 40) out += `<text x="${(a + 4).toFixed(1)}" y="23" font-size="11" fill="#fff">${esc(s.bloc ?? '—')}</text>`;
  }
  out += `<text x="${L}" y="46" font-size="10">${esc(opts.from)}</text><text x="${W - R}" y="46" font-size="10" text-anchor="end">${esc(opts.to)}</text>`;
  return `${out}</svg>`;
}

export interface MapPoint {
  lon: number;
  lat: number;
  color: string;
  label?: string;
  size: number;
  /** Drawn ringed: the area's own places. */
  own?: boolean;
}

/** A label's box on the page (x, y: top left). */
export interface LabelBox { x: number; y: number; w: number; h: number }
export interface LabelInput {
  x: number;
  y: number;
  text: string;
  /** The point's radius: labels keep clear of it. */
  r: number;
  size: number;
  /** Alternatives for one label (a river's name at several points): the first that fits is kept. */
  group?: string;
}
const overlaps = (a: LabelBox, b: LabelBox): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
/** Text width in px at a font size: DejaVu Sans / system sans average ~0.6 em a character. */
export const textWidth = (text: string, size: number): number => text.length * size * 0.6;

/**
 * Labels placed without overlap: in the order given (most important first), each tries eight spots round
 * its point and takes the first that overlaps no label placed before, no point, and stays in the frame;
 * a label with no free spot is left out (null). Greedy, like a map's collision test.
 */
export function placeLabels(labels: readonly LabelInput[], frame: { w: number; h: number }): (LabelBox | null)[] {
  const placed: LabelBox[] = [];
  const dots: LabelBox[] = labels.map((l) => ({ x: l.x - l.r, y: l.y - l.r, w: 2 * l.r, h: 2 * l.r }));
  const done = new Set<string>();
  return labels.map((l, i) => {
    if (l.group !== undefined && done.has(l.group)) return null;
    const w = textWidth(l.text, l.size), h = l.size * 1.15, g = l.r + 2;
    const spots: [number, number][] = [[l.x + g, l.y - h / 2], [l.x - g - w, l.y - h / 2], [l.x - w / 2, l.y - g - h], [l.x - w / 2, l.y + g], [l.x + g * 0.7, l.y - g * 0.7 - h], [l.x + g * 0.7, l.y + g * 0.7], [l.x - g * 0.7 - w, l.y - g * 0.7 - h], [l.x - g * 0.7 - w, l.y + g * 0.7]];
    for (const [x, y] of spots) {
      const box = { x, y, w, h };
      if (x < 2 || y < 2 || x + w > frame.w - 2 || y + h > frame.h - 2) continue;
      if (placed.some((p) => overlaps(p, box))) continue;
      if (dots.some((d, k) => k !== i && overlaps(d, box))) continue;
      placed.push(box);
      if (l.group !== undefined) done.add(l.group);
      return box;
    }
    return null;
  });
}

export interface BriefMapInput {
  title: string;
  /** w, s, e, n in degrees. */
  box: [number, number, number, number];
  land: MultiPolygonCoords;
  /** The countries round it (land drawn under the scenario's own), from the basemap. */
  countries?: readonly MultiPolygonCoords[];
  /** Control areas, one per bloc (colour already chosen). */
  areas: { color: string; coords: MultiPolygonCoords }[];
  contested: MultiPolygonCoords[];
  fronts: number[][][];
  /** Reference layers (rivers, lakes, admin borders) from src/geo/reference-layers.ts. */
  reference: readonly GeoJSON.Feature[];
  /** The stabilization area's own outline, if it is a polygon. */
  area?: MultiPolygonCoords | null;
  /** Places, most important first (their labels are placed in this order). */
  points: readonly MapPoint[];
  width?: number;
  height?: number;
}

export const WATER = '#4a90c2';
export const FRONT = '#b30000';

/**
 * The briefing's map: control areas in the bloc colours, contested land hatched, front lines, rivers and
 * lakes, governorate borders, the area's places ringed, place labels placed without overlap, a scale
 * bar and a north arrow. Drawn as SVG on the server (the PDF prints it as vectors).
 */
export function briefMap(m: BriefMapInput): string {
  const W = m.width ?? 560, H = m.height ?? 400;
  const [w, s, e, n] = m.box;
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = Math.min(W / ((e - w) * k), H / (n - s));
  const ox = (W - (e - w) * k * scale) / 2, oy = (H - (n - s) * scale) / 2;
  const px = (lon: number): number => ox + (lon - w) * k * scale;
  const py = (lat: number): number => oy + (n - lat) * scale;
  const pt = (p: readonly number[]): string => `${px(p[0]!).toFixed(1)},${py(p[1]!).toFixed(1)}`;
  const rings = (mp: MultiPolygonCoords): string => mp.map((poly) => poly.map((ring) => `M${ring.map(pt).join('L')}Z`).join('')).join('');
  const lines = (ls: readonly (readonly number[])[][]): string => ls.map((l) => `M${l.map(pt).join('L')}`).join('');
  const ref = (kind: string): GeoJSON.Feature[] => m.reference.filter((f) => f.properties?.kind === kind);
  const geomLines = (f: GeoJSON.Feature): number[][][] => (f.geometry.type === 'MultiLineString' ? f.geometry.coordinates : f.geometry.type === 'LineString' ? [f.geometry.coordinates] : []);
  const geomPolys = (f: GeoJSON.Feature): MultiPolygonCoords => (f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : []) as MultiPolygonCoords;
  let out = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(m.title)}" font-family="DejaVu Sans, system-ui, sans-serif"><title>${esc(m.title)}</title>`;
  out += `<defs><clipPath id="frame"><rect width="${W}" height="${H}"/></clipPath><pattern id="hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2" height="7" fill="#282828" fill-opacity="0.55"/></pattern></defs>`;
  out += `<g clip-path="url(#frame)"><rect width="${W}" height="${H}" fill="#dfe8ee"/>`;
  if (m.countries?.length) out += `<g class="countries">${m.countries.map((c) => `<path d="${rings(c)}" fill="#eceae2" stroke="#9a9a9a" stroke-width="0.8"/>`).join('')}</g>`;
  out += `<path d="${rings(m.land)}" fill="#f3f1ea" stroke="#8a8a8a" stroke-width="1"/>`;
  out += `<g class="areas" fill-opacity="0.55">${m.areas.map((a) => `<path d="${rings(a.coords)}" fill="${esc(a.color)}" stroke="#fff" stroke-width="0.6"/>`).join('')}</g>`;
  if (m.contested.length) out += `<g class="contested">${m.contested.map((c) => `<path d="${rings(c)}" fill="url(#hatch)"/>`).join('')}</g>`;
  out += `<g class="admin" fill="none" stroke="#5f5f5f" stroke-width="0.8" stroke-dasharray="5 2 1 2">${ref('adm1-border').map((f) => `<path d="${lines(geomLines(f))}"/>`).join('')}</g>`;
  out += `<g class="water">${ref('lake').map((f) => `<path d="${rings(geomPolys(f))}" fill="${WATER}"/>`).join('')}${ref('river').map((f) => `<path d="${lines(geomLines(f))}" fill="none" stroke="${WATER}" stroke-width="1.8" stroke-linejoin="round" stroke-linecap="round"/>`).join('')}</g>`;
  if (m.fronts.length) out += `<path class="fronts" d="${lines(m.fronts)}" fill="none" stroke="${FRONT}" stroke-width="2.2" stroke-linejoin="round"/>`;
  if (m.area) out += `<path d="${rings(m.area)}" fill="none" stroke="#111" stroke-width="2" stroke-dasharray="5 3"/>`;
  const shown = m.points.map((p) => ({ ...p, x: px(p.lon), y: py(p.lat) })).filter((p) => p.x > -5 && p.y > -5 && p.x < W + 5 && p.y < H + 5);
  for (const p of [...shown].reverse()) out += `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${p.size}" fill="${esc(p.color)}" stroke="${p.own ? '#111' : '#fff'}" stroke-width="${p.own ? 2 : 0.8}"/>`;
  // Labels: the places first (in their order), then one label per river where it has room.
  const labelled = shown.filter((p) => p.label);
  const rivers = [...new Set(ref('river').map((f) => String(f.properties?.name ?? '')))].filter(Boolean).flatMap((name) => {
    const pts = ref('river').filter((f) => f.properties?.name === name).flatMap((f) => geomLines(f).flat()).map((q) => ({ x: px(q[0]!), y: py(q[1]!) })).filter((q) => q.x > 20 && q.y > 20 && q.x < W - 20 && q.y < H - 20);
    // Candidate spots along the river in the frame, from its middle outwards.
    return [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9].flatMap((f) => (pts.length ? [{ name, ...pts[Math.floor(f * (pts.length - 1))]! }] : []));
  });
  const inputs: LabelInput[] = [...labelled.map((p) => ({ x: p.x, y: p.y, text: p.label!, r: p.size + (p.own ? 1 : 0), size: p.own ? 12 : 10.5 })), ...rivers.map((r) => ({ x: r.x, y: r.y, text: r.name, r: 1, size: 10.5, group: r.name }))];
  const boxes = placeLabels(inputs, { w: W, h: H });
  boxes.forEach((b, i) => {
    if (!b) return;
    const l = inputs[i]!;
    const river = i >= labelled.length;
    out += `<text x="${b.x.toFixed(1)}" y="${(b.y + l.size * 0.9).toFixed(1)}" font-size="${l.size}"${river ? ` fill="#1f5f8b" font-style="italic"` : labelled[i]!.own ? ' font-weight="bold"' : ''} paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round">${esc(l.text)}</text>`;
  });
  out += '</g>';
  // Scale bar (a round number of km near a fifth of the width) and a north arrow.
  const kmPerPx = 111.32 / scale;
  const target = (W / 5) * kmPerPx;
  const km = [5, 10, 20, 25, 50, 100, 200].reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
  const bar = km / kmPerPx;
  out += `<g class="scale"><rect x="8" y="${H - 26}" width="${(bar + 50).toFixed(1)}" height="20" fill="#fff" fill-opacity="0.8"/><rect x="14" y="${H - 14}" width="${(bar / 2).toFixed(1)}" height="4" fill="#111"/><rect x="14" y="${H - 14}" width="${bar.toFixed(1)}" height="4" fill="none" stroke="#111"/><text x="${(16 + bar).toFixed(1)}" y="${H - 10}" font-size="10">${km} km</text></g>`;
  out += `<g class="north" transform="translate(${W - 20},12)"><path d="M0,0 L7,20 L0,15 L-7,20 Z" fill="#111"/><text x="0" y="32" font-size="10" text-anchor="middle" font-weight="bold">N</text></g>`;
  out += `<rect width="${W}" height="${H}" fill="none" stroke="#999"/>`;
  return `${out}</svg>`;
}
