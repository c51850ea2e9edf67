import type { InboundResult } from '../channel';
import { type Locale, localeFromHint } from '../domain';
import type { Translator } from '../i18n';
import type { InboundMessage } from '../message';
import { MAX_NLU_INPUT } from '../nlu/normalize';
import { isOutage } from '../outage';
import type { PeopleRepository } from '../ports';
import type { AnswerKind } from './answer-kind';
import { type ChatSession, type ChoiceAction, chatSessionKey, emptyChatSession } from './chat-session';
import type { ChatSessionStore } from './chat-session-store';
import { type ChoiceResolution, resolveChoice } from './choices';
import type { FlowHandler } from './flow';
import type { IntentRoute, IntentTable, Nlu, TurnGate, Understanding } from './handler';
import type { HandledIntent } from './intent-name';
import { mainMenu } from './main-menu';
import { Turn } from './turn';

export type TurnResult = InboundResult;

/** Something wrong with a stored session, found and dealt with on reading it: for the log. */
export interface SessionProblem {
  key: string;
  /** repaired: fields that did not parse were reset (the person is told); flow_*: the flow restarted. */
  kind: 'repaired' | 'flow_version' | 'flow_data';
  issues: string[];
}

export interface DialogEngineDeps {
  nlu: Nlu;
  translator: Translator;
  sessions: ChatSessionStore;
  people: PeopleRepository;
  intents: IntentTable;
  flows: FlowHandler[];
  /** See the free text of a turn before its intent's handler, in order (DialogModule.route). */
  routes?: IntentRoute[];
  /** See every turn first and may answer it (DialogModule.gate): a conversation held by staff. */
  gates?: TurnGate[];
  defaultLocale: Locale;
  clock?: () => Date;
  /** A flow left alone longer than this restarts politely instead of resuming mid-question. */
  staleFlowMs?: number;
  onError?: (error: unknown, message: InboundMessage) => void;
  /** A stored session had to be repaired or its flow restarted (the person has been told). */
  onSessionProblem?: (problem: SessionProblem, message: InboundMessage) => void;
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
  /** The flows this engine can resume: a session naming any other flow is stale or corrupt. */
  readonly flowNames: ReadonlySet<string>;
}

/** What the engine knows about a message before deciding who answers it. */
interface Inbound {
  turn: Turn;
  message: InboundMessage;
  text: string;
  choice: ChoiceResolution;
}

/** One rule of the dispatch table: the first whose `when` holds answers the turn. */
interface Rule {
  when(m: Inbound): boolean;
  run(m: Inbound): Promise<void> | void;
}

/** What the turn said it was, or what its intent and citations make it. */
function answerKindOf(turn: Turn): AnswerKind {
  if (turn.answer) return turn.answer;
  if (turn.citations.length) return 'policy';
  return turn.intent === 'course.search' ? 'course' : 'other';
}

/** One inbound message in, replies and domain events out. Knows no platform, queue or database. */
export function createDialogEngine(deps: DialogEngineDeps): DialogEngine {
  const clock = deps.clock ?? (() => new Date());
  const staleFlowMs = deps.staleFlowMs ?? 6 * 3_600_000;
  const flows = new Map(deps.flows.map((f) => [f.name, f]));
  const currentFlow = (turn: Turn) => turn.session.flow && flows.get(turn.session.flow.name);

  /**
   * Who wrote, looked up while the session is fetched (the two do not depend on each other; a turn under load
   * waits for one round trip fewer). A first contact's language is guessed from the message.
   */
  function resolvePerson(message: InboundMessage, guessed: Locale | undefined) {
    return deps.people.resolve(
      {
        channel: message.address.channel,
        externalId: message.senderId,
        // A group message must not replace where the person's private messages go: on every platform we
        // support, a user's private chat is addressed by their user id.
        chatId: message.isGroup ? message.senderId : message.address.chatId,
        displayName: message.senderName,
      },
      guessed ?? deps.defaultLocale,
    );
  }

  async function runTurn(
    message: InboundMessage,
    guessed: Locale | undefined,
    resolving: ReturnType<typeof resolvePerson>,
  ): Promise<TurnResult> {
    const key = chatSessionKey(message.address.channel, message.senderId);
    const loaded = await deps.sessions.load(key);
    let session = loaded.session;
    if (session.seen.includes(message.id))
      return { intent: 'duplicate', replies: [], events: [], citations: [], answer: 'other' };
    const repair = session.repair;
    delete session.repair;

    const now = clock();
    const person = await resolving;
    // A new person behind a chat that had a session (their data was erased, e.g. from the console): they
    // inherit nothing of the earlier conversation, only the ids of messages already handled — not its
    // language either: the message they write now says which.
    if (person.isNew && !loaded.fresh) session = { ...emptyChatSession(), seen: session.seen };
    const hinted = session.locale ?? guessed;
    const locale = session.locale ?? (person.isNew ? (hinted ?? person.locale) : person.locale);
    const turn = new Turn(message, message.text, locale, deps.translator, session, person, now);
    const problem = (kind: SessionProblem['kind'], issues: string[]) =>
      deps.onSessionProblem?.({ key, kind, issues }, message);

    if (repair) {
      problem('repaired', repair.issues);
      // What could be read (a sign-up half done, the language) is kept; the person is told something was lost.
      if (!person.isNew) turn.say(turn.t('common:sessionRepaired'));
    }
    if (session.flow && now.getTime() - Date.parse(session.updatedAt) > staleFlowMs) {
      restartFlow(turn, 'common:flowRestarted');
    } else if (session.flow) {
      const flow = flows.get(session.flow.name);
      const check = flow
        ? flow.check(session.flow)
        : ({ ok: false, reason: 'data', issue: `no flow ${session.flow.name}` } as const);
      if (!check.ok) {
        problem(check.reason === 'version' ? 'flow_version' : 'flow_data', [
          `${session.flow.name}: ${check.issue}`,
        ]);
        restartFlow(turn, 'common:flowChanged');
      }
    }
    const flowBefore = JSON.stringify(session.flow ?? null);
    await dispatch(turn, message);

    // After "delete my data" the conversation state goes too (its flow data may hold what was typed);
    // only the ids of messages already handled stay, so a retried message is still not handled twice.
    const kept: ChatSession = turn.events.some((e) => e.type === 'data_deleted')
      ? { ...emptyChatSession(), seen: session.seen }
      : session;
    rememberPrompt(kept, turn, flowBefore);
    kept.seen = [...kept.seen, message.id].slice(-SEEN_KEEP);
    kept.updatedAt = now.toISOString();
    await deps.sessions.save(key, kept);
    return {
      intent: turn.intent,
      replies: turn.replies,
      events: turn.events,
      citations: turn.citations,
      answer: answerKindOf(turn),
    };
  }

  function restartFlow(turn: Turn, line: 'common:flowRestarted' | 'common:flowChanged'): void {
    turn.session.flow = undefined;
    turn.session.choices = [];
    turn.say(turn.t(line));
  }

  /** Who answers a message, in order: the first rule that applies. */
  const rules: Rule[] = [
    {
      when: (m) => m.message.kind === 'media' || m.message.kind === 'voice',
      run: ({ turn }) => {
        turn.intent = 'media';
        turn.say(turn.t('common:mediaNotSupported'));
      },
    },
    {
      when: (m) => !m.text && m.message.choiceIndex === undefined,
      run: ({ turn }) => {
        turn.intent = 'empty';
        turn.say(turn.t('common:empty'));
      },
    },
    {
      when: (m) => isCancelWord(m.text) && Boolean(m.turn.session.flow),
      run: ({ turn }) => {
        const flow = currentFlow(turn);
        turn.intent = 'flow.cancel';
        turn.endFlow();
        turn.session.choices = [];
        if (flow?.onCancel) flow.onCancel(turn);
        else turn.say(turn.t('common:flowCancelled'), mainMenu(turn.t));
      },
    },
    {
      // Someone coming back mid-step (a reopened web page greets, Telegram's /start, "你好" after a while):
      // the pending question again, with its choices, instead of leaving the step for a greeting.
      when: (m) =>
        isGreeting(m.text) &&
        m.message.choiceIndex === undefined &&
        Boolean(currentFlow(m.turn)) &&
        Boolean(m.turn.session.prompt),
      run: ({ turn }) => {
        turn.intent = `flow.${turn.session.flow!.name}`;
        const choices = turn.session.prompt!.choices ?? turn.session.choices;
        turn.say(turn.t('common:flowResumed'));
        turn.say(turn.session.prompt!.text, choices);
      },
    },
    {
      when: (m) => m.choice.kind === 'chosen',
      run: (m) => {
        if (m.choice.kind !== 'chosen') return;
        return runAction(m, m.choice.option.action);
      },
    },
    {
      when: (m) => m.choice.kind === 'out_of_range' && !m.turn.session.flow,
      run: ({ turn, choice }) => {
        turn.intent = 'choice.invalid';
        const max = choice.kind === 'out_of_range' ? choice.max : 0;
        turn.say(turn.t('common:choiceOutOfRange', { max }), turn.session.choices);
      },
    },
    {
      when: (m) => Boolean(currentFlow(m.turn)),
      run: (m) => runFlow(m, currentFlow(m.turn)!, deps.nlu.understand(m.text)),
    },
    { when: () => true, run: (m) => routeIntent(m.turn, deps.nlu.understand(m.text)) },
  ];

  async function dispatch(turn: Turn, message: InboundMessage): Promise<void> {
    const text = message.text.trim();
    const isMessage = message.kind !== 'media' && message.kind !== 'voice';
    if (isMessage && text.length > LONG_MESSAGE) turn.say(turn.t('common:tooLong'));
    const inbound: Inbound = {
      turn,
      message,
      text,
      choice: isMessage ? resolveChoice(text, turn.session.choices, message.choiceIndex) : { kind: 'none' },
    };
    for (const gate of deps.gates ?? []) if (await gate(turn)) return;
    await rules.find((rule) => rule.when(inbound))!.run(inbound);
  }

  /** A flow answers; when the message is no answer to its question, the flow ends and an intent answers. */
  async function runFlow(m: Inbound, flow: FlowHandler, understanding: Understanding, value?: string) {
    m.turn.intent = `flow.${flow.name}`;
    if ((await flow.handle(m.turn, { text: m.text, value, understanding })) !== 'pass') return;
    if (m.choice.kind === 'out_of_range' && m.turn.session.choices.length) {
      // A number beyond the options the step offered: the same step is asked again, nothing is reset.
      m.turn.intent = 'choice.invalid';
      m.turn.say(m.turn.t('common:choiceOutOfRange', { max: m.choice.max }), m.turn.session.choices);
      return;
    }
    m.turn.endFlow();
    return routeIntent(m.turn, understanding);
  }

  /** What each kind of pressed choice does. */
  const actions: {
    [K in ChoiceAction['type']]: (m: Inbound, action: Extract<ChoiceAction, { type: K }>) => Promise<void>;
  } = {
    intent: (m, action) => {
      m.turn.endFlow();
      return runIntent(m.turn, pressed(m, action.intent));
    },
    flow: (m, action) => {
      const flow = flows.get(action.flow);
      const understanding = deps.nlu.understand(m.text);
      if (!flow) return runIntent(m.turn, understanding);
      return runFlow(m, flow, understanding, action.value);
    },
    course: (m, action) => runIntent(m.turn, pressed(m, 'choice.course'), action.code),
    clause: (m, action) => runIntent(m.turn, pressed(m, 'choice.clause'), action.id),
    say: (m, action) => {
      m.turn.endFlow();
      m.turn.text = action.text;
      return routeIntent(m.turn, deps.nlu.understand(action.text));
    },
  };

  function runAction(m: Inbound, action: ChoiceAction): Promise<void> {
    return (actions[action.type] as (m: Inbound, action: ChoiceAction) => Promise<void>)(m, action);
  }

  /** What the person's words say, with the intent of the choice they pressed. */
  function pressed(m: Inbound, intent: HandledIntent): Understanding {
    return { ...deps.nlu.understand(m.text), intent, confidence: 1 };
  }

  /** Free text no flow step took: the routes see it first (policy beside courses), then its intent's handler. */
  function routeIntent(turn: Turn, understanding: Understanding): Promise<void> {
    const chain = (deps.routes ?? []).reduceRight<(u: Understanding) => Promise<void>>(
      (next, route) => (u) => route(turn, u, next),
      (u) => runIntent(turn, u),
    );
    return chain(understanding);
  }

  async function runIntent(turn: Turn, understanding: Understanding, target?: string): Promise<void> {
    turn.intent = understanding.intent;
    const handler = deps.intents[understanding.intent] ?? deps.intents.unknown;
    if (!handler) {
      turn.say(turn.t('common:unknown'), mainMenu(turn.t));
      return;
    }
    turn.session.choices = [];
    await handler(turn, target === undefined ? understanding : { ...understanding, target });
  }

  return {
    flowNames: new Set(flows.keys()),
    async handle(message) {
      try {
        // The message's language, guessed once: for a first contact, and when the session has none.
        const guessed = deps.nlu.detectLocale(message.text) ?? localeFromHint(message.localeHint);
        const resolving = resolvePerson(message, guessed);
        // Awaited inside the turn; a failure while the lock is awaited must not go unhandled meanwhile.
        resolving.catch(() => undefined);
        return await deps.sessions.withLock(chatSessionKey(message.address.channel, message.senderId), () =>
          runTurn(message, guessed, resolving),
        );
      } catch (error) {
        deps.onError?.(error, message);
        const locale = deps.nlu.detectLocale(message.text) ?? localeFromHint(message.localeHint);
        const t = deps.translator.forLocale(locale ?? deps.defaultLocale);
        return {
          intent: 'error',
          replies: [{ text: t(isOutage(error) ? 'common:busy' : 'common:error') }],
          events: [],
          citations: [],
          answer: 'other',
        };
      }
    },
  };
}

/**
 * What a step in progress last asked: kept while the flow goes on, forgotten when it ends. A turn that left
 * the step where it was (a validation error, a side question answered) keeps the question asked before, so
 * "你好" afterwards brings back the question, not the error message.
 */
function rememberPrompt(session: ChatSession, turn: Turn, flowBefore: string): void {
  const question = turn.replies.at(-1);
  if (!session.flow) delete session.prompt;
  else if (session.prompt && JSON.stringify(session.flow) === flowBefore) return;
  else if (question && turn.replies.length)
    session.prompt = {
      text: question.text.slice(0, 8000),
      ...(session.choices.length ? { choices: session.choices } : {}),
    };
}

/** Only a greeting, nothing asked: "你好", "您好！", "hello", "在吗", Telegram's "/start". */
const GREETING = /^(你好|您好|你们好|哈喽|嗨|喂|在吗|在不在|有人吗|hi|hello|hey|\/start)$/i;

function isGreeting(text: string): boolean {
  return GREETING.test(
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s!！。.,，~～?？]/gu, ''),
  );
}

function isCancelWord(text: string): boolean {
  return CANCEL_WORDS.has(
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]/gu, ''),
  );
}
