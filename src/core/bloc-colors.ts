/**
 * The one place bloc colours are decided, for the map, the charts, the exports and the briefings alike.
 * A bloc's own colour (blocs.json, checked by test/core/colors.test.ts to stay ≥ 20 ΔE apart for
 * protanopes, deuteranopes and tritanopes) wins; a bloc without one takes the next Okabe–Ito colour no
 * other bloc uses, then one of Paul Tol's muted scheme. See docs/decisions/0032-bloc-colours-and-map-legend.md.
 */

/** Okabe & Ito (2008), "Color Universal Design": distinguishable with any common colour-vision deficiency. */
export const OKABE_ITO = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#000000'] as const;
/** Paul Tol's muted scheme (2021), for blocs past the eight above. */
export const TOL_MUTED = ['#332288', '#88ccee', '#44aa99', '#117733', '#999933', '#ddcc77', '#cc6677', '#882255', '#aa4499'] as const;

/** Land whose holder the data does not know: a light grey kept ≥ 20 ΔE from every bloc (tested). */
export const UNASSIGNED_COLOR = '#d9d9d9';
/** A place or area held by no bloc (briefings). */
export const NO_HOLDER_COLOR = '#bbbbbb';

/** Every bloc's colour, by id: its own, else the next free palette colour (stable for a given list). */
export function blocColors(blocs: readonly { id: string; color?: string | null | undefined }[]): Record<string, string> {
  const used = new Set(blocs.flatMap((b) => (b.color ? [b.color.toLowerCase()] : [])));
  const free = [...OKABE_ITO, ...TOL_MUTED].filter((c) => !used.has(c));
  let k = 0;
  const out: Record<string, string> = {};
  for (const b of blocs) out[b.id] = b.color ? b.color.toLowerCase() : (free[k++ % free.length] ?? '#888888');
  return out;
}

/**
 * Whether a bloc can race: some member is neither civilians nor "other" actors and, when `holders` (the
 * actors of the control observations) is given, holds ground somewhere in the data (a race starts from the
 * places a bloc holds; a bloc that holds none could only ever "not arrive").
 */
export function isCombatantBloc(bloc: { members: readonly { actor: string }[] }, actorKind: (id: string) => string | undefined, holders?: ReadonlySet<string>): boolean {
  return bloc.members.some((m) => {
    const kind = actorKind(m.actor);
    return kind !== undefined && kind !== 'civilians' && kind !== 'other' && (!holders || holders.has(m.actor));
  });
}

/** Event symbols by ACLED event type: the map, its legend and the KML export share them. */
export const EVENT_TYPE_COLORS: Record<string, string> = {
  Battles: '#d62728',
  'Explosions/Remote violence': '#ff7f0e',
  'Violence against civilians': '#9467bd',
  'Strategic developments': '#17becf',
  Protests: '#2ca02c',
  Riots: '#8c564b',
};
