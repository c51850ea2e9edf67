import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IntentClassifier } from '../../src/core/nlu/intent-classifier';
import { createIntentClassifier } from '../../src/core/nlu/intent-classifier';
import { evaluateIntents, parseIntentRows } from '../../src/core/nlu/intent-eval';
import { INTENTS } from '../../src/core/nlu/intents';
import { loadLexicon } from '../../src/core/nlu/lexicon';
import { createTokenizer } from '../../src/core/nlu/tokenizer';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const examplesJson = JSON.parse(read('data/nlu/intents.json'));
const rows = parseIntentRows(read('test/fixtures/intents.jsonl'));

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = createIntentClassifier({
    examplesJson,
    tokenizer: createTokenizer(read('data/nlu/userdict-slots.txt')),
    lexicon: loadLexicon(new URL('data/nlu/lexicon.json', root).pathname),
  });
});

describe('intent classifier on held-out utterances', () => {
  it('is at least 90% accurate', () => {
    const report = evaluateIntents(classifier, rows);
    const misses = Object.entries(report.perIntent).flatMap(([intent, s]) =>
      (s?.misses ?? []).map((m) => `${intent} ← ${m.got}: ${m.text}`),
    );
    expect(report.accuracy, misses.join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('covers every label with held-out utterances that are not training examples', () => {
    const normalise = (t: string) => t.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
    const training = new Set(
      Object.values(examplesJson as Record<string, Record<string, string[]>>)
        .flatMap((byLang) => Object.values(byLang).flat())
        .map(normalise),
    );
    expect(rows.length).toBeGreaterThanOrEqual(180);
    for (const intent of INTENTS)
      expect(
        rows.some((r) => r.intent === intent),
        intent,
      ).toBe(true);
    const copied = rows.filter((r) => normalise(r.text) && training.has(normalise(r.text)));
    expect(copied).toEqual([]);
  });
});

describe('intent classifier behaviour', () => {
  it.each([
    ['要钱吗', 'policy.ask'],
    ['两后生是什么', 'policy.ask'],
    ['what subsidy for apprentices', 'policy.ask'],
    ['我想学电焊', 'course.search'],
    ['镇雄有什么培训', 'course.search'],
    ['帮我报个名', 'enrol.start'],
    ['sign me up', 'enrol.start'],
    ['转人工', 'handoff.human'],
    ['English please', 'language.switch'],
    ['删除我的信息', 'privacy.delete'],
    ['通知电商班:明天上午9点改到201教室', 'broadcast.send'],
  ] as const)('%s → %s', (text, intent) => {
    expect(classifier.classify(text).intent).toBe(intent);
  });

  it.each(['', '   ', '😀😀😀', '\u0000\u0007', 'zxqvbnm', '12345'])(
    'reads %j as unknown with no confidence',
    (text) => {
      expect(classifier.classify(text)).toEqual({ intent: 'unknown', confidence: 0 });
    },
  );

  it('gives off-topic chatter low confidence', () => {
    for (const text of ['今天天气怎么样', 'tell me a joke']) {
      const r = classifier.classify(text);
      expect(r.intent).toBe('unknown');
      expect(r.confidence).toBeLessThan(0.5);
    }
  });

  it('returns probabilities between 0 and 1 that sum to 1', () => {
    const r = classifier.classify('培训补贴有多少');
    expect(r.confidence).toBeGreaterThan(0.5);
    expect(r.confidence).toBeLessThanOrEqual(1);
    const sum = Object.values(r.scores ?? {}).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
  });

  // Speed is measured by `npm run bench -- turn`, not asserted here.
  it('classifies a huge paste without throwing', () => {
    expect(() => classifier.classify('培训'.repeat(5_000))).not.toThrow();
  });

  it('rejects an examples file that misses a label', () => {
    const { unknown: _dropped, ...rest } = examplesJson;
    expect(() => createIntentClassifier({ examplesJson: rest, tokenizer: createTokenizer() })).toThrow();
  });

  it('has at least 30 examples for every label', () => {
    for (const intent of INTENTS) {
      const ex = examplesJson[intent];
      expect(ex['zh-CN'].length + ex.en.length, intent).toBeGreaterThanOrEqual(30);
    }
  });
});
