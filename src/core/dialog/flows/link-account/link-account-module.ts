import { z } from 'zod';
import { mobileFailureKey, normalizeMobile } from '../../../people/phone';
import type { ChoiceOption } from '../../chat-session';
import { squash } from '../../choices';
import type { DialogModule } from '../../dialog-module';
import { defineFlow, type FlowInput } from '../../flow';
import type { IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { Turn } from '../../turn';
import type { LinkAccountPort } from './link-account-port';

/** The check-in that brought the person here, completed once the chat is linked. */
const pendingCheckinSchema = z.object({
  code: z.string().regex(/^\d{6}$/),
  sessionId: z.string().min(1).max(64).optional(),
  method: z.enum(['code', 'qr']),
  /** When the code was scanned: it is checked as of then once the chat is linked (checkin-service.ts). */
  scannedAt: z.coerce.date().optional(),
});
export type PendingCheckin = z.infer<typeof pendingCheckinSchema>;

const linkFlow = defineFlow({
  name: 'link-account',
  version: 1,
  steps: {
    /** Asked for the phone number given at sign-up. */
    phone: z.object({ checkin: pendingCheckinSchema.optional(), reprompted: z.boolean().optional() }),
    /** A code was (perhaps) sent: waiting for the six digits. */
    code: z.object({
      checkin: pendingCheckinSchema.optional(),
      masked: z.string().max(20),
      /** Something that was neither a code nor a question came once already: the next such message leaves. */
      reprompted: z.boolean().optional(),
    }),
  },
});

/** "绑定账号", "关联账号", "link account", as typed (spaces and punctuation aside). */
const COMMANDS = new Set([
  '绑定账号',
  '绑定帐号',
  '关联账号',
  '关联帐号',
  '账号绑定',
  '帐号绑定',
  '合并账号',
  'linkaccount',
  'linkmyaccount',
  'linkaccounts',
]);
export const isLinkCommand = (text: string) => COMMANDS.has(squash(text));

/**
 * A message that clearly asks something else (a recognised intent, in words): the flow lets it go. An emoji,
 * "?", "嗯" is asked about again instead.
 */
const clearlyElse = (input: FlowInput) =>
  input.understanding.intent !== 'unknown' &&
  (input.text.normalize('NFKC').match(/[\p{L}]/gu)?.length ?? 0) >= 2;

/** Six digits, however typed (full-width, spaces). */
const codeOf = (text: string) => {
  const digits = text.normalize('NFKC').replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
};

export interface LinkAccountModuleDeps {
  link: LinkAccountPort;
  /** Completes the check-in that led here, for the person the chat now belongs to. */
  resumeCheckin?: (turn: Turn, personId: string, pending: PendingCheckin) => Promise<void>;
}

export interface LinkAccountModule extends DialogModule {
  /**
   * A check-in from a chat with no sign-up: offers to link it (or says why not). False when nothing was said
   * (a group chat), so the caller gives its own answer.
   */
  offer(turn: Turn, pending: PendingCheckin): Promise<boolean>;
}

/**
 * Account linking (issue 20 item 1): a trainee who signed up on Telegram or WeChat and scans the check-in QR
 * code with the phone camera lands in the web chat as a stranger. They type the phone number they signed up
 * with, get a one-time code by SMS, type it, and this chat joins their record; the check-in completes in the
 * same turn. docs/attendance.md, docs/personal-data.md.
 */
export function linkAccountModule(deps: LinkAccountModuleDeps): LinkAccountModule {
  const { link } = deps;
  const identityOf = (turn: Turn) => ({ channel: turn.msg.address.channel, externalId: turn.msg.senderId });
  const staffChoice = (turn: Turn): ChoiceOption[] => [
    { label: turn.t('common:menu.human'), action: { type: 'intent', intent: 'handoff.human' } },
  ];

  /** Asks for the phone number, or says why this chat cannot be linked. */
  async function begin(turn: Turn, checkin: PendingCheckin | undefined): Promise<void> {
    const readiness = await link.readiness(turn.person.id, identityOf(turn));
    const lead = checkin ? 'link-account:checkin.' : 'link-account:';
    if (readiness === 'has_data') {
      turn.say(turn.t(`${lead}hasData`), staffChoice(turn));
      return;
    }
    if (readiness === 'locked') {
      turn.say(turn.t('link-account:locked', { minutes: link.lockMinutes }), staffChoice(turn));
      return;
    }
    if (readiness === 'no_sms') {
      turn.say(turn.t(`${lead}noSms`), mainMenu(turn.t));
      return;
    }
    linkFlow.start(turn, 'phone', { checkin });
    turn.say(turn.t(`${lead}askPhone`));
  }

  async function sendCode(turn: Turn, phone: string, checkin: PendingCheckin | undefined): Promise<void> {
    const outcome = await link.requestCode({
      personId: turn.person.id,
      identity: identityOf(turn),
      phone,
      now: turn.now,
    });
    switch (outcome.status) {
      case 'sent':
        linkFlow.start(turn, 'code', { checkin, masked: outcome.maskedPhone });
        turn.say(turn.t('link-account:sent', { phone: outcome.maskedPhone, minutes: link.codeMinutes }));
        return;
      case 'rate_limited':
        turn.endFlow();
        turn.say(turn.t('link-account:rateLimited'), staffChoice(turn));
        return;
      case 'locked':
        turn.endFlow();
        turn.say(turn.t('link-account:locked', { minutes: link.lockMinutes }), staffChoice(turn));
        return;
      case 'has_data':
        turn.endFlow();
        turn.say(turn.t('link-account:hasData'), staffChoice(turn));
        return;
      case 'no_sms':
        turn.endFlow();
        turn.say(turn.t('link-account:noSms'), mainMenu(turn.t));
        return;
    }
  }

  async function checkCode(turn: Turn, code: string, checkin: PendingCheckin | undefined): Promise<void> {
    const outcome = await link.checkCode({
      personId: turn.person.id,
      identity: identityOf(turn),
      code,
      now: turn.now,
    });
    switch (outcome.status) {
      case 'wrong':
        turn.say(turn.t('link-account:wrong', { left: outcome.triesLeft }));
        return;
      case 'locked':
        turn.endFlow();
        turn.say(turn.t('link-account:locked', { minutes: link.lockMinutes }), staffChoice(turn));
        return;
      case 'expired':
        turn.endFlow();
        turn.say(turn.t('link-account:expired', { minutes: link.codeMinutes }), mainMenu(turn.t));
        return;
      case 'staff':
        turn.endFlow();
        turn.say(turn.t('link-account:staff'), staffChoice(turn));
        return;
      case 'linked':
        turn.endFlow();
        turn.say(turn.t('link-account:linked'));
        if (checkin && deps.resumeCheckin) await deps.resumeCheckin(turn, outcome.personId, checkin);
        return;
    }
  }

  const flow = linkFlow.handler({
    async handle(turn, state, input) {
      if (!state) return 'pass';
      turn.intent = 'account.link';
      const { checkin } = state.data;
      if (state.step === 'code') {
        const code = codeOf(input.text);
        if (code) return checkCode(turn, code, checkin);
      }
      // A phone number: at the first step, or again while waiting for the code (a typo, another number).
      const typed = input.understanding.slots.phone ?? input.text;
      const phone = normalizeMobile(typed);
      if (phone.ok) return sendCode(turn, phone.value, checkin);
      const bare = input.text.normalize('NFKC').replace(/[\s\-–—.()（）+]/g, '');
      if (!/^\d+$/.test(bare)) {
        // A clear question of another kind, or junk a second time: the engine leaves the flow and reads it
        // afresh. Junk the first time (an emoji, "?"): the question again, with how to stop ("取消" works here).
        if (clearlyElse(input) || state.data.reprompted) return 'pass';
        if (state.step === 'code') {
          linkFlow.start(turn, 'code', { ...state.data, reprompted: true });
          turn.say(turn.t('link-account:codeReprompt', { phone: state.data.masked }));
        } else {
          linkFlow.start(turn, 'phone', { ...state.data, reprompted: true });
          turn.say(turn.t('link-account:phoneReprompt'));
        }
        return;
      }
      turn.say(turn.t(state.step === 'code' ? 'link-account:codeMalformed' : mobileFailureKey(phone.reason)));
    },
    onCancel(turn) {
      turn.say(turn.t('link-account:cancelled'), mainMenu(turn.t));
    },
  });

  const route: IntentRoute = async (turn, understanding, next) => {
    if (!isLinkCommand(turn.text)) {
      // The code sent again just after it linked this chat: said so, instead of "not understood".
      const code = turn.msg.isGroup ? undefined : codeOf(turn.text);
      if (code && (await link.justLinkedWith(identityOf(turn), code))) {
        turn.intent = 'account.link';
        turn.say(turn.t('link-account:alreadyLinked'));
        return;
      }
      return next(understanding);
    }
    turn.intent = 'account.link';
    // A phone number and a code do not belong in a group chat.
    if (turn.msg.isGroup) {
      turn.say(turn.t('link-account:privateOnly'));
      return;
    }
    await begin(turn, undefined);
  };

  return {
    route,
    flows: [flow],
    async offer(turn, pending) {
      if (turn.msg.isGroup) return false;
      await begin(turn, { ...pending, scannedAt: pending.scannedAt ?? turn.now });
      return true;
    },
  };
}
