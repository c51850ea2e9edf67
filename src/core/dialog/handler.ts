import type { County, Group, Locale, Trade } from '../domain';
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

/** Which handler answers which intent: typed, so a misspelt intent does not compile. */
export type IntentTable = Partial<Record<HandledIntent, IntentHandler>>;
