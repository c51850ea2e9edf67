import type pg from 'pg';
import type { Channel } from '../core/channel';
import { chatSessionKey } from '../core/dialog/chat-session';
import type { ChannelName } from '../core/message';

/**
 * The platforms that can write to a person later, unprompted (a `converse` script cannot). Anything else —
 * a test's recording channel, a benchmark's — says so itself with the capability `proactive: true`.
 */
export const PROACTIVE_CHANNELS = [
  'telegram',
  'wechat',
  /** The WeChat Service Account (src/channels/wechat-oa): customer service, template or subscription notice. */
  'wechat-oa',
  'web',
  'terminal',
] as const satisfies readonly ChannelName[];

/** The channels this process's deliveries may use: the platforms above plus any channel declaring `proactive`. */
export function proactiveChannels(channels: Iterable<Pick<Channel, 'name' | 'capabilities'>>): ChannelName[] {
  const names = new Set<ChannelName>(PROACTIVE_CHANNELS);
  for (const channel of channels) if (channel.capabilities.proactive) names.add(channel.name);
  return [...names];
}

/** The channels that stand for a route of their own; every other proactive channel is the route 'chat'. */
const OWN_ROUTES = `('wechat-oa', 'sms')`;

/**
 * THE reachability rule, as SQL: one decision per person and message. The candidates are the person's identities
 * on a channel the bot can write to (`channelsParam`, a text[] parameter) not marked unreachable (blocked, chat
 * gone), plus SMS to the person's phone when 'sms' is among the channels (chat id = person id: the number is
 * read when the message goes out). The person's preferred route (people.preferred_route) goes first, then the
 * routes in the order of `channelsParam` (deliveryChannels() orders it by DELIVERY_FALLBACK: every chat channel
 * takes the place of 'chat'), then the most recently used. A LEFT JOIN LATERAL named `alias` with channel,
 * chat_id and external_id, for the person in `personColumn`.
 * The channel test is wrapped in IS TRUE so the planner cannot use the (channel, external_id) index for it:
 * with stale statistics it did, scanning every identity of the channel once per recipient (30 s for 10,000).
 */
export function reachableIdentityJoin(personColumn: string, channelsParam: string, alias: string): string {
  const channels = `${channelsParam}::text[]`;
  return `
  LEFT JOIN LATERAL (
    SELECT c.channel, c.chat_id, c.external_id FROM (
      SELECT i.channel, i.chat_id, i.external_id, i.last_inbound_at, i.created_at FROM channel_identities i
      WHERE i.person_id = ${personColumn} AND i.unreachable_at IS NULL AND (i.channel = ANY(${channels})) IS TRUE
      UNION ALL
      SELECT 'sms', sp.id::text, sp.id::text, NULL, NULL FROM people sp
      WHERE sp.id = ${personColumn} AND 'sms' = ANY(${channels}) AND sp.deleted_at IS NULL
        AND coalesce(sp.phone, '') <> ''
    ) c LEFT JOIN people pr ON pr.id = ${personColumn}
    ORDER BY
      (CASE WHEN c.channel IN ${OWN_ROUTES} THEN replace(c.channel, '-', '_') ELSE 'chat' END) = pr.preferred_route
        IS TRUE DESC,
      CASE WHEN c.channel IN ${OWN_ROUTES} THEN array_position(${channels}, c.channel)
        ELSE (SELECT min(k) FROM unnest(${channels}) WITH ORDINALITY u(ch, k) WHERE u.ch NOT IN ${OWN_ROUTES}) END,
      c.last_inbound_at DESC NULLS LAST, c.created_at DESC NULLS LAST
    LIMIT 1) ${alias} ON true`;
}

export interface Reachable {
  channel: ChannelName;
  chatId: string;
  externalId: string;
}

/** Where each person can be written to now; people missing from the map have no reachable chat. */
export interface Recipients {
  /** `only`: the channels to consider (a fallback leaves out those already tried); default: all of them. */
  reachable(personIds: readonly string[], only?: readonly ChannelName[]): Promise<Map<string, Reachable>>;
}

export type DeliveryRoute = 'chat' | 'wechat_oa' | 'sms';

/** The route a channel belongs to. */
export const routeOf = (channel: string): DeliveryRoute =>
  channel === 'sms' ? 'sms' : channel === 'wechat-oa' ? 'wechat_oa' : 'chat';

/**
 * The channels deliveries may use, in the order a message tries them (DELIVERY_FALLBACK): every chat channel
 * in the place of 'chat', then 'wechat-oa' and 'sms' where configured and listed. A route left out of
 * DELIVERY_FALLBACK is not used.
 */
export function deliveryChannels(
  chat: readonly ChannelName[],
  options: { fallback: readonly DeliveryRoute[]; sms: boolean; wechatOa: boolean },
): ChannelName[] {
  const chatOnly = chat.filter((c) => routeOf(c) === 'chat');
  return options.fallback.flatMap((route): ChannelName[] =>
    route === 'chat'
      ? chatOnly
      : route === 'sms'
        ? options.sms
          ? ['sms']
          : []
        : options.wechatOa || chat.includes('wechat-oa')
          ? ['wechat-oa']
          : [],
  );
}

export function createRecipients(pool: pg.Pool, channels: readonly ChannelName[]): Recipients {
  return {
    async reachable(personIds, only = channels) {
      const found = new Map<string, Reachable>();
      const unique = [...new Set(personIds)];
      for (let i = 0; i < unique.length; i += 5_000) {
        const { rows } = await pool.query<{
          person_id: string;
          channel: ChannelName;
          chat_id: string;
          external_id: string;
        }>(
          `SELECT p.id AS person_id, r.channel, r.chat_id, r.external_id
           FROM unnest($1::uuid[]) AS p(id) ${reachableIdentityJoin('p.id', '$2', 'r')}
           WHERE r.channel IS NOT NULL`,
          [unique.slice(i, i + 5_000), only],
        );
        for (const r of rows)
          found.set(r.person_id, { channel: r.channel, chatId: r.chat_id, externalId: r.external_id });
      }
      return found;
    },
  };
}

/** The chat session key of an identity, as the engine builds it. */
export const sessionKeyOf = (r: Reachable) => chatSessionKey(r.channel, r.externalId);

/**
 * The family member who signed up the person in `personColumn` most recently (family_links, the proxy not
 * erased), as `fl` (proxy_id, relation), and that proxy's reachable route as `px`. `pp` is the proxy when a
 * message about the person goes to them instead: the person has no chat of their own (SMS at most) and the
 * proxy is reachable, by chat rather than SMS when only the person has a phone (a chat costs nothing). Class
 * reminders and survey questions follow this one rule.
 */
export function familyProxyJoin(personColumn: string, channelsParam: string, ownAlias: string): string {
  return `
       LEFT JOIN LATERAL (
         SELECT f.proxy_id, f.relation FROM family_links f
         JOIN people q ON q.id = f.proxy_id AND q.deleted_at IS NULL
         WHERE f.member_id = ${personColumn} ORDER BY f.created_at DESC LIMIT 1) fl ON true
       ${reachableIdentityJoin('fl.proxy_id', channelsParam, 'px')}
       LEFT JOIN people pp ON pp.id = fl.proxy_id AND px.channel IS NOT NULL
         AND (${ownAlias}.channel IS NULL OR ${ownAlias}.channel = 'sms')
         AND (${ownAlias}.channel IS NULL OR px.channel <> 'sms')`;
}
