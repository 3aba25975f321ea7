/**
 * Transliteration folding: Arabic names reach us spelt many ways (Deir ez-Zor, Deir Ezzor, Dayr az Zawr,
 * Deir al-Zour). Folding maps them to one key so aliases and gazetteer look-ups match.
 */
const DIACRITICS = /[\u0300-\u036f]/g;
const ARTICLE = /\b(?:a[lnrstdzh]|e[lnrstdzh]|a[sztd]h|ad|ed|at|et)[-\s']+/g;

export function foldName(name: string): string {
  let s = name
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .toLowerCase()
    .replace(/[‘’ʿʾ`´'ʼ]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ');
  // Arabic definite article in its assimilated forms (al-, as-, ad-, ez-, ...), then run the rest together.
  s = s.replace(ARTICLE, ' ');
  // "Ezzor", "Arraqqa": the article written fused to a word whose first consonant it assimilated to.
  s = s.replace(/(^|\s)[ae]([rstdzn])\2/g, '$1$2');
  s = s.replace(/[\s-]+/g, '');
  // Common vowel and consonant variation in transliteration.
  s = s
    .replace(/ou/g, 'u')
    .replace(/ei/g, 'ai')
    .replace(/ay/g, 'ai')
    .replace(/e/g, 'a')
    .replace(/o/g, 'u')
    .replace(/w(?=[^aiu]|$)/g, 'u')
    .replace(/y(?=[^aiu]|$)/g, 'i')
    .replace(/ee/g, 'i')
    .replace(/q/g, 'k')
    .replace(/au/g, 'u')
    .replace(/(.)\1+/g, '$1')
    .replace(/(?<=[a-z]{3})ah?$/, 'a')
    .replace(/(?<=[a-z]{3})h$/, '');
  return s;
}

/** A short, stable id from a name: "Deir ez-Zor" -> "deir-ez-zor". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .toLowerCase()
    .replace(/[‘’ʿʾ`´'ʼ]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
