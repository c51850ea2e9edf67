import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocaleResources } from '../../src/i18n/i18n';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** The arguments of the call whose `(` is at `open`, split at its top-level commas (strings skipped whole). */
function callArguments(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const close = text.indexOf(c, i + 1);
      if (close < 0) break;
      i = close;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(from, i));
        break;
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(from, i));
      from = i + 1;
    }
  }
  return args;
}

/**
 * Every `audit(actor, 'group.action', …)` (or `audit?.(…)`) written with a literal action anywhere in src/
 * (generated code aside): a call over several lines, and each branch of an action chosen by `?:`, count too.
 */
function auditedActions(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated') walk(path);
      } else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const call of text.matchAll(/\baudit(\?\.)?\(/g)) {
          const action = callArguments(text, call.index + call[0].length - 1)[1] ?? '';
          for (const literal of action.matchAll(/'([a-z_]+\.[a-zA-Z_]+)'/g)) found.add(literal[1]!);
        }
      }
    }
  };
  walk(SRC);
  return [...found].sort();
}

describe('the console audit log', () => {
  it('shows every recorded action in words, in Chinese and in English, not as a code', () => {
    const actions = auditedActions();
    expect(actions.length).toBeGreaterThan(20);
    for (const locale of ['zh-CN', 'en']) {
      const accounts = readLocaleResources()[locale]?.['accounts'] as
        | { auditAction?: Record<string, object> }
        | undefined;
      const labels = accounts?.auditAction ?? {};
      const missing = actions.filter((a) => {
        const [group, name] = a.split('.') as [string, string];
        return typeof (labels[group] as Record<string, unknown> | undefined)?.[name] !== 'string';
      });
      expect({ locale, missing }).toEqual({ locale, missing: [] });
    }
  });
});
