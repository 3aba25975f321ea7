/**
 * `frontline extract` (news text to draft events, one document or a JSONL batch) and `frontline drafts`
 * (the review queue: accept, edit, reject). The JSONL result is a stable contract:
 * {"id", "events": [{"type", "subType", "actor1", "actor2", "bloc1", "bloc2", "place", "lat", "lon",
 * "date", "datePrecision", "fatalities", "span", "confidence"}], "claims": [...]}.
 */
import type { Command } from 'commander';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { isIsoDate } from '../core/dates.js';
import { UsageError } from '../core/errors.js';
import type { ConflictEvent } from '../core/schemas.js';
import { extractEvents, loadExtractContext } from '../extract/index.js';
import { extractWithStore, listDrafts, rejectDraft, reviewDraft, type StoredExtraction } from '../extract/review.js';
import { detectFormat, MAX_DOCUMENT_CHARS, type TextFormat } from '../extract/text.js';
import type { Store } from '../store/store.js';

interface Io {
  open: (cmd: Command) => Promise<Store>;
  print: (s: string) => void;
  err: NodeJS.WritableStream;
}

/** The contract's shape of an event: the fields scripts rely on, in a fixed order. */
function contractEvent(e: StoredExtraction['events'][number] | ReturnType<typeof extractEvents>['events'][number]): Record<string, unknown> {
  return {
    type: e.type,
    subType: e.subType,
    actor1: e.actor1,
    actor2: e.actor2,
    bloc1: e.bloc1,
    bloc2: e.bloc2,
    place: e.place,
    lat: e.lat,
    lon: e.lon,
    date: e.date,
    datePrecision: e.datePrecision,
    fatalities: e.fatalities,
    span: e.span,
    confidence: e.confidence,
    ...('corroborates' in e ? { corroborates: e.corroborates, id: e.id } : {}),
    ...(e.count ? { count: e.count } : {}),
    geoPrecision: e.geoPrecision,
    location: e.location,
    evidence: e.evidence,
  };
}

const user = (): string => process.env.FRONTLINE_USER ?? process.env.USER ?? 'cli';

export function registerExtractCommands(program: Command, io: Io): void {
  program
    .command('extract')
    .description('read news text and propose draft events (actors, place, date, type, with the sentence each came from)')
    .argument('[file]', 'a text, HTML or Markdown file (- for standard input)')
    .option('--published <YYYY-MM-DD>', 'when the text was published (relative dates resolve against it)')
    .option('--source <name>', 'who published it (e.g. Reuters)')
    .option('--title <title>', 'its title')
    .option('--url <url>', 'where it was published')
    .option('--format <format>', 'text, html or markdown (default: from the file name or content)')
    .option('--jsonl <file>', 'batch: one {"id","published","text"} a line in, one result a line out')
    .option('--save', 'keep the document and put its drafts in the review queue (frontline drafts)')
    .option('--json', 'machine-readable output')
    .addHelpText('after', '\nExamples:\n  frontline extract report.txt --published 2017-07-25 --source CNN\n  frontline extract page.html --published 2017-06-19 --save\n  frontline extract --jsonl reports.jsonl > drafts.jsonl\n\nConditionals, predictions, threats, denials and questions are listed as claims, not events.\nA draft that tells an event already in the store lists it under "corroborates" (--save adds the document to its sources).')
    .action(async (file: string | undefined, o: { published?: string; source?: string; title?: string; url?: string; format?: string; jsonl?: string; save?: boolean; json?: boolean }, cmd: Command) => {
      const store = await io.open(cmd);
      if (o.jsonl) {
        if (file) throw new UsageError('give either a file or --jsonl, not both');
        const ctx = await loadExtractContext(store);
        if (!ctx.gazetteer.places.length) throw new UsageError('the store has no places to find in the text: load the demo (frontline demo) or a gazetteer first');
        const input = o.jsonl === '-' ? process.stdin : createReadStream(checkFile(o.jsonl));
        let line = 0;
        for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
          line++;
          if (!raw.trim()) continue;
          let doc: { id?: unknown; published?: unknown; text?: unknown };
          try {
            doc = JSON.parse(raw) as typeof doc;
          } catch {
            throw new UsageError(`${o.jsonl}:${line}: not a JSON object`);
          }
          const id = typeof doc.id === 'string' || typeof doc.id === 'number' ? String(doc.id) : `line-${line}`;
          if (typeof doc.text !== 'string') throw new UsageError(`${o.jsonl}:${line}: "text" is missing or not a string`);
          const published = typeof doc.published === 'string' ? doc.published : o.published;
          if (!published || !isIsoDate(published)) throw new UsageError(`${o.jsonl}:${line}: "published" is missing or not a date (YYYY-MM-DD); give it per line or with --published`);
          try {
            const r = extractEvents(doc.text, published, ctx);
            io.print(JSON.stringify({ id, events: r.events.map(contractEvent), claims: r.claims, ...(r.notes.length ? { notes: r.notes } : {}) }));
          } catch (err) {
            io.print(JSON.stringify({ id, events: [], claims: [], error: (err as Error).message }));
          }
        }
        return;
      }
      if (!file) throw new UsageError('give a file to read (or - for standard input), or --jsonl FILE');
      if (!o.published) throw new UsageError('--published YYYY-MM-DD is needed: dates in the text ("on Thursday", "last month") resolve against it');
      if (!isIsoDate(o.published)) throw new UsageError(`--published "${o.published}" is not a date (YYYY-MM-DD)`);
      const text = file === '-' ? readFileSync(0, 'utf8') : readText(file);
      const format = (o.format ?? detectFormat(text, file)) as TextFormat;
      if (!['text', 'html', 'markdown'].includes(format)) throw new UsageError(`--format "${o.format}": use text, html or markdown`);
      const r = await extractWithStore(store, { text, published: o.published, format, ...(o.source ? { source: o.source } : {}), ...(o.title ? { title: o.title } : {}), ...(o.url ? { url: o.url } : {}) }, { save: Boolean(o.save), by: user() });
      if (o.json) {
        io.print(JSON.stringify({ id: r.document, events: r.events.map(contractEvent), claims: r.claims, notes: r.notes }, null, 2));
        return;
      }
      io.print(`${file}: ${r.events.length} event${r.events.length === 1 ? '' : 's'}, ${r.claims.length} claim${r.claims.length === 1 ? '' : 's'}${o.save ? ` (document ${r.document} saved)` : ''}`);
      for (const e of r.events) {
        io.print(`\n  ${e.type} / ${e.subType}  ${e.date} (${e.datePrecision})  ${e.place ?? 'place unknown'}  confidence ${e.confidence}`);
        io.print(`    ${e.actor1 ?? '?'} (${e.bloc1 ?? '?'}) → ${e.actor2 ?? '?'} (${e.bloc2 ?? '?'})${e.fatalities !== null ? `  killed: ${e.fatalities}` : ''}${e.count ? `  incidents: ${e.count}` : ''}`);
        io.print(`    "${r.text.slice(e.span[0], e.span[1]).replace(/\s+/g, ' ')}"`);
        if (e.corroborates.length) io.print(`    tells known event${e.corroborates.length > 1 ? 's' : ''} ${e.corroborates.join(', ')}`);
        if (e.note) io.print(`    note: ${e.note}`);
        if (e.id) io.print(`    draft ${e.id}: frontline drafts accept ${e.id}`);
      }
      if (r.claims.length) io.print('\n  claims (not events):');
      for (const c of r.claims) io.print(`    [${c.kind}] ${c.text.replace(/\s+/g, ' ').slice(0, 140)}`);
      for (const n of r.notes) io.err.write(`note: ${n}\n`);
    });

  const drafts = program
    .command('drafts')
    .description('the review queue: draft events extracted from documents, waiting for an analyst')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const list = await listDrafts((await io.open(cmd)));
      if (o.json) return io.print(JSON.stringify(list, null, 2));
      if (!list.length) return io.print('no drafts waiting (frontline extract FILE --published DATE --save adds some)');
      for (const e of list) io.print(`${e.id}  ${e.date}  ${e.type} / ${e.subType}  ${e.actor1} → ${e.actor2 || '?'}  ${e.location}  (confidence ${e.attributes.confidence ?? '?'})\n    "${e.notes.replace(/\s+/g, ' ').slice(0, 160)}"`);
    });

  const editOptions = (c: Command): Command =>
    c
      .option('--type <type>', 'ACLED event type')
      .option('--sub-type <subType>', 'ACLED sub-event type')
      .option('--date <YYYY-MM-DD>', 'the date')
      .option('--actor1 <name>', 'actor 1 as written')
      .option('--actor2 <name>', 'actor 2 as written')
      .option('--location <name>', 'the location: looked up in the gazetteer, its place and coordinates follow (else give --lon/--lat)')
      .option('--place <id>', 'the place id (its coordinates follow)')
      .option('--lon <lon>', 'longitude')
      .option('--lat <lat>', 'latitude')
      .option('--fatalities <n>', 'killed (best estimate)')
      .option('--user <name>', 'who reviews (default $FRONTLINE_USER or $USER)');
  const changesOf = (o: Record<string, string | undefined>): Partial<ConflictEvent> => {
    const num = (v: string, name: string): number => {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} "${v}" is not a number`);
      return n;
    };
    return {
      ...(o.type ? { type: o.type } : {}),
      ...(o.subType ? { subType: o.subType } : {}),
      ...(o.date ? { date: o.date } : {}),
      ...(o.actor1 ? { actor1: o.actor1 } : {}),
      ...(o.actor2 ? { actor2: o.actor2 } : {}),
      ...(o.location ? { location: o.location } : {}),
      ...(o.place ? { place: o.place } : {}),
      ...(o.lon ? { lon: num(o.lon, 'lon') } : {}),
      ...(o.lat ? { lat: num(o.lat, 'lat') } : {}),
      ...(o.fatalities ? { fatalities: { best: num(o.fatalities, 'fatalities'), low: null, high: null } } : {}),
    };
  };
  editOptions(drafts.command('accept').description('accept drafts (with corrections): they become reviewed events under your name').argument('<id...>', 'draft ids')).action(async (ids: string[], o: Record<string, string | undefined>, cmd: Command) => {
    const store = await io.open(cmd);
    for (const id of ids) {
      const e = await reviewDraft(store, id, { accept: true, changes: changesOf(o) }, o.user ?? user());
      io.print(`${e.id}: accepted (${e.type} / ${e.subType}, ${e.date}, ${e.location})`);
    }
  });
  editOptions(drafts.command('edit').description('correct a draft and leave it in the queue').argument('<id>', 'draft id')).action(async (id: string, o: Record<string, string | undefined>, cmd: Command) => {
    const e = await reviewDraft((await io.open(cmd)), id, { accept: false, changes: changesOf(o) }, o.user ?? user());
    io.print(`${e.id}: edited, still a draft (${e.location || 'no location'}${e.place ? ` = place ${e.place}` : ''}, ${e.lat}, ${e.lon})`);
  });
  drafts
    .command('reject')
    .description('reject drafts with a reason (they are retracted; the history keeps them)')
    .argument('<id...>', 'draft ids')
    .requiredOption('--reason <why>', 'why it is not an event')
    .option('--user <name>', 'who reviews')
    .action(async (ids: string[], o: { reason: string; user?: string }, cmd: Command) => {
      const store = await io.open(cmd);
      for (const id of ids) {
        await rejectDraft(store, id, o.reason, o.user ?? user());
        io.print(`${id}: rejected`);
      }
    });
}

function checkFile(path: string): string {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file`);
  return path;
}

function readText(path: string): string {
  checkFile(path);
  const size = statSync(path).size;
  if (size > MAX_DOCUMENT_CHARS * 4) throw new UsageError(`${path}: ${size.toLocaleString('en')} bytes is more than one document (limit ${MAX_DOCUMENT_CHARS.toLocaleString('en')} characters): split it, or use --jsonl`);
  return readFileSync(path, 'utf8');
}
