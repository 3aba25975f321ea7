/**
 * Bounded-time fuzzing of the CSV and GeoJSON importers: mutated real files must either import (with bad
 * rows quarantined) or fail with an ImportError, and a failed import must leave the store as it was.
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/core/errors.js';
import { loadDemo, DEMO_DIR } from '../../src/demo/load-demo.js';
import { importFile } from '../../src/io/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { FIXTURES, tempDir } from '../helpers.js';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 6);

function mutate(text: string, ops: { at: number; kind: number; byte: number }[]): string {
  let s = text;
  for (const op of ops) {
    const i = Math.floor(op.at * s.length);
    const ch = String.fromCharCode(op.byte);
    if (op.kind === 0) s = s.slice(0, i) + ch + s.slice(i);
    else if (op.kind === 1) s = s.slice(0, i) + s.slice(i + 1 + (op.byte % 20));
    else if (op.kind === 2) s = s.slice(0, i) + s.slice(i, i + (op.byte % 200)) + s.slice(i);
    else s = s.slice(0, i) + ['"', ',', '\n', '\r', '\u0000', '{', '}', '[', ']', '\uFEFF'][op.byte % 10] + s.slice(i);
  }
  return s;
}

const opArb = fc.array(fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), kind: fc.integer({ min: 0, max: 3 }), byte: fc.integer({ min: 0, max: 0x7ff }) }), { minLength: 1, maxLength: 6 });

describe('fuzzing importers', () => {
  for (const [format, source] of [
    ['acled', join(FIXTURES, 'acled-sample.csv')],
    ['geojson', `${DEMO_DIR}zones.geojson`],
    ['control', `${DEMO_DIR}control.csv`],
  ] as const) {
    it(`${format}: mutated input imports cleanly or fails with an ImportError and changes nothing`, async () => {
      const text = readFileSync(source, 'utf8');
      const dir = tempDir('fl-fuzz-');
      const store = openSqliteStore(':memory:');
      await loadDemo(store);
      const deadline = Date.now() + SECONDS * 1000;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(opArb, async (ops) => {
          if (Date.now() > deadline) return;
          runs++;
          const file = join(dir, `f.${format === 'geojson' ? 'geojson' : 'csv'}`);
          writeFileSync(file, mutate(text, ops));
          const before = (await store.listImports()).filter((i) => i.status === 'committed').length;
          const countBefore = await store.countEvents({ includeRetracted: true });
          try {
            const r = await importFile(store, format, file, format === 'geojson' ? { kind: 'zones' } : {});
            expect(r.rows).toBe(r.created + r.updated + r.unchanged + r.rejected);
          } catch (err) {
            expect(err, String(err)).toBeInstanceOf(ImportError);
            expect((await store.listImports()).filter((i) => i.status === 'committed').length).toBe(before);
            expect(await store.countEvents({ includeRetracted: true })).toBe(countBefore);
          }
        }),
        { numRuns: 100_000, interruptAfterTimeLimit: SECONDS * 1000 },
      );
      expect(runs).toBeGreaterThan(10);
    });
  }
});
