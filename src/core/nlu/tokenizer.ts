import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { normalizeText } from './normalize';

export interface Tokenizer {
  /** Words as jieba cuts them (search mode), punctuation and spaces removed. */
  words(text: string): string[];
  /** Words plus character bigrams of every Han run: robust to typos and unknown compounds. */
  tokens(text: string): string[];
  /** Dictionary words only, in order (jieba's exact mode without guessing new words): spans of a text. */
  cut(text: string): string[];
  /** Whether jieba's dictionaries (with the user dictionary) hold `text` as one word. */
  isWord(text: string): boolean;
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

  const isWord = (text: string): boolean => {
    const cut = jieba.cut(text, false);
    return cut.length === 1 && cut[0] === text;
  };

  const cut = (text: string): string[] => jieba.cut(text, false);

  return { words, tokens, isWord, cut };
}
