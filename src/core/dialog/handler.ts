import type { County, Group, Locale, Trade } from '../domain';
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
  intent: string;
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

export interface FlowInput {
  text: string;
  /** Set when the person chose a flow option (button or typed number). */
  value?: string;
  understanding: Understanding;
}

/** A multi-step conversation (sign-up, cancellation, deletion…). State lives in turn.session.flow. */
export interface FlowHandler {
  name: string;
  /** Returns 'pass' when the message is not an answer to the flow's question (the engine then leaves the
   * flow and treats the message as a fresh request). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a flow that answered simply returns nothing
  handle(turn: Turn, input: FlowInput): Promise<void | 'pass'>;
  /** Called when the person gives up the flow ("取消"); may say something flow-specific. */
  onCancel?(turn: Turn): void;
}
