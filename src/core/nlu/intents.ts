import { z } from 'zod';

/** Everything the classifier can answer; `unknown` means "none of these", never a guess. */
export const INTENTS = [
  'greeting',
  'help',
  'policy.ask',
  'course.search',
  'enrol.start',
  'enrol.list',
  'enrol.cancel',
  'handoff.human',
  'language.switch',
  'privacy.delete',
  'broadcast.send',
  'unknown',
] as const;
export type IntentLabel = (typeof INTENTS)[number];

const examplesSchema = z.object({
  'zh-CN': z.array(z.string().min(1)),
  en: z.array(z.string().min(1)),
});

/** Shape of data/nlu/intents.json: example utterances per label and language; every label must be present. */
export const intentExamplesSchema = z.record(z.enum(INTENTS), examplesSchema);

export const intentLabelSchema = z.enum(INTENTS);
