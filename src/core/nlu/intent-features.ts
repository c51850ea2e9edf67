import { stemEnglish } from './english-stem';
import { cueFeatures } from './intent-cues';
import type { Lexicon } from './lexicon';
import { normalizeForMatch } from './lexicon';
import { normalizeText } from './normalize';
import { matchLexicon } from './slots/lexicon-match';
import type { Tokenizer } from './tokenizer';

const LATIN_WORD = /^[a-z][a-z']*$/;
const HAN_CHAR = /\p{Script=Han}/u;
/** English words too common to say anything about intent; kept only inside word bigrams. */
const STOP = new Set(
  'a an the to for of in on at is are am be i me you it this that and or there please pls can do does'.split(
    ' ',
  ),
);
/** Concept cues and rule cues generalise beyond the examples' wording, so they count more. */
const CUE_WEIGHT = 2;

/**
 * A coordinator notice starts with the act of notifying and names its audience; a worker's question
 * about a class rarely does.
 */
const NOTIFY_LEAD =
  /^(?:请|帮我|麻烦)?(?:通知|群发|广播|公告|发通知|发个通知|发布通知|给.{1,16}?(?:发|群发|发个|发一个|发一条)(?:通知|消息|信息)?|发给.{1,16}?[班员])|^(?:please )?(?:notify|broadcast|announce|announcement|notice to|send (?:a )?(?:notice|message)|message all|tell (?:the|all) )/;
const CLASS_WORD = /班|学员|学生|全体|所有人|class|trainees|students/;

/** Feature → weight for one message. */
export type Features = Map<string, number>;

export function createFeatureExtractor(tokenizer: Tokenizer, lexicon?: Lexicon): (text: string) => Features {
  return (text: string): Features => {
    const norm = normalizeText(text);
    const features: Features = new Map();
    if (!norm) return features;
    const latin: string[] = [];
    for (const token of tokenizer.tokens(norm)) {
      if (!LATIN_WORD.test(token)) {
        features.set(token, 1);
        continue;
      }
      const word = STOP.has(token) ? token : stemEnglish(token);
      if (!STOP.has(token)) features.set(word, 1);
      latin.push(word);
    }
    for (let i = 0; i + 1 < latin.length; i++) features.set(`${latin[i]}_${latin[i + 1]}`, 1);
    for (const ch of norm) if (HAN_CHAR.test(ch)) features.set(`c:${ch}`, 1);

    const cues = cueFeatures(norm);
    if (lexicon) {
      const m = normalizeForMatch(norm);
      if (matchLexicon(m, lexicon.county).length > 0) cues.push('@county');
      if (matchLexicon(m, lexicon.trade).length > 0) cues.push('@trade');
      if (matchLexicon(m, lexicon.group).length > 0) cues.push('@group');
    }
    const notify = NOTIFY_LEAD.test(norm);
    if (notify) cues.push('#notify');
    if (notify && CLASS_WORD.test(norm)) cues.push('#notify_class');
    for (const cue of cues) features.set(cue, CUE_WEIGHT);
    return features;
  };
}
