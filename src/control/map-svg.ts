/**
 * Control on a date as a map for publication (SVG, and PDF printed from it): a title and date, the map
 * (areas in the bloc colours, contested land hatched, front lines, zones, rivers and lakes, governorate
 * borders, places labelled without overlap, scale bar, north arrow), a legend and the sources. Drawn on
 * the server from the same pieces as the briefings' maps (src/stabilize/svg.ts).
 */
import { blocColors, NO_HOLDER_COLOR } from '../core/bloc-colors.js';
import type { IsoDate } from '../core/dates.js';
import { referenceFeatures } from '../geo/reference-layers.js';
import { basemapFeatures } from '../server/basemap.js';
import type { MultiPolygonCoords } from '../geo/measure.js';
import { briefMap, esc, FRONT, WATER } from '../stabilize/svg.js';
import { areaFeatures, contestedFeatures } from './geojson.js';
import type { ControlModel } from './model.js';

export interface PublicationMapOptions {
  date: IsoDate;
  /** w, s, e, n (default: every place with a margin). */
  bbox?: [number, number, number, number];
  title?: string;
  width?: number;
  height?: number;
}

function within(c: unknown, box: readonly number[]): boolean {
  if (typeof (c as number[])[0] === 'number') {
    const [x, y] = c as number[];
    return x! >= box[0]! && x! <= box[2]! && y! >= box[1]! && y! <= box[3]!;
  }
  return (c as unknown[]).some((d) => within(d, box));
}

export function publicationMapSvg(model: ControlModel, o: PublicationMapOptions): string {
  const lons = model.places.map((p) => p.lon), lats = model.places.map((p) => p.lat);
  const box = o.bbox ?? [Math.min(...lons) - 0.3, Math.min(...lats) - 0.3, Math.max(...lons) + 0.3, Math.max(...lats) + 0.3];
  if (!(box[0] < box[2] && box[1] < box[3])) throw new RangeError(`bbox ${box.join(',')}: west < east and south < north`);
  const state = model.stateAt(o.date);
  const palette = blocColors(model.blocs);
  const areas = areaFeatures(model, state).filter((f) => f.properties.bloc !== 'unassigned');
  const contested = contestedFeatures(model, state).map((f) => f.geometry.coordinates as MultiPolygonCoords);
  const fronts = model.frontLines(state).flatMap((f) => f.lines as number[][][]);
  const zones = model.zones.filter((z) => (!z.from || z.from <= o.date) && (!z.to || z.to >= o.date));
  const points = model.places
    .flatMap((p, i) => {
      if (p.lon < box[0] || p.lon > box[2] || p.lat < box[1] || p.lat > box[3]) return [];
      const b = state.placeBloc[i]!;
      return [{ lon: p.lon, lat: p.lat, color: b >= 0 ? (palette[model.blocIds[b]!] ?? NO_HOLDER_COLOR) : NO_HOLDER_COLOR, size: 1.8 + Math.min(3.5, Math.sqrt((p.population ?? 0) / 50000)), label: p.name, population: p.population ?? 0 }];
    })
    .sort((a, b) => b.population - a.population);
  const W = o.width ?? 900, H = o.height ?? 640;
  const map = briefMap({ title: o.title ?? `Control on ${o.date}`, box, land: model.grid.land, areas: areas.map((f) => ({ color: palette[String(f.properties.bloc)] ?? NO_HOLDER_COLOR, coords: f.geometry.coordinates as MultiPolygonCoords })), contested, fronts, reference: referenceFeatures([box[0] - 0.5, box[1] - 0.5, box[2] + 0.5, box[3] + 0.5]), countries: countriesAround(box), points, width: W, height: H })
    // The zones on top, dashed (briefMap draws no zones).
    .replace(/<\/g><g class="scale">/, () => `${zones.map((z) => `<path d="${zonePath(z.geometry, box, W, H)}" fill="none" stroke="#1f5fa8" stroke-width="1.8" stroke-dasharray="5 4"/>`).join('')}</g><g class="scale">`);
  const shown = model.blocs.filter((b) => areas.some((f) => f.properties.bloc === b.id && within(f.geometry.coordinates, box)));
  const legend: [string, string][] = [
    ...shown.map((b): [string, string] => [`<rect width="16" height="11" fill="${esc(palette[b.id])}" fill-opacity="0.55" stroke="#0004"/>`, b.name]),
    ...(contested.length ? [[`<rect width="16" height="11" fill="#fff" stroke="#0004"/><path d="M0,11L11,0M5,11L16,0" stroke="#282828" stroke-opacity="0.6" stroke-width="1.5"/>`, 'Contested or besieged'] as [string, string]] : []),
    [`<line x1="0" y1="6" x2="16" y2="6" stroke="${FRONT}" stroke-width="2.2"/>`, 'Front line'],
    ...(zones.length ? [[`<line x1="0" y1="6" x2="16" y2="6" stroke="#1f5fa8" stroke-width="1.8" stroke-dasharray="5 4"/>`, 'Zone in force'] as [string, string]] : []),
    [`<line x1="0" y1="6" x2="16" y2="6" stroke="${WATER}" stroke-width="2"/>`, 'River, lake'],
    [`<line x1="0" y1="6" x2="16" y2="6" stroke="#5f5f5f" stroke-dasharray="5 2 1 2"/>`, 'Governorate border'],
    [`<circle cx="8" cy="6" r="4" fill="#888" stroke="#fff"/>`, 'Place, by holder (size: population)'],
  ];
  const LW = 290, TH = 56, FH = 46;
  const title = o.title ?? `Control on ${o.date}`;
  let out = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W + LW} ${TH + H + FH}" width="${W + LW}" height="${TH + H + FH}" font-family="DejaVu Sans, system-ui, sans-serif"><title>${esc(title)}</title><rect width="100%" height="100%" fill="#fff"/>`;
  out += `<text x="12" y="26" font-size="20" font-weight="bold">${esc(title)}</text><text x="12" y="46" font-size="12" fill="#333">Areas of control, contested land, front lines and zones on ${esc(o.date)}, as the store's observations give them</text>`;
  out += `<svg x="0" y="${TH}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${map.replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '')}</svg>`;
  out += `<g transform="translate(${W + 14},${TH + 8})"><text font-size="13" font-weight="bold" y="10">Legend</text>${legend.map(([sw, label], i) => `<g transform="translate(0,${24 + i * 20})">${sw}<text x="22" y="10" font-size="11">${esc(label)}</text></g>`).join('')}</g>`;
  out += `<text x="12" y="${TH + H + 18}" font-size="10" fill="#333">Sources: control observations in the Frontline store (each cites its source: frontline history control ID); places: GeoNames (CC BY 4.0); land, rivers, lakes: Natural Earth (public domain);</text>`;
  out += `<text x="12" y="${TH + H + 32}" font-size="10" fill="#333">governorate borders: OCHA Syria COD-AB (CC BY-IGO); areas of control computed by Frontline (docs/control.md).</text>`;
  return `${out}</svg>`;
}

/** A zone's outline in the map's pixels (the same projection as briefMap's). */
function zonePath(g: { type: string; coordinates: unknown }, box: readonly number[], W: number, H: number): string {
  const [w, s, e, n] = box as [number, number, number, number];
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = Math.min(W / ((e - w) * k), H / (n - s));
  const ox = (W - (e - w) * k * scale) / 2, oy = (H - (n - s) * scale) / 2;
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as number[][][][];
  return polys.map((poly) => poly.map((ring) => `M${ring.map((p) => `${(ox + (p[0]! - w) * k * scale).toFixed(1)},${(oy + (n - p[1]!) * scale).toFixed(1)}`).join('L')}Z`).join('')).join('');
}

/** The basemap's countries near the box (Natural Earth 1:50m via world-atlas), as polygons. */
export function countriesAround(box: readonly number[]): MultiPolygonCoords[] {
  return basemapFeatures([box[0]! - 1, box[1]! - 1, box[2]! + 1, box[3]! + 1]).features.flatMap((f) => (f.properties?.kind === 'land' && f.geometry.type === 'MultiPolygon' ? [f.geometry.coordinates as MultiPolygonCoords] : []));
}
