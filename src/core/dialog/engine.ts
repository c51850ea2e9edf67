import { type Locale, localeFromHint } from '../domain';
import type { DomainEvent } from '../events';
import type { Translator } from '../i18n';
import type { InboundMessage, OutboundMessage } from '../message';
import { MAX_NLU_INPUT } from '../nlu/normalize';
import { isOutage } from '../outage';
import type { PeopleRepository, SessionStore } from '../ports';
import { resolveChoice } from './choices';
import type { FlowHandler, IntentHandler, Nlu, Understanding } from './handler';
import { mainMenu } from './main-menu';
import {
  type ChoiceAction,
  type DialogSession,
  dialogSessionSchema,
  emptySession,
  sessionKeyFor,
} from './session';
import { Turn } from './turn';

export interface TurnResult {
  intent: string;
  replies: OutboundMessage[];
  events: DomainEvent[];
}

export interface DialogEngineDeps {
  nlu: Nlu;
  translator: Translator;
  sessions: SessionStore<DialogSession>;
  people: PeopleRepository;
  intents: Record<string, IntentHandler>;
  flows: FlowHandler[];
  defaultLocale: Locale;
  clock?: () => Date;
  /** A flow left alone longer than this restarts politely instead of resuming mid-question. */
  staleFlowMs?: number;
  onError?: (error: unknown, message: InboundMessage) => void;
}

/** Longer than what understanding reads (MAX_NLU_INPUT): the person is told only the beginning was read. */
const LONG_MESSAGE = MAX_NLU_INPUT;
const SEEN_KEEP = 20;
const CANCEL_WORDS = new Set([
  '取消',
  '退出',
  '算了',
  '不要了',
  '返回',
  'cancel',
  'stop',
  'quit',
  'exit',
  'back',
]);

export interface DialogEngine {
  handle(message: InboundMessage): Promise<TurnResult>;
}

/** One inbound message in, replies and domain events out. Knows no platform, queue or database. */
export function createDialogEngine(deps: DialogEngineDeps): DialogEngine {
  const clock = deps.clock ?? (() => new Date());
  const staleFlowMs = deps.staleFlowMs ?? 6 * 3_600_000;
  const flows = new Map(deps.flows.map((f) => [f.name, f]));

  async function runTurn(message: InboundMessage): Promise<TurnResult> {
    const key = sessionKeyFor(message.address.channel, message.senderId);
    const stored = await deps.sessions.load(key);
    const parsed = dialogSessionSchema.safeParse(stored ?? {});
    let session = parsed.success ? parsed.data : emptySession();
    if (session.seen.includes(message.id)) return { intent: 'duplicate', replies: [], events: [] };

    const now = clock();
    const hinted =
      session.locale ?? deps.nlu.detectLocale(message.text) ?? localeFromHint(message.localeHint);
    const person = await deps.people.resolve(
      {
        channel: message.address.channel,
        externalId: message.senderId,
        // A group message must not replace where the person's private messages go: on every platform we
        // support, a user's private chat is addressed by their user id.
        chatId: message.isGroup ? message.senderId : message.address.chatId,
        displayName: message.senderName,
      },
      hinted ?? deps.defaultLocale,
    );
    // A new person behind a chat that had a session (their data was erased, e.g. from the console): they
    // inherit nothing of the earlier conversation, only the ids of messages already handled.
    if (person.isNew && stored) session = { ...emptySession(), seen: session.seen };
    const locale = session.locale ?? (person.isNew ? (hinted ?? person.locale) : person.locale);
    const turn = new Turn(message, message.text, locale, deps.translator, session, person, now);

    if (session.flow && now.getTime() - Date.parse(session.updatedAt) > staleFlowMs) {
      session.flow = undefined;
      session.choices = [];
      turn.say(turn.t('common:flowRestarted'));
    }
    await dispatch(turn, message);

    // After "delete my data" the conversation state goes too (its flow data may hold what was typed);
    // only the ids of messages already handled stay, so a retried message is still not handled twice.
    const kept = turn.events.some((e) => e.type === 'data_deleted')
      ? { ...emptySession(), seen: session.seen }
      : session;
    kept.seen = [...kept.seen, message.id].slice(-SEEN_KEEP);
    kept.updatedAt = now.toISOString();
    await deps.sessions.save(key, kept);
    return { intent: turn.intent, replies: turn.replies, events: turn.events };
  }

  async function dispatch(turn: Turn, message: InboundMessage): Promise<void> {
    if (message.kind === 'media' || message.kind === 'voice') {
      turn.intent = 'media';
      turn.say(turn.t('common:mediaNotSupported'));
      return;
    }
    const text = message.text.trim();
    if (!text && message.choiceIndex === undefined) {
      turn.intent = 'empty';
      turn.say(turn.t('common:empty'));
      return;
    }
    if (text.length > LONG_MESSAGE) turn.say(turn.t('common:tooLong'));

    if (isCancelWord(text) && turn.session.flow) {
      const flow = flows.get(turn.session.flow.name);
      turn.intent = 'flow.cancel';
      turn.endFlow();
      turn.session.choices = [];
      if (flow?.onCancel) flow.onCancel(turn);
      else turn.say(turn.t('common:flowCancelled'), mainMenu(turn.t));
      return;
    }

    const choice = resolveChoice(text, turn.session.choices, message.choiceIndex);
    if (choice.kind === 'chosen') return runAction(turn, choice.option.action, text);
    if (choice.kind === 'out_of_range' && !turn.session.flow) {
      turn.intent = 'choice.invalid';
      turn.say(turn.t('common:choiceOutOfRange', { max: choice.max }), turn.session.choices);
      return;
    }

    const understanding = deps.nlu.understand(text);
    const flow = turn.session.flow && flows.get(turn.session.flow.name);
    if (flow) {
      turn.intent = `flow.${flow.name}`;
      if ((await flow.handle(turn, { text, understanding })) !== 'pass') return;
      turn.endFlow();
    }
    return runIntent(turn, understanding);
  }

  async function runAction(turn: Turn, action: ChoiceAction, text: string): Promise<void> {
    const understanding = deps.nlu.understand(text);
    switch (action.type) {
      case 'intent':
        turn.endFlow();
        return runIntent(turn, { ...understanding, intent: action.intent, confidence: 1 });
      case 'flow': {
        const flow = flows.get(action.flow);
        if (!flow) return runIntent(turn, understanding);
        turn.intent = `flow.${flow.name}`;
        if ((await flow.handle(turn, { text, value: action.value, understanding })) !== 'pass') return;
        turn.endFlow();
        return runIntent(turn, understanding);
      }
      case 'course':
        return runIntent(turn, { ...understanding, intent: 'choice.course', confidence: 1 }, action.code);
      case 'clause':
        return runIntent(turn, { ...understanding, intent: 'choice.clause', confidence: 1 }, action.id);
    }
  }

  async function runIntent(turn: Turn, understanding: Understanding, target?: string): Promise<void> {
    turn.intent = understanding.intent;
    const handler = deps.intents[understanding.intent] ?? deps.intents['unknown'];
    if (!handler) {
      turn.say(turn.t('common:unknown'), mainMenu(turn.t));
      return;
    }
    turn.session.choices = [];
    await handler(turn, target === undefined ? understanding : { ...understanding, target });
  }

  return {
    async handle(message) {
      try {
        return await deps.sessions.withLock(sessionKeyFor(message.address.channel, message.senderId), () =>
          runTurn(message),
        );
      } catch (error) {
        deps.onError?.(error, message);
        const locale = deps.nlu.detectLocale(message.text) ?? localeFromHint(message.localeHint);
        const t = deps.translator.forLocale(locale ?? deps.defaultLocale);
        return {
          intent: 'error',
          replies: [{ text: t(isOutage(error) ? 'common:busy' : 'common:error') }],
          events: [],
        };
      }
    },
  };
}

function isCancelWord(text: string): boolean {
  return CANCEL_WORDS.has(
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]/gu, ''),
  );
}
