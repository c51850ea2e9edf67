import { describe, expect, it } from 'vitest';
import { missedThresholds, parseThresholds } from '../../src/cli/live-eval-thresholds';
import {
  type Ask,
  evaluateLive,
  figuresByName,
  figuresLine,
  type LiveEvalItem,
  type LiveReply,
} from '../../src/core/policy/live-eval';

/** A dialog that answers by the last message only, recording every conversation it is given. */
function fakeDialog(answers: Record<string, Partial<LiveReply>>) {
  const conversations: string[][] = [];
  const ask: Ask = async (messages) => {
    conversations.push([...messages]);
    const reply = answers[messages.at(-1)!] ?? {};
    return { citations: [], intent: 'policy.ask', text: '', ...reply };
  };
  return { ask, conversations };
}

const item = (q: string, clauses: string[], extra: Partial<LiveEvalItem> = {}): LiveEvalItem => ({
  q,
  clauses,
  ...extra,
});

describe('live evaluation scoring', () => {
  it('counts right first, confidently wrong and no answer over the questions the plan answers', async () => {
    const { ask } = fakeDialog({
      right: { citations: ['s2.2', 'p1'] },
      second: { citations: ['p1', 's2.2'] },
      silent: { citations: [] },
      alsoRight: { citations: ['s3'] },
    });
    const report = await evaluateLive(
      [
        item('right', ['s2.2']),
        item('second', ['s2.2']),
        item('silent', ['s2.2']),
        item('alsoRight', ['s2.2', 's3']),
      ],
      ask,
    );
    expect(report.rightFirst).toEqual({ hits: 2, of: 4 });
    expect(report.confidentlyWrong).toEqual({ hits: 1, of: 4 });
    expect(report.noAnswer).toEqual({ hits: 1, of: 4 });
    const line = figuresLine('tuning', report, 1.234);
    expect(line).toMatchObject({ set: 'tuning', questions: 4, right_first: 0.5, no_answer: 0.25 });
    expect(line.seconds).toBe(1.2);
    // No out-of-plan item and no answer_must_contain: unmeasured, not a misleading 0.
    expect(line.out_of_plan_abstained).toBeNull();
    expect(line.answer_contains).toBeNull();
  });

  it('treats any citation on an out-of-plan question as confidently wrong and silence as abstaining', async () => {
    const { ask } = fakeDialog({
      medical: { citations: ['s1'] },
      school: { citations: [] },
      course: { citations: ['s4'] },
    });
    const report = await evaluateLive(
      [
        item('medical', [], { expect: 'abstain' }),
        item('school', [], { expect: 'abstain' }),
        item('course', [], { expect: 'course' }),
      ],
      ask,
    );
    expect(report.confidentlyWrong).toEqual({ hits: 2, of: 3 });
    // A course question is not out of plan; only the two labelled abstain are.
    expect(report.outOfPlanAbstained).toEqual({ hits: 1, of: 2 });
    // None of them is a question the plan answers.
    expect(report.rightFirst.of).toBe(0);
    expect(figuresLine('heldout', report, 0).right_first).toBeNull();
  });

  it('believes the answer kind over silence once the dialog reports one', async () => {
    const { ask } = fakeDialog({
      honest: { citations: [], answer: 'abstain' },
      clarifies: { citations: [], answer: 'clarify' },
    });
    const report = await evaluateLive(
      [item('honest', [], { expect: 'abstain' }), item('clarifies', [], { expect: 'abstain' })],
      ask,
    );
    expect(report.outOfPlanAbstained).toEqual({ hits: 1, of: 2 });
  });

  it('sends a follow-up after its context as one person, and scores only the reply to the question', async () => {
    const { ask, conversations } = fakeDialog({
      我想学电焊: { citations: ['s9'], intent: 'course.search' },
      要钱不: { citations: ['s2.2'] },
    });
    const report = await evaluateLive(
      [
        item('要钱不', ['s2.2'], { context: ['我想学电焊'], intent: 'policy.ask', kind: 'followup' }),
        item('培训要钱吗', ['s2.2'], { kind: 'colloquial' }),
      ],
      ask,
    );
    expect(conversations).toEqual([['我想学电焊', '要钱不'], ['培训要钱吗']]);
    expect(report.rightFirst).toEqual({ hits: 1, of: 2 });
    expect(report.intentAccuracy).toEqual({ hits: 1, of: 1 });
    expect(report.byKind['followup']).toEqual({
      questions: 1,
      rightFirst: { hits: 1, of: 1 },
      confidentlyWrong: { hits: 0, of: 1 },
    });
    expect(report.details[0]).toMatchObject({ q: '要钱不', context: ['我想学电焊'], got: ['s2.2'] });
  });

  it('measures intents from separate utterances when given, each asked on its own', async () => {
    const { ask, conversations } = fakeDialog({ 你好: { intent: 'greeting' }, 报名: { intent: 'help' } });
    const report = await evaluateLive([item('培训要钱吗', ['s2.2'], { intent: 'greeting' })], ask, [
      { text: '你好', intent: 'greeting' },
      { text: '报名', intent: 'enrol.start' },
    ]);
    // The item's own label is ignored when intent utterances are given.
    expect(report.intentAccuracy).toEqual({ hits: 1, of: 2 });
    expect(conversations).toEqual([['培训要钱吗'], ['你好'], ['报名']]);
  });

  it('requires every must-contain string somewhere in the replies of the turn', async () => {
    const { ask } = fakeDialog({
      a: { citations: ['s2.2'], text: '免费。\n每人最高4000元' },
      b: { citations: ['s2.2'], text: '免费。' },
    });
    const report = await evaluateLive(
      [
        item('a', ['s2.2'], { answer_must_contain: ['免费', '4000元'] }),
        item('b', ['s2.2'], { answer_must_contain: ['免费', '4000元'] }),
        item('c', ['s2.2']),
      ],
      ask,
    );
    expect(report.answerContains).toEqual({ hits: 1, of: 2 });
    expect(report.details[0]!.firstLine).toBe('免费。');
  });
});

describe('live evaluation thresholds', () => {
  const figures = new Map<string, number | null>([
    ['right_first', 0.55],
    ['confidently_wrong', 0.14],
    ['answer_contains', null],
    ['by_kind.dialect.right_first', 0.53],
  ]);

  it('passes figures that meet their bounds and names each one that misses', () => {
    const ok = parseThresholds(
      ['right_first=0.5,by_kind.dialect.right_first=0.53'],
      ['confidently_wrong=0.14'],
    );
    expect(missedThresholds('heldout', figures, ok)).toEqual([]);
    const strict = parseThresholds(['right_first=0.6'], ['confidently_wrong=0.1']);
    expect(missedThresholds('heldout', figures, strict)).toEqual([
      'heldout: right_first 0.55 < min 0.6',
      'heldout: confidently_wrong 0.14 > max 0.1',
    ]);
  });

  it('fails a threshold on a figure the set does not measure', () => {
    expect(missedThresholds('tuning', figures, parseThresholds(['answer_contains=0.5'], []))).toEqual([
      'tuning: answer_contains is not measured on this set',
    ]);
  });

  it('rejects unknown figures, malformed pairs and values above 1 with the offending text', () => {
    expect(() => parseThresholds(['right_frist=0.6'], [])).toThrow(/no figure "right_frist"/);
    expect(() => parseThresholds(['right_first:0.6'], [])).toThrow(/expected name=value/);
    expect(() => parseThresholds([], ['confidently_wrong=20'])).toThrow(/fractions 0\.\.1/);
  });

  it('reads per-kind figures from a report under by_kind names', async () => {
    const { ask } = fakeDialog({ x: { citations: ['s1'] } });
    const report = await evaluateLive([item('x', ['s1'], { kind: 'dialect' })], ask);
    expect(figuresByName(report).get('by_kind.dialect.right_first')).toBe(1);
  });
});
