import { readFileSync } from 'node:fs';
import type { Nlu } from '../core/dialog/handler';
import { detectLocale } from '../core/nlu/detect-locale';
import { createIntentClassifier, type IntentClassifier } from '../core/nlu/intent-classifier';
import { type Lexicon, parseLexicon } from '../core/nlu/lexicon';
import { extractSlots } from '../core/nlu/slots/extract-slots';
import { createTokenizer, type Tokenizer } from '../core/nlu/tokenizer';
import { createPolicyKnowledge, type PolicyKnowledge } from '../core/policy/policy-index';

export const DATA_DIR = new URL('../../data/', import.meta.url).pathname;

export interface Knowledge {
  tokenizer: Tokenizer;
  lexicon: Lexicon;
  classifier: IntentClassifier;
  policy: PolicyKnowledge;
  nlu: Nlu;
}

const read = (path: string) => readFileSync(`${DATA_DIR}${path}`, 'utf8');

let cached: Knowledge | undefined;

/**
 * Everything the bot knows from data files: the city's policy clauses, the intent examples, the
 * county/trade/group lexicon and the tokenizer's user dictionaries. Built once per process (~0.5 s).
 */
export function loadKnowledge(policyFile = 'policies/zhaotong-2019.json'): Knowledge {
  if (cached) return cached;
  const tokenizer = createTokenizer(`${read('nlu/userdict-policy.txt')}\n${read('nlu/userdict-slots.txt')}`);
  const lexicon = parseLexicon(JSON.parse(read('nlu/lexicon.json')));
  const classifier = createIntentClassifier({
    examplesJson: JSON.parse(read('nlu/intents.json')),
    tokenizer,
    lexicon,
  });
  const policy = createPolicyKnowledge({
    policyJson: read(policyFile),
    synonymsJson: read('nlu/synonyms.json'),
    referralsJson: read('nlu/referrals.json'),
    tradesJson: read(policyFile.replace(/\.json$/, '-trades.json')),
    groupsJson: read(policyFile.replace(/\.json$/, '-groups.json')),
    userDict: '',
    tokenizer,
  });
  // "想学种平果", "想学家正服务": a trade typed with a homophone slip is read as the plan's word for it (苹果, 家政).
  const slotsOf = (text: string) => {
    const slots = extractSlots(text, lexicon);
    if (slots.trade) return slots;
    const corrected = policy.index.correctTypos(text);
    if (corrected === text) return slots;
    const { trade, trades } = extractSlots(corrected, lexicon);
    return trade ? { ...slots, trade, trades } : slots;
  };
  const nlu: Nlu = {
    understand(text) {
      const { intent, confidence } = classifier.classify(text);
      return { intent, confidence, slots: slotsOf(text) };
    },
    detectLocale,
  };
  cached = { tokenizer, lexicon, classifier, policy, nlu };
  return cached;
}
