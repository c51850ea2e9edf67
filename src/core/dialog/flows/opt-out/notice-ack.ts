import { z } from 'zod';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import type { IntentRoute } from '../../handler';
import { isAcknowledgement } from '../../intents/course-facts-route';
import type { Turn } from '../../turn';
import type { NoticeAcksPort } from './preferences-port';

/**
 * The flow a notice's "收到" choice points at. The notice's delivery makes its choices the person's current
 * ones (delivery/proactive-choices.ts), so a button tap, a typed "1" or the label's own words ("收到") land here.
 */
const noticeAck = defineFlow({
  name: 'notice-ack',
  version: 1,
  steps: { sent: z.object({ broadcastId: z.string() }) },
});

/** The choice a notice asking for confirmation carries (rendered per language by the broadcast service). */
export function noticeAckChoice(label: string, broadcastId: string): ChoiceOption {
  return noticeAck.choice(label, `ack:${broadcastId}`);
}

const ACK_VALUE = /^ack:([0-9a-f-]{36})$/i;
const ONE = /^[(（]?\s*1\s*[)）.、]?$/;

/**
 * Issue 19, item 5: the answer to a notice that asks for confirmation. A button tap (or "1") records it; so does
 * "收到"/"好的" typed soon after such a notice (this route sits before the `chat.ack` one of
 * intents/course-facts-route.ts, which still answers every other acknowledgement).
 */
export function noticeAckModule(acks: NoticeAcksPort): DialogModule {
  async function record(turn: Turn, broadcastId: string, via: 'text' | 'button'): Promise<void> {
    turn.intent = 'chat.ack';
    const outcome = await acks.acknowledge(turn.person.id, broadcastId, via);
    if (outcome.status === 'not_found') {
      turn.say(turn.t('preferences:ack.notFound'));
      return;
    }
    turn.say(
      turn.t(outcome.status === 'recorded' ? 'preferences:ack.recorded' : 'preferences:ack.already', {
        code: outcome.code,
        title: outcome.title[turn.locale],
      }),
    );
  }

  const flow = noticeAck.handler({
    async handle(turn, _state, input) {
      const id = ACK_VALUE.exec(input.value ?? '')?.[1];
      if (!id) return 'pass';
      turn.endFlow();
      await record(turn, id, 'button');
    },
  });

  const route: IntentRoute = async (turn, u, next) => {
    if (turn.msg.isGroup) return next(u);
    const text = turn.text.trim();
    if (!isAcknowledgement(text) && !ONE.test(text.normalize('NFKC'))) return next(u);
    const offered = turn.session.choices
      .map((c) => (c.action.type === 'flow' && c.action.flow === noticeAck.name ? c.action.value : ''))
      .map((v) => ACK_VALUE.exec(v ?? '')?.[1])
      .find(Boolean);
    const id = offered ?? (await acks.pending(turn.person.id, turn.now));
    if (!id) return next(u);
    await record(turn, id, 'text');
  };

  return { flows: [flow], route };
}
