/**
 * The map's legend, as data: the same list is drawn in the page (over the map) and into the PNG export,
 * so what a reader of a published map sees is what the app shows. Text goes in as textContent only.
 */
export type Swatch =
  | { kind: 'fill'; color: string; opacity?: number }
  | { kind: 'hatch' }
  | { kind: 'line'; color: string; width: number; dash?: number[] }
  | { kind: 'circle'; color: string; radius: number; ring?: string };
export interface LegendItem {
  label: string;
  swatch: Swatch;
}
export interface LegendSection {
  id: string;
  title: string;
  items: LegendItem[];
  /** Short labels: laid out in two columns. */
  columns?: 2;
}

export interface LegendInput {
  blocs: { id: string; name: string; color: string | null }[];
  eventColors: Record<string, string>;
  unassigned: string;
  water: string;
}

export const FRONT_COLOR = '#b30000';
export const ZONE_COLOR = '#1f5fa8';

export function legendSections(m: LegendInput): LegendSection[] {
  return [
    {
      id: 'legend-areas',
      title: 'Areas of control',
      items: [
        ...m.blocs.map((b) => ({ label: b.name, swatch: { kind: 'fill' as const, color: b.color ?? '#888888', opacity: 0.5 } })),
        { label: 'No holder known', swatch: { kind: 'fill', color: m.unassigned, opacity: 0.9 } },
        { label: 'Contested or besieged (hatched)', swatch: { kind: 'hatch' } },
      ],
    },
    {
      id: 'legend-lines',
      title: 'Lines',
      columns: 2,
      items: [
        { label: 'Front line', swatch: { kind: 'line', color: FRONT_COLOR, width: 2.5 } },
        { label: 'Zone (ceasefire …)', swatch: { kind: 'line', color: ZONE_COLOR, width: 2, dash: [4, 3] } },
        { label: 'River, lake', swatch: { kind: 'line', color: m.water, width: 2.5 } },
        { label: 'Governorate border', swatch: { kind: 'line', color: '#5f5f5f', width: 1.2, dash: [6, 3, 2, 3] } },
        { label: 'District border', swatch: { kind: 'line', color: '#9a9a9a', width: 0.8, dash: [4, 3] } },
        { label: 'Road', swatch: { kind: 'line', color: '#6b6b6b', width: 1.5 } },
        { label: 'Country border', swatch: { kind: 'line', color: '#8a8a8a', width: 1 } },
      ],
    },
    {
      id: 'legend-places',
      title: 'Places (size: population)',
      columns: 2,
      items: [
        { label: 'Held (white ring)', swatch: { kind: 'circle', color: '#888888', radius: 5, ring: '#ffffff' } },
        { label: 'Contested (black ring)', swatch: { kind: 'circle', color: '#888888', radius: 5, ring: '#000000' } },
      ],
    },
    {
      id: 'legend-events',
      title: 'Events (size: killed)',
      columns: 2,
      items: [
        ...Object.entries(m.eventColors).map(([type, color]) => ({ label: type, swatch: { kind: 'circle' as const, color, radius: 5, ring: '#ffffff' } })),
        { label: 'Several (zoom in)', swatch: { kind: 'circle', color: '#555555', radius: 7, ring: '#ffffff' } },
      ],
    },
  ];
}

export function raceSections(blocs: LegendInput['blocs']): LegendSection[] {
  return [
    {
      id: 'legend-race',
      title: 'Race',
      items: [
        ...blocs.map((b) => ({ label: `First: ${b.name}`, swatch: { kind: 'fill' as const, color: b.color ?? '#888888', opacity: 0.35 } })),
        { label: 'Arrival front (tie)', swatch: { kind: 'line', color: '#222222', width: 2.5, dash: [2, 2] } },
        { label: 'Reach in 1 day', swatch: { kind: 'line', color: '#555555', width: 2.5, dash: [6, 4] } },
        { label: 'Reach in 3 days', swatch: { kind: 'line', color: '#555555', width: 1.8, dash: [6, 4] } },
        { label: 'Reach in 7 days', swatch: { kind: 'line', color: '#555555', width: 1.2, dash: [6, 4] } },
        { label: 'Route to the objective', swatch: { kind: 'line', color: '#555555', width: 4 } },
      ],
    },
  ];
}

const SVG = 'http://www.w3.org/2000/svg';
function swatchEl(s: Swatch): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', '22');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  const add = (tag: string, attrs: Record<string, string | number>): void => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    svg.append(e);
  };
  if (s.kind === 'fill') add('rect', { x: 1, y: 1, width: 20, height: 12, fill: s.color, 'fill-opacity': s.opacity ?? 1, stroke: '#0004' });
  else if (s.kind === 'hatch') {
    add('rect', { x: 1, y: 1, width: 20, height: 12, fill: '#ffffff', stroke: '#0004' });
    for (let x = -12; x < 22; x += 5) add('line', { x1: x, y1: 13, x2: x + 12, y2: 1, stroke: '#282828', 'stroke-width': 1.5, 'stroke-opacity': 0.7 });
  } else if (s.kind === 'line') add('line', { x1: 1, y1: 7, x2: 21, y2: 7, stroke: s.color, 'stroke-width': s.width, ...(s.dash ? { 'stroke-dasharray': s.dash.join(' ') } : {}) });
  else add('circle', { cx: 11, cy: 7, r: Math.min(6, s.radius), fill: s.color, stroke: s.ring ?? 'none', 'stroke-width': s.ring === '#000000' ? 2 : 1 });
  return svg;
}

function sectionEl(s: LegendSection): HTMLElement {
  // Each section folds (a reader who knows the events' colours can put them away).
  const box = document.createElement('details');
  box.id = s.id;
  box.className = 'legend-section';
  box.open = true;
  const h = document.createElement('summary');
  h.textContent = s.title;
  const ul = document.createElement('ul');
  if (s.columns === 2) ul.className = 'two';
  for (const i of s.items) {
    const li = document.createElement('li');
    const t = document.createElement('span');
    t.textContent = i.label;
    li.append(swatchEl(i.swatch), t);
    ul.append(li);
  }
  box.append(h, ul);
  return box;
}

/** The legend over the map: a collapsible box (open by default on wide screens). */
export function mountLegend(container: HTMLElement, sections: LegendSection[]): HTMLDetailsElement {
  const d = document.createElement('details');
  d.id = 'legend';
  d.open = window.innerWidth > 700;
  const summary = document.createElement('summary');
  summary.textContent = 'Legend';
  d.append(summary, ...sections.map(sectionEl));
  container.append(d);
  return d;
}

/** Show the race's part of the legend (or hide it when no race map is drawn). */
export function showRaceLegend(legend: HTMLDetailsElement, sections: LegendSection[] | null): void {
  legend.querySelector('#legend-race')?.remove();
  if (!sections) return;
  legend.append(...sections.map(sectionEl));
  // Room for the race's part: the places' and events' parts fold (a click opens them again).
  for (const id of ['legend-places', 'legend-events']) (legend.querySelector(`#${id}`) as HTMLDetailsElement | null)?.removeAttribute('open');
}

/** Draw the legend on a canvas (the PNG export); returns the height used. */
export function drawLegend(ctx: CanvasRenderingContext2D, sections: LegendSection[], x: number, y: number, width: number): number {
  const line = 16;
  let yy = y;
  ctx.textBaseline = 'middle';
  for (const s of sections) {
    ctx.font = 'bold 12px sans-serif';
    ctx.fillStyle = '#111';
    ctx.fillText(s.title, x, yy + 7, width);
    yy += line + 2;
    ctx.font = '11px sans-serif';
    for (const i of s.items) {
      const sw = i.swatch;
      ctx.save();
      if (sw.kind === 'fill') {
        ctx.globalAlpha = sw.opacity ?? 1;
        ctx.fillStyle = sw.color;
        ctx.fillRect(x, yy + 1, 20, 12);
      } else if (sw.kind === 'hatch') {
        ctx.strokeStyle = '#282828';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.rect(x, yy + 1, 20, 12);
        ctx.clip();
        for (let k = -12; k < 22; k += 5) {
          ctx.moveTo(x + k, yy + 13);
          ctx.lineTo(x + k + 12, yy + 1);
        }
        ctx.stroke();
      } else if (sw.kind === 'line') {
        ctx.strokeStyle = sw.color;
        ctx.lineWidth = sw.width;
        ctx.setLineDash(sw.dash ?? []);
        ctx.beginPath();
        ctx.moveTo(x, yy + 7);
        ctx.lineTo(x + 20, yy + 7);
        ctx.stroke();
      } else {
        ctx.fillStyle = sw.color;
        ctx.strokeStyle = sw.ring ?? 'transparent';
        ctx.lineWidth = sw.ring === '#000000' ? 2 : 1;
        ctx.beginPath();
        ctx.arc(x + 10, yy + 7, Math.min(6, sw.radius), 0, Math.PI * 2);
        ctx.fill();
        ctx.stroke();
      }
      ctx.restore();
      ctx.fillStyle = '#222';
      ctx.fillText(i.label, x + 26, yy + 7, width - 26);
      yy += line;
    }
    yy += 6;
  }
  return yy - y;
}
