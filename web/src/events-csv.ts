/**
 * The events shown on the map as CSV, for the "CSV" button. Numbers go as they are; text that a
 * spreadsheet would run as a formula gets a leading quote and quotes (neutralizeCell, as in every CSV the
 * server writes: docs/formats.md). Drafts, when an analyst shows them, say so in a status column.
 */
import { neutralizeCell } from '../../src/core/csv-cell.js';

const FIELDS = ['id', 'date', 'type', 'subType', 'actor1', 'actor2', 'location', 'best'] as const;

function cell(v: unknown): string {
  if (typeof v === 'number') return String(v);
  const raw = v === null || v === undefined ? '' : String(v);
  const s = neutralizeCell(raw);
  return s !== raw || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function eventsCsv(features: readonly GeoJSON.Feature[]): string {
  const withStatus = features.some((f) => (f.properties as Record<string, unknown> | null)?.draft === true);
  const lines = [[...FIELDS, 'longitude', 'latitude', ...(withStatus ? ['status'] : [])].join(',')];
  for (const f of features) {
    const p = (f.properties ?? {}) as Record<string, unknown>;
    const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates;
    lines.push([...FIELDS.map((k) => cell(p[k])), cell(lon), cell(lat), ...(withStatus ? [p.draft === true ? 'draft' : 'reviewed'] : [])].join(','));
  }
  return `${lines.join('\n')}\n`;
}
