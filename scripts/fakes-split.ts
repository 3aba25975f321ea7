/**
 * The development/test split of the FA-KES articles (../shared/data/text/fa-kes-syria-news-to-2017-07-31.csv),
 * fixed before any test article was read: an article is in `test` when the first byte of SHA-1 of its
 * unit_id is odd, else in `dev`. Within each half, the articles to annotate are the first 32 in SHA-1
 * order whose text has at most 2,400 characters (short enough to annotate whole).
 *
 *   npx tsx scripts/fakes-split.ts   # writes eval/fakes/split.json
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const HERE = fileURLToPath(new URL('../eval/fakes/', import.meta.url));
const CSV = join(HERE, '..', '..', '..', 'shared', 'data', 'text', 'fa-kes-syria-news-to-2017-07-31.csv');
const rows = parse(readFileSync(CSV, 'utf8'), { columns: true }) as { unit_id: string; article_content: string }[];
const sha = (id: string): string => createHash('sha1').update(id).digest('hex');
const half = (id: string): 'dev' | 'test' => (parseInt(sha(id).slice(0, 2), 16) % 2 ? 'test' : 'dev');
const ordered = [...rows].sort((a, b) => (sha(a.unit_id) < sha(b.unit_id) ? -1 : 1));
const pick = (h: 'dev' | 'test'): string[] => ordered.filter((r) => half(r.unit_id) === h && r.article_content.length <= 2400).slice(0, 32).map((r) => r.unit_id);
const out = {
  rule: 'test when the first byte of sha1(unit_id) is odd; annotate the first 32 of each half in sha1 order with at most 2,400 characters',
  dev: rows.filter((r) => half(r.unit_id) === 'dev').map((r) => r.unit_id).sort(),
  test: rows.filter((r) => half(r.unit_id) === 'test').map((r) => r.unit_id).sort(),
  annotate: { dev: pick('dev'), test: pick('test') },
};
writeFileSync(join(HERE, 'split.json'), `${JSON.stringify(out, null, 1)}\n`);
console.log(`dev ${out.dev.length}, test ${out.test.length}; to annotate: dev ${out.annotate.dev.length}, test ${out.annotate.test.length}`);
