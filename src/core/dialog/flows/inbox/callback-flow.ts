import { z } from 'zod';
import { maskPhone } from '../../../people/mask';
import { defineFlow } from '../../flow';
import { mainMenu } from '../../main-menu';
import type { Turn } from '../../turn';
import type { InboxDialogServices } from './inbox-dialog-services';

/**
 * The inbox's own flow: outside office hours, leaving a callback request (phone — the one on file with the
 * person's consent, else asked — and a preferred time); and, outside any step, the 1–5 rating asked after an
 * item was closed (its choices carry `rate:<item id>:<n>`).
 */
export const inboxFlow = defineFlow({
  name: 'inbox',
  version: 1,
  steps: {
    offer: z.object({ id: z.string() }),
    consent: z.object({ id: z.string() }),
    phone: z.object({ id: z.string() }),
    time: z.object({ id: z.string(), phone: z.string() }),
  },
});

const YES = /^(是|是的|好|好的|可以|行|要|需要|要的|需要回电|要回电|回电|用|对|嗯|yes|y|ok|sure|please)$/i;
const NO = /^(不|不用|不要|不用了|不需要|不用回电|在这里等|否|算了|no|n|no thanks)$/i;
const PHONE = /(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)/;

const answer = (value: string | undefined, text: string): 'yes' | 'no' | undefined => {
  const typed = text.trim().replace(/[\s\p{P}]/gu, '');
  if (value === 'yes' || YES.test(typed)) return 'yes';
  if (value === 'no' || NO.test(typed)) return 'no';
  return undefined;
};

export function inboxFlowHandler(services: InboxDialogServices) {
  const say = async (turn: Turn, id: string, text: string, choices = mainMenu(turn.t)) => {
    turn.say(text, choices);
    await services.inbox.note(id, 'bot', text);
  };
  const askTime = (turn: Turn, id: string, phone: string) => {
    inboxFlow.start(turn, 'time', { id, phone });
    turn.say(turn.t('inbox:callback.askTime'));
  };

  return inboxFlow.handler({
    async handle(turn, state, input) {
      if (!state) return rate(turn, services, input.value);
      const { id } = state.data;
      switch (state.step) {
        case 'offer': {
          const yes = answer(input.value, input.text);
          if (!yes) return 'pass';
          if (yes === 'no') {
            turn.endFlow();
            return say(turn, id, turn.t('inbox:callback.declined'));
          }
          if (turn.person.phone) {
            inboxFlow.start(turn, 'consent', { id });
            turn.say(turn.t('inbox:callback.useOnFile', { phone: maskPhone(turn.person.phone) }), [
              inboxFlow.choice(turn.t('inbox:callback.useIt'), 'yes'),
              inboxFlow.choice(turn.t('inbox:callback.other'), 'no'),
            ]);
            return;
          }
          inboxFlow.start(turn, 'phone', { id });
          turn.say(turn.t('inbox:callback.askPhone'));
          return;
        }
        case 'consent': {
          const yes = answer(input.value, input.text);
          if (yes === 'yes' && turn.person.phone) return askTime(turn, id, turn.person.phone);
          const typed = input.understanding.slots.phone ?? PHONE.exec(input.text)?.[0];
          if (typed) return askTime(turn, id, typed.replace(/[\s-]/g, ''));
          if (yes === 'no') {
            inboxFlow.start(turn, 'phone', { id });
            turn.say(turn.t('inbox:callback.askPhone'));
            return;
          }
          return 'pass';
        }
        case 'phone': {
          const typed = input.understanding.slots.phone ?? PHONE.exec(input.text)?.[0];
          if (!typed) {
            // "my schedule", "算了": no digit at all is another request, not a mistyped number (the handoff stays open).
            if (!/\d/.test(input.text)) return 'pass';
            turn.say(turn.t('inbox:callback.badPhone'));
            return;
          }
          return askTime(turn, id, typed.replace(/[\s-]/g, ''));
        }
        case 'time': {
          // Free text kept for staff and said back: short, without markup or template braces.
          const time = input.text
            .replace(/[{}<>\p{Cc}]/gu, '')
            .trim()
            .slice(0, 60);
          if (!time) {
            turn.say(turn.t('inbox:callback.askTime'));
            return;
          }
          await services.inbox.requestCallback(id, state.data.phone, time);
          turn.endFlow();
          return say(turn, id, turn.t('inbox:callback.done', { phone: maskPhone(state.data.phone), time }));
        }
      }
    },
    onCancel(turn) {
      turn.say(turn.t('inbox:callback.declined'), mainMenu(turn.t));
    },
  });
}

/** "rate:<id>:<n>" from a rating choice; anything else is not for this flow. */
async function rate(turn: Turn, services: InboxDialogServices, value: string | undefined) {
  const m = /^rate:([0-9a-f-]{36}):([1-5])$/i.exec(value ?? '');
  if (!m) return 'pass' as const;
  const stored = await services.inbox.rate(turn.person.id, m[1]!, Number(m[2]));
  turn.say(turn.t(stored ? 'inbox:rate.thanks' : 'inbox:rate.already'), mainMenu(turn.t));
}
