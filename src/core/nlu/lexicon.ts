import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { County, Group, Trade } from '../domain';
import { COUNTIES, GROUPS, TRADES } from '../domain';
import { normalizeText } from './normalize';

const formsSchema = z.object({
  zh: z.array(z.string().min(1)),
  en: z.array(z.string().min(1)),
});

/** Shape of data/nlu/lexicon.json: surface forms (zh and en) for every county, trade and group id. */
export const lexiconFileSchema = z.object({
  counties: z.record(z.enum(COUNTIES), formsSchema),
  trades: z.record(z.enum(TRADES), formsSchema),
  groups: z.record(z.enum(GROUPS), formsSchema),
  /** Phrases that contain a form but mean something else (养老保险 is not elderly care). */
  ignore: z
    .object({
      counties: z.array(z.string().min(1)).default([]),
      trades: z.array(z.string().min(1)).default([]),
      groups: z.array(z.string().min(1)).default([]),
    })
    .default({ counties: [], trades: [], groups: [] }),
});
export type LexiconFile = z.infer<typeof lexiconFileSchema>;

/** One surface form; `id` is null for an ignore phrase, which only blocks shorter forms inside it. */
export interface LexiconEntry<Id extends string> {
  form: string;
  id: Id | null;
  /** Latin forms match on word boundaries only ("cook" must not fire inside "cookie"). */
  latin: boolean;
}

/** Compiled lexicon: per kind, entries sorted longest form first. */
export interface Lexicon {
  county: readonly LexiconEntry<County>[];
  trade: readonly LexiconEntry<Trade>[];
  group: readonly LexiconEntry<Group>[];
}

/** Forms are matched against normalised text with hyphens and underscores read as spaces. */
export function normalizeForMatch(text: string): string {
  return normalizeText(text).replace(/[-_]/g, ' ');
}

const LATIN = /[a-z]/;

function compileKind<Id extends string>(
  forms: Partial<Record<Id, { zh: string[]; en: string[] }>>,
  ignore: string[],
): LexiconEntry<Id>[] {
  const seen = new Set<string>();
  const entries: LexiconEntry<Id>[] = [];
  const add = (raw: string, id: Id | null): void => {
    const form = normalizeForMatch(raw);
    if (!form || seen.has(form)) return;
    seen.add(form);
    entries.push({ form, id, latin: LATIN.test(form) });
  };
  for (const phrase of ignore) add(phrase, null);
  for (const [id, f] of Object.entries(forms) as [Id, { zh: string[]; en: string[] }][]) {
    for (const form of [...f.zh, ...f.en]) add(form, id);
  }
  return entries.sort((a, b) => b.form.length - a.form.length);
}

export function compileLexicon(file: LexiconFile): Lexicon {
  return {
    county: compileKind<County>(file.counties, file.ignore.counties),
    trade: compileKind<Trade>(file.trades, file.ignore.trades),
    group: compileKind<Group>(file.groups, file.ignore.groups),
  };
}

/** Validates parsed JSON (throws a ZodError naming the bad key) and compiles it. */
export function parseLexicon(json: unknown): Lexicon {
  return compileLexicon(lexiconFileSchema.parse(json));
}

/** Start-up loader; call once and pass the result around. */
export function loadLexicon(path: string): Lexicon {
  return parseLexicon(JSON.parse(readFileSync(path, 'utf8')));
}

/** Chinese surface forms of every id, for building the jieba user dictionary. */
export function chineseForms(file: LexiconFile): string[] {
  const all = [file.counties, file.trades, file.groups].flatMap((kind) =>
    Object.values(kind).flatMap((f) => (f as { zh: string[] }).zh),
  );
  return [...new Set(all)].filter((w) => /\p{Script=Han}/u.test(w));
}
