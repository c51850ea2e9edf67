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

/** One i18next instance for the process; `forLocale` gives a fixed-language `t` for one turn. */
export function createTranslator(resources: Resource = readLocaleResources()): Translator {
  const instance = i18next.createInstance();
  const namespaces = Object.keys(resources['zh-CN'] ?? {});
  void instance.init({
    resources,
    lng: 'zh-CN',
    fallbackLng: 'zh-CN',
    ns: namespaces,
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<typeof instance.init>[0]);
  // Resources never change after start-up: a text without parameters is looked up once per language.
  const translators = new Map<Locale, ReturnType<Translator['forLocale']>>();
  return {
    locales: LOCALES,
    forLocale(locale: Locale) {
      let translate = translators.get(locale);
      if (!translate) {
        const t = instance.getFixedT(locale);
        const plain = new Map<string, string>();
        translate = (key, params) => {
          if (params) return String(t(key, params as Record<string, unknown>));
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
