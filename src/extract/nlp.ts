/**
 * The NLP library underneath extraction (decision 0036): wink-nlp with its English "lite web" model, both
 * from npm, nothing loaded at run time from elsewhere. One pass per document gives tokens with their
 * offsets, universal parts of speech, lemmas and wink's negation scope; the extractor asks it whether a
 * capitalised name is a proper noun (a place from the world gazetteer must be), what a trigger's lemma
 * and part of speech are, and whether a trigger lies in a negation's scope.
 */
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

export interface NlpToken {
  start: number;
  end: number;
  value: string;
  pos: string;
  lemma: string;
  negated: boolean;
}

let nlp: ReturnType<typeof winkNLP> | null = null;

/** Tokens of `text` with their character offsets into it. */
export function analyze(text: string): NlpToken[] {
  nlp ??= winkNLP(model, ['sbd', 'negation', 'pos']);
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const tokens = doc.tokens();
  // wink's typings give each `its` helper its own signature; `out` takes any of them.
  const out_ = tokens.out.bind(tokens) as (f: unknown) => unknown[];
  const values = out_(its.value) as string[];
  const pos = out_(its.pos) as string[];
  const lemma = out_(its.lemma) as string[];
  const neg = out_(its.negationFlag) as boolean[];
  const out: NlpToken[] = [];
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const found = text.indexOf(v, at);
    // wink keeps the text as it is; a token it rewrote is skipped rather than given a wrong offset.
    if (found < 0 || found - at > 64) continue;
    out.push({ start: found, end: found + v.length, value: v, pos: pos[i]!, lemma: lemma[i]!, negated: neg[i]! });
    at = found + v.length;
  }
  return out;
}

/** Tokens of a document, looked up by offset: the token covering `offset`, or null. */
export class TokenIndex {
  private readonly starts: number[];
  constructor(readonly tokens: readonly NlpToken[]) {
    this.starts = tokens.map((t) => t.start);
  }
  at(offset: number): NlpToken | null {
    let lo = 0, hi = this.starts.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= offset) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const t = best >= 0 ? this.tokens[best]! : null;
    return t && offset < t.end ? t : null;
  }
}
