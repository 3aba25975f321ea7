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

/** A map of the land round a box: the country's outline, an area polygon, places coloured by holder. */
export function areaMap(land: MultiPolygonCoords, box: [number, number, number, number], points: readonly MapPoint[], opts: { title: string; area?: MultiPolygonCoords | null; width?: number; height?: number }): string {
  const W = opts.width ?? 520, H = opts.height ?? 360;
  const [w, s, e, n] = box;
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = Math.min(W / ((e - w) * k), H / (n - s));
  const px = (lon: number): number => (W - (e - w) * k * scale) / 2 + (lon - w) * k * scale;
  const py = (lat: number): number => (H - (n - s) * scale) / 2 + (n - lat) * scale;
  const path = (mp: MultiPolygonCoords): string => mp.map((poly) => poly.map((ring) => `M${ring.map((p) => `${px(p[0]!).toFixed(1)},${py(p[1]!).toFixed(1)}`).join('L')}Z`).join('')).join('');
  let out = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.title)}"><title>${esc(opts.title)}</title><rect width="${W}" height="${H}" fill="#e8eef4"/>`;
  out += `<path d="${path(land)}" fill="#f7f4ec" stroke="#8a8a8a" stroke-width="1"/>`;
  if (opts.area) out += `<path d="${path(opts.area)}" fill="#1f5fa822" stroke="#1f5fa8" stroke-width="2" stroke-dasharray="4 3"/>`;
  for (const p of [...points].sort((a, b) => Number(a.own) - Number(b.own))) {
    const x = px(p.lon), y = py(p.lat);
    if (x < -10 || y < -10 || x > W + 10 || y > H + 10) continue;
    out += `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${p.size}" fill="${esc(p.color)}" stroke="${p.own ? '#111' : '#fff'}" stroke-width="${p.own ? 2 : 0.8}"/>`;
    if (p.label) out += `<text x="${(x + p.size + 3).toFixed(1)}" y="${(y + 4).toFixed(1)}" font-size="11" paint-order="stroke" stroke="#fff" stroke-width="3">${esc(p.label)}</text>`;
  }
  return `${out}</svg>`;
}
