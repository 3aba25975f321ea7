/**
 * The fuzzy name matcher (src/core/fuzzy.ts): common spellings of Syrian places find them, Arabic script
 * is matched in its variants, and the edit distance is the optimal-string-alignment one (checked against
 * a plain recursive definition).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeMatches, editDistance, NameMatcher, placeMatcher } from '../../src/core/fuzzy.js';

/** OSA distance straight from its definition (memoized recursion): the oracle. */
function osa(a: string, b: string): number {
  const memo = new Map<string, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const k = `${i},${j}`;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let v = Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d(i - 2, j - 2) + 1);
    memo.set(k, v);
    return v;
  };
  return d(a.length, b.length);
}

describe('fuzzy names', () => {
  it('edit distance is the OSA distance, and stops early past its bound without going below it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9 }), fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 9 }), fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        const want = osa(a, b);
        expect(editDistance(a, b)).toBe(want);
        expect(editDistance(a, b, max)).toBe(want <= max ? want : max + 1);
      }),
    );
    expect(editDistance('manbij', 'mabnij')).toBe(1); // a transposition is one edit
  });

  const places = [
    { id: 'deir-ez-zor', name: 'Deir ez-Zor', names: ['Dayr az-Zawr', 'Deir al-Zour', 'دير الزور'] },
    { id: 'manbij', name: 'Manbij', names: ['Menbij', 'منبج'] },
    { id: 'al-bab', name: 'Al-Bab', names: ['Al Bab', 'الباب'] },
    { id: 'raqqa', name: 'Raqqa', names: ['Ar-Raqqah', 'الرَّقَّة'] },
    { id: 'darkush', name: 'Darkush', names: [] },
    { id: 'bab-al-hawa', name: 'Bab al-Hawa crossing', names: [] },
  ];
  const m = placeMatcher(places);
  const top = (q: string): string | undefined => m.search(q)[0]?.item.id;

  it('finds the spellings people write: Der Ezzor, Manbej, Albab, Raqa', () => {
    expect(top('Der Ezzor')).toBe('deir-ez-zor');
    expect(top('Deir Ezzor')).toBe('deir-ez-zor');
    expect(top('Manbej')).toBe('manbij');
    expect(top('Mnbij')).toBe('manbij');
    expect(top('Albab')).toBe('al-bab');
    expect(top('Elbab')).toBe('al-bab');
    expect(top('Raqa')).toBe('raqqa');
    expect(m.search('Atlantis')).toEqual([]);
  });

  it('matches Arabic script with or without the article, vowel marks and ta marbuta written as ha', () => {
    expect(top('الرقة')).toBe('raqqa');
    expect(top('رقه')).toBe('raqqa');
    expect(top('ديرالزور')).toBe('deir-ez-zor');
    expect(top('دير الزور')).toBe('deir-ez-zor');
    expect(top('باب')).toBe('al-bab');
  });

  it('puts a name as written before names within edits, and leaves those out when it has one', () => {
    const hits = m.search('Bab').map((h) => h.item.id);
    expect(hits[0]).toBe('al-bab');
    expect(hits).toContain('bab-al-hawa'); // a prefix of one of its names
    const n = new NameMatcher([{ item: 'tabqa', names: ['Tabqa'] }, { item: 'tabqa-dam', names: ['Tabqa Dam'] }, { item: 'jableh', names: ['Jableh'] }]);
    expect(n.search('Tabqa').map((h) => h.item)).toEqual(['tabqa', 'tabqa-dam']);
  });

  it('suggests close values for errors', () => {
    expect(closeMatches('battle', ['Battles', 'Riots', 'Protests'])).toEqual(['Battles']);
    expect(closeMatches('zzzz', ['Battles', 'Riots'])).toEqual([]);
  });
});
