/**
 * Words that assert an event, mapped to ACLED's taxonomy. Verbs are past tense (what happened, not what
 * may); nouns only in constructions that report an occurrence ("fighting broke out", "a car bomb tore
 * through"). Aircraft and drones brought down are coded as ACLED does: Strategic developments /
 * Disrupted weapons use. The first rule of the highest priority found in a sentence gives its event.
 */
import type { EventType } from '../core/taxonomy.js';

export type TriggerKind = 'shootdown' | 'territory' | 'bombing' | 'chemical' | 'air' | 'shelling' | 'civilians' | 'abduction' | 'clash' | 'protest';

export interface TriggerRule {
  kind: TriggerKind;
  type: EventType;
  /** Sub-type; territory is decided by who takes it (a state's forces or not). */
  subType: string;
  re: RegExp;
  /** A word that must also be in the sentence (e.g. aircraft for "struck"). */
  needs?: RegExp;
  /** Only when the sentence has no other trigger ("killed 28 militants" beside "air strikes" is their toll). */
  weak?: boolean;
  priority: number;
}

const AIRCRAFT = /\b(?:jets?|warplanes?|war\s+planes?|planes?|aircraft|air ?force|helicopters?|drones?|UAVs?|bombers?|Su-\d+|MiG|air ?strikes?|airstrikes?|air raids?|aerial|strikes?)\b/i;
/** Words that make a nominal trigger an occurrence: something was done, someone was harmed. */
export const OCCURRED = /\b(?:reported|killed|killing|kills|dead|died|wounded|wounding|injured|injuring|hit|hits|struck|targeted|targeting|destroyed|destroying|left|leaving|claimed|claiming|carried\s+out|conducted|launched|took\s+place|erupted|broke\s+out|continued|raged|exploded|went\s+off|fell|landed|engaged|pounded|battered|suffered|damaged|caused|were|was|on\s+(?:Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)|yesterday|overnight)\b/i;

export const TRIGGERS: readonly TriggerRule[] = [
  { kind: 'shootdown', type: 'Strategic developments', subType: 'Disrupted weapons use', priority: 9, re: /\b(?:shot|shoots|downed|brought|brings)\s+(?:down\b|(?:a|an|the)\s+[\w-]+(?:\s+[\w-]+)?\s+down\b)|\bdowned\b/i, needs: /\b(?:jets?|warplanes?|planes?|aircraft|helicopters?|drones?|UAVs?|Su-\d+|MiG[-\w]*|fighter|bombers?)\b/i },
  { kind: 'territory', type: 'Battles', subType: 'Government regains territory', priority: 8, re: /\b(?:recaptured|recapturing|retook|retaking|retaken|regained|regaining|captured|capturing|seized|seizing|overran|overrun|liberated|liberating|wrested|(?:took|taken|taking|take[ns]?|seized|regained|assumed|restored|imposed|managed\s+to\s+control|gained)\s+(?:full\s+|complete\s+|total\s+)?control\s+(?:of|over)|managed\s+to\s+control|took\s+over|drove\s+[^,.;]{1,60}?\s+out\s+of|drive\s+out|driven\s+out\s+of|expelled|expelling|ousted|broke\s+(?:the|a|its)\s+(?:[\w-]+(?:'s|’s)?\s+){0,4}siege|lifted\s+the\s+siege|ended\s+the\s+siege|fell\s+to|fallen\s+to|entered)\b/i },
  { kind: 'bombing', type: 'Explosions/Remote violence', subType: 'Suicide bomb', priority: 7, re: /\b(?:suicide\s+(?:bomb(?:er|ing)?s?|attack(?:er)?s?|car\s+bombs?|blasts?|terrorist|bomb\s+attacks?)|blew\s+(?:him|her)self\s+up|detonated\s+(?:a|an|his|her)\s+(?:explosive\s+)?(?:belt|vest)|car\s+bombs?|VBIEDs?|truck\s+bombs?|booby-trapped\s+(?:car|vehicle)s?\s+(?:exploded|blast|went))\b/i },
  { kind: 'bombing', type: 'Explosions/Remote violence', subType: 'Remote explosive/landmine/IED', priority: 6, re: /\b(?:roadside\s+bombs?|IEDs?|landmines?|land\s+mines?|improvised\s+explosive|explosive\s+devices?|bombs?\s+(?:exploded|went\s+off|blast)|blew\s+up|(?:explosion|blast)s?\s+(?:killed|hit|struck|ripped|tore|in|at)|(?:a|an|the|twin)\s+(?:[\w-]+\s+)?(?:explosion|blast)s?|exploded)\b/i },
  { kind: 'chemical', type: 'Explosions/Remote violence', subType: 'Chemical weapon', priority: 6, re: /\b(?:chemical\s+(?:weapons?\s+)?(?:attack|strike)s?|(?:chlorine|sarin|toxic)\s+(?:gas\s+)?(?:attack|strike|bombs?)s?)\b/i },
  { kind: 'air', type: 'Explosions/Remote violence', subType: 'Air/drone strike', priority: 6, re: /\b(?:bombed|bombarded|bombarding|strafed|raided|air\s*strikes?|airstrikes?|air\s+raids?|aerial\s+(?:attacks?|bombardments?|strikes?|campaign)|(?:dozens\s+of\s+|several\s+|\w+\s+)?raids?\s+on|barrel\s+bombs?|bombardments?)\b/i },
  { kind: 'air', type: 'Explosions/Remote violence', subType: 'Air/drone strike', priority: 6, re: /\b(?:raids|bombing|strikes?|struck|hit|targeted|targeting|pounded|pounding)\b/i, needs: AIRCRAFT },
  { kind: 'shelling', type: 'Explosions/Remote violence', subType: 'Shelling/artillery/missile attack', priority: 6, re: /\b(?:shelled|shelling|shells?|artillery\s+(?:fire|strikes?|shells?|shelling)|mortar\s+(?:shells?|rounds?|attacks?)|mortars?|rocket\s+(?:fire|attacks?|shells?)|rockets?|missile\s+(?:strikes?|attacks?)|missiles?|fired\s+(?:[\w-]+\s+){0,3}(?:missiles|rockets|shells|mortars)|launched\s+(?:[\w-]+\s+){0,3}(?:missiles|rockets))\b/i },
  { kind: 'abduction', type: 'Violence against civilians', subType: 'Abduction/forced disappearance', priority: 5, re: /\b(?:abducted|kidnapped|seized\s+(?:\d+\s+)?hostages)\b/i },
  { kind: 'civilians', type: 'Violence against civilians', subType: 'Attack', priority: 5, re: /\b(?:massacred|massacre|executed|executions?|beheaded|slit\s+the\s+throats|shot\s+dead|gunned\s+down|opened\s+fire\s+on\s+(?:civilians|protesters|residents|people)|sniper\s+fire)\b/i },
  { kind: 'clash', type: 'Battles', subType: 'Armed clash', priority: 4, re: /\b(?:clashed|clashing|fought|ambushed|ambush|repelled|repulsed|foiled|thwarted|(?:fighting|clashes|battles?)\s+(?:broke\s+out|erupted|raged|flared|continued)|clashes|fighting|battles?|heavy\s+(?:fighting|clashes)|launched\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}(?:assault|attack|offensive|counter-?attack|counteroffensive|raid)|counter-?offensive|counter-?attack|offensive|in\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}(?:attack|assault|ambush|raid)\s+on|attacked|stormed|storming|infiltrated|assault|(?:advanced|pushed|broke|fought\s+their\s+way)\s+(?:deeper\s+)?into|attack\s+on|attacks\s+on)\b/i },
  // "The Syrian army killed 28 Daesh militants": fighters killed by fighters, a battle.
  { kind: 'clash', type: 'Battles', subType: 'Armed clash', priority: 3, re: /\b(?:killed|kills|killing)\s+(?:at\s+least\s+|over\s+|more\s+than\s+|some\s+|about\s+|dozens\s+of\s+|scores\s+of\s+|tens\s+of\s+|a\s+number\s+of\s+|several\s+)?(?:\d+\s+|\w+\s+)?(?:(?!(?:on|in|as|by|when|after|while|at|during|near|the|a)\b)[\w-]+\s+){0,5}(?:militants|terrorists|fighters|jihadists|soldiers|troops|rebels|insurgents|gunmen)\b/i, weak: true },
  { kind: 'protest', type: 'Protests', subType: 'Peaceful protest', priority: 3, re: /\b(?:protested|demonstrated|rallied|took\s+to\s+the\s+streets|(?:protesters|demonstrators)\s+(?:gathered|marched))\b/i },
];

/** Trigger words that are nouns: they report an occurrence only where the sentence says something happened. */
export const NOMINAL = /^(?:air\s*strikes?|airstrikes?|air\s+raids?|aerial|raids?|barrel|bombardments?|bombing|strikes?|shelling|shells?|artillery|mortars?|mortar|rockets?|rocket|missiles?|clashes|fighting|battles?|heavy|ambush|offensive|counter|assault|attack|attacks|(?:a|an|the|twin)\s|explosive|massacre|executions?|sniper|chemical|chlorine|sarin|toxic|car|suicide|truck|VBIED|IED|landmine|land|roadside|improvised)/i;

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
  { re: /\b(?:unconfirmed|rumou?red|allegedly|claimed\s+without|it\s+is\s+claimed|if\s+genuine|could\s+not\s+be\s+(?:independently\s+)?verified)\b/i, claim: 'unconfirmed' },
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

/**
 * Every trigger in a sentence, in text order, none overlapping another (the higher priority wins an
 * overlap). Infinitives ("to take"), support ("backed by … air strikes") and nouns in a sentence that says
 * nothing happened are left out.
 */
export function findTriggers(sentence: string): TriggerHit[] {
  const hits: TriggerHit[] = [];
  const occurred = OCCURRED.test(sentence);
  for (const rule of TRIGGERS) {
    if (rule.needs && !rule.needs.test(sentence)) continue;
    const re = new RegExp(rule.re.source, 'gi');
    for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
      const before = sentence.slice(Math.max(0, m.index - 12), m.index).toLowerCase();
      if (/\bto\s+$/.test(before) && !/^(?:fell|fallen)/i.test(m[0])) continue;
      if (/\b(?:backed|supported|covered|aided|accompanied)\s+by\s+(?:[\w-]+\s+){0,4}$|\b(?:with\s+the\s+help\s+of|under\s+the\s+cover\s+of|amid)\s+(?:[\w-]+\s+){0,3}$/.test(sentence.slice(Math.max(0, m.index - 45), m.index).toLowerCase())) continue;
      if (NOMINAL.test(m[0]) && !occurred) continue;
      // "After weeks of fighting, …": the time it took, not an occurrence.
      if (NOMINAL.test(m[0]) && /\b(?:after|following|amid|despite)\s+(?:(?:weeks|days|months|years|hours)\s+of\s+)?(?:[\w-]+\s+){0,2}$/i.test(sentence.slice(Math.max(0, m.index - 40), m.index))) continue;
      // "the liberating forces", "the aim of recapturing": a participle or gerund, not an occurrence.
      if (/^\w+ing$/i.test(m[0]) && rule.kind !== 'clash' && /\b(?:the|a|an|its|their|his|her|of|for|at|to|on|about|by|in|without|from)\s+$/i.test(before)) continue;
      // "entered" a place, not a zone or a phase: a name follows.
      if (/^entered$/i.test(m[0]) && !/^\s+(?:the\s+(?:town|city|village|neighbou?rhood|district)\s+of\s+)?(?:(?:al|el|as|ad|ar)-)?[A-Z]/.test(sentence.slice(m.index + m[0].length))) continue;
      const hit = { rule, start: m.index, end: m.index + m[0].length };
      const clash = hits.findIndex((h) => h.start < hit.end && hit.start < h.end);
      if (clash >= 0) {
        if (hits[clash]!.rule.priority >= rule.priority) continue;
        hits.splice(clash, 1);
      }
      hits.push(hit);
    }
  }
  const strong = hits.filter((h) => !h.rule.weak);
  return (strong.length ? strong : hits).sort((a, b) => a.start - b.start);
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
