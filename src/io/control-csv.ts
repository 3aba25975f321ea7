/**
 * Frontline's control CSV: one row per observation "place P was held by actor A from date D".
 *
 *   place,actor,status,from,source,source_url,confidence,notes,id
 *   deir-ez-zor,saa,besieged,2017-01-01,"ISW Syria situation report, 2017-01-05",https://…,0.9,,
 *
 * place and actor are ids already in the store; status is held, contested or besieged; confidence 0–1
 * (default 0.8); id defaults to place:from:actor.
 */
import { isIsoDate } from '../core/dates.js';
import { CONTROL_STATUSES, type ControlObservation, type ControlStatus, type Provenance } from '../core/schemas.js';
import { clip, idField, RowErrors, type RowResult } from './convert.js';
import { columnPositions } from './csv.js';

export const CONTROL_COLUMNS = ['place', 'actor', 'status', 'from', 'source', 'source_url', 'confidence', 'notes', 'id'] as const;
export const CONTROL_REQUIRED = ['place', 'actor', 'status', 'from', 'source'] as const;
/** Columns of numbers: a negative number there is a number, not a formula (csvLine). */
export const CONTROL_NUMERIC = columnPositions(CONTROL_COLUMNS, ['confidence']);

export function controlRowToObservation(raw: (col: string) => string, provenance: Provenance): RowResult<ControlObservation> {
  const errs = new RowErrors();
  const get = (c: string): string => raw(c).trim();
  const place = idField(errs, 'place', get('place'));
  const actor = idField(errs, 'actor', get('actor'));
  const status = get('status').toLowerCase();
  if (!(CONTROL_STATUSES as readonly string[]).includes(status)) errs.add('status', `"${clip(get('status'))}" is not held, contested or besieged`);
  const from = get('from');
  if (!isIsoDate(from)) errs.add('from', `"${clip(from)}" is not a real date as YYYY-MM-DD`);
  const source = get('source');
  if (!source) errs.add('source', 'is empty: every observation needs its source');
  let confidence = 0.8;
  if (get('confidence')) {
    confidence = Number(get('confidence'));
    if (!Number.isFinite(confidence) || confidence < 0 || confidence > 1) errs.add('confidence', `"${clip(get('confidence'))}" is not a number from 0 to 1`);
  }
  const explicitId = get('id');
  const id = explicitId ? idField(errs, 'id', explicitId) : `${place}:${from}:${actor}`;
  if (!errs.ok || !place || !actor || !id) return { ok: false, errors: errs.errors };
  const url = get('source_url');
  const notes = raw('notes');
  return {
    ok: true,
    value: {
      id,
      place,
      actor,
      status: status as ControlStatus,
      from,
      source: url ? { name: source, url } : { name: source },
      confidence,
      ...(notes ? { notes } : {}),
      provenance,
    },
  };
}

export function observationToControlRow(o: ControlObservation): string[] {
  return [o.place, o.actor, o.status, o.from, o.source.name, o.source.url ?? '', String(o.confidence), o.notes ?? '', o.id];
}
