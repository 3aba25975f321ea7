import { controlAt, tallyByBloc, type BlocTally } from '../core/control.js';
import type { IsoDate } from '../core/dates.js';
import type { Store } from '../store/store.js';

export interface StoreSummary {
  date: IsoDate;
  blocs: { id: string; name: string; members: string[] }[];
  control: BlocTally[];
  placesWithoutObservation: number;
  events: { total: number; byType: Record<string, number>; fatalities: number };
  zones: { id: string; name: string; kind: string; from: string | null }[];
  objectives: { id: string; name: string; holder: string | null; status: string | null }[];
}

/** What a newcomer wants to see first: who the sides are, who holds what and how many people, what happened. */
export async function summarize(store: Store, date: IsoDate): Promise<StoreSummary> {
  const [blocs, places, observations, zones, objectives] = await Promise.all([
    store.listBlocs(),
    store.listPlaces(),
    store.listControlObservations({ until: date }),
    store.listZones(),
    store.listObjectives(),
  ]);
  const holdings = controlAt(observations, date);
  const byType = await store.countEventsBy('type', { until: date });
  const fatalities = await store.sumFatalities({ until: date });
  return {
    date,
    blocs: blocs.map((b) => ({ id: b.id, name: b.name, members: b.members.filter((m) => (!m.from || m.from <= date) && (!m.to || date <= m.to)).map((m) => m.actor) })),
    control: tallyByBloc(places, holdings, blocs, date),
    placesWithoutObservation: places.filter((p) => !holdings.has(p.id)).length,
    events: { total: Object.values(byType).reduce((a, b) => a + b, 0), byType, fatalities },
    zones: zones.map((z) => ({ id: z.id, name: z.name, kind: z.kind, from: z.from ?? null })),
    objectives: objectives.map((o) => {
      const h = o.place ? holdings.get(o.place) : undefined;
      return { id: o.id, name: o.name, holder: h?.actor ?? null, status: h?.status ?? null };
    }),
  };
}

export function formatSummary(s: StoreSummary): string {
  const lines: string[] = [];
  const n = (x: number): string => x.toLocaleString('en-US');
  lines.push(`Frontline — situation on ${s.date}`, '');
  lines.push('Blocs');
  for (const b of s.blocs) lines.push(`  ${b.id.padEnd(11)} ${b.name} (${b.members.join(', ')})`);
  lines.push('', 'Control of places (population: where GeoNames knows it)');
  lines.push(`  ${'bloc'.padEnd(13)}${'places'.padStart(7)}${'population'.padStart(13)}${'contested'.padStart(11)}${'besieged'.padStart(10)}`);
  for (const t of s.control) lines.push(`  ${t.bloc.padEnd(13)}${n(t.places).padStart(7)}${n(t.population).padStart(13)}${n(t.contested).padStart(11)}${n(t.besieged).padStart(10)}`);
  if (s.placesWithoutObservation) lines.push(`  (${s.placesWithoutObservation} places have no observation on or before this date)`);
  lines.push('', 'Objectives');
  for (const o of s.objectives) lines.push(`  ${o.name.padEnd(36)} ${o.holder ? `${o.holder}${o.status && o.status !== 'held' ? ` (${o.status})` : ''}` : 'unknown'}`);
  lines.push('', `Events up to ${s.date}: ${n(s.events.total)} (${n(s.events.fatalities)} reported deaths)`);
  for (const [t, c] of Object.entries(s.events.byType)) lines.push(`  ${t.padEnd(30)} ${n(c).padStart(6)}`);
  lines.push('', 'Zones');
  for (const z of s.zones) lines.push(`  ${z.kind.padEnd(14)} ${z.name}${z.from ? ` (from ${z.from})` : ''}`);
  return lines.join('\n');
}
