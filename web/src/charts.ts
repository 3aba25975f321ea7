/**
 * Charts of the map's data (Observable Plot): people under each bloc over time, events a week by type,
 * and people killed a week, each with a rule at the map's date. The event charts follow the filters.
 * Charts are drawn when their data changes; when only the date moves, only the rule moves (dateRule).
 */
import * as Plot from '@observablehq/plot';

export interface SeriesRow { date: string; bloc: string; population: number; areaKm2: number; places: number }
export interface Week { week: string; byType: Record<string, number>; events: number; fatalities: number }

const d = (s: string): Date => new Date(`${s}T00:00:00Z`);
const WIDTH = 310;

export function populationChart(rows: readonly SeriesRow[], colors: Record<string, string>): Element {
  const blocs = [...new Set(rows.map((r) => r.bloc))].filter((b) => b !== 'unaffiliated');
  return Plot.plot({
    width: WIDTH,
    height: 190,
    marginLeft: 48,
    style: { fontSize: '10px' },
    caption: 'People under each bloc (weekly)',
    x: { type: 'utc', label: null },
    y: { label: 'people', grid: true, tickFormat: '~s' },
    color: { domain: blocs, range: blocs.map((b) => colors[b] ?? '#888888'), legend: true },
    marks: [
      Plot.lineY(rows.filter((r) => blocs.includes(r.bloc)), { x: (r: SeriesRow) => d(r.date), y: 'population', stroke: 'bloc', strokeWidth: 2 }),
    ],
  });
}

export function eventsChart(weeks: readonly Week[], colors: Record<string, string>): Element {
  const flat = weeks.flatMap((w) => Object.entries(w.byType).map(([type, n]) => ({ week: d(w.week), type, n })));
  const types = Object.keys(colors).filter((t) => flat.some((f) => f.type === t));
  return Plot.plot({
    width: WIDTH,
    height: 190,
    marginLeft: 36,
    style: { fontSize: '10px' },
    caption: 'Events a week, by type (with the filters)',
    x: { type: 'utc', label: null },
    y: { label: 'events', grid: true },
    color: { domain: types, range: types.map((t) => colors[t]!), legend: true },
    marks: [Plot.rectY(flat, { x: 'week', interval: 'week', y: 'n', fill: 'type' }), Plot.ruleY([0])],
  });
}

export function fatalitiesChart(weeks: readonly Week[]): Element {
  return Plot.plot({
    width: WIDTH,
    height: 150,
    marginLeft: 36,
    style: { fontSize: '10px' },
    caption: 'People killed a week (best estimates, with the filters)',
    x: { type: 'utc', label: null },
    y: { label: 'killed', grid: true },
    marks: [Plot.areaY(weeks, { x: (w: Week) => d(w.week), y: 'fatalities', fill: '#c0392b', fillOpacity: 0.25 }), Plot.lineY(weeks, { x: (w: Week) => d(w.week), y: 'fatalities', stroke: '#c0392b' }), Plot.ruleY([0])],
  });
}

/** Put (or move) the dashed rule at the date on a chart drawn above: no redraw. */
export function dateRule(chart: Element, date: string): void {
  const x = (chart as unknown as Plot.Plot).scale('x');
  const svg = chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg');
  if (!x || !svg) return;
  let line = svg.querySelector('line.date-rule');
  if (!line) {
    line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
    line.setAttribute('class', 'date-rule');
    line.setAttribute('stroke', '#111');
    line.setAttribute('stroke-dasharray', '3 2');
    line.setAttribute('y1', '0');
    line.setAttribute('y2', String((svg as SVGSVGElement).viewBox.baseVal?.height || svg.getAttribute('height') || 150));
    svg.append(line);
  }
  const px = String(x.apply(d(date)));
  line.setAttribute('x1', px);
  line.setAttribute('x2', px);
}
