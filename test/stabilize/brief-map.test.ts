/**
 * The briefing's map (issue 20): labels never overlap, the map carries areas, fronts, rivers and a legend
 * naming each bloc it shows, and the briefing lists its sources.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadControlModel } from '../../src/control/load.js';
import { loadDemo } from '../../src/demo/load-demo.js';
import { stabilizationBoard } from '../../src/stabilize/board.js';
import { briefHtml } from '../../src/stabilize/brief.js';
import { placeLabels, textWidth } from '../../src/stabilize/svg.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers.js';

describe('label placement', () => {
  it('places labels that overlap neither each other nor other points, inside the frame', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ x: fc.double({ min: 0, max: 400, noNaN: true }), y: fc.double({ min: 0, max: 300, noNaN: true }), text: fc.string({ minLength: 1, maxLength: 14 }), r: fc.integer({ min: 1, max: 6 }) }), { maxLength: 60 }), (pts) => {
        const labels = pts.map((p) => ({ ...p, size: 11 }));
        const boxes = placeLabels(labels, { w: 400, h: 300 });
        const placed = boxes.flatMap((b) => (b ? [b] : []));
        for (let i = 0; i < placed.length; i++) {
          const a = placed[i]!;
          expect(a.x).toBeGreaterThanOrEqual(0);
          expect(a.x + a.w).toBeLessThanOrEqual(400);
          for (let j = i + 1; j < placed.length; j++) {
            const b = placed[j]!;
            expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h, `labels ${i} and ${j} overlap`).toBe(false);
          }
        }
        // No label covers another label's point.
        boxes.forEach((b, i) => {
          if (!b) return;
          labels.forEach((l, k) => {
            if (k === i) return;
            const inside = l.x + l.r > b.x && l.x - l.r < b.x + b.w && l.y + l.r > b.y && l.y - l.r < b.y + b.h;
            expect(inside, `label ${i} covers point ${k}`).toBe(false);
          });
        });
      }),
      { numRuns: 200 },
    );
  });

  it('puts the first label right of its point and drops one that cannot fit', () => {
    const [a, b] = placeLabels([{ x: 100, y: 100, text: 'Tabqa', r: 4, size: 12 }, { x: 100, y: 100, text: 'Tabqa Dam', r: 4, size: 12 }], { w: 300, h: 200 });
    expect(a).toEqual({ x: 106, y: 100 - 6.9, w: textWidth('Tabqa', 12), h: 12 * 1.15 });
    expect(b).not.toBeNull(); // another spot round the same point
    expect(b!.x + b!.w <= a!.x || b!.y + b!.h <= a!.y || b!.y >= a!.y + a!.h).toBe(true);
    expect(placeLabels([{ x: 5, y: 5, text: 'a very long name for a tiny frame', r: 2, size: 12 }], { w: 60, h: 40 })).toEqual([null]);
  });
});

describe('the demo briefing of Tabqa', () => {
  let store: SqliteStore;
  let html: string;
  beforeAll(async () => {
    const db = join(tempDir('fl-brief-map-'), 'd.db');
    store = openSqliteStore(db);
    await loadDemo(store, 'demo', { roadsCache: `${db}.roads` });
    const board = await stabilizationBoard(store, '2017-07-31', { areas: ['tabqa'], exposure: false });
    const [model, blocs, indicators, observations] = await Promise.all([loadControlModel(store), store.listBlocs(), store.listIndicators(), store.listControlObservations()]);
    html = briefHtml({ board, model, blocs, indicators, observations });
  }, 60_000);

  it('draws control areas, front lines, the Euphrates and Lake Assad, and labels Tabqa', () => {
    const svg = /<svg[^>]*aria-label="Tabqa and the dam: control on 2017-07-31"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).not.toBe('');
    expect(/<g class="areas"[^>]*>(<path [^>]+>){2,}/.test(svg), 'two or more control areas').toBe(true);
    expect(svg.includes('class="fronts" d="M'), 'front lines').toBe(true);
    expect(/<g class="water"><path d="M[^"]+Z" fill="#4a90c2"/.test(svg), 'Lake Assad').toBe(true);
    expect(svg.includes('>Euphrates</text>'), 'the Euphrates labelled').toBe(true);
    expect(/font-weight="bold"[^>]*>Tabqa<\/text>/.test(svg), 'Tabqa labelled in bold').toBe(true);
  });

  it('names in its legend every bloc whose land the map shows, by name', () => {
    const caption = /<figcaption>([\s\S]*?)<\/figcaption>/.exec(html)![1]!;
    // Round Tabqa on 2017-07-31: the SDF hold Tabqa, ISIS Raqqa, the government the land to the south-west.
    for (const name of ['SDF and US-backed Syrian forces', 'Islamic State', 'Government of Syria and allies']) expect(caption).toContain(name);
    for (const mark of ['front line', 'river, lake', 'governorate border']) expect(caption).toContain(mark);
    expect(caption).not.toMatch(/>sdf</); // names, not ids
  });

  it('lists its sources: the control observations that decide Tabqa, the map layers', () => {
    const sources = html.slice(html.indexOf('<h2>Sources</h2>'));
    expect(sources).toMatch(/Natural Earth/);
    expect(sources).toMatch(/OCHA/);
    expect(sources).toMatch(/GeoNames/);
    // The observation behind Tabqa's holder on the date cites a source; its name is listed.
    expect(sources).toMatch(/<strong>Control<\/strong>[^]*?<ul><li>[^<]+/);
  });
});
