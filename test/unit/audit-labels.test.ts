import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocaleResources } from '../../src/i18n/i18n';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** Every `audit(…, 'group.action', …)` written with a literal action anywhere in src/ (generated code aside). */
function auditedActions(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'generated') walk(path);
      } else if (entry.name.endsWith('.ts')) {
        for (const line of readFileSync(path, 'utf8').split('\n')) {
          if (!line.includes('audit(')) continue;
          const action = /'([a-z_]+\.[a-z_]+)'/.exec(line)?.[1];
          if (action) found.add(action);
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
