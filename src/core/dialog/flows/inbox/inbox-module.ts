import type { InboxKind } from '../../../inbox/inbox-item';
import { findTrackingNumber } from '../../../inbox/tracking-number';
import type { DialogModule } from '../../dialog-module';
import { formatSessionTime } from '../../format-time';
import type { TurnGate } from '../../handler';
import { mainMenu } from '../../main-menu';
import { answerSmallTalk } from '../../small-talk';
import type { Turn } from '../../turn';
import { inboxFlow, inboxFlowHandler } from './callback-flow';
import { type InboxDialogServices, staffIn, whenStaffAnswer } from './inbox-dialog-services';

/** A complaint or a suggestion, rather than a wish to talk to someone. */
const COMPLAINT = /投诉|举报|建议|意见|complain|complaint|suggest|feedback/i;
/** Words that make any message a complaint, whatever else it says ("我想投诉这个培训班" reads like a sign-up). */
const SURELY_COMPLAINT = /投诉|举报|complain/i;
/** Asking how a complaint stands, without its number. */
const STATUS = /进度|状态|怎么样了|结果|处理得?怎么样|status|progress|update on/i;
/** Words that take a conversation held by staff back to the bot. */
const EXIT = new Set([
  '退出',
  '返回',
  '退出人工',
  '结束人工',
  '不用人工了',
  '回到机器人',
  'exit',
  'back',
  'quit',
  'bot',
]);

const isExit = (text: string) =>
  EXIT.has(
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]/gu, ''),
  );

/**
 * The staff inbox in the conversation (issue 17): asking for a person, accepting the offer after an answer
 * the plan could not give, being misunderstood twice in a row, or a complaint opens an inbox item; the person
 * is told truthfully when staff answer. While a staff member holds the conversation the bot stays quiet (the
 * person's messages go to the transcript) until 退出/exit or a silence of `silenceMinutes`.
 */
export function inboxModule(services: InboxDialogServices): DialogModule {
  const { inbox } = services;

  /** Opens an item for this conversation (or says one is open) and tells the person what happens next. */
  async function open(turn: Turn, kind: InboxKind, reason: 'asked' | 'misunderstood' | 'complaint') {
    turn.emit({ type: 'handoff_requested' });
    const conversation = {
      channel: turn.msg.address.channel,
      user: turn.msg.senderId,
      chatId: turn.msg.address.chatId,
    };
    const marked = turn.session.inbox && (await inbox.state(turn.session.inbox.id));
    const current = marked && marked.status !== 'closed' ? marked : await inbox.openFor(conversation);
    if (current && current.status !== 'closed') {
      turn.session.inbox = { id: current.id };
      const text = turn.t('inbox:alreadyOpen', { when: whenStaffAnswer(turn, services) });
      turn.say(text, mainMenu(turn.t));
      await inbox.note(current.id, 'bot', text);
      return;
    }
    const created = await inbox.open({
      kind,
      reason,
      personId: turn.person.id,
      conversation,
      text: turn.text,
    });
    turn.session.inbox = { id: created.id };
    const lead =
      kind === 'complaint'
        ? turn.t('inbox:complaintOpened', { trackingNo: created.trackingNo })
        : reason === 'misunderstood'
          ? turn.t('inbox:misunderstood')
          : turn.t('inbox:handoffOpened');
    const when =
      kind === 'complaint'
        ? whenStaffAnswer(turn, services)
        : `${whenStaffAnswer(turn, services)}\n${turn.t('inbox:hotline', { phone: services.hotline })}`;
    if (staffIn(turn, services) || kind === 'complaint') {
      const text = `${lead}\n${when}`;
      turn.say(text);
      await inbox.note(created.id, 'bot', text);
      return;
    }
    // Outside office hours: staff will answer here when back, or call back if the person leaves a number.
    const text = `${lead}\n${when}\n${turn.t('inbox:callback.offer')}`;
    inboxFlow.start(turn, 'offer', { id: created.id });
    turn.say(text, [
      inboxFlow.choice(turn.t('inbox:callback.yes'), 'yes'),
      inboxFlow.choice(turn.t('inbox:callback.no'), 'no'),
    ]);
    await inbox.note(created.id, 'bot', text);
  }

  /** Asking for a person or complaining; how a complaint stands without its number is asked back. */
  async function handoff(turn: Turn): Promise<void> {
    const complaint = COMPLAINT.test(turn.text);
    if (complaint && STATUS.test(turn.text)) {
      turn.say(turn.t('inbox:complaintAskNumber'));
      return;
    }
    await open(turn, complaint ? 'complaint' : 'handoff', complaint ? 'complaint' : 'asked');
  }

  /** The conversation's open item sees every message; while staff hold it, the bot says nothing. */
  const gate: TurnGate = async (turn) => {
    const marker = turn.session.inbox;
    if (!marker) return false;
    const state = await inbox.state(marker.id);
    if (!state || state.status === 'closed') {
      turn.session.inbox = undefined;
      return false;
    }
    const text = turn.text.trim() || (turn.msg.kind === 'text' ? '' : `[${turn.msg.kind}]`);
    if (text) await inbox.note(state.id, 'user', text);
    if (state.status !== 'claimed') return false;
    if (isExit(text)) {
      await inbox.release(state.id, 'user');
      turn.intent = 'flow.inbox';
      turn.say(turn.t('inbox:handedBack'), mainMenu(turn.t));
      return true;
    }
    const since = state.lastStaffAt ?? state.claimedAt ?? turn.now;
    if (turn.now.getTime() - since.getTime() < services.silenceMinutes * 60_000) {
      turn.intent = 'flow.inbox';
      return true;
    }
    await inbox.release(state.id, 'silence');
    turn.say(turn.t('inbox:silenceBack'));
    return false;
  };

  return {
    gate,
    flows: [inboxFlowHandler(services)],
    // A tracking number in a message is a question about that complaint, whatever else it says.
    route: async (turn, u, next) => {
      const trackingNo = findTrackingNumber(turn.text);
      if (!trackingNo && SURELY_COMPLAINT.test(turn.text) && u.intent !== 'handoff.human') {
        turn.intent = 'handoff.human';
        return handoff(turn);
      }
      if (!trackingNo) return next(u);
      turn.intent = 'handoff.human';
      const found = await inbox.complaint(turn.person.id, trackingNo);
      if (!found) {
        turn.say(turn.t('inbox:complaintUnknown', { trackingNo }), mainMenu(turn.t));
        return;
      }
      turn.say(
        turn.t(`inbox:complaintStatus.${found.status}`, {
          trackingNo,
          since: formatSessionTime(found.createdAt, turn.locale, services.timezone),
          outcome: found.outcome ?? turn.t('inbox:noOutcome'),
        }),
        mainMenu(turn.t),
      );
    },
    intents: {
      'handoff.human': handoff,
      async unknown(turn) {
        // "你是机器人吗", "吃饭了没": small talk is understood, not a miss.
        if (answerSmallTalk(turn)) return;
        // Two messages in a row not understood: a person takes over rather than a third menu.
        const previous = turn.session.seen.at(-1);
        const twice = previous !== undefined && turn.session.lastMiss === previous;
        turn.session.lastMiss = turn.msg.id;
        if (!twice || turn.session.inbox) {
          turn.say(turn.t('common:unknown'), mainMenu(turn.t));
          return;
        }
        turn.session.lastMiss = undefined;
        await open(turn, 'handoff', 'misunderstood');
      },
    },
  };
}
