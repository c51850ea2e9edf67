import { z } from 'zod';
import { LOCALES } from '../domain';

/** What pressing (or typing the number of) a choice does. */
export const choiceActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('intent'), intent: z.string() }),
  z.object({ type: z.literal('course'), code: z.string() }),
  z.object({ type: z.literal('clause'), id: z.string() }),
  z.object({ type: z.literal('flow'), flow: z.string(), value: z.string() }),
]);
export type ChoiceAction = z.infer<typeof choiceActionSchema>;

export const choiceOptionSchema = z.object({ label: z.string(), action: choiceActionSchema });
export type ChoiceOption = z.infer<typeof choiceOptionSchema>;

export const flowStateSchema = z.object({
  name: z.string(),
  step: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type FlowState = z.infer<typeof flowStateSchema>;

/** Dialog state between turns; parsed on load so a stale or corrupt entry starts a fresh session. */
export const dialogSessionSchema = z.object({
  locale: z.enum(LOCALES).optional(),
  choices: z.array(choiceOptionSchema).default([]),
  flow: flowStateSchema.optional(),
  /** Recent inbound message ids: a redelivered message is not handled twice. */
  seen: z.array(z.string()).default([]),
  updatedAt: z.string().default(() => new Date(0).toISOString()),
});
export type DialogSession = z.infer<typeof dialogSessionSchema>;

export function emptySession(): DialogSession {
  return dialogSessionSchema.parse({});
}

/** Where one person's dialog state on one channel is kept (and locked): the proactive messages that offer choices use it too. */
export function sessionKeyFor(channel: string, senderId: string): string {
  return `${channel}:${senderId}`;
}
