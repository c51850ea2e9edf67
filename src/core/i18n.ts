import type { Locale } from './domain';

/** Translates a locale key; core code never holds user-facing sentences, only keys. */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface Translator {
  locales: readonly Locale[];
  forLocale(locale: Locale): Translate;
}
