export { buildExtractContext, extractEvents, fatalitiesIn, type Claim, type DraftEvent, type ExtractContext, type ExtractResult } from './extract.js';
export { evaluate, type EvalDocument, type EvalReport, type GoldEvent } from './evaluate.js';
export { findDates, weekdayBefore, type DateMention } from './dates.js';
export { ActorLexicon, Gazetteer } from './mentions.js';
export { detectFormat, documentText, DocumentError, MAX_DOCUMENT_CHARS, splitSentences, type TextFormat } from './text.js';
export { loadExtractContext } from './load.js';
