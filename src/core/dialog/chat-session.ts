import { z } from 'zod';
import { LOCALES } from '../domain';
import { HANDLED_INTENTS } from './intent-name';

/** What pressing (or typing the number of) a choice does. */
export const choiceActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('intent'), intent: z.enum(HANDLED_INTENTS) }),
  z.object({ type: z.literal('course'), code: z.string() }),
  z.object({ type: z.literal('clause'), id: z.string() }),
  z.object({ type: z.literal('flow'), flow: z.string(), value: z.string() }),
  /** A choice that stands for words: pressing it is as if the person had typed them (a suggested question). */
  z.object({ type: z.literal('say'), text: z.string().max(500) }),
]);
export type ChoiceAction = z.infer<typeof choiceActionSchema>;

export const choiceOptionSchema = z.object({ label: z.string(), action: choiceActionSchema });
export type ChoiceOption = z.infer<typeof choiceOptionSchema>;

/** A flow in progress: its data is checked against the flow's own step schema when the flow runs. */
export const flowStateSchema = z.object({
  name: z.string(),
  /** The flow's version when this state was written: a flow that changed its steps restarts or migrates it. */
  version: z.int().min(1),
  step: z.string(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type FlowState = z.infer<typeof flowStateSchema>;

export const CHAT_SESSION_VERSION = 1;

const fields = {
  locale: z.enum(LOCALES).optional(),
  choices: z.array(choiceOptionSchema).default([]),
  flow: flowStateSchema.optional(),
  /** Recent inbound message ids: a redelivered message is not handled twice. */
  seen: z.array(z.string()).default([]),
  updatedAt: z.string().default(() => new Date(0).toISOString()),
  /**
   * The last policy question answered, so a short follow-up ("那要什么条件") is read in its light, and the
   * clause it was answered from (a follow-up naming another group stays on it when it names that group too).
   */
  topic: z
    .object({ text: z.string().max(500), at: z.string(), clause: z.string().max(32).optional() })
    .optional(),
  /** The staff-inbox item this conversation has open (a handoff, callback or complaint): see flows/inbox. */
  inbox: z.object({ id: z.string().max(64) }).optional(),
  /**
   * The course last shown or signed up for, so a follow-up ("学几天？", "在哪上课") is answered about it
   * (intents/course-facts-route.ts) for a while after.
   */
  course: z
    .object({ code: z.string().max(20), at: z.string().max(40), via: z.enum(['viewed', 'enrolled']) })
    .optional(),
  /**
   * The question the flow in progress last asked (its choices are `choices`), so a person who comes back (a
   * reopened web page, a reconnected channel, "你好" after a restart) is shown it again and can answer it.
   */
  prompt: z
    .object({ text: z.string().max(8000), choices: z.array(choiceOptionSchema).optional() })
    .optional(),
  /** The id of the last message the bot did not understand: a second one in a row goes to a person. */
  lastMiss: z.string().max(300).optional(),
  /**
   * What was wrong with the stored session when it was last read and repaired, until the person has been
   * told (a proactive message may read and repair it before the person's next turn).
   */
  repair: z.object({ issues: z.array(z.string()) }).optional(),
};

/** One person's conversation state on one channel between turns. */
export const chatSessionSchema = z.object({ v: z.literal(CHAT_SESSION_VERSION), ...fields });
export type ChatSession = z.infer<typeof chatSessionSchema>;

export function emptyChatSession(): ChatSession {
  return chatSessionSchema.parse({ v: CHAT_SESSION_VERSION });
}

/** Where one person's dialog state on one channel is kept (and locked): the proactive messages that offer choices use it too. */
export function chatSessionKey(channel: string, senderId: string): string {
  return `${channel}:${senderId}`;
}

/**
 * Stored sessions of earlier versions, brought up to the current one, each step in order. Version 0 is what
 * was stored before sessions had a version: the same fields, and flows without a version (all were version 1).
 */
const MIGRATIONS: Record<number, (old: Record<string, unknown>) => Record<string, unknown>> = {
  0: (old) => {
    const flow = isRecord(old['flow']) ? { version: 1, ...old['flow'] } : old['flow'];
    return { ...old, v: 1, flow };
  },
};

export interface ReadChatSession {
  session: ChatSession;
  /** True when nothing was stored under the key. */
  fresh: boolean;
}

/**
 * A stored session (JSON text) as the current version. What cannot be read is repaired, not thrown away:
 * each field that parses is kept (a half-finished sign-up's flow and data, the language), each that does not
 * is reset, and `repair` says what was wrong so the person can be told and the problem logged.
 */
export function readChatSession(raw: string | undefined): ReadChatSession {
  if (raw === undefined) return { session: emptyChatSession(), fresh: true };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { session: { ...emptyChatSession(), repair: { issues: ['not JSON'] } }, fresh: false };
  }
  if (!isRecord(value)) {
    return { session: { ...emptyChatSession(), repair: { issues: ['not an object'] } }, fresh: false };
  }
  const migrated = migrate(value);
  const whole = chatSessionSchema.safeParse(migrated);
  if (whole.success) return { session: whole.data, fresh: false };
  return { session: salvage(migrated), fresh: false };
}

function migrate(value: Record<string, unknown>): Record<string, unknown> {
  let current = value;
  let v = typeof current['v'] === 'number' ? current['v'] : 0;
  while (v < CHAT_SESSION_VERSION && MIGRATIONS[v]) {
    current = MIGRATIONS[v]!(current);
    v = typeof current['v'] === 'number' ? current['v'] : v + 1;
  }
  return current;
}

/** Field by field: what parses is kept, what does not is reset and named in `repair`. */
function salvage(value: Record<string, unknown>): ChatSession {
  const session: Record<string, unknown> = { v: CHAT_SESSION_VERSION };
  const issues: string[] = [];
  if (value['v'] !== CHAT_SESSION_VERSION) issues.push(`v: ${String(value['v'])}`);
  for (const [name, schema] of Object.entries(fields)) {
    const parsed = (schema as z.ZodType).safeParse(value[name]);
    if (parsed.success) session[name] = parsed.data;
    else issues.push(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const repaired = chatSessionSchema.parse(session);
  return { ...repaired, repair: { issues: [...(repaired.repair?.issues ?? []), ...issues] } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
