import { z } from 'zod';
import type { CheckinAttempt, CheckinDialogPort, CheckinOutcome } from '../../../attendance/checkin-port';
import { readCheckinRequest } from '../../../attendance/checkin-text';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import type { IntentRoute } from '../../handler';
import { mainMenu } from '../../main-menu';
import type { Turn } from '../../turn';
import type { PendingCheckin } from '../link-account/link-account-module';
import { checkinReply, sessionParams, showCodeReply, whoLabel } from './checkin-replies';

export interface CheckinModuleDeps {
  checkin: CheckinDialogPort;
  timezone: string;
  /**
   * A chat with no sign-up at all (a trainee who signed up on Telegram and scanned the QR code into the web
   * chat): offer to link it to their record (flows/link-account). False: nothing said, the usual answer.
   */
  offerLink?: (turn: Turn, pending: PendingCheckin) => Promise<boolean>;
}

export interface CheckinModule extends DialogModule {
  /** Completes a check-in for `personId` (the chat's person after linking), answering as usual. */
  resume(turn: Turn, personId: string, pending: PendingCheckin): Promise<void>;
}

const ALL = 'all';

/** Whether the digits were some class's code (so the person meant to check in), whatever came of it. */
function isLiveCode(outcome: CheckinOutcome): boolean {
  if (outcome.status === 'wrong_code') return false;
  if (outcome.status === 'not_enrolled') return outcome.session !== undefined;
  if (outcome.status === 'outside_window') return outcome.state !== 'none';
  return true;
}
const checkinFlow = defineFlow({
  name: 'checkin',
  version: 1,
  steps: {
    /** The code fitted a class that the writer and family members they signed up are all in: for whom? */
    who: z.object({
      sessionId: z.string().uuid(),
      code: z.string().regex(/^\d{6}$/),
      method: z.enum(['code', 'qr']),
      enrolmentIds: z.array(z.string().uuid()).min(2).max(10),
    }),
  },
});

/**
 * Issue 20, item 1: "签到 123456", the QR link ("/start ci_…", or the web chat page sending its token) and a
 * coordinator's "签到码 ZX-DS-01". Read before the classifier (a route early in the registry), so a code is
 * never taken for a policy question. docs/attendance.md.
 */
export function checkinModule(deps: CheckinModuleDeps): CheckinModule {
  const { checkin, timezone } = deps;
  const { stepMinutes } = checkin;

  async function attempt(
    turn: Turn,
    request: Omit<CheckinAttempt, 'personId' | 'now'>,
    personId = turn.person.id,
  ): Promise<void> {
    const outcome = await checkin.checkIn({ ...request, personId, now: turn.now });
    if (outcome.status === 'choose') return choose(turn, outcome, request);
    // No sign-up at all in this chat: perhaps the person signed up on another channel (not after a link).
    const fresh = personId === turn.person.id;
    if (outcome.status === 'not_enrolled' && !outcome.session && fresh && deps.offerLink) {
      const pending = { code: request.code, sessionId: request.sessionId, method: request.method };
      if (await deps.offerLink(turn, pending)) return;
    }
    reply(turn, outcome);
  }

  function reply(turn: Turn, outcome: Exclude<CheckinOutcome, { status: 'choose' }>): void {
    // Checked in: nothing more to offer. Refused: the menu, for whatever the person meant to do instead.
    const done = outcome.status === 'checked_in' || outcome.status === 'already';
    turn.say(checkinReply(turn, outcome, timezone, stepMinutes), done ? [] : mainMenu(turn.t));
  }

  function choose(
    turn: Turn,
    outcome: Extract<CheckinOutcome, { status: 'choose' }>,
    request: Omit<CheckinAttempt, 'personId' | 'now'>,
  ): void {
    const { t } = turn;
    // Family members are named only in a private chat.
    if (turn.msg.isGroup) {
      turn.say(t('attendance:choosePrivately', sessionParams(turn, outcome.session, timezone)));
      return;
    }
    checkinFlow.start(turn, 'who', {
      sessionId: outcome.sessionId,
      code: request.code,
      method: request.method,
      enrolmentIds: outcome.who.map((w) => w.enrolmentId),
    });
    turn.say(t('attendance:choose', sessionParams(turn, outcome.session, timezone)), [
      ...outcome.who.map((w, i) => checkinFlow.choice(whoLabel(turn, w), String(i))),
      checkinFlow.choice(t('attendance:chooseAll'), ALL),
    ]);
  }

  const flow = checkinFlow.handler({
    async handle(turn, state, input) {
      if (!state) return 'pass';
      const { data } = state;
      const picked =
        input.value === ALL
          ? data.enrolmentIds
          : input.value === undefined
            ? undefined
            : [data.enrolmentIds[Number(input.value)]].filter((id): id is string => Boolean(id));
      if (!picked?.length) return 'pass';
      turn.endFlow();
      await attempt(turn, {
        code: data.code,
        sessionId: data.sessionId,
        method: data.method,
        enrolmentIds: picked,
      });
    },
  });

  const route: IntentRoute = async (turn, understanding, next) => {
    const request = readCheckinRequest(turn.text);
    if (!request) return next(understanding);
    switch (request.kind) {
      case 'code':
        turn.intent = 'attendance.checkin';
        return attempt(turn, { code: request.code, method: 'code' });
      case 'digits': {
        // Only a live code of some class counts; otherwise six digits are left to the rest of the dialog.
        const outcome = await checkin.checkIn({
          code: request.code,
          method: 'code',
          personId: turn.person.id,
          now: turn.now,
        });
        if (!isLiveCode(outcome)) return next(understanding);
        turn.intent = 'attendance.checkin';
        if (outcome.status === 'choose') return choose(turn, outcome, { code: request.code, method: 'code' });
        return reply(turn, outcome);
      }
      case 'token':
        turn.intent = 'attendance.checkin';
        return attempt(turn, { code: request.code, sessionId: request.sessionId, method: 'qr' });
      case 'ask':
        turn.intent = 'attendance.checkin';
        turn.say(turn.t(request.malformed ? 'attendance:malformed' : 'attendance:ask'));
        return;
      case 'show': {
        turn.intent = 'attendance.code';
        if (turn.msg.isGroup) {
          turn.say(turn.t('attendance:show.privateOnly'));
          return;
        }
        const identity = { channel: turn.msg.address.channel, externalId: turn.msg.senderId };
        const outcome = await checkin.showCode(turn.person.id, identity, request.courseCode, turn.now);
        // "签到码" alone from a trainee: they are after the code to type, so they are told how check-in works.
        if (outcome.status === 'not_coordinator' && !request.courseCode) {
          turn.intent = 'attendance.checkin';
          turn.say(turn.t('attendance:ask'));
          return;
        }
        turn.say(showCodeReply(turn, outcome, timezone, stepMinutes));
        return;
      }
    }
  };

  return {
    route,
    flows: [flow],
    resume: (turn, personId, pending) => attempt(turn, pending, personId),
  };
}
