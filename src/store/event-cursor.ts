/**
 * Cursors of event pages, shared by the stores: events come in (day, storage key) order, and a cursor is
 * the last pair a page gave. It is opaque to callers (base64url of JSON) and checked when it comes back.
 */
import { ConflictError } from '../core/errors.js';
import { rowToEvent, type EventRow } from './event-row.js';
import type { EventPage } from './store.js';

export interface EventCursor {
  day: number;
  key: number;
}

export function encodeCursor(c: EventCursor): string {
  return Buffer.from(JSON.stringify([c.day, c.key])).toString('base64url');
}

export function decodeCursor(s: string): EventCursor {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && Number.isInteger(v[0]) && Number.isInteger(v[1])) return { day: v[0] as number, key: v[1] as number };
  } catch {
    // fall through to the error below
  }
  throw new ConflictError(`"${s}" is not a cursor from this store: pass the "next" value of the previous page`);
}

/** A page of rows read with their storage key last (one more than `limit` when more follow), and its cursor. */
export function pageOf(rows: EventRow[], limit: number): EventPage {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    events: page.map((r) => rowToEvent(r.slice(0, -1))),
    next: more && last ? encodeCursor({ day: last[1] as number, key: last[last.length - 1] as number }) : null,
  };
}
