/**
 * Which statuses an event query reads, the same in every store. By default reviewed events only: drafts
 * (extracted from documents, not yet accepted) and retracted events stay out of every read, count,
 * export and briefing unless the caller asks for them (decision 0028).
 */
import type { ConflictEvent } from '../core/schemas.js';
import type { EventQuery } from './store.js';

export type EventStatus = ConflictEvent['status'];

export function queryStatuses(q: Pick<EventQuery, 'status' | 'includeDrafts' | 'includeRetracted'>): EventStatus[] {
  if (q.status) return [q.status];
  return ['reviewed', ...(q.includeDrafts ? (['draft'] as const) : []), ...(q.includeRetracted ? (['retracted'] as const) : [])];
}
