import { z } from 'zod';
import { maskPhone } from '../../../people/mask';
import type { ChoiceOption } from '../../chat-session';
import type { DialogModule } from '../../dialog-module';
import { defineFlow } from '../../flow';
import type { IntentRoute } from '../../handler';
import type { Turn } from '../../turn';
import { channelLabel } from '../opt-out/opt-out-module';
import {
  CONTACT_ROUTES,
  type ContactRoute,
  type ContactRouteOptions,
  type ContactRoutePort,
} from './contact-route-port';
import { type RouteWord, routeRequest, routeWordIn, routeWordSchema } from './contact-route-words';

const contactRoute = defineFlow({
  name: 'contact-route',
  version: 1,
  steps: {
    /** The routes were offered as choices (and "默认"); the person picks one. */
    choose: z.object({}),
  },
});

/** The route a word stands for, from where the person writes: "这里" is this chat's route, "微信" here too on WeChat. */
function routeOfWord(word: RouteWord, channel: string): ContactRoute | null {
  const here: ContactRoute = channel === 'sms' ? 'sms' : channel === 'wechat-oa' ? 'wechat_oa' : 'chat';
  if (word === 'default') return null;
  if (word === 'here') return here;
  if (word === 'wechat') return channel === 'wechat' ? 'chat' : 'wechat_oa';
  return word;
}

/** "短信（138****1234）", "微信服务号", "聊天消息（Telegram）": the route as the person knows it. */
export function routeLabel(turn: Turn, route: ContactRoute, options: ContactRouteOptions): string {
  const state = options.routes[route];
  if (route === 'sms')
    return turn.person.phone
      ? turn.t('contact-route:route.smsTo', { phone: maskPhone(turn.person.phone) })
      : turn.t('contact-route:route.sms');
  if (route === 'chat')
    return state.ok
      ? turn.t('contact-route:route.chatOn', { channel: channelLabel(turn, state.channel) })
      : turn.t('contact-route:route.chat');
  return turn.t('contact-route:route.wechat_oa');
}

/** The line "my details" shows: the preference, and whether it can be used now. */
export async function contactRouteLine(turn: Turn, port: ContactRoutePort): Promise<string> {
  const options = await port.options(turn.person.id);
  if (!options.current) return turn.t('contact-route:details.none');
  const label = routeLabel(turn, options.current, options);
  return options.routes[options.current].ok
    ? turn.t('contact-route:details.set', { route: label })
    : turn.t('contact-route:details.unusable', { route: label });
}

/**
 * Issue 19, item 3: "通知方式", "以后用短信通知我", "notify me by SMS". The person picks among the routes a
 * message could actually take to them (the delivery module's own reachability rule, asked per route); the
 * choice is people.preferred_route, which src/delivery/recipients.ts tries first. "默认"/"随便" clears it.
 */
export function contactRouteModule(port: ContactRoutePort): DialogModule {
  const route: IntentRoute = async (turn, understanding, next) => {
    if (turn.msg.isGroup) return next(understanding);
    const request = routeRequest(turn.text);
    if (!request) return next(understanding);
    turn.intent = 'flow.contact-route';
    turn.endFlow();
    if (request.word === undefined) return offer(turn, await port.options(turn.person.id));
    await choose(turn, routeOfWord(request.word, turn.msg.address.channel));
  };

  /** The reasons the routes that cannot be chosen cannot, one line each (but `except`'s, already said). */
  function unavailableLines(turn: Turn, options: ContactRouteOptions, except?: ContactRoute): string[] {
    return CONTACT_ROUTES.flatMap((r) => {
      const state = options.routes[r];
      return state.ok || r === except ? [] : [turn.t(`contact-route:reason.${state.reason}`)];
    });
  }

  function choices(turn: Turn, options: ContactRouteOptions): ChoiceOption[] {
    return [
      ...CONTACT_ROUTES.filter((r) => options.routes[r].ok).map((r) =>
        contactRoute.choice(routeLabel(turn, r, options), r),
      ),
      contactRoute.choice(turn.t('contact-route:choice.default'), 'default'),
    ];
  }

  /** What is set now, what may be chosen (buttons), and why the rest may not. */
  function offer(
    turn: Turn,
    options: ContactRouteOptions,
    refused?: { route: ContactRoute; intro: string },
  ): void {
    const current = options.current
      ? routeLabel(turn, options.current, options)
      : turn.t('contact-route:current.none');
    const unavailable = unavailableLines(turn, options, refused?.route);
    const offered = choices(turn, options);
    const lines = [
      refused?.intro ?? turn.t('contact-route:ask.intro', { current }),
      ...(unavailable.length ? ['', turn.t('contact-route:ask.unavailable'), ...unavailable] : []),
      '',
      // Only "默认" left: no "1 到 1", just the one thing to reply.
      turn.t(offered.length === 1 ? 'contact-route:ask.chooseOnly' : 'contact-route:ask.choose'),
    ];
    contactRoute.start(turn, 'choose', {});
    turn.say(lines.join('\n'), offered);
  }

  async function choose(turn: Turn, wanted: ContactRoute | null): Promise<void> {
    const options = await port.options(turn.person.id);
    if (wanted === null) {
      turn.endFlow();
      if (options.current) await port.set(turn.person.id, null);
      turn.say(turn.t(options.current ? 'contact-route:cleared' : 'contact-route:alreadyDefault'));
      return;
    }
    const state = options.routes[wanted];
    const label = routeLabel(turn, wanted, options);
    if (!state.ok) {
      // Said politely with why, what the person can do, and the routes that do work.
      offer(turn, options, {
        route: wanted,
        intro: `${turn.t('contact-route:refused', { route: label })}\n${turn.t(`contact-route:reason.${state.reason}`)}`,
      });
      return;
    }
    turn.endFlow();
    if (options.current === wanted) {
      turn.say(turn.t('contact-route:already', { route: label }));
      return;
    }
    await port.set(turn.person.id, wanted);
    turn.say(
      [
        turn.t(`contact-route:saved.${wanted}`, { route: label }),
        turn.t('contact-route:saved.fallback'),
        turn.t('contact-route:saved.change'),
      ].join('\n'),
    );
  }

  const flow = contactRoute.handler({
    async handle(turn, _state, input) {
      // A pressed choice carries the route (or "default"); typed words ("短信", "随便", "2" is the engine's).
      const word = routeWordSchema.safeParse(input.value ?? routeWordIn(input.text));
      if (!word.success) {
        // Another number with only "默认" offered: not "请回复 1 到 1 之间的数字".
        if (turn.session.choices.length === 1 && /^\s*\d+\s*$/.test(input.text)) {
          turn.say(turn.t('contact-route:ask.replyOne'), turn.session.choices);
          return;
        }
        return 'pass';
      }
      await choose(turn, routeOfWord(word.data, turn.msg.address.channel));
    },
  });

  return { route, flows: [flow] };
}
