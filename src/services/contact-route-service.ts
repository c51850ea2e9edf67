import type pg from 'pg';
import {
  CONTACT_ROUTES,
  type ContactRoute,
  type ContactRouteOptions,
  type ContactRoutePort,
  type RouteAvailability,
} from '../core/dialog/flows/contact-route/contact-route-port';
import type { ChannelName } from '../core/message';
import { type Recipients, routeOf } from '../delivery/recipients';

export interface ContactRouteDeps {
  pool: pg.Pool;
  /** The delivery module's recipients: the one reachability rule, asked one route at a time. */
  recipients: Recipients;
  /** The channels deliveries may use (delivery.channels: DELIVERY_FALLBACK, SMS and the OA where configured). */
  channels: readonly ChannelName[];
  /** The WeChat Service Account is configured (WECHAT_OA_APPID): 'wechat-oa' is among the channels regardless. */
  wechatOa: boolean;
}

const routeSchema = new Set<string>(CONTACT_ROUTES);
const asRoute = (value: string | null): ContactRoute | null =>
  value && routeSchema.has(value) ? (value as ContactRoute) : null;

/**
 * The contact preference (issue 19, item 3): people.preferred_route, which src/delivery/recipients.ts puts first.
 * What is possible is asked of the same reachability rule the deliveries use, one route at a time, so the
 * dialog and the console never offer a route a message could not take.
 */
export function createContactRoutes(deps: ContactRouteDeps): ContactRoutePort {
  const { channels } = deps;
  const chatChannels = channels.filter((c) => routeOf(c) === 'chat');

  async function reachableOn(personId: string, only: readonly ChannelName[]) {
    if (!only.length) return undefined;
    return (await deps.recipients.reachable([personId], only)).get(personId);
  }

  async function availability(personId: string, route: ContactRoute): Promise<RouteAvailability> {
    if (route === 'sms') {
      if (!channels.includes('sms')) return { ok: false, reason: 'sms_off' };
      return (await reachableOn(personId, ['sms']))
        ? { ok: true, channel: 'sms' }
        : { ok: false, reason: 'no_phone' };
    }
    if (route === 'wechat_oa') {
      if (!deps.wechatOa || !channels.includes('wechat-oa')) return { ok: false, reason: 'oa_off' };
      return (await reachableOn(personId, ['wechat-oa']))
        ? { ok: true, channel: 'wechat-oa' }
        : { ok: false, reason: 'no_oa_identity' };
    }
    const found = await reachableOn(personId, chatChannels);
    return found ? { ok: true, channel: found.channel } : { ok: false, reason: 'no_chat' };
  }

  return {
    async options(personId): Promise<ContactRouteOptions> {
      const { rows } = await deps.pool.query<{ preferred_route: string | null }>(
        'SELECT preferred_route FROM people WHERE id = $1',
        [personId],
      );
      const [chat, wechatOa, sms] = await Promise.all(
        CONTACT_ROUTES.map((route) => availability(personId, route)),
      );
      return {
        current: asRoute(rows[0]?.preferred_route ?? null),
        routes: { chat: chat!, wechat_oa: wechatOa!, sms: sms! },
      };
    },
    async set(personId, route) {
      await deps.pool.query('UPDATE people SET preferred_route = $2, updated_at = now() WHERE id = $1', [
        personId,
        route,
      ]);
    },
  };
}
