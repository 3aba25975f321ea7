/**
 * The domain model (DESIGN.md §1) as runtime schemas: every record that enters the store passes through
 * one of these, whatever its origin (importer, CLI, API, extraction).
 */
import { z } from 'zod';
import { DATE_PRECISIONS, isIsoDate } from './dates.js';
import { EVENT_TYPES, SUB_EVENT_TYPES } from './taxonomy.js';

export const IsoDateSchema = z.string().refine(isIsoDate, { message: 'expected a real date as YYYY-MM-DD' });
export const IdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_.:\-/]*$/u, { message: 'ids are letters, digits and _ . : - /' });
export const LonSchema = z.number().finite().min(-180).max(180);
export const LatSchema = z.number().finite().min(-90).max(90);

/** Where a record came from: a file row, a span of a document, or a user at a time. */
export const ProvenanceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), file: z.string(), line: z.number().int().nonnegative(), format: z.string(), importId: z.string().optional() }),
  z.object({ kind: z.literal('document'), document: z.string(), span: z.tuple([z.number().int(), z.number().int()]) }),
  z.object({ kind: z.literal('user'), user: z.string(), at: z.string() }),
]);
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const SourceRefSchema = z.object({
  name: z.string().min(1),
  url: z.string().optional(),
  published: IsoDateSchema.optional(),
  scale: z.string().optional(),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

export const ACTOR_KINDS = ['state', 'state-military', 'armed-group', 'militia', 'coalition', 'foreign-state', 'civilians', 'other'] as const;
export const ActorSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  kind: z.enum(ACTOR_KINDS),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  sources: z.array(SourceRefSchema).default([]),
  provenance: ProvenanceSchema.optional(),
});
export type Actor = z.infer<typeof ActorSchema>;

export const BlocMemberSchema = z.object({
  actor: IdSchema,
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  source: SourceRefSchema.optional(),
});
export const BlocSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  members: z.array(BlocMemberSchema).default([]),
  provenance: ProvenanceSchema.optional(),
});
export type Bloc = z.infer<typeof BlocSchema>;
export type BlocMember = z.infer<typeof BlocMemberSchema>;

export const RELATION_KINDS = ['allied', 'deconflicted', 'hostile', 'neutral'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];
export const RelationSchema = z.object({
  a: IdSchema,
  b: IdSchema,
  kind: z.enum(RELATION_KINDS),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  source: SourceRefSchema.optional(),
  notes: z.string().optional(),
});
export type Relation = z.infer<typeof RelationSchema>;

export const PLACE_KINDS = ['city', 'town', 'village', 'border-crossing', 'base', 'airport', 'dam', 'oil-field', 'gas-field', 'area', 'other'] as const;
export const PlaceSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  names: z.array(z.string().min(1)).default([]),
  kind: z.enum(PLACE_KINDS),
  lon: LonSchema,
  lat: LatSchema,
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  admin1: z.string().optional(),
  admin2: z.string().optional(),
  population: z.number().int().nonnegative().nullable().default(null),
  geonamesId: z.number().int().positive().nullable().default(null),
  sources: z.array(SourceRefSchema).default([]),
  provenance: ProvenanceSchema.optional(),
});
export type Place = z.infer<typeof PlaceSchema>;

export const CONTROL_STATUSES = ['held', 'contested', 'besieged'] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];
export const ControlObservationSchema = z.object({
  id: IdSchema,
  place: IdSchema,
  actor: IdSchema,
  status: z.enum(CONTROL_STATUSES),
  from: IsoDateSchema,
  source: SourceRefSchema,
  /** How far the analyst trusts this observation, 0–1; ties on a day are broken by it (DESIGN.md §3). */
  confidence: z.number().min(0).max(1).default(0.8),
  notes: z.string().optional(),
  retracted: z.object({ reason: z.string().min(1), by: z.string(), at: z.string() }).optional(),
  provenance: ProvenanceSchema.optional(),
});
export type ControlObservation = z.infer<typeof ControlObservationSchema>;

const Position = z.tuple([LonSchema, LatSchema]).or(z.tuple([LonSchema, LatSchema, z.number()]));
const Ring = z.array(Position).min(4);
export const PolygonGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) }),
]);
export type PolygonGeometry = z.infer<typeof PolygonGeometrySchema>;

export const ZONE_KINDS = ['de-escalation', 'ceasefire', 'deconfliction', 'exclusion', 'other'] as const;
export const ZoneSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  kind: z.enum(ZONE_KINDS),
  geometry: PolygonGeometrySchema,
  parties: z.array(IdSchema).default([]),
  /** Blocs that may not enter (e.g. the al-Tanf deconfliction ring, closed to the government bloc). */
  closedTo: z.array(IdSchema).default([]),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  sources: z.array(SourceRefSchema).default([]),
  notes: z.string().optional(),
  provenance: ProvenanceSchema.optional(),
});
export type Zone = z.infer<typeof ZoneSchema>;

/**
 * A polygon an analyst drew of who holds an area from a date (an imported control map): it takes
 * precedence over control derived from places where it lies (docs/control.md).
 */
export const ControlAreaSchema = z.object({
  id: IdSchema,
  actor: IdSchema,
  status: z.enum(CONTROL_STATUSES).default('held'),
  from: IsoDateSchema,
  to: IsoDateSchema.optional(),
  geometry: PolygonGeometrySchema,
  source: SourceRefSchema,
  notes: z.string().optional(),
  provenance: ProvenanceSchema.optional(),
});
export type ControlArea = z.infer<typeof ControlAreaSchema>;

/** The land a scenario covers (a country's boundary): areas of control are clipped to it. */
export const BoundarySchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  geometry: PolygonGeometrySchema,
  sources: z.array(SourceRefSchema).default([]),
  provenance: ProvenanceSchema.optional(),
});
export type Boundary = z.infer<typeof BoundarySchema>;

/** Kept as the source published them: UCDP has rows whose low is above high, and we do not "fix" data. */
export const FatalitiesSchema = z.object({
  best: z.number().int().nonnegative().nullable(),
  low: z.number().int().nonnegative().nullable(),
  high: z.number().int().nonnegative().nullable(),
});

export const EVENT_STATUSES = ['draft', 'reviewed', 'retracted'] as const;
export const EventSchema = z.object({
  id: IdSchema,
  date: IsoDateSchema,
  datePrecision: z.enum(DATE_PRECISIONS),
  /** UCDP events may span days; ACLED events are one day. */
  dateEnd: IsoDateSchema.optional(),
  type: z.enum(EVENT_TYPES as [string, ...string[]]),
  subType: z.string().refine((s) => SUB_EVENT_TYPES.includes(s), { message: 'not an ACLED sub-event type' }),
  disorderType: z.string().optional(),
  /** Actor names as the source wrote them, and the actor ids they resolved to (null: not in the alias table). */
  actor1: z.string().min(1),
  actor1Id: IdSchema.nullable().default(null),
  assocActor1: z.string().default(''),
  actor2: z.string().default(''),
  actor2Id: IdSchema.nullable().default(null),
  assocActor2: z.string().default(''),
  country: z.string().default(''),
  admin1: z.string().default(''),
  admin2: z.string().default(''),
  admin3: z.string().default(''),
  location: z.string().default(''),
  place: IdSchema.nullable().default(null),
  lon: LonSchema,
  lat: LatSchema,
  /** ACLED geo_precision: 1 the town itself, 2 near it / a part of a region, 3 only a larger region. */
  geoPrecision: z.number().int().min(1).max(3),
  fatalities: FatalitiesSchema,
  notes: z.string().default(''),
  sources: z.array(SourceRefSchema).default([]),
  tags: z.string().default(''),
  status: z.enum(EVENT_STATUSES).default('reviewed'),
  /** Columns of the source format that the model has no field for, kept so that exports give them back. */
  attributes: z.record(z.string(), z.string()).default({}),
  /** The id the event has in its source format: an id (the ACLED export writes it bare, unquoted). */
  origin: z.object({ format: z.string(), id: IdSchema }).optional(),
  provenance: ProvenanceSchema,
});
export type ConflictEvent = z.infer<typeof EventSchema>;
export type ConflictEventInput = z.input<typeof EventSchema>;

export const DocumentSchema = z.object({
  id: IdSchema,
  title: z.string().default(''),
  publisher: z.string().default(''),
  published: IsoDateSchema.optional(),
  url: z.string().optional(),
  text: z.string(),
  provenance: ProvenanceSchema.optional(),
});
export type SourceDocument = z.infer<typeof DocumentSchema>;

export const ObjectiveSchema = z
  .object({
    id: IdSchema,
    name: z.string().min(1),
    place: IdSchema.optional(),
    zone: IdSchema.optional(),
    why: z.string().optional(),
    sources: z.array(SourceRefSchema).default([]),
  })
  .refine((o) => Boolean(o.place) !== Boolean(o.zone), { message: 'an objective names a place or a zone, not both' });
export type Objective = z.infer<typeof ObjectiveSchema>;

export const ScenarioOverrideSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('control'), place: IdSchema, actor: IdSchema, status: z.enum(CONTROL_STATUSES), from: IsoDateSchema.optional() }),
  z.object({ kind: z.literal('relation'), a: IdSchema, b: IdSchema, relation: z.enum(RELATION_KINDS) }),
  z.object({ kind: z.literal('advance-rate'), bloc: IdSchema, kmPerDay: z.number().positive() }),
  z.object({ kind: z.literal('position'), actor: IdSchema, lon: LonSchema, lat: LatSchema, label: z.string().optional() }),
]);
export const ScenarioSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  description: z.string().default(''),
  baseDate: IsoDateSchema,
  start: IsoDateSchema.optional(),
  end: IsoDateSchema.optional(),
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  overrides: z.array(ScenarioOverrideSchema).default([]),
});
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioOverride = z.infer<typeof ScenarioOverrideSchema>;

/** Turn a zod failure into one line a user can act on: which field, what was wrong. */
export function describeIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(record)', message: i.message }));
}

// ---- Stabilization (issue 8): areas taken from an enemy, their indicators, projects and councils ------

/** An area is an admin unit (by name or code), a set of places, or a drawn polygon. */
export const StabilizationAreaSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  definition: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('admin'), admin1: z.string().min(1), admin2: z.string().min(1).optional() }),
    z.object({ kind: z.literal('places'), places: z.array(IdSchema).min(1) }),
    z.object({ kind: z.literal('polygon'), geometry: PolygonGeometrySchema }),
  ]),
  /** Codes humanitarian tables key their rows by (OCHA p-codes, e.g. SY0203): any of them finds the area. */
  codes: z.array(z.string().min(1)).default([]),
  /** The place that stands for the area on maps and in the race (default: its most populous place). */
  centre: IdSchema.optional(),
  notes: z.string().default(''),
  sources: z.array(SourceRefSchema).default([]),
  provenance: ProvenanceSchema.optional(),
});
export type StabilizationArea = z.infer<typeof StabilizationAreaSchema>;

export const INDICATORS = {
  population: 'people living in the area (estimate)',
  returnees: 'people who came back after being displaced (cumulative)',
  idps: 'internally displaced people from the area still away',
  'idp-arrivals': 'displaced people who arrived in the area in the period',
  'idp-departures': 'people who left the area in the period',
  damage: 'share of buildings destroyed or damaged (0 to 1), by assessment',
  'water': 'water supply points or stations functioning (value) of all (total)',
  'electricity': 'power supply: feeders or stations functioning (value) of all (total)',
  'health': 'health facilities functioning (value) of all (total)',
  'schools': 'schools open (value) of all (total)',
  'hazard-km2': 'land known or suspected contaminated by explosive hazards, km²',
  'cleared-km2': 'land cleared of explosive hazards, km² (cumulative)',
  'access-constraints': 'humanitarian access constraints reported in the period (count)',
} as const;
export type IndicatorKind = keyof typeof INDICATORS;
export const INDICATOR_KINDS = Object.keys(INDICATORS) as IndicatorKind[];

export const IndicatorSchema = z
  .object({
    id: IdSchema,
    area: IdSchema,
    indicator: z.enum(INDICATOR_KINDS as [IndicatorKind, ...IndicatorKind[]]),
    date: IsoDateSchema,
    value: z.number().finite().nonnegative(),
    /** For services: how many there are in all (value is how many work). */
    total: z.number().finite().nonnegative().optional(),
    source: SourceRefSchema,
    notes: z.string().default(''),
    provenance: ProvenanceSchema.optional(),
  })
  .refine((i) => i.indicator !== 'damage' || i.value <= 1, { message: 'damage is a share between 0 and 1', path: ['value'] })
  .refine((i) => i.total === undefined || i.value <= i.total, { message: 'more functioning than there are in all', path: ['value'] });
export type Indicator = z.infer<typeof IndicatorSchema>;

export const PROJECT_STATUSES = ['planned', 'ongoing', 'completed', 'suspended', 'cancelled'] as const;
export const ProjectSchema = z.object({
  id: IdSchema,
  area: IdSchema,
  title: z.string().min(1),
  /** e.g. water, electricity, health, education, shelter, demining, livelihoods, governance. */
  sector: z.string().min(1),
  place: IdSchema.optional(),
  implementer: z.string().default(''),
  funder: z.string().default(''),
  budgetUsd: z.number().finite().nonnegative().nullable().default(null),
  status: z.enum(PROJECT_STATUSES),
  /** Share done, 0 to 1, when reported. */
  progress: z.number().min(0).max(1).nullable().default(null),
  start: IsoDateSchema.optional(),
  end: IsoDateSchema.optional(),
  source: SourceRefSchema,
  provenance: ProvenanceSchema.optional(),
});
export type Project = z.infer<typeof ProjectSchema>;

export const CouncilSchema = z.object({
  id: IdSchema,
  area: IdSchema,
  name: z.string().min(1),
  formed: IsoDateSchema,
  composition: z.string().default(''),
  /** Who recognises it (e.g. "backed by the SDF and the coalition; not by the government"). */
  recognition: z.string().default(''),
  source: SourceRefSchema,
  provenance: ProvenanceSchema.optional(),
});
export type Council = z.infer<typeof CouncilSchema>;

// ---- Users (issue 6) -------------------------------------------------------------------------------------
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const UserSchema = z.object({
  id: IdSchema,
  name: z.string().min(1).max(200),
  role: z.enum(ROLES),
  /** scrypt: "scrypt$N$r$p$salt$hash", base64. */
  passwordHash: z.string().min(1),
  disabled: z.boolean().default(false),
});
export type User = z.infer<typeof UserSchema>;
