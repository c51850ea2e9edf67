import { describe, expect, it } from 'vitest';
import { readLocaleResources } from '../../src/i18n/i18n';

function flatten(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe('locales', () => {
  const resources = readLocaleResources();
  const zh = resources['zh-CN']!;
  const en = resources['en']!;

  it('have the same namespaces in every language', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it.each(Object.keys(zh))('namespace %s has the same keys in zh-CN and en', (ns) => {
    expect(flatten(en[ns]).sort()).toEqual(flatten(zh[ns]).sort());
  });

  it('have no empty strings', () => {
    for (const lng of [zh, en]) {
      for (const ns of Object.values(lng)) {
        const walk = (v: unknown): void => {
          if (typeof v === 'string') expect(v.trim()).not.toBe('');
          else if (v && typeof v === 'object') Object.values(v).forEach(walk);
        };
        walk(ns);
      }
    }
  });
});
