import { readFileSync } from 'node:fs';
import { createQuestionMatcher, type QuestionMatcher } from '../core/curated/question-terms';
import { DATA_DIR, type Knowledge } from './knowledge';

let cached: QuestionMatcher | undefined;

/**
 * The matcher curated answers and the unanswered groups compare questions with: term rarity learnt from the
 * bot's intent examples and the plan's sentences. Built once per process.
 */
export function loadQuestionMatcher(knowledge: Knowledge): QuestionMatcher {
  if (cached) return cached;
  const examples = JSON.parse(readFileSync(`${DATA_DIR}nlu/intents.json`, 'utf8')) as Record<
    string,
    Record<string, string[]>
  >;
  const corpus = Object.values(examples).flatMap((byLocale) => Object.values(byLocale).flat());
  for (const c of knowledge.policy.doc.clauses)
    corpus.push(...c.text.split(/[。；;\n]/), c.summary['zh-CN'], c.summary.en);
  cached = createQuestionMatcher(knowledge.tokenizer, corpus);
  return cached;
}
