import { z } from 'zod';
import { stemEnglish } from '../nlu/english-stem';
import { normalizeText } from '../nlu/normalize';
import type { Tokenizer } from '../nlu/tokenizer';
import { escapeRegExp } from '../regexp';

/** Shape of data/nlu/synonyms.json: colloquial phrases → the plan's own terms, plus words that carry no topic. */
export const synonymTableSchema = z.object({
  groups: z.array(
    z.object({
      match: z.array(z.string().trim().min(1)).min(1),
      add: z.array(z.string().trim().min(1)).min(1),
    }),
  ),
  stopwords: z.object({
    'zh-CN': z.array(z.string().trim().min(1)),
    en: z.array(z.string().trim().min(1)),
  }),
});
export type SynonymTable = z.infer<typeof synonymTableSchema>;

/**
 * A query concept: one thing the user asked about (a word, or a colloquial phrase read through the
 * synonym table). A clause "covers" the concept when it matched any of the concept's terms.
 */
export interface QueryConcept {
  label: string;
  terms: string[];
  /**
   * Terms that are only pieces of what was asked (bigrams of an unknown word): matching one earns
   * PIECE_CREDIT of its weight, so 养老保险 is not "covered" by a clause that only says 保险.
   */
  pieces?: string[];
  /** The asked word itself, when the index must know it for the concept to count as fully weighed. */
  word?: string;
  /**
   * A word made with a function character (想学种, 娃能, 好多), or one the synonym table read all but a character
   * of (关门 in 厂要关门): if the plan never uses it, it names no topic.
   */
  filler?: boolean;
  /**
   * For a phrase read through the synonym table: the plan's own terms it stands for (贫困家庭 → 建档立卡, 贫困).
   * A clause that has one of them speaks to the concept, whatever the rarity of the phrase's own pieces (家庭).
   */
  canonical?: string[];
}

/**
 * Characters of asking, not of topics (想 要 能 啥 咋 啷 哦 …). jieba leaves colloquial fragments such as
 * 想学种, 娃能, 前要 uncut; an unknown word holding one of these is read as filler, never as an unknown topic.
 */
const FILLER_CHARS =
  /[想要能会来去哪啥个有些了吗不没还就都也可前后里出真次回几谁咋啷整得哦嘛呢吧啊呀么怎用只该让给把被我你他她它们这那是的着过从对跟和与等好多每]/u;

/** A number, an age or a span of time in Chinese numerals (四十五, 三年, 十多年): part of the person's story, no topic. */
const NUMBER_WORD = /^[零一二三四五六七八九十百千万两几多半]+[年岁个天月次块元号周]?多?$/u;

export interface AnalyzedQuery {
  /** Search term → boost. */
  terms: Map<string, number>;
  concepts: QueryConcept[];
}

export interface QueryAnalyzer {
  /** Terms a document field is indexed under (long text is cut in pieces: the tokenizer truncates). */
  indexTerms(text: string): string[];
  analyze(query: string): AnalyzedQuery;
}

const HAN_ONLY = /^\p{Script=Han}+$/u;
const HAS_LATIN = /[a-z]/;
const INDEX_CHUNK = 400;

function bigrams(word: string): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

function chunks(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const sentence of text.split(/(?<=[。;;!?!?\n])/u)) {
    if (current.length + sentence.length > INDEX_CHUNK && current) {
      out.push(current);
      current = '';
    }
    current += sentence;
    while (current.length > INDEX_CHUNK) {
      out.push(current.slice(0, INDEX_CHUNK));
      current = current.slice(INDEX_CHUNK);
    }
  }
  if (current) out.push(current);
  return out;
}

interface Span {
  start: number;
  end: number;
}

interface CompiledKey {
  key: string;
  /** A piece every match contains: the cheap test before `find` (the key itself, or a gap key's first part). */
  probe: string;
  add: string[];
  find: (text: string) => Span[];
}

/** How many characters a gap key ("钱…从哪") lets stand between its parts ("钱到底从哪来", "钱是从哪"). */
const GAP_CHARS = 4;

function compileKey(rawKey: string, add: string[]): CompiledKey {
  if (rawKey.includes('…')) return compileGapKey(rawKey, add);
  const key = normalizeText(rawKey);
  if (HAS_LATIN.test(key)) {
    const escaped = escapeRegExp(key);
    // A plural or third-person "s" still matches ("ex-soldiers", "runs").
    const re = new RegExp(`(?<![a-z0-9])${escaped}(?:s|es)?(?![a-z0-9])`, 'g');
    return { key, probe: key, add, find: (text) => Array.from(text.matchAll(re), (m) => span(m.index, key)) };
  }
  return {
    key,
    probe: key,
    add,
    find: (text) => {
      const found: Span[] = [];
      for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) found.push(span(at, key));
      return found;
    },
  };
}

/**
 * A Chinese key whose parts may stand a few characters apart: "钱…从哪" reads "培训的钱到底从哪来" as the table's
 * phrase, which an exact key misses for one 到底. The gap never crosses a clause mark (，。？).
 */
function compileGapKey(rawKey: string, add: string[]): CompiledKey {
  const parts = rawKey.split('…').map((p) => normalizeText(p));
  const re = new RegExp(parts.map(escapeRegExp).join(`[^，。？！,.?!\\s]{0,${GAP_CHARS}}?`), 'gu');
  return {
    key: parts.join(''),
    probe: parts[0]!,
    add,
    find: (text) => Array.from(text.matchAll(re), (m) => ({ start: m.index, end: m.index + m[0].length })),
  };
}

function span(start: number, key: string): Span {
  return { start, end: start + key.length };
}

export function createQueryAnalyzer(tokenizer: Tokenizer, synonyms: SynonymTable): QueryAnalyzer {
  const stop = new Set(
    [...synonyms.stopwords['zh-CN'], ...synonyms.stopwords.en].map((w) => normalizeText(w)),
  );
  // Longest keys first: "失业保险" must win over the "失业" inside it.
  const keys = synonyms.groups
    .flatMap((g) => g.match.map((k) => compileKey(k, g.add)))
    .sort((a, b) => b.key.length - a.key.length);

  /** Keeps terms that can carry meaning: no stop words, no lone Han characters or Latin letters. */
  const keep = (term: string): string | null => {
    const t = stemEnglish(term);
    if (stop.has(term) || stop.has(t)) return null;
    if (Array.from(t).length < 2) return null;
    return t;
  };

  const terms = (text: string): string[] =>
    tokenizer.tokens(text).flatMap((t) => {
      const kept = keep(t);
      return kept ? [kept] : [];
    });

  const indexTerms = (text: string): string[] => chunks(text).flatMap(terms);

  /** What a key stands for, tokenised once (the table never changes); the arrays are only read. */
  const expansions = new Map<CompiledKey, { expanded: string[]; canonical: string[] }>();
  const expansion = (k: CompiledKey) => {
    let found = expansions.get(k);
    if (!found) {
      const canonical = terms(k.add.join(' '));
      found = { expanded: [...new Set([...canonical, ...terms(k.key)])], canonical };
      expansions.set(k, found);
    }
    return found;
  };

  const analyze = (query: string): AnalyzedQuery => {
    const text = normalizeText(query);
    const boosts = new Map<string, number>();
    const put = (term: string, boost: number): void => {
      boosts.set(term, Math.max(boosts.get(term) ?? 0, boost));
    };
    const concepts: QueryConcept[] = [];

    const taken: Span[] = [];
    const overlaps = (s: Span): boolean => taken.some((t) => s.start < t.end && t.start < s.end);
    for (const k of keys) {
      // Every key is looked for in every query: the cheap test first (a key not in the text has no hit).
      if (!text.includes(k.probe)) continue;
      const hits = k.find(text).filter((s) => !overlaps(s));
      if (hits.length === 0) continue;
      taken.push(...hits);
      const { expanded, canonical } = expansion(k);
      for (const t of expanded) put(t, HAN_ONLY.test(t) && t.length === 2 && !k.add.includes(t) ? 0.5 : 1);
      if (expanded.length > 0) concepts.push({ label: k.key, terms: expanded, canonical });
    }
    const covered = taken.map((s) => text.slice(s.start, s.end));

    // A word the synonym table read all but one character of (关门 in 厂要关门, read as 厂要关).
    const mostlyRead = (word: string): boolean => {
      const at = text.indexOf(word);
      if (at < 0 || !HAN_ONLY.test(word)) return false;
      let unread = 0;
      for (let i = at; i < at + word.length; i++) if (!taken.some((t) => i >= t.start && i < t.end)) unread++;
      return unread < word.length && unread < 2;
    };
    // A word inside a phrase the synonym table read is not asked again, stemmed or not ("poor families").
    const free = [
      ...new Set(
        tokenizer.words(text).flatMap((w) => {
          const kept = keep(w);
          return kept && !covered.some((c) => c.includes(w) || c.includes(kept)) ? [kept] : [];
        }),
      ),
    ];
    for (const word of free) {
      if (free.some((other) => other !== word && other.includes(word))) continue;
      const parts = free.filter((other) => other !== word && word.includes(other));
      const grams = HAN_ONLY.test(word) && word.length > 2 ? bigrams(word) : [];
      put(word, 1);
      for (const p of parts) put(p, 0.7);
      for (const g of grams) put(g, 0.4);
      const filler =
        HAN_ONLY.test(word) && (FILLER_CHARS.test(word) || NUMBER_WORD.test(word) || mostlyRead(word));
      concepts.push({ label: word, terms: [word, ...parts, ...grams], pieces: grams, word, filler });
    }
    // Bigrams across the whole message give typo tolerance (见档立卡 still shares 档立, 立卡).
    for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
      for (const g of bigrams(run)) if (!stop.has(g)) put(g, 0.25);
    }
    return { terms: boosts, concepts };
  };

  return { indexTerms, analyze };
}
