/**
 * From what a user pastes to text and sentences. Spans everywhere in extraction are character offsets
 * into the text this module returns; for plain text that is the text as given (boilerplate is blanked
 * with spaces, not cut, so offsets still point into the original).
 */
import { FrontlineError } from '../../src/core/errors.js';

export type TextFormat = 'text' | 'html' | 'markdown';

/** Documents above this many characters are refused: split them (a long news report is ~6,000). */
export const MAX_DOCUMENT_CHARS = 2_000_000;

/** A document that cannot be read as text (binary, too large). */
export class DocumentError extends FrontlineError {}

/** Guess the format from a file name or the text itself. */
export function detectFormat(text: string, fileName = ''): TextFormat {
  if (/\.html?$/i.test(fileName) || /^\s*<(?:!doctype|html|body|p|div|article)\b/i.test(text)) return 'html';
  if (/\.(?:md|markdown)$/i.test(fileName)) return 'markdown';
  return 'text';
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', mdash: '—', ndash: '–', hellip: '…' };

/**
 * Plain text of a document. HTML: scripts, styles and navigation dropped, block ends become line breaks,
 * entities decoded. Markdown: markup signs dropped. Then, for every format, video captions of the kind
 * "02:37 - Source: CNN" (and the title line under them) and empty bylines are blanked.
 */
export function documentText(raw: string, format: TextFormat): string {
  if (raw.length > MAX_DOCUMENT_CHARS) throw new DocumentError(`the document has ${raw.length.toLocaleString('en')} characters; the limit is ${MAX_DOCUMENT_CHARS.toLocaleString('en')}: split it into articles`);
  if (raw.includes('\u0000') || controlShare(raw) > 0.01) throw new DocumentError('this looks like a binary file, not text: give plain text, HTML or Markdown');
  let text = raw.replace(/\r\n?/g, '\n');
  if (format === 'html') text = htmlToText(text);
  else if (format === 'markdown') text = markdownToText(text);
  return blankBoilerplate(text);
}

function controlShare(s: string): number {
  let n = 0;
  const len = Math.min(s.length, 20000);
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) n++;
  }
  return len ? n / len : 0;
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|nav|header|footer|aside|noscript|figure)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(?:br|\/p|\/div|\/h[1-6]|\/li|\/tr|\/article|\/section)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function markdownToText(md: string): string {
  return md
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '')
    .replace(/^\s*>\s?/gm, '')
    .replace(/(\*\*|__|\*|_|`)(?=\S)([^\n]*?\S)\1/g, '$2');
}

/** Blank (same length, spaces) caption lines and their titles, so offsets stay those of the input. */
function blankBoilerplate(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*\d{1,2}:\d{2}\s*[-–—]\s*Source:/i.test(lines[i]!)) {
      lines[i] = ' '.repeat(lines[i]!.length);
      // The video's title: a short line with no closing full stop.
      const next = lines[i + 1];
      if (next !== undefined && next.trim().length < 120 && !/[.!?]["”’]?\s*$/.test(next)) lines[i + 1] = ' '.repeat(next.length);
    } else if (/^\s*(?:[A-Z]{2,}\s*)+[—–-]\s*$/.test(lines[i]!)) {
      lines[i] = ' '.repeat(lines[i]!.length); // a dateline with nothing after it ("CNN —")
    }
  }
  return lines.join('\n');
}

export interface Sentence {
  start: number;
  end: number;
  text: string;
  /** Index of its paragraph (blank-line or line separated). */
  paragraph: number;
}

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'gen', 'lt', 'col', 'maj', 'capt', 'sgt', 'st', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'no', 'vs', 'approx', 'est', 'u.s', 'u.n', 'u.k', 'e.g', 'i.e']);

/** Sentences with their offsets: split at . ! ? before a capital, a digit or a quote, and at line breaks. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let paragraph = 0;
  const lineRe = /[^\n]+/g;
  let prevEnd = 0;
  for (let m = lineRe.exec(text); m; m = lineRe.exec(text)) {
    if (!m[0].trim()) continue;
    if (out.length && text.slice(prevEnd, m.index).includes('\n')) paragraph++;
    prevEnd = m.index + m[0].length;
    const line = m[0];
    let s = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      // A colon before a capital starts a new statement ("… by the United States: There were …").
      if (c !== '.' && c !== '!' && c !== '?' && !(c === ':' && / [A-Z][a-z]/.test(line.slice(i + 1, i + 4)))) continue;
      let j = i + 1;
      while (j < line.length && /["”’')\]]/.test(line[j]!)) j++;
      if (j < line.length && line[j] !== ' ') continue;
      let k = j;
      while (k < line.length && line[k] === ' ') k++;
      // A new sentence starts with anything but a lower-case letter ("… said. <img …", "… 2017. 40 died").
      if (k < line.length && /\p{Ll}/u.test(line[k]!)) continue;
      if (c === '.') {
        const word = /([A-Za-z.]+)$/.exec(line.slice(s, i))?.[1]?.toLowerCase() ?? '';
        if (ABBREVIATIONS.has(word) || /^[a-z]$/.test(word) || /^(?:[a-z]\.)+[a-z]$/.test(word)) continue;
      }
      push(out, text, m.index + s, m.index + j, paragraph);
      s = k;
      i = k - 1;
    }
    push(out, text, m.index + s, m.index + line.length, paragraph);
  }
  return out;
}

/** A wire dateline before the first sentence: "DAMASCUS, March 3 (Reuters) - ". */
const DATELINE = /^[A-Z][A-Z .'’-]+,\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?\([^)]{1,40}\)\s*[-–—]+\s*/;

function push(out: Sentence[], text: string, start: number, end: number, paragraph: number): void {
  const dateline = DATELINE.exec(text.slice(start, end));
  if (dateline) start += dateline[0].length;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (end > start) out.push({ start, end, text: text.slice(start, end), paragraph });
}

/**
 * Whether a text is English: mostly Latin letters, and more English function words than French,
 * Spanish, German or Turkish ones. The extractor's words are English; on other languages it would guess.
 */
export function looksEnglish(text: string): boolean {
  const sample = text.slice(0, 4000);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  const latin = sample.match(/\p{Script=Latin}/gu)?.length ?? 0;
  if (!letters || latin / letters < 0.5) return false;
  const words = sample.toLowerCase().match(/\p{L}+/gu) ?? [];
  let en = 0, other = 0;
  for (const w of words) {
    if (ENGLISH.has(w)) en++;
    else if (FOREIGN.has(w)) other++;
  }
  return en > 0 && en >= other;
}

const ENGLISH = new Set('the of and to in a is that for on was with by as at from it were said has have had an are be this which after their its been who they or not but his her near killed than into against more were when while'.split(' '));
const FOREIGN = new Set('le la les des du et un une est dans pour sur avec par au aux qui que pas ont été selon el los las del y en por con una según fue der die das und ist mit von den dem nicht ein eine auf für ve bir bu ile için olarak'.split(' '));
