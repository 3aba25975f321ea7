/**
 * Editing a queued draft on the reports page: its fields in a form, and its location placed by a click on
 * a small map (the app's own basemap: nothing is downloaded). "Save" keeps it a draft
 * (POST /api/drafts/edit); "Save and accept" accepts it with the changes (POST /api/drafts/accept).
 * Every text goes in as a value or textContent, never as HTML.
 */
import maplibregl, { type GeoJSONSource, type Map as MlMap } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { post } from './session.js';

export interface EditableDraft {
  id: string; date: string; type: string; subType: string; actor1: string; actor2: string; location: string; notes: string;
  lon?: number; lat?: number; place?: string | null; fatalities?: { best: number | null; low: number | null; high: number | null };
}
interface Meta { taxonomy?: Record<string, string[]> }

let metaP: Promise<Meta> | null = null;
const meta = (): Promise<Meta> => (metaP ??= fetch('/api/meta').then((r) => r.json() as Promise<Meta>).catch(() => ({})));

function field<T extends HTMLElement>(label: string, control: T): HTMLLabelElement {
  const l = document.createElement('label');
  l.append(document.createTextNode(`${label} `), control);
  return l;
}
function input(value: string, attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  const e = document.createElement('input');
  e.value = value;
  for (const [k, v] of Object.entries(attrs)) (e as unknown as Record<string, unknown>)[k] = v;
  return e;
}

/** The form for one draft; `done` runs after a save (to reload the queue). */
export async function draftEditor(d: EditableDraft, user: () => string | undefined, done: () => Promise<void>): Promise<HTMLFormElement> {
  const { taxonomy = {} } = await meta();
  const form = document.createElement('form');
  form.className = 'edit draft-edit';
  form.setAttribute('aria-label', `Edit draft ${d.id}`);
  const date = input(d.date, { type: 'date', required: true });
  const type = document.createElement('select');
  for (const t of Object.keys(taxonomy).length ? Object.keys(taxonomy) : [d.type]) type.append(Object.assign(document.createElement('option'), { value: t, textContent: t }));
  type.value = d.type;
  const sub = document.createElement('select');
  const fillSubs = (keep: string): void => {
    const subs = taxonomy[type.value] ?? [keep];
    sub.replaceChildren(...subs.map((s) => Object.assign(document.createElement('option'), { value: s, textContent: s })));
    sub.value = subs.includes(keep) ? keep : (subs[0] ?? '');
  };
  fillSubs(d.subType);
  type.addEventListener('change', () => fillSubs(sub.value));
  const actor1 = input(d.actor1, { required: true });
  const actor2 = input(d.actor2 ?? '');
  const location = input(d.location ?? '', { required: true });
  const lon = input(d.lon === undefined ? '' : String(d.lon), { type: 'number', step: 'any', min: '-180', max: '180', required: true });
  const lat = input(d.lat === undefined ? '' : String(d.lat), { type: 'number', step: 'any', min: '-90', max: '90', required: true });
  lon.className = 'draft-lon';
  lat.className = 'draft-lat';
  const killed = input(d.fatalities?.best === null || d.fatalities?.best === undefined ? '' : String(d.fatalities.best), { type: 'number', min: '0', placeholder: 'unknown' });
  const notes = Object.assign(document.createElement('textarea'), { value: d.notes ?? '', rows: 3 });
  const mapBox = document.createElement('div');
  mapBox.className = 'draft-map';
  mapBox.setAttribute('role', 'application');
  mapBox.setAttribute('aria-label', 'Click the map to place the event');
  const msg = document.createElement('p');
  msg.className = 'hint';
  msg.setAttribute('role', 'status');
  const save = Object.assign(document.createElement('button'), { type: 'submit', textContent: 'Save (keep as draft)', value: 'save' });
  const accept = Object.assign(document.createElement('button'), { type: 'submit', textContent: 'Save and accept', value: 'accept' });
  const cancel = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Cancel' });
  const row = document.createElement('div');
  row.className = 'buttons';
  row.append(save, accept, cancel);
  const where = document.createElement('div');
  where.className = 'row';
  where.append(field('Longitude', lon), field('Latitude', lat));
  form.append(field('Date', date), field('Type', type), field('Sub-type', sub), field('Actor 1', actor1), field('Actor 2', actor2), field('Location', location), where, mapBox, field('Killed', killed), field('Notes', notes), row, msg);
  cancel.addEventListener('click', () => form.remove());

  // The map: the draft's point, moved by a click (which also fills longitude and latitude).
  let map: MlMap | null = null;
  requestAnimationFrame(() => {
    const here: [number, number] = [Number(lon.value) || 38.5, Number(lat.value) || 35];
    map = new maplibregl.Map({
      container: mapBox,
      center: here,
      zoom: lon.value ? 7 : 5,
      attributionControl: { compact: true, customAttribution: 'Natural Earth · OCHA · GeoNames' },
      style: {
        version: 8,
        sources: { basemap: { type: 'geojson', data: '/api/basemap.geojson' }, control: { type: 'geojson', data: `/api/control.geojson?date=${encodeURIComponent(d.date)}` }, point: { type: 'geojson', data: { type: 'FeatureCollection', features: lon.value ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: here }, properties: {} }] : [] } } },
        layers: [
          { id: 'bg', type: 'background', paint: { 'background-color': '#dfe8ee' } },
          { id: 'land', type: 'fill', source: 'basemap', filter: ['==', ['get', 'kind'], 'land'], paint: { 'fill-color': '#f3f1ea' } },
          { id: 'lakes', type: 'fill', source: 'basemap', filter: ['==', ['get', 'kind'], 'lake'], paint: { 'fill-color': '#4a90c2' } },
          { id: 'rivers', type: 'line', source: 'basemap', filter: ['==', ['get', 'kind'], 'river'], paint: { 'line-color': '#4a90c2', 'line-width': 1.5 } },
          { id: 'borders', type: 'line', source: 'basemap', filter: ['in', ['get', 'kind'], ['literal', ['border', 'adm1-border']]], paint: { 'line-color': '#888', 'line-width': 0.8 } },
          { id: 'adm1', type: 'symbol', source: 'basemap', filter: ['==', ['get', 'kind'], 'adm1-label'], layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 10 }, paint: { 'text-color': '#666' } },
          // The places, to click near the right one (labels placed by MapLibre, the most populous first).
          { id: 'places', type: 'circle', source: 'control', filter: ['==', ['get', 'kind'], 'place'], paint: { 'circle-radius': 2.5, 'circle-color': '#555' } },
          { id: 'place-labels', type: 'symbol', source: 'control', filter: ['==', ['get', 'kind'], 'place'], layout: { 'text-field': ['get', 'place'], 'text-font': ['sans-serif'], 'text-size': 10, 'text-offset': [0, 0.7], 'text-anchor': 'top', 'symbol-sort-key': ['-', 0, ['coalesce', ['get', 'population'], 0]] }, paint: { 'text-color': '#222', 'text-halo-color': '#fff', 'text-halo-width': 1.2 } },
          { id: 'point', type: 'circle', source: 'point', paint: { 'circle-radius': 6, 'circle-color': '#d55e00', 'circle-stroke-color': '#111', 'circle-stroke-width': 2 } },
        ],
      },
    });
    map.on('click', (e) => {
      const c: [number, number] = [Math.round(e.lngLat.lng * 1e5) / 1e5, Math.round(e.lngLat.lat * 1e5) / 1e5];
      lon.value = String(c[0]);
      lat.value = String(c[1]);
      (map!.getSource('point') as GeoJSONSource).setData({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: {} });
      msg.textContent = `Placed at ${c[1]}, ${c[0]}: name the location too if it changed.`;
    });
    (form as unknown as { map: MlMap }).map = map;
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const how = ((ev as SubmitEvent).submitter as HTMLButtonElement | null)?.value === 'accept' ? 'accept' : 'save';
    const changes: Record<string, unknown> = { date: date.value, type: type.value, subType: sub.value, actor1: actor1.value.trim(), actor2: actor2.value.trim(), location: location.value.trim(), notes: notes.value };
    if (lon.value !== '' && lat.value !== '') Object.assign(changes, { lon: Number(lon.value), lat: Number(lat.value) });
    changes.fatalities = { best: killed.value === '' ? null : Number(killed.value), low: null, high: null };
    msg.textContent = 'Saving…';
    try {
      await post(how === 'accept' ? '/api/drafts/accept' : '/api/drafts/edit', { id: d.id, changes, ...(user() ? { user: user() } : {}) });
      msg.textContent = how === 'accept' ? 'Accepted.' : 'Saved; still a draft.';
      (map as MlMap | null)?.remove();
      await done();
    } catch (err) {
      msg.textContent = `Not saved: ${(err as Error).message}`;
    }
  });
  return form;
}
