import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import i18next, { type Resource } from 'i18next';
import type { Locale } from '../core/domain';
import { LOCALES } from '../core/domain';
import type { Translator } from '../core/i18n';

export const LOCALES_DIR = new URL('../../locales/', import.meta.url).pathname;

/** Reads locales/<lng>/<namespace>.json into an i18next resource object. */
export function readLocaleResources(dir = LOCALES_DIR): Resource {
  const resources: Resource = {};
  for (const lng of LOCALES) {
    resources[lng] = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng]![basename(file, '.json')] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    }
  }
  return resources;
}

/** More than every key in locales/: a key built from odd input can never grow the cache without bound. */
const MAX_CACHED_TEXTS = 5_000;

type InitOptions = Parameters<typeof i18next.init>[0];

/** How the process's i18next is set up (the fast path's test compares with an instance set up the same way). */
export function i18nextOptions(resources: Resource): InitOptions {
  return {
    resources,
    lng: 'zh-CN',
    fallbackLng: 'zh-CN',
    ns: Object.keys(resources['zh-CN'] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as InitOptions;
}

/** One i18next instance for the process; `forLocale` gives a fixed-language `t` for one turn. */
export function createTranslator(resources: Resource = readLocaleResources()): Translator {
  const instance = i18next.createInstance();
  void instance.init(i18nextOptions(resources));
  // Resources never change after start-up: a text without parameters is looked up once per language, and a
  // text with parameters is split once into its literal parts and variable names (see `compile`).
  const translators = new Map<Locale, ReturnType<Translator['forLocale']>>();
  return {
    locales: LOCALES,
    forLocale(locale: Locale) {
      let translate = translators.get(locale);
      if (!translate) {
        const t = instance.getFixedT(locale);
        const plain = new Map<string, string>();
        const templates = new Map<string, Template | null>();
        translate = (key, params) => {
          if (params) {
            let template = templates.get(key);
            if (template === undefined) {
              // The text as i18next resolves it (fallback language included), uninterpolated; an object
              // (returnObjects) or a missing key is left to i18next.
              template = instance.exists(key, { lng: locale })
                ? compile(t(key, { skipInterpolation: true, returnObjects: true }))
                : null;
              if (templates.size < MAX_CACHED_TEXTS) templates.set(key, template);
            }
            return (template && fill(template, params)) ?? String(t(key, params as Record<string, unknown>));
          }
          let text = plain.get(key);
          if (text === undefined) {
            text = String(t(key));
            if (plain.size < MAX_CACHED_TEXTS) plain.set(key, text);
          }
          return text;
        };
        translators.set(locale, translate);
      }
      return translate;
    },
  };
}

/**
 * A text with `{{name}}` variables, split at them: `literals` has one more entry than `names`. i18next's own
 * `t` with parameters cost ~13 % of a turn's allocation and ~6.5 % of its CPU (option objects, key
 * resolution, regular expressions on every call); texts are fixed, so this does the same work once.
 */
interface Template {
  literals: string[];
  names: string[];
}

/**
 * Parameter names that are i18next options (plurals, context, fallbacks, missing-key handling…; every option
 * its `t` reads): a call with one goes to i18next, and no text variable may be named so.
 */
const I18NEXT_OPTIONS = new Set(
  (
    'appendNamespaceToCIMode appendNamespaceToMissingKey applyPostProcessor cleanCode context contextSeparator ' +
    'count defaultNS defaultValue fallbackLng fallbackNS ignoreJSONStructure interpolation joinArrays ' +
    'keyPrefix keySeparator lng lngs load lowerCaseLng missingInterpolationHandler missingKeyHandler ' +
    'missingKeyNoValueFallbackToKey nest nonExplicitSupportedLngs ns nsSeparator ordinal ' +
    'overloadTranslationOptionHandler parseMissingKeyHandler pluralSeparator postProcess ' +
    'postProcessPassResolved replace returnDetails returnEmptyString returnNull returnObjects ' +
    'returnedObjectHandler saveMissing saveMissingPlurals saveMissingTo skipInterpolation split supportedLngs ' +
    'updateMissing userDefinedKeySeparator userDefinedNsSeparator'
  ).split(' '),
);

const VARIABLE = /\{\{(.+?)\}\}/g;
const PLAIN_NAME = /^[A-Za-z_]\w*$/;

/**
 * Splits a resolved text at its variables, or null when i18next must handle it: not a string, nesting
 * (`$t(`), an unescaped (`{{- x}}`), formatted (`{{x, number}}`) or nested-path (`{{a.b}}`) variable, or a
 * variable named like an i18next option.
 */
export function compile(text: unknown): Template | null {
  if (typeof text !== 'string' || text.includes('$t(')) return null;
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1]!.trim();
    if (!PLAIN_NAME.test(name) || I18NEXT_OPTIONS.has(name)) return null;
    literals.push(text.slice(last, match.index));
    names.push(name);
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  return { literals, names };
}

/**
 * The text with its variables filled in, exactly as i18next (escapeValue off) would; undefined (i18next then
 * does it) when a parameter is an i18next option, a variable has no string or number value, or a value holds
 * `{{` (i18next's replace-the-first-occurrence would then differ).
 */
export function fill(template: Template, params: Record<string, unknown>): string | undefined {
  for (const name in params) {
    // Other parameters are only data i18next does not use, but an option changes what it does. A plain
    // `defaultValue` is the exception: a template exists only for a key that resolves, and i18next reads the
    // default only for a key that does not (updateMissing is off).
    if (name === 'defaultValue' || template.names.includes(name)) continue;
    if (I18NEXT_OPTIONS.has(name) || name.startsWith('defaultValue')) return undefined;
  }
  let out = template.literals[0]!;
  for (let i = 0; i < template.names.length; i++) {
    const value = params[template.names[i]!];
    if (typeof value === 'number') out += String(value);
    else if (typeof value === 'string' && !value.includes('{{')) out += value;
    else return undefined;
    out += template.literals[i + 1]!;
  }
  return out;
}
