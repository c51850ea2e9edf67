import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Command, Option } from 'commander';
import { type Knowledge, loadKnowledge } from '../app/knowledge';
import type { Locale } from '../core/domain';
import { evaluateIntents, parseIntentRows } from '../core/nlu/intent-eval';
import { composePolicyAnswer } from '../core/policy/policy-answer';
import { evaluatePolicy } from '../core/policy/policy-eval';
import { parsePolicyQuestions } from '../core/policy/policy-loader';
import { createTranslator } from '../i18n/i18n';
import { LIVE_EVAL_SETS, type LiveEvalSet, runLiveEval } from './live-eval-command';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url).pathname;

interface EvalOptions {
  live?: boolean;
  set?: LiveEvalSet;
  min: string[];
  max: string[];
  jsonDetails?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** One question → intent, confidence, the answer text, cited clauses (best first) and slots. No Redis or DB. */
export function askOne(
  knowledge: Knowledge,
  translate: ReturnType<typeof createTranslator>,
  question: string,
) {
  const { intent, confidence, slots } = knowledge.nlu.understand(question);
  const locale: Locale = knowledge.nlu.detectLocale(question) ?? 'zh-CN';
  const results = knowledge.policy.index.search(question, 3);
  const policyConfidence = knowledge.policy.index.confidence(results);
  const answer = composePolicyAnswer({
    results,
    confidence: policyConfidence,
    doc: knowledge.policy.doc,
    locale,
    t: translate.forLocale(locale),
    question,
  });
  return {
    intent,
    confidence: Math.round(confidence * 1000) / 1000,
    text: answer.text,
    citations: results.map((r) => r.clauseId),
    policy_confidence: Math.round(policyConfidence * 1000) / 1000,
    slots,
  };
}

/** `ask` (one question or one per stdin line) and `eval` (accuracy on the fixtures). */
export function registerAskCommands(program: Command): void {
  program
    .command('ask')
    .description('answer policy questions without Redis or a database')
    .argument('[question...]', 'the question')
    .option('--json', 'print one JSON line')
    .option('--jsonl', 'read one question per stdin line, print one JSON line each')
    .action(async (words: string[], options: { json?: boolean; jsonl?: boolean }) => {
      const knowledge = loadKnowledge();
      const translator = createTranslator();
      const print = (question: string) => {
        const result = askOne(knowledge, translator, question);
        process.stdout.write(
          options.json || options.jsonl
            ? `${JSON.stringify(result)}\n`
            : `${result.text}\n[${result.intent}] ${result.citations.join(', ')}\n`,
        );
      };
      if (options.jsonl) {
        for await (const line of createInterface({
          input: process.stdin,
          crlfDelay: Number.POSITIVE_INFINITY,
        })) {
          if (line.trim()) print(line);
        }
        return;
      }
      if (!words.length) throw new Error('ask needs a question, e.g. jineng ask --json "培训要钱吗"');
      print(words.join(' '));
    });

  program
    .command('eval')
    .description(
      'clause top-1/top-3 and intent accuracy on test/fixtures, as JSON; --live: through the real dialog',
    )
    .option('--live', 'ask every question as a new person through the dialog engine (database and Redis)')
    .addOption(
      new Option('--set <set>', 'with --live: only this set (default: all three)').choices(LIVE_EVAL_SETS),
    )
    .option('--min <name=value,...>', 'with --live: fail (exit 1) when a figure is below this', collect, [])
    .option('--max <name=value,...>', 'with --live: fail (exit 1) when a figure is above this', collect, [])
    .option('--json-details <file>', 'with --live: write one JSON line per question asked to this file')
    .action(async (options: EvalOptions) => {
      if (options.live)
        return runLiveEval({
          sets: options.set ? [options.set] : LIVE_EVAL_SETS,
          min: options.min,
          max: options.max,
          jsonDetails: options.jsonDetails,
        });
      if (options.set || options.min.length || options.max.length || options.jsonDetails)
        throw new Error('eval: --set, --min, --max and --json-details need --live');
      const knowledge = loadKnowledge();
      const policy = evaluatePolicy(
        knowledge.policy.index,
        parsePolicyQuestions(readFileSync(`${FIXTURES}policy-questions.jsonl`, 'utf8')),
      );
      const intents = evaluateIntents(
        knowledge.classifier,
        parseIntentRows(readFileSync(`${FIXTURES}intents.jsonl`, 'utf8')),
      );
      const r = (n: number) => Math.round(n * 1000) / 1000;
      process.stdout.write(
        `${JSON.stringify({
          policy_questions: policy.questions,
          clause_top1: r(policy.top1),
          clause_top3: r(policy.top3),
          intent_utterances: intents.utterances,
          intent_accuracy: r(intents.accuracy),
        })}\n`,
      );
    });
}
