import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Command, Option } from 'commander';
import { createRuntime, type Runtime } from '../app/compose';
import { loadKnowledge } from '../app/knowledge';
import type { InboundMessage } from '../core/message';
import { evaluateIntents, parseIntentRows } from '../core/nlu/intent-eval';
import { evaluatePolicy } from '../core/policy/policy-eval';
import { parsePolicyQuestions } from '../core/policy/policy-loader';
import { LIVE_EVAL_SETS, type LiveEvalSet, runLiveEval } from './live-eval-command';
import { boot } from './run-cli';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url).pathname;

interface EvalOptions {
  live?: boolean;
  set?: LiveEvalSet;
  min: string[];
  max: string[];
  jsonDetails?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * One question as a new person through the dialog engine, the same decision `converse`, the web chat,
 * Telegram and WeChat use: intent, answer kind, the reply text and the cited clauses (best first).
 */
async function askThroughDialog(runtime: Runtime, question: string, n: number) {
  const user = `ask-${process.pid}-${Date.now().toString(36)}-${n}`;
  const message: InboundMessage = {
    id: `ask:${user}`,
    address: { channel: 'converse', chatId: user },
    senderId: user,
    text: question,
    kind: 'text',
    receivedAt: new Date(),
  };
  const result = await runtime.engine.handle(message);
  return {
    intent: result.intent,
    answer: result.answer,
    text: result.replies.map((r) => r.text).join('\n'),
    citations: result.citations,
  };
}

/** `ask` (one question or one per stdin line) and `eval` (accuracy on the fixtures). */
export function registerAskCommands(program: Command): void {
  program
    .command('ask')
    .description('ask questions as a new person through the dialog (as converse does), print the answer')
    .argument('[question...]', 'the question')
    .option('--json', 'print one JSON line')
    .option('--jsonl', 'read one question per stdin line, print one JSON line each')
    .action(async (words: string[], options: { json?: boolean; jsonl?: boolean }) => {
      if (!options.jsonl && !words.length)
        throw new Error('ask needs a question, e.g. jineng ask --json "培训要钱吗"');
      const { config, logger } = boot();
      const runtime = await createRuntime(config, logger);
      let n = 0;
      const print = async (question: string) => {
        const result = await askThroughDialog(runtime, question, ++n);
        process.stdout.write(
          options.json || options.jsonl
            ? `${JSON.stringify(result)}\n`
            : `${result.text}\n[${result.intent}${result.answer ? ` · ${result.answer}` : ''}] ${result.citations.join(', ')}\n`,
        );
      };
      try {
        if (options.jsonl) {
          for await (const line of createInterface({
            input: process.stdin,
            crlfDelay: Number.POSITIVE_INFINITY,
          })) {
            if (line.trim()) await print(line);
          }
        } else await print(words.join(' '));
      } finally {
        await runtime.close();
      }
    });

  program
    .command('eval')
    .description(
      'clause top-1/top-3 and intent accuracy on test/fixtures, as JSON; --live: through the real dialog',
    )
    .option('--live', 'ask every question as a new person through the dialog engine (database and Redis)')
    .addOption(
      new Option('--set <set>', 'with --live: only this set (default: all of them)').choices(LIVE_EVAL_SETS),
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
