import { z } from 'zod';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import type { TurnGate } from '../../handler';
import type { Turn } from '../../turn';
import type { ContactRoutePort } from '../contact-route/contact-route-port';
import type { PreferencesPort } from './preferences-port';

/** "退订", "TD", "T", "stop", "unsubscribe": the words SMS and chat users use to stop messages. */
const OPT_OUT = /^(退订|退订消息|退订通知|取消订阅|td|t|stop|unsubscribe|unsub|optout)$/u;
/** "恢复提醒", "resume": everything again on this channel. */
const RESUME = /^(恢复提醒|恢复通知|恢复订阅|重新订阅|恢复消息|resume|subscribe|resubscribe)$/u;

const squash = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');

const optOut = defineFlow({
  name: 'opt-out',
  version: 1,
  steps: {
    /** Non-essential messages stopped; "stop class reminders and notices too?" is asked. */
    scope: z.object({ channel: z.string().max(40) }),
  },
});

/** The channel's name as people know it ("微信", "Telegram"). */
export function channelLabel(turn: Turn, channel: string): string {
  return turn.t(`preferences:channel.${channel}`, { defaultValue: channel });
}

/**
 * The lines "my details" shows about what is stopped where (nothing stopped: one line saying so). A chat the bot
 * cannot write first on (the scripted `converse` chat; `writesFirst` false) never carries reminders or notices,
 * whatever was stopped there: it says so instead of "reminders still come" (an opt-out there stops nothing).
 */
export async function preferenceLines(
  turn: Turn,
  preferences: PreferencesPort,
  writesFirst?: (channel: string) => boolean,
): Promise<string[]> {
  const silent = (channel: string) => writesFirst !== undefined && !writesFirst(channel);
  const here = turn.msg.address.channel;
  const list = await preferences.list(turn.person.id);
  const stopped = list.filter((p) => !silent(p.channel));
  const quiet = [...new Set([...(silent(here) ? [here] : []), ...list.map((p) => p.channel).filter(silent)])];
  if (!stopped.length && !quiet.length) return [turn.t('preferences:details.none')];
  return [
    turn.t('preferences:details.intro'),
    ...quiet.map((channel) =>
      turn.t('preferences:details.cannotWrite', { channel: channelLabel(turn, channel) }),
    ),
    ...stopped.map((p) =>
      turn.t(`preferences:details.${p.optOut}`, { channel: channelLabel(turn, p.channel) }),
    ),
    ...(stopped.length ? [turn.t('preferences:details.resume')] : []),
  ];
}

/**
 * Issue 19, item 4: "退订" on any channel stops non-essential messages on that channel and offers to stop the
 * reminders and notices of the person's own classes too; "恢复提醒" starts everything again. Checked before
 * anything else (a gate), except "stop" inside a flow, which keeps meaning "cancel this".
 */
export function optOutModule(
  preferences: PreferencesPort,
  reach: { contact?: ContactRoutePort; writesFirst?: (channel: string) => boolean } = {},
): DialogModule {
  const gate: TurnGate = async (turn) => {
    if (turn.msg.isGroup || turn.msg.choiceIndex !== undefined) return false;
    const words = squash(turn.text);
    if (RESUME.test(words)) {
      await resume(turn);
      return true;
    }
    if (!OPT_OUT.test(words)) return false;
    if (words === 'stop' && turn.session.flow) return false;
    await stop(turn);
    return true;
  };

  async function stop(turn: Turn): Promise<void> {
    const channel = turn.msg.address.channel;
    const name = channelLabel(turn, channel);
    turn.intent = 'flow.opt-out';
    turn.endFlow();
    const current = (await preferences.list(turn.person.id)).find((p) => p.channel === channel);
    if (current?.optOut === 'all') {
      turn.say(turn.t('preferences:optOut.alreadyAll', { channel: name }));
      return;
    }
    if (!current) await preferences.optOut(turn.person.id, channel, 'optional');
    // A chat that cannot write first (the scripted `converse`): say where reminders would really go, if anywhere,
    // instead of promising them here.
    const elsewhere = await elsewhereThan(turn, channel);
    if (elsewhere !== undefined) {
      turn.say(
        elsewhere
          ? turn.t('preferences:optOut.notHereElsewhere', {
              channel: name,
              where: channelLabel(turn, elsewhere),
            })
          : turn.t('preferences:optOut.notHereNowhere', { channel: name }),
      );
      return;
    }
    optOut.start(turn, 'scope', { channel });
    turn.say(turn.t('preferences:optOut.done', { channel: name }), [
      optOut.choice(turn.t('preferences:optOut.stopAll'), 'all'),
      optOut.choice(turn.t('preferences:optOut.keepClass'), 'keep'),
    ]);
  }

  /**
   * undefined: this chat can carry the person's reminders (a channel the bot writes first on, or nothing tells
   * otherwise). Else where they go instead ('' when no route reaches the person at all).
   */
  async function elsewhereThan(turn: Turn, channel: string): Promise<string | undefined> {
    if (!reach.contact || !reach.writesFirst || reach.writesFirst(channel)) return undefined;
    const { routes } = await reach.contact.options(turn.person.id);
    if (routes.chat.ok) return routes.chat.channel;
    if (routes.wechat_oa.ok) return routes.wechat_oa.channel;
    if (routes.sms.ok) return 'sms';
    return '';
  }

  async function resume(turn: Turn): Promise<void> {
    turn.intent = 'flow.opt-out';
    turn.endFlow();
    const channel = turn.msg.address.channel;
    const was = await preferences.resume(turn.person.id, channel);
    turn.say(
      turn.t(was ? 'preferences:resume.done' : 'preferences:resume.notStopped', {
        channel: channelLabel(turn, channel),
      }),
    );
  }

  const flow = optOut.handler({
    async handle(turn, state, input) {
      if (!state) return 'pass';
      const channel = state.data.channel;
      const name = channelLabel(turn, channel);
      const answer = input.value ?? '';
      if (answer === 'all') {
        turn.endFlow();
        await preferences.optOut(turn.person.id, channel, 'all');
        turn.say(turn.t('preferences:optOut.all', { channel: name }));
        return;
      }
      if (answer === 'keep') {
        turn.endFlow();
        turn.say(turn.t('preferences:optOut.kept', { channel: name }));
        return;
      }
      return 'pass';
    },
  });

  return { gate, flows: [flow] };
}
