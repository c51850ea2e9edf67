import { z } from 'zod';
import { mobileFailureKey, normalizeMobile } from '../../../people/phone';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import type { IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { Turn } from '../../turn';
import type { LinkAccountPort } from './link-account-port';

/** The check-in that brought the person here, completed once the chat is linked. */
const pendingCheckinSchema = z.object({
  code: z.string().regex(/^\d{6}$/),
  sessionId: z.string().min(1).max(64).optional(),
  method: z.enum(['code', 'qr']),
});
export type PendingCheckin = z.infer<typeof pendingCheckinSchema>;

const linkFlow = defineFlow({
  name: 'link-account',
  version: 1,
  steps: {
    /** Asked for the phone number given at sign-up. */
    phone: z.object({ checkin: pendingCheckinSchema.optional() }),
    /** A code was (perhaps) sent: waiting for the six digits. */
    code: z.object({ checkin: pendingCheckinSchema.optional(), masked: z.string().max(20) }),
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
const squash = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
export const isLinkCommand = (text: string) => COMMANDS.has(squash(text));

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
      // Anything but a run of digits is something else: the engine leaves the flow and reads it afresh.
      const bare = input.text.normalize('NFKC').replace(/[\s\-–—.()（）+]/g, '');
      if (!/^\d+$/.test(bare)) return 'pass';
      turn.say(turn.t(state.step === 'code' ? 'link-account:codeMalformed' : mobileFailureKey(phone.reason)));
    },
    onCancel(turn) {
      turn.say(turn.t('link-account:cancelled'), mainMenu(turn.t));
    },
  });

  const route: IntentRoute = async (turn, understanding, next) => {
    if (!isLinkCommand(turn.text)) return next(understanding);
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
      await begin(turn, pending);
      return true;
    },
  };
}
