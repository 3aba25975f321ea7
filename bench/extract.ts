/**
 * Issue 7's benchmark: extraction throughput on news-length documents (≈ 800 words) on one core, with the
 * demo's gazetteer and alias table. Documents are real report text (../shared/seed and the annotated set
 * in ../shared/eval/extract), cut and joined to ~800 words, so the words are those of news, not filler.
 *
 *   npm run bench:extract [-- --docs 2000]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDemo } from '../src/demo/load-demo.js';
import { extractEvents, loadExtractContext } from '../src/extract/index.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = join(ROOT, '..', 'shared');
const argv = process.argv.slice(2);
if (argv.includes('--help')) {
  console.log('usage: npm run bench:extract [-- --docs N]\n  Documents per second through the extractor, one core. Writes bench/out/extract-results.json.');
  process.exit(0);
}
const N = Number(argv[argv.indexOf('--docs') + 1] ?? 0) || 2000;
const seed = join(SHARED, 'seed', '000_ec558a90bfed73c4.txt');
const dev = join(SHARED, 'eval', 'extract', 'dev.jsonl');
if (!existsSync(seed) || !existsSync(dev)) throw new Error(`needs ../shared/seed and ../shared/eval/extract beside the checkout (${SHARED})`);
const paragraphs = [
  ...readFileSync(seed, 'utf8').split(/\n\s*\n/),
  ...readFileSync(dev, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text),
].filter((p) => p.trim().split(/\s+/).length > 8);
// Documents of ~800 words: paragraphs taken in a rotating order, so that no two documents are the same.
const docs: string[] = [];
for (let d = 0; d < N; d++) {
  const parts: string[] = [];
  let words = 0;
  for (let k = 0; words < 800; k++) {
    const p = paragraphs[(d * 7 + k * 3) % paragraphs.length]!;
    parts.push(p);
    words += p.split(/\s+/).length;
  }
  docs.push(parts.join('\n\n'));
}
const avgWords = Math.round(docs.reduce((a, d) => a + d.split(/\s+/).length, 0) / docs.length);
const store = openSqliteStore(':memory:');
await loadDemo(store);
const ctx = await loadExtractContext(store);
await store.close();
// Warm up, then time the whole set, three times; the best run counts.
for (let i = 0; i < 50; i++) extractEvents(docs[i % docs.length]!, '2017-07-25', ctx);
let best = Infinity;
let events = 0;
for (let run = 0; run < 3; run++) {
  events = 0;
  const t = performance.now();
  for (const d of docs) events += extractEvents(d, '2017-07-25', ctx).events.length;
  best = Math.min(best, performance.now() - t);
}
const perSecond = Math.round(docs.length / (best / 1000));
const result = { measuredAt: new Date().toISOString(), node: process.version, documents: docs.length, averageWords: avgWords, seconds: Math.round(best) / 1000, documentsPerSecond: perSecond, wordsPerSecond: Math.round((docs.length * avgWords) / (best / 1000)), eventsFound: events, goal: 200 };
mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'out', 'extract-results.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
