import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/core/domain';
import { compile, createTranslator, i18nextOptions, readLocaleResources } from '../../src/i18n/i18n';

/** Every key of a namespace's nested resource object, dotted. */
function keysOf(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

describe('translator with parameters (compiled texts)', () => {
  const resources = readLocaleResources();
  const fast = createTranslator(resources);
  const reference = i18next.createInstance();
  void reference.init(i18nextOptions(resources));
  const keys = [
    ...new Set(
      LOCALES.flatMap((lng) =>
        Object.entries(resources[lng] ?? {}).flatMap(([ns, tree]) => keysOf(tree).map((k) => `${ns}:${k}`)),
      ),
    ),
  ];

  it('gives what i18next gives for every text, with awkward values and extra or missing parameters', () => {
    let compiled = 0;
    for (const locale of LOCALES) {
      const t = fast.forLocale(locale);
      const ref = reference.getFixedT(locale);
      for (const key of keys) {
        const text = ref(key, { skipInterpolation: true, returnObjects: true });
        const names = [...String(text).matchAll(/\{\{(.+?)\}\}/g)].map((m) => m[1]!.trim());
        if (compile(text)) compiled++;
        const cases: Record<string, unknown>[] = [
          Object.fromEntries(names.map((n, i) => [n, i % 2 ? i * 1000 + 0.5 : `v$&$1'${n}'`])),
          Object.fromEntries(names.map((n) => [n, '{{x}} $t(common:menu.human)'])),
          Object.fromEntries(names.slice(1).map((n) => [n, 'x'])),
          { ...Object.fromEntries(names.map((n) => [n, 'x'])), extra: 'y' },
          { ...Object.fromEntries(names.map((n) => [n, 'x'])), count: 2 },
          { ...Object.fromEntries(names.map((n) => [n, 'x'])), defaultValue: 'd', hotline: '12333' },
          { ...Object.fromEntries(names.map((n) => [n, 'x'])), defaultValue_other: 'd', context: 'male' },
        ];
        for (const params of cases) {
          expect(t(key, params), `${locale} ${key} ${JSON.stringify(params)}`).toBe(String(ref(key, params)));
        }
      }
    }
    expect(compiled).toBeGreaterThan(100);
  });

  it('leaves missing keys, nesting and formats to i18next', () => {
    expect(compile('a $t(common:x) {{b}}')).toBeNull();
    expect(compile('{{- b}}')).toBeNull();
    expect(compile('{{b, number}}')).toBeNull();
    expect(compile('{{count}}')).toBeNull();
    expect(compile({ a: 1 })).toBeNull();
    expect(fast.forLocale('en')('common:no.such.key', { a: 1 })).toBe('no.such.key');
    expect(fast.forLocale('zh-CN')('policy:department.无此部门', { defaultValue: '无此部门' })).toBe(
      '无此部门',
    );
  });
});
