/**
 * The stabilization board: the areas ranked by priority with who holds them, people, the first threat
 * (and the first threat if a protecting force withdraws), incidents and projects; choosing one shows its
 * briefing (map, control history, charts, sources) in a sandboxed frame. The view lives in the URL.
 * Data is put in the page as text only.
 */
import './style.css';
import { loadMe, mountSignIn } from './session.js';

interface Term { value: number; known: boolean; basis: string }
interface AreaRow {
  id: string; name: string; holding: { bloc: string | null; since: string | null };
  population: { value: number } | null; exposure: { firstThreat: string | null; days: number | null } | null;
  withdrawal: { firstThreat: string | null; days: number | null; holder: string | null } | null;
  protection: { incidents: number; fatalities: number; record?: { incidents: number; from: string | null } }; projects: unknown[];
  priority: { score: number; terms: Record<string, Term> };
}
interface Board { date: string; withdraw: string | null; areas: AreaRow[]; notes: string[] }

const TERMS = ['people', 'exposure', 'damage', 'services', 'returns'];
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

function cell(text: string, title?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (title) td.title = title;
  return td;
}

function threat(t: { firstThreat: string | null; days: number | null } | null): string {
  return t?.firstThreat ? `${t.firstThreat} in ${t.days!.toFixed(1)} d` : '—';
}

function query(): URLSearchParams {
  const q = new URLSearchParams({ date: $<HTMLInputElement>('board-date').value });
  const w = $<HTMLSelectElement>('withdraw').value;
  if (w) q.set('withdraw', w);
  const weights = TERMS.map((t) => [t, $<HTMLInputElement>(`w-${t}`).value] as const).filter(([, v]) => v !== '' && v !== '1');
  if (weights.length) q.set('weights', weights.map(([t, v]) => `${t}=${v}`).join(','));
  return q;
}

async function load(): Promise<void> {
  const q = query();
  const area = params.get('area');
  history.replaceState(null, '', `?${q}${area ? `&area=${encodeURIComponent(area)}` : ''}`);
  $('board-status').textContent = 'Loading…';
  const r = await fetch(`/api/stabilization?${q}`);
  const b = (await r.json()) as Board & { error?: string };
  if (!r.ok) {
    $('board-status').textContent = `Could not load the board: ${b.error ?? r.status}`;
    return;
  }
  $('board-status').textContent = `${b.areas.length} areas on ${b.date}. ${b.notes.join(' ')}`;
  $('th-without').hidden = !b.withdraw;
  const body = $('board').querySelector('tbody')!;
  body.replaceChildren();
  b.areas.forEach((a, i) => {
    const tr = document.createElement('tr');
    tr.dataset.area = a.id;
    const name = document.createElement('td');
    const btn = document.createElement('button');
    btn.textContent = a.name;
    btn.className = 'link';
    btn.addEventListener('click', () => showArea(a.id));
    name.append(btn);
    const terms = TERMS.map((t) => `${t} ${a.priority.terms[t]!.value.toFixed(2)}${a.priority.terms[t]!.known ? '' : '?'} — ${a.priority.terms[t]!.basis}`).join('\n');
    tr.append(cell(String(i + 1)), name, cell(a.holding.bloc ?? '—'), cell(a.holding.since ?? ''), cell(a.population ? Math.round(a.population.value).toLocaleString('en') : 'unknown'), cell(threat(a.exposure)));
    if (b.withdraw) tr.append(cell(threat(a.withdrawal), a.withdrawal?.holder ? `held by ${a.withdrawal.holder}` : undefined));
    tr.append(cell(`${a.protection.incidents} (${a.protection.fatalities} killed)${a.protection.record && a.protection.record.incidents !== a.protection.incidents ? `; ${a.protection.record.incidents} in all since ${a.protection.record.from ?? '?'}` : ''}`), cell(String(a.projects.length)), cell(a.priority.score.toFixed(3), terms));
    body.append(tr);
  });
  if (area) showArea(area);
}

function showArea(id: string): void {
  params.set('area', id);
  const q = query();
  q.set('area', id);
  history.replaceState(null, '', `?${q}`);
  const frame = $<HTMLIFrameElement>('area');
  frame.hidden = false;
  $('area-hint').hidden = true;
  frame.src = `/api/stabilization/brief.html?${q}`;
  for (const tr of $('board').querySelectorAll('tbody tr')) tr.classList.toggle('selected', (tr as HTMLElement).dataset.area === id);
}

async function init(): Promise<void> {
  const meta = (await (await fetch('/api/meta')).json()) as { lastDate: string | null; blocs: { id: string; name: string }[] };
  $<HTMLInputElement>('board-date').value = params.get('date') ?? meta.lastDate ?? new Date().toISOString().slice(0, 10);
  const sel = $<HTMLSelectElement>('withdraw');
  for (const b of meta.blocs) {
    const o = document.createElement('option');
    o.value = b.id;
    o.textContent = b.name;
    sel.append(o);
  }
  sel.value = params.get('withdraw') ?? '';
  const given = Object.fromEntries((params.get('weights') ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
  const fs = document.querySelector('fieldset.weights')!;
  for (const t of TERMS) {
    const label = document.createElement('label');
    label.textContent = `${t} `;
    const input = document.createElement('input');
    input.type = 'number';
    input.min = '0';
    input.step = '0.5';
    input.id = `w-${t}`;
    input.value = given[t] ?? '1';
    label.append(input);
    fs.append(label);
  }
  $<HTMLFormElement>('board-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void load();
  });
  await load();
}

mountSignIn(document.querySelector('header')!);
void loadMe();
void init();
