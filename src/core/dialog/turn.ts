import type { Locale } from '../domain';
import type { DomainEvent } from '../events';
import type { Translate, Translator } from '../i18n';
import type { InboundMessage, OutboundMessage } from '../message';
import type { PersonRecord } from '../ports';
import type { AnswerKind } from './answer-kind';
import type { ChatSession, ChoiceOption, FlowState } from './chat-session';
import type { IntentName } from './intent-name';

/** Everything one handler needs for one turn; handlers add replies and events, and may change the session. */
export class Turn {
  readonly replies: OutboundMessage[] = [];
  readonly events: DomainEvent[] = [];
  /** Ids of the policy clauses the turn's answers rely on. */
  readonly citations: string[] = [];
  /** What kind of answer the turn gave, when a handler says (else the engine infers it). */
  answer?: AnswerKind;
  /** What to search the plan for, when a follow-up is read with the question before it (else `text`). */
  planQuery?: string;
  intent: IntentName = 'unknown';
  t: Translate;

  constructor(
    readonly msg: InboundMessage,
    /** What the person said; a pressed choice that stands for words (action `say`) puts those words here. */
    public text: string,
    public locale: Locale,
    private readonly translator: Translator,
    readonly session: ChatSession,
    public person: PersonRecord,
    readonly now: Date,
  ) {
    this.t = translator.forLocale(locale);
    session.locale = locale;
  }

  /** Switches the language for the rest of this turn and the session. */
  setLocale(locale: Locale): void {
    this.locale = locale;
    this.session.locale = locale;
    this.t = this.translator.forLocale(locale);
  }

  /** Adds a reply; its choices (if any) become the ones a typed number refers to. */
  say(text: string, choices: ChoiceOption[] = []): void {
    this.replies.push(choices.length ? { text, choices: choices.map((c) => c.label) } : { text });
    this.session.choices = choices;
  }

  emit(event: DomainEvent): void {
    this.events.push(event);
  }

  cite(clauseIds: readonly string[]): void {
    for (const id of clauseIds) if (!this.citations.includes(id)) this.citations.push(id);
  }

  get flow(): FlowState | undefined {
    return this.session.flow;
  }

  /** Enters or moves a flow; flows call it through their definition (see defineFlow), which types the data. */
  setFlow(state: FlowState): void {
    this.session.flow = state;
  }

  endFlow(): void {
    if (this.session.flow) this.leftFlow = this.session.flow.name;
    this.session.flow = undefined;
  }

  /** The flow this turn left (its question was not answered), for a route that reads the message in its light. */
  leftFlow?: string;
}
