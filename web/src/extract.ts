/**
 * The reports page: paste or upload a report, see the draft events the extractor proposes (each with its
 * sentence highlighted) and the claims it kept out, and review queued drafts. Text from the report is
 * only ever put in the page as text (textContent), never as HTML.
 */
import './style.css';
import { loadMe, mountSignIn, post } from './session.js';
import { draftEditor, type EditableDraft } from './draft-editor.js';

interface Evidence { field: string; text: string; span: [number, number] }
interface Draft {
  id: string | null; type: string; subType: string; actor1: string | null; actor2: string | null; bloc1: string | null; bloc2: string | null;
  place: string | null; date: string; datePrecision: string; fatalities: number | null; count: number | null; span: [number, number];
  confidence: number; corroborates: string[]; note?: string; evidence: Evidence[];
}
interface Claim { kind: string; text: string; span: [number, number] }
interface Extraction { document: string; text: string; events: Draft[]; claims: Claim[]; notes: string[] }
interface QueuedEvent extends EditableDraft { attributes: Record<string, string> }

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function user(): string | undefined {
  return $<HTMLInputElement>('user').value.trim() || undefined;
}

$<HTMLInputElement>('file').addEventListener('change', async (ev) => {
  const f = (ev.target as HTMLInputElement).files?.[0];
  if (!f) return;
  $<HTMLTextAreaElement>('text').value = await f.text();
  if (/\.html?$/i.test(f.name)) $<HTMLSelectElement>('format').value = 'html';
  else if (/\.(md|markdown)$/i.test(f.name)) $<HTMLSelectElement>('format').value = 'markdown';
});

$<HTMLFormElement>('doc-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const status = $('doc-status');
  status.textContent = 'Reading…';
  const format = $<HTMLSelectElement>('format').value;
  try {
    const r = await post<Extraction>('/api/extract', {
      text: $<HTMLTextAreaElement>('text').value,
      published: $<HTMLInputElement>('published').value,
      ...($<HTMLInputElement>('source').value.trim() ? { source: $<HTMLInputElement>('source').value.trim() } : {}),
      ...(format ? { format } : {}),
      save: $<HTMLInputElement>('save').checked,
      ...(user() ? { user: user() } : {}),
    });
    status.textContent = `${r.events.length} event${r.events.length === 1 ? '' : 's'}, ${r.claims.length} claim${r.claims.length === 1 ? '' : 's'}${r.notes.length ? ` — ${r.notes.join('; ')}` : ''}`;
    showResults(r);
    await loadQueue();
  } catch (err) {
    status.textContent = `Could not extract: ${(err as Error).message}`;
  }
});

function showResults(r: Extraction): void {
  const box = $('results');
  box.replaceChildren();
  for (const e of r.events) {
    const card = el('article', undefined, 'draft');
    card.setAttribute('data-type', e.type);
    card.append(el('h3', `${e.type} / ${e.subType}`));
    card.append(el('p', `${e.date} (${e.datePrecision}) · ${e.place ?? 'place unknown'} · confidence ${e.confidence}`));
    card.append(el('p', `${e.actor1 ?? '?'} (${e.bloc1 ?? '?'}) → ${e.actor2 ?? '?'} (${e.bloc2 ?? '?'})${e.fatalities !== null ? ` · killed ${e.fatalities}` : ''}${e.count ? ` · ${e.count} incidents` : ''}`));
    card.append(sentence(r.text, e));
    if (e.corroborates.length) card.append(el('p', `Tells known event${e.corroborates.length > 1 ? 's' : ''} ${e.corroborates.join(', ')}`, 'hint'));
    if (e.note) card.append(el('p', e.note, 'hint'));
    box.append(card);
  }
  if (r.claims.length) {
    box.append(el('h3', 'Claims (not events)'));
    const ul = el('ul', undefined, 'claims');
    for (const c of r.claims) {
      const li = el('li');
      li.append(el('strong', `${c.kind}: `), document.createTextNode(c.text));
      ul.append(li);
    }
    box.append(ul);
  }
}

/** The sentence, with the words that gave each field marked. */
function sentence(text: string, e: Draft): HTMLElement {
  const q = el('blockquote');
  const marks = e.evidence.filter((x) => x.span[0] >= e.span[0] && x.span[1] <= e.span[1] && x.field !== 'retold').sort((a, b) => a.span[0] - b.span[0]);
  let at = e.span[0];
  for (const m of marks) {
    if (m.span[0] < at) continue;
    q.append(document.createTextNode(text.slice(at, m.span[0])));
    const mark = el('mark', text.slice(m.span[0], m.span[1]));
    mark.title = m.field;
    q.append(mark);
    at = m.span[1];
  }
  q.append(document.createTextNode(text.slice(at, e.span[1])));
  return q;
}

async function loadQueue(): Promise<void> {
  const r = await fetch('/api/drafts');
  const { drafts } = (await r.json()) as { drafts: QueuedEvent[] };
  $('queue-count').textContent = `(${drafts.length})`;
  const box = $('queue');
  box.replaceChildren();
  if (!drafts.length) box.append(el('p', 'Nothing waiting.', 'hint'));
  for (const d of drafts) {
    const card = el('article', undefined, 'draft');
    card.setAttribute('data-id', d.id);
    card.append(el('h3', `${d.type} / ${d.subType}`), el('p', `${d.date} · ${d.location} · ${d.actor1} → ${d.actor2 || '?'} · confidence ${d.attributes.confidence ?? '?'}`), el('blockquote', d.notes));
    const accept = el('button', 'Accept');
    const reject = el('button', 'Reject');
    const reason = el('input');
    reason.placeholder = 'why not (to reject)';
    reason.setAttribute('aria-label', `Reason to reject ${d.id}`);
    const msg = el('span', '', 'hint');
    accept.addEventListener('click', async () => {
      try {
        await post('/api/drafts/accept', { id: d.id, ...(user() ? { user: user() } : {}) });
        await loadQueue();
      } catch (err) {
        msg.textContent = (err as Error).message;
      }
    });
    reject.addEventListener('click', async () => {
      // A rejection keeps its reason in the history: ask for one rather than send an empty one.
      if (!reason.value.trim()) {
        reason.setAttribute('aria-invalid', 'true');
        msg.textContent = 'Say why it is rejected (kept in the history), then press Reject.';
        reason.focus();
        return;
      }
      reason.removeAttribute('aria-invalid');
      try {
        await post('/api/drafts/reject', { id: d.id, reason: reason.value.trim(), ...(user() ? { user: user() } : {}) });
        await loadQueue();
      } catch (err) {
        msg.textContent = (err as Error).message;
      }
    });
    const edit = el('button', 'Edit');
    edit.addEventListener('click', async () => {
      if (card.querySelector('form.draft-edit')) return;
      card.append(await draftEditor(d, user, loadQueue));
    });
    const row = el('div', undefined, 'buttons');
    row.append(edit, accept, reason, reject, msg);
    card.append(row);
    box.append(card);
  }
}

$<HTMLInputElement>('published').value = new URLSearchParams(location.search).get('published') ?? '';
mountSignIn(document.querySelector('header')!);
void loadMe().then(() => loadQueue());
