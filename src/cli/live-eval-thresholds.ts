import { FIGURE_NAMES } from '../core/policy/live-eval';

/**
 * Thresholds for `eval --live`: `--min right_first=0.6,intent_accuracy=0.9` (the figure must be at least)
 * and `--max confidently_wrong=0.2` (at most). Names are the printed ones; per kind `by_kind.<kind>.<figure>`.
 */
export interface Threshold {
  figure: string;
  bound: 'min' | 'max';
  value: number;
}

const KIND_FIGURE = /^by_kind\.[a-z0-9_-]+\.(right_first|confidently_wrong)$/;

export class ThresholdSyntaxError extends Error {
  override name = 'ThresholdSyntaxError';
}

/** Parses the values of every `--min` / `--max` given (each a comma-separated list of name=value). */
export function parseThresholds(min: readonly string[], max: readonly string[]): Threshold[] {
  const parse = (bound: Threshold['bound'], list: string): Threshold[] =>
    list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((pair) => {
        const match = /^([a-z0-9_.-]+)=([0-9]*\.?[0-9]+)$/.exec(pair);
        if (!match)
          throw new ThresholdSyntaxError(`--${bound} ${pair}: expected name=value, e.g. right_first=0.6`);
        const [, figure, raw] = match as unknown as [string, string, string];
        if (!(FIGURE_NAMES as readonly string[]).includes(figure) && !KIND_FIGURE.test(figure))
          throw new ThresholdSyntaxError(
            `--${bound} ${pair}: no figure "${figure}"; one of ${FIGURE_NAMES.join(', ')}, ` +
              'or by_kind.<kind>.right_first / by_kind.<kind>.confidently_wrong',
          );
        const value = Number(raw);
        if (value > 1) throw new ThresholdSyntaxError(`--${bound} ${pair}: figures are fractions 0..1`);
        return { figure, bound, value };
      });
  return [...min.flatMap((l) => parse('min', l)), ...max.flatMap((l) => parse('max', l))];
}

/**
 * The thresholds a set's figures miss, as readable lines. A threshold on a figure the set does not measure
 * (no items of that sort, an unknown kind) is a miss too: a guard that cannot fail guards nothing.
 */
export function missedThresholds(
  set: string,
  figures: ReadonlyMap<string, number | null>,
  thresholds: readonly Threshold[],
): string[] {
  return thresholds.flatMap(({ figure, bound, value }) => {
    const got = figures.get(figure);
    if (got === undefined || got === null) return [`${set}: ${figure} is not measured on this set`];
    const ok = bound === 'min' ? got >= value : got <= value;
    return ok ? [] : [`${set}: ${figure} ${got} ${bound === 'min' ? '<' : '>'} ${bound} ${value}`];
  });
}
