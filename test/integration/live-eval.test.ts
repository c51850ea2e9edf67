import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../support/test-env';

const BIN = new URL('../../bin/jineng.js', import.meta.url).pathname;

/**
 * The regression guard of issue 16: the held-out questions through the real CLI, engine, PostgreSQL and
 * Redis. The bounds are the figures measured last (December 5, fifth pass: right_first 0.900, confidently_wrong
 * 0.049, out_of_plan_abstained 0.905, intent_accuracy 0.908, answer_contains 0.833; fourth pass: 0.891, 0.049,
 * 0.905, 0.908, 0.833; third pass: 0.869, 0.064,
 * 0.905, 0.905, 0.817; second pass: 0.843, 0.071,
 * 0.881, 0.898, 0.800; before it 0.843, 0.064, 0.833,
 * 0.876, 0.800; in the second session 0.799, 0.064,
 * 0.762, 0.848, 0.767; before the one answer decision 0.546, 0.138, 0.548, 0.756, 0.683) less a few questions'
 * margin; raise them as answers improve. no_answer is not guarded: abstaining more where
 * a citation would be wrong is the direction the issue asks for.
 */
const GUARD = [
  '--min',
  'right_first=0.88,out_of_plan_abstained=0.88,intent_accuracy=0.89,answer_contains=0.8',
  '--max',
  'confidently_wrong=0.064',
];

function liveEval(args: string[]) {
  return spawnSync(process.execPath, [BIN, 'eval', '--live', '--set', 'heldout', ...args], {
    encoding: 'utf8',
    timeout: 110_000,
    env: cliEnv('live-eval'),
  });
}

describe('jineng eval --live on the held-out set', () => {
  it('answers at least as well as when the guard was set, and writes one detail line per question', () => {
    const details = join(mkdtempSync(join(tmpdir(), 'live-eval-')), 'details.jsonl');
    const result = liveEval([...GUARD, '--json-details', details]);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const figures = JSON.parse(lines[0]!);
    expect(figures).toMatchObject({ set: 'heldout', questions: 283 });
    expect(figures.counts.out_of_plan_abstained.of).toBe(42);
    expect(Object.keys(figures.by_kind)).toEqual(
      expect.arrayContaining(['dialect', 'english', 'followup', 'out_of_plan']),
    );
    const rows = readFileSync(details, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(283);
    expect(rows[0]).toEqual(
      expect.objectContaining({ set: 'heldout', expected: expect.any(Array), got: expect.any(Array) }),
    );
    expect(rows.filter((r) => r.context).length).toBe(20);
  });

  it('fails the build with the figure and its bound when a threshold is missed', () => {
    const result = liveEval(['--max', 'confidently_wrong=0']);
    expect(result.status).toBe(1);
    // The figures are still printed, so the log shows what was measured.
    expect(JSON.parse(result.stdout).set).toBe('heldout');
    expect(result.stderr).toMatch(/missed its thresholds: heldout: confidently_wrong 0\.\d+ > max 0/);
  });
});
