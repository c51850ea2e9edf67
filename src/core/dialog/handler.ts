import type { County, FamilyRelation, Group, Locale, Trade } from '../domain';
import type { HandledIntent } from './intent-name';
import type { Turn } from './turn';

/** Slots the NLU extracts from one message. */
export interface Slots {
  county?: County;
  trade?: Trade;
  trades?: Trade[];
  groups?: Group[];
  age?: number;
  birthYear?: number;
  phone?: string;
  idNumber?: string;
  /** A sign-up for a family member ("帮我女儿报名"): what they are to the person writing. */
  relation?: FamilyRelation;
}

/** Every trade a message named ("学电焊和叉车" names two), whichever slot holds them. */
export function tradesIn(slots: Slots): Trade[] {
  return slots.trades?.length ? slots.trades : slots.trade ? [slots.trade] : [];
}

export interface Understanding {
  intent: HandledIntent;
  confidence: number;
  slots: Slots;
  /** What a pressed choice pointed at (a course code or a clause id). */
  target?: string;
}

export interface Nlu {
  understand(text: string): Understanding;
  detectLocale(text: string): Locale | undefined;
}

export type IntentHandler = (turn: Turn, understanding: Understanding) => Promise<void> | void;

/**
 * Sees a free-text turn before its intent's handler does, and may answer it another way: `next` runs the
 * handler of the intent it is given. How the policy module puts the plan's answer beside course search.
 */
export type IntentRoute = (
  turn: Turn,
  understanding: Understanding,
  next: (understanding: Understanding) => Promise<void>,
) => Promise<void>;

/** Which handler answers which intent: typed, so a misspelt intent does not compile. */
export type IntentTable = Partial<Record<HandledIntent, IntentHandler>>;

/**
 * Sees every turn first, before flows and intents, and returns true when it has answered it (or decided that
 * the bot stays quiet): how a conversation a staff member has claimed is kept from the bot.
 */
export type TurnGate = (turn: Turn) => Promise<boolean>;
