import type { AnswerKind } from '../dialog/answer-kind';
import type { Locale } from '../domain';
import type { ChannelName } from '../message';
import type { QuestionTerms } from './question-terms';

/** A live curated answer as the dialog matches it: its question variants' term sets computed once. */
export interface PreparedCuratedAnswer {
  id: string;
  version: number;
  answer: string;
  clauseIds: string[];
  /** A county id; undefined: every county. */
  county?: string;
  /** Last day it answers (YYYY-MM-DD in the programme's time zone); undefined: no end. */
  validUntil?: string;
  updatedAt: Date;
  variants: QuestionTerms[];
}

/** The curated answers the dialog may give, kept fresh by its adapter (services/curated-answer-book.ts). */
export interface CuratedAnswerBook {
  /** Resolves at once after the first load; never rejects (a failed refresh keeps the last list). */
  live(): Promise<readonly PreparedCuratedAnswer[]>;
}

/** One question the bot could not answer well, without personal data or a person. */
export interface UnansweredEntry {
  text: string;
  channel: ChannelName;
  locale: Locale;
  answer: Extract<AnswerKind, 'abstain' | 'clarify' | 'policy'>;
  clauseId?: string;
  confidence: number;
  county?: string;
  askedAt: Date;
}

/** Where such questions go. `record` returns at once and never throws: logging never slows or breaks a turn. */
export interface UnansweredLog {
  record(entry: UnansweredEntry): void;
}
