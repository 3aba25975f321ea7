/**
 * Briefings (issue 8, §7): one HTML page per area (or all areas in one document) with a map, the control
 * history, charts of the indicators, projects and councils, exposure, the priority with its terms, and
 * the source of every figure. The PDF is the same HTML printed by headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addDays, fromDayNumber, type IsoDate } from '../core/dates.js';
import { FrontlineError } from '../core/errors.js';
import { httpUrl } from '../core/links.js';
import { blocColors, NO_HOLDER_COLOR } from '../core/bloc-colors.js';
import { INDICATORS, type Bloc, type ControlObservation, type Indicator, type IndicatorKind, type SourceRef } from '../core/schemas.js';
import type { ControlModel } from '../control/model.js';
import type { MultiPolygonCoords } from '../geo/measure.js';
import type { AreaReport, Board } from './board.js';
import { holdingHistory, resolveArea } from './areas.js';
import { indicatorSeries, TERMS } from './priorities.js';
import { briefMap, esc, FRONT, holdingStrip, lineChart, WATER } from './svg.js';
import { areaFeatures, contestedFeatures } from '../control/geojson.js';
import { referenceFeatures } from '../geo/reference-layers.js';
import { countriesAround } from '../control/map-svg.js';

const FALLBACK = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export interface BriefInput {
  board: Board;
  model: ControlModel;
  blocs: readonly Bloc[];
  indicators: readonly Indicator[];
  /** The first date the history and charts show (default a year before the board's date). */
  from?: IsoDate;
  /** The control observations, for the sources of who holds each place (listed under Sources). */
  observations?: readonly ControlObservation[];
}

function colorOf(blocs: readonly Bloc[], bloc: string | null): string {
  if (!bloc) return NO_HOLDER_COLOR;
  return blocColors(blocs)[bloc] ?? NO_HOLDER_COLOR;
}

/** A source: its URL a link only if it is http(s) (src/core/links.ts), else plain text. */
/** A bloc's name for readers (its id if the store has no such bloc). */
function blocName(blocs: readonly Bloc[], bloc: string | null): string {
  return bloc === null ? 'no one' : (blocs.find((b) => b.id === bloc)?.name ?? bloc);
}

export function sourceText(s: SourceRef): string {
  const href = httpUrl(s.url);
  return `${esc(s.name)}${s.published ? `, ${esc(s.published)}` : ''}${href ? ` — <a href="${esc(href)}">${esc(s.url!)}</a>` : s.url ? ` — ${esc(s.url)}` : ''}`;
}

/** The window's count and, when it differs, the area's whole record: "0 in the window" never hides earlier incidents. */
export function incidentsText(a: AreaReport): string {
  const p = a.protection;
  const plural = (k: number): string => `${k} incident${k === 1 ? '' : 's'}`;
  const win = `${plural(p.incidents)} from ${esc(p.from)} to ${esc(p.to)}, ${p.fatalities} killed`;
  if (p.record.incidents === p.incidents) return win;
  return `${win}; ${plural(p.record.incidents)} in all since ${esc(p.record.from ?? '')}, ${p.record.fatalities} killed`;
}

/** Whether any point of nested coordinates lies in the box. */
function anyIn(c: unknown, box: readonly number[]): boolean {
  if (typeof (c as number[])[0] === 'number') {
    const [x, y] = c as number[];
    return x! >= box[0]! && x! <= box[2]! && y! >= box[1]! && y! <= box[3]!;
  }
  return (c as unknown[]).some((d) => anyIn(d, box));
}

const n = (x: number | null | undefined): string => (x === null || x === undefined ? 'unknown' : Math.round(x).toLocaleString('en'));

function areaSection(a: AreaReport, input: BriefInput, from: IsoDate): string {
  const { board, model, blocs, indicators } = input;
  const date = board.date;
  const mine = indicators.filter((i) => i.area === a.id);
  const r = resolveArea(a.area, model.places);
  // The map: control areas, contested land, front lines, rivers and lakes, governorate borders; the
  // area's places ringed, other places by holder; labels placed without overlap (src/stabilize/svg.ts).
  const own = new Set(a.places.map((p) => p.id));
  const pts = a.places.length ? a.places.map((p) => model.places.find((x) => x.id === p.id)!) : [];
  const lons = pts.map((p) => p.lon), lats = pts.map((p) => p.lat);
  // At least ~1.6° across, so that the area is seen with its surroundings and the nearest fronts.
  const cx = pts.length ? (Math.min(...lons) + Math.max(...lons)) / 2 : 38.5, cy = pts.length ? (Math.min(...lats) + Math.max(...lats)) / 2 : 35;
  const hw = Math.max(0.8, (pts.length ? Math.max(...lons) - Math.min(...lons) : 7) / 2 + 0.45), hh = Math.max(0.6, (pts.length ? Math.max(...lats) - Math.min(...lats) : 5.5) / 2 + 0.35);
  const box: [number, number, number, number] = [cx - hw, cy - hh, cx + hw, cy + hh];
  const inBox = (p: { lon: number; lat: number }): boolean => p.lon >= box[0] && p.lon <= box[2] && p.lat >= box[1] && p.lat <= box[3];
  const state = model.stateAt(date);
  const palette = blocColors(blocs);
  const areas = areaFeatures(model, state).filter((f) => f.properties.bloc !== 'unassigned');
  const contested = contestedFeatures(model, state).map((f) => f.geometry.coordinates as MultiPolygonCoords);
  const fronts = model.frontLines(state).flatMap((f) => f.lines as number[][][]);
  const reference = referenceFeatures([box[0] - 0.5, box[1] - 0.5, box[2] + 0.5, box[3] + 0.5]);
  const points = model.places
    .flatMap((p, i) => {
      if (p.lon < box[0] - 0.2 || p.lon > box[2] + 0.2 || p.lat < box[1] - 0.2 || p.lat > box[3] + 0.2) return [];
      const b = state.placeBloc[i]!;
      const isOwn = own.has(p.id);
      return [{ lon: p.lon, lat: p.lat, color: colorOf(blocs, b >= 0 ? model.blocIds[b]! : null), size: isOwn ? 5.5 : 2 + Math.min(3, Math.sqrt((p.population ?? 0) / 40000)), own: isOwn, label: p.name, population: p.population ?? 0 }];
    })
    // Labels are placed in this order: the area's places, then by population.
    .sort((x, y) => Number(y.own) - Number(x.own) || y.population - x.population);
  const map = briefMap({ title: `${a.name}: control on ${date}`, box, land: model.grid.land, countries: countriesAround(box), areas: areas.map((f) => ({ color: palette[String(f.properties.bloc)] ?? NO_HOLDER_COLOR, coords: f.geometry.coordinates as MultiPolygonCoords })), contested, fronts, reference, area: r.coords as MultiPolygonCoords | null, points });
  // The legend: every bloc whose land or places the map shows, by name, and every kind of mark drawn.
  const seen = new Set<string>();
  for (const f of areas) if (anyIn(f.geometry.coordinates, box)) seen.add(String(f.properties.bloc));
  model.places.forEach((p, i) => inBox(p) && state.placeBloc[i]! >= 0 && seen.add(model.blocIds[state.placeBloc[i]!]!));
  const key = (swatch: string, label: string): string => `<span class="key">${swatch}${esc(label)}</span>`;
  const box12 = (fill: string, extra = ''): string => `<svg width="14" height="10" aria-hidden="true"><rect x="0.5" y="0.5" width="13" height="9" fill="${fill}" ${extra}/></svg>`;
  const line12 = (stroke: string, width: number, dash = ''): string => `<svg width="18" height="10" aria-hidden="true"><line x1="1" y1="5" x2="17" y2="5" stroke="${stroke}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/></svg>`;
  const legend = [
    ...blocs.filter((b) => seen.has(b.id)).map((b) => key(box12(palette[b.id]!, 'fill-opacity="0.55" stroke="#0004"'), b.name)),
    ...(contested.length ? [key('<svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" fill="#fff" stroke="#0004"/><path d="M0,10L10,0M4,10L14,0M-4,6L2,0" stroke="#282828" stroke-width="1.4" stroke-opacity="0.6"/></svg>', 'contested or besieged')] : []),
    ...(fronts.length ? [key(line12(FRONT, 2.2), 'front line')] : []),
    key(line12(WATER, 2), 'river, lake'),
    key(line12('#5f5f5f', 1, '5 2 1 2'), 'governorate border'),
    ...(r.coords ? [key(line12('#111', 2, '5 3'), 'the area')] : []),
    key('<svg width="14" height="12" aria-hidden="true"><circle cx="7" cy="6" r="4.5" fill="#888" stroke="#111" stroke-width="2"/></svg>', "the area's places (ringed); other places by holder, size by population"),
  ].join(' ');
  const spans = holdingHistory(model, r, from, date).map((s) => ({ ...s, color: colorOf(blocs, s.bloc) }));
  const strip = holdingStrip(spans, { from, to: date });
  const people = lineChart(
    (['population', 'returnees', 'idps'] as IndicatorKind[]).map((k, i) => ({ label: k, color: FALLBACK[i]!, points: indicatorSeries(mine, k, date).map((f) => ({ date: f.date, value: f.value })) })),
    { title: 'People: population, returnees, displaced', from, to: date },
  );
  const damage = lineChart([{ label: 'damage', color: '#e15759', points: indicatorSeries(mine, 'damage', date).map((f) => ({ date: f.date, value: f.value })) }, ...(['water', 'electricity', 'health', 'schools'] as IndicatorKind[]).map((k, i) => ({ label: `${k} working`, color: FALLBACK[(i + 3) % FALLBACK.length]!, points: indicatorSeries(mine, k, date).filter((f) => f.total).map((f) => ({ date: f.date, value: f.value / f.total! })) }))], { title: 'Damage and services working (shares)', from, to: date, percent: true });
  const figures = Object.entries(a.latest)
    .map(([k, f]) => `<tr><th scope="row">${esc(k)}</th><td>${k === 'damage' ? `${Math.round(f.value * 100)}%` : `${n(f.value)}${f.total !== undefined ? ` of ${n(f.total)}` : ''}`}</td><td>${esc(f.date)}</td><td>${sourceText(f.source)}</td></tr>`)
    .join('');
  const threatRows = (e: AreaReport['exposure']): string => (e && e.threats.length ? e.threats.map((t) => `<li>${esc(t.bloc)}: ${t.days.toFixed(1)} days</li>`).join('') : '<li>no hostile bloc can reach it on the roads</li>');
  const holder = a.holding;
  return `<section class="area" id="area-${esc(a.id)}">
  <h2>${esc(a.name)}</h2>
  <p class="lead">Held by <strong>${esc(blocName(blocs, holder.bloc))}</strong>${holder.since ? ` since ${esc(holder.since)}` : ''}${holder.previous ? ` (before: ${esc(blocName(blocs, holder.previous))})` : ''}. ${a.places.length} place${a.places.length === 1 ? '' : 's'}; population ${n(a.population?.value)}${a.population ? ` (${a.population.basis === 'estimate' ? `estimate, ${sourceText(a.population.source)}, ${esc(a.population.date)}` : esc(a.population.source.name)})` : ''}. Priority <strong>${a.priority.score.toFixed(3)}</strong>.</p>
  <div class="grid"><figure>${map}<figcaption>${legend}<br>Control on ${esc(date)} from the store's observations; land, rivers, lakes: Natural Earth (public domain); governorate borders: OCHA COD-AB (CC BY-IGO); places: GeoNames (CC BY 4.0).</figcaption></figure>
  <div><h3>Control history</h3>${strip}
  <h3>Exposure on ${esc(date)}</h3><ul>${threatRows(a.exposure)}</ul>
  ${board.withdraw ? `<h3>If ${esc(board.withdraw)} withdraws</h3><p>Held by ${esc(a.withdrawal?.holder ?? holder.bloc ?? 'no one')}; could be reached by:</p><ul>${threatRows(a.withdrawal)}</ul>` : ''}
  <h3>Protection incidents</h3><p>${incidentsText(a)} — counted from the events in the store (attacks on civilians, explosions, abductions).</p>
  ${a.protection.events.length ? `<ul class="small">${a.protection.events.slice(0, 8).map((e) => `<li>${esc(e.date)} ${esc(e.subType)}, ${esc(e.location)}${e.fatalities ? `, ${e.fatalities} killed` : ''} (event ${esc(e.id)})</li>`).join('')}</ul>` : ''}
  </div></div>
  <h3>Figures</h3>
  ${figures ? `<table><thead><tr><th>indicator</th><th>value</th><th>date</th><th>source</th></tr></thead><tbody>${figures}</tbody></table>` : '<p>No figures recorded for this area: unknown, not zero.</p>'}
  ${mine.some((i) => i.date <= date) ? `<div class="grid">${people}${damage}</div>` : ''}
  <h3>Priority</h3>
  <table><thead><tr><th>term</th><th>value</th><th>weight</th><th>from</th></tr></thead><tbody>${TERMS.map((t) => `<tr><th scope="row">${t}</th><td>${a.priority.terms[t].value.toFixed(3)}${a.priority.terms[t].known ? '' : ' (unknown)'}</td><td>${a.priority.weights[t]}</td><td>${esc(a.priority.terms[t].basis)}</td></tr>`).join('')}</tbody></table>
  <h3>Projects</h3>
  ${a.projects.length ? `<table><thead><tr><th>project</th><th>sector</th><th>status</th><th>progress</th><th>budget (USD)</th><th>implementer / funder</th><th>dates</th><th>source</th></tr></thead><tbody>${a.projects.map((p) => `<tr><td>${esc(p.title)}</td><td>${esc(p.sector)}</td><td>${esc(p.status)}</td><td>${p.progress === null ? '' : `${Math.round(p.progress * 100)}%`}</td><td>${p.budgetUsd === null ? '' : n(p.budgetUsd)}</td><td>${esc(p.implementer)} / ${esc(p.funder)}</td><td>${esc(p.start ?? '')}–${esc(p.end ?? '')}</td><td>${sourceText(p.source)}</td></tr>`).join('')}</tbody></table>
  <p class="small">By sector: ${a.sectors.map((s) => `${esc(s.sector)} ${s.projects} (${Object.entries(s.byStatus).map(([k, v]) => `${v} ${esc(k)}`).join(', ')}${s.progress !== null ? `, ${Math.round(s.progress * 100)}% done` : ''})`).join('; ')}</p>` : '<p>No projects recorded.</p>'}
  <h3>Local governance</h3>
  ${a.councils.length ? `<ul>${a.councils.map((c) => `<li><strong>${esc(c.name)}</strong>, formed ${esc(c.formed)}${c.composition ? `: ${esc(c.composition)}` : ''}${c.recognition ? `. Recognition: ${esc(c.recognition)}` : ''} (${sourceText(c.source)})</li>`).join('')}</ul>` : '<p>No council recorded.</p>'}
  ${a.sources.length ? `<p class="small">About the area: ${a.sources.map(sourceText).join('; ')}</p>` : ''}
</section>`;
}

/** Where every figure comes from: control (the observations that decide each place's holder), events, indicators, the map's layers. */
function sourcesSection(input: BriefInput): string {
  const { board, model } = input;
  const byId = new Map((input.observations ?? []).map((o) => [o.id, o]));
  const control = new Map<string, SourceRef>();
  for (const a of board.areas)
    for (const p of a.places) {
      const h = model.timeline.holdingAt(p.id, board.date);
      const o = h ? byId.get(h.observation) : undefined;
      if (o) control.set(`${o.source.name}|${o.source.url ?? ''}`, o.source);
    }
  const figures = new Map<string, SourceRef>();
  for (const a of board.areas) for (const f of Object.values(a.latest)) figures.set(`${f.source.name}|${f.source.url ?? ''}`, f.source);
  const events = board.areas.flatMap((a) => a.protection.events.map((e) => e.id));
  const list = (m: Map<string, SourceRef>): string => [...m.values()].sort((x, y) => x.name.localeCompare(y.name)).map((x) => `<li>${sourceText(x)}</li>`).join('');
  return `<ul class="small">
<li><strong>Control</strong> (who holds each place on ${esc(board.date)}): ${control.size ? `<ul>${list(control)}</ul>` : 'the store\'s control observations (each cites its source: frontline history control …).'}</li>
<li><strong>Protection incidents</strong>: the store's events${events.length ? ` (${events.map(esc).join(', ')}; each with its sources: frontline history event ID)` : ''}.</li>
${figures.size ? `<li><strong>Figures</strong>: <ul>${list(figures)}</ul></li>` : ''}
<li><strong>Maps</strong>: land and country borders, rivers and lakes — Natural Earth 1:10m and 1:50m (public domain); governorate borders — OCHA Syria COD-AB v02 (CC BY-IGO, attribute OCHA); places — GeoNames (CC BY 4.0) and the demo's sourced places; areas of control computed by Frontline from the observations (docs/control.md).</li>
<li><strong>Exposure</strong>: the race engine over the store's road network (docs/routing.md)${board.withdraw ? `, with ${esc(board.withdraw)} withdrawn` : ''}.</li>
</ul>`;
}

export function briefHtml(input: BriefInput): string {
  // A year back, but not before the control data begins (before it the history would be blank).
  const first = input.model.timeline.firstDay;
  const yearBack = addDays(input.board.date, -365);
  const from = input.from ?? (first !== null && fromDayNumber(first) > yearBack ? fromDayNumber(first) : yearBack);
  const areas = input.board.areas;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stabilization briefing, ${esc(input.board.date)}</title>
<style>
body { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1d1d1d; margin: 1.5rem; font-size: 12px; }
h1 { font-size: 20px; margin: 0 0 0.2rem; } h2 { font-size: 17px; border-bottom: 2px solid #1f5fa8; padding-bottom: 2px; margin-top: 1.2rem; }
h3 { font-size: 13px; margin: 0.8rem 0 0.3rem; } .lead { font-size: 13px; } .small { font-size: 11px; color: #333; }
table { border-collapse: collapse; width: 100%; margin: 0.2rem 0 0.5rem; } th, td { border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left; vertical-align: top; }
.grid { display: flex; gap: 1rem; flex-wrap: wrap; align-items: flex-start; } figure { margin: 0; } figcaption { font-size: 10px; color: #555; }
.key { white-space: nowrap; margin-right: 0.5rem; display: inline-block; } .key svg { vertical-align: -1px; margin-right: 3px; }
figure { max-width: 560px; }
.area { break-before: page; } .area:first-of-type { break-before: auto; } svg { max-width: 100%; height: auto; }
@page { size: A4; margin: 12mm; }
</style></head><body>
<h1>Stabilization briefing — ${esc(input.board.date)}</h1>
<p class="small">${areas.length} area${areas.length === 1 ? '' : 's'}, ranked by priority (weights ${TERMS.map((t) => `${t} ${input.board.weights[t]}`).join(', ')}); protection incidents over the ${input.board.windowDays} days before the date. ${input.board.notes.map(esc).join(' ')} Unknown figures are shown as unknown, never as zero. Indicators: ${Object.entries(INDICATORS).map(([k, v]) => `${esc(k)} — ${esc(v)}`).slice(0, 3).join('; ')} ….</p>
<table><thead><tr><th>#</th><th>area</th><th>held by</th><th>since</th><th>population</th><th>first threat</th><th>incidents</th><th>priority</th></tr></thead><tbody>
${areas.map((a, i) => `<tr><td>${i + 1}</td><td><a href="#area-${esc(a.id)}">${esc(a.name)}</a></td><td>${esc(a.holding.bloc ? blocName(input.blocs, a.holding.bloc) : '—')}</td><td>${esc(a.holding.since ?? '')}</td><td>${n(a.population?.value)}</td><td>${a.exposure?.firstThreat ? `${esc(a.exposure.firstThreat)} in ${a.exposure.days!.toFixed(1)} d` : '—'}</td><td>${a.protection.incidents}${a.protection.record.incidents !== a.protection.incidents ? ` (${a.protection.record.incidents} in all)` : ''}</td><td>${a.priority.score.toFixed(3)}</td></tr>`).join('')}
</tbody></table>
${areas.map((a) => areaSection(a, input, from)).join('\n')}
<h2>Sources</h2>
${sourcesSection(input)}
<p class="small">Made by Frontline from the store's data; every record cites its source.</p>
</body></html>`;
}

export const CHROMIUM = process.env.FRONTLINE_CHROMIUM ?? '/usr/bin/chromium';

/** Print HTML to PDF with headless Chromium (Debian's `chromium`); nothing is fetched from the network. */
export function printPdf(html: string, out: string): void {
  if (!existsSync(CHROMIUM)) throw new FrontlineError(`a PDF needs Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set FRONTLINE_CHROMIUM): write HTML instead (--out FILE.html)`);
  const dir = mkdtempSync(join(tmpdir(), 'frontline-brief-'));
  try {
    const page = join(dir, 'brief.html');
    writeFileSync(page, html);
    const r = spawnSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${resolve(out)}`, `file://${page}`], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0 || !existsSync(out)) throw new FrontlineError(`Chromium could not print the PDF (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join(' ') || 'no message'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
