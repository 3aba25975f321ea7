/**
 * The Frontline web app: a map of control, front lines, zones and events that follows a timeline. It
 * talks only to this server's API (docs/api.md) and draws its basemap from the store's own data: no
 * request leaves the machine. Labels use the system's fonts (no glyph server).
 */
import maplibregl, { type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';

interface Meta {
  scenario: { id: string; name: string } | null;
  firstDate: string | null;
  lastDate: string | null;
  blocs: { id: string; name: string; color: string | null }[];
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
const EVENT_COLORS: Record<string, string> = {
  Battles: '#d62728',
  'Explosions/Remote violence': '#ff7f0e',
  'Violence against civilians': '#9467bd',
  'Strategic developments': '#17becf',
  Protests: '#2ca02c',
  Riots: '#8c564b',
};

async function api<T>(path: string): Promise<T> {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: ${((await r.json().catch(() => ({}))) as { error?: string }).error ?? r.status}`);
  return (await r.json()) as T;
}

/** What tests (and the curious) can read: the state the map shows. */
const state = { ready: false, date: '', control: null as ControlJson | null, events: 0, loads: 0 };
(window as unknown as { __frontline: typeof state & { setDate: (d: string) => Promise<void> } }).__frontline = Object.assign(state, { setDate: (d: string) => setDate(d) });

const meta = await api<Meta>('/api/meta');
$('scenario').textContent = meta.scenario?.name ?? '';
const first = dayOf(meta.firstDate ?? '2017-01-01');
const last = dayOf(meta.lastDate ?? meta.firstDate ?? '2017-12-31');
const slider = $<HTMLInputElement>('slider');
slider.min = String(first);
slider.max = String(last);
const fromUrl = new URLSearchParams(location.search).get('date');
let current = fromUrl && /^\d{4}-\d{2}-\d{2}$/.test(fromUrl) ? Math.min(last, Math.max(first, dayOf(fromUrl))) : last;

const blocColor = ['match', ['get', 'bloc'], ...meta.blocs.flatMap((b) => [b.id, b.color ?? '#888888']), '#d9d9d9'] as unknown as maplibregl.ExpressionSpecification;

const map: MlMap = new maplibregl.Map({
  container: 'map',
  center: [38.5, 35],
  zoom: 5.6,
  attributionControl: { compact: true, customAttribution: 'Frontline · boundaries: Natural Earth · places: GeoNames' },
  style: {
    version: 8,
    // No "glyphs": labels are drawn with the system's fonts (MapLibre ≥ 5.11), nothing is downloaded.
    sources: {
      control: { type: 'geojson', data: EMPTY },
      roads: { type: 'geojson', data: '/api/roads.geojson' },
      events: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#dfe8ee' } },
      { id: 'areas', type: 'fill', source: 'control', filter: ['==', ['get', 'kind'], 'area'], paint: { 'fill-color': blocColor, 'fill-opacity': ['case', ['==', ['get', 'bloc'], 'unassigned'], 0.9, 0.5] } },
      { id: 'area-edges', type: 'line', source: 'control', filter: ['==', ['get', 'kind'], 'area'], paint: { 'line-color': '#ffffff', 'line-width': 0.6 } },
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
      {
        id: 'place-labels',
        type: 'symbol',
        source: 'control',
        filter: ['all', ['==', ['get', 'kind'], 'place'], ['>', ['coalesce', ['get', 'population'], 0], 60000]],
        layout: { 'text-field': ['get', 'place'], 'text-font': ['sans-serif'], 'text-size': 12, 'text-offset': [0, 0.9], 'text-anchor': 'top' },
        paint: { 'text-color': '#111111', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
      },
      {
        id: 'events',
        type: 'circle',
        source: 'events',
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['coalesce', ['get', 'best'], 0], 0, 4, 100, 12],
          'circle-color': ['match', ['get', 'type'], ...Object.entries(EVENT_COLORS).flat(), '#444444'] as unknown as maplibregl.ExpressionSpecification,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1,
          'circle-opacity': 0.9,
        },
      },
    ],
  },
});
map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
await new Promise<void>((resolve) => map.once('load', () => resolve()));

map.on('click', 'events', (e) => {
  const f = e.features?.[0];
  if (!f) return;
  const p = f.properties as Record<string, string>;
  const sources = (JSON.parse(p.sources ?? '[]') as { name: string; url?: string }[]).map((s) => (s.url ? `<a href="${escapeAttr(s.url)}" target="_blank" rel="noopener">${escapeHtml(s.name)}</a>` : escapeHtml(s.name)));
  $('event-detail').innerHTML = `<p><strong>${escapeHtml(p.date ?? '')} · ${escapeHtml(p.type ?? '')}</strong> (${escapeHtml(p.subType ?? '')})</p><p>${escapeHtml(p.actor1 ?? '')} — ${escapeHtml(p.actor2 ?? '')}, ${escapeHtml(p.location ?? '')}</p><p>${escapeHtml(p.notes ?? '')}</p><p>Sources: ${sources.join('; ')}</p>`;
});
map.on('mouseenter', 'events', () => (map.getCanvas().style.cursor = 'pointer'));
map.on('mouseleave', 'events', () => (map.getCanvas().style.cursor = ''));

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
function escapeAttr(s: string): string {
  return /^https?:\/\//.test(s) ? escapeHtml(s) : '#';
}

let loading: Promise<void> | null = null;
async function setDate(d: string): Promise<void> {
  current = Math.min(last, Math.max(first, dayOf(d)));
  const date = dateOf(current);
  slider.value = String(current);
  $('date').textContent = date;
  const url = new URL(location.href);
  url.searchParams.set('date', date);
  history.replaceState(null, '', url);
  const job = (async () => {
    const [geo, control, events] = await Promise.all([
      api<GeoJSON.FeatureCollection>(`/api/control.geojson?date=${date}`),
      api<ControlJson>(`/api/control?date=${date}`),
      api<GeoJSON.FeatureCollection>(`/api/events?since=${dateOf(current - 30)}&until=${date}&limit=20000`),
    ]);
    if (dateOf(current) !== date) return; // a later move took over
    (map.getSource('control') as GeoJSONSource).setData(geo);
    // Flatten what the event layer styles by.
    for (const f of events.features) {
      const p = f.properties as Record<string, unknown>;
      p.best = (p.fatalities as { best: number | null } | undefined)?.best ?? 0;
      p.sources = JSON.stringify(p.sources ?? []);
    }
    (map.getSource('events') as GeoJSONSource).setData(events);
    renderControl(control);
    $('event-count').textContent = `(${events.features.length})`;
    Object.assign(state, { date, control, events: events.features.length, loads: state.loads + 1 });
  })();
  loading = job;
  await job;
  if (loading === job) state.ready = true;
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
      name.append(sw, b.name);
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
      b.addEventListener('click', () => map.flyTo({ center: [p.lon, p.lat], zoom: 9 }));
      li.append(b, holder ? ` — ${holder.bloc}` : '');
      return li;
    }),
  );
});

await setDate(dateOf(current));
