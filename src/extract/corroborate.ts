/**
 * Drafts against what the store already knows (issue 7, §4): a draft that tells an event already there
 * (same type, sides that fit, within 25 km and 3 days by default) is a corroborating source for it, not
 * a new event. An undated draft ("at least four incidents in which coalition planes bombed regime
 * convoys") that fits known events of the months before publication takes its date and place from the
 * latest of them, marked as inferred.
 */
import { haversineKm } from '../geo/measure.js';
import { addDays, dayNumber, type IsoDate } from '../core/dates.js';
import type { ConflictEvent } from '../core/schemas.js';
import type { DraftEvent } from './extract.js';

export interface CorroborationRule {
  km: number;
  days: number;
  /** How far back an undated draft looks for the event it tells. */
  undatedDays: number;
}

export const DEFAULT_CORROBORATION: CorroborationRule = { km: 25, days: 3, undatedDays: 92 };


/** The window of dates a draft can mean, by its precision. */
export function draftWindow(d: DraftEvent, rule: CorroborationRule = DEFAULT_CORROBORATION): [IsoDate, IsoDate] {
  if (d.datePrecision === 'month') return [d.date.slice(0, 8) + '01', addDays(`${d.date.slice(0, 7)}-28`, 3)];
  if (d.datePrecision === 'week') return [addDays(d.date, -7), addDays(d.date, 7)];
  if (d.datePrecision === 'year') return [addDays(d.date, -rule.undatedDays), d.date];
  return [addDays(d.date, -rule.days), addDays(d.date, rule.days)];
}

/** Known events a draft tells, closest first. `blocOf` gives an actor's bloc on a date. */
export function corroborating(d: DraftEvent, known: readonly ConflictEvent[], blocOf: (actor: string | null, date: IsoDate) => string | null, rule: CorroborationRule = DEFAULT_CORROBORATION, useDistance = true): ConflictEvent[] {
  const [from, to] = draftWindow(d, rule);
  const sides = [d.bloc1, d.bloc2].filter((b): b is string => Boolean(b));
  const out: { e: ConflictEvent; score: number }[] = [];
  for (const e of known) {
    if (e.status === 'retracted' || e.type !== d.type || e.date < from || e.date > to) continue;
    const theirs = new Set([blocOf(e.actor1Id, e.date), blocOf(e.actor2Id, e.date)].filter(Boolean));
    // Sides fit when each side the draft names is one of the known event's.
    if (!sides.length || !sides.every((b) => theirs.has(b))) continue;
    // Who took ground is not interchangeable with who lost it.
    if (d.type === 'Battles' && d.subType !== 'Armed clash' && d.bloc1 && blocOf(e.actor1Id, e.date) !== d.bloc1) continue;
    const km = d.lat !== null && d.lon !== null ? haversineKm(d.lon, d.lat, e.lon, e.lat) : 0;
    // A draft placed only near a town, or only by the region, may be farther from the event it tells.
    if (useDistance && km > rule.km * (d.geoPrecision === 3 ? 4 : d.geoPrecision === 2 ? 2 : 1)) continue;
    out.push({ e, score: km + Math.abs(dayNumber(e.date) - dayNumber(d.date)) });
  }
  return out.sort((a, b) => a.score - b.score).map((x) => x.e);
}

/**
 * An undated draft dated by the known events it fits (place ignored: the text did not say it). Null when
 * none fits. The latest fitting event gives date and place; all of them are listed.
 */
export function dateByKnownEvents(d: DraftEvent, known: readonly ConflictEvent[], blocOf: (actor: string | null, date: IsoDate) => string | null, rule: CorroborationRule = DEFAULT_CORROBORATION): { draft: DraftEvent; matches: ConflictEvent[] } | null {
  const matches = corroborating(d, known, blocOf, rule, false).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const latest = matches[0];
  if (!latest) return null;
  const first = matches.at(-1)!;
  return {
    draft: {
      ...d,
      date: latest.date,
      datePrecision: first.date.slice(0, 7) === latest.date.slice(0, 7) ? 'month' : 'year',
      place: latest.location || d.place,
      placeId: latest.place ?? d.placeId,
      location: latest.location || d.location,
      lat: latest.lat,
      lon: latest.lon,
      geoPrecision: 3,
      evidence: [...d.evidence, { field: 'dated-by', text: matches.map((m) => `${m.id} (${m.date})`).join(', '), span: d.span }],
    },
    matches,
  };
}
