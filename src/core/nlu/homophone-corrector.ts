import { pinyin } from 'pinyin-pro';
import type { Tokenizer } from './tokenizer';

/**
 * Typos typed with a pinyin keyboard are mostly homophones of the word meant: 下刚职工 (下岗), 申零补贴 (申领),
 * 两後生 (两后生, a traditional character), 见档立卡 (建档立卡). The corrector knows the words that matter (the
 * plan's terms and the synonym table's phrases) and rewrites a stretch of a message that is not a word itself
 * but sounds exactly like one of them. A real word that happens to sound alike (事业 for 失业) is left alone.
 */
export interface HomophoneCorrector {
  /** `text` with each homophone typo of a known term replaced by the term (text unchanged when none). */
  correct(text: string): string;
}

const HAN_RUN = /\p{Script=Han}+/gu;
const HAN_ONLY = /^\p{Script=Han}+$/u;
const MIN_LEN = 2;
const MAX_LEN = 5;
/**
 * Function characters (的/得, 在/再, 那/哪 …): swapping them is the commonest slip and changes no topic, while
 * "correcting" one (免费的不 → 免费得不) would invent a word: a term is never reached by writing one in. A function
 * character typed for a term's own character is corrected only as `functionSlip` allows (rarely).
 */
const FUNCTION_CHARS = new Set(
  Array.from(
    '的地得了着过是不没吗呢吧啊呀哦嘛么在再和与及或也都就还又很太最更我你他她它们这那哪个些有要会能可想去来到给把被让对从向怎咋啷啥谁什几多少',
  ),
);

/**
 * Fuzzy pinyin, as Chinese input methods allow (模糊音): zh/z, ch/c, sh/s, n/l, and -ng/-n finals are the
 * sounds people mix up most (southwestern Mandarin, spoken in Zhaotong, does not tell them apart at all).
 */
function fuzzy(syllable: string): string {
  return syllable
    .replace(/^([zcs])h/, '$1')
    .replace(/^n(?=[aeiouv])/, 'l')
    .replace(/ng$/, 'n');
}

/** Toneless fuzzy pinyin, one syllable per character, joined: the same function for terms and messages. */
function soundOf(chars: readonly string[], cache: Map<string, string>): string {
  let out = '';
  for (const c of chars) {
    let s = cache.get(c);
    if (s === undefined) {
      s = fuzzy(pinyin(c, { toneType: 'none' }));
      cache.set(c, s);
    }
    out += `${s} `;
  }
  return out;
}

export function createHomophoneCorrector(
  tokenizer: Tokenizer,
  vocabulary: Iterable<string>,
): HomophoneCorrector {
  const charSound = new Map<string, string>();
  const known = new Set<string>();
  /** Sound → the known terms with that sound. */
  const bySound = new Map<string, string[]>();
  for (const term of vocabulary) {
    const chars = Array.from(term);
    if (!HAN_ONLY.test(term) || chars.length < MIN_LEN || chars.length > MAX_LEN) continue;
    if (known.has(term)) continue;
    known.add(term);
    const sound = soundOf(chars, charSound);
    const terms = bySound.get(sound);
    if (terms) terms.push(term);
    else bySound.set(sound, [term]);
  }

  /**
   * The known term a piece that is not a word sounds like: the one sharing most characters with it (a typo
   * changes some characters, not all: a whole other word that sounds alike is no typo); none on a tie.
   */
  const closest = (piece: readonly string[], text: string): string | undefined => {
    const candidates = bySound.get(soundOf(piece, charSound));
    if (!candidates || tokenizer.isWord(text)) return undefined;
    let best: string | undefined;
    let bestSame = 0;
    let tie = false;
    for (const term of candidates) {
      const chars = Array.from(term);
      if (chars.some((c, k) => c !== piece[k] && FUNCTION_CHARS.has(c))) continue;
      // A function character typed for a term's own: only as `functionSlip` allows.
      if (
        chars.some((c, k) => c !== piece[k] && FUNCTION_CHARS.has(piece[k]!)) &&
        !functionSlip(piece, chars)
      )
        continue;
      const same = chars.filter((c, k) => c === piece[k]).length;
      if (same > bestSame) [best, bestSame, tie] = [term, same, false];
      else if (same === bestSame && same > 0) tie = true;
    }
    return tie ? undefined : best;
  };

  /**
   * A function character typed for a term's own is taken as a slip only in a term of three characters or more,
   * where it is the only slip and the rest is no word of its own. Beside one character it is the function word it
   * looks like: 月少 is no 月嫂 ("上月少了五十块"), 老是 no 老师, 管你 no 管理, 全不 no 全部; in 培训是 (培训师) the
   * rest is a word, so 是 is the verb.
   */
  const functionSlip = (piece: readonly string[], term: readonly string[]): boolean => {
    const rest = piece.filter((c, k) => c === term[k]);
    return rest.length >= 2 && rest.length === piece.length - 1 && !tokenizer.isWord(rest.join(''));
  };

  const correctRun = (run: string): string => {
    const chars = Array.from(run);
    // Where dictionary words start and end: a piece that cuts one (医保|怎么 → 保怎) is no typo of anything.
    const starts = new Set<number>();
    const ends = new Set<number>();
    let at = 0;
    for (const w of tokenizer.cut(run)) {
      const n = Array.from(w).length;
      if (n > 1) {
        for (let k = at + 1; k < at + n; k++) starts.add(k); // inside a word: no piece may start here
        for (let k = at + 1; k < at + n; k++) ends.add(k); // …or end here
      }
      at += n;
    }
    const out: string[] = [];
    let i = 0;
    while (i < chars.length) {
      let replaced = false;
      for (let len = Math.min(MAX_LEN, chars.length - i); len >= MIN_LEN && !replaced; len--) {
        if (starts.has(i) || ends.has(i + len)) continue;
        const piece = chars.slice(i, i + len);
        const text = piece.join('');
        // Spelt right: kept whole, so nothing inside it is "corrected".
        const term = known.has(text) ? text : closest(piece, text);
        if (!term) continue;
        out.push(term);
        i += len;
        replaced = true;
      }
      if (!replaced) {
        out.push(chars[i]!);
        i += 1;
      }
    }
    return out.join('');
  };

  return {
    correct: (text) => text.replace(HAN_RUN, (run) => (run.length >= MIN_LEN ? correctRun(run) : run)),
  };
}
