import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { normalizeText } from './normalize';

export interface Tokenizer {
  /** Words as jieba cuts them (search mode), punctuation and spaces removed. */
  words(text: string): string[];
  /** Words plus character bigrams of every Han run: robust to typos and unknown compounds. */
  tokens(text: string): string[];
}

const PUNCT_OR_SPACE = /^[\p{P}\p{S}\s]+$/u;

/**
 * One jieba instance per process (its dictionary load costs ~100 ms); the user dictionary holds the
 * programme's terms (建档立卡, 两后生, 新型学徒制 …) in jieba's "word freq tag" line format.
 */
export function createTokenizer(userDict = ''): Tokenizer {
  const jieba = Jieba.withDict(dict);
  if (userDict.trim()) jieba.loadDict(Buffer.from(userDict));

  const words = (text: string): string[] =>
    jieba
      .cutForSearch(normalizeText(text), true)
      .map((w) => w.trim())
      .filter((w) => w && !PUNCT_OR_SPACE.test(w));

  const tokens = (text: string): string[] => {
    const ws = words(text);
    const out = [...ws];
    for (const run of normalizeText(text).match(/\p{Script=Han}+/gu) ?? []) {
      const chars = Array.from(run);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    }
    return out;
  };

  return { words, tokens };
}
