/**
 * ACLED's event taxonomy (ACLED Codebook, 2023 edition): six event types, each with its sub-event types.
 * Importers accept exactly these (case-insensitively) so that counts by type mean the same in every store.
 */
export const ACLED_TAXONOMY = {
  Battles: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  'Explosions/Remote violence': [
    'Chemical weapon',
    'Air/drone strike',
    'Suicide bomb',
    'Shelling/artillery/missile attack',
    'Remote explosive/landmine/IED',
    'Grenade',
  ],
  'Violence against civilians': ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
  Protests: ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
  Riots: ['Violent demonstration', 'Mob violence'],
  'Strategic developments': [
    'Agreement',
    'Arrests',
    'Change to group/activity',
    'Disrupted weapons use',
    'Headquarters or base established',
    'Looting/property destruction',
    'Non-violent transfer of territory',
    'Other',
  ],
} as const satisfies Record<string, readonly string[]>;

export type EventType = keyof typeof ACLED_TAXONOMY;
export const EVENT_TYPES = Object.keys(ACLED_TAXONOMY) as EventType[];
export const SUB_EVENT_TYPES: readonly string[] = Object.values(ACLED_TAXONOMY).flat();

export const DISORDER_TYPES = ['Political violence', 'Demonstrations', 'Strategic developments'] as const;

const typeByLower = new Map(EVENT_TYPES.map((t) => [t.toLowerCase(), t]));
const subByLower = new Map<string, { type: EventType; subType: string }>();
for (const t of EVENT_TYPES) for (const s of ACLED_TAXONOMY[t]) subByLower.set(s.toLowerCase(), { type: t, subType: s });

/** The canonical spelling of an event type, or null when ACLED has no such type. */
export function canonicalEventType(raw: string): EventType | null {
  return typeByLower.get(raw.trim().toLowerCase()) ?? null;
}

/** The canonical sub-event type, checked against its event type; null when it does not belong there. */
export function canonicalSubEventType(type: EventType, raw: string): string | null {
  const hit = subByLower.get(raw.trim().toLowerCase());
  return hit && hit.type === type ? hit.subType : null;
}

/** The disorder type ACLED derives from an event type (Codebook 2023, §"Disorder type"). */
export function disorderTypeOf(type: EventType): string {
  if (type === 'Protests' || type === 'Riots') return 'Demonstrations';
  if (type === 'Strategic developments') return 'Strategic developments';
  return 'Political violence';
}

/**
 * UCDP's type_of_violence: 1 state-based conflict, 2 non-state conflict, 3 one-sided violence (against
 * civilians). UCDP has no sub-types, so an imported row keeps its code and maps to the nearest ACLED type.
 */
export function eventTypeFromUcdp(code: number): { type: EventType; subType: string } | null {
  if (code === 1 || code === 2) return { type: 'Battles', subType: 'Armed clash' };
  if (code === 3) return { type: 'Violence against civilians', subType: 'Attack' };
  return null;
}
export function ucdpViolenceTypeOf(type: EventType, actor2IsCivilians: boolean): number {
  if (type === 'Violence against civilians' || actor2IsCivilians) return 3;
  return 1;
}
