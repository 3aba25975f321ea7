/**
 * Score the extractor on annotated sets with the demo's gazetteer and alias table:
 *
 *   npm run eval:extract                       # every set: ../shared/eval/extract/dev.jsonl, eval/fakes/{dev,test}.jsonl
 *   npm run eval:extract -- FILE.jsonl [--json] [--verbose] [--legacy]
 *
 * eval/fakes/*.jsonl refer to FA-KES articles by unit_id (text from ../shared/data/text/…csv). --legacy scores
 * the extractor as it was before issue 19 (bench/legacy-extract), for the before/after figures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { loadDemo } from '../src/demo/load-demo.js';
import { extractEvents, loadExtractContext } from '../src/extract/index.js';
import { evaluateJsonl, type PredictedEvent } from '../src/extract/evaluate.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { buildExtractContext as legacyContext, extractEvents as legacyExtract } from '../bench/legacy-extract/extract.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHARED = join(ROOT, '..', 'shared');
const CORPUS = join(SHARED, 'data', 'text', 'fa-kes-syria-news-to-2017-07-31.csv');
const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('usage: npm run eval:extract [-- FILE.jsonl] [--json] [--verbose] [--legacy]\n  Precision, recall and F1 of event extraction on annotated sets (default: the synthetic dev set and the FA-KES dev and test halves), per field and per event type.');
  process.exit(0);
}
const given = args.filter((a) => !a.startsWith('--'));
const files = given.length ? given : [join(SHARED, 'eval', 'extract', 'dev.jsonl'), join(ROOT, 'eval', 'fakes', 'dev.jsonl'), join(ROOT, 'eval', 'fakes', 'test.jsonl')];
const store = openSqliteStore(':memory:');
await loadDemo(store);
const ctx = await loadExtractContext(store);
const legacy = args.includes('--legacy') ? legacyContext(await store.listPlaces(), await store.listActors(), await store.listBlocs(), await store.listRelations(), ctx.holderBefore) : null;
await store.close();
let corpus: Map<string, string> | null = null;
const textOf = (id: string): string | undefined => {
  if (!corpus) {
    if (!existsSync(CORPUS)) throw new Error(`the FA-KES articles are not at ${CORPUS}: eval/fakes needs ../shared beside the checkout`);
    corpus = new Map((parse(readFileSync(CORPUS, 'utf8'), { columns: true }) as { unit_id: string; article_content: string }[]).map((r) => [r.unit_id, r.article_content]));
  }
  return corpus.get(id);
};
const extract = (text: string, published: string): PredictedEvent[] => (legacy ? legacyExtract(text, published, legacy).events : extractEvents(text, published, ctx).events);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const all = [];
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`no annotated set at ${file}: skipped (JSONL, see ../shared/eval/extract/README.md)`);
    continue;
  }
  const report = evaluateJsonl(readFileSync(file, 'utf8'), extract, textOf);
  all.push({ file, ...report });
  if (args.includes('--json')) continue;
  const f = report.fields;
  console.log(`${file}: ${report.documents} documents, ${report.gold} gold events, ${report.predicted} predicted, ${report.matched} matched`);
  console.log(`  events: precision ${pct(report.precision)}, recall ${pct(report.recall)}, F1 ${report.f1.toFixed(3)}`);
  console.log(`  fields, over ${f.paired} gold events with a prediction from their sentence: type ${pct(f.type / (f.paired || 1))}, date ${pct(f.date / (f.paired || 1))}, place ${pct(f.place / (f.paired || 1))}, blocs ${pct(f.blocs / (f.paired || 1))}`);
  for (const [t, r] of Object.entries(report.byType).sort()) console.log(`  ${t.padEnd(28)} gold ${String(r.gold).padStart(3)}  predicted ${String(r.predicted).padStart(3)}  P ${pct(r.precision).padStart(6)}  R ${pct(r.recall).padStart(6)}  F1 ${r.f1.toFixed(3)}`);
  if (args.includes('--verbose') || given.length) {
    for (const m of report.misses) console.log(`    miss   ${m.id}: ${m.gold.event_type} ${m.gold.date} ${m.gold.place ?? m.gold.location} ${m.gold.actor1_bloc}/${m.gold.actor2_bloc} — ${m.why}`);
    for (const p of report.falseAlarms) console.log(`    extra  ${p.id}: ${p.predicted.type} ${p.predicted.date} ${p.predicted.place ?? '—'} ${p.predicted.bloc1}/${p.predicted.bloc2}`);
  }
}
if (args.includes('--json')) console.log(JSON.stringify(all, null, 2));
