import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closestPairs, colourDistance } from '../../src/core/colors.js';
import { ROOT } from '../helpers.js';

describe('colour-vision check of palettes', () => {
  it('simulates colour-vision deficiencies: red and green merge for deuteranopes, blue and yellow do not', () => {
    // Pure red and a green of similar lightness: far apart for most readers, close for deuteranopes.
    expect(colourDistance('#d62728', '#2ca02c')).toBeGreaterThan(80);
    expect(colourDistance('#d62728', '#2ca02c', 'deuteranopia')).toBeLessThan(30);
    expect(colourDistance('#1f5fa8', '#f0c419', 'deuteranopia')).toBeGreaterThan(60);
    expect(colourDistance('#123456', '#123456', 'tritanopia')).toBe(0);
    expect(() => colourDistance('red', '#000000')).toThrow(/#rrggbb/);
  });

  it('keeps the demo blocs that hold land, and unassigned land, at least 20 ΔE apart for every kind of vision', () => {
    const blocs = JSON.parse(readFileSync(join(ROOT, 'data', 'demo', 'blocs.json'), 'utf8')) as { id: string; color: string }[];
    // The map's fill for unassigned land (web/src/main.ts) must stay apart from every bloc too.
    const palette = { ...Object.fromEntries(blocs.filter((b) => !['civilians', 'other'].includes(b.id)).map((b) => [b.id, b.color])), unassigned: '#d9d9d9' };
    for (const p of closestPairs(palette)) expect(p.deltaE, `${p.vision}: ${p.a} and ${p.b}`).toBeGreaterThanOrEqual(20);
  });
});

describe('bloc colours (src/core/bloc-colors.ts): one source for the map, charts and briefings', () => {
  it('keeps a bloc\'s own colour and gives the others free Okabe–Ito colours, never one already taken', async () => {
    const { blocColors, OKABE_ITO, UNASSIGNED_COLOR } = await import('../../src/core/bloc-colors.js');
    const c = blocColors([{ id: 'a', color: '#E69F00' }, { id: 'b' }, { id: 'c', color: null }]);
    expect(c.a).toBe('#e69f00');
    // 'a' took Okabe–Ito's first colour, so 'b' and 'c' get the second and third.
    expect([c.b, c.c]).toEqual([OKABE_ITO[1], OKABE_ITO[2]]);
    expect(UNASSIGNED_COLOR).toBe('#d9d9d9'); // the colour the ΔE check above holds apart from every bloc
  });

  it('counts a bloc of civilians or "other" actors, or one that holds no ground, as no racer', async () => {
    const { isCombatantBloc } = await import('../../src/core/bloc-colors.js');
    const kinds: Record<string, string> = { saa: 'state-military', civ: 'civilians', misc: 'other' };
    expect(isCombatantBloc({ members: [{ actor: 'saa' }, { actor: 'civ' }] }, (id) => kinds[id])).toBe(true);
    expect(isCombatantBloc({ members: [{ actor: 'civ' }, { actor: 'misc' }] }, (id) => kinds[id])).toBe(false);
    expect(isCombatantBloc({ members: [] }, (id) => kinds[id])).toBe(false);
    // With the actors that hold ground: a bloc of fighters that holds no place races nowhere.
    expect(isCombatantBloc({ members: [{ actor: 'saa' }] }, (id) => kinds[id], new Set(['isis']))).toBe(false);
    expect(isCombatantBloc({ members: [{ actor: 'saa' }] }, (id) => kinds[id], new Set(['saa']))).toBe(true);
  });
});
