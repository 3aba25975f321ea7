/**
 * Score the extractor on an annotated set (default ../shared/eval/extract/dev.jsonl) with the demo's
 * gazetteer and alias table:  npm run eval:extract [-- FILE.jsonl] [--json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDemo } from '../src/demo/load-demo.js';
import { extractEvents, loadExtractContext } from '../src/extract/index.js';
import { evaluateJsonl } from '../src/extract/evaluate.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log('usage: npm run eval:extract [-- FILE.jsonl] [--json]\n  Precision, recall and F1 of event extraction on an annotated set (default ../shared/eval/extract/dev.jsonl), with misses and false alarms.');
  process.exit(0);
}
const file = args.find((a) => !a.startsWith('--')) ?? join(ROOT, '..', 'shared', 'eval', 'extract', 'dev.jsonl');
if (!existsSync(file)) {
  console.error(`no annotated set at ${file}: give one (JSONL, see ../shared/eval/extract/README.md)`);
  process.exit(2);
}
const store = openSqliteStore(':memory:');
await loadDemo(store);
const ctx = await loadExtractContext(store);
const report = evaluateJsonl(readFileSync(file, 'utf8'), (text, published) => extractEvents(text, published, ctx).events);
await store.close();
if (args.includes('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const f = report.fields;
  console.log(`${file}: ${report.documents} documents, ${report.gold} gold events, ${report.predicted} predicted, ${report.matched} matched`);
  console.log(`events: precision ${pct(report.precision)}, recall ${pct(report.recall)}, F1 ${report.f1.toFixed(3)}`);
  console.log(`fields, over ${f.paired} gold events with a prediction from their sentence: type ${pct(f.type / (f.paired || 1))}, date ${pct(f.date / (f.paired || 1))}, place ${pct(f.place / (f.paired || 1))}, blocs ${pct(f.blocs / (f.paired || 1))}`);
  for (const m of report.misses) console.log(`  miss   ${m.id}: ${m.gold.event_type} ${m.gold.date} ${m.gold.place ?? m.gold.location} ${m.gold.actor1_bloc}/${m.gold.actor2_bloc} — ${m.why}`);
  for (const p of report.falseAlarms) console.log(`  extra  ${p.id}: ${p.predicted.type} ${p.predicted.date} ${p.predicted.place ?? '—'} ${p.predicted.bloc1}/${p.predicted.bloc2}`);
}
