/**
 * Dates written in news text, resolved against the publication date with a past bias (DESIGN.md §3):
 * "on Thursday" is the most recent Thursday before publication, "in December" in a March report is the
 * December before, "last month" the month before. Relative phrases ("a week earlier", "the next day")
 * resolve against an anchor: the date of the event told just before.
 */
import { addDays, dayNumber, fromDayNumber, isIsoDate, toIsoDate, type DatePrecision, type IsoDate } from '../core/dates.js';

export interface DateMention {
  start: number;
  end: number;
  date: IsoDate;
  precision: DatePrecision;
  /** Resolved against the anchor (an earlier event), not the publication date. */
  relative: boolean;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_RE = '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  return MONTHS.findIndex((m) => m.startsWith(w.slice(0, 3)));
}

function numberOf(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (NUMBER_WORDS[word.toLowerCase()] ?? NaN);
}

function parts(d: IsoDate): [number, number, number] {
  return [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
}

/** The most recent `weekday` (0 Sunday) strictly before `published`. */
export function weekdayBefore(published: IsoDate, weekday: number): IsoDate {
  const n = dayNumber(published);
  const today = (((n + 4) % 7) + 7) % 7; // day 0 (1970-01-01) was a Thursday
  const back = ((today - weekday + 7) % 7) || 7;
  return fromDayNumber(n - back);
}

/**
 * The latest `weekday` on or before `published` (issue 19): "on Tuesday" in a report of Thursday is two days
 * before; "on Monday" in a report of Monday is that day (reports of the day name it).
 */
export function weekdayOnOrBefore(published: IsoDate, weekday: number): IsoDate {
  const n = dayNumber(published);
  const today = (((n + 4) % 7) + 7) % 7;
  return fromDayNumber(n - ((today - weekday + 7) % 7));
}

interface Rule {
  re: RegExp;
  resolve: (m: RegExpExecArray, published: IsoDate, anchor: IsoDate | null) => { date: IsoDate; precision: DatePrecision; relative?: boolean } | null;
}

const RULES: Rule[] = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, resolve: (m) => ({ date: toIsoDate(+m[1]!, +m[2]!, +m[3]!), precision: 'day' }) },
  // "30-06-2016", "17.05.2017": day first, as the region's outlets write it.
  { re: /\b(\d{1,2})[-./](\d{1,2})[-./]((?:19|20)\d{2})\b/g, resolve: (m) => { const d = safeDate(+m[3]!, +m[2]!, +m[1]!); return d ? { date: d, precision: 'day' } : null; } },
  {
    // "May 18", "May 18, 2017", "18 May", "18 May 2017"
    re: new RegExp(`\\b(?:${MONTH_RE}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_RE}(?:,?\\s+(\\d{4}))?)\\b`, 'gi'),
    resolve: (m, published) => {
      const mo = monthIndex(m[1] ?? m[5]!) + 1;
      const day = Number(m[2] ?? m[4]);
      const explicit = m[3] ?? m[6];
      if (mo < 1 || day < 1 || day > 31) return null;
      let y = explicit ? Number(explicit) : parts(published)[0];
      let d = safeDate(y, mo, day);
      if (!d) return null;
      if (!explicit && dayNumber(d) > dayNumber(published) + 1) {
        y -= 1;
        d = safeDate(y, mo, day);
      }
      return d ? { date: d, precision: 'day' } : null;
    },
  },
  {
    // "since Sunday": it began then and goes on; dated by its start, to the week.
    re: /\bsince\s+(?:last\s+)?(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b/gi,
    resolve: (m, published) => ({ date: weekdayOnOrBefore(addDays(published, -1), WEEKDAYS.indexOf(m[1]!.toLowerCase())), precision: 'week' }),
  },
  {
    // "last Tuesday" is never the publication day itself.
    re: /\blast\s+(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)\b/gi,
    resolve: (m, published) => ({ date: weekdayBefore(published, WEEKDAYS.indexOf(m[1]!.toLowerCase())), precision: 'day' }),
  },
  {
    re: /\b(?:(?:early|late)\s+)?(?:on\s+|this\s+(?:past\s+)?)?(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)(?:'s|’s|s)?\b/g,
    resolve: (m, published) => ({ date: weekdayOnOrBefore(published, WEEKDAYS.indexOf(m[1]!.toLowerCase())), precision: 'day' }),
  },
  { re: /\b(?:overnight|last\s+night)\b/gi, resolve: (_m, p) => ({ date: addDays(p, -1), precision: 'day' }) },
  { re: /\b(?:earlier\s+this\s+week|this\s+week|in\s+recent\s+days|past\s+few\s+days)\b/gi, resolve: (_m, p) => ({ date: p, precision: 'week' }) },
  { re: /\byesterday\b/gi, resolve: (_m, p) => ({ date: addDays(p, -1), precision: 'day' }) },
  { re: /\b(?:today|this morning|this afternoon|this evening|tonight)\b/gi, resolve: (_m, p) => ({ date: p, precision: 'day' }) },
  { re: /\b(?:last|past) week\b/gi, resolve: (_m, p) => ({ date: addDays(p, -7), precision: 'week' }) },
  {
    re: /\blast month\b/gi,
    resolve: (_m, p) => {
      const [y, mo] = parts(p);
      return { date: mo === 1 ? toIsoDate(y - 1, 12, 1) : toIsoDate(y, mo - 1, 1), precision: 'month' };
    },
  },
  { re: /\bthis month\b|\bearlier this month\b/gi, resolve: (_m, p) => ({ date: `${p.slice(0, 8)}01`, precision: 'month' }) },
  { re: /\blast year\b/gi, resolve: (_m, p) => ({ date: toIsoDate(parts(p)[0] - 1, 1, 1), precision: 'year' }) },
  { re: /\bthis year\b|\bearlier this year\b/gi, resolve: (_m, p) => ({ date: toIsoDate(parts(p)[0], 1, 1), precision: 'year' }) },
  {
    re: /\b(?:more than |nearly |about |some |over )?(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (day|week|month|year)s? (ago|earlier|before|later|after)\b/gi,
    resolve: (m, p, anchor) => {
      const n = numberOf(m[1]!);
      if (!Number.isFinite(n)) return null;
      const unit = m[2]!.toLowerCase();
      const dir = /ago|earlier|before/i.test(m[3]!) ? -1 : 1;
      // "ago" counts from publication; "earlier"/"later" from the event told before, when there is one.
      const relative = !/ago/i.test(m[3]!) && anchor !== null;
      const base = relative ? anchor! : p;
      const precision: DatePrecision = unit === 'day' ? 'day' : unit === 'week' ? 'week' : unit === 'month' ? 'month' : 'year';
      if (unit === 'day') return { date: addDays(base, dir * n), precision, relative };
      if (unit === 'week') return { date: addDays(base, dir * 7 * n), precision, relative };
      const [y, mo] = parts(base);
      if (unit === 'month') {
        const k = y * 12 + (mo - 1) + dir * n;
        return { date: toIsoDate(Math.floor(k / 12), (k % 12) + 1, 1), precision, relative };
      }
      return { date: toIsoDate(y + dir * n, 1, 1), precision, relative };
    },
  },
  {
    re: /\b(?:the (next|following|previous) day|the day (before|after))\b/gi,
    resolve: (m, p, anchor) => ({ date: addDays(anchor ?? p, /next|following|after/i.test(m[0]) ? 1 : -1), precision: 'day', relative: anchor !== null }),
  },
  {
    // "in December", "in March 2017", "since August", "December 2016"
    re: new RegExp(`\\b(?:(?:in|since|during|by|until|early|late|mid-?)\\s+)?${MONTH_RE}(?:\\s+(\\d{4}))?\\b`, 'gi'),
    resolve: (m, p) => {
      const word = m[1]!;
      // "May" and "March" are also words: only a capitalised month counts.
      if (!/^[A-Z]/.test(word)) return null;
      if (/^may$/i.test(word) && !m[2] && !/^(?:in|since|during|by|until|early|late|mid)/i.test(m[0])) return null;
      const mo = monthIndex(word) + 1;
      const [py, pm] = parts(p);
      const y = m[2] ? Number(m[2]) : mo > pm ? py - 1 : py;
      return { date: toIsoDate(y, mo, 1), precision: 'month' };
    },
  },
  {
    re: /\b(?:in|since|during|of|from|by) ((?:19|20)\d{2})\b/g,
    resolve: (m) => ({ date: toIsoDate(Number(m[1]), 1, 1), precision: 'year' }),
  },
];

function safeDate(y: number, mo: number, d: number): IsoDate | null {
  const iso = toIsoDate(y, mo, d);
  return isIsoDate(iso) ? iso : null;
}

/** Every date written in `text` (a sentence), earliest offset first, overlapping matches resolved longest first. */
export function findDates(text: string, published: IsoDate, anchor: IsoDate | null = null): DateMention[] {
  const found: DateMention[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m; m = rule.re.exec(text)) {
      const start = m.index, end = m.index + m[0].length;
      if (found.some((f) => start < f.end && f.start < end)) continue; // an earlier rule is more specific
      const r = rule.resolve(m, published, anchor);
      if (r) found.push({ start, end, date: r.date, precision: r.precision, relative: r.relative ?? false });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The date a document gives itself: a full date (with its year) in its header or dateline, within the
 * first 160 characters ("Date of publication 24 October 2016", "AFP Sunday 24 Aug 2014", "30-06-2016",
 * "BEIRUT, June 19, 2017 (Reuters)"). Null when there is none, or it is after `published`.
 */
export function headerDate(text: string, published: IsoDate): IsoDate | null {
  const head = text.slice(0, 160);
  for (const d of findDates(head, published)) {
    if (d.precision !== 'day' || !/(?:19|20)\d{2}/.test(head.slice(d.start, d.end + 6))) continue;
    const full = /(?:19|20)\d{2}/.test(head.slice(d.start, d.end)) ? d.date : null;
    const date = full ?? (() => {
      // "Wed Jul 27 2016": the year just after the day.
      const y = /^\s*((?:19|20)\d{2})\b/.exec(head.slice(d.end, d.end + 6));
      return y ? `${y[1]}${d.date.slice(4)}` : null;
    })();
    if (date && date <= published) return date;
  }
  return null;
}
