/**
 * Words that assert an event, mapped to ACLED's taxonomy. Verbs are past tense (what happened, not what
 * may); nouns only in constructions that report an occurrence ("fighting broke out", "a car bomb tore
 * through"). Aircraft and drones brought down are coded as ACLED does: Strategic developments /
 * Disrupted weapons use. The first rule of the highest priority found in a sentence gives its event.
 */
import type { EventType } from '../../src/core/taxonomy.js';

export type TriggerKind = 'shootdown' | 'territory' | 'bombing' | 'air' | 'shelling' | 'civilians' | 'abduction' | 'clash' | 'protest';

export interface TriggerRule {
  kind: TriggerKind;
  type: EventType;
  /** Sub-type; territory is decided by who takes it (a state's forces or not). */
  subType: string;
  re: RegExp;
  /** A word that must also be in the sentence (e.g. aircraft for "struck"). */
  needs?: RegExp;
  priority: number;
}

const AIRCRAFT = /\b(?:jets?|warplanes?|planes?|aircraft|air ?force|helicopters?|drones?|UAVs?|bombers?|Su-\d+|MiG|air ?strikes?|airstrikes?|air raids?)\b/i;

export const TRIGGERS: readonly TriggerRule[] = [
  { kind: 'shootdown', type: 'Strategic developments', subType: 'Disrupted weapons use', priority: 9, re: /\b(?:shot|shoots|downed|brought|brings)\s+(?:down\b|(?:a|an|the)\s+[\w-]+(?:\s+[\w-]+)?\s+down\b)|\bdowned\b/i, needs: /\b(?:jets?|warplanes?|planes?|aircraft|helicopters?|drones?|UAVs?|Su-\d+|MiG[-\w]*|fighter|bombers?)\b/i },
  { kind: 'territory', type: 'Battles', subType: 'Government regains territory', priority: 8, re: /\b(?:recaptured|retook|retaken|regained|captured|seized|overran|overrun|liberated|wrested|(?:took|taken|take[ns]?|seized|regained|assumed)\s+(?:full\s+|complete\s+|total\s+)?control\s+of|drove\s+[^,.;]{1,60}?\s+out\s+of|driven\s+out\s+of|expelled|ousted|broke\s+(?:the|a|its)\s+(?:[\w-]+(?:'s|’s)?\s+){0,4}siege|lifted\s+the\s+siege|ended\s+the\s+siege|fell\s+to|fallen\s+to)\b/i },
  { kind: 'bombing', type: 'Explosions/Remote violence', subType: 'Suicide bomb', priority: 7, re: /\b(?:suicide\s+(?:bomb(?:er|ing)?s?|attack(?:er)?s?|car\s+bombs?)|car\s+bombs?|VBIEDs?|truck\s+bombs?)\b/i },
  { kind: 'bombing', type: 'Explosions/Remote violence', subType: 'Remote explosive/landmine/IED', priority: 6, re: /\b(?:roadside\s+bombs?|IEDs?|landmines?|improvised\s+explosive|bomb\s+(?:exploded|went\s+off|blast)|(?:explosion|blast)s?\s+(?:killed|hit|struck|ripped|tore))\b/i },
  { kind: 'air', type: 'Explosions/Remote violence', subType: 'Air/drone strike', priority: 6, re: /\b(?:bombed|bombarded|strafed|air\s*strikes?\s+(?:on|against|hit|struck|killed|targeted|in|near)|airstrikes?\s+(?:on|against|hit|struck|killed|targeted|in|near)|air\s+raids?|(?:dozens\s+of\s+|several\s+|\w+\s+)?raids?\s+on|barrel\s+bombs?|struck|hit|targeted|pounded)\b/i, needs: AIRCRAFT },
  { kind: 'shelling', type: 'Explosions/Remote violence', subType: 'Shelling/artillery/missile attack', priority: 6, re: /\b(?:shelled|shelling\s+(?:of|on|hit|killed)|artillery\s+(?:fire|strikes?|shells?)\s+(?:hit|struck|killed|on)|mortars?\s+(?:hit|struck|killed|fell|landed)|rockets?\s+(?:hit|struck|killed|fell|landed)|missiles?\s+(?:strikes?\s+on|hit|struck|killed|landed)|fired\s+(?:[\w-]+\s+){0,3}(?:missiles|rockets|shells|mortars)|launched\s+(?:[\w-]+\s+){0,3}(?:missiles|rockets))\b/i },
  { kind: 'abduction', type: 'Violence against civilians', subType: 'Abduction/forced disappearance', priority: 5, re: /\b(?:abducted|kidnapped|seized\s+(?:\d+\s+)?hostages)\b/i },
  { kind: 'civilians', type: 'Violence against civilians', subType: 'Attack', priority: 5, re: /\b(?:massacred|executed|beheaded|shot\s+dead|gunned\s+down|opened\s+fire\s+on\s+(?:civilians|protesters|residents|people))\b/i },
  { kind: 'clash', type: 'Battles', subType: 'Armed clash', priority: 4, re: /\b(?:clashed|fought|ambushed|repelled|repulsed|(?:fighting|clashes|battles?)\s+(?:broke\s+out|erupted|raged|flared|continued)|heavy\s+(?:fighting|clashes)|launched\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}(?:assault|attack|offensive|counter-?attack|raid)|in\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}(?:attack|assault|ambush|raid)\s+on|attacked|stormed|(?:advanced|pushed|broke|fought\s+their\s+way)\s+(?:deeper\s+)?into)\b/i },
  { kind: 'protest', type: 'Protests', subType: 'Peaceful protest', priority: 3, re: /\b(?:protested|demonstrated|rallied|took\s+to\s+the\s+streets|(?:protesters|demonstrators)\s+(?:gathered|marched))\b/i },
];

/**
 * Words that take a clause out of what happened: conditionals, predictions, intentions, threats, advice,
 * denials, questions. A trigger with one of these before it in its sentence (or anywhere, for "if") is
 * kept as a claim, not an event.
 */
export const MODAL_CUES: readonly { re: RegExp; claim: ClaimKind }[] = [
  { re: /\b(?:if|unless|whoever|whether|in case)\b/i, claim: 'conditional' },
  // "may" in lower case only: "on May 18" is a date.
  { re: /\bmay\b/, claim: 'prediction' },
  { re: /\b(?:could|would|might|will|shall|going\s+to|expected\s+to|likely\s+to|set\s+to|poised\s+to|about\s+to|ready\s+to|preparing\s+to|plans?\s+to|planned\s+to|planning\s+to|intends?\s+to|aims?\s+to|seeks?\s+to|wants?\s+to|hopes?\s+to)\b/i, claim: 'prediction' },
  { re: /\b(?:threaten(?:ed|s)?|vow(?:ed|s)?|warn(?:ed|s)?)\b/i, claim: 'threat' },
  { re: /\b(?:should|must|need(?:s|ed)?\s+to|ought\s+to|has\s+to|have\s+to|urged|called\s+for)\b/i, claim: 'recommendation' },
  { re: /\b(?:denied|denies|deny|rejected\s+(?:reports|claims)|not|never|no\s+longer|failed\s+to)\b|n't\b/i, claim: 'denial' },
  { re: /\b(?:unconfirmed|rumou?red|allegedly|claimed\s+without)\b/i, claim: 'unconfirmed' },
];

export type ClaimKind = 'conditional' | 'prediction' | 'threat' | 'recommendation' | 'denial' | 'unconfirmed' | 'question' | 'background' | 'undated' | 'opinion';

export interface TriggerHit {
  rule: TriggerRule;
  start: number;
  end: number;
}

/** The strongest trigger in a sentence, or null. */
export function findTrigger(sentence: string): TriggerHit | null {
  let best: TriggerHit | null = null;
  for (const rule of TRIGGERS) {
    if (best && rule.priority <= best.rule.priority) continue;
    if (rule.needs && !rule.needs.test(sentence)) continue;
    const re = new RegExp(rule.re.source, 'gi');
    for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
      // An infinitive or a participle of support ("to take", "backed by ... strikes") is not an occurrence.
      const before = sentence.slice(Math.max(0, m.index - 12), m.index).toLowerCase();
      if (/\bto\s+$/.test(before) && !/^(?:fell|fallen)/i.test(m[0])) continue;
      if (/\b(?:backed|supported|covered|aided)\s+by\s+(?:[\w-]+\s+){0,3}$/.test(sentence.slice(Math.max(0, m.index - 40), m.index).toLowerCase())) continue;
      best = { rule, start: m.index, end: m.index + m[0].length };
      break;
    }
  }
  return best;
}

/** Why a trigger in this sentence is not an assertion, or null when it is one. */
export function modalityOf(sentence: string, triggerStart: number): ClaimKind | null {
  if (/\?\s*["”’]?\s*$/.test(sentence)) return 'question';
  const before = sentence.slice(0, triggerStart);
  for (const cue of MODAL_CUES) {
    if (cue.claim === 'conditional' ? cue.re.test(sentence) : cue.re.test(before)) return cue.claim;
  }
  return null;
}
