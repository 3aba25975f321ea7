/**
 * The Frontline web app: a map of control, front lines, zones and events that follows a timeline. It
 * talks only to this server's API (docs/api.md) and draws its basemap from the store's own data: no
 * request leaves the machine. Labels use the system's fonts (no glyph server).
 */
import maplibregl, { type GeoJSONSource, type GeoJSONSourceDiff, type Map as MlMap } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import { dateRule, eventsChart, fatalitiesChart, populationChart, type SeriesRow, type Week } from './charts.js';
import { canEdit, loadMe, mountSignIn, onMe, post } from './session.js';
import { eventsCsv } from './events-csv.js';
import { EVENT_TYPE_COLORS, UNASSIGNED_COLOR } from '../../src/core/bloc-colors.js';
import { httpUrl } from '../../src/core/links.js';
import { drawLegend, legendSections, mountLegend, raceSections, showRaceLegend } from './legend.js';

interface Meta {
  scenario: { id: string; name: string } | null;
  scenarios?: { id: string; name: string }[];
  firstDate: string | null;
  lastDate: string | null;
  /** `racer`: a bloc with fighting members (not civilians or "other" actors only): it can race and hold ground. */
  blocs: { id: string; name: string; color: string | null; racer?: boolean }[];
  zones: { id: string; name: string; kind: string }[];
  objectives?: { id: string; name: string }[];
  taxonomy?: Record<string, string[]>;
  actors?: { id: string; name: string }[];
}
interface ControlJson {
  date: string;
  blocs: { bloc: string; name: string; places: number; population: number; areaKm2: number }[];
  unassignedKm2: number;
  places: { place: string; placeId: string; actor: string; bloc: string; status: string }[];
}

const DAY = 86_400_000;
const dayOf = (d: string): number => Math.round(Date.parse(`${d}T00:00:00Z`) / DAY);
const dateOf = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
const EVENT_COLORS = EVENT_TYPE_COLORS;

async function api<T>(path: string): Promise<T> {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: ${((await r.json().catch(() => ({}))) as { error?: string }).error ?? r.status}`);
  return (await r.json()) as T;
}

/** What tests (and the curious) can read: the state the map shows. */
const state = { raceMap: [] as string[], ready: false, date: '', control: null as ControlJson | null, events: 0, loads: 0, openEvent: null as string | null, race: null as { objective: string; winner: string | null } | null, place: null as string | null, hiddenBlocs: [] as string[] };
(window as unknown as { __frontline: typeof state & { setDate: (d: string) => Promise<void> } }).__frontline = Object.assign(state, { setDate: (d: string) => setDate(d) });

const meta = await api<Meta>('/api/meta');
mountSignIn(document.querySelector('header')!);
await loadMe();
$('scenario').textContent = meta.scenario?.name ?? '';
const first = dayOf(meta.firstDate ?? '2017-01-01');
const last = dayOf(meta.lastDate ?? meta.firstDate ?? '2017-12-31');
const slider = $<HTMLInputElement>('slider');
slider.min = String(first);
slider.max = String(last);
const fromUrl = new URLSearchParams(location.search).get('date');
let current = fromUrl && /^\d{4}-\d{2}-\d{2}$/.test(fromUrl) ? Math.min(last, Math.max(first, dayOf(fromUrl))) : last;

// The server resolves every bloc's colour (src/core/bloc-colors.ts): the map, charts and briefings agree.
const blocColor = ['match', ['get', 'bloc'], ...meta.blocs.flatMap((b) => [b.id, b.color ?? '#888888']), UNASSIGNED_COLOR] as unknown as maplibregl.ExpressionSpecification;
const WATER = '#4a90c2';

const view = new URLSearchParams(location.search);
const num = (k: string): number | null => (view.get(k) !== null && Number.isFinite(Number(view.get(k))) ? Number(view.get(k)) : null);
const map: MlMap = new maplibregl.Map({
  container: 'map',
  // A little west of Syria's middle: the legend sits over the sea, not over Idlib, Homs or Damascus.
  center: [num('lon') ?? 37.6, num('lat') ?? 35],
  zoom: num('z') ?? 5.6,
  // No fade-in of labels: each faded frame is a full redraw, which software rendering pays for dearly
  // (measured: the first render and each step waited on ~300 ms of fading frames).
  fadeDuration: 0,
  // An opaque canvas: the compositor need not blend the map with the page under it.
  canvasContextAttributes: { alpha: false },
  attributionControl: { compact: true, customAttribution: 'Frontline · land, rivers, lakes: Natural Earth · governorates, districts: OCHA (CC BY-IGO) · places: GeoNames' },
  style: {
    version: 8,
    // No "glyphs": labels are drawn with the system's fonts (MapLibre ≥ 5.11), nothing is downloaded.
    sources: {
      control: { type: 'geojson', data: EMPTY },
      basemap: { type: 'geojson', data: '/api/basemap.geojson' },
      roads: { type: 'geojson', data: '/api/roads.geojson' },
      // Clustered when zoomed out: the point layer shows single events, the cluster layers the rest.
      events: { type: 'geojson', data: EMPTY, cluster: true, clusterMaxZoom: 7, clusterRadius: 28 },
      race: { type: 'geojson', data: EMPTY },
      'race-map': { type: 'geojson', data: EMPTY },
      draft: { type: 'geojson', data: EMPTY },
      diff: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#dfe8ee' } },
      { id: 'land', type: 'fill', source: 'basemap', filter: ['==', ['get', 'kind'], 'land'], paint: { 'fill-antialias': false, 'fill-color': '#f3f1ea' } },
      { id: 'borders', type: 'line', source: 'basemap', filter: ['==', ['get', 'kind'], 'border'], paint: { 'line-color': '#8a8a8a', 'line-width': 1 } },
      // Reference layers the demo ships (data/demo/water.geojson, admin.geojson): under the control areas,
      // water drawn again over them (below) so the Euphrates and Lake Assad read through every bloc's colour.
      { id: 'adm2-borders', type: 'line', source: 'basemap', filter: ['==', ['get', 'kind'], 'adm2-border'], minzoom: 6.5, paint: { 'line-color': '#9a9a9a', 'line-width': 0.5, 'line-dasharray': [3, 2] } },
      // No antialiasing pass on the fills: the white edge lines are drawn over them anyway.
      { id: 'areas', type: 'fill', source: 'control', filter: ['==', ['get', 'kind'], 'area'], paint: { 'fill-antialias': false, 'fill-color': blocColor, 'fill-opacity': ['case', ['==', ['get', 'bloc'], 'unassigned'], 0.9, 0.5] } },
      // Contested and besieged land, hatched over its holder's colour (the pattern is drawn at start-up).
      { id: 'contested', type: 'fill', source: 'control', filter: ['==', ['get', 'kind'], 'contested'], paint: { 'fill-antialias': false, 'fill-pattern': 'hatch' } },
      { id: 'diff', type: 'fill', source: 'diff', paint: { 'fill-color': ['match', ['get', 'to'], ...meta.blocs.flatMap((b) => [b.id, b.color ?? '#888888']), '#d9d9d9'] as unknown as maplibregl.ExpressionSpecification, 'fill-opacity': 0.85, 'fill-outline-color': '#000000' } },
      { id: 'area-edges', type: 'line', source: 'control', filter: ['==', ['get', 'kind'], 'area'], paint: { 'line-color': '#ffffff', 'line-width': 0.6 } },
      { id: 'lakes', type: 'fill', source: 'basemap', filter: ['==', ['get', 'kind'], 'lake'], paint: { 'fill-color': WATER, 'fill-outline-color': WATER } },
      { id: 'rivers', type: 'line', source: 'basemap', filter: ['==', ['get', 'kind'], 'river'], layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': WATER, 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 1.6, 9, 3.5] } },
      { id: 'adm1-borders', type: 'line', source: 'basemap', filter: ['==', ['get', 'kind'], 'adm1-border'], paint: { 'line-color': '#5f5f5f', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.7, 9, 1.4], 'line-dasharray': [4, 2, 1, 2] } },
      { id: 'roads', type: 'line', source: 'roads', paint: { 'line-color': '#6b6b6b', 'line-width': ['match', ['get', 'class'], [0, 1], 2, [2], 1.5, 1] } },
      { id: 'zones', type: 'line', source: 'control', filter: ['==', ['get', 'kind'], 'zone'], paint: { 'line-color': '#1f5fa8', 'line-width': 2, 'line-dasharray': [2, 2] } },
      { id: 'front-lines', type: 'line', source: 'control', filter: ['==', ['get', 'kind'], 'front-line'], paint: { 'line-color': '#b30000', 'line-width': 2.5 } },
      {
        id: 'places',
        type: 'circle',
        source: 'control',
        filter: ['==', ['get', 'kind'], 'place'],
        paint: { 'circle-radius': ['interpolate', ['linear'], ['coalesce', ['get', 'population'], 0], 0, 2, 1_000_000, 7], 'circle-color': blocColor, 'circle-stroke-color': ['case', ['==', ['get', 'status'], 'held'], '#ffffff', '#000000'], 'circle-stroke-width': ['case', ['==', ['get', 'status'], 'held'], 0.8, 2] },
      },
      // District names when zoomed in, then governorate names, both under the places' labels (MapLibre
      // places the upper layers' labels first).
      { id: 'adm2-labels', type: 'symbol', source: 'basemap', filter: ['==', ['get', 'kind'], 'adm2-label'], minzoom: 7.5, layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 10, 'text-letter-spacing': 0.05 }, paint: { 'text-color': '#8a8a8a', 'text-halo-color': '#ffffff', 'text-halo-width': 1 } },
      { id: 'adm1-labels', type: 'symbol', source: 'basemap', filter: ['==', ['get', 'kind'], 'adm1-label'], maxzoom: 8, layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 11, 'text-transform': 'uppercase', 'text-letter-spacing': 0.08, 'symbol-sort-key': 1e9 }, paint: { 'text-color': '#6a6a6a', 'text-halo-color': '#ffffff', 'text-halo-width': 1 } },
      {
        // Every place may be labelled; the most populous are placed first (symbol-sort-key) and MapLibre's
        // collision test drops those that would overlap, so zooming in shows more.
        id: 'place-labels',
        type: 'symbol',
        source: 'control',
        filter: ['==', ['get', 'kind'], 'place'],
        layout: {
          'text-field': ['get', 'place'],
          'text-font': ['sans-serif'],
          'text-size': ['interpolate', ['linear'], ['coalesce', ['get', 'population'], 0], 0, 10.5, 100_000, 12, 1_000_000, 14],
          'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]],
          'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
          'text-radial-offset': 0.6,
          'text-padding': 3,
        },
        paint: { 'text-color': '#111111', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
      },
      { id: 'river-labels', type: 'symbol', source: 'basemap', filter: ['==', ['get', 'kind'], 'river'], layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 11, 'symbol-spacing': 280 }, paint: { 'text-color': '#1f5f8b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 } },
      { id: 'lake-labels', type: 'symbol', source: 'basemap', filter: ['==', ['get', 'kind'], 'lake'], minzoom: 6.5, layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 11 }, paint: { 'text-color': '#1f5f8b', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 } },
      // Zone names last among the labels: MapLibre places the upper layers' labels first, so they win.
      { id: 'zone-labels', type: 'symbol', source: 'control', filter: ['==', ['get', 'kind'], 'zone'], layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 11, 'text-max-width': 9 }, paint: { 'text-color': '#1f5fa8', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 } },
      { id: 'country-labels', type: 'symbol', source: 'basemap', filter: ['==', ['get', 'kind'], 'label'], layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 13, 'text-transform': 'uppercase', 'text-letter-spacing': 0.1 }, paint: { 'text-color': '#777777', 'text-halo-color': '#f3f1ea', 'text-halo-width': 1 } },
      { id: 'draft-zone', type: 'line', source: 'draft', paint: { 'line-color': '#1f5fa8', 'line-width': 2 } },
      { id: 'draft-points', type: 'circle', source: 'draft', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#1f5fa8' } },
      { id: 'race-first', type: 'fill', source: 'race-map', filter: ['==', ['get', 'kind'], 'first-arrival'], paint: { 'fill-antialias': false, 'fill-color': blocColor, 'fill-opacity': 0.35 } },
      { id: 'race-front', type: 'line', source: 'race-map', filter: ['==', ['get', 'kind'], 'arrival-front'], paint: { 'line-color': '#222222', 'line-width': 2.5, 'line-dasharray': [1, 1] } },
      { id: 'race-reach', type: 'line', source: 'race-map', filter: ['==', ['get', 'kind'], 'isochrone'], paint: { 'line-color': blocColor, 'line-width': ['match', ['get', 'days'], 1, 2.5, 3, 1.8, 1.2], 'line-dasharray': [3, 2] } },
      { id: 'race-routes', type: 'line', source: 'race', paint: { 'line-color': blocColor, 'line-width': 4, 'line-opacity': 0.85 } },
      { id: 'event-clusters', type: 'circle', source: 'events', filter: ['has', 'point_count'], paint: { 'circle-color': '#555555', 'circle-opacity': 0.75, 'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 9, 50, 18], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } },
      { id: 'event-cluster-count', type: 'symbol', source: 'events', filter: ['has', 'point_count'], layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': ['sans-serif'], 'text-size': 11 }, paint: { 'text-color': '#ffffff' } },
      {
        id: 'events',
        type: 'circle',
        source: 'events',
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['coalesce', ['get', 'best'], 0], 0, 4, 100, 12],
          'circle-color': ['match', ['get', 'type'], ...Object.entries(EVENT_COLORS).flat(), '#444444'] as unknown as maplibregl.ExpressionSpecification,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
          'circle-opacity': 0.9,
        },
      },
      // Drafts (an analyst's "Drafts too"): ringed, so that they are never taken for reviewed events.
      { id: 'event-drafts', type: 'circle', source: 'events', filter: ['==', ['get', 'draft'], true], paint: { 'circle-radius': 9, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#c51b7d', 'circle-stroke-width': 2.5 } },
    ],
  },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
const legendInput = { blocs: meta.blocs.filter((b) => b.racer !== false), eventColors: EVENT_COLORS, unassigned: UNASSIGNED_COLOR, water: WATER };
const legend = mountLegend($('map'), legendSections(legendInput));
// The hatch for contested land, made here (nothing is downloaded): dark diagonal lines, 8 px apart.
map.on('styleimagemissing', (e) => {
  if (e.id !== 'hatch' || map.hasImage('hatch')) return;
  const size = 8;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const on = (x + y) % size < 2;
      data.set(on ? [40, 40, 40, 170] : [0, 0, 0, 0], (y * size + x) * 4);
    }
  map.addImage('hatch', { width: size, height: size, data });
});
(window as unknown as { __map: MlMap }).__map = map; // for benchmarks and the curious
// For tests: the blocs (or actors) of what a layer draws on screen now.
Object.assign(state, { rendered: (layer: string, prop = 'bloc') => map.queryRenderedFeatures({ layers: [layer] }).map((f) => (f.properties as Record<string, unknown>)[prop]) });
// The map starts (style, workers, roads, basemap) while the rest of the page is set up and the first
// date's data is fetched. The data goes in as soon as the style is there (its sources exist), without
// waiting for the basemap and roads to be drawn first ('load').
const mapLoaded = new Promise<void>((resolve) => (map.isStyleLoaded() ? resolve() : map.once('style.load', () => resolve())));


// The charts' colours are the map's (src/core/bloc-colors.ts), unassigned land included.
const colors: Record<string, string> = { ...Object.fromEntries(meta.blocs.map((b) => [b.id, b.color ?? '#888888'])), unassigned: UNASSIGNED_COLOR };
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] => Object.assign(document.createElement(tag), text !== undefined ? { textContent: text } : {});
const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

// ---- filters (their state is in the URL) ----------------------------------------------------------------
const FILTERS = { type: 'f-type', subType: 'f-sub', bloc: 'f-bloc', heldBy: 'f-held', zone: 'f-zone', text: 'f-text', days: 'f-days' } as const;
for (const t of Object.keys(meta.taxonomy ?? EVENT_COLORS)) $('f-type').append(Object.assign(el('option', t), { value: t }));
const fillSubTypes = (): void => {
  const type = $<HTMLSelectElement>('f-type').value;
  const subs = type ? (meta.taxonomy?.[type] ?? []) : Object.values(meta.taxonomy ?? {}).flat();
  const keep = $<HTMLSelectElement>('f-sub').value;
  $('f-sub').replaceChildren(Object.assign(el('option', 'any'), { value: '' }), ...subs.map((x) => Object.assign(el('option', x), { value: x })));
  $<HTMLSelectElement>('f-sub').value = subs.includes(keep) ? keep : '';
};
fillSubTypes();
$('f-type').addEventListener('change', fillSubTypes);
for (const b of meta.blocs) {
  $('f-bloc').append(Object.assign(el('option', b.name), { value: b.id }));
  $('f-held').append(Object.assign(el('option', b.name), { value: b.id }));
}
for (const z of meta.zones) $('f-zone').append(Object.assign(el('option', z.name), { value: z.id }));
for (const o of meta.objectives ?? []) $('objectives').append(Object.assign(el('option'), { value: o.name }));
/** A filter from the address as people write it: a list's entry by its value or label, in any case. */
function setFilter(id: string, v: string): void {
  const input = $<HTMLInputElement | HTMLSelectElement>(id);
  if (!(input instanceof HTMLSelectElement)) return void (input.value = v);
  const want = v.trim().toLowerCase();
  const hit = [...input.options].find((o) => o.value.toLowerCase() === want || (o.textContent ?? '').trim().toLowerCase() === want);
  input.value = hit ? hit.value : '';
}
for (const [k, id] of Object.entries(FILTERS)) if (view.get(k) && k !== 'subType') setFilter(id, view.get(k)!);
fillSubTypes();
if (view.get('subType')) setFilter('f-sub', view.get('subType')!);
if (view.get('compare')) $<HTMLInputElement>('compare').value = view.get('compare')!;
if (view.get('objective')) $<HTMLInputElement>('race-objective').value = view.get('objective')!;

function filterParams(): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, id] of Object.entries(FILTERS)) {
    const v = $<HTMLInputElement>(id).value.trim();
    if (v && k !== 'days') q.set(k, v);
  }
  // Drafts only for those who may review them, and only when asked (the server refuses others: 403).
  if (canEdit() && $<HTMLInputElement>('f-drafts').checked) q.set('drafts', '1');
  return q;
}
function days(): number {
  const n = Number($<HTMLInputElement>('f-days').value);
  return Number.isFinite(n) && n >= 1 ? Math.min(3650, Math.round(n)) : 30;
}

/** The view in the address: date, filters, map position, the open panels' inputs. */
function saveView(): void {
  const url = new URL(location.href);
  for (const k of [...Object.keys(FILTERS), 'compare', 'objective', 'place', 'lon', 'lat', 'z']) url.searchParams.delete(k);
  url.searchParams.set('date', dateOf(current));
  for (const [k, v] of filterParams()) url.searchParams.set(k, v);
  if (days() !== 30) url.searchParams.set('days', String(days()));
  const cmp = $<HTMLInputElement>('compare').value;
  if (cmp) url.searchParams.set('compare', cmp);
  const obj = $<HTMLInputElement>('race-objective').value.trim();
  if (obj && state.race) url.searchParams.set('objective', obj);
  if (state.place) url.searchParams.set('place', state.place);
  const c = map.getCenter();
  url.searchParams.set('lon', c.lng.toFixed(3));
  url.searchParams.set('lat', c.lat.toFixed(3));
  url.searchParams.set('z', map.getZoom().toFixed(2));
  history.replaceState(null, '', url);
}
map.on('moveend', saveView);

// ---- events: map, table, details ---------------------------------------------------------------------------
let loadedEvents: GeoJSON.Feature[] = [];
function renderEventTable(): void {
  const tbody = document.querySelector('#event-table tbody')!;
  const rows = loadedEvents.slice(-200).reverse();
  tbody.replaceChildren(
    ...rows.map((f) => {
      const p = f.properties as Record<string, unknown>;
      const tr = el('tr');
      tr.tabIndex = 0;
      tr.dataset.id = String(f.id ?? p.id);
      if (p.draft === true) tr.classList.add('draft');
      tr.append(el('td', String(p.date)), el('td', `${p.draft === true ? 'DRAFT · ' : ''}${String(p.subType ?? p.type)}`), el('td', String(p.location ?? '')), el('td', fmt(p.best as number)));
      const open = (): void => void showEvent(String(f.id ?? p.id));
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && open());
      return tr;
    }),
  );
}

async function showEvent(id: string): Promise<void> {
  const f = loadedEvents.find((x) => String(x.id) === id);
  const box = $('event-detail');
  if (f) {
    const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates as [number, number];
    map.easeTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), 8) });
  }
  // The map holds what it draws; the rest (notes, sources, provenance, versions) comes on request.
  const h = await api<{ versions: { version: number; op: string; at: string; by: string; reason: string | null }[]; current: { date: string; type: string; subType: string; actor1: string; actor2: string; location: string; notes: string; sources: { name: string; url?: string; published?: string }[]; provenance: Record<string, unknown> } | null }>(`/api/events/history?id=${encodeURIComponent(id)}${(f?.properties as Record<string, unknown> | undefined)?.draft === true ? '&drafts=1' : ''}`);
  const p = h.current;
  box.replaceChildren();
  if (!p) return;
  box.append(el('h3', `${p.date} · ${p.type}`), el('p', `${p.subType} — ${p.actor1}${p.actor2 ? ` vs ${p.actor2}` : ''}, ${p.location}`), el('p', p.notes));
  const src = el('p', 'Sources: ');
  p.sources.forEach((s, i) => {
    if (i) src.append('; ');
    // Only http(s) links (src/core/links.ts); any other URL is shown as text beside the name.
    const href = httpUrl(s.url);
    if (href) src.append(Object.assign(el('a', s.name), { href, target: '_blank', rel: 'noopener' }));
    else src.append(s.url ? `${s.name} (${s.url})` : s.name);
    if (s.published) src.append(` (${s.published})`);
  });
  box.append(src);
  const prov = p.provenance;
  box.append(el('p', `Provenance: ${prov.kind === 'file' ? `${prov.file} line ${prov.line}` : prov.kind === 'document' ? `document ${prov.document}, characters ${(prov.span as number[]).join('–')}` : `entered by ${prov.user} at ${prov.at}`}`));
  const ul = el('ul');
  for (const v of h.versions) ul.append(el('li', `v${v.version} ${v.op} by ${v.by}, ${v.at.slice(0, 16).replace('T', ' ')}${v.reason ? ` — ${v.reason}` : ''}`));
  box.append(el('p', 'History:'), ul);
  if (canEdit()) {
    // A correction is made against the version read: if someone saved in between, the server says so (409).
    const version = h.versions.at(-1)?.version ?? 1;
    const form = el('form');
    form.className = 'edit';
    const killed = Object.assign(el('input'), { type: 'number', min: '0', value: String((h.current as { fatalities?: { best: number | null } }).fatalities?.best ?? '') });
    const notes = Object.assign(el('textarea'), { value: p.notes, rows: 3 });
    const msg = el('span');
    const l1 = el('label', 'Killed ');
    l1.append(killed);
    const l2 = el('label', 'Notes ');
    l2.append(notes);
    form.append(el('strong', `Correct it (version ${version})`), l1, l2, Object.assign(el('button', 'Save'), { type: 'submit' }), msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await post('/api/events/edit', { id, version, changes: { notes: notes.value, fatalities: { best: killed.value === '' ? null : Number(killed.value), low: null, high: null } } });
        cache = null;
        await setDate(dateOf(current));
        await showEvent(id);
      } catch (err) {
        msg.textContent = ` ${(err as Error).message}`;
      }
    });
    box.append(form);
  }
  state.openEvent = id;
}
map.on('click', 'events', (e) => {
  const f = e.features?.[0];
  if (f) void showEvent(String(f.id ?? (f.properties as Record<string, unknown>).id));
});
map.on('click', 'event-clusters', (e) => map.easeTo({ center: e.lngLat, zoom: map.getZoom() + 2 }));
for (const layer of ['events', 'event-clusters', 'places']) {
  map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
  map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
}
map.on('click', 'places', (e) => {
  const id = (e.features?.[0]?.properties as Record<string, unknown> | undefined)?.placeId;
  if (typeof id === 'string') void showPlace(id);
});

// ---- charts ----------------------------------------------------------------------------------------------
let series: SeriesRow[] | null = null;
let weeks: Week[] = [];
async function loadWeeks(): Promise<void> {
  const q = filterParams();
  q.delete('drafts'); // the charts count reviewed events only
  q.set('since', dateOf(first));
  q.set('until', dateOf(last));
  weeks = (await api<{ weeks: Week[] }>(`/api/events/weekly?${q}`)).weeks;
}
function renderCharts(): void {
  if (series) $('chart-population').replaceChildren(populationChart(series, colors));
  $('chart-events').replaceChildren(eventsChart(weeks, EVENT_COLORS));
  $('chart-fatalities').replaceChildren(fatalitiesChart(weeks));
  moveDateRules();
}
/** The charts' date rule follows the map's date without redrawing the charts. */
function moveDateRules(): void {
  for (const id of ['chart-population', 'chart-events', 'chart-fatalities']) {
    const chart = $(id).firstElementChild;
    if (chart) dateRule(chart, dateOf(current));
  }
}

// ---- the date -----------------------------------------------------------------------------------------
// Events for the map come as columns for a span round the window, kept while the filters stay the same:
// a step along the timeline then filters in memory instead of asking the server again. The first answer
// covers the window (and a few days): the map is drawn from it; the wider span comes after.
interface EventColumns {
  id: string[]; day: number[]; type: number[]; subType: number[]; actor1: number[]; actor2: number[]; location: number[]; best: (number | null)[]; lon: number[]; lat: number[];
  /** The rows that are drafts (asked for with drafts=1). */
  draft?: number[];
  dict: { type: string[]; subType: string[]; actor: string[]; location: string[] };
}
const MARGIN = 45;
let cache: { key: string; from: number; to: number; cols: Promise<EventColumns> } | null = null;
function fetchColumns(from: number, to: number): Promise<EventColumns> {
  const q = filterParams();
  q.set('since', dateOf(from));
  q.set('until', dateOf(to));
  return api<EventColumns>(`/api/events/map?${q}`);
}
function eventColumns(from: number, to: number): Promise<EventColumns> {
  const key = filterParams().toString();
  if (!cache || cache.key !== key || from < cache.from || to > cache.to) {
    const f = Math.max(first, from - 3), t = Math.min(last, to + 3);
    const entry = { key, from: f, to: t, cols: fetchColumns(f, t) };
    cache = entry;
    const wf = Math.max(first, from - MARGIN), wt = Math.min(last, to + MARGIN);
    // The wider span is asked for a moment after the window came, so that it never holds up what the map
    // is drawing now (nor the charts' data, asked for once the map is drawn).
    if (wf < f || wt > t)
      void entry.cols.then(async () => {
        await new Promise((r) => setTimeout(r, 400));
        if (cache !== entry) return;
        const wide = fetchColumns(wf, wt);
        void wide.then(() => {
          if (cache === entry) cache = { key, from: wf, to: wt, cols: wide };
        });
      });
  }
  return cache.cols;
}
function eventFeatures(c: EventColumns, from: number, to: number): GeoJSON.Feature[] {
  const out: GeoJSON.Feature[] = [];
  const { dict } = c;
  const dates = new Map<number, string>();
  const drafts = new Set(c.draft ?? []);
  for (let i = 0; i < c.id.length; i++) {
    const d = c.day[i]!;
    if (d < from || d > to) continue;
    let date = dates.get(d);
    if (date === undefined) dates.set(d, (date = dateOf(d)));
    out.push({
      type: 'Feature', id: c.id[i]!, geometry: { type: 'Point', coordinates: [c.lon[i]!, c.lat[i]!] },
      properties: { id: c.id[i], date, type: dict.type[c.type[i]!], subType: dict.subType[c.subType[i]!], actor1: dict.actor[c.actor1[i]!], actor2: dict.actor[c.actor2[i]!], location: dict.location[c.location[i]!], best: c.best[i], ...(drafts.has(i) ? { draft: true } : {}) },
    });
  }
  return out;
}
let controlHash: string | null = null;
/** The change from one list of events to another, by id; a new list wholesale when most of it changed. */
function eventsDiff(before: GeoJSON.Feature[], after: GeoJSON.Feature[]): GeoJSONSourceDiff {
  const was = new Set(before.map((f) => f.id as string));
  const now = new Set(after.map((f) => f.id as string));
  const add = after.filter((f) => !was.has(f.id as string));
  const remove = before.filter((f) => !now.has(f.id as string)).map((f) => f.id as string);
  if (add.length + remove.length > after.length / 2) return { removeAll: true, add: after };
  return { remove, add };
}
// Control of a date, kept, and the next and previous days and weeks fetched ahead while the user looks.
const controlCache = new Map<string, Promise<[GeoJSON.FeatureCollection, ControlJson]>>();
function controlOf(date: string): Promise<[GeoJSON.FeatureCollection, ControlJson]> {
  let p = controlCache.get(date);
  if (!p) {
    p = Promise.all([api<GeoJSON.FeatureCollection>(`/api/control.geojson?date=${date}`), api<ControlJson>(`/api/control?date=${date}`)]);
    p.catch(() => controlCache.delete(date));
    controlCache.set(date, p);
    if (controlCache.size > 60) controlCache.delete(controlCache.keys().next().value!);
  }
  return p;
}
let loading: Promise<void> | null = null;
async function setDate(d: string): Promise<void> {
  current = Math.min(last, Math.max(first, dayOf(d)));
  const date = dateOf(current);
  slider.value = String(current);
  $('date').textContent = date;
  saveView();
  state.ready = false;
  const job = (async () => {
    const from = current - days() + 1;
    const cmp = $<HTMLInputElement>('compare').value;
    const [[geo, control], cols, diff] = await Promise.all([
      controlOf(date),
      eventColumns(from, current),
      cmp ? api<DiffJson>(`/api/control/diff.geojson?from=${cmp}&to=${date}`) : Promise.resolve(null),
    ]);
    if (dateOf(current) !== date) return; // a later move took over
    // Marks for profiling a redraw (performance.getEntriesByType('mark')): data in, handed to the map, table drawn.
    performance.mark('fl:data');
    const previous = loadedEvents;
    loadedEvents = eventFeatures(cols, from, current);
    // Only what changed goes to the map's worker: the control map when its digest differs, and the
    // events that entered or left the window (a step of a day moves a few hundred of thousands).
    const hash = (geo as { frontline?: { hash?: string } }).frontline?.hash;
    const shownControl = hash && hash === controlHash ? Promise.resolve() : (map.getSource('control') as GeoJSONSource).setData(geo, true);
    controlHash = hash ?? null;
    const shownEvents = (map.getSource('events') as GeoJSONSource).updateData(eventsDiff(previous, loadedEvents), true);
    (map.getSource('diff') as GeoJSONSource).setData(diff ?? EMPTY);
    renderDiff(diff, cmp);
    renderControl(control);
    performance.mark('fl:set');
    renderEventTable();
    performance.mark('fl:table');
    moveDateRules();
    $('event-count').textContent = `(${loadedEvents.length})`;
    Object.assign(state, { date, control, events: loadedEvents.length, loads: state.loads + 1 });
    // Ready when the map's worker holds the new data (the next frame draws it).
    await Promise.all([shownControl, shownEvents]);
    for (const k of [1, -1, 7, -7]) if (current + k >= first && current + k <= last) void controlOf(dateOf(current + k));
  })();
  loading = job;
  await job;
  if (loading === job) state.ready = true;
}

type DiffJson = GeoJSON.FeatureCollection & { blocs: { bloc: string; name?: string; placesGained: string[]; placesLost: string[]; placesGainedNames?: string[] }[] };
function renderDiff(diff: DiffJson | null, cmp: string): void {
  const box = $('diff');
  box.replaceChildren();
  if (!diff) return;
  box.append(el('p', `What changed hands from ${cmp} to ${dateOf(current)} (coloured by who gained it):`));
  const ul = el('ul');
  // Blocs and places by name; blocs that neither gained nor lost are left out.
  for (const b of diff.blocs.filter((x) => x.placesGained.length || x.placesLost.length)) {
    const gained = b.placesGainedNames ?? b.placesGained;
    ul.append(el('li', `${b.name ?? b.bloc}: +${b.placesGained.length} / −${b.placesLost.length} places${gained.length ? ` (gained ${gained.slice(0, 6).join(', ')}${gained.length > 6 ? '…' : ''})` : ''}`));
  }
  box.append(ul);
}

// ---- the race ------------------------------------------------------------------------------------------
interface RaceJson { map?: GeoJSON.FeatureCollection; objectives: { objective: string; holder: string | null; winner: string | null; marginDays: number | null; arrivals: { bloc: string; days: number | null; note?: string; route: GeoJSON.LineString | null }[] }[] }
/** What-if holdings for the race: place → actor, set from the place panel, never saved. */
const raceHolds = new Map<string, string>();
// Only blocs that can race: civilians and "other" actors are no racers (issue 20).
const racers = meta.blocs.filter((b) => b.racer !== false);
/** The blocs whose first-arrival areas the race map draws (the legend's race part, on screen and in the PNG). */
let racingBlocs: typeof racers = [];
for (const b of racers) {
  const l = el('label');
  const box = Object.assign(el('input'), { type: 'checkbox', checked: true, value: b.id });
  l.append(box, ` ${b.name}`);
  $('race-blocs').append(l);
}
for (const sc of meta.scenarios ?? []) $('race-scenario').append(Object.assign(el('option', sc.name), { value: sc.id }));
function renderHolds(): void {
  const p = $('race-holds');
  if (!raceHolds.size) return void (p.textContent = 'What-if: open a place and give it to another actor for this race (nothing is saved).');
  p.replaceChildren(`What-if: ${[...raceHolds].map(([pl, a]) => `${pl} held by ${a}`).join(', ')} `, Object.assign(el('button', 'Clear'), { type: 'button', onclick: () => (raceHolds.clear(), renderHolds()) }));
}
$<HTMLFormElement>('race-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  void runRace();
});
async function runRace(): Promise<void> {
  const box = $('race-result');
  const objective = $<HTMLInputElement>('race-objective').value.trim();
  box.textContent = 'Running…';
  try {
    const q = new URLSearchParams({ date: dateOf(current), objective });
    const racing = [...document.querySelectorAll<HTMLInputElement>('#race-blocs input:checked')].map((x) => x.value);
    if (racing.length && racing.length < meta.blocs.length) q.set('blocs', racing.join(','));
    if (!racing.length) throw new Error('choose at least one bloc to race');
    if ($<HTMLSelectElement>('race-scenario').value) q.set('scenario', $<HTMLSelectElement>('race-scenario').value);
    if (raceHolds.size) q.set('hold', [...raceHolds].map(([place, actor]) => `${place}:${actor}`).join(','));
    if ($<HTMLInputElement>('race-map').checked) q.set('map', '1');
    const r = await api<RaceJson>(`/api/race?${q}`);
    const o = r.objectives[0]!;
    box.replaceChildren(el('p', `${o.objective}, held by ${o.holder ?? 'no one'}: `));
    box.querySelector('p')!.append(el('strong', o.winner ? `${o.winner} first` : 'nobody can get there'), o.marginDays !== null ? ` by ${o.marginDays.toFixed(1)} days` : '');
    const tbl = el('table');
    tbl.id = 'race-arrivals';
    tbl.append(Object.assign(el('thead'), { innerHTML: '<tr><th scope="col">Bloc</th><th scope="col">Days</th></tr>' }));
    const tb = el('tbody');
    for (const a of o.arrivals) {
      const tr = el('tr');
      tr.append(el('td', a.bloc), el('td', a.days === null ? (a.note ?? 'cannot') : a.days.toFixed(1)));
      tb.append(tr);
    }
    tbl.append(tb);
    box.append(tbl);
    (map.getSource('race') as GeoJSONSource).setData({ type: 'FeatureCollection', features: o.arrivals.filter((a) => a.route).map((a) => ({ type: 'Feature', geometry: a.route!, properties: { bloc: a.bloc } })) });
    (map.getSource('race-map') as GeoJSONSource).setData(r.map ?? EMPTY);
    // The legend names the blocs whose first-arrival areas are drawn.
    const firsts = new Set((r.map?.features ?? []).filter((f) => f.properties?.kind === 'first-arrival').map((f) => String(f.properties?.bloc)));
    racingBlocs = racers.filter((b) => firsts.has(b.id));
    showRaceLegend(legend, r.map?.features.length ? raceSections(racingBlocs) : null);
    if (r.map?.features.length) legend.open = true;
    state.raceMap = (r.map?.features ?? []).map((f) => `${String(f.properties?.kind)}:${String(f.properties?.bloc ?? (f.properties?.sides as string[] | undefined)?.join('/'))}${f.properties?.days ? `:${String(f.properties.days)}` : ''}`);
    state.race = { objective: o.objective, winner: o.winner };
    saveView();
  } catch (err) {
    box.textContent = `Could not run the race: ${(err as Error).message}`;
  }
}

// ---- a place ---------------------------------------------------------------------------------------------
interface PlaceJson {
  place: { id: string; name: string; lon: number; lat: number; population: number | null; admin1?: string; kind: string };
  holder: { actor: string; status: string; since: string } | null;
  history: { from: string; actor: string; status: string }[];
  eventCount: number;
  events: { id: string; date: string; type: string; subType: string; location: string; fatalities: number | null }[];
  stabilization: { id: string; name: string; holding: { bloc: string | null; since: string | null }; priority: number; councils: string[]; projects: number; incidents: number }[];
}
async function showPlace(id: string): Promise<void> {
  const r = await api<PlaceJson>(`/api/place?id=${encodeURIComponent(id)}&date=${dateOf(current)}`);
  const p = r.place;
  map.flyTo({ center: [p.lon, p.lat], zoom: Math.max(map.getZoom(), 8.5) });
  const box = $('place-detail');
  box.replaceChildren(el('h3', p.name), el('p', `${p.kind}${p.admin1 ? `, ${p.admin1}` : ''} · population ${fmt(p.population)}`), el('p', r.holder ? `Held by ${r.holder.actor} (${r.holder.status}) since ${r.holder.since}` : 'No control observation'));
  const hist = el('ol');
  hist.className = 'history';
  for (const h of r.history) hist.append(el('li', `${h.from}: ${h.actor}${h.status === 'held' ? '' : ` (${h.status})`}`));
  box.append(el('p', 'Control history:'), hist);
  box.append(el('p', `${r.eventCount} event${r.eventCount === 1 ? '' : 's'} within ~15 km in the 90 days to ${dateOf(current)}${r.eventCount > r.events.length ? ` (the first ${r.events.length} listed)` : ''}`));
  const ev = el('ul');
  // A reported zero and an unknown toll are not the same: say which.
  for (const e of r.events.slice(0, 8)) ev.append(el('li', `${e.date} ${e.subType}, ${e.location} (${e.fatalities === null ? 'toll unknown' : `${e.fatalities} killed`})`));
  box.append(ev);
  if (canEdit()) {
    const form = el('form');
    form.className = 'edit';
    const actor = el('select');
    for (const a of meta.actors ?? []) actor.append(Object.assign(el('option', a.name), { value: a.id }));
    const status = el('select');
    for (const x of ['held', 'contested', 'besieged']) status.append(Object.assign(el('option', x), { value: x }));
    const from = Object.assign(el('input'), { type: 'date', value: dateOf(current), required: true });
    const source = Object.assign(el('input'), { placeholder: 'source (who reported it)', required: true });
    const msg = el('span');
    for (const [t, c] of [['Held by ', actor], ['Status ', status], ['From ', from], ['Source ', source]] as const) {
      const l = el('label', t);
      l.append(c);
      form.append(l);
    }
    form.prepend(el('strong', 'Record control'));
    form.append(Object.assign(el('button', 'Record'), { type: 'submit' }), msg);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await post('/api/control/observations', { place: id, actor: actor.value, status: status.value, from: from.value, source: source.value });
        controlCache.clear();
        await setDate(dateOf(current));
        await showPlace(id);
      } catch (err) {
        msg.textContent = ` ${(err as Error).message}`;
      }
    });
    box.append(form);
  }
  // A what-if for the race: this place held by another actor (only in the race panel's next run).
  const whatIf = el('form');
  whatIf.className = 'inline-form what-if';
  const who = el('select');
  who.setAttribute('aria-label', 'Actor for the what-if');
  for (const a of meta.actors ?? []) who.append(Object.assign(el('option', a.name), { value: a.id }));
  whatIf.append(el('span', 'What if '), who, el('span', ' held it? '), Object.assign(el('button', 'Use in the race'), { type: 'submit' }));
  whatIf.addEventListener('submit', (ev) => {
    ev.preventDefault();
    raceHolds.set(id, who.value);
    renderHolds();
    if ($<HTMLInputElement>('race-objective').value.trim()) void runRace();
  });
  box.append(whatIf);
  for (const s of r.stabilization) box.append(el('p', `Stabilization area ${s.name}: held by ${s.holding.bloc ?? '—'} since ${s.holding.since ?? '—'}, priority ${s.priority.toFixed(3)}, ${s.incidents} incidents, ${s.projects} projects${s.councils.length ? `, ${s.councils.join(', ')}` : ''}`));
  state.place = id;
  saveView();
}

// ---- exports ---------------------------------------------------------------------------------------------
function download(name: string, blob: Blob): void {
  const a = Object.assign(el('a'), { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
/**
 * The map for publication: title, date, the map, its legend, a scale bar, a north arrow and the
 * sources, drawn on one canvas. The map's canvas is read right after a frame (no preserveDrawingBuffer).
 */
function publicationCanvas(): Promise<HTMLCanvasElement> {
  return new Promise((resolve) => {
    void map.once('render', () => {
      const src = map.getCanvas();
      const ratio = src.width / map.getContainer().clientWidth;
      const w = src.width / ratio, h = src.height / ratio;
      const sections = [...legendSections(legendInput), ...(state.raceMap.length ? raceSections(racingBlocs) : [])];
      const legendW = 250, head = 44, foot = 34;
      const out = document.createElement('canvas');
      // Tall enough for the legend when the map is short.
      const legendH = sections.reduce((a, x) => a + 24 + x.items.length * 16, 0);
      out.width = (w + legendW) * ratio;
      out.height = (head + Math.max(h, legendH) + foot) * ratio;
      const ctx = out.getContext('2d')!;
      ctx.scale(ratio, ratio);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, w + legendW, head + Math.max(h, legendH) + foot);
      ctx.fillStyle = '#111';
      ctx.font = 'bold 18px sans-serif';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(`${meta.scenario?.name ?? 'Frontline'}: control on ${dateOf(current)}`, 10, 22);
      ctx.font = '12px sans-serif';
      ctx.fillText(`Areas, front lines and zones on ${dateOf(current)}; events of the ${days()} days to it${state.race ? `; race to ${state.race.objective}` : ''}.`, 10, 38);
      ctx.drawImage(src, 0, head, w, h);
      drawLegend(ctx, sections, w + 12, head + 4, legendW - 20);
      // Scale bar: a round number of km near a fifth of the map's width, measured at the map's centre.
      const y = map.getCenter().lat;
      const kmPerPx = (40075 * Math.cos((y * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
      const target = (w / 5) * kmPerPx;
      const km = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000].reduce((a, b) => (Math.abs(b - target) < Math.abs(a - target) ? b : a));
      const px = km / kmPerPx;
      const bx = 14, by = head + h - 18;
      ctx.fillStyle = '#ffffffcc';
      ctx.fillRect(bx - 6, by - 16, px + 52, 26);
      ctx.fillStyle = '#111';
      ctx.fillRect(bx, by, px / 2, 5);
      ctx.strokeStyle = '#111';
      ctx.strokeRect(bx, by, px, 5);
      ctx.font = '11px sans-serif';
      ctx.fillText(`0`, bx - 3, by - 4);
      ctx.fillText(`${km} km`, bx + px - 8, by - 4);
      // North arrow (the map is never rotated here: north is up).
      const nx = w - 28, ny = head + 16;
      ctx.fillStyle = '#ffffffcc';
      ctx.fillRect(nx - 14, ny - 8, 28, 46);
      ctx.fillStyle = '#111';
      ctx.beginPath();
      ctx.moveTo(nx, ny);
      ctx.lineTo(nx + 8, ny + 24);
      ctx.lineTo(nx, ny + 18);
      ctx.lineTo(nx - 8, ny + 24);
      ctx.closePath();
      ctx.fill();
      ctx.font = 'bold 12px sans-serif';
      ctx.fillText('N', nx - 4, ny + 36);
      ctx.font = '10px sans-serif';
      ctx.fillStyle = '#333';
      const total = head + Math.max(h, legendH) + foot;
      ctx.fillText(`Sources: control, events and places from the Frontline store (${meta.scenario?.name ?? 'user data'}; each record cites its source); places: GeoNames (CC BY 4.0);`, 10, total - 20, w + legendW - 20);
      ctx.fillText(`land, rivers, lakes: Natural Earth (public domain); governorates, districts: OCHA COD-AB (CC BY-IGO). Made with Frontline, ${new Date().toISOString().slice(0, 10)}.`, 10, total - 7, w + legendW - 20);
      resolve(out);
    });
    map.triggerRepaint();
  });
}
$('export-png').addEventListener('click', () => {
  void publicationCanvas().then((c) => c.toBlob((b) => b && download(`frontline-${dateOf(current)}.png`, b), 'image/png'));
});
(state as unknown as { publicationPng: () => Promise<string> }).publicationPng = async () => (await publicationCanvas()).toDataURL('image/png');
// The same map drawn by the server as SVG (vectors, for print), and the control layers for GIS tools.
const fetchDownload = async (path: string, name: string): Promise<void> => {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  download(name, await r.blob());
};
$('export-svg').addEventListener('click', () => {
  const b = map.getBounds();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(3)).join(',');
  void fetchDownload(`/api/map.svg?date=${dateOf(current)}&bbox=${bbox}`, `frontline-map-${dateOf(current)}.svg`);
});
for (const f of ['gpkg', 'kml'] as const) $(`export-${f}`).addEventListener('click', () => void fetchDownload(`/api/export/gis?format=${f}&kind=control&date=${dateOf(current)}`, `frontline-control-${dateOf(current)}.${f}`));
$('export-csv').addEventListener('click', () => {
  download(`frontline-events-${dateOf(current)}.csv`, new Blob([eventsCsv(loadedEvents)], { type: 'text/csv' }));
});
$('export-geojson').addEventListener('click', () => download(`frontline-events-${dateOf(current)}.geojson`, new Blob([JSON.stringify({ type: 'FeatureCollection', features: loadedEvents })], { type: 'application/geo+json' })));

// ---- drawing a zone (analysts) ------------------------------------------------------------------------
let drawing: [number, number][] | null = null;
const drawDraft = (): void => {
  const pts = drawing ?? [];
  const features: GeoJSON.Feature[] = pts.map((c) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: {} }));
  if (pts.length > 1) features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [...pts, ...(pts.length > 2 ? [pts[0]!] : [])] }, properties: {} });
  (map.getSource('draft') as GeoJSONSource).setData({ type: 'FeatureCollection', features });
};
onMe(() => ($('zone-editor').hidden = !canEdit()));
onMe(() => ($('f-drafts-wrap').hidden = !canEdit()));
$('f-drafts-wrap').hidden = !canEdit();
$('zone-editor').hidden = !canEdit();
$('zone-draw').addEventListener('click', () => {
  drawing = [];
  $('zone-hint').textContent = 'Click the map for each corner; three or more, then save.';
  $('zone-finish').hidden = false;
  drawDraft();
});
map.on('click', (e) => {
  if (!drawing) return;
  drawing.push([Math.round(e.lngLat.lng * 1e5) / 1e5, Math.round(e.lngLat.lat * 1e5) / 1e5]);
  drawDraft();
});
const endDrawing = (): void => {
  drawing = null;
  $('zone-finish').hidden = true;
  $('zone-hint').textContent = '';
  drawDraft();
};
$('zone-cancel').addEventListener('click', endDrawing);
$('zone-save').addEventListener('click', async () => {
  if (!drawing || drawing.length < 3) return void ($('zone-hint').textContent = 'A zone needs three corners or more.');
  try {
    const ring = [...drawing, drawing[0]!];
    await post('/api/zones', { zone: { name: $<HTMLInputElement>('zone-name').value || 'Unnamed zone', kind: $<HTMLSelectElement>('zone-kind').value, geometry: { type: 'Polygon', coordinates: [ring] }, from: dateOf(current) } });
    endDrawing();
    controlCache.clear();
    await setDate(dateOf(current));
    $('zone-hint').textContent = 'Saved.';
  } catch (err) {
    $('zone-hint').textContent = (err as Error).message;
  }
});

$('filters').addEventListener('change', () => {
  void loadWeeks().then(() => renderCharts());
  void setDate(dateOf(current));
});
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('compare').addEventListener('change', () => void setDate(dateOf(current)));
$('compare-clear').addEventListener('click', () => {
  $<HTMLInputElement>('compare').value = '';
  void setDate(dateOf(current));
});

// Blocs hidden by their toggles, and one actor's places only: layer filters, nothing refetched.
const hiddenBlocs = new Set<string>();
for (const a of meta.actors ?? []) $('actor-only').append(Object.assign(el('option', a.name), { value: a.id }));
$('actor-only').addEventListener('change', () => applyVisibility());
function applyVisibility(): void {
  const hidden = ['!', ['in', ['get', 'bloc'], ['literal', [...hiddenBlocs]]]];
  const actor = $<HTMLSelectElement>('actor-only').value;
  map.setFilter('areas', ['all', ['==', ['get', 'kind'], 'area'], hidden] as unknown as maplibregl.FilterSpecification);
  map.setFilter('area-edges', ['all', ['==', ['get', 'kind'], 'area'], hidden] as unknown as maplibregl.FilterSpecification);
  map.setFilter('places', ['all', ['==', ['get', 'kind'], 'place'], hidden, ...(actor ? [['==', ['get', 'actor'], actor]] : [])] as unknown as maplibregl.FilterSpecification);
  state.hiddenBlocs = [...hiddenBlocs];
}

function renderControl(c: ControlJson): void {
  const color = new Map(meta.blocs.map((b) => [b.id, b.color ?? '#888888']));
  const tbody = document.querySelector('#blocs tbody')!;
  tbody.replaceChildren(
    ...c.blocs.map((b) => {
      const tr = document.createElement('tr');
      const name = document.createElement('td');
      const sw = document.createElement('span');
      sw.className = 'swatch';
      sw.style.background = color.get(b.bloc) ?? '#888888';
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: !hiddenBlocs.has(b.bloc) });
      box.setAttribute('aria-label', `Show ${b.name}`);
      box.addEventListener('change', () => {
        if (box.checked) hiddenBlocs.delete(b.bloc);
        else hiddenBlocs.add(b.bloc);
        applyVisibility();
      });
      const label = document.createElement('label');
      label.append(box, sw, b.name);
      name.append(label);
      tr.append(name, ...[b.places, b.population, Math.round(b.areaKm2)].map((v) => Object.assign(document.createElement('td'), { textContent: v.toLocaleString('en-US') })));
      return tr;
    }),
  );
  $('unassigned').textContent = `Unassigned land: ${Math.round(c.unassignedKm2).toLocaleString('en-US')} km²`;
}

slider.addEventListener('input', () => void setDate(dateOf(Number(slider.value))));
const step = (days: number) => () => void setDate(dateOf(current + days));
$('back-week').addEventListener('click', step(-7));
$('back-day').addEventListener('click', step(-1));
$('fwd-day').addEventListener('click', step(1));
$('fwd-week').addEventListener('click', step(7));
let timer: number | null = null;
$('play').addEventListener('click', () => {
  if (timer !== null) {
    clearInterval(timer);
    timer = null;
    $('play').textContent = 'Play';
    return;
  }
  $('play').textContent = 'Pause';
  timer = window.setInterval(() => {
    if (current >= last) $('play').click();
    else void setDate(dateOf(current + 7));
  }, 700);
});

const search = $<HTMLInputElement>('place-search');
search.addEventListener('input', async () => {
  const q = search.value.trim();
  const list = $('place-results');
  if (q.length < 2) return list.replaceChildren();
  const places = await api<{ id: string; name: string; lon: number; lat: number; population: number | null }[]>(`/api/places?name=${encodeURIComponent(q)}`);
  list.replaceChildren(
    ...places.map((p) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.textContent = `${p.name}${p.population ? ` (${p.population.toLocaleString('en-US')})` : ''}`;
      const holder = state.control?.places.find((x) => x.placeId === p.id);
      b.title = holder ? `held by ${holder.actor} (${holder.bloc}), ${holder.status}` : 'no observation';
      b.addEventListener('click', () => void showPlace(p.id));
      li.append(b, holder ? ` — ${holder.bloc}` : '');
      return li;
    }),
  );
});

// The map first; the charts' data is asked for once it is drawn, so that the server (one thread)
// answers the map's requests before the weekly counts, which scan the whole period.
void controlOf(dateOf(current));
void eventColumns(current - days() + 1, current);
await mapLoaded;
await setDate(dateOf(current));
void Promise.all([api<{ rows: SeriesRow[] }>(`/api/control/series?from=${dateOf(first)}&to=${dateOf(last)}&step=week`).then((r) => (series = r.rows)), loadWeeks()]).then(() => renderCharts());
if (view.get('place')) await showPlace(view.get('place')!);
if (view.get('objective')) await runRace();
