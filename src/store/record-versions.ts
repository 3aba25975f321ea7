/** What every store decides the same way about versions of records. */
import { stableStringify } from './event-row.js';
import type { HistoryEntry, RecordKind } from './store.js';

/**
 * A record read again from another file is not a new version: provenance aside, nothing changed. Every
 * kind of record goes through this, so re-importing the same places or observations counts as unchanged.
 */
export function unchanged(oldDoc: string, newDoc: string, record: object): boolean {
  if (oldDoc === newDoc) return true;
  if (!('provenance' in record)) return false;
  const { provenance: _a, ...before } = JSON.parse(oldDoc) as { provenance?: unknown };
  const { provenance: _b, ...after } = record as { provenance?: unknown };
  // Key order differs between importers (a CSV row, a GeoJSON feature): compare sorted.
  return stableStringify(before) === stableStringify(after);
}

/**
 * The current version of a record as the last entry of its history. A retraction is recorded in the
 * record itself (an event's status, an observation's `retracted`), so the entry says so from there.
 */
export function currentEntry(kind: RecordKind, id: string, version: number, at: string, by: string, record: Record<string, unknown>): HistoryEntry {
  const retracted = record.status === 'retracted' || Boolean(record.retracted);
  const reason = (record.retracted as { reason?: string } | undefined)?.reason ?? (record.attributes as Record<string, string> | undefined)?.['frontline:retracted_reason'] ?? null;
  return { kind, id, version, op: retracted ? 'retract' : version === 1 ? 'create' : 'update', at, by, reason: retracted ? reason : null, record };
}
